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
