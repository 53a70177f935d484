"""Load FAIR4ML records into a property graph, whichever store is configured.

A GraphStore has: `target` (a description without secrets), `dialect`, `rejection_errors` (the
exceptions meaning "the target refused this data"), `open()`, `ensure_schema(labels)`,
`write([(cypher, params), ...])`, `read(cypher, params)` and `close()`. Neo4j
(`load/neo4j.py`) is used when NEO4J_URI is set, the embedded FalkorDB (`load/falkordb.py`)
otherwise.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator, TextIO

from pipeline.config import Settings
from pipeline.errors import TargetLost
from pipeline.load import graph_model as gm
from pipeline.load.base import GraphStore
from pipeline.transform.entities import stub_model_record

RELOAD_ATTEMPTS = 3


def graph_store(settings: Settings, keep_running: bool = False) -> GraphStore:
    """The configured graph store; an embedded one started here keeps running when `keep_running`
    (for the other loader shards of the run; the run's end stops it, see pipeline/runs/reporter.py)."""
    if settings.neo4j_uri:
        from pipeline.load.neo4j import Neo4jStore
        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                          settings.neo4j_database)
    from pipeline.load.falkordb import FalkorStore
    return FalkorStore(settings.paths.graph, keep_running=keep_running)


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def _statements(rows: gm.ModelRows, existing: Held | None = None) -> list[tuple[str, dict]]:
    """A batch's statements. With `existing` (what the graph holds of the batch's models), models new to
    the graph are only created, and the outgoing relationships of only the held models that make some are
    deleted; without it, every model is treated as held and linked. Then the relationships are created."""
    if existing is None:
        held_rows, new_rows, linked = rows.models, [], [row["id"] for row in rows.models]
    else:
        held_rows = [row for row in rows.models if row["idLower"] in existing.nodes]
        new_rows = [row for row in rows.models if row["idLower"] not in existing.nodes]
        linked = [row["id"] for row in held_rows if row["idLower"] in existing.linked]
    statements = [(gm.CREATE_MODELS, {"rows": new_rows})] if new_rows else []
    statements += [(gm.UPSERT_MODELS, {"rows": held_rows})] if held_rows else []
    statements += [(gm.DELETE_OUTGOING, {"ids": linked})] if linked else []
    return statements + _links(rows)


def _links(rows: gm.ModelRows) -> list[tuple[str, dict]]:
    """The statement creating the batch's relationships (`graph_model.MODEL_LINKS`): a row per model that
    makes some, holding only the types it makes, each relationship once per target node."""
    links: dict[str, dict] = {}
    for _, rel, _ in gm.RELATIONSHIPS:
        for edge in gm.unrepeated(rel, rows.edges[rel]):
            row = links.get(edge["src"])
            if row is None:
                row = links[edge["src"]] = {"id": edge["src"]}
            row.setdefault(rel, []).append(edge)
    return [(gm.MODEL_LINKS, {"rows": list(links.values())})] if links else []


def _neighbours(store, ids: list[str], batch_size: int) -> dict[str, set[str]]:
    """label -> ids of the nodes these models point to (candidates for orphan removal)."""
    found: dict[str, set[str]] = {}
    for batch in _batches(ids, batch_size):
        for label, node_id in store.read(gm.NEIGHBOURS, {"ids": batch}):
            found.setdefault(label, set()).add(node_id)
    return found


@dataclass
class Held:
    """What the graph holds of a batch's models, by lower-case id: a node, and outgoing relationships."""

    nodes: set[str]
    linked: set[str]


def _existing(store, records: list[dict]) -> Held:
    """What the graph holds of these records' models. A model the batch names twice (two spellings) counts
    as held and linked: the second write goes through MERGE and replaces the first one's links, as before."""
    keys = Counter(r["identifier"].lower() for r in records if isinstance(r.get("identifier"), str))
    rows = store.read(gm.EXISTING_MODELS, {"keys": sorted(keys)}) if keys else []
    twice = {key for key, count in keys.items() if count > 1}
    return Held({row[0] for row in rows} | twice, {row[0] for row in rows if row[1]} | twice)


def _write_batch(store, batch: list[dict], statements, key, rejects) -> list[str]:
    """Write one batch; a batch the target refuses is retried record by record, so one bad record
    costs only itself: it goes to its rejects file (`rejects`, or `rejects(record)` when records of
    several shards share the batch) with the target's reason. Returns the refused keys."""
    try:
        store.write(statements(batch))
        return []
    except store.rejection_errors:
        pass  # isolate the offending records below
    refused = []
    for record in batch:
        try:
            store.write(statements([record]))
        except store.rejection_errors as exc:
            refused.append(key(record))
            reason = " ".join(str(exc).split())[:500]
            into = rejects(record) if callable(rejects) else rejects
            into.write(json.dumps({"id": key(record), "reason": reason}) + "\n")
    return refused


