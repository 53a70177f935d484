"""Load receipts: what was loaded where, kept both under data/load/ and inside the target itself.

doit's up-to-date check compares the two, so a wiped or replaced database makes the load stale
even though every local file is unchanged. Receipts never hold secrets (targets are redacted).
"""

from __future__ import annotations

import json
from pathlib import Path


def read_local(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_local(path: Path, receipt: dict) -> None:
    path.write_text(json.dumps(receipt, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def same_load(local: dict | None, remote: dict | None) -> bool:
    """Does the target still hold exactly the load the local receipt describes?"""
    if not local or not remote:
        return False
    keys = ("loader", "target", "shard", "load_id", "loaded_at")
    return all(local.get(k) == remote.get(k) for k in keys)
