"""bioimage.io model zoo source: the collection's listing (`collection.json`) and each model's resource
description (the `rdf.yaml` its `rdf_source` names), kept as the zoo served them.

Each listed model becomes a raw row: the listing entry as JSON and its rdf.yaml text (as `readme`).
The listing gives every resource with the creation time of its latest version (`created`), newest
versions are harvested first, and an incremental harvest stops at the watermark, as the Hub's does.
Entries the pipeline cannot key (no id, no rdf_source) are quarantined with their position and why.
The datasets the zoo lists are read from the same listing (`fetch`, for `bioimageio_raw_datasets`).
"""

from __future__ import annotations

import json
import re
from typing import Iterator

from pipeline.config import DEFAULT_BIOIMAGEIO_ENDPOINT, Settings
from pipeline.errors import PipelineError
from pipeline.extract import platform_io
from pipeline.extract.fetch_cache import now, row_digest
from pipeline.extract.hf import RawModel, newer_items
from pipeline.platforms import BIOIMAGEIO, PLATFORMS

LISTING = "collection.json"
_DATE = re.compile(r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:\d\d)?$")
PLATFORM = PLATFORMS[BIOIMAGEIO]


def iso_time(value) -> str | None:
    """The listing's `created` ("2022-06-15 22:06:22.658325", UTC) as ISO 8601 with its zone."""
    match = _DATE.match(value) if isinstance(value, str) else None
    return f"{match[1]}T{match[2]}{match[3] or 'Z'}" if match else None


def catalog_id(entry_id: str) -> str:
    return PLATFORM.catalog_id(entry_id)


def read_listing(settings: Settings) -> list:
    """The collection's entries (every type), in the listing's order."""
    source = platform_io.reader(settings, BIOIMAGEIO)
    status, text = source.get(LISTING)
    if text is None:
        raise PipelineError(f"bioimage.io at {source.where} has no {LISTING} (HTTP {status})")
    try:
        entries = json.loads(text).get("collection")
    except (ValueError, AttributeError) as exc:
        raise PipelineError(f"the bioimage.io listing at {source.where} is not a collection document: {exc}") from exc
    if not isinstance(entries, list):
        raise PipelineError(f"the bioimage.io listing at {source.where} has no `collection` list")
    return entries


def _relative(url: str, settings: Settings) -> str:
    """An rdf_source on the collection's own site as a path under the configured endpoint (so a mirror or
    a snapshot of the site serves it); any other URL as it is."""
    for base in (DEFAULT_BIOIMAGEIO_ENDPOINT, settings.bioimageio_endpoint):
        if url.startswith(base + "/"):
            return url[len(base) + 1:]
    return url


def _split(entries: list) -> tuple[list[dict], list[dict]]:
    """(model entries the pipeline can key, quarantine entries for the rest)."""
    good, bad = [], []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("type") != "model":
            continue
        problem = None
        if not isinstance(entry.get("id"), str) or not re.match(r"^[A-Za-z0-9][\w./-]*$", entry["id"]):
            problem = ("id", f"entry has no valid 'id' (got {entry.get('id')!r})")
        elif not isinstance(entry.get("rdf_source"), str) or not entry["rdf_source"].strip():
            problem = ("rdf_source", "entry has no 'rdf_source' to read its description from")
        if problem:
            entry_id = entry.get("id") if isinstance(entry.get("id"), str) else None
            bad.append({"id": catalog_id(entry_id) if entry_id else None, "path": f"/collection/{index}/{problem[0]}",
                        "reason": problem[1], "raw": json.dumps(entry, ensure_ascii=False, default=str)[:2000]})
        else:
            good.append({**entry, "lastModified": iso_time(entry.get("created"))})
    return good, bad


class BioimageioSource(platform_io.PlatformSource):
    """The zoo's models, live (MLENTORY_BIOIMAGEIO_ENDPOINT) or from a snapshot of the same paths."""

    platform = BIOIMAGEIO

    def models(self, rejected: list[dict], since: str | None = None) -> Iterator[RawModel]:
        good, bad = _split(read_listing(self.settings))
        rejected += bad
        # newest first; an entry without a usable date is read on every harvest (never older than the watermark)
        good.sort(key=lambda e: (e["lastModified"] is not None, e["lastModified"] or ""), reverse=True)
        good = [e for e in good if e["lastModified"] is None] + [e for e in good if e["lastModified"] is not None]
        source = platform_io.reader(self.settings, BIOIMAGEIO)
        for entry in newer_items(good, since):
            entry = {k: v for k, v in entry.items() if k != "lastModified"}
            status, text = source.get(_relative(entry["rdf_source"], self.settings))
            yield RawModel(catalog_id(entry["id"]), iso_time(entry.get("created")),
                           json.dumps(entry, ensure_ascii=False, sort_keys=True), text,
                           "ok" if text is not None else ("missing" if status in platform_io.MISSING
                                                          else f"error: HTTP {status}"))


def source(settings: Settings) -> BioimageioSource:
    return BioimageioSource(settings)


# -- datasets the models were trained on (fetch_cache protocol, see pipeline/extract/fetch_cache.py) ---
def fetch(settings: Settings, ids: list[str], problems: list[dict]) -> list[dict]:
    """Rows for dataset ids the models name (`bioimageio:<id>`), from the listing's dataset entries; an
    id is matched as the zoo matches it, regardless of case. One the listing lacks is `missing`."""
    if not ids:
        return []
    listed = {}
    for entry in read_listing(settings):
        if isinstance(entry, dict) and entry.get("type") == "dataset" and isinstance(entry.get("id"), str):
            listed.setdefault(entry["id"].lower(), entry)
    rows = []
    for dataset_id in ids:
        entry = listed.get(PLATFORM.native_id(dataset_id).lower())
        row = {"id": dataset_id, "status": "ok" if entry else "missing", "hub_id": catalog_id(entry["id"]) if entry else None,
               "raw_json": json.dumps(entry, ensure_ascii=False, sort_keys=True) if entry else None,
               "fetched_at": now()}
        rows.append({**row, "digest": row_digest(row, ("id", "status", "hub_id", "raw_json"))})
    return rows
