"""The property graph of FAIR4ML records: which nodes and relationships a model becomes, as Cypher.

The statements are plain openCypher shared by Neo4j and FalkorDB; dialect differences (index and
constraint DDL) live in the stores. Hub ids are case-insensitive, so a model node is found by its
lower-case id (`idLower`): a card naming `org/Model-7b` links to the node of `org/Model-7B`, whichever
of the two was loaded first, and `id` keeps the Hub's spelling once the model itself is loaded. Loading is a full replace of each model's properties and
outgoing relationships, stamped with a load id, so a reload with the same input changes nothing,
properties removed upstream disappear, and models missing from the input can be retired.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pipeline.transform.ids import arxiv_ids, dois
from pipeline.transform.entities import KIND_OF_TYPE
from pipeline.transform.fair4ml import ARROW_SCHEMA
from pipeline.transform.licenses import license_key

# (record field, relationship type, label of the node it points to)
RELATIONSHIPS = (
    ("fineTunedFrom", "FINE_TUNED_FROM", "MLModel"),
    ("trainedOn", "TRAINED_ON", "Dataset"),
    ("evaluatedOn", "EVALUATED_ON", "Dataset"),
    ("sharedBy", "SHARED_BY", "Agent"),
    ("author", "AUTHORED_BY", "Agent"),
    ("license", "HAS_LICENSE", "License"),
    ("mlTask", "HAS_TASK", "Task"),
    ("inLanguage", "IN_LANGUAGE", "Language"),
    ("citation", "CITES", "Paper"),
)
LABELS = ("MLModel", "Dataset", "Agent", "Person", "License", "Task", "Language", "Paper", "LoadReceipt")
_EDGE_FIELDS = {field for field, _, _ in RELATIONSHIPS}
# The record's long texts and nested values stay out of the graph: they live in the normalized records
# (Parquet), which the catalog's model page reads them from (pipeline/catalog/service.py), and the
# description in the search index. On the real-world corpus they are 87% of a model node's property
# bytes; the graph holds what is queried and followed.
RECORD_ONLY = frozenset({"description", "intendedUse", "modelRisksBiasLimitations", "usageInstructions",
                         "codeSampleSnippet", "evaluationMetrics", "citationDetails", "fieldSources", "inputs",
                         "outputs"})
_NOT_PROPERTIES = _EDGE_FIELDS | RECORD_ONLY | {"identifier"}
# the record fields a model's node and relationships are made of (the model loader reads only these columns)
MODEL_FIELDS = frozenset(ARROW_SCHEMA.names) - RECORD_ONLY
_REL_TYPES = "|".join(rel for _, rel, _ in RELATIONSHIPS)


def model_properties(record: dict, shard: str) -> dict:
    """Node properties: scalars and lists of strings; nested values as JSON text; no nulls; no RECORD_ONLY
    fields."""
    props = {"harvested": True, "shard": shard, "idLower": record["identifier"].lower()}
    for key, value in record.items():
        if key in _NOT_PROPERTIES or value is None or value == []:
            continue
        if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):  # (a map is refused)
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        props[key] = value
    return props


def edge_targets(record: dict, field: str) -> list[str]:
    if field == "citation":  # papers by arXiv id, others by DOI
        return arxiv_ids(record) + dois(record)
    if field == "license":  # `other` licenses are told apart by name, as in the licenses asset
        return [license_key(v, record.get("licenseName")) for v in record.get("license") or [] if isinstance(v, str) and v]
    value = record.get(field)
    if field == "author" and value == record.get("sharedBy"):
        return []  # the namespace is already linked by SHARED_BY
    values = value if isinstance(value, list) else [value] if value else []
    return [v for v in values if isinstance(v, str) and v]


def record_links(record: dict) -> list[tuple[str, str, str]]:
    """(relationship type, target label, target id) of every relationship the record's model makes."""
    return [(rel, label, target) for field, rel, label in RELATIONSHIPS for target in edge_targets(record, field)]


