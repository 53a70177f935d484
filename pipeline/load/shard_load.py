"""Load one shard of the normalized catalog into a target, sending only what changed.

Each loader sub-task keeps, beside its receipt, the digest of every record it loaded. If the
target still holds that receipt (nobody wiped or replaced it), only records whose digest changed
are sent and ids that left the shard are retired; otherwise the whole shard is sent and the target
retires whatever it holds for the shard that is no longer in it.

A sink (`pipeline/load/base.py: ShardSink`, built from settings and the loader's name, connecting
on first use) gets `records` as an iterable read once, so an unsharded loader of a large catalog need
not hold it; `vanished` None means "find them yourself". A sink may hold records back and send them
with other shards' (the graph does, a round trip per statement being its cost); what it returns for a
shard, rejected ids included, is read only after `sink.flush()`, and its rejects go to the shard's file then.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.digests import streaming_digest
from pipeline.load import receipts
from pipeline.load.base import ShardSink
from pipeline.registry import code_fingerprint
from pipeline.transform.normalized_shards import iter_records
from pipeline.storage import ParquetSource, read_parquet

LOADED_SCHEMA = pa.schema([("id", pa.string()), ("digest", pa.string())])
# The digests of a shard (or of a whole catalog, for an unsharded loader) stay in Arrow: only the
# ids that changed or left become Python objects.


def _previously_loaded(path) -> pa.Table:
    if not path.exists():
        return LOADED_SCHEMA.empty_table()
    return read_parquet(path, columns=LOADED_SCHEMA.names).cast(LOADED_SCHEMA)


def current_digests(path, id_column: str, extra: pa.Array | None = None) -> pa.Table:
    """(id, digest) of every record of a source file; `extra` (a string per row, in the file's order, or
    null) adds to a row's digest what else the loaded form depends on (e.g. titles of linked entities)."""
    table = read_parquet(path, columns=[id_column, "record_digest"])
    ids, digests = table.column(id_column).cast(pa.string()), table.column("record_digest").cast(pa.string())
    if extra is not None:
        if len(extra) != len(ids):
            raise ValueError(f"{len(extra)} extra digests for the {len(ids)} records of {path}")
        extras = pc.if_else(pc.equal(extra, ""), pa.scalar(None, pa.string()), extra)
        digests = pc.if_else(pc.is_null(extras), digests, pc.binary_join_element_wise(digests, extras, "+"))
    return pa.Table.from_arrays([ids, digests], schema=LOADED_SCHEMA)


def changes(current: pa.Table, before: pa.Table) -> tuple[set[str], list[str]]:
    """(ids whose digest differs from `before` or that are new, ids of `before` no longer present).
    Set lookups of (id, digest) pairs: a join cost 1-2 ms for a shard's 400 rows, twice per shard a run."""
    def pairs(table: pa.Table) -> pa.ChunkedArray:
        return pc.binary_join_element_wise(table["id"], table["digest"], "\x00")

    changed = pc.fill_null(pc.invert(pc.is_in(pairs(current), value_set=pairs(before).combine_chunks())), True)
    wanted = set(pc.filter(current["id"], changed).to_pylist())
    gone = pc.invert(pc.is_in(before["id"], value_set=current["id"].combine_chunks()))
    return wanted, sorted(pc.filter(before["id"], gone).to_pylist())


def load_id(loaded: pa.Table) -> str:
    """A digest of what was loaded (ids and record digests), without joining it into one string."""
    digest = streaming_digest()
    lines = pc.binary_join_element_wise(loaded["id"], loaded["digest"], " ")
    for start in range(0, len(lines), 50_000):
        digest.update((("\n" if start else "") + "\n".join(lines[start:start + 50_000].to_pylist())).encode())
    return digest.hexdigest()


def load_shard(ctx, sink: ShardSink, target: dict, source: str = "hf_models_normalized", id_column: str = "identifier",
               extra=None, noun: str = "models", leave_out=None) -> dict:
    """Bring the target's copy of the task's shards up to date: one shard (a shard sub-task), every shard
    of a sharded `source` (a loader run as one task), or the whole `source` (an unsharded loader).
    Returns the counts (a shard's are also in its receipt; several shards' are summed).

    `extra(path)` gives, per record in the file's order, what else the loaded form depends on (it joins
    the record digest; null for nothing);
    `leave_out(path)` the ids the target must not hold (they are removed from it like records that
    left the source). One task loads all its shards through one connection and makes them durable
    once (`sink.flush()`: one commit, one refresh), then writes their receipts: a receipt never
    names a load the target could still lose."""
    code = code_fingerprint(ctx.asset)
    # what the target marks the records with: a platform's own, so loaders of two platforms never
    # retire each other's models (the Hub's keep the bare shard label they always had)
    platform = source.split("_", 1)[0]
    sent, done = [], []
    try:
        remote = sink.read_receipts()
        for shard, path in _shards(ctx, source):
            scope = shard if platform == "hf" else f"{platform}:{shard}"
            sent.append(_send_one(ctx, sink, target, code, shard, scope, path, remote.get(shard), id_column,
                                  extra, leave_out))
        sink.flush()  # a sink may hold records back to send them with other shards': each result is final now
        done = [_concluded(ctx, code, target, noun, leave_out, *one) for one in sent]
        sink.write_receipts(dict(done))
    finally:
        sink.close()
    for shard, receipt in done:
        receipts.write_local(ctx.output("receipt", shard), receipt)
    counts = [receipt["counts"] for _, receipt in done]
    return counts[0] if len(counts) == 1 else _summed(counts, noun)


