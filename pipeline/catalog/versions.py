"""A model's record through time: its earlier versions (the history outputs of its platform's normalized
asset: `data/history/hf/models-NNN.parquet` and `models-NNN.archive.parquet` for the Hub's sharded one)
and its current one, for `doit history` and the catalog's pages. Only the model's own shard is read."""

from __future__ import annotations

import json

from pipeline.errors import TargetUnavailable
from pipeline.shards import shard_of, shard_path
from pipeline.storage import read_parquet


def _normalized_asset(settings, model_id: str):
    """(the normalized asset of the model's platform, the label of the model's shard: "" when unsharded)."""
    from pipeline.assets import REGISTRY
    from pipeline.platforms import platform_of

    asset = REGISTRY[f"{platform_of(model_id)}_models_normalized"]  # where the records and their history live
    return asset, settings.shard_labels[shard_of(model_id, settings.shards)] if asset.sharded else ""


def current_record(settings, model_id: str) -> dict | None:
    """The model's record in its normalized shard (None when the shard does not hold it): the catalog's
    model page reads the fields the graph does not hold from it (pipeline/load/graph_model.py RECORD_ONLY)."""
    import pyarrow.compute as pc

    asset, label = _normalized_asset(settings, model_id)
    normalized = settings.root / shard_path(asset.outputs["parquet"].path, label)
    if not normalized.exists():
        return None
    try:
        table = read_parquet(normalized, columns=["identifier", "record"])
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise TargetUnavailable(f"the normalized records in {normalized} cannot be read "
                                f"({' '.join(str(exc).split())[:200]}) - run `doit {asset.name}` to write them again") from exc
    found = table.filter(pc.equal(table.column("identifier"), model_id)).column("record").to_pylist()
    return json.loads(found[0]) if found else None


def versions(settings, model_id: str) -> list[dict]:
    """Every version of a model's record, oldest first: {record, valid_from, valid_to, change}; the
    current one (if the model is in the catalog) last, with valid_to None. Times are the Hub's
    lastModified of each version (when a model left the catalog: when the catalog saw it gone)."""
    import pyarrow.compute as pc

    from pipeline.transform.normalized_shards import read_history

    asset, label = _normalized_asset(settings, model_id)
    found = []
    history = settings.root / shard_path(asset.outputs["history"].path, label)
    archive = settings.root / shard_path(asset.outputs["history_archive"].path, label)
    table = read_history(history, archive)
    for row in table.filter(pc.equal(table.column("identifier"), model_id)).to_pylist():
        found.append({**row, "record": json.loads(row["record"])})
    record = current_record(settings, model_id)
    if record is not None:
        found.append({"record": record, "valid_from": record.get("dateModified"), "valid_to": None,
                      "change": "current"})
    return found  # the history file keeps versions in the order they ended; the current one comes last


def differences(before: dict, after: dict) -> dict[str, tuple]:
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)}


def changes(found: list[dict]) -> list[dict]:
    """The versions without their records, each with what changed from the version before it
    ({field: [before, after]}; the first version has none)."""
    out = []
    for index, version in enumerate(found):
        changed = differences(found[index - 1]["record"], version["record"]) if index else {}
        out.append({"valid_from": version["valid_from"], "valid_to": version["valid_to"], "change": version["change"],
                    "changed": {field: list(pair) for field, pair in changed.items()}})
    return out
