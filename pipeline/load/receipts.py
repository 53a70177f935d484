"""Load receipts: what was loaded where, kept both under data/load/ and inside the target itself.

doit's up-to-date check compares the two, so a wiped or replaced database makes the load stale
even though every local file is unchanged. Receipts never hold secrets (targets are redacted).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from pipeline.storage import file_digest


def make_receipt(loader: str, target: dict, input_path: Path, counts: dict) -> dict:
    digest = file_digest(input_path)
    return {"loader": loader, "target": target, "input": str(input_path.name), "input_digest": digest,
            "load_id": digest[:16], "counts": counts,
            "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def load_id_for(input_path: Path) -> str:
    """Same input, same load id: reloading identical data changes no property in the target."""
    return file_digest(input_path)[:16]


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
    keys = ("loader", "target", "input_digest", "load_id", "loaded_at")
    return all(local.get(k) == remote.get(k) for k in keys)
