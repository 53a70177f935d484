"""`doit status`: states per asset, staleness propagated downstream, colors only on a terminal."""

import os
import pty
import subprocess
import sys

from tests.test_history import task_status, wait_for


def states(project, *args):
    result = project.doit("status", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:] if line and not line.startswith("job ")]
    return {row[0]: row[2].rstrip("*") for row in rows}, result.stdout


def test_never_then_fresh(toy_project):
    assert states(toy_project)[0] == {"numbers": "never", "doubled": "never", "total": "never"}
    toy_project.doit()
    table, text = states(toy_project)
    assert table == {"numbers": "fresh", "doubled": "fresh", "total": "fresh"}
    assert "rows=3" in text and "job toy_job: 3 assets (3 fresh)" in text


def test_input_change_makes_downstream_stale_too(toy_project):
    toy_project.doit()
    toy_project.path("input.txt").write_text("7 8\n")
    table, text = states(toy_project)
    assert table == {"numbers": "stale", "doubled": "stale", "total": "stale"}
    assert "upstream numbers is stale" in text and "upstream doubled is stale" in text


def test_code_change_is_stale_from_that_asset_down(toy_project):
    toy_project.doit()
    source = toy_project.path("toy_assets.py")
    source.write_text(source.read_text().replace("str(v * 2)", "str(v * 5)"))
    assert states(toy_project)[0] == {"numbers": "fresh", "doubled": "stale", "total": "stale"}
    assert states(toy_project, "--state", "stale")[0] == {"doubled": "stale", "total": "stale"}
    assert states(toy_project, "dou*")[0] == {"doubled": "stale"}


def test_failed_and_running(toy_project):
    toy_project.doit()
    toy_project.path("input.txt").write_text("4 5\n")
    toy_project.path("FAIL_total").write_text("no")
    toy_project.doit()
    assert states(toy_project)[0] == {"numbers": "fresh", "doubled": "fresh", "total": "failed"}
    toy_project.path("FAIL_total").unlink()
    toy_project.path("SLOW_total").write_text("30")
    toy_project.path("input.txt").write_text("1\n")
    process = toy_project.popen()
    try:
        assert wait_for(lambda: task_status(toy_project, "total") == "running")
        assert states(toy_project)[0]["total"] == "running"
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert states(toy_project)[0]["total"] == "failed"  # interrupted while running


def test_colors_only_on_a_terminal(toy_project):
    toy_project.doit()
    assert "\x1b[" not in toy_project.doit("status").stdout
    env = {k: v for k, v in toy_project.env.items() if k != "NO_COLOR"}
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "doit", "status"], cwd=toy_project.root, env=env,
                               stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(30)
    assert b"\x1b[32mfresh" in b"".join(chunks)
    no_color = toy_project.doit("status", env={"NO_COLOR": "1"})
    assert "\x1b[" not in no_color.stdout
