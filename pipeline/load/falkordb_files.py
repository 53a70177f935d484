"""Where the embedded FalkorDB graph keeps its files, and the load receipts cached beside its saved file.

Apart from `falkordb.py` so that doit's up-to-date check of a no-op run reads the cached receipts
without importing the server's client (redis) or the graph model (pyarrow): 0.2 s of every no-op.
"""

from __future__ import annotations

import json
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
