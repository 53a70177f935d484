"""Whole-catalog tasks with large files run in a fresh process (pipeline/runs/fresh_process.py): their
memory is their own, and the run reports, fails, interrupts and records them as any other task."""

import os
import signal
import subprocess
import sys
import time

import pytest

from pipeline.paths import Paths
from pipeline.runs.history import History
from pipeline.runs.lock import WORKER_GRACE_S
from tests.conftest import as_from_a_terminal
from tests.faults.helpers import processes_in, wait_for

FRESH = {"MLENTORY_FRESH_PROCESS_ABOVE_MIB": "0"}  # every whole-catalog task (the toy's are all of them)
PEAKS = {"MLENTORY_TASK_PEAK_MEMORY": "1"}


def last_run(project) -> dict:
    store = History(Paths(project.root).run_history)
    try:
        return {t.name: t for t in store.tasks(store.run().id)}
    finally:
        store.close()


@pytest.mark.parametrize("workers", [[], ["-n", "2", "-P", "process"]], ids=["one process", "worker processes"])
def test_memory_a_task_kept_is_not_carried_into_the_next_ones(toy_project, workers):
    toy_project.path("KEEP_numbers").write_text("300")  # held until its process ends, as a leak would be
    result = toy_project.doit(*workers, env={**FRESH, **PEAKS})
    assert result.returncode == 0, result.stdout + result.stderr
    tasks = last_run(toy_project)
    assert tasks["numbers"].metadata["peak_rss_mib"] >= 300
    assert tasks["doubled"].metadata["peak_rss_mib"] < 200
    assert tasks["total"].metadata["peak_rss_mib"] < 200


def test_only_tasks_with_large_files_run_in_a_fresh_process(toy_project):
    toy_project.path("KEEP_numbers").write_text("300")
    env = {"MLENTORY_FRESH_PROCESS_ABOVE_MIB": "0.5", **PEAKS}
    assert toy_project.doit(env=env).returncode == 0
    # small files: all three ran in doit's process, and the later ones held what the first kept
    assert last_run(toy_project)["doubled"].metadata["peak_rss_mib"] >= 300
    toy_project.path("input.txt").write_text("1 " * 400_000)  # 0.8 MiB read by numbers, written for doubled
    assert toy_project.doit(env=env).returncode == 0
    tasks = last_run(toy_project)
    assert tasks["numbers"].metadata["peak_rss_mib"] >= 300
    assert tasks["doubled"].metadata["peak_rss_mib"] < 200
    assert toy_project.path("data/total.txt").read_text() == "800000\n"


def test_a_task_in_a_fresh_process_reports_and_fails_as_one_in_doit(toy_project):
    result = toy_project.doit(env=FRESH)
    assert result.returncode == 0, result.stdout + result.stderr
    numbers = last_run(toy_project)["numbers"]
    assert "read 3 numbers" in numbers.stdout and numbers.metadata["rows"] == 3

    toy_project.path("input.txt").write_text("4 5\n")
    toy_project.path("FAIL_doubled").write_text("disk on fire")
    result = toy_project.doit(env=FRESH)
    assert result.returncode != 0
    doubled = last_run(toy_project)["doubled"]
    assert doubled.status == "failed"
    # the exception as raised, with the traceback of the process it was raised in
    assert "RuntimeError: disk on fire" in doubled.error and "build_doubled" in doubled.error
    assert toy_project.path("data/doubled.txt").read_text() == "2\n4\n6\n"  # the previous output stays

    toy_project.path("FAIL_doubled").write_text("clear:the numbers are not ready")
    result = toy_project.doit(env=FRESH)
    assert result.returncode != 0
    assert "doubled: the numbers are not ready" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr

    toy_project.path("FAIL_doubled").unlink()
    toy_project.path("input.txt").write_text("-4 -5\n")
    result = toy_project.doit(env=FRESH)
    assert result.returncode != 0 and "total_positive" in result.stdout + result.stderr
    total = last_run(toy_project)["total"]
    assert total.status == "failed" and toy_project.path("data/total.txt").read_text() == "12\n"


def test_ctrl_c_interrupts_a_task_in_a_fresh_process_and_leaves_nothing_running(toy_project):
    toy_project.path("SLOW_doubled").write_text("120")
    run = subprocess.Popen([sys.executable, "-m", "doit", "-n", "2", "-P", "process"], cwd=toy_project.root,
                           env={**toy_project.env, **FRESH}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, start_new_session=True, preexec_fn=as_from_a_terminal)
    try:
        assert wait_for(lambda: any("forkserver" in c for _, c in processes_in(toy_project.root)), 60, 0.05)
        time.sleep(1)  # doubled sleeps in its own process
        os.killpg(run.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends
        run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode != 0
    assert wait_for(lambda: processes_in(toy_project.root) == [], 10, 0.1), processes_in(toy_project.root)
    assert last_run(toy_project)["doubled"].status == "interrupted"
    assert not toy_project.path("data/doubled.txt").exists()
    assert [p.name for p in toy_project.path("data").iterdir() if "staging" in p.name or p.name.startswith(".tmp")] == []


def test_a_killed_run_ends_the_task_running_in_a_fresh_process(toy_project):
    # the task ignores SIGINT and SIGTERM and never ends when interrupted: its process still ends
    toy_project.path("IGNORE_doubled").write_text("INT TERM")
    toy_project.path("STUCK_doubled").write_text("")
    run = toy_project.popen("-n", "2", "-P", "process", env=FRESH)
    try:
        pid_file = toy_project.path("STUCK_doubled.pid")
        assert wait_for(pid_file.exists, 60, 0.05)
        stuck = int(pid_file.read_text())
        assert b"forkserver" in open(f"/proc/{stuck}/cmdline", "rb").read()  # not a doit worker
        os.kill(run.pid, signal.SIGKILL)
        run.communicate(timeout=WORKER_GRACE_S + 30)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert wait_for(lambda: not os.path.exists(f"/proc/{stuck}") or
                    open(f"/proc/{stuck}/stat").read().rsplit(")", 1)[1].split()[0] == "Z", 2 * WORKER_GRACE_S + 10, 0.2)
    assert wait_for(lambda: processes_in(toy_project.root) == [], 20, 0.2), processes_in(toy_project.root)


def test_a_task_process_killed_from_outside_fails_in_one_line_and_keeps_the_previous_output(toy_project):
    """What the kernel's out-of-memory killer does to a task's process."""
    assert toy_project.doit(env=FRESH).returncode == 0
    toy_project.path("input.txt").write_text("4 5\n")
    toy_project.path("STUCK_doubled").write_text("")
    run = toy_project.popen(env=FRESH)
    try:
        pid_file = toy_project.path("STUCK_doubled.pid")
        assert wait_for(pid_file.exists, 60, 0.05)
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode != 0
    assert "doubled: its process (mlentory doubled, pid " in out + err and "killed by SIGKILL" in out + err
    assert "its previous outputs are kept - run `doit` again" in out + err and "Traceback" not in out + err
    assert toy_project.path("data/doubled.txt").read_text() == "2\n4\n6\n"
    toy_project.path("STUCK_doubled").unlink()
    assert toy_project.doit(env=FRESH).returncode == 0
    assert toy_project.path("data/total.txt").read_text() == "18\n"
