"""Many processes opening the same new SQLite file at once (doit's workers, a UI server's `doit
status` beside another server's run) must all get a working connection, never "database is locked"."""
import multiprocessing
import sqlite3

from pipeline.sqlite_wal import open_wal

SCHEMA = "CREATE TABLE IF NOT EXISTS seen (pid INTEGER PRIMARY KEY);"
PROCESSES = 8
TRIALS = 40  # opening without retries failed in about 1 trial in 10 here (8 processes on 2 cores)


def _open_and_write(path, barrier, answers):
    import os
    barrier.wait()
    try:
        db = open_wal(path, SCHEMA, timeout=30)
        db.execute("INSERT INTO seen VALUES (?)", (os.getpid(),))
        db.close()
        answers.put("ok")
    except Exception as exc:  # noqa: BLE001 - the answer is what the test reads
        answers.put(repr(exc))


def test_processes_opening_a_new_file_at_once_all_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    failures = []
    for trial in range(TRIALS):
        path = tmp_path / f"trial-{trial}.sqlite3"
        barrier, answers = context.Barrier(PROCESSES), context.Queue()
        workers = [context.Process(target=_open_and_write, args=(path, barrier, answers)) for _ in range(PROCESSES)]
        for worker in workers:
            worker.start()
        results = [answers.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join()
        failed = [r for r in results if r != "ok"]
        failures += failed
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM seen").fetchone()[0] == PROCESSES - len(failed)
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert failures == []


def test_a_file_locked_past_the_timeout_is_an_error_not_a_hang(tmp_path):
    path = tmp_path / "held.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        try:
            open_wal(path, SCHEMA, timeout=0.5)
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
        else:
            raise AssertionError("opened a file another connection holds exclusively")
    finally:
        holder.rollback()
        holder.close()
    assert open_wal(path, SCHEMA, timeout=5).execute("SELECT count(*) FROM seen").fetchone() == (0,)
