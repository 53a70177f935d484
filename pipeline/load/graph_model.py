"""The property graph of FAIR4ML records: which nodes and relationships a model becomes, as Cypher.

The statements are plain openCypher shared by Neo4j and FalkorDB; dialect differences (index and
constraint DDL) live in the stores. Loading is a full replace of each model's properties and
outgoing relationships, stamped with a load id, so a reload with the same input changes nothing,
properties removed upstream disappear, and models missing from the input can be retired.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pipeline.transform.fair4ml import arxiv_ids

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
LABELS = ("MLModel", "Dataset", "Agent", "License", "Task", "Language", "Paper", "LoadReceipt")
_EDGE_FIELDS = {field for field, _, _ in RELATIONSHIPS}
_REL_TYPES = "|".join(rel for _, rel, _ in RELATIONSHIPS)


def model_properties(record: dict, shard: str) -> dict:
    """Node properties: scalars and lists of strings; nested values as JSON text; no nulls."""
    props = {"harvested": True, "shard": shard}
    for key, value in record.items():
        if key in _EDGE_FIELDS or key == "identifier" or value is None or value == []:
            continue
        if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        props[key] = value
    return props


def edge_targets(record: dict, field: str) -> list[str]:
    if field == "citation":
        return arxiv_ids(record)
    value = record.get(field)
    if field == "author" and value == record.get("sharedBy"):
        return []  # the namespace is already linked by SHARED_BY
    values = value if isinstance(value, list) else [value] if value else []
    return [v for v in values if isinstance(v, str) and v]


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
        models.append({"id": model_id, "props": model_properties(record, shard)})
        for field, rel, _ in RELATIONSHIPS:
            for target in edge_targets(record, field):
                props = {"relation": record.get("baseModelRelation") or "finetune"} if rel == "FINE_TUNED_FROM" else {}
                edges[rel].append({"src": model_id, "dst": target, "props": props})
    return ModelRows(models, edges)


UPSERT_MODELS = (
    "UNWIND $rows AS row MERGE (m:MLModel {id: row.id}) "
    "SET m = row.props, m.id = row.id"
)
# Outgoing relationships are rebuilt from the record on every load of the model.
DELETE_OUTGOING = f"UNWIND $ids AS id MATCH (m:MLModel {{id: id}})-[r:{_REL_TYPES}]->() DELETE r"


def upsert_edges(rel: str, label: str) -> str:
    return (f"UNWIND $rows AS row MATCH (m:MLModel {{id: row.src}}) "
            f"MERGE (t:{label} {{id: row.dst}}) MERGE (m)-[r:{rel}]->(t) SET r = row.props")


EDGE_STATEMENTS = tuple((rel, upsert_edges(rel, label)) for _, rel, label in RELATIONSHIPS)

# Models that left the source: drop their properties and relationships. One another model still
# names as its base stays as a stub (id only); every other one is deleted with the orphans below.
RETIRE_MODELS = (
    f"UNWIND $ids AS id MATCH (m:MLModel {{id: id}}) WHERE m.harvested = true "
    f"OPTIONAL MATCH (m)-[r:{_REL_TYPES}]->() DELETE r "
    "WITH DISTINCT m SET m = {id: m.id}"
)
SHARD_MODELS = "MATCH (m:MLModel) WHERE m.harvested = true AND m.shard = $shard RETURN m.id"
NEIGHBOURS = f"UNWIND $ids AS id MATCH (m:MLModel {{id: id}})-[:{_REL_TYPES}]->(t) RETURN DISTINCT labels(t)[0], t.id"
DELETE_ORPHAN_STUBS = ("UNWIND $ids AS id MATCH (m:MLModel {id: id}) "
                       "WHERE m.harvested IS NULL AND NOT ()-[:FINE_TUNED_FROM]->(m) DETACH DELETE m")


def delete_orphans(label: str) -> str:
    """Among the given ids, delete the nodes nothing points to any more."""
    return f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) WHERE NOT (n)--() DELETE n"


COUNT_NODES = "MATCH (n) WHERE NOT n:LoadReceipt RETURN count(n)"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r)"
WRITE_RECEIPT = "MERGE (r:LoadReceipt {loader: $loader, shard: $shard}) SET r.receipt = $receipt"
READ_RECEIPTS = "MATCH (r:LoadReceipt {loader: $loader}) RETURN r.shard, r.receipt"
