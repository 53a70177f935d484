"""New models go into the embedded graph with FalkorDB's GRAPH.BULK command instead of Cypher.

A model the graph has never held has no old properties, relationships or neighbours: its load is
only creation, and GRAPH.BULK creates nodes and relationships from a binary stream without the
query parser and without MERGE's lookups. That is every model of a first (full) load.

`NewModels` (one per load, see graph.ModelWriter) creates a batch's new models as nodes at once
and holds their relationships back until the load's models all exist; then it finds or creates
what they point to and creates the relationships, as the Cypher statements of graph_model.py would:
the same properties, the existing node for a model named in another case (also a fine-tune's base
that comes later in the load), one relationship per (model, type, target). Left to Cypher, as
before and refusals included: models already in the graph, two records of one model in a batch,
and records holding a value the format cannot carry as Cypher would (a NUL in a string, an integer
beyond 64 bits, a map or a null in a list).

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
from array import array
from collections import Counter

import redis

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
    from pipeline.load.falkordb import when_not_busy
    try:
        reply = when_not_busy(lambda: client.execute_command("GRAPH.BULK", graph, node_count, edge_count,
                                                             len(node_tokens), len(edge_tokens), *node_tokens,
                                                             *edge_tokens))
    except redis.exceptions.ResponseError as exc:
        # FalkorDB drops a graph whose bulk insert it refuses: its receipts go with it, so the next run
        # reloads it whole
        raise PipelineError(f"the embedded graph refused a bulk insert of {node_count} nodes and {edge_count} "
                            f"relationships: {exc}; run `doit` again to reload the graph") from exc
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


class NewModels:
    """Creates a load's new models in bulk, and their relationships once the load's models all exist.

    `create` makes the nodes of a batch's new models at once and holds their relationships back (as
    node ids and indexes into a table of targets, 25 bytes each); `link` then finds or creates
    the targets and creates the relationships. Held back, a fine-tune's base that comes later in the
    load is found as the model it is, not created as a stub the base's own record would then have to
    update through Cypher. Beyond HELD_LINKS relationships are linked early, except those to models
    not yet in the graph, which wait for the final `link`."""

    HELD_LINKS = 1_000_000

    def __init__(self, store, client, graph: str):
        self.store, self.client, self.graph = store, client, graph
        self.target_index: dict[tuple[str, str], int] = {}  # (label, key) -> index into targets
        self.targets: list[tuple[str, str, str]] = []  # (label, key, the first spelling of the id)
        self.value_index: dict[bytes, int] = {b"": 0}
        self.values: list[bytes] = [b""]  # a relationship's encoded properties (FINE_TUNED_FROM's relation)
        # the held relationships, a column each: source node id, type, target index, values index
        self.sources, self.rels, self.dests, self.props = array("q"), array("B"), array("l"), array("l")

    def create(self, records: list[dict], shard_of: dict[str, str], links: list[list[tuple]]) -> list[dict]:
        """Create the batch's models the graph does not hold; return the records left to Cypher.
        `links` holds each record's `graph_model.record_links`."""
        lowers = [r["identifier"].lower() for r in records]
        existing = _nodes_by_key(self.store, {"MLModel": set(lowers)})
        seen = Counter(lowers)
        fresh, rest = [], []
        for record, key, record_links in zip(records, lowers, links):
            if seen[key] > 1 or ("MLModel", key) in existing:
                rest.append(record)
                continue
            try:
                fresh.append((key, *_encoded(record, shard_of[record["identifier"]], record_links)))
            except ValueError:
                rest.append(record)
        if not fresh:
            return rest
        props = list(dict.fromkeys(name for _, values, _ in fresh for name in values))
        bulk(self.client, self.graph, [("MLModel", props, [entry(values, props) for _, values, _ in fresh])], [])
        created = _created(self.store, {"MLModel": {key for key, _, _ in fresh}})
        for key, _, links in fresh:
            (source,) = created[("MLModel", key)]
            for rel, label, target, spelling, values in links:
                self._hold(source, rel, label, target, spelling, values)
        if len(self.sources) >= self.HELD_LINKS:
            self.link(final=False)
        return rest

    def _hold(self, source: int, rel: str, label: str, key: str, spelling: str, values: bytes) -> None:
        index = self.target_index.get((label, key))
        if index is None:
            index = self.target_index[(label, key)] = len(self.targets)
            self.targets.append((label, key, spelling))
        value = self.value_index.get(values)
        if value is None:
            value = self.value_index[values] = len(self.values)
            self.values.append(values)
        self.sources.append(source)
        self.rels.append(_REL_INDEX[rel])
        self.dests.append(index)
        self.props.append(value)

    def link(self, final: bool = True) -> None:
        """Create the held relationships and the targets that do not exist yet. Not `final`: a base
        model not in the graph yet may still come in this load, so its relationships stay held."""
        wanted = sorted(set(self.dests))
        keys: dict[str, set[str]] = {}
        for index in wanted:
            label, key, _ = self.targets[index]
            keys.setdefault(label, set()).add(key)
        found = _nodes_by_key(self.store, keys)
        missing = [i for i in wanted if self.targets[i][:2] not in found and (final or self.targets[i][0] != "MLModel")]
        if missing:
            groups: dict[str, list[bytes]] = {}
            new_keys: dict[str, set[str]] = {}
            for index in missing:
                label, key, spelling = self.targets[index]
                values = {_ID_LOWER: encode_value(key), _ID: encode_value(spelling)} if label == "MLModel" \
                    else {_ID: encode_value(key)}
                groups.setdefault(label, []).append(entry(values, list(values)))
                new_keys.setdefault(label, set()).add(key)
            bulk(self.client, self.graph, [(label, [_ID_LOWER, _ID] if label == "MLModel" else [_ID], entries)
                                           for label, entries in groups.items()], [])
            found.update(_created(self.store, new_keys))
        # one relationship per (model, type, target node); a repeated one keeps its last values, as MERGE and SET do
        pairs: dict[tuple[int, int, int], int] = {}
        held = (array("q"), array("B"), array("l"), array("l"))
        for source, rel, dest, value in zip(self.sources, self.rels, self.dests, self.props):
            nodes = found.get(self.targets[dest][:2])
            if nodes is None:  # a base model that may still come in this load
                for column, item in zip(held, (source, rel, dest, value)):
                    column.append(item)
                continue
            for node in nodes:
                pairs[(source, rel, node)] = value
        groups: dict[int, list[bytes]] = {}
        for (source, rel, node), value in pairs.items():
            groups.setdefault(rel, []).append(_ENDS.pack(source, node) + self.values[value])
        bulk(self.client, self.graph, [], [(_RELS[rel][0], _RELS[rel][1], entries) for rel, entries in groups.items()])
        # the target table keeps only what the relationships still held name (it would grow with the load)
        kept = sorted(set(held[2]))
        renumbered = {old: new for new, old in enumerate(kept)}
        self.targets = [self.targets[i] for i in kept]
        self.target_index = {target[:2]: n for n, target in enumerate(self.targets)}
        self.sources, self.rels, self.props = held[0], held[1], held[3]
        self.dests = array("l", [renumbered[i] for i in held[2]])


