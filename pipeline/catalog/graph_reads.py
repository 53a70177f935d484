"""What the catalog's pages read from the graph, as openCypher both stores run (Neo4j, FalkorDB).

Every read is a lookup by an indexed id (pipeline/load/graph_model.py: models by `idLower`, other
nodes by `id`), then one step along the relationships, so a page costs the same on a catalog of a
hundred models or of two million. Lists of related models are capped (most downloaded first) and
say how many there are in all.
"""

from __future__ import annotations

from pipeline.catalog.records import BOOKKEEPING, entity_record, model_record, node_kind

MAX_DEPTH = 5
# a node's one-step neighbourhood: what the node links to, with the link's own properties
_OUT = ("OPTIONAL MATCH (n)-[r]->(t) WHERE NOT t:LoadReceipt "
        "RETURN properties(n), collect({rel: type(r), label: labels(t)[0], props: properties(t), "
        "link: properties(r)})")
MODEL = "MATCH (n:MLModel {idLower: $key}) " + _OUT
ROOT = "MATCH (n:MLModel {idLower: $key}) RETURN n.id, n.harvested, n.fetched, n.downloads"
# models pointing at a node, by relationship: how many, and the most downloaded of them
LINKED_COUNTS = "MATCH (m:MLModel)-[r]->(n:{label} {{id: $id}}) RETURN type(r), count(m)"
LINKED_MODELS = ("MATCH (m:MLModel)-[r]->(n:{label} {{id: $id}}) WHERE type(r) = $rel "
                 "RETURN m.id, m.name, m.downloads, m.harvested, m.fetched ORDER BY coalesce(m.downloads, -1) DESC, "
                 "m.id LIMIT $limit")
BASES = ("UNWIND $ids AS id MATCH (m:MLModel {id: id})-[r:FINE_TUNED_FROM]->(b:MLModel) "
         "RETURN m.id, b.id, r.relation, b.harvested, b.fetched, b.downloads")
DERIVED = ("UNWIND $ids AS id MATCH (c:MLModel)-[r:FINE_TUNED_FROM]->(m:MLModel {id: id}) "
           "RETURN m.id, c.id, r.relation, c.harvested, c.fetched, c.downloads "
           "ORDER BY coalesce(c.downloads, -1) DESC, c.id LIMIT $limit")
DERIVED_COUNTS = ("UNWIND $ids AS id MATCH (c:MLModel)-[:FINE_TUNED_FROM]->(m:MLModel {id: id}) "
                  "RETURN m.id, count(c)")


def _links(rows: list) -> list[dict]:
    """The neighbourhood column of _OUT as {rel, label, id, props, link}, without the empty match and
    without the loaders' bookkeeping."""
    return [{"rel": item["rel"], "label": item["label"], "id": item["props"].get("id"),
             "props": {k: v for k, v in item["props"].items() if k not in BOOKKEEPING},
             "link": item.get("link") or {}} for item in rows if item and item.get("rel")]


def model(store, model_id: str) -> dict | None:
    """A model node (found whatever the case of its id) as {id, kind, record, links}; None if the
    graph has no such model."""
    rows = store.read(MODEL, {"key": model_id.lower()})
    if not rows or rows[0][0] is None:
        return None
    props, links = rows[0][0], _links(rows[0][1])
    return {"id": props["id"], "kind": node_kind(props), "record": model_record(props, links), "links": links}


def entity(store, label: str, entity_id: str, limit: int) -> dict | None:
    """A dataset, paper (or other entity) node as {id, record, links, used_by}: what it links to, and
    per relationship the models pointing at it ({count, models: the `limit` most downloaded})."""
    rows = store.read(f"MATCH (n:{label} {{id: $id}}) " + _OUT, {"id": entity_id})
    if not rows or rows[0][0] is None:
        return None
    used_by = {}
    for rel, count in store.read(LINKED_COUNTS.format(label=label), {"id": entity_id}):
        models = store.read(LINKED_MODELS.format(label=label), {"id": entity_id, "rel": rel, "limit": limit})
        used_by[rel] = {"count": count, "models": [_model_summary(*row) for row in models]}
    return {"id": rows[0][0]["id"], "record": entity_record(rows[0][0]), "links": _links(rows[0][1]),
            "used_by": used_by}


def _model_summary(model_id, name, downloads, harvested, fetched) -> dict:
    return {"id": model_id, "name": name, "downloads": downloads,
            "kind": node_kind({"harvested": harvested, "fetched": fetched})}


def lineage(store, model_id: str, direction: str, depth: int, limit: int) -> dict | None:
    """The model's ancestors (its bases, theirs...) and/or descendants up to `depth` steps, as nodes
    and edges (derived -> base, with the relation). Each step is one query from the previous step's
    models; descendants are capped at `limit` per step (the most downloaded), and `more` says per
    model how many of its derived models were left out. None if the graph has no such model."""
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str], str] = {}
    more: dict[str, int] = {}

    def add(node_id, harvested, fetched, downloads) -> None:
        nodes.setdefault(node_id, {"id": node_id, "downloads": downloads,
                                   "kind": node_kind({"harvested": harvested, "fetched": fetched})})

    root = store.read(ROOT, {"key": model_id.lower()})
    if not root:
        return None
    model_id = root[0][0]
    add(*root[0])
    nodes[model_id]["depth"] = 0

    for way in (("ancestors", "descendants") if direction == "both" else (direction,)):
        frontier = [model_id]
        for step in range(1, depth + 1):
            if not frontier:
                break
            if way == "ancestors":
                rows = store.read(BASES, {"ids": frontier})
                found = [(derived, base, relation, h, f, d, base) for derived, base, relation, h, f, d in rows]
            else:
                rows = store.read(DERIVED, {"ids": frontier, "limit": limit})
                found = [(derived, base, relation, h, f, d, derived) for base, derived, relation, h, f, d in rows]
                shown: dict[str, int] = {}
                for _, base, *_ in found:
                    shown[base] = shown.get(base, 0) + 1
                for base, count in store.read(DERIVED_COUNTS, {"ids": frontier}):
                    if count > shown.get(base, 0):
                        more[base] = count - shown.get(base, 0)
            frontier = []
            for derived, base, relation, harvested, fetched, downloads, reached in found:
                if reached not in nodes:
                    frontier.append(reached)
                add(reached, harvested, fetched, downloads)
                nodes[reached].setdefault("depth", step if way == "ancestors" else -step)
                edges[(derived, base)] = relation or "unknown"
    return {"id": model_id, "nodes": list(nodes.values()), "more": more,
            "edges": [{"from": derived, "to": base, "relation": relation} for (derived, base), relation in edges.items()]}