@dataclass
class ModelRows:
    """The rows one batch of records becomes, ready for `UNWIND $rows`."""

    models: list[dict]
    edges: dict[str, list[dict]]  # relationship type -> [{src, dst, props}]


def rows_for(records: list[dict], shard: str) -> ModelRows:
    edges: dict[str, list[dict]] = {rel: [] for _, rel, _ in RELATIONSHIPS}
    models = []
    for record in records:
        model_id = record["identifier"]
        models.append({"id": model_id, "idLower": model_id.lower(), "props": model_properties(record, shard)})
        for field, rel, _ in RELATIONSHIPS:
            for target in edge_targets(record, field):
                if rel == "FINE_TUNED_FROM":
                    props = {"relation": record.get("baseModelRelation") or "unknown"}
                    edges[rel].append({"src": model_id, "dst": target, "dstLower": target.lower(), "props": props})
                else:
                    edges[rel].append({"src": model_id, "dst": target, "props": {}})
    return ModelRows(models, edges)


UPSERT_MODELS = (
    "UNWIND $rows AS row MERGE (m:MLModel {idLower: row.idLower}) "
    "SET m = row.props, m.id = row.id"
)
# Models the graph holds no node of (checked just before, in the same batch: `EXISTING_MODELS`) are only
# created: there is nothing to find or replace.
CREATE_MODELS = "UNWIND $rows AS row CREATE (m:MLModel) SET m = row.props, m.id = row.id"
# Outgoing relationships are rebuilt from the record on every load of the model.
DELETE_OUTGOING = f"UNWIND $ids AS id MATCH (m:MLModel {{id: id}})-[r:{_REL_TYPES}]->() DELETE r"
_TARGET_KEY = {rel: "dstLower" if label == "MLModel" else "dst" for _, rel, label in RELATIONSHIPS}


def _links(rel: str, label: str) -> str:
    target = ("MERGE (t:MLModel {idLower: d.dstLower}) ON CREATE SET t.id = d.dst" if label == "MLModel"
              else f"MERGE (t:{label} {{id: d.dst}})")
    return f"FOREACH (d IN coalesce(row.{rel}, []) | {target} CREATE (m)-[r:{rel}]->(t) SET r = d.props)"


# Every relationship of a batch's models, in one statement: each model is found once (not once per
# relationship and type), and each relationship is created, not merged. By then no model of the batch makes
# any: a new model never did, a stub never does, and the others' were deleted (DELETE_OUTGOING). Rows are
# {id, <type>: [{dst, dstLower, props}]} with the types the model makes, each target node once (`unrepeated`).
MODEL_LINKS = ("UNWIND $rows AS row MATCH (m:MLModel {id: row.id}) "
               + " ".join(_links(rel, label) for _, rel, label in RELATIONSHIPS))


def unrepeated(rel: str, edges: list[dict]) -> list[dict]:
    """One row per (model, target node), as MERGE would leave it (a card may name a dataset twice, or a base
    model in two spellings): the first, whose spelling a base model created for it takes; a model's rows of
    one type carry the same properties."""
    key, kept = _TARGET_KEY[rel], {}
    for edge in edges:
        kept.setdefault((edge["src"], edge[key]), edge)
    return list(kept.values())


