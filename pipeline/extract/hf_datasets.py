"""Hugging Face Hub source for datasets: the metadata of every dataset a harvested model names.

Live, each id is one `GET /api/datasets/<id>` (`pipeline/extract/http.py`'s retry policy, redirects
followed: the Hub answers a dataset that moved to an organisation with a redirect, so the body's
`id` is where it lives now). Which held datasets changed since the last run is read from the
listing `GET /api/datasets?sort=lastModified&direction=-1`, newest first, down to the watermark
(the newest `lastModified` the previous listing showed). Offline, the bundled snapshot holds the same bodies under
`api/datasets/<id>.json`; an id without a file is one the Hub does not know (404). Rows keep the
raw JSON, so no field the Hub sends is lost.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

import pyarrow as pa
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import build_hf_headers, httpx

from pipeline.config import Settings
from pipeline.extract.fetch_cache import now, row_digest
from pipeline.extract.hf import hub_error
from pipeline.extract.http import RETRY_STATUS, paginate, request
from pipeline.extract.snapshot import snapshot_dir

WORKERS = 8
LISTING_PAGE = 1000
CLOCK_SKEW = timedelta(hours=1)  # listed modification times are the Hub's; leave room for lag
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
RAW_DATASETS_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),  # as the models name it
    pa.field("status", pa.string(), nullable=False),  # ok | missing | forbidden | not a repo id | error: ...
    pa.field("hub_id", pa.string()),  # where the Hub keeps it now (differs when it moved)
    pa.field("raw_json", pa.large_string()),
    pa.field("fetched_at", pa.string(), nullable=False),
    pa.field("digest", pa.string(), nullable=False),
])
_DIGESTED = ("id", "status", "hub_id", "raw_json")


def is_repo_id(value: str) -> bool:
    return bool(_REPO_ID.match(value)) and ".." not in value


def snapshot_file(settings: Settings, dataset_id: str) -> Path:
    return snapshot_dir(settings) / "api" / "datasets" / f"{dataset_id}.json"


def _row(dataset_id: str, status: str, body: str | None = None, problems: list[dict] | None = None) -> dict:
    """A raw row; a body that is not a dataset object is quarantined (into `problems`) and marked."""
    hub_id = None
    if body is not None:
        try:
            item = json.loads(body)
        except ValueError as exc:
            item, reason = None, f"response is not JSON: {exc}"
        else:
            reason = None if isinstance(item, dict) and isinstance(item.get("id"), str) \
                else "response is not a dataset object with a string 'id'"
        if reason:
            if problems is not None:
                problems.append({"id": dataset_id, "path": "/", "reason": reason, "raw": body[:2000]})
            return _row(dataset_id, f"error: {reason}")
        hub_id = item["id"]
    row = {"id": dataset_id, "status": status, "hub_id": hub_id, "raw_json": body, "fetched_at": now()}
    return {**row, "digest": row_digest(row, _DIGESTED)}


def read_snapshot(settings: Settings, dataset_id: str, problems: list[dict]) -> dict:
    path = snapshot_file(settings, dataset_id)
    if not path.is_file():
        return _row(dataset_id, "missing")
    return _row(dataset_id, "ok", path.read_text(encoding="utf-8"), problems)


def fetch_one(settings: Settings, dataset_id: str, problems: list[dict]) -> dict:
    url = f"{settings.hf_endpoint}/api/datasets/{dataset_id}"
    try:
        response = request("GET", url, headers=build_hf_headers(token=settings.hf_token),
                           retry_on_status=RETRY_STATUS, timeout=settings.hf_timeout_s, follow_redirects=True)
    except (httpx.TimeoutException, httpx.NetworkError) as exc:
        return _row(dataset_id, f"error: {exc.__class__.__name__}")
    not_found = response.headers.get("X-Error-Code") == "RepoNotFound"
    if response.status_code == 404 or (response.status_code == 401 and not_found):
        return _row(dataset_id, "missing")
    if response.status_code in (401, 403):
        return _row(dataset_id, "forbidden")
    if response.status_code >= 400:
        return _row(dataset_id, f"error: HTTP {response.status_code}")
    return _row(dataset_id, "ok", response.text, problems)


def fetch(settings: Settings, ids: list[str], problems: list[dict]) -> list[dict]:
    """Raw rows for `ids` (from the Hub, or the snapshot when offline); unusable bodies go to `problems`."""
    valid = [i for i in ids if is_repo_id(i)]
    rows = [_row(i, "not a repo id") for i in ids if not is_repo_id(i)]
    if settings.hf_offline:
        return rows + [read_snapshot(settings, i, problems) for i in valid]
    with ThreadPoolExecutor(WORKERS) as pool:
        return rows + list(pool.map(lambda i: fetch_one(settings, i, problems), valid))


def modified_since(settings: Settings, watermark: str | None, held: dict[str, dict]) -> tuple[list[str], str | None]:
    """(ids among `held` rows whose dataset changed since `watermark`, the next watermark), from the
    listing sorted newest first. A listed dataset whose `lastModified` is the one already held is not
    a change (the watermark is inclusive). Without a watermark only the newest item is read, to start one."""
    params = {"sort": "lastModified", "direction": -1, "expand": "lastModified",
              "limit": 1 if watermark is None else LISTING_PAGE}
    stop = None
    if watermark:
        stop = (datetime.fromisoformat(watermark.replace("Z", "+00:00")) - CLOCK_SKEW).strftime("%Y-%m-%dT%H:%M:%S")
    listed, newest = {}, None
    try:
        items = paginate(f"{settings.hf_endpoint}/api/datasets", params=params,
                         headers=build_hf_headers(token=settings.hf_token), timeout=settings.hf_timeout_s)
        for item in islice(items, 1) if watermark is None else items:
            modified = item.get("lastModified") if isinstance(item, dict) else None
            if not isinstance(modified, str):
                break  # nothing to order by: the age-based refresh covers the rest
            newest = newest or modified
            if stop is not None and modified[:19] < stop:
                break
            listed[item.get("id")] = modified
    except (HfHubHTTPError, httpx.HTTPError, OSError) as exc:
        raise hub_error(settings, exc) from exc
    changed = []
    for dataset_id, row in held.items():
        hub_id = row.get("hub_id") or dataset_id
        if hub_id in listed and listed[hub_id] != json.loads(row["raw_json"] or "{}").get("lastModified"):
            changed.append(dataset_id)
    return changed, newest or watermark
