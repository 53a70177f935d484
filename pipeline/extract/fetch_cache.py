"""Fetch-once caches for enrichment sources (Hub datasets, arXiv papers): only new or stale ids go out.

An enrichment asset's previous output is its cache: each row keeps the id it was asked for, its
fetch status and when it was fetched. The next run fetches the referenced ids that are not in it,
those whose last fetch failed for a reason that may pass (network, 5xx), live those older than the
refresh age, and those a source that can list its changes (the Hub's dataset listing) shows as
modified since the last run's watermark; every other row is copied as it is. Ids no longer
referenced are dropped.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.digests import text_digest
from pipeline.storage import read_parquet

# statuses that say something lasting about the id; any other (errors) is retried on the next run
SETTLED = ("ok", "missing", "forbidden", "not a repo id")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def row_digest(row: dict, fields: tuple[str, ...]) -> str:
    return text_digest(*(str(row.get(f)) for f in fields))


STATE_KEY = b"mlentory.state"


def read_state(path: Path) -> dict:
    """What the previous run noted beside its rows (e.g. a listing watermark); {} when nothing."""
    if not path.exists():
        return {}
    metadata = pq.read_schema(path).metadata or {}
    return json.loads(metadata[STATE_KEY]) if STATE_KEY in metadata else {}


def read_previous(path: Path, schema: pa.Schema) -> dict[str, dict]:
    """The previous output's rows by id ({} when there is none or it was written with other columns)."""
    if not path.exists():
        return {}
    table = read_parquet(path)
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


def write(path: Path, rows: list[dict], schema: pa.Schema, state: dict | None = None) -> None:
    rows = sorted(rows, key=lambda row: row["id"])
    table = pa.Table.from_pylist(rows, schema=schema)
    if state:
        table = table.replace_schema_metadata({STATE_KEY: json.dumps(state, sort_keys=True).encode()})
    pq.write_table(table, path, compression="zstd")


@dataclass
class Update:
    rows: list[dict]
    state: dict
    problems: list[dict]
    counts: dict


def update(settings, source, schema: pa.Schema, referenced: list[str], previous_path: Path, origin: str) -> Update:
    """The rows for `referenced` ids: the previous output's where they still hold, fetched otherwise.

    `source` has `fetch(settings, ids, problems)` and may have `modified_since(settings, watermark,
    held rows) -> (ids, watermark)` to re-fetch held entries the source lists as changed. `origin`
    names where rows come from: rows fetched from another origin are not reused."""
    state = read_state(previous_path)
    previous = read_previous(previous_path, schema) if state.get("origin") == origin else {}
    state = {"origin": origin, "watermark": state.get("watermark")} if previous else {"origin": origin}
    if settings.hf_offline:  # the snapshot is the source and reading it costs nothing: read every id again
        fetch, reuse = list(referenced), []
    else:
        fetch, reuse = plan(referenced, previous, timedelta(hours=settings.enrichment_refresh_hours))
    modified: list[str] = []
    if not settings.hf_offline and hasattr(source, "modified_since"):
        held = {i: previous[i] for i in reuse}
        modified, state["watermark"] = source.modified_since(settings, state.get("watermark") if held else None, held)
        fetch, reuse = fetch + modified, [i for i in reuse if i not in set(modified)]
    problems: list[dict] = []
    rows = source.fetch(settings, fetch, problems) + [previous[i] for i in reuse]
    if settings.hf_offline:  # an unchanged snapshot entry keeps its row, so the file stays byte for byte
        rows = [previous[r["id"]] if previous.get(r["id"], {}).get("digest") == r["digest"] else r for r in rows]
    statuses = Counter("error" if row["status"].startswith("error") else row["status"] for row in rows)
    counts = {"fetched": len(fetch), "reused": len(reuse), "modified_upstream": len(modified),
              "quarantined": len(problems), **statuses}
    return Update(rows, state, problems, counts)

