"""Raw model shards: harvested models routed by id into one Parquet file per shard, sorted by id.

The harvest streams models into per-shard spool files (small buffers, one Arrow stream per shard),
then writes each shard in one go, sorted by id with fixed row groups: the same models give the same
bytes, so a shard nobody touched keeps its file and doit reruns nothing downstream of it. An
incremental harvest merges its models into the previous shards and rewrites only those it touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from pipeline.extract.hf import RAW_SCHEMA, RawModel
from pipeline.shards import shard_of
from pipeline.storage import read_parquet

WHOLE = "all"  # the one label of an unsharded raw asset (a small platform's)
FLUSH_ROWS = 256  # rows buffered per shard before they go to its spool file
ROW_GROUP_ROWS = 2048
WRITERS = min(2, os.cpu_count() or 1)  # shards merged and written at once (each holds a whole shard in memory)


def write_table(table: pa.Table, path: Path) -> None:
    """Parquet written the same way every time, so equal tables give equal files."""
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_ROWS, use_dictionary=False,
                   write_statistics=False)  # nothing reads either: 25% less time writing and reading


class ShardSpool:
    """Append-only per-shard spools in a temporary folder; memory is bounded by the buffers."""

    def __init__(self, labels: list[str], directory: Path):
        self.labels = labels
        self.directory = Path(tempfile.mkdtemp(prefix=".spool-", dir=directory))
        self._buffers: list[list[dict]] = [[] for _ in labels]
        self._writers: dict[int, ipc.RecordBatchStreamWriter] = {}
        self.rows = [0] * len(labels)

    def add(self, record: RawModel) -> None:
        index = shard_of(record.id, len(self.labels))
        buffer = self._buffers[index]
        buffer.append(record.row())
        self.rows[index] += 1
        if len(buffer) >= FLUSH_ROWS:
            self._flush(index)

    def _flush(self, index: int) -> None:
        buffer = self._buffers[index]
        if not buffer:
            return
        writer = self._writers.get(index)
        if writer is None:
            writer = self._writers[index] = ipc.new_stream(self.directory / f"{index}.arrows", RAW_SCHEMA)
        writer.write_batch(pa.RecordBatch.from_pylist(buffer, schema=RAW_SCHEMA))
        buffer.clear()

    def table(self, index: int) -> pa.Table | None:
        """Everything spooled for one shard, in arrival order (None when nothing was)."""
        if not self.rows[index]:
            return None
        self._flush(index)
        self._writers.pop(index).close()
        with ipc.open_stream(self.directory / f"{index}.arrows") as reader:
            return reader.read_all()

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def first_copies(table: pa.Table) -> pa.Table:
    """Keep each id's first row (the newest copy, as listings come newest first)."""
    ids = table.column("id").to_pylist()
    if len(set(ids)) == len(ids):
        return table
    seen: set[str] = set()
    keep = [not (i in seen or seen.add(i)) for i in ids]
    return table.filter(pa.array(keep))


def merge(spooled: pa.Table, previous: pa.Table | None) -> pa.Table:
    """The shard after a harvest: new copies replace previous rows with the same id; sorted by id."""
    spooled = first_copies(spooled)
    if previous is not None and previous.num_rows:
        untouched = previous.filter(pc.invert(pc.is_in(previous.column("id"), spooled.column("id"))))
        spooled = pa.concat_tables([untouched.select(RAW_SCHEMA.names).cast(RAW_SCHEMA), spooled])
    return spooled.sort_by("id")


def write_shards(records: Iterable[RawModel], labels: list[str], scratch: Path,
                 previous: Callable[[str], Path] | None, output: Callable[[str], Path],
                 keep: Callable[[str], None]) -> dict:
    """Route `records` into shards and write them; with `previous` (an incremental harvest) a shard
    that received nothing is kept as it is and the others are merged into their previous file."""
    spool = ShardSpool(labels, scratch)
    try:
        received = 0
        for record in records:
            spool.add(record)
            received += 1
        models = rewritten = 0
        jobs = []
        for index, label in enumerate(labels):
            if not spool.rows[index] and previous is not None:
                keep(label)
                models += pq.ParquetFile(previous(label)).metadata.num_rows
                continue
            jobs.append((index, previous(label) if previous is not None else None, output(label)))

        def rewrite(job) -> int:
            index, before, path = job
            table = spool.table(index)
            shard = merge(table if table is not None else RAW_SCHEMA.empty_table(),
                          read_parquet(before) if before is not None else None)
            write_table(shard, path)
            return shard.num_rows

        # Arrow reads, sorts, compresses and writes without holding the GIL: the shards of a harvest, which
        # every other asset waits for, are merged and written a few at a time
        with ThreadPoolExecutor(max_workers=min(WRITERS, len(jobs) or 1)) as pool:
            for rows in pool.map(rewrite, jobs):
                models += rows
                rewritten += 1
        return {"received": received, "models": models, "shards_rewritten": rewritten}
    finally:
        spool.close()
