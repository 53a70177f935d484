"""Hugging Face Hub source for base models that were not harvested: their item and model card.

A harvested model names its bases; a base outside the harvest would otherwise stay a stub known only
by its id. Each such base is fetched like a listed model (`GET /api/models/<id>` with the listing's
fields, and its README), and so, up to a bounded depth, are the bases those name in turn, so that a
lineage ends in described models. Offline, a snapshot may hold such bodies as `api/models/<id>.json`
beside its listing pages, with their cards under `readmes/`; an id without one is `missing`. Rows are
fetched once and reused (pipeline/extract/fetch_cache.py), like datasets and papers.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
from huggingface_hub.utils import httpx

from pipeline.config import Settings
from pipeline.extract import hf
from pipeline.extract.fetch_cache import now, row_digest
from pipeline.extract.snapshot import snapshot_dir

WORKERS = 8
RAW_BASE_MODELS_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),  # as a model names it
    pa.field("status", pa.string(), nullable=False),  # ok | missing | forbidden | not a repo id | error: ...
    pa.field("raw_json", pa.large_string()),  # the item, as the API gave it
    pa.field("readme", pa.large_string()),
    pa.field("readme_status", pa.string()),
    pa.field("fetched_at", pa.string(), nullable=False),
    pa.field("digest", pa.string(), nullable=False),
])
_DIGESTED = ("id", "status", "raw_json", "readme", "readme_status")


def _row(model_id: str, status: str, item: str | None = None, readme: str | None = None,
         readme_status: str | None = None) -> dict:
    row = {"id": model_id, "status": status, "raw_json": item, "readme": readme, "readme_status": readme_status,
           "fetched_at": now()}
    return {**row, "digest": row_digest(row, _DIGESTED)}


def read_snapshot(settings: Settings, model_id: str) -> dict:
    root = snapshot_dir(settings)
    body = root / "api" / "models" / f"{model_id}.json"
    if not body.is_file():
        return _row(model_id, "missing")
    card = root / "readmes" / model_id / "README.md"
    readme = card.read_text(encoding="utf-8") if card.is_file() else None
    return _row(model_id, "ok", body.read_text(encoding="utf-8"), readme, "ok" if readme is not None else "missing")


def fetch_one(settings: Settings, model_id: str) -> dict:
    try:
        item, status = hf.fetch_item(settings, model_id)
    except (httpx.TimeoutException, httpx.NetworkError) as exc:
        return _row(model_id, f"error: {exc.__class__.__name__}")
    if item is None:
        kind = "missing" if status.startswith("not on the Hub") else "forbidden" if "refused" in status else status
        return _row(model_id, kind if kind in ("missing", "forbidden") else f"error: {status}")
    readme, readme_status = hf.fetch_readme(settings, model_id) if settings.hf_fetch_readme else (None, "not fetched")
    return _row(model_id, "ok", json.dumps(item, ensure_ascii=False), readme, readme_status)


def fetch(settings: Settings, ids: list[str], problems: list[dict]) -> list[dict]:
    """Raw rows for `ids` (from the Hub, or the snapshot when offline)."""
    valid = [i for i in ids if hf.is_repo_id(i)]
    rows = [_row(i, "not a repo id") for i in ids if not hf.is_repo_id(i)]
    if settings.hf_offline:
        return rows + [read_snapshot(settings, i) for i in valid]
    with ThreadPoolExecutor(WORKERS) as pool:
        return rows + list(pool.map(lambda i: fetch_one(settings, i), valid))


def record(row: dict) -> dict | None:
    """The FAIR4ML record of a fetched base model (None when it was not fetched)."""
    if row["status"] != "ok" or not row["raw_json"]:
        return None
    from pipeline.transform.fair4ml import to_fair4ml
    item = json.loads(row["raw_json"])
    return to_fair4ml({**item, "id": row["id"]}, row["readme"])
