"""`doit status`: states per asset, staleness propagated downstream, colors only on a terminal."""

import shutil

import pytest

from tests.conftest import REPO, TOY_DODO, Project, _clean_env
from tests.test_console import on_a_terminal
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
    assert "\x1b[32mfresh" in on_a_terminal(toy_project, "status")
    no_color = toy_project.doit("status", env={"NO_COLOR": "1"})
    assert "\x1b[" not in no_color.stdout


# -- sharded assets ------------------------------------------------------------------------------

SHARDS = 4


@pytest.fixture
def sharded_project(tmp_path):
    """The toy registry of tests/toy/toy_sharded_assets.py with 4 shards: numbers n land in shard n % 4."""
    root = tmp_path / "sharded"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "tests" / "toy" / "toy_sharded_assets.py", root / "toy_sharded_assets.py")
    (root / "dodo.py").write_text(TOY_DODO.replace("toy_assets:", "toy_sharded_assets:"))
    (root / "input.txt").write_text("1 2 3 4 5 6 7 8 9\n")  # shards 000: 4 8, 001: 1 5 9, 002: 2 6, 003: 3 7
    return Project(root, _clean_env(MLENTORY_SHARDS=str(SHARDS)))


def lines(text):
    return {line.split()[0]: line for line in text.splitlines()[1:] if line and not line.startswith("job ")}


def shard_rows(asset, state="fresh", **others):
    return {f"{asset}:{i:03d}": others.get(f"s{i:03d}", state) for i in range(SHARDS)}


def test_sharded_assets_show_one_row_each_with_summed_metadata(sharded_project):
    assert states(sharded_project)[0] == {"numbers": "never", "doubled": "never", "squared": "never",
                                          "total": "never"}
    build = sharded_project.doit()
    assert build.returncode == 0, build.stdout + build.stderr
    table, text = states(sharded_project)
    assert table == {"numbers": "fresh", "doubled": "fresh", "squared": "fresh", "total": "fresh"}
    rows = lines(text)
    # numbers summed over shards; a value every shard agrees on is kept, one that differs is not
    assert rows["doubled"].endswith("4 shards: rows=9 unit=number")
    assert rows["squared"].endswith("4 shards: rows=9 largest=60")  # 16 + 18 + 12 + 14
    assert rows["doubled"].split()[4] != "-"  # summed duration of the shards of the last run
    assert "job toy_job: 4 assets (4 fresh)" in text

    table, text = states(sharded_project, "--shards")
    assert table == {"numbers": "fresh", "doubled": "fresh", **shard_rows("doubled"), "squared": "fresh",
                     **shard_rows("squared"), "total": "fresh"}
    assert lines(text)["doubled:001"].endswith("rows=3 unit=number shard=001")
    assert "job toy_job: 4 assets (4 fresh)" in text
    assert states(sharded_project, "doubled:001")[0] == {"doubled:001": "fresh"}
    assert states(sharded_project, "squared:00*")[0] == shard_rows("squared")
    assert states(sharded_project, "--group", "toy_job")[0] == table_without_shards(table)
    assert states(sharded_project, "--state", "fresh", "--shards", "doubled")[0] == {
        "doubled": "fresh", **shard_rows("doubled")}


def table_without_shards(table):
    return {name: state for name, state in table.items() if ":" not in name}


def test_one_changed_shard_makes_only_its_downstream_shards_stale(sharded_project):
    sharded_project.doit()
    sharded_project.path("input.txt").write_text("1 2 3 4 5 6 7 8 13\n")  # 9 -> 13: only shard 001 changes
    table, text = states(sharded_project)
    assert table == {"numbers": "stale", "doubled": "stale", "squared": "stale", "total": "stale"}
    assert "4 of 4 shards stale: upstream numbers is stale" in lines(text)["doubled"]
    assert "4 of 4 shards stale: upstream doubled is stale" in lines(text)["squared"]

    assert sharded_project.doit("-s", "numbers").returncode == 0  # rewrites data/numbers-001.txt only
    table, text = states(sharded_project, "--shards")
    assert table == {"numbers": "fresh", "doubled": "stale", **shard_rows("doubled", s001="stale"),
                     "squared": "stale", **shard_rows("squared", s001="stale"), "total": "stale"}
    rows = lines(text)
    assert "1 of 4 shards stale: input changed" in rows["doubled"]
    assert "1 of 4 shards stale: upstream doubled is stale" in rows["squared"]
    assert "upstream doubled:001 is stale" in rows["squared:001"]
    assert "upstream squared has 1 of 4 shards stale" in rows["total"]
    assert "job toy_job: 4 assets (1 fresh, 3 stale)" in text
    assert states(sharded_project, "--state", "stale")[0] == {"doubled": "stale", "squared": "stale",
                                                              "total": "stale"}
    assert states(sharded_project, "--state", "stale", "--shards", "doubled")[0] == {
        "doubled": "stale", "doubled:001": "stale"}

    rebuild = sharded_project.doit()
    assert rebuild.returncode == 0, rebuild.stdout + rebuild.stderr
    table, text = states(sharded_project, "--shards")
    assert set(table.values()) == {"fresh"} and len(table) == 4 + 2 * SHARDS
    assert lines(text)["squared"].endswith("4 shards: rows=9 largest=68")  # shard 001's largest is now 26
    assert lines(text)["doubled"].endswith("4 shards: rows=9 unit=number")


def test_a_failing_shard_fails_its_asset(sharded_project):
    sharded_project.doit()
    sharded_project.path("FAIL_doubled_002").write_text("shard on fire")
    sharded_project.path("input.txt").write_text("1 2 3 4 5 6 7 8 9 14\n")  # 14 lands in shard 002
    assert sharded_project.doit().returncode != 0
    table, text = states(sharded_project, "--shards")
    assert table == {"numbers": "fresh", "doubled": "failed", **shard_rows("doubled", s002="failed"),
                     "squared": "fresh", **shard_rows("squared"), "total": "fresh"}
    rows = lines(text)
    run_id = rows["doubled:002"].split("in run ")[1].split()[0]
    assert f"1 of 4 shards failed in run {run_id}" in rows["doubled"]
    assert "job toy_job: 4 assets (1 failed, 3 fresh)" in text
    assert states(sharded_project, "--state", "failed")[0] == {"doubled": "failed"}

    sharded_project.path("FAIL_doubled_002").unlink()
    sharded_project.path("SLOW_doubled_002").write_text("30")
    process = sharded_project.popen()
    try:
        assert wait_for(lambda: task_status(sharded_project, "doubled:002") == "running")
        table, text = states(sharded_project)
        assert table["doubled"] == "running" and "1 of 4 shards running in run" in lines(text)["doubled"]
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert states(sharded_project)[0]["doubled"] == "failed"  # interrupted while running
    assert "1 of 4 shards interrupted in run" in states(sharded_project)[1]
