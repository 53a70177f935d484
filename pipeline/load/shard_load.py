"""Load one shard of the normalized catalog into a target, sending only what changed.

Each loader sub-task keeps, beside its receipt, the digest of every record it loaded. If the
target still holds that receipt (nobody wiped or replaced it), only records whose digest changed
are sent and ids that left the shard are retired; otherwise the whole shard is sent and the target
retires whatever it holds for the shard that is no longer in it.

A sink (built from settings and the loader's name, connecting on first use) has:
`read_receipts() -> {shard: receipt}`, `load(shard, records, vanished,
all_ids, rejects) -> counts` (`records` an iterable read once, so an unsharded loader of a large
catalog need not hold it; `vanished` None means "find them yourself"),
`write_receipt(shard, receipt)` and `close()`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.load import receipts
from pipeline.registry import code_fingerprint
from pipeline.transform.normalized_shards import changed_rows, iter_records

LOADED_SCHEMA = pa.schema([("id", pa.string()), ("digest", pa.string())])
_REMOTE: dict[tuple, dict] = {}  # receipts read from a target, once per process (see target_holds)


def _previously_loaded(path) -> dict[str, str]:
    if not path.exists():
        return {}
    table = pq.read_table(path)
    return dict(zip(table.column("id").to_pylist(), table.column("digest").to_pylist()))


WHOLE = "all"  # the receipt label of an unsharded loader


def load_shard(ctx, sink, target: dict, source: str = "hf_models_normalized", id_column: str = "identifier",
               extra=None, noun: str = "models") -> dict:
    """Bring the target's copy of this shard (or of the whole `source` when the loader is unsharded) up
    to date; returns the counts (also in the receipt). `extra(path)` gives, per id, what else the
    loaded form depends on (it joins the record digest)."""
    shard = ctx.shard or WHOLE
    local = receipts.read_local(ctx.final_path("receipt"))
    code = code_fingerprint(ctx.asset)
    path = ctx.input(source)
    try:
        remote = sink.read_receipts().get(shard)
        # only what changed is sent if the target holds the last load and the loader's code is the same
        incremental = (local is not None and local.get("target") == target and local.get("code") == code
                       and receipts.same_load(local, remote))
        before = _previously_loaded(ctx.final_path("loaded")) if incremental else None
        ids, digests, wanted = changed_rows(path, before, id_column, extra(path) if extra else None)
        vanished = sorted(set(before) - set(ids)) if before is not None else None
        sent = len(ids) if wanted is None else len(wanted)
        with ctx.output("rejects").open("w", encoding="utf-8") as rejects:
            nothing_to_do = before is not None and not wanted and not vanished
            records = iter_records(path, wanted, id_column)
            result = {} if nothing_to_do else sink.load(shard, records, vanished, ids, rejects)
        refused = set(result.pop("rejected_ids", []))
        loaded = [(model, digest) for model, digest in zip(ids, digests) if model not in refused]
        counts = {noun: len(loaded), "sent": sent, "unchanged": len(ids) - sent,
                  "rejected": len(refused), "mode": "incremental" if incremental else "full", **result}
        load_id = hashlib.blake2b("\n".join(f"{m} {d}" for m, d in loaded).encode(), digest_size=8).hexdigest()
        receipt = {"loader": ctx.asset.name, "target": target, "shard": shard, "load_id": load_id, "code": code,
                   "counts": counts, "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        sink.write_receipt(shard, receipt)
    finally:
        sink.close()
    columns = [pa.array([m for m, _ in loaded], pa.string()), pa.array([d for _, d in loaded], pa.string())]
    pq.write_table(pa.Table.from_arrays(columns, schema=LOADED_SCHEMA), ctx.output("loaded"), compression="zstd")
    receipts.write_local(ctx.output("receipt"), receipt)
    return counts


def target_holds(settings, asset, shard: str, sink_factory, target: dict) -> bool:
    """doit's receipt check for one loader shard. The target's receipts are read once per process
    for all shards, so checking hundreds of shards costs one query, not hundreds."""
    local = receipts.read_local(settings.root / asset.outputs["receipt"].paths(settings.shard_labels, shard)[0])
    if local is None or local.get("target") != target:
        return False
    key = (str(settings.root), asset.name, json.dumps(target, sort_keys=True))
    if key not in _REMOTE:
        sink = sink_factory(settings, asset.name)
        try:
            _REMOTE[key] = sink.read_receipts()
        finally:
            sink.close()
    return receipts.same_load(local, _REMOTE[key].get(shard or WHOLE))
