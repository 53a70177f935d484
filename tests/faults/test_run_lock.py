"""Issue 12, defect 3: one run at a time per project, for the CLI as for the UI and the scheduler."""

import time

from pipeline.paths import Paths
from pipeline.runs.schedules import Schedule
from tests.faults.helpers import running_run, wait_for


def lock_holder(project):
    from pipeline.runs.lock import holder
    return holder(Paths(project.root))


def test_second_cli_run_is_refused_at_once_with_one_line(toy_project):
    toy_project.path("SLOW_numbers").write_text("60")
    first = toy_project.popen()
    try:
        info = wait_for(lambda: running_run(toy_project), 60)
        assert info and info["pid"] == first.pid
        started = time.monotonic()
        second = toy_project.doit()
        elapsed = time.monotonic() - started
        assert second.returncode != 0 and elapsed < 2, f"took {elapsed:.2f} s"
        lines = (second.stdout + second.stderr).splitlines()
        assert len(lines) == 1, lines
        assert f"run {info['run_id']}" in lines[0] and f"pid {first.pid}" in lines[0]
        assert "MLENTORY_RUN_WAIT" in lines[0]
        # the refused run changed nothing: the history has one run, still running
        runs = toy_project.doit("runs").stdout.splitlines()
        assert len(runs) == 1 and runs[0].startswith(info["run_id"]) and "running" in runs[0]
    finally:
        first.terminate()
        first.communicate(timeout=30)
    assert lock_holder(toy_project) is None  # released when the run ended


def test_a_run_can_wait_for_the_one_in_progress(toy_project):
    toy_project.path("SLOW_numbers").write_text("3")
    first = toy_project.popen()
    try:
        assert wait_for(lambda: running_run(toy_project), 60)
        second = toy_project.doit(env={"MLENTORY_RUN_WAIT": "60"})
    finally:
        first.communicate(timeout=60)
    assert first.returncode == 0 and second.returncode == 0, second.stdout + second.stderr
    assert "waiting for run" in second.stderr
    assert "Nothing to do" in second.stdout  # it started after the first run had built everything


def test_scheduler_and_ui_see_the_cli_run(toy_project):
    from pipeline.runs.schedules import job_launcher
    from pipeline.ui.server import Project

    toy_project.path("SLOW_numbers").write_text("60")
    first = toy_project.popen()
    try:
        info = wait_for(lambda: running_run(toy_project), 60)
        assert job_launcher(toy_project.root)(Schedule("nightly", "0 2 * * *", "toy_job")) is None
        active = Project(toy_project.root, toy_project.env).active_run()
        assert active["pid"] == first.pid and active["run_id"] == info["run_id"]
    finally:
        first.terminate()
        first.communicate(timeout=30)
    assert Project(toy_project.root, toy_project.env).active_run() is None


def test_killed_run_leaves_no_lock(toy_project):
    toy_project.path("SLOW_numbers").write_text("60")
    first = toy_project.popen()
    assert wait_for(lambda: running_run(toy_project), 60)
    first.kill()
    first.communicate(timeout=30)
    assert lock_holder(toy_project) is None
    toy_project.path("SLOW_numbers").unlink()
    assert toy_project.doit().returncode == 0