_RELS = [(rel, ["relation"] if rel == "FINE_TUNED_FROM" else []) for _, rel, _ in gm.RELATIONSHIPS]
_REL_INDEX = {rel: n for n, (rel, _) in enumerate(_RELS)}


def _encoded(record: dict, shard: str, links: list[tuple[str, str, str]]) -> tuple[dict[str, bytes], list[tuple]]:
    """A new model's node values and relationships (type, target label, key, spelling, values), encoded."""
    props = gm.model_properties(record, shard)
    props[_ID] = record["identifier"]
    values = {}
    for name, value in props.items():
        if type(value) is str:  # most values: encode_value's first case, without the call
            data = value.encode()
            if b"\x00" in data:
                raise Unencodable("a string with a NUL character")
            values[name] = b"\x03" + data + b"\x00"
        else:
            values[name] = encode_value(value)
    encoded = []
    relation = None
    for rel, label, target in links:
        encode_value(target)  # the target's id becomes a property of a node this may create
        if rel == "FINE_TUNED_FROM":
            relation = relation or encode_value(record.get("baseModelRelation") or "unknown")
        encoded.append((rel, label, target.lower() if label == "MLModel" else target, target,
                        relation if rel == "FINE_TUNED_FROM" else b""))
    return values, encoded


def _created(store, new_keys: dict[str, set[str]]) -> dict[tuple[str, str], list[int]]:
    """The node ids of nodes just created, read back by key."""
    created = _nodes_by_key(store, new_keys)
    missing = [(label, key) for label, keys in new_keys.items() for key in keys if len(created.get((label, key), ())) != 1]
    if missing:
        raise PipelineError(f"the embedded graph's bulk insert created nodes it cannot find by their key "
                            f"({len(missing)}, e.g. {missing[0]}); loading again completes them through Cypher")
    return created
