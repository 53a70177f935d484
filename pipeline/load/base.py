"""The contracts of the load targets: what a graph store, a search index and a shard sink must offer.

The implementations live beside this module, one per target (graph: `falkordb.py`, `neo4j.py`;
search: `tantivy_index.py`, `elasticsearch.py`), and the one to use is chosen once from the settings
(`graph.graph_store`, `search.search_index`). Loaders (`shard_load.py`) see only these protocols.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol, TextIO, runtime_checkable


@runtime_checkable
class GraphStore(Protocol):
    """A property graph spoken to in openCypher (pipeline/load/graph_model.py writes the statements)."""

    def open(self) -> "GraphStore": ...

    def exclusive(self) -> AbstractContextManager:
        """Hold whatever lock the target needs for one loader at a time (a no-op where it isolates loads)."""

    def watched(self) -> AbstractContextManager:
        """Watch the target for a hang while reading, without taking a loader's turn (a no-op where a
        server that hangs is not ours to stop)."""

    def ensure_schema(self, labels) -> None:
        """Indexes (and constraints) the statements rely on; once per process."""

    def write(self, statements: list[tuple[str, dict]]) -> None:
        """Run the statements in one transaction where the target has them."""

    def read(self, statement: str, params: dict | None = None) -> list[list]: ...

    def close(self) -> None: ...


@runtime_checkable
class SearchIndex(Protocol):
    """A search index updated shard by shard in place, switched to a new version once complete."""

    def open(self) -> "SearchIndex": ...

    def read_receipts(self, loader: str) -> dict[str, dict]:
        """shard -> the receipt of what the index holds for it."""

    def load(self, shard: str, docs: list[dict], vanished: list[str] | None, rejects: TextIO) -> dict:
        """Upsert the shard's documents; delete `vanished` ids (None: every id of the shard not in docs)."""

    def flush(self) -> None:
        """Commit (and make searchable) the loads so far: once for all the shards a task loads."""

    def write_receipts(self, loader: str, receipts: dict[str, dict]) -> None:
        """Store shards' receipts (shard -> receipt); the new version becomes the one read once complete."""

    def search(self, query: str, limit: int = 10, filters: dict | None = None,
               offset: int = 0) -> tuple[list[dict], dict, int]:
        """(hits `offset` to `offset + limit`, facet counts, how many documents match in all)."""

    def close(self) -> None: ...


@runtime_checkable
class ShardSink(Protocol):
    """A target as the shard loader sees it: receipts, a load of changed records, a receipt written.

    `fields`: the record fields `load` reads (its records may hold only those), or None for whole records."""

    fields: frozenset[str] | None

    def read_receipts(self) -> dict[str, dict]: ...

    def load(self, shard: str, records: list[dict], vanished: list[str] | None, all_ids: list[str],
             rejects: TextIO) -> dict: ...

    def flush(self) -> None:
        """Make every load so far durable and visible (one commit or refresh for all of a task's shards);
        receipts are written only after it."""

    def write_receipts(self, receipts: dict[str, dict]) -> None:
        """Store the receipts (shard -> receipt) of the shards just loaded and flushed, together."""

    def close(self) -> None: ...
