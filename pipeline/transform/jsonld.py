"""FAIR4ML records as JSON-LD documents (one per shard): schema.org and FAIR4ML terms, typed links to related things."""

from __future__ import annotations

import gc
import json
from collections.abc import Mapping
from contextlib import contextmanager
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


def node_lines(data: bytes) -> list[bytes]:
    """The node lines of a document written by `write_shard` (one node per line, in order), as the
    UTF-8 bytes they are in the file: an update copies most of them back unchanged."""
    try:
        start = data.index(b'"@graph": [\n') + len(b'"@graph": [\n')
        end = data.rindex(FOOTER.encode("utf-8"), start - 1)
    except ValueError:  # not a document of ours: nothing to reuse
        return []
    body = data[start:end]
    return body.split(b",\n") if body else []


def _recorded(table, column: str) -> list | None:
    return table.column(column).to_pylist() if column in table.column_names else None


def _spans_by(ids: list[str], starts: list | None, ends: list | None, name) -> dict[str, tuple[int, int]] | None:
    """key (name(id)) -> recorded (start, end) of the ids with a span; None when none were recorded."""
    if starts is None or ends is None:
        return None
    return {name(i): (s, e) for i, s, e in zip(ids, starts, ends) if s is not None and e is not None}


def recorded_spans(digests, iris: Iris, only: set[str] | None = None) -> dict[str, tuple[int, int]] | None:
    """graph IRI -> byte span of its lines in the shard's N-Quads, as a digests table (written by
    `write_shard`) records them (of the models in `only`, when given); None for a table from before
    spans were recorded."""
    if "nq_start" not in digests.column_names:
        return None
    return {iris.model(i): (start, end) for i, start, end in zip(
        digests.column("id").to_pylist(), digests.column("nq_start").to_pylist(), digests.column("nq_end").to_pylist())
        if start is not None and (only is None or i in only)}


def _node_spans(data: bytes, starts: list | None, ends: list | None) -> bool:
    """Whether the recorded spans of a document's node lines (in node order) still describe it: the
    first starts after the header, each next one two bytes (",\\n") after the one before, the last ends
    where the footer starts. Not so for a table from before they were recorded, or a file written otherwise."""
    if starts is None or ends is None or None in starts or None in ends:
        return False
    footer = FOOTER.encode("utf-8")
    at = len(header().encode("utf-8"))
    if not data.endswith(footer) or not data.startswith(b'"@graph": [\n', at - len(b'"@graph": [\n')):
        return False
    for start, end in zip(starts, ends):
        if start != at or end <= start:
            return False
        at = end + 2
    return (at - 2 if starts else at) == len(data) - len(footer)


class _Nodes(Mapping):
    """id -> node line, in the shard's order: a fresh one, or the previous file's (a slice of it when
    its spans are known, made when asked for). A shard's 8,000 slices made up front were where Python's
    cycle collector spent most of its 18% of the task (py-spy)."""

    def __init__(self, ids: list[str], fresh: dict[str, bytes], previous: "_Previous"):
        self.ids, self.fresh, self.previous = ids, fresh, previous

    def __getitem__(self, model_id: str):
        line = self.fresh.get(model_id)
        return line if line is not None else self.previous.line(model_id)

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


class _Previous:
    """The previous document's nodes: their record digests, and their lines by recorded span (`view`,
    `starts`, `ends`) or as split from the file (`lines`)."""

    def __init__(self, ids: list[str] = (), digests: list[str] = (), view: memoryview | None = None,
                 starts: list[int] | None = None, ends: list[int] | None = None, lines: list[bytes] | None = None):
        self.row = dict(zip(ids, range(len(ids))))  # id -> row (ints: nothing for the cycle collector)
        self.ids, self.digests, self.view, self.starts, self.ends, self.lines = ids, digests, view, starts, ends, lines

    def __bool__(self) -> bool:
        return bool(self.row)

    def digest_of(self) -> dict[str, str]:
        return dict(zip(self.ids, self.digests))

    def line(self, model_id: str):
        row = self.row[model_id]
        return self.lines[row] if self.view is None else self.view[self.starts[row]:self.ends[row]]

    def span(self, model_id: str) -> tuple[int, int] | None:
        """Where its line is in the previous file, when known."""
        row = self.row.get(model_id) if self.view is not None else None
        return None if row is None else (self.starts[row], self.ends[row])


def _read_previous(previous: Path, previous_digests: Path, fingerprint: str):
    """(the previous shard's digests table, its nodes), or (None, no nodes) when there is nothing to
    reuse: no files, other code, or a document of another length than its table."""
    if not (previous.exists() and previous_digests.exists()):
        return None, _Previous()
    table = read_parquet(previous_digests)
    if (table.schema.metadata or {}).get(b"mlentory.fingerprint") != fingerprint.encode():
        return None, _Previous()
    ids, digests = table.column("id").to_pylist(), table.column("digest").to_pylist()
    data = previous.read_bytes()
    starts, ends = _recorded(table, "jl_start"), _recorded(table, "jl_end")
    if _node_spans(data, starts, ends):
        return table, _Previous(ids, digests, view=memoryview(data), starts=starts, ends=ends)
    lines = node_lines(data)
    return (table, _Previous(ids, digests, lines=lines)) if len(lines) == len(ids) else (None, _Previous())


