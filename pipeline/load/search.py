"""Search documents for FAIR4ML records, and the choice of search target.

A SearchIndex has: `target` (description without secrets), `open()`, `read_receipts(loader)`,
`load(shard, docs, vanished, rejects) -> counts` (update one shard in place),
`write_receipt(loader, shard, receipt)` (readers switch to a new index version once every shard is
in it), `search(query, limit, filters) -> (hits, facets)` and `close()`. Elasticsearch (`load/elasticsearch.py`) is used when ELASTICSEARCH_URL is set, the
embedded tantivy index (`load/tantivy_index.py`) otherwise.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pipeline.config import Settings

FACETS = ("task", "library", "license", "language", "author")
DESCRIPTION_CHARS = 2000


def search_document(record: dict) -> dict:
    """The searchable and facetable view of one model (same shape for every search target)."""
    return {
        "id": record["identifier"],
        "name": record["name"],
        "description": (record.get("description") or "")[:DESCRIPTION_CHARS],
        "keywords": record.get("keywords", []),
        "task": record.get("mlTask", []),
        "library": record.get("libraryName") or "",
        "license": record.get("license", []),
        "language": record.get("inLanguage", []),
        "author": record.get("author") or "",
        "shared_by": record.get("sharedBy") or "",
        "datasets": record.get("trainedOn", []),
        "base_models": record.get("fineTunedFrom", []),
        "downloads": record.get("downloads", 0),
        "likes": record.get("likes", 0),
        "date_modified": record.get("dateModified"),
        "date_created": record.get("dateCreated"),
    }


def search_documents(records: Iterable[dict]) -> Iterator[dict]:
    return (search_document(r) for r in records)


def search_index(settings: Settings):
    if settings.elasticsearch_url:
        from pipeline.load.elasticsearch import ElasticsearchIndex
        return ElasticsearchIndex(settings)
    from pipeline.load.tantivy_index import TantivyIndex
    return TantivyIndex(settings.data_dir / "search" / "hf_models", settings.shard_labels)


class SearchSink:
    """The search index as a shard-load sink (see pipeline/load/shard_load.py); connects on first use."""

    def __init__(self, settings: Settings, loader: str):
        self.settings = settings
        self.loader = loader
        self._index = None

    def _open(self):
        if self._index is None:
            self._index = search_index(self.settings).open()
        return self._index

    def read_receipts(self) -> dict[str, dict]:
        return self._open().read_receipts(self.loader)

    def load(self, shard, records, vanished, all_ids, rejects) -> dict:
        return self._open().load(shard, [search_document(r) for r in records], vanished, rejects)

    def write_receipt(self, shard: str, receipt: dict) -> None:
        self._open().write_receipt(self.loader, shard, receipt)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def search_models(settings: Settings, query: str, limit: int = 10, filters: dict | None = None):
    """Top models for a query, and facet counts, from whichever search target is configured."""
    index = search_index(settings).open()
    try:
        return index.search(query, limit, filters)
    finally:
        index.close()


def format_results(hits: list[dict], facets: dict) -> str:
    """A terminal table of hits (id, task, downloads, license) followed by the facet counts."""
    if not hits:
        return "no models match"
    rows = [("#", "model", "task", "downloads", "license")]
    for rank, hit in enumerate(hits, 1):
        rows.append((str(rank), hit["id"], ",".join(hit.get("task", [])) or "-",
                     f"{hit.get('downloads', 0):,}", ",".join(hit.get("license", [])) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(w) if i in (0, 3) else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             .rstrip() for row in rows]
    for facet, counts in facets.items():
        if counts:
            lines.append(f"{facet}: " + ", ".join(f"{key} ({count})" for key, count in counts.items()))
    return "\n".join(lines)
