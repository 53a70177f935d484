"""FAIR4ML records as JSON-LD documents (one per shard): schema.org and FAIR4ML terms, typed links to related things."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.transform.iris import Iris
from pipeline.storage import HashedWriter, read_parquet

FAIR4ML = "https://w3id.org/fair4ml#"
CONTEXT = {
    "@vocab": "https://schema.org/",
    "schema": "https://schema.org/",
    "fair4ml": FAIR4ML,
    "codemeta": "https://w3id.org/codemeta/",
    "mlentory": "https://w3id.org/mlentory/vocab#",
    "MLModel": "fair4ml:MLModel",
    "mlTask": {"@id": "fair4ml:mlTask", "@type": "@id"},
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
    "license": {"@id": "schema:license", "@type": "@id"},
    "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
    "isBasedOn": {"@id": "schema:isBasedOn", "@type": "@id"},
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
    "platform": "mlentory:platform",
    "authors": "mlentory:authors",
    "weightsFormats": "mlentory:weightsFormats",
    "inputs": {"@id": "mlentory:inputs", "@type": "@json"},
    "outputs": {"@id": "mlentory:outputs", "@type": "@json"},
}


XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


def _metric(entry: dict, iris: Iris) -> dict:
    # a measured value is a double even when it is whole (500.0): JSON would make it an integer in RDF
    value = {"@value": entry["value"], "@type": XSD_DOUBLE} if entry.get("value") is not None else entry.get("valueText")
    node = {"@type": "PropertyValue", "propertyID": entry["metric"], "name": entry.get("name"), "value": value}
    if entry.get("dataset"):
        node["measurementTechnique"] = entry.get("task")
        node["isBasedOn"] = iris.dataset(entry["dataset"])
    return {k: v for k, v in node.items() if v is not None}


# fields written as links (or left to the entities document: a cited paper's BibTeX details are its node's)
_LINKS = ("evaluationMetrics", "downloads", "likes", "author", "sharedBy", "fineTunedFrom", "trainedOn", "evaluatedOn",
          "cardError", "citation", "license", "mlTask", "citationDetails")


def to_node(record: dict, iris: Iris = Iris()) -> dict:
    """A record as a JSON-LD node under its stable IRI; empty values are left out, what it names
    (bases, datasets, papers, licenses, tasks, the account) becomes links to their IRIs."""
    from pipeline.transform.licenses import license_key

    node: dict = {"@id": iris.model(record["identifier"]), "@type": "MLModel", "sameAs": record["url"]}
    for key, value in record.items():
        if value in (None, [], "", {}) or key in _LINKS:
            continue
        node[key] = value
    if record.get("author"):
        node["author"] = {"@type": "Organization", "name": record["author"]}
    if record.get("sharedBy"):
        node["sharedBy"] = {"@id": iris.agent(record["sharedBy"]), "name": record["sharedBy"]}
    links = {"fineTunedFrom": [iris.model(b) for b in record.get("fineTunedFrom") or []],
             "trainedOn": [iris.dataset(d) for d in record.get("trainedOn") or []],
             "evaluatedOn": [iris.dataset(d) for d in record.get("evaluatedOn") or []],
             "citation": [iris.paper(c) for c in record.get("citation") or []],
             "license": [iris.license(license_key(v, record.get("licenseName"))) for v in record.get("license") or []],
             "mlTask": [iris.task(t) for t in record.get("mlTask") or []]}
    node.update((key, values) for key, values in links.items() if values)
    if record.get("evaluationMetrics"):
        node["evaluationMetrics"] = [_metric(e, iris) for e in record["evaluationMetrics"]]
    node["interactionStatistic"] = [
        {"@type": "InteractionCounter", "interactionType": {"@type": action}, "userInteractionCount": record[key]}
        for key, action in (("downloads", "DownloadAction"), ("likes", "LikeAction"))]
    return node


def header() -> str:
    """Start of a document: the context, then one node per line (so a shard can reuse lines)."""
    return '{"@context": ' + json.dumps(CONTEXT, indent=1) + ',\n"@graph": [\n'


FOOTER = "\n]}\n"


def node_lines(path: Path) -> list[bytes]:
    """The node lines of a document written by `write_shard` (one node per line, in order), as the
    UTF-8 bytes they are in the file: an update copies most of them back unchanged."""
    data = path.read_bytes()
    try:
        start = data.index(b'"@graph": [\n') + len(b'"@graph": [\n')
        end = data.rindex(FOOTER.encode("utf-8"), start - 1)
    except ValueError:  # not a document of ours: nothing to reuse
        return []
    body = data[start:end]
    return body.split(b",\n") if body else []


def recorded_spans(digests, iris: Iris, only: set[str] | None = None) -> dict[str, tuple[int, int]] | None:
    """graph IRI -> byte span of its lines in the shard's N-Quads, as a digests table (written by
    `write_shard`) records them (of the models in `only`, when given); None for a table from before
    spans were recorded."""
    if "nq_start" not in digests.column_names:
        return None
    return {iris.model(i): (start, end) for i, start, end in zip(
        digests.column("id").to_pylist(), digests.column("nq_start").to_pylist(), digests.column("nq_end").to_pylist())
        if start is not None and (only is None or i in only)}


def write_shard(normalized: Path, previous: Path, previous_digests: Path, out: Path, out_digests: Path,
                fingerprint: str, iris: Iris = Iris(), rdf: tuple[tuple[Path, Path], tuple[Path, Path]] | None = None,
                title: str = "models") -> dict:
    """One shard's document; nodes of records whose digest is unchanged are copied from the previous one.

    `*_digests` list (id, record digest) in node order, with the code fingerprint in their metadata, so
    a node is reused only if it was made from the same record by the same code. With `rdf` ((previous
    N-Quads, previous Turtle), (N-Quads, Turtle)) the shard's RDF exports are written too, converting
    only the nodes written anew (see transform.rdf).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.transform.normalized_shards import changed_records

    old: dict[str, str] = {}
    previous_spans = None
    if previous.exists() and previous_digests.exists():
        table = read_parquet(previous_digests)
        if (table.schema.metadata or {}).get(b"mlentory.fingerprint") == fingerprint.encode():
            lines = node_lines(previous)
            ids = table.column("id").to_pylist()
            digests = table.column("digest").to_pylist()
            if len(lines) == len(ids):
                old = {i: (d, line) for i, d, line in zip(ids, digests, lines)}
                previous_spans = recorded_spans(table, iris)
    before = {i: d for i, (d, _) in old.items()}
    ids, digests, changed = changed_records(normalized, before)
    fresh = {r["identifier"]: json.dumps(to_node(r, iris), ensure_ascii=False, sort_keys=True) for r in changed}
    nodes = {i: fresh[i].encode("utf-8") if i in fresh else old[i][1] for i in ids}
    with HashedWriter(out) as fh:
        fh.write(header().encode("utf-8"))
        fh.write(b",\n".join(nodes.values()))
        fh.write(FOOTER.encode("utf-8"))
    counts = {"models": len(ids), "written": len(fresh), "reused": len(ids) - len(fresh)}
    spans: dict[str, tuple[int, int]] = {}
    if rdf is not None:
        from pipeline.transform.rdf import update_shard_exports
        counts["rdf_converted"] = update_shard_exports(
            nodes, list(fresh), [i for i in old if i not in nodes], bool(old), iris, rdf[0], rdf[1],
            header(), FOOTER, title, previous_spans=previous_spans, spans=spans)
    # where each model's lines are in the shard's N-Quads (null when unknown): the SPARQL store and the
    # next update read those bytes instead of scanning the file for them
    located = [spans.get(iris.model(i)) for i in ids]
    table = pa.Table.from_arrays([pa.array(ids, pa.string()), pa.array(digests, pa.string()),
                                  pa.array([s[0] if s else None for s in located], pa.int64()),
                                  pa.array([s[1] if s else None for s in located], pa.int64())],
                                 names=["id", "digest", "nq_start", "nq_end"])
    pq.write_table(table.replace_schema_metadata({b"mlentory.fingerprint": fingerprint.encode()}), out_digests,
                   compression="zstd", use_dictionary=False, write_statistics=False)  # unique values, never filtered
    return counts


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
    "sameDatasets": {"@id": "schema:sameAs", "@type": "@id"},
    "source": {"@id": "schema:isBasedOn", "@type": "@id"},
    "doi": "mlentory:doi",
    "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
}