# Models that left the source: drop their properties and relationships. One another model still
# names as its base stays as a stub (id only); every other one is deleted with the orphans below.
RETIRE_MODELS = (
    f"UNWIND $ids AS id MATCH (m:MLModel {{id: id}}) WHERE m.harvested = true "
    f"OPTIONAL MATCH (m)-[r:{_REL_TYPES}]->() DELETE r "
    "WITH DISTINCT m SET m = {id: m.id, idLower: m.idLower}"
)
SHARD_MODELS = "MATCH (m:MLModel) WHERE m.harvested = true AND m.shard = $shard RETURN m.id"
NEIGHBOURS = f"UNWIND $ids AS id MATCH (m:MLModel {{id: id}})-[:{_REL_TYPES}]->(t) RETURN DISTINCT labels(t)[0], t.id"
# which of these lower-case ids have a model node (harvested or a stub) already, and how many relationships
# it makes (a stub makes none: nothing of it to ask about or delete)
# (counting the optional matches with CASE: `count(r)` over a model with none makes Neo4j warn that it left
# out a null, a notice for every incremental load)
EXISTING_MODELS = (f"UNWIND $keys AS k MATCH (m:MLModel {{idLower: k}}) OPTIONAL MATCH (m)-[r:{_REL_TYPES}]->() "
                   "RETURN m.idLower, sum(CASE WHEN r IS NULL THEN 0 ELSE 1 END)")
DELETE_ORPHAN_STUBS = ("UNWIND $ids AS id MATCH (m:MLModel {id: id}) "
                       "WHERE m.harvested IS NULL AND NOT ()-[:FINE_TUNED_FROM]->(m) DETACH DELETE m")


def delete_orphans(label: str) -> str:
    """Among the given ids, delete the nodes nothing points to any more."""
    return f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) WHERE NOT (n)--() DELETE n"


COUNT_NODES = "MATCH (n) WHERE NOT n:LoadReceipt RETURN count(n)"
# Graphs loaded before model nodes had `idLower` get it once, so MERGE finds their nodes.
ADD_ID_LOWER = "MATCH (m:MLModel) WHERE m.idLower IS NULL SET m.idLower = toLower(m.id)"
MISSING_ID_LOWER = "MATCH (m:MLModel) WHERE m.idLower IS NULL RETURN count(m)"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r)"
WRITE_RECEIPTS = ("UNWIND $rows AS row MERGE (r:LoadReceipt {loader: $loader, shard: row.shard}) "
                  "SET r.receipt = row.receipt")
READ_RECEIPTS = "MATCH (r:LoadReceipt {loader: $loader}) RETURN r.shard, r.receipt"


# --- entities (datasets, papers, people, licenses, tasks, stub base models) ---------------------
# Links an entity record makes to other entities: (kind, record field, relationship, target label).
ENTITY_LINKS = (
    ("Dataset", "license", "HAS_LICENSE", "License"),
    ("Dataset", "mlTask", "HAS_TASK", "Task"),
    ("Dataset", "sharedBy", "SHARED_BY", "Agent"),
    # the same dataset on another platform (same DOI or source address: transform/entities.py)
    ("Dataset", "sameDatasets", "SAME_AS", "Dataset"),
    ("Paper", "author", "AUTHORED_BY", "Person"),
    # a base model fetched beyond the harvest continues the lineage with links of its own
    ("MLModel", "fineTunedFrom", "FINE_TUNED_FROM", "MLModel"),
    ("MLModel", "license", "HAS_LICENSE", "License"),
    ("MLModel", "mlTask", "HAS_TASK", "Task"),
)
ENTITY_KINDS = tuple(KIND_OF_TYPE.values())


@dataclass
class EntityRows:
    nodes: dict[str, list[dict]]  # kind -> [{id, props}]
    edges: dict[tuple[str, str, str], list[dict]]  # (kind, rel, target label) -> [{src, dst}]


def entity_properties(record: dict, key: str) -> dict:
    props = {"enriched": True, "key": key, "type": record["@type"]}
    for name, value in record.items():
        if name in ("@type", "identifier", "harvested") or value is None or value == []:
            continue
        if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        props[name] = value
    return props


def entity_key(record: dict) -> str:
    return f"{KIND_OF_TYPE[record['@type']]} {record['identifier']}"


