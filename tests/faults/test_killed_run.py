"""Issue 12, defect 4: `kill -9` of a run leaves no graph server behind, and the next run cleans up and
ends with the same catalog as a clean build."""

import os
import signal
import time

import pytest

from tests.faults.helpers import catalog, clean_catalog, processes_in, wait_for


def leftovers(root) -> list[str]:
    names = []
    for folder, dirs, files in os.walk(root / "data"):
        for name in dirs + files:
            if name.endswith(".staging") or name.startswith((".tmp", ".spool-")) or name.startswith("temp-"):
                names.append(os.path.join(folder, name))
    return names


@pytest.mark.parametrize("workers", [[], ["-n", "2", "-P", "process"]], ids=["one process", "worker processes"])
def test_kill_9_mid_load_leaves_no_server_and_the_next_run_equals_a_clean_build(hf_project, tmp_path, workers):
    # small load batches: the loaders take long enough to be killed in the middle of one
    hf_project.env["MLENTORY_LOAD_BATCH_SIZE"] = "3"
    run = hf_project.popen(*workers)
    server_file = hf_project.path("data/graph/server.json")
    assert wait_for(server_file.exists, 120, 0.005), "the run never started the graph server"
    time.sleep(0.3)
    os.kill(run.pid, signal.SIGKILL)
    _, err = run.communicate(timeout=30)
    assert "Traceback" not in err, err  # the workers were interrupted once, each, and unwound cleanly
    # nothing of the project keeps running: no graph server, no watchdog, no doit worker
    assert wait_for(lambda: processes_in(hf_project.root) == [], 30, 0.2), processes_in(hf_project.root)
    assert not server_file.exists()
    # what a killed run may leave, planted so every kind is there
    for path in ("data/normalized/hf/.models-000.parquet.99999.staging", "data/search/hf_models/.tmpAbC123",
                 "data/raw/hf/.spool-x1y2/0.arrows", "data/graph/temp-99999.rdb"):
        hf_project.path(path).parent.mkdir(parents=True, exist_ok=True)
        hf_project.path(path).write_bytes(b"half written")
    assert len(leftovers(hf_project.root)) >= 4
    again = hf_project.doit()
    assert again.returncode == 0, again.stdout + again.stderr
    assert "unfinished file(s) an interrupted run left" in again.stderr
    assert leftovers(hf_project.root) == []
    assert processes_in(hf_project.root) == []  # the run's end stopped its server
    assert "Nothing to do" in hf_project.doit().stdout

    assert catalog(hf_project) == clean_catalog(tmp_path / "clean")


def test_a_worker_stuck_in_its_unwinding_still_ends_after_its_run_is_killed(toy_project):
    """A killed run's workers are told (SIGTERM); one whose unwinding never ends is ended anyway, a grace
    period after the run's process is gone, so nothing keeps the run's output open for ever."""
    from pipeline.runs.lock import WORKER_GRACE_S

    toy_project.path("STUCK_doubled").write_text("")
    run = toy_project.popen("-n", "2", "-P", "process")
    pid_file = toy_project.path("STUCK_doubled.pid")
    assert wait_for(pid_file.exists, 60, 0.01), "the stuck asset never started"
    assert wait_for(lambda: pid_file.read_text().strip(), 5, 0.01)
    worker = int(pid_file.read_text())
    assert worker != run.pid  # it runs in a worker process
    os.kill(run.pid, signal.SIGKILL)
    killed = time.monotonic()
    out, err = run.communicate(timeout=WORKER_GRACE_S + 20)  # every process holding the output ended
    assert time.monotonic() - killed >= WORKER_GRACE_S - 1  # it was given its grace first
    assert wait_for(lambda: processes_in(toy_project.root) == [], 10, 0.1), processes_in(toy_project.root)
    assert "Traceback" not in err, err


def test_ctrl_c_ends_a_run_whose_worker_never_unwinds(toy_project):
    """After a Ctrl-C the run's process waits WORKER_GRACE_S for its workers, then kills those left: a
    task that ignores the signal and never ends (or a worker whose own exit hangs) must not keep the
    terminal waiting for ever (it did: Python's exit joins its workers without a limit)."""
    from pipeline.runs.lock import WORKER_GRACE_S

    toy_project.path("IGNORE_doubled").write_text("INT TERM")
    toy_project.path("STUCK_doubled").write_text("")
    run = toy_project.popen("-n", "2", "-P", "process")
    pid_file = toy_project.path("STUCK_doubled.pid")
    assert wait_for(pid_file.exists, 60, 0.01), "the stuck asset never started"
    assert wait_for(lambda: pid_file.read_text().strip(), 5, 0.01)
    for pid, _ in processes_in(toy_project.root):  # what a terminal's Ctrl-C reaches (its group is pytest's)
        os.kill(pid, signal.SIGINT)
    out, err = run.communicate(timeout=WORKER_GRACE_S + 30)
    assert run.returncode != 0
    assert "interrupted" in out + err
    assert f"had not ended {WORKER_GRACE_S:.0f} s after its run: killed" in err
    assert wait_for(lambda: processes_in(toy_project.root) == [], 10, 0.1), processes_in(toy_project.root)


def test_a_server_outside_a_run_stops_with_its_process(hf_project):
    """`doit graph` and `doit status` may start the server; it must not outlive them either."""
    assert hf_project.doit().returncode == 0
    hf_project.path("data/graph/receipts-cache.json").unlink()  # the status check must ask the server
    status = hf_project.doit("status")
    assert status.returncode == 0 and "stale" not in status.stdout
    assert wait_for(lambda: processes_in(hf_project.root) == [], 30, 0.2), processes_in(hf_project.root)
