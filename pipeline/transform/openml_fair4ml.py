"""Map an OpenML flow (its listing entry, its runs' evaluations and its description) to a FAIR4ML record.

A flow is the model; each evaluation of one of its runs becomes an `evaluationMetrics` entry (the
measure, its value, the run, the task and the dataset), and the datasets its runs trained and were
evaluated on (OpenML evaluates by cross-validation on the task's dataset) become `trainedOn` and
`evaluatedOn`, as catalog ids (`openml:data/<id>`). A flow OpenML cannot describe keeps what its
listing entry and runs say (`cardStatus: missing`). Citations are the DOIs and arXiv ids in its
description's citation text.
"""

from __future__ import annotations

import math
import re

from pipeline.errors import RecordError
from pipeline.platforms import OPENML, PLATFORMS
from pipeline.transform import ids

PLATFORM = PLATFORMS[OPENML]
PAGE = "https://www.openml.org/f/"
_LIBRARY = re.compile(r"^([A-Za-z][A-Za-z0-9.-]*?)(?:[_=<>~!]=?|\s)")


def _text(value, limit: int | None = None) -> str | None:
    if isinstance(value, (dict, list)) or value is None:
        return None
    text = str(value).strip()
    return (text[:limit] if limit else text) or None


def _list(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def library(external_version: str | None) -> str | None:
    """The library a flow runs on, from its external version (`sklearn==1.3.0`, `Weka_3.7.5`)."""
    match = _LIBRARY.match((external_version or "") + " ")
    return match[1] if match else None


def _metric(entry: dict, issues: list[str]) -> dict | None:
    kind = _text(entry.get("function"), 200)
    if kind is None:
        issues.append(f"run {entry.get('run_id')}: an evaluation without a measure (left out)")
        return None
    try:
        value = float(entry.get("value"))
    except (TypeError, ValueError):
        value = None
    numeric = value is not None and math.isfinite(value)
    data = _text(entry.get("data_id"))
    return {"task": f"OpenML task {entry['task_id']}" if _text(entry.get("task_id")) else None,
            "dataset": PLATFORM.catalog_id(f"data/{data}") if data and data.isdigit() else None,
            "datasetName": _text(entry.get("data_name"), 300), "datasetConfig": None, "split": None,
            "metric": kind, "name": f"run {entry['run_id']}" if _text(entry.get("run_id")) else None,
            "value": value if numeric else None,
            "valueText": None if numeric or entry.get("value") is None else str(entry.get("value"))[:300],
            "verified": None}


def to_fair4ml(raw: dict, description_xml: str | None) -> dict:
    """One FAIR4ML record from a raw OpenML row (`{flow, evaluations}`) and the flow's description XML."""
    from pipeline.extract.openml import iso_time, parse
    flow = raw.get("flow") if isinstance(raw, dict) else None
    if not isinstance(flow, dict) or not str(flow.get("id", "")).isdigit():
        raise RecordError("/flow/id", "the raw row holds no flow with a numeric id")
    described = {}
    if description_xml is not None:
        try:
            described = parse(description_xml).get("flow")
        except Exception as exc:
            raise RecordError("/description", f"the flow description is not XML: {exc}"[:500]) from exc
        if not isinstance(described, dict):
            raise RecordError("/description", "the flow description has no <oml:flow> element")
        if _text(described.get("id")) != flow["id"]:
            raise RecordError("/description/id", f"the description is of flow {described.get('id')!r}, not {flow['id']}")
    issues: list[str] = []
    metrics = [m for m in (_metric(e, issues) for e in _list(raw.get("evaluations")) if isinstance(e, dict)) if m]
    datasets = list(dict.fromkeys(m["dataset"] for m in metrics if m["dataset"]))
    runs = [iso_time(e.get("upload_time")) for e in _list(raw.get("evaluations")) if isinstance(e, dict)]
    created = iso_time(_text(described.get("upload_date")).replace("T", " ")) if _text(described.get("upload_date")) else None
    external = _text(described.get("external_version")) or _text(flow.get("external_version"))
    text = _text(described.get("description"))
    name = _text(described.get("name")) or _text(flow.get("name")) or _text(flow.get("full_name")) or f"flow {flow['id']}"
    version = _text(described.get("version")) or _text(flow.get("version"))
    citation_text = _text(described.get("citation")) or ""
    lib = library(external)
    creators = [c for c in (_text(v, 200) for v in _list(described.get("creator"))) if c]
    record = {
        "identifier": PLATFORM.catalog_id(f"flow/{flow['id']}"),
        "platform": OPENML,
        "name": name[:1000],
        "url": PAGE + flow["id"],
        "author": creators[0] if creators else None,
        "authors": creators,
        "sharedBy": None,
        "dateCreated": created,
        "dateModified": max([t for t in runs if t] or [created]) if (created or any(runs)) else None,
        "version": (f"{version} ({external})" if version and external else version or external or "")[:64] or None,
        "license": [l for l in (_text(described.get("licence"), 100),) if l],
        "licenseName": None, "licenseLink": None, "conditionsOfAccess": None,
        "keywords": list(dict.fromkeys(t for t in (_text(v, 200) for v in _list(described.get("tag"))) if t)),
        "inLanguage": [],
        "mlTask": [],
        "modelCategory": [lib] if lib else [],
        "libraryName": lib[:100] if lib else None,
        "fineTunedFrom": [], "baseModelDeclared": [], "baseModelRelation": None, "baseModelRelationEvidence": None,
        "trainedOn": datasets,
        "evaluatedOn": datasets,
        "evaluationMetrics": metrics,
        "citation": list(dict.fromkeys([ids.doi_url(d.lower()) for d in ids.dois_in(citation_text)]
                                       + [ids.arxiv_url(a) for a in ids.arxiv_ids_in(citation_text)])),
        "citationDetails": [],
        "description": text[:20000] if text else None,
        "intendedUse": None, "modelRisksBiasLimitations": None, "usageInstructions": None,
        "codeSampleSnippet": None, "hasCO2eEmissions": None, "readme": None,
        "downloads": 0, "likes": 0,
        "cardStatus": "ok" if described else "missing",
        "cardError": None,
        "cardFlags": [] if text else ["no description"],
        "dataIssues": issues,
        "parameterCount": None, "storageSize": None, "cardLanguage": None,
        "weightsFormats": [], "inputs": [], "outputs": [],
    }
    sources = {"name": "flow description name" if _text(described.get("name")) else "flow listing name",
               "description": "flow description" if text else None,
               "dateCreated": "flow description upload_date" if created else None,
               "dateModified": "newest run's evaluation upload_time" if any(runs) else None,
               "evaluationMetrics": "evaluation list of the flow's runs" if metrics else None,
               "trainedOn": "the datasets of the flow's runs (cross-validated on the task's dataset)" if datasets else None,
               "libraryName": "flow external_version (inferred)" if lib else None}
    record["fieldSources"] = {k: v for k, v in sources.items() if v}
    record["inferredFields"] = ["libraryName"] if lib else []
    return record