def entity_rows(records: list[dict]) -> EntityRows:
    """The rows entity records (see pipeline/transform/entities.py) become."""
    nodes: dict[str, list[dict]] = {kind: [] for kind in ENTITY_KINDS}
    edges: dict[tuple, list[dict]] = {(k, rel, label): [] for k, _, rel, label in ENTITY_LINKS}
    for record in records:
        kind, key = KIND_OF_TYPE[record["@type"]], entity_key(record)
        nodes[kind].append({"id": record["identifier"], "props": entity_properties(record, key)})
        for link_kind, field, rel, label in ENTITY_LINKS:
            if link_kind != kind:
                continue
            values = record.get(field)
            for target in values if isinstance(values, list) else [values] if values else []:
                if field == "license":
                    target = license_key(target, record.get("licenseName"))
                edge = {"src": record["identifier"], "dst": target, "props": {}}
                if rel == "FINE_TUNED_FROM":
                    edge.update(dstLower=target.lower(), props={"relation": record.get("baseModelRelation") or "unknown"})
                edges[(kind, rel, label)].append(edge)
    return EntityRows(nodes, edges)


def entity_rel_types(kind: str) -> str:
    return "|".join(rel for k, _, rel, _ in ENTITY_LINKS if k == kind)


def upsert_entities(kind: str) -> str:
    """Entity nodes carry the stamp of the load that last wrote them (see STALE_ENRICHED_KEYS)."""
    if kind == "MLModel":  # a stub only: once harvested, the model's own loader owns the node
        return ("UNWIND $rows AS row MERGE (n:MLModel {idLower: toLower(row.id)}) ON CREATE SET n.id = row.id "
                "WITH n, row WHERE n.harvested IS NULL SET n += row.props, n.loadStamp = $stamp")
    return f"UNWIND $rows AS row MERGE (n:{kind} {{id: row.id}}) SET n = row.props, n.id = row.id, n.loadStamp = $stamp"


# A model node the model loader owns (harvested) is never the entity loader's to link or unlink.
_NOT_HARVESTED = {"MLModel": " WHERE n.harvested IS NULL"}


def delete_entity_links(kind: str) -> str | None:
    rels = entity_rel_types(kind)
    guard = _NOT_HARVESTED.get(kind, "")
    return f"UNWIND $ids AS id MATCH (n:{kind} {{id: id}})-[r:{rels}]->(){guard} DELETE r" if rels else None


def entity_link(kind: str, rel: str, label: str) -> str:
    target = ("MERGE (t:MLModel {idLower: row.dstLower}) ON CREATE SET t.id = row.dst" if label == "MLModel"
              else f"MERGE (t:{label} {{id: row.dst}})")
    return (f"UNWIND $rows AS row MATCH (n:{kind} {{id: row.src}}){_NOT_HARVESTED.get(kind, '')} {target} "
            f"MERGE (n)-[r:{rel}]->(t) SET r = row.props")


def entity_neighbours(kind: str) -> str | None:
    rels = entity_rel_types(kind)
    return (f"UNWIND $ids AS id MATCH (n:{kind} {{id: id}})-[:{rels}]->(t) RETURN DISTINCT labels(t)[0], t.id"
            if rels else None)


def retire_entities(kind: str) -> str:
    """Entities no longer in the catalog lose what the enrichment gave them (stubs of now-harvested
    models are left to the model loader)."""
    if kind == "MLModel":
        return ("UNWIND $ids AS id MATCH (n:MLModel {id: id}) WHERE n.enriched = true AND n.harvested IS NULL "
                "SET n = {id: n.id, idLower: n.idLower}")
    return f"UNWIND $ids AS id MATCH (n:{kind} {{id: id}}) WHERE n.enriched = true SET n = {{id: n.id}}"


# After a full load has written every entity of the catalog with its stamp, the entities that hold
# another stamp (or none) are the ones that left it: only they come back, not the whole catalog.
STALE_ENRICHED_KEYS = "MATCH (n) WHERE n.enriched = true AND coalesce(n.loadStamp, '') <> $stamp RETURN n.key"
BARE_STUBS = ("UNWIND $ids AS id MATCH (n:MLModel {id: id}) WHERE n.harvested IS NULL AND n.enriched IS NULL "
              "RETURN n.id")
