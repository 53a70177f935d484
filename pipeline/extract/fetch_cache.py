"""Fetch-once caches for enrichment sources (Hub datasets, arXiv papers): only new or stale ids go out.

An enrichment asset's previous output is its cache: each row keeps the id it was asked for, its
fetch status and when it was fetched. The next run fetches the referenced ids that are not in it,
those whose last fetch failed for a reason that may pass (network, 5xx), and, live, those older
than the refresh age; every other row is copied as it is. Ids no longer referenced are dropped.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# statuses that say something lasting about the id; any other (errors) is retried on the next run
SETTLED = ("ok", "missing", "forbidden", "not a repo id")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def row_digest(row: dict, fields: tuple[str, ...]) -> str:
    text = "\0".join(str(row.get(f)) for f in fields)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def read_previous(path: Path, schema: pa.Schema) -> dict[str, dict]:
    """The previous output's rows by id ({} when there is none or it was written with other columns)."""
    if not path.exists():
        return {}
    table = pq.read_table(path)
    if table.schema.names != schema.names:
        return {}
    return {row["id"]: row for row in table.to_pylist()}


def plan(referenced: list[str], previous: dict[str, dict], refresh: timedelta | None) -> tuple[list[str], list[str]]:
    """(ids to fetch, ids to reuse) for the referenced ids, in their given order."""
    cutoff = (datetime.now(timezone.utc) - refresh).isoformat(timespec="seconds") if refresh else None
    fetch, reuse = [], []
    for item in referenced:
        row = previous.get(item)
        stale = row is None or row["status"] not in SETTLED or (cutoff is not None and row["fetched_at"] < cutoff)
        (fetch if stale else reuse).append(item)
    return fetch, reuse


def write(path: Path, rows: list[dict], schema: pa.Schema) -> None:
    rows = sorted(rows, key=lambda row: row["id"])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, compression="zstd")
