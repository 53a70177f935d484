"""Load receipts: what was loaded where, kept both under data/load/ and inside the target itself.

doit's up-to-date check compares the two, so a wiped or replaced database makes the load stale
even though every local file is unchanged. Receipts never hold secrets (targets are redacted).
"""

from __future__ import annotations

import json
from pathlib import Path

WHOLE = "all"  # the receipt label of an unsharded loader
_REMOTE: dict[tuple, dict] = {}  # receipts read from a target, once per process (see target_holds)


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


def target_holds(settings, asset, shard: str | None, read_remote, target: dict) -> bool:
    """doit's receipt check for a loader task: one shard, or every shard a loader run as one task
    writes. `read_remote(settings, loader)` gives the target's receipts of the loader (shard ->
    receipt); it is called once per process for all shards, so checking hundreds of shards costs one
    query, not hundreds. Kept free of pyarrow and the targets' clients: every no-op run calls it."""
    output = asset.outputs["receipt"]
    labels = settings.shard_labels
    wanted = [(label, settings.root / path) for label, path in zip([shard] if shard else labels,
                                                                    output.paths(labels, shard))] \
        if output.sharded else [(WHOLE, settings.root / output.path)]
    local = {label: read_local(path) for label, path in wanted}
    if any(one is None or one.get("target") != target for one in local.values()):
        return False
    key = (str(settings.root), asset.name, json.dumps(target, sort_keys=True))
    if key not in _REMOTE:
        _REMOTE[key] = read_remote(settings, asset.name)
    return all(same_load(one, _REMOTE[key].get(label)) for label, one in local.items())
