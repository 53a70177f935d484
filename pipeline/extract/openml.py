"""OpenML source: flows (the models), their runs' evaluations and the datasets those runs used, from
OpenML's REST API (`/api/v1/xml/...`), the XML the `openml` client itself reads.

A harvest lists the flows (`flow/list`), reads the evaluations of their runs
(`evaluation/list/function/predictive_accuracy/flow/<ids>`), and then each flow's description
(`flow/<id>`; a flow the server cannot describe keeps its listing entry, status `missing`). A raw row
is one flow: its listing entry and evaluations as JSON, its description XML as `readme`. Flows never
change once uploaded, but runs keep arriving: a flow's modification time is its newest run's upload
time, so an incremental harvest re-reads the flows with runs since the watermark. Listing entries
without a usable id are quarantined with their position and why.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Iterator

import xmltodict

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.extract import platform_io
from pipeline.extract.fetch_cache import now, row_digest
from pipeline.extract.hf import RawModel, newer_items
from pipeline.platforms import OPENML, PLATFORMS

PLATFORM = PLATFORMS[OPENML]
API = "api/v1/xml"
METRIC = "predictive_accuracy"  # the measure OpenML lists for every classification run
NAMESPACES = {"http://openml.org/openml": None}  # element names without the `oml:` prefix
_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)$")
IDS_PER_REQUEST = 100


def parse(text: str) -> dict:
    """An OpenML XML document as nested dicts (xmltodict, as the `openml` client reads it)."""
    return xmltodict.parse(text, process_namespaces=True, namespaces=NAMESPACES)


def items(document: dict, outer: str, inner: str) -> list:
    found = (document.get(outer) or {}).get(inner) if isinstance(document.get(outer), dict) else None
    return found if isinstance(found, list) else [found] if found is not None else []


def iso_time(value) -> str | None:
    """OpenML's `2026-01-20 10:50:04` (UTC) as ISO 8601."""
    match = _TIME.match(value) if isinstance(value, str) else None
    return f"{match[1]}T{match[2]}Z" if match else None


def flow_id(native: str) -> str:
    return PLATFORM.catalog_id(f"flow/{native}")


def dataset_id(native: str) -> str:
    return PLATFORM.catalog_id(f"data/{native}")


def _document(source, path: str, what: str) -> dict | None:
    status, text = source.get(f"{API}/{path}")
    if text is None:
        return None
    try:
        return parse(text)
    except Exception as exc:  # expat's errors are not one class
        raise PipelineError(f"OpenML at {source.where} answered {path} with a document that is not XML "
                            f"({what}): {exc}") from exc


def _split(flows: list) -> tuple[list[dict], list[dict]]:
    good, bad = [], []
    for index, flow in enumerate(flows):
        if isinstance(flow, dict) and isinstance(flow.get("id"), str) and flow["id"].isdigit():
            good.append(flow)
        else:
            bad.append({"id": None, "path": f"/flows/flow/{index}/id",
                        "reason": f"flow has no numeric id (got {flow.get('id') if isinstance(flow, dict) else flow!r})",
                        "raw": json.dumps(flow, ensure_ascii=False, default=str)[:2000]})
    return good, bad


def evaluations(source, flow_ids: list[str]) -> dict[str, list[dict]]:
    """flow id -> the evaluations of its runs (OpenML lists them per measure; an empty list is a 412)."""
    found: dict[str, list[dict]] = defaultdict(list)
    for start in range(0, len(flow_ids), IDS_PER_REQUEST):
        batch = ",".join(flow_ids[start:start + IDS_PER_REQUEST])
        path = f"evaluation/list/function/{METRIC}" if isinstance(source, platform_io.SnapshotReader) \
            else f"evaluation/list/function/{METRIC}/flow/{batch}"
        document = _document(source, path, "an evaluation list") or {}
        wanted = set(flow_ids[start:start + IDS_PER_REQUEST])
        for entry in items(document, "evaluations", "evaluation"):
            if isinstance(entry, dict) and entry.get("flow_id") in wanted:
                found[entry["flow_id"]].append(entry)
    return found


class OpenmlSource(platform_io.PlatformSource):
    """OpenML's flows, live (MLENTORY_OPENML_ENDPOINT, the newest MLENTORY_OPENML_LIMIT) or from a snapshot."""

    platform = OPENML

    def models(self, rejected: list[dict], since: str | None = None) -> Iterator[RawModel]:
        source = platform_io.reader(self.settings, OPENML, ".xml")
        listing = _document(source, "flow/list", "the flow listing")
        if listing is None:
            raise PipelineError(f"OpenML at {source.where} has no flow listing (flow/list)")
        good, bad = _split(items(listing, "flows", "flow"))
        rejected += bad
        good.sort(key=lambda f: int(f["id"]), reverse=True)  # ids grow with uploads: newest first
        if self.settings.openml_limit and not self.settings.platform_offline(OPENML):
            good = good[:self.settings.openml_limit]
        runs = evaluations(source, [f["id"] for f in good])
        for flow in good:
            stamps = [t for t in (iso_time(e.get("upload_time")) for e in runs.get(flow["id"], [])) if t]
            flow["lastModified"] = max(stamps) if stamps else None
        # flows with runs, newest run first; those without a date are read on every harvest
        ordered = [f for f in good if f["lastModified"] is None] + sorted(
            (f for f in good if f["lastModified"]), key=lambda f: f["lastModified"], reverse=True)
        for flow in newer_items(ordered, since):
            status, text = source.get(f"{API}/flow/{flow['id']}")
            item = {k: v for k, v in flow.items() if k != "lastModified"}
            raw = {"flow": item, "evaluations": runs.get(flow["id"], [])}
            yield RawModel(flow_id(flow["id"]), flow["lastModified"], json.dumps(raw, ensure_ascii=False, sort_keys=True),
                           text, "ok" if text is not None else "missing" if status in platform_io.MISSING
                           else f"error: HTTP {status}")


def source(settings: Settings) -> OpenmlSource:
    return OpenmlSource(settings)


# -- datasets the runs used (fetch_cache protocol, see pipeline/extract/fetch_cache.py) ----------------
def fetch(settings: Settings, ids: list[str], problems: list[dict]) -> list[dict]:
    """Rows for `openml:data/<id>` ids: the dataset's description (`data/<id>`) as JSON; an id OpenML
    does not describe is `missing`, a description that is not XML is quarantined and `error`."""
    source = platform_io.reader(settings, OPENML, ".xml")
    rows = []
    for wanted in ids:
        native = PLATFORM.native_id(wanted).removeprefix("data/")
        status, raw = "missing", None
        if native.isdigit():
            _, text = source.get(f"{API}/data/{native}")
            if text is not None:
                try:
                    description = parse(text).get("data_set_description")
                except Exception as exc:
                    description = None
                    problems.append({"id": wanted, "path": f"data/{native}", "reason": f"not XML: {exc}"[:500],
                                     "raw": text[:2000]})
                status = "ok" if isinstance(description, dict) else "error: not a dataset description"
                raw = json.dumps(description, ensure_ascii=False, sort_keys=True) if description else None
        else:
            status = "not a repo id"
        row = {"id": wanted, "status": status, "hub_id": None, "raw_json": raw, "fetched_at": now()}
        rows.append({**row, "digest": row_digest(row, ("id", "status", "hub_id", "raw_json"))})
    return rows
