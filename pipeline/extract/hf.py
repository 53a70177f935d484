"""Hugging Face Hub source: model metadata from the list endpoint plus each model card's README.

Live, it pages through `GET /api/models?full=true&cardData=true&sort=lastModified` with
`huggingface_hub`'s own pagination and retrying HTTP helper (backoff on 408/429/5xx), honouring
HF_ENDPOINT and HF_TOKEN. With HF_HUB_OFFLINE=1 it reads the bundled snapshot, which has the same
shape. Each record keeps the item's raw JSON, so no field the Hub sends is lost.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator

import pyarrow as pa
from huggingface_hub import hf_hub_url
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import build_hf_headers, http_backoff, httpx, paginate

from pipeline.config import Settings
from pipeline.extract.snapshot import model_pages, readme_bundle, snapshot_dir
from pipeline.registry import PipelineError

RETRY_STATUS = (408, 429, 500, 502, 503, 504)
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
README_WORKERS = 8

RAW_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("last_modified", pa.string()),
    pa.field("raw_json", pa.string(), nullable=False),
    pa.field("readme", pa.large_string()),
    pa.field("readme_status", pa.string(), nullable=False),
])


@dataclass
class RawModel:
    id: str
    last_modified: str | None
    raw_json: str
    readme: str | None
    readme_status: str  # ok | missing | forbidden | error: <reason> | not fetched


def _split_valid(items: Iterable) -> tuple[list[dict], list[dict]]:
    """Items the pipeline can key (a dict with a string id) and quarantine entries for the rest."""
    good, bad = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            bad.append({"id": None, "path": f"/{index}", "reason": f"item is a {type(item).__name__}, not an object",
                        "raw": json.dumps(item, ensure_ascii=False, default=str)[:2000]})
        elif not isinstance(item.get("id"), str) or not _REPO_ID.match(item["id"]) or ".." in item["id"]:
            bad.append({"id": item.get("id") if isinstance(item.get("id"), str) else None, "path": f"/{index}/id",
                        "reason": f"item has no valid repo 'id' (got {item.get('id')!r})",
                        "raw": json.dumps(item, ensure_ascii=False, default=str)[:2000]})
        else:
            good.append(item)
    return good, bad


def _raw(item: dict, readme: str | None, status: str) -> RawModel:
    return RawModel(item["id"], item.get("lastModified"), json.dumps(item, ensure_ascii=False), readme, status)


def iter_snapshot(settings: Settings, rejected: list[dict]) -> Iterator[RawModel]:
    """The snapshot's models page by page (memory bounded by one page); bad items go to `rejected`."""
    root = snapshot_dir(settings)
    pages = model_pages(root)
    if not pages:
        raise PipelineError(f"the snapshot {root} has no api/models*.json page")
    for page in pages:
        try:
            items = json.loads(page.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PipelineError(f"cannot read the snapshot page {page}: {exc}") from exc
        if not isinstance(items, list):
            raise PipelineError(f"the snapshot page {page} is not a JSON array of model items")
        good, bad = _split_valid(items)
        rejected += [{**entry, "page": page.name} for entry in bad]
        bundle = readme_bundle(root, page)
        cards = {}
        if bundle.exists():
            with bundle.open(encoding="utf-8") as fh:
                cards = {entry["id"]: entry["readme"] for entry in map(json.loads, fh)}
        for item in good:
            if bundle.exists():
                text = cards.get(item["id"])
            else:
                path = root / "readmes" / item["id"] / "README.md"
                text = path.read_text(encoding="utf-8") if path.exists() else None
            yield _raw(item, text, "ok" if text is not None else "missing")


def _hub_error(settings: Settings, exc: Exception) -> PipelineError:
    if isinstance(exc, HfHubHTTPError) and exc.response is not None and exc.response.status_code in (401, 403):
        return PipelineError(
            f"the Hugging Face Hub at {settings.hf_endpoint} refused the request "
            f"({exc.response.status_code}): check HF_TOKEN")
    return PipelineError(
        f"cannot reach the Hugging Face Hub at {settings.hf_endpoint}: {exc.__class__.__name__}: {exc} - "
        "check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to build from the bundled snapshot")


def iter_hub_models(settings: Settings) -> Iterator[dict]:
    """Raw model items from the list endpoint, most recently modified first, all pages."""
    params: dict = {"full": True, "cardData": True, "sort": "lastModified"}
    if settings.hf_filter:
        params["filter"] = list(settings.hf_filter)
    if settings.hf_author:
        params["author"] = settings.hf_author
    if settings.hf_search:
        params["search"] = settings.hf_search
    if settings.hf_limit:
        params["limit"] = min(settings.hf_limit, 1000)
    headers = build_hf_headers(token=settings.hf_token)
    items = paginate(f"{settings.hf_endpoint}/api/models", params=params, headers=headers,
                     timeout=settings.hf_timeout_s)
    yield from (islice(items, settings.hf_limit) if settings.hf_limit else items)


def fetch_readme(settings: Settings, repo_id: str) -> tuple[str | None, str]:
    """A model card's README text and a status; a missing card is a status, not an error."""
    url = hf_hub_url(repo_id, "README.md", endpoint=settings.hf_endpoint)
    try:
        response = http_backoff("GET", url, headers=build_hf_headers(token=settings.hf_token),
                                retry_on_status_codes=RETRY_STATUS, timeout=settings.hf_timeout_s,
                                follow_redirects=True)
    except (httpx.TimeoutException, httpx.NetworkError) as exc:
        return None, f"error: {exc.__class__.__name__}"
    if response.status_code == 404:
        return None, "missing"
    if response.status_code in (401, 403):
        return None, "forbidden"
    if response.status_code >= 400:
        return None, f"error: HTTP {response.status_code}"
    return response.text, "ok"


def iter_hub(settings: Settings, rejected: list[dict]) -> Iterator[RawModel]:
    """Live harvest: list models page by page and fetch their READMEs concurrently, chunk by chunk."""
    try:
        items = iter_hub_models(settings)
        while chunk := list(islice(items, README_WORKERS * 8)):
            good, bad = _split_valid(chunk)
            rejected += bad
            if not settings.hf_fetch_readme:
                yield from (_raw(item, None, "not fetched") for item in good)
                continue
            with ThreadPoolExecutor(README_WORKERS) as pool:
                readmes = list(pool.map(lambda item: fetch_readme(settings, item["id"]), good))
            yield from (_raw(item, text, status) for item, (text, status) in zip(good, readmes))
    except (HfHubHTTPError, httpx.HTTPError, OSError) as exc:
        raise _hub_error(settings, exc) from exc


def harvest(settings: Settings, rejected: list[dict]) -> Iterator[RawModel]:
    """Raw models in source order, each id once (the first listing is the newest); bad items to `rejected`."""
    seen: set[str] = set()
    source = iter_snapshot(settings, rejected) if settings.hf_offline else iter_hub(settings, rejected)
    for record in source:
        if record.id not in seen:
            seen.add(record.id)
            yield record


def batches(records: Iterator[RawModel], size: int) -> Iterator[pa.Table]:
    while chunk := list(islice(records, size)):
        yield to_table(chunk)


def to_table(records: list[RawModel]) -> pa.Table:
    return pa.Table.from_pylist([r.__dict__ for r in records], schema=RAW_SCHEMA)