def _delete_orphans(store, candidates: dict[str, set[str]], batch_size: int) -> None:
    for label, ids in sorted(candidates.items()):
        statement = gm.DELETE_ORPHAN_STUBS if label == "MLModel" else gm.delete_orphans(label)
        for batch in _batches(sorted(ids), batch_size):
            store.write([(statement, {"ids": batch})])


def _add(found: dict[str, set[str]], more: dict[str, set[str]]) -> None:
    for label, ids in more.items():
        found.setdefault(label, set()).update(ids)


class ModelWriter:
    """Upserts models of many shards in batches that mix shards (a statement per batch, not per shard
    and batch: a 1% update touches every shard with a few models each), retires the models that left
    their shard, and removes what they orphaned once everything is written (`finish`). On a store that
    offers it (`bulk`), models new to the graph are created in bulk, their relationships at `finish`.

    A shard's result (`models_retired`, `rejected_ids`) is final only after `finish`; a refused record
    is written to its own shard's `rejects`."""

    def __init__(self, store, batch_size: int):
        self.store, self.batch_size = store, batch_size
        self.pending: list[tuple[str, dict]] = []  # (shard, record) not yet written
        self.shards: dict[str, tuple[dict, TextIO]] = {}  # shard -> (its result, its rejects)
        self.candidates: dict[str, set[str]] = {}  # label -> ids the written models pointed to before
        self.still_linked: dict[str, set[str]] = {}
        self.new_models = store.new_models() if getattr(store, "bulk", False) else None
        store.ensure_schema([label for label in gm.LABELS if label != "LoadReceipt"])

    def add(self, shard: str, records: Iterable[dict], vanished: list[str] | None, all_ids: list[str],
            rejects: TextIO) -> dict:
        """Take a shard's records (read once, held at most a batch at a time); `vanished` None means the
        graph is asked which of the shard's models are no longer in `all_ids`."""
        if vanished is None:
            present = set(all_ids)
            vanished = sorted(row[0] for row in self.store.read(gm.SHARD_MODELS, {"shard": shard})
                              if row[0] not in present)
        _add(self.candidates, _neighbours(self.store, vanished, self.batch_size))
        for batch in _batches(vanished, self.batch_size):
            self.store.write([(gm.RETIRE_MODELS, {"ids": batch})])
        self.candidates.setdefault("MLModel", set()).update(vanished)
        result = {"models_retired": len(vanished), "rejected_ids": []}
        self.shards[shard] = (result, rejects)
        for record in records:
            self.pending.append((shard, record))
            if len(self.pending) >= self.batch_size:
                self._write_pending()
        return result

    def _write_pending(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        shard_of = {record.get("identifier"): shard for shard, record in batch}
        records = [record for _, record in batch]
        # models new to the graph are only created: in bulk where the store can (they have nothing to replace)
        links = [gm.record_links(r) for r in records]
        rest = self.new_models.create(records, shard_of, links) if self.new_models else records
        # which of them the graph holds already: only those can point anywhere yet (a first load into Neo4j
        # spent a third of its server time asking for, and deleting, relationships of models it was creating)
        existing = _existing(self.store, rest) if rest and self.new_models is None else None
        # what the models pointed to before they change: candidates for orphan removal (a model's links
        # change only when the model itself is written, so each batch is asked just before its write)
        _add(self.candidates, _neighbours(self.store, [r["identifier"] for r in rest if existing is None
                                                       or str(r["identifier"]).lower() in existing.linked], self.batch_size))

        def statements(some: list[dict]) -> list[tuple[str, dict]]:
            # a batch refused is written again record by record: ask the graph again for each (what another
            # loader created meanwhile is then updated, not created twice)
            held = existing if some is rest or existing is None else _existing(self.store, some)
            return _statements(_rows_by_shard(some, shard_of), held)

        refused = _write_batch(self.store, rest, statements, lambda r: r.get("identifier"),
                               lambda r: self.shards[shard_of[r.get("identifier")]][1]) if rest else []
        for identifier in refused:
            self.shards[shard_of[identifier]][0]["rejected_ids"].append(identifier)
        for record_links in links:
            for _, label, target in record_links:
                self.still_linked.setdefault(label, set()).add(target)

    def finish(self) -> None:
        """Write what is held back, then remove the nodes the written or retired models orphaned."""
        self._write_pending()
        if self.new_models:
            self.new_models.link()
        # a node the loaded records point to again is no orphan: only check what they stopped pointing to
        # (checking a hub such as a popular task or license costs a scan of its relationships)
        candidates = {label: ids - self.still_linked.get(label, set()) for label, ids in self.candidates.items()}
        _delete_orphans(self.store, candidates, self.batch_size)
        self.candidates, self.still_linked = {}, {}


def _rows_by_shard(records: list[dict], shard_of: dict[str, str]) -> gm.ModelRows:
    """The rows of records from several shards (each model node keeps its own shard)."""
    rows = gm.ModelRows([], {rel: [] for _, rel, _ in gm.RELATIONSHIPS})
    by_shard: dict[str, list[dict]] = {}
    for record in records:
        by_shard.setdefault(shard_of[record.get("identifier")], []).append(record)
    for shard, group in by_shard.items():
        more = gm.rows_for(group, shard)
        rows.models.extend(more.models)
        for rel, edges in more.edges.items():
            rows.edges[rel].extend(edges)
    return rows


def write_models(store, shard: str, records: Iterable[dict], vanished: list[str] | None, all_ids: list[str],
                 batch_size: int, rejects: TextIO) -> dict:
    """Upsert one shard's `records`, retire its models that left the source, remove what they orphaned."""
    writer = ModelWriter(store, batch_size)
    result = writer.add(shard, records, vanished, all_ids, rejects)
    writer.finish()
    return result


def _entity_statements(rows: gm.EntityRows, stamp: str) -> list[tuple[str, dict]]:
    statements = []
    for kind, nodes in rows.nodes.items():
        if nodes:
            statements.append((gm.upsert_entities(kind), {"rows": nodes, "stamp": stamp}))
            delete = gm.delete_entity_links(kind)
            if delete:
                statements.append((delete, {"ids": [n["id"] for n in nodes]}))
    for (kind, rel, label), edges in rows.edges.items():
        if edges:
            statements.append((gm.entity_link(kind, rel, label), {"rows": edges}))
    return statements


def _by_kind(keys: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in keys:
        kind, _, identifier = key.partition(" ")
        out.setdefault(kind, []).append(identifier)
    return out


def _entity_neighbours(store, keys: list[str], batch_size: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind, ids in _by_kind(keys).items():
        statement = gm.entity_neighbours(kind) if kind in gm.ENTITY_KINDS else None
        for batch in _batches(ids, batch_size) if statement else ():
            for label, node_id in store.read(statement, {"ids": batch}):
                found.setdefault(label, set()).add(node_id)
    return found


def load_entities(store, records: Iterable[dict], vanished: list[str] | None, all_keys: list[str], batch_size: int,
                  rejects: TextIO) -> dict:
    """Upsert entity records (read once, a batch at a time), retire the entities that left the catalog
    and remove the nodes only they pointed to.

    `vanished` None (a full load) means: every entity the graph holds that this load did not write
    has left (found by the load's stamp, so the catalog's keys are never all read back)."""
    store.ensure_schema([label for label in gm.LABELS if label != "LoadReceipt"])
    stamp = uuid.uuid4().hex
    candidates: dict[str, set[str]] = {}
    refused: list[str] = []
    statements = lambda batch: _entity_statements(gm.entity_rows(batch), stamp)
    for batch in _batches(records, batch_size):
        _add(candidates, _entity_neighbours(store, [gm.entity_key(r) for r in batch], batch_size))
        refused += _write_batch(store, batch, statements, gm.entity_key, rejects)
    if vanished is None:  # a refused record is still in the catalog: it keeps what it had
        kept = set(refused)
        vanished = sorted(key for key, in store.read(gm.STALE_ENRICHED_KEYS, {"stamp": stamp}) if key and key not in kept)
    # the writes above leave these entities' own links as they were
    _add(candidates, _entity_neighbours(store, vanished, batch_size))
    for kind, ids in _by_kind(vanished).items():
        if kind not in gm.ENTITY_KINDS:
            continue
        for batch in _batches(ids, batch_size):
            delete = gm.delete_entity_links(kind)
            store.write(([(delete, {"ids": batch})] if delete else []) + [(gm.retire_entities(kind), {"ids": batch})])
        candidates.setdefault(kind, set()).update(ids)
    _delete_orphans(store, candidates, batch_size)
    # a model retired by the model loader since this stub was loaded was reset to its bare id: give
    # every catalogued stub that lost its properties its record again
    stubs = [key.partition(" ")[2] for key in all_keys if key.startswith("MLModel ")]
    bare = [row[0] for batch in _batches(stubs, batch_size) for row in store.read(gm.BARE_STUBS, {"ids": batch})]
    for batch in _batches(bare, batch_size):
        store.write(statements([stub_model_record(model_id) for model_id in batch]))
    return {"entities_retired": len(vanished), "stubs_restored": len(bare), "rejected_ids": refused}


class GraphSink:
    """The graph as a shard-load sink (see pipeline/load/shard_load.py); connects on first use.

    `entities` makes it load entity records (hf_entities_normalized) instead of models."""

    fields = gm.MODEL_FIELDS  # whole records for entities

    def __init__(self, settings: Settings, loader: str, entities: bool = False, check: bool = False):
        self.settings = settings
        self.check = check  # only reads receipts, without waiting for a loader's turn (see _held)
        self.loader = loader
        self.entities = entities
        if entities:
            self.fields = None
        self._store = None
        self._opened = False
        self._models: ModelWriter | None = None

    @contextmanager
    def _held(self):
        """The store, opened, under its exclusive hold: every exchange of a loader with an embedded server
        is one loader's at a time (two concurrent loaders crashed it, a segfault in its index reader seen
        twice at 100k and 2M models; and a loader restarting a hung server cut another's commands off).
        A `check` sink reads its receipts beside the loaders, as before: doit's up-to-date check runs in
        the run's main process, and waiting there for a loader's turn would hold every other task back."""
        if self._store is None:
            self._store = graph_store(self.settings, keep_running=True)
        with self._store.watched() if self.check else self._store.exclusive():
            if not self._opened:
                self._store.open()
                self._opened = True
            yield self._store

    def read_receipts(self) -> dict[str, dict]:
        """The graph's receipts of this loader, from the graph (a no-op's check reads the embedded
        graph's cached copy instead: `pipeline.assets._graph_receipts`)."""
        try:
            with self._held() as store:
                rows = store.read(gm.READ_RECEIPTS, {"loader": self.loader})
        except TargetLost:
            if not self.check:
                raise  # a loader makes its whole load again (load_into_graph)
            self.close()  # a check only reads: once more, on the server started in its place
            with self._held() as store:
                rows = store.read(gm.READ_RECEIPTS, {"loader": self.loader})
        return {shard: json.loads(text) for shard, text in rows if text}

    def load(self, shard, records, vanished, all_ids, rejects) -> dict:
        batch_size = self.settings.load_batch_size
        with self._held() as store:
            if self.entities:
                return load_entities(store, records, vanished, all_ids, batch_size, rejects)
            if self._models is None:
                self._models = ModelWriter(store, batch_size)
            return self._models.add(shard, records, vanished, all_ids, rejects)

    def flush(self) -> None:
        """Write the models held back to be sent with other shards' (see ModelWriter)."""
        if self._models is not None:
            with self._held():
                self._models.finish()

    def write_receipts(self, receipts: dict[str, dict]) -> None:
        rows = [{"shard": shard, "receipt": json.dumps(receipt, sort_keys=True)} for shard, receipt in receipts.items()]
        with self._held() as store:
            for batch in _batches(rows, self.settings.load_batch_size):
                store.write([(gm.WRITE_RECEIPTS, {"loader": self.loader, "rows": batch})])

    def close(self) -> None:
        if self._store is not None and self._opened:
            self._store.close()
        self._store, self._opened = None, False
        self._models = None


def load_into_graph(ctx, sink, target: dict, **options) -> dict:
    """`shard_load.load_shard` into the graph with the sink `sink()` makes, made again from the start
    (the graph's receipts say what it still holds) when the target lost what it had been sent
    (TargetLost: an embedded server that crashed, or that another loader started again because it had
    hung), at most RELOAD_ATTEMPTS times."""
    from pipeline.load import shard_load

    for attempt in range(1, RELOAD_ATTEMPTS + 1):
        try:
            return shard_load.load_shard(ctx, sink(), target, **options)
        except TargetLost as exc:
            if attempt == RELOAD_ATTEMPTS:
                raise TargetLost(f"{exc}; the load was made {RELOAD_ATTEMPTS} times - run `doit` again (what the "
                                 "graph lost is sent again)") from exc
            print(f"{exc}: loading again from the graph's receipts (attempt {attempt + 1} of {RELOAD_ATTEMPTS})")


def query_graph(settings: Settings, cypher: str, params: dict | None = None) -> list[list]:
    """Run a read-only Cypher query against whichever graph target is configured; an embedded server that
    hangs meanwhile is killed (FalkorStore.watched) and the query asked once more of a new one."""
    for attempt in (1, 2):
        store = graph_store(settings)
        try:
            with store.watched():
                store.open()
                return store.read(cypher, params)
        except TargetLost:
            if attempt == 2:
                raise
        finally:
            store.close()
