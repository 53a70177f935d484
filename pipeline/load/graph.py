"""Load FAIR4ML records into a property graph, whichever store is configured.

A GraphStore has: `target` (a description without secrets), `dialect`, `rejection_errors` (the
exceptions meaning "the target refused this data"), `open()`, `ensure_schema(labels)`,
`write([(cypher, params), ...])`, `read(cypher, params)` and `close(save=True)`. Neo4j
(`load/neo4j.py`) is used when NEO4J_URI is set, the embedded FalkorDB (`load/falkordb.py`)
otherwise.
"""

from __future__ import annotations

import json
from itertools import islice
from typing import Iterable, Iterator, TextIO

from pipeline.config import Settings
from pipeline.load import graph_model as gm


def graph_store(settings: Settings):
    if settings.neo4j_uri:
        from pipeline.load.neo4j import Neo4jStore
        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                          settings.neo4j_database)
    from pipeline.load.falkordb import FalkorStore
    return FalkorStore(settings.data_dir / "graph")


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def _statements(rows: gm.ModelRows) -> list[tuple[str, dict]]:
    ids = [row["id"] for row in rows.models]
    statements = [(gm.UPSERT_MODELS, {"rows": rows.models}), (gm.DELETE_OUTGOING, {"ids": ids})]
    for rel, statement in gm.EDGE_STATEMENTS:
        if rows.edges[rel]:
            statements.append((statement, {"rows": rows.edges[rel]}))
    return statements


def load_records(store, records: Iterable[dict], load_id: str, batch_size: int, rejects: TextIO) -> dict:
    """Upsert every record, retire models absent from this load, drop orphans; returns counts.

    A batch the target refuses is retried record by record, so one bad record costs only itself:
    it goes to `rejects` with the target's reason and the rest are loaded.
    """
    store.ensure_schema([label for label in gm.LABELS if label != "LoadReceipt"])
    loaded = rejected = 0
    for batch in _batches(records, batch_size):
        try:
            store.write(_statements(gm.rows_for(batch, load_id)))
            loaded += len(batch)
            continue
        except store.rejection_errors:
            pass  # isolate the offending records below
        for record in batch:
            try:
                store.write(_statements(gm.rows_for([record], load_id)))
                loaded += 1
            except store.rejection_errors as exc:
                rejected += 1
                reason = " ".join(str(exc).split())[:500]
                rejects.write(json.dumps({"id": record.get("identifier"), "reason": reason}) + "\n")
    retired = store.read("MATCH (m:MLModel) WHERE m.harvested = true AND m.load_id <> $load_id RETURN count(m)",
                         {"load_id": load_id})[0][0]
    store.write([(gm.RETIRE_VANISHED, {"load_id": load_id}), (gm.DELETE_ORPHAN_MODELS, {})]
                + [(statement, {}) for statement in gm.ORPHAN_STATEMENTS])
    return {"models_loaded": loaded, "rejected": rejected, "models_retired": retired,
            "nodes": store.read(gm.COUNT_NODES)[0][0], "relationships": store.read(gm.COUNT_RELATIONSHIPS)[0][0]}


def write_receipt(store, loader: str, receipt: dict) -> None:
    store.write([(gm.WRITE_RECEIPT, {"loader": loader, "props": {"receipt": json.dumps(receipt, sort_keys=True)}})])


def read_receipt(store, loader: str) -> dict | None:
    rows = store.read(gm.READ_RECEIPT, {"loader": loader})
    return json.loads(rows[0][0]) if rows and rows[0][0] else None


def query_graph(settings: Settings, cypher: str, params: dict | None = None) -> list[list]:
    """Run a read-only Cypher query against whichever graph target is configured."""
    store = graph_store(settings).open()
    try:
        return store.read(cypher, params)
    finally:
        store.close(save=False)
