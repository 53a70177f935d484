"""New models go into the embedded graph with FalkorDB's GRAPH.BULK command instead of Cypher.

A model the graph has never held has no old properties, relationships or neighbours: its load is
only creation, and GRAPH.BULK creates nodes and relationships from a binary stream without the
query parser and without MERGE's lookups. That is every model of a first (full) load.

`create_new_models` creates, for one batch of records, the new models, the nodes they point to
that do not exist yet, and their relationships, as the Cypher statements of graph_model.py would:
the same properties, the existing node for a model named in another case, one relationship per
(model, type, target). It returns the records left to Cypher: models already in the graph, two
records of one model in the batch, and records holding a value the format cannot carry as Cypher
would (a NUL in a string, an integer beyond 64 bits, a map or a null in a list); Cypher then takes
or refuses them as before.

The format is FalkorDB's ("GRAPH.BULK endpoint" in its docs): `GRAPH.BULK graph node_count
edge_count node_tokens edge_tokens token...`, a token being a label or relationship type, its
property names and its entries. The server (C, 4.16) parses tokens without bounds checks, so each
is built whole and checked here before it is sent. Node ids are not assumed from the order of
creation (a graph with deleted nodes reuses their ids): they are read back by key, over the indexes.

Why not the `falkordb-bulk-loader` package: it reads CSV files and infers each value's type from
its text (the string "123" becomes an integer, "true" a boolean, whitespace is stripped), and it
only creates a graph that does not exist yet, while ours holds other loaders' nodes.
"""

from __future__ import annotations

import math
import struct
from collections import Counter

from pipeline.errors import PipelineError
from pipeline.load import graph_model as gm

_NULL, _TRUE, _FALSE = b"\x00", b"\x01\x01", b"\x01\x00"
_TYPED_8 = struct.Struct("<Bq")  # a type byte and a 64-bit integer (a long, or an array's length)
_DOUBLE = struct.Struct("<Bd")
_ENDS = struct.Struct("<QQ")  # a relationship's source and destination node ids
_COUNT = struct.Struct("<I")
TOKEN_BYTES = 64 << 20  # Redis caps a string at 512 MB and a command at 1 GB
_ID_LOWER, _ID = "idLower", "id"


class Unencodable(ValueError):
    """A value the bulk format cannot carry the way a Cypher parameter would store it."""


def encode_value(value) -> bytes:
    """One property value in the bulk format (a ValueError for what it cannot carry)."""
    kind = type(value)
    if kind is str:
        data = value.encode()  # a lone surrogate raises UnicodeEncodeError, a ValueError
        if b"\x00" in data:
            raise Unencodable("a string with a NUL character")
        return b"\x03" + data + b"\x00"
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is int:
        if not -(1 << 63) <= value < 1 << 63:
            raise Unencodable(f"an integer beyond 64 bits: {value}")
        return _TYPED_8.pack(4, value)
    if kind is float:
        if not math.isfinite(value):
            raise Unencodable(f"a non-finite number: {value}")
        return _DOUBLE.pack(2, value)
    if kind is list:
        return _TYPED_8.pack(5, len(value)) + b"".join(encode_value(item) for item in value)
    raise Unencodable(f"a {kind.__name__} value")


def tokens(name: str, properties: list[str], entries: list[bytes]) -> list[bytes]:
    """The tokens of one label or relationship type: a header, then entries, each under TOKEN_BYTES."""
    header = b"".join([name.encode(), b"\x00", _COUNT.pack(len(properties))]
                      + [p.encode() + b"\x00" for p in properties])
    out, chunk, size = [], [header], len(header)
    for entry in entries:
        if size + len(entry) > TOKEN_BYTES and len(chunk) > 1:
            out.append(b"".join(chunk))
            chunk, size = [header], len(header)
        chunk.append(entry)
        size += len(entry)
    if len(chunk) > 1:
        out.append(b"".join(chunk))
    return out


def entry(values: dict[str, bytes], properties: list[str]) -> bytes:
    """One node's or relationship's values in header order (null where it has none)."""
    return b"".join([values.get(p, _NULL) for p in properties])


def bulk(client, graph: str, nodes: list[tuple[str, list[str], list[bytes]]],
         edges: list[tuple[str, list[str], list[bytes]]]) -> None:
    """Send one GRAPH.BULK command: nodes and edges as (label or type, property names, entries)."""
    node_tokens = [t for name, props, entries in nodes for t in tokens(name, props, entries)]
    edge_tokens = [t for name, props, entries in edges for t in tokens(name, props, entries)]
    node_count = sum(len(entries) for _, _, entries in nodes)
    edge_count = sum(len(entries) for _, _, entries in edges)
    if not node_count and not edge_count:
        return
    reply = client.execute_command("GRAPH.BULK", graph, node_count, edge_count, len(node_tokens),
                                   len(edge_tokens), *node_tokens, *edge_tokens)
    reply = reply.decode() if isinstance(reply, bytes) else str(reply)
    if reply != f"{node_count} nodes created, {edge_count} edges created":
        raise PipelineError(f"the embedded graph's bulk insert answered {reply!r} to {node_count} nodes "
                            f"and {edge_count} relationships")