def entity_iri(record: dict, iris: Iris) -> str:
    """The IRI model nodes link to for an entity record."""
    kind, identifier = record["@type"], record["identifier"]
    if kind == "Dataset":  # the id models name, even where the dataset moved (its Hub id is `hubId`)
        return iris.dataset(identifier)
    if kind == "ScholarlyArticle":
        return iris.paper(identifier)
    if kind == "CreativeWork":
        return iris.license(identifier)
    if kind == "Agent":
        return iris.agent(identifier)
    if kind == "Person":
        return iris.person(identifier)
    if kind == "DefinedTerm":
        return iris.task(identifier)
    return iris.model(identifier)


def entity_node(record: dict, iris: Iris = Iris()) -> dict:
    """An entity record as a JSON-LD node under the IRI model nodes link to; its page is `url`."""
    node = {k: v for k, v in record.items() if v not in (None, [], "")}
    node["@id"] = entity_iri(record, iris)
    if record["@type"] == "ScholarlyArticle" and record.get("author"):
        node["author"] = [{"@id": iris.person(name), "@type": "Person", "name": name} for name in record["author"]]
    if record["@type"] in ("Dataset", "MLModel") and record.get("license"):
        from pipeline.transform.licenses import license_key
        node["license"] = [iris.license(license_key(v, record.get("licenseName"))) for v in record["license"]]
    if record["@type"] in ("Dataset", "MLModel") and record.get("mlTask"):
        node["mlTask"] = [iris.task(t) for t in record["mlTask"]]
    if record["@type"] in ("Dataset", "MLModel") and record.get("sharedBy"):
        node["sharedBy"] = {"@id": iris.agent(record["sharedBy"]), "name": record["sharedBy"]}
    if record["@type"] == "Dataset" and record.get("sameDatasets"):
        node["sameDatasets"] = [iris.dataset(d) for d in record["sameDatasets"]]
    if record["@type"] == "MLModel" and record.get("fineTunedFrom"):  # a fetched base continues the lineage
        node["fineTunedFrom"] = [iris.model(b) for b in record["fineTunedFrom"]]
    if record["@type"] == "MLModel" and record.get("author"):
        node["author"] = {"@type": "Organization", "name": record["author"]}
    return node


def write_entities(records, out: Path, iris: Iris = Iris()) -> int:
    """All entity records as one JSON-LD document (one node per line)."""
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write('{"@context": ' + json.dumps(ENTITY_CONTEXT, indent=1) + ',\n"@graph": [\n')
        for record in records:
            fh.write((",\n" if count else "") + json.dumps(entity_node(record, iris), ensure_ascii=False, sort_keys=True))
            count += 1
        fh.write(FOOTER)
    return count
