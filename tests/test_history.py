"""Run history through real doit runs: success, up-to-date, failure and SIGTERM mid-run."""

import signal
import sqlite3
import time

from pipeline.runs.history import History
from tests.test_incremental import ran


def history(project):
    return History(project.path("data/runs.sqlite3"))


def test_success_and_up_to_date_runs_are_recorded_with_metadata(toy_project):
    assert toy_project.doit().returncode == 0
    assert toy_project.doit().returncode == 0
    store = history(toy_project)
    second, first = store.runs(2)
    assert (first.status, second.status) == ("success", "success")
    assert first.argv[-1].endswith("doit") or "doit" in " ".join(first.argv)
    tasks = {t.name: t for t in store.tasks(first.id)}
    assert {n: t.status for n, t in tasks.items()} == {"numbers": "success", "doubled": "success", "total": "success"}
    assert tasks["numbers"].metadata["rows"] == 3 and "read 3 numbers" in tasks["numbers"].stdout
    assert tasks["numbers"].duration is not None and tasks["numbers"].duration >= 0
    assert {t.status for t in store.tasks(second.id)} == {"up-to-date"}


def test_a_task_peak_memory_is_its_own_when_asked_for(toy_project):
    toy_project.path("ALLOC_numbers").write_text("300")
    assert toy_project.doit(env={"MLENTORY_TASK_PEAK_MEMORY": "1"}).returncode == 0
    store = history(toy_project)
    tasks = {t.name: t.metadata for t in store.tasks(store.run().id)}
    # one process ran all three: the later tasks do not inherit the first one's 300 MiB
    assert tasks["numbers"]["peak_rss_mib"] >= 300
    assert tasks["doubled"]["peak_rss_mib"] < tasks["numbers"]["peak_rss_mib"] - 200
    assert toy_project.doit("forget", "--all").returncode == 0 and toy_project.doit().returncode == 0
    assert "peak_rss_mib" not in next(iter(store.tasks(store.run().id))).metadata  # off by default


def test_a_task_records_its_cpu_seconds_apart_from_its_wall_seconds(toy_project):
    """What benchmarks compare on a shared machine: waiting (here a sleep, there the hypervisor) is in a
    task's seconds, not in its CPU seconds."""
    toy_project.path("SLOW_numbers").write_text("1")
    assert toy_project.doit().returncode == 0
    store = history(toy_project)
    numbers = {t.name: t.metadata for t in store.tasks(store.run().id)}["numbers"]
    assert numbers["seconds"] >= 1 and 0 <= numbers["cpu_seconds"] < 0.5


def test_failed_run_records_the_error_and_skips_downstream(toy_project):
    toy_project.path("FAIL_doubled").write_text("disk on fire")
    assert toy_project.doit().returncode != 0
    store = history(toy_project)
    run = store.run()
    assert run.status == "failed"
    tasks = {t.name: t for t in store.tasks(run.id)}
    assert tasks["numbers"].status == "success"
    assert tasks["doubled"].status == "failed"
    assert "RuntimeError: disk on fire" in tasks["doubled"].error and "Traceback" in tasks["doubled"].error
    assert tasks["total"].status == "skipped"


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def task_status(project, name):
    path = project.path("data/runs.sqlite3")
    if not path.exists():
        return None
    with sqlite3.connect(path) as db:
        try:
            row = db.execute("SELECT status FROM tasks WHERE name=? ORDER BY started DESC LIMIT 1", (name,)).fetchone()
        except sqlite3.OperationalError:  # the run created the file and is creating its tables
            return None
    return row[0] if row else None


def test_sigterm_mid_run_is_recorded_as_interrupted_and_doit_state_is_saved(toy_project):
    toy_project.path("SLOW_doubled").write_text("60")
    process = toy_project.popen()
    assert wait_for(lambda: task_status(toy_project, "doubled") == "running"), "doubled never started"
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode != 0
    assert "recorded as interrupted" in err and "Traceback" not in err
    store = history(toy_project)
    run = store.run()
    assert run.status == "interrupted"
    assert {t.name: t.status for t in store.tasks(run.id)} == {"numbers": "success", "doubled": "interrupted",
                                                              "total": "skipped"}
    assert not list(toy_project.path("data").glob(".*staging"))
    # doit saved its state for what finished: numbers is not rebuilt
    toy_project.path("SLOW_doubled").unlink()
    assert ran(toy_project.doit()) == {"doubled", "total"}


def test_up_to_date_tasks_are_in_the_history_while_the_run_goes_on(toy_project):
    """Up-to-date tasks are written together, with the next row of the run: a task that starts after
    them finds them recorded, and a run of nothing but up-to-date tasks records them all."""
    from tests.faults.helpers import wait_for
    assert toy_project.doit().returncode == 0
    assert toy_project.doit("forget", "total").returncode == 0
    toy_project.path("SLOW_total").write_text("5")
    run = toy_project.popen()
    try:
        def seen():
            store = History.reader(toy_project.path("data/runs.sqlite3"), timeout=1)
            try:
                latest = store.run()
                return latest.status == "running" and {t.name: t.status for t in store.tasks(latest.id)}
            finally:
                store.close()
        statuses = wait_for(lambda: (s := seen()) and s.get("total") == "running" and s, 30)
        assert statuses == {"numbers": "up-to-date", "doubled": "up-to-date", "total": "running"}
    finally:
        run.communicate(timeout=60)
    assert run.returncode == 0
    assert {t.name: t.status for t in history(toy_project).tasks(history(toy_project).run().id)} == \
        {"numbers": "up-to-date", "doubled": "up-to-date", "total": "success"}
