"""What a task does in one of doit's worker processes (`-n 2 -P process`) works as it does in doit's own
process: the run's hooks for its workers (pipeline/runs/lock.py) are for its workers only."""

import pytest


@pytest.mark.parametrize("workers", [[], ["-n", "2", "-P", "process"]], ids=["one process", "worker processes"])
def test_a_task_can_fork_its_own_pool_of_processes(toy_project, workers):
    toy_project.path("POOL_numbers").write_text("")
    result = toy_project.doit(*workers, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "squares 1 4 9" in result.stdout
    assert toy_project.path("data/total.txt").read_text() == "12\n"


_FORKS = """
import os, signal, time
from pipeline.runs import lock
lock._RUN_PID = os.getpid()  # this process plays the run (lock.RunLock.acquire registers the same hooks)
os.register_at_fork(before=lock._note_the_forker, after_in_child=lock._end_with_the_run)
worker = os.fork()
if worker == 0:
    own = os.fork()  # the task's own process
    if own == 0:
        time.sleep(30)
        os._exit(0)
    time.sleep(0.5)
    os.kill(own, signal.SIGTERM)
    _, status = os.waitpid(own, 0)
    print("worker's SIGTERM handler is the run's:", signal.getsignal(signal.SIGTERM) is lock._worker_sigterm)
    print("its own process ended with", os.waitstatus_to_exitcode(status), flush=True)
    os._exit(0)
os.waitpid(worker, 0)
"""


def test_a_process_a_task_forks_ends_on_sigterm_as_anywhere():
    """A worker turns SIGTERM into an interrupt of its task; a process its task forks (a pool's) keeps
    the default, which `pool.terminate()` counts on."""
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-c", _FORKS], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": root})
    assert done.stdout.splitlines() == ["worker's SIGTERM handler is the run's: True",
                                        "its own process ended with -15"], done.stdout + done.stderr
