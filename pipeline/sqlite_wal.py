"""Opening the project's SQLite files (run history, schedules, output ledger) from many processes.

Several processes open these files at once: doit's workers, `doit status` run by a UI server while
another UI server starts a run, the scheduler. SQLite's busy timeout covers most waits, but not
all: a connection that must upgrade its lock while another one does too (switching a new file to
WAL, creating the tables) gets "database is locked" at once, because waiting could deadlock. So the
opening steps are retried, each time from the start, until the timeout.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

RETRY_FIRST_S = 0.01
RETRY_MOST_S = 0.25


def open_wal(path: Path, schema: str, timeout: float = 30) -> sqlite3.Connection:
    """An autocommit connection to the SQLite file at `path` (created if missing) in WAL mode, with
    `schema` (idempotent statements) applied. Raises sqlite3.OperationalError if the file is still
    locked after `timeout` seconds."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    deadline = time.monotonic() + timeout
    delay = RETRY_FIRST_S
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # WAL is kept in the file
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL keeps the file whole on a crash without full syncs
            db.executescript(schema)
            return db
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() >= deadline:
                db.close()
                raise
            if db.in_transaction:
                db.rollback()
            time.sleep(delay)
            delay = min(delay * 2, RETRY_MOST_S)
