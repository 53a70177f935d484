"""FAIR4ML records as JSON-LD documents (one per shard): schema.org and FAIR4ML terms, typed links to related things."""

from __future__ import annotations

import json
from pathlib import Path

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
    "baseModelRelationEvidence": "mlentory:baseModelRelationEvidence",
    "baseModelDeclared": "mlentory:baseModelDeclared",
    "cardStatus": "mlentory:cardStatus",
    "cardFlags": "mlentory:cardFlags",
    "dataIssues": "mlentory:dataIssues",
    "parameterCount": "mlentory:parameterCount",
    "storageSize": "mlentory:storageSize",
    "cardLanguage": "mlentory:cardLanguage",
    "fieldSources": {"@id": "mlentory:fieldSources", "@type": "@json"},
    "inferredFields": "mlentory:inferredFields",
    "licenseName": "mlentory:licenseName",
    "licenseLink": "mlentory:licenseLink",
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


def _header() -> str:
    """Start of a document: the context, then one node per line (so a shard can reuse lines)."""
    return '{"@context": ' + json.dumps(CONTEXT, indent=1) + ',\n"@graph": [\n'


FOOTER = "\n]}\n"


def _node_lines(path: Path) -> list[str]:
    """The node lines of a document written by `write_shard` (one node per line, in order)."""
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    start = lines.index('"@graph": [') + 1
    return [line.rstrip(",") for line in lines[start:] if line and line != "]}"]


def write_shard(normalized: Path, previous: Path, previous_digests: Path, out: Path, out_digests: Path,
                fingerprint: str) -> dict:
    """One shard's document; nodes of records whose digest is unchanged are copied from the previous one.

    `*_digests` list (id, record digest) in node order, with the code fingerprint in their metadata, so
    a node is reused only if it was made from the same record by the same code.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.transform.normalized_shards import changed_records

    old: dict[str, str] = {}
    if previous.exists() and previous_digests.exists():
        table = pq.read_table(previous_digests)
        if (table.schema.metadata or {}).get(b"mlentory.fingerprint") == fingerprint.encode():
            lines = _node_lines(previous)
            ids = table.column("id").to_pylist()
            digests = table.column("digest").to_pylist()
            if len(lines) == len(ids):
                old = {i: (d, line) for i, d, line in zip(ids, digests, lines)}
    before = {i: d for i, (d, _) in old.items()}
    ids, digests, changed = changed_records(normalized, before)
    fresh = {r["identifier"]: json.dumps(to_node(r), ensure_ascii=False, sort_keys=True) for r in changed}
    with out.open("w", encoding="utf-8") as fh:
        fh.write(_header())
        fh.write(",\n".join(fresh[i] if i in fresh else old[i][1] for i in ids))
        fh.write(FOOTER)
    table = pa.Table.from_arrays([pa.array(ids, pa.string()), pa.array(digests, pa.string())], names=["id", "digest"])
    pq.write_table(table.replace_schema_metadata({b"mlentory.fingerprint": fingerprint.encode()}), out_digests,
                   compression="zstd")
    return {"models": len(ids), "written": len(fresh), "reused": len(ids) - len(fresh)}


ENTITY_CONTEXT = {
    **CONTEXT,
    "prov": "http://www.w3.org/ns/prov#",
    "Agent": "prov:Agent",
    "hubId": "mlentory:hubId",
    "status": "mlentory:status",
    "declared": "mlentory:declaredLicense",
    "spdxId": "mlentory:spdxId",
    "osiApproved": "mlentory:osiApproved",
    "fsfLibre": "mlentory:fsfLibre",
    "isDeprecated": "mlentory:isDeprecated",
    "flag": "mlentory:flag",
    "harvested": "mlentory:harvested",
    "size": "schema:size",
    "inDefinedTermSet": {"@id": "schema:inDefinedTermSet", "@type": "@id"},
    "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
}


def entity_node(record: dict) -> dict:
    """An entity record as a JSON-LD node with the @id model nodes link to (people have none: blank nodes)."""
    node = {k: v for k, v in record.items() if v not in (None, [], "")}
    if record["@type"] == "Dataset":  # the IRI models link to (trainedOn), even where the dataset moved
        node["@id"] = f"{HUB}/datasets/{record['identifier']}"
    elif record.get("url"):
        node["@id"] = record["url"]
    if record["@type"] == "ScholarlyArticle" and record.get("author"):
        node["author"] = [{"@type": "Person", "name": name} for name in record["author"]]
    return node


def write_entities(records, out: Path) -> int:
    """All entity records as one JSON-LD document (one node per line)."""
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write('{"@context": ' + json.dumps(ENTITY_CONTEXT, indent=1) + ',\n"@graph": [\n')
        for record in records:
            fh.write((",\n" if count else "") + json.dumps(entity_node(record), ensure_ascii=False, sort_keys=True))
            count += 1
        fh.write(FOOTER)
    return count