def _lookup(labels_keys: dict[str, set[str]]) -> tuple[str, dict]:
    """One read finding nodes by key, for several labels: rows (label, key, node id)."""
    parts, params = [], {}
    for n, (label, keys) in enumerate(sorted(labels_keys.items())):
        if keys:
            key = _ID_LOWER if label == "MLModel" else _ID
            parts.append(f"UNWIND $k{n} AS k MATCH (n:{label} {{{key}: k}}) RETURN '{label}' AS label, k AS key, "
                         "id(n) AS node")
            params[f"k{n}"] = sorted(keys)
    return " UNION ALL ".join(parts), params


def _nodes_by_key(store, labels_keys: dict[str, set[str]]) -> dict[tuple[str, str], list[int]]:
    statement, params = _lookup(labels_keys)
    found: dict[tuple[str, str], list[int]] = {}
    for label, key, node in store.read(statement, params) if statement else ():
        found.setdefault((label, key), []).append(node)
    return found


class _Fresh:
    """A new model's encoded node values and relationships: (type, target label, key, spelling, values)."""

    __slots__ = ("record", "key", "values", "links")

    def __init__(self, record: dict, shard: str):
        self.record = record
        model_id = record["identifier"]
        self.key = model_id.lower()
        props = gm.model_properties(record, shard)
        props[_ID] = model_id
        self.values = {name: encode_value(value) for name, value in props.items()}
        self.links = []
        for field, rel, label in gm.RELATIONSHIPS:
            for target in gm.edge_targets(record, field):
                encode_value(target)  # the target's id becomes a property of a node this may create
                values = {}
                if rel == "FINE_TUNED_FROM":
                    values = {"relation": encode_value(record.get("baseModelRelation") or "unknown")}
                key = target.lower() if label == "MLModel" else target
                self.links.append((rel, label, key, target, values))


def _targets(records: list[dict]) -> dict[str, set[str]]:
    """label -> keys of the nodes the records are and point to (candidates to look up)."""
    keys: dict[str, set[str]] = {label: set() for _, _, label in gm.RELATIONSHIPS}
    for record in records:
        keys["MLModel"].add(record["identifier"].lower())
        for field, _, label in gm.RELATIONSHIPS:
            for target in gm.edge_targets(record, field):
                keys[label].add(target.lower() if label == "MLModel" else target)
    return keys


def create_new_models(store, client, graph: str, records: list[dict], shard_of: dict[str, str]) -> list[dict]:
    """Create the batch's new models with what they point to; return the records left to Cypher."""
    existing = _nodes_by_key(store, _targets(records))
    seen = Counter(r["identifier"].lower() for r in records)
    fresh: list[_Fresh] = []
    rest: list[dict] = []
    for record in records:
        key = record["identifier"].lower()
        if seen[key] > 1 or ("MLModel", key) in existing:
            rest.append(record)
            continue
        try:
            fresh.append(_Fresh(record, shard_of[record["identifier"]]))
        except ValueError:
            rest.append(record)
    if not fresh:
        return rest

    # nodes to create: the models, then what they point to that neither exists nor is created here
    models = {f.key for f in fresh}
    model_props = list(dict.fromkeys(name for f in fresh for name in f.values))
    stubs: dict[str, dict[str, bytes]] = {}  # MLModel stubs: idLower -> values (the first spelling wins)
    others: dict[str, dict[str, bytes]] = {}  # "label\0id" -> values
    for f in fresh:
        for _, label, key, spelling, _ in f.links:
            if (label, key) in existing or label == "MLModel" and key in models:
                continue
            if label == "MLModel":
                stubs.setdefault(key, {_ID_LOWER: encode_value(key), _ID: encode_value(spelling)})
            else:
                others.setdefault(f"{label}\0{key}", {_ID: encode_value(key)})
    node_groups = [("MLModel", model_props, [entry(f.values, model_props) for f in fresh])]
    if stubs:
        node_groups.append(("MLModel", [_ID_LOWER, _ID], [entry(v, [_ID_LOWER, _ID]) for v in stubs.values()]))
    new_keys: dict[str, set[str]] = {"MLModel": models | set(stubs)}
    by_label: dict[str, list[bytes]] = {}
    for label_key, values in others.items():
        label, key = label_key.split("\0", 1)
        by_label.setdefault(label, []).append(entry(values, [_ID]))
        new_keys.setdefault(label, set()).add(key)
    node_groups += [(label, [_ID], entries) for label, entries in sorted(by_label.items())]
    bulk(client, graph, node_groups, [])

    created = _nodes_by_key(store, new_keys)
    missing = [(label, key) for label, keys in new_keys.items() for key in keys if len(created.get((label, key), ())) != 1]
    if missing:
        raise PipelineError(f"the embedded graph's bulk insert created nodes it cannot find by their key "
                            f"({len(missing)}, e.g. {missing[0]}); loading again completes them through Cypher")
    existing.update(created)

    # relationships: one per (model, type, target node); a repeated one keeps its last values, as MERGE and SET do
    links: dict[str, dict[tuple[int, int], dict[str, bytes]]] = {}
    for f in fresh:
        (source,) = created[("MLModel", f.key)]
        for rel, label, key, _, values in f.links:
            for target in existing[(label, key)]:
                links.setdefault(rel, {})[(source, target)] = values
    edge_groups = []
    for rel, pairs in links.items():
        props = list(dict.fromkeys(name for values in pairs.values() for name in values))
        edge_groups.append((rel, props, [_ENDS.pack(s, t) + entry(v, props) for (s, t), v in pairs.items()]))
    bulk(client, graph, [], edge_groups)
    return rest
