"""Hugging Face Hub source: model metadata from the list endpoint plus each model card's README.

Live, it pages through `GET /api/models?full=true&cardData=true&sort=lastModified` through
`pipeline/extract/http.py` (backoff on 408/429/5xx and timeouts; a refused connection fails at
once), honouring HF_ENDPOINT and HF_TOKEN. With HF_HUB_OFFLINE=1 it reads the bundled snapshot, which has the same
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
from huggingface_hub.utils import build_hf_headers, httpx

from pipeline.config import Settings, redact_url
from pipeline.digests import text_digest
from pipeline.extract.http import RETRY_STATUS, paginate, request
from pipeline.errors import PipelineError, SettingsError
from pipeline.extract.snapshot import model_pages, readme_bundle, snapshot_dir

_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
README_WORKERS = 8

RAW_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("last_modified", pa.string()),
    pa.field("raw_json", pa.string(), nullable=False),
    pa.field("readme", pa.large_string()),
    pa.field("readme_status", pa.string(), nullable=False),
    # digest of everything above: downstream shards rebuild only the rows whose digest changed
    pa.field("digest", pa.string(), nullable=False),
])
ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def is_repo_id(value) -> bool:
    return isinstance(value, str) and bool(_REPO_ID.match(value)) and ".." not in value


@dataclass
class RawModel:
    id: str
    last_modified: str | None
    raw_json: str
    readme: str | None
    readme_status: str  # ok | missing | forbidden | error: <reason> | not fetched

    @property
    def digest(self) -> str:
        return text_digest(self.id, self.last_modified or "", self.raw_json, self.readme or "", self.readme_status)

    def row(self) -> dict:
        return {**self.__dict__, "digest": self.digest}


def older_than(item: dict, since: str | None) -> bool:
    """Was the item last modified before the watermark? (Items without a usable date never are.)"""
    value = item.get("lastModified") if isinstance(item, dict) else None
    return bool(since and isinstance(value, str) and ISO_SECONDS.match(value) and value[:19] < since[:19])


def newer_items(items: Iterable, since: str | None) -> Iterator:
    """The listing (newest first) up to the first item older than the watermark `since`."""
    for item in items:
        if older_than(item, since):
            return
        yield item


def _split_valid(items: Iterable) -> tuple[list[dict], list[dict]]:
    """Items the pipeline can key (a dict with a string id) and quarantine entries for the rest."""
    good, bad = [], []
    for index, item in enumerate(items):
        if isinstance(item, dict) and "id" not in item and isinstance(item.get("modelId"), str):
            item = {**item, "id": item["modelId"]}  # the listing's older shape named the repo only `modelId`
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


def iter_snapshot(settings: Settings, rejected: list[dict], since: str | None = None) -> Iterator[RawModel]:
    """The snapshot's models page by page (memory bounded by one page); bad items go to `rejected`.

    Like the API's listing, a snapshot lists the most recently modified models first, so reading
    stops at the first item older than `since`.
    """
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
        newer = list(newer_items(items, since))
        good, bad = _split_valid(newer)
        rejected += [{**entry, "page": page.name} for entry in bad]
        bundle = readme_bundle(root, page)
        cards = {}
        if good and bundle.exists():  # no item of the page is new: its cards are not read
            with bundle.open(encoding="utf-8") as fh:
                cards = {entry["id"]: entry["readme"] for entry in map(json.loads, fh)}
        for item in good:
            if bundle.exists():
                text = cards.get(item["id"])
            else:
                path = root / "readmes" / item["id"] / "README.md"
                text = path.read_text(encoding="utf-8") if path.exists() else None
            yield _raw(item, text, "ok" if text is not None else "missing")
        if len(newer) < len(items):
            return


def hub_error(settings: Settings, exc: Exception) -> PipelineError:
    """One line for a failed Hub request; the endpoint and the error text without credentials."""
    endpoint = redact_url(settings.hf_endpoint)
    if isinstance(exc, HfHubHTTPError) and exc.response is not None and exc.response.status_code in (401, 403):
        return PipelineError(
            f"the Hugging Face Hub at {endpoint} refused the request "
            f"({exc.response.status_code}): check HF_TOKEN")
    detail = settings.redact(" ".join(str(exc).split()))
    return PipelineError(
        f"cannot reach the Hugging Face Hub at {endpoint}: {exc.__class__.__name__}: {detail} - "
        "check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to build from the bundled snapshot")


# The item fields a harvest asks for (huggingface_hub's `expand` properties): what `full=true` and
# `cardData=true` give, plus the safetensors and GGUF summaries (parameter counts) and the storage used.
# The API takes `expand` instead of `full`, not beside it.
EXPAND = ("author", "cardData", "config", "createdAt", "disabled", "downloads", "gated", "gguf", "lastModified",
          "library_name", "likes", "model-index", "pipeline_tag", "private", "safetensors", "sha", "siblings", "tags",
          "usedStorage")


def iter_hub_models(settings: Settings) -> Iterator[dict]:
    """Raw model items from the list endpoint, most recently modified first, all pages."""
    params: dict = {"expand": list(EXPAND), "sort": "lastModified", "direction": -1}
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
        response = request("GET", url, headers=build_hf_headers(token=settings.hf_token),
                           retry_on_status=RETRY_STATUS, timeout=settings.hf_timeout_s, follow_redirects=True)
    except (httpx.TimeoutException, httpx.NetworkError) as exc:
        return None, f"error: {exc.__class__.__name__}"
    if response.status_code == 404:
        return None, "missing"
    if response.status_code in (401, 403):
        return None, "forbidden"
    if response.status_code >= 400:
        return None, f"error: HTTP {response.status_code}"
    return response.text, "ok"


@dataclass
class ModelList:
    """What a model-list file asks for: model ids and whole accounts."""

    ids: list[str]
    authors: list[str]
    where: dict[str, str]  # id or author -> "file:line", for the quarantine


def read_model_list(settings: Settings, rejected: list[dict]) -> ModelList:
    """The ids and `author:NAME` lines of the model list (`#` starts a comment); a line that is neither
    goes to `rejected` with its line number."""
    path = settings.model_list_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SettingsError(f"cannot read the model list {path}: {exc.strerror or exc} - check MLENTORY_HF_MODEL_LIST")
    found = ModelList([], [], {})
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        where = f"{path.name}:{number}"
        if not text:
            continue
        if text.lower().startswith("author:") and _REPO_ID.match(text[7:].strip() or "-"):
            found.authors.append(text[7:].strip())
            found.where.setdefault(found.authors[-1], where)
        elif _REPO_ID.match(text) and ".." not in text:
            found.ids.append(text)
            found.where.setdefault(text, where)
        else:
            rejected.append({"id": None, "path": where, "reason": f"not a model id or author:NAME line: {text[:200]!r}",
                             "raw": text[:2000]})
    found.ids = list(dict.fromkeys(found.ids))
    found.authors = list(dict.fromkeys(found.authors))
    return found


def fetch_item(settings: Settings, repo_id: str) -> tuple[dict | None, str]:
    """One model's item (`GET /api/models/<id>` with the listing's fields) and a status."""
    response = request("GET", f"{settings.hf_endpoint}/api/models/{repo_id}", params={"expand": list(EXPAND)},
                       headers=build_hf_headers(token=settings.hf_token), timeout=settings.hf_timeout_s)
    if response.status_code == 404:
        return None, "not on the Hub (404)"
    if response.status_code in (401, 403):
        return None, f"the Hub refused it ({response.status_code}): gated or private; check HF_TOKEN"
    if response.status_code >= 400:
        return None, f"HTTP {response.status_code}"
    item = response.json()
    return (item, "ok") if isinstance(item, dict) else (None, "the answer is not a model item")


def iter_listed_items(settings: Settings, listed: ModelList, rejected: list[dict]) -> Iterator[dict]:
    """Live: the items of the listed ids (fetched one by one) and of the listed accounts (listed)."""
    for repo_id in listed.ids:
        item, status = fetch_item(settings, repo_id)
        if item is None:
            rejected.append({"id": repo_id, "path": listed.where[repo_id], "reason": status, "raw": repo_id})
        else:
            yield item
    for author in listed.authors:
        params = {"expand": list(EXPAND), "author": author, "sort": "lastModified", "direction": -1}
        yield from paginate(f"{settings.hf_endpoint}/api/models", params=params,
                            headers=build_hf_headers(token=settings.hf_token), timeout=settings.hf_timeout_s)


def iter_hub(settings: Settings, rejected: list[dict], since: str | None = None) -> Iterator[RawModel]:
    """Live harvest: list models page by page (or fetch the listed ones) and fetch their READMEs
    concurrently, chunk by chunk.

    With a watermark `since`, the listing stops at the first model modified before it.
    """
    try:
        if settings.hf_model_list:
            items = iter_listed_items(settings, read_model_list(settings, rejected), rejected)
        else:
            items = newer_items(iter_hub_models(settings), since)
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
        raise hub_error(settings, exc) from exc


def harvest(settings: Settings, rejected: list[dict], since: str | None = None) -> Iterator[RawModel]:
    """Raw models in listing order, newest first (an id may repeat if the listing shifted while paged:
    its first, newest copy counts); bad items go to `rejected`. `since` makes it incremental. With a
    model list, only the models it names (a snapshot is read for them; the Hub is asked for them)."""
    from pipeline.extract.hf_source import hf_source
    return hf_source(settings).models(rejected, since)


def iter_listed_snapshot(settings: Settings, rejected: list[dict]) -> Iterator[RawModel]:
    """Offline with a model list: the snapshot's models the list names; a listed id the snapshot does not
    hold is quarantined with its line, as a listed id the Hub does not know is live."""
    listed = read_model_list(settings, rejected)
    wanted, authors, seen = set(listed.ids), set(listed.authors), set()
    for model in iter_snapshot(settings, rejected):
        if model.id in wanted or model.id.split("/")[0] in authors and "/" in model.id:
            seen.add(model.id)
            yield model
    for repo_id in listed.ids:
        if repo_id not in seen:
            rejected.append({"id": repo_id, "path": listed.where[repo_id], "reason": "not in the snapshot",
                             "raw": repo_id})