@contextmanager
def _no_cycle_collection():
    """An update keeps tens of thousands of spans (tuples) of a shard's files and makes no reference
    cycles: the cycle collector, walking the whole process each time it ran, took 18% of the task."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_shard(normalized: Path, previous: Path, previous_digests: Path, out: Path, out_digests: Path,
                fingerprint: str, iris: Iris = Iris(), rdf: tuple[tuple[Path, Path], tuple[Path, Path]] | None = None,
                title: str = "models") -> dict:
    """One shard's document; nodes of records whose digest is unchanged are copied from the previous one.

    `*_digests` list (id, record digest) in node order, with the code fingerprint in their metadata, so
    a node is reused only if it was made from the same record by the same code; they also record where
    each node is in the document, its lines in the N-Quads and its block in the Turtle, so an update
    copies the unchanged ones in runs of neighbours without splitting the files. With `rdf` ((previous
    N-Quads, previous Turtle), (N-Quads, Turtle)) the shard's RDF exports are written too, converting
    only the nodes written anew (see transform.rdf).
    """
    with _no_cycle_collection():
        return _write_shard(normalized, previous, previous_digests, out, out_digests, fingerprint, iris, rdf, title)


def _write_shard(normalized, previous, previous_digests, out, out_digests, fingerprint, iris, rdf, title) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.transform.normalized_shards import changed_records

    table, old = _read_previous(previous, previous_digests, fingerprint)
    ids, digests, changed = changed_records(normalized, old.digest_of())
    fresh = {r["identifier"]: json.dumps(to_node(r, iris), ensure_ascii=False, sort_keys=True).encode("utf-8")
             for r in changed}
    nodes = _Nodes(ids, fresh, old)
    head = header().encode("utf-8")
    written = _write_document(out, head, ids, nodes, fresh, old)
    counts = {"models": len(ids), "written": len(fresh), "reused": len(ids) - len(fresh)}
    graph_of = {i: iris.model(i) for i in ids}  # each IRI made once: the spans below are keyed by them
    spans: dict[str, tuple[int, int]] = {}
    blocks: dict[str, tuple[int, int]] = {}
    if rdf is not None:
        from pipeline.transform.rdf import update_shard_exports
        previous_spans = previous_blocks = None
        if old:
            name = lambda i: graph_of.get(i) or iris.model(i)
            previous_spans = _spans_by(old.ids, _recorded(table, "nq_start"), _recorded(table, "nq_end"), name)
            previous_blocks = _spans_by(old.ids, _recorded(table, "tt_start"), _recorded(table, "tt_end"), name)
        counts["rdf_converted"] = update_shard_exports(
            nodes, list(fresh), [i for i in old.ids if i not in graph_of], bool(old), iris, rdf[0], rdf[1],
            head.decode("utf-8"), FOOTER, title, previous_spans=previous_spans, spans=spans,
            previous_blocks=previous_blocks, blocks=blocks)
    # where each model is in the shard's files (null when unknown): the SPARQL store and the next update
    # read those bytes instead of scanning the files for them
    located = {"nq": [spans.get(graph_of[i]) for i in ids], "jl": written, "tt": [blocks.get(graph_of[i]) for i in ids]}
    arrays, names = [pa.array(ids, pa.string()), pa.array(digests, pa.string())], ["id", "digest"]
    for key, places in located.items():
        arrays += [pa.array([s[0] if s else None for s in places], pa.int64()),
                   pa.array([s[1] if s else None for s in places], pa.int64())]
        names += [f"{key}_start", f"{key}_end"]
    table = pa.Table.from_arrays(arrays, names=names)
    pq.write_table(table.replace_schema_metadata({b"mlentory.fingerprint": fingerprint.encode()}), out_digests,
                   compression="zstd", use_dictionary=False, write_statistics=False)  # unique values, never filtered
    return counts


def _write_document(out: Path, head: bytes, ids: list[str], nodes: _Nodes, fresh: dict,
                    old: _Previous) -> list[tuple[int, int]]:
    """The document of these nodes in `ids` order. Lines kept from the previous file go out in runs of
    neighbours, a slice each, where their spans are known. Returns each node's span."""
    written, pieces, previous = [], [], old.view
    at, run = len(head), None  # run: (start, end) of consecutive kept lines in the previous file
    for i in ids:
        span = None if i in fresh else old.span(i)
        if span is not None and run is not None and run[1] + 2 == span[0]:
            run = (run[0], span[1])
        else:
            if run is not None:
                pieces.append(previous[run[0]:run[1]])
            run = span
            if span is None:
                pieces.append(nodes[i])
        size = span[1] - span[0] if span is not None else len(nodes[i])
        written.append((at, at + size))
        at += size + 2
    if run is not None:
        pieces.append(previous[run[0]:run[1]])
    with HashedWriter(out) as fh:
        fh.write(head)
        for n, piece in enumerate(pieces):
            if n:
                fh.write(b",\n")
            fh.write(piece)
        fh.write(FOOTER.encode("utf-8"))
    return written


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
