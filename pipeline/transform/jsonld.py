"""FAIR4ML records as one JSON-LD document: schema.org and FAIR4ML terms, typed links to related things."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, TextIO

FAIR4ML = "https://w3id.org/fair4ml#"
CONTEXT = {
    "@vocab": "https://schema.org/",
    "schema": "https://schema.org/",
    "fair4ml": FAIR4ML,
    "codemeta": "https://w3id.org/codemeta/",
    "mlentory": "urn:mlentory:hf:",
    "MLModel": "fair4ml:MLModel",
    "mlTask": "fair4ml:mlTask",
    "modelCategory": "fair4ml:modelCategory",
    "sharedBy": "fair4ml:sharedBy",
    "fineTunedFrom": {"@id": "fair4ml:fineTunedFrom", "@type": "@id"},
    "trainedOn": {"@id": "fair4ml:trainedOn", "@type": "@id"},
    "evaluatedOn": {"@id": "fair4ml:evaluatedOn", "@type": "@id"},
    "evaluationMetrics": "fair4ml:evaluationMetrics",
    "intendedUse": "fair4ml:intendedUse",
    "usageInstructions": "fair4ml:usageInstructions",
    "codeSampleSnippet": "fair4ml:codeSampleSnippet",
    "modelRisksBiasLimitations": "fair4ml:modelRisksBiasLimitations",
    "hasCO2eEmissions": "fair4ml:hasCO2eEmissions",
    "readme": {"@id": "codemeta:readme", "@type": "@id"},
    "url": {"@id": "schema:url", "@type": "@id"},
    "citation": {"@id": "schema:citation", "@type": "@id"},
    "libraryName": "mlentory:libraryName",
    "baseModelRelation": "mlentory:baseModelRelation",
    "cardStatus": "mlentory:cardStatus",
}
HUB = "https://huggingface.co"


def _metric(entry: dict) -> dict:
    value = entry["value"] if entry.get("value") is not None else entry.get("valueText")
    node = {"@type": "PropertyValue", "propertyID": entry["metric"], "name": entry.get("name"), "value": value}
    if entry.get("dataset"):
        node["measurementTechnique"] = entry.get("task")
        node["isBasedOn"] = f"{HUB}/datasets/{entry['dataset']}"
    return {k: v for k, v in node.items() if v is not None}


def to_node(record: dict) -> dict:
    """A record as a JSON-LD node; empty values are left out, ids become links."""
    node: dict = {"@id": record["url"], "@type": "MLModel"}
    for key, value in record.items():
        if value in (None, [], "") or key in ("evaluationMetrics", "downloads", "likes", "author", "sharedBy",
                                              "fineTunedFrom", "trainedOn", "evaluatedOn", "cardError"):
            continue
        node[key] = value
    if record.get("author"):
        node["author"] = {"@type": "Organization", "name": record["author"]}
    if record.get("sharedBy"):
        node["sharedBy"] = {"@id": f"{HUB}/{record['sharedBy']}", "name": record["sharedBy"]}
    for key, prefix in (("fineTunedFrom", HUB), ("trainedOn", f"{HUB}/datasets"), ("evaluatedOn", f"{HUB}/datasets")):
        if record.get(key):
            node[key] = [f"{prefix}/{ref}" for ref in record[key]]
    if record.get("evaluationMetrics"):
        node["evaluationMetrics"] = [_metric(e) for e in record["evaluationMetrics"]]
    node["interactionStatistic"] = [
        {"@type": "InteractionCounter", "interactionType": {"@type": action}, "userInteractionCount": record[key]}
        for key, action in (("downloads", "DownloadAction"), ("likes", "LikeAction"))]
    return node


def write_document(records: Iterable[dict], out: TextIO) -> int:
    """Stream `{"@context": ..., "@graph": [...]}` node by node (no full list in memory)."""
    out.write('{"@context": ' + json.dumps(CONTEXT, indent=1) + ',\n"@graph": [\n')
    count = 0
    for record in records:
        out.write(",\n" if count else "")
        out.write(json.dumps(to_node(record), ensure_ascii=False, sort_keys=True))
        count += 1
    out.write("\n]}\n")
    return count


def write_file(records: Iterable[dict], path: Path) -> int:
    with path.open("w", encoding="utf-8") as fh:
        return write_document(records, fh)
