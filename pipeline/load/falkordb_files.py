"""Where the embedded FalkorDB graph keeps its files, the load receipts cached beside its saved file, and
the early start of its server.

Apart from `falkordb.py` so that doit's up-to-date check of a no-op run reads the cached receipts
without importing the server's client (redis) or the graph model (pyarrow): 0.2 s of every no-op. The
run's main process starts the server early from here for the same reason: that import held doit's
dispatching of tasks for 0.25 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

RDB_NAME = "graph.rdb"
SERVER_FILE = "server.json"
RECEIPTS_CACHE = "receipts-cache.json"


def _rdb_stamp(directory: Path) -> list | None:
    try:
        stat = (directory / RDB_NAME).stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def cached_receipts(directory: Path) -> dict | None:
    """The receipts saved in the graph file, if no server is running and the file is as it was saved."""
    directory = Path(directory)
    if (directory / SERVER_FILE).exists():
        return None
    try:
        cache = json.loads((directory / RECEIPTS_CACHE).read_text())
    except (OSError, ValueError):
        return None
    stamp = _rdb_stamp(directory)
    return cache["receipts"] if stamp is not None and stamp == cache.get("rdb") else None


def _process_start(pid: int) -> int | None:
    """When the process started (clock ticks since boot), to tell it from a later one with its pid."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] == "Z" else int(fields[19])


def _owner() -> dict:
    """This process's run (pipeline/runs/lock.py) when it belongs to one, else this process."""
    from pipeline.runs.lock import run_pid
    pid = run_pid() or os.getpid()
    return {"pid": pid, "start": _process_start(pid)}


def _helper(directory: Path, *args: str) -> int:
    """Run `python -m pipeline.load.falkordb ARGS` on its own (the watchdog, or start_early's process)."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
    with (directory / "watchdog.log").open("a") as log:
        return subprocess.Popen([sys.executable, "-m", "pipeline.load.falkordb", *args], cwd=directory, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                start_new_session=True).pid


def start_early(directory: Path) -> bool:
    """Start the server in the background for this process's run, which will load the graph: a large
    graph file takes seconds to load, which then overlap the run's other tasks instead of delaying its
    loaders (the first one to open the store waits for the start under the directory lock, and finds
    the server up). False when there is no graph file to load yet. A start that fails is left to the
    loader, which reports it."""
    directory = Path(directory)
    if not (directory / RDB_NAME).exists() or (directory / SERVER_FILE).exists():
        return False
    _helper(directory, "--start", str(directory), json.dumps(_owner()))
    return True