def _shards(ctx, source: str) -> list[tuple[str, object]]:
    """(receipt label, input file) of every shard this task loads."""
    if ctx.shard is not None:
        return [(ctx.shard, ctx.input(source))]
    output = next(o for o in ctx.registry[source].outputs.values() if not o.side)
    if output.sharded:
        return [(label, path) for label, path in ctx.inputs(source)]
    return [(receipts.WHOLE, ctx.input(source))]


def _summed(counts: list[dict], noun: str) -> dict:
    """Several shards' counts as one: sums, the mode they share (else `mixed`), and how many shards sent
    something."""
    total: dict = {}
    for one in counts:
        for key, value in one.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
    modes = {one.get("mode") for one in counts}
    total["mode"] = modes.pop() if len(modes) == 1 else "mixed"
    total["shards"] = len(counts)
    total["shards_sent"] = sum(1 for one in counts if one.get("sent") or any(
        v for k, v in one.items() if k.endswith("_retired")))
    return {noun: total.pop(noun, 0), **total}


def _send_one(ctx, sink: ShardSink, target: dict, code: str, shard: str, scope: str, path, remote: dict | None,
              id_column: str, extra, leave_out) -> tuple:
    """Hand one shard's changes to the sink; what `_concluded` needs once the sink has flushed."""
    local = receipts.read_local(ctx.final_path("receipt", shard))
    # only what changed is sent if the target holds the last load and the loader's code is the same
    incremental = (local is not None and local.get("target") == target and local.get("code") == code
                   and receipts.same_load(local, remote))
    with ParquetSource(path) as source:  # read three or four times below: opened once
        current = current_digests(source, id_column, extra(source) if extra else None)
        left_out = leave_out(source) if leave_out else []
        if left_out:
            current = current.filter(pc.invert(pc.is_in(current["id"], value_set=pa.array(left_out, pa.string()))))
        wanted, vanished = changes(current, _previously_loaded(ctx.final_path("loaded", shard))) \
            if incremental else (None, None)
        sent = current.num_rows if wanted is None else len(wanted)
        nothing_to_do = incremental and not wanted and not vanished
        rejects = io.StringIO()  # written to the shard's rejects file once the sink has flushed
        if wanted is None and left_out:  # a full load sends every record but those left out
            wanted = set(current["id"].to_pylist())
        records = iter_records(source, wanted, id_column, sink.fields)
        result = {} if nothing_to_do else sink.load(scope, records, vanished, current["id"].to_pylist(), rejects)
    # what the shard holds is written now, not kept until the sink flushes: a task loading every shard
    # of a 2M catalog held 2M ids and digests that long (its file is rewritten if the sink refuses some)
    _write_loaded(current, ctx.output("loaded", shard))
    return shard, (current.num_rows, load_id(current)), sent, incremental, left_out, result, rejects


def _write_loaded(loaded: pa.Table, path) -> None:
    pq.write_table(loaded, path, compression="zstd", use_dictionary=False,
                   write_statistics=False)  # ids and digests: unique values, and nothing filters on them


def _concluded(ctx, code: str, target: dict, noun: str, leave_out, shard: str, current: tuple[int, str], sent: int,
               incremental: bool, left_out: list, result: dict, rejects: io.StringIO) -> tuple[str, dict]:
    """One shard's receipt, once the sink has said which records it refused (`current`: how many records
    the shard has and the load id of all of them); (shard, receipt)."""
    ctx.output("rejects", shard).write_text(rejects.getvalue(), encoding="utf-8")
    result = dict(result)
    refused = result.pop("rejected_ids", [])
    records, loaded_id = current
    loaded = records
    if refused:  # the target holds the shard but these: its loaded file says so
        path = ctx.output("loaded", shard)
        table = _previously_loaded(path)
        table = table.filter(pc.invert(pc.is_in(table["id"], value_set=pa.array(refused, pa.string()))))
        _write_loaded(table, path)
        loaded, loaded_id = table.num_rows, load_id(table)
    counts = {noun: loaded, "sent": sent, "unchanged": records - sent,
              "rejected": len(set(refused)), "mode": "incremental" if incremental else "full",
              **({"left_out": len(left_out)} if leave_out else {}), **result}
    receipt = {"loader": ctx.asset.name, "target": target, "shard": shard, "load_id": loaded_id,
               "code": code, "counts": counts,
               "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    return shard, receipt
