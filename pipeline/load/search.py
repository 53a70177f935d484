"""Search documents for FAIR4ML records, and the choice of search target.

A SearchIndex has: `target` (description without secrets), `open()`, `read_receipts(loader)`,
`load(shard, docs, vanished, rejects) -> counts` (update one shard in place),
`write_receipts(loader, {shard: receipt})` (readers switch to a new index version once every shard
is in it), `search(query, limit, filters, offset) -> (hits, facets, total)` and `close()`. Elasticsearch (`load/elasticsearch.py`) is used when ELASTICSEARCH_URL is set, the
embedded tantivy index (`load/tantivy_index.py`) otherwise.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from pipeline.config import Settings
from pipeline.digests import text_digest
from pipeline.load.base import SearchIndex
from pipeline.storage import read_parquet

# `relation`: how a model derives from its base (finetune, quantized, adapter, merge, unknown);
# `inferred`: the fields whose value the mapping inferred (`inferred:license`); `card`: the card's flags
# (`template card`, `near-empty card`)
FACETS = ("platform", "task", "library", "license", "language", "author", "relation", "inferred", "card")
DESCRIPTION_CHARS = 2000
# What a free-text query searches, and how much a match in each field counts: a model's id (its
# namespace and repository name) and name, then its task, outweigh long text that mentions the words.
SEARCH_FIELDS = {"id": 4.0, "name": 3.0, "task": 2.5, "keywords": 2.0, "license": 1.5, "language": 1.5,
                 "description": 1.0, "dataset_titles": 1.0, "paper_titles": 1.0}
# `field:value` or `field=value` in a query narrows it to models holding exactly that value.
FILTER_FIELDS = FACETS
# `field:word` or `field:"a phrase"` in a query must match in that field.
TEXT_FIELDS = ("id", "name", "keywords", "description", "dataset_titles", "paper_titles")
_TERM = re.compile(r'(?:(?P<field>[A-Za-z_]+)[:=])?(?:"(?P<phrase>[^"]*)"?|(?P<word>\S+))')
_WORD_CHARS = re.compile(r"[^\w.\-/]+")


def parse_query(query: str, filters: dict | None = None) -> tuple[str, dict[str, list[str]]]:
    """(the text to search, {field: [values]}) of a query, the same for every search target.

    Words are searched in every field (SEARCH_FIELDS); `"a phrase"` must appear as written, in any
    field; `name:word` or `paper_titles:"a phrase"` (`:` or `=`; id, name, keywords, description,
    dataset_titles, paper_titles) must match in that field; `license:mit`, `language=fr`,
    `task:translation`, `library:...`, `author:...` are filters, exact values every hit holds, joined
    by `filters` (from options); `platform:openml` keeps one platform's models, `inferred:license` the
    models whose license was inferred, `card:"template card"` those whose card is the template. Any other `a=b` or `a:b` is words. Without words, phrases or fields
    (``, `*`) every model matches."""
    wanted: dict[str, list[str]] = {}
    for field, value in (filters or {}).items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            wanted.setdefault(field, []).append(item)
    kept = []
    for match in _TERM.finditer(query):
        field = (match["field"] or "").lower()
        value = match["phrase"] if match["phrase"] is not None else match["word"]
        if field in FILTER_FIELDS:
            wanted.setdefault(field, []).append(value.strip("'\""))
        elif field in TEXT_FIELDS or (not field and match["phrase"] is not None):
            phrase = " ".join(_WORD_CHARS.sub(" ", value).split())
            if phrase:
                kept.append(f'{field}:"{phrase}"' if field else f'"{phrase}"')
        else:
            kept.append(match.group(0))
    text = " ".join(kept)
    text = text if re.search(r"\w", text) else ""
    return text, {field: list(dict.fromkeys(values)) for field, values in wanted.items()}


def query_terms(text: str) -> tuple[list[str], list[tuple[str | None, str]]]:
    """The text of `parse_query` as (words searched in every field, required (field or None, phrase))."""
    words, required = [], []
    for match in _TERM.finditer(text):
        field = (match["field"] or "").lower()
        if match["phrase"] is not None and (not field or field in TEXT_FIELDS):
            phrase = " ".join(_WORD_CHARS.sub(" ", match["phrase"]).split())
            if phrase:
                required.append((field or None, phrase))
        else:
            words += _WORD_CHARS.sub(" ", match.group(0)).split()
    return words, required


class LinkedTitles:
    """Titles of the datasets and papers models point at, from the entities (hf_entities_normalized),
    so a search for a dataset's or paper's name finds the models that use it."""

    def __init__(self, entities_path):
        import pyarrow.compute as pc
        table = read_parquet(entities_path, columns=["kind", "identifier", "name"])
        self.titles: dict[str, dict[str, str]] = {}
        self._digests: dict[tuple, str | None] = {}  # (trainedOn, citation) -> digest, see `digests`
        for kind in ("Dataset", "Paper"):
            part = table.filter(pc.equal(table.column("kind"), kind))
            self.titles[kind] = dict(zip(part.column("identifier").to_pylist(), part.column("name").to_pylist()))

    def _of(self, kind: str, ids) -> list[str]:
        titles = self.titles[kind]
        return list(dict.fromkeys(titles[i] for i in ids or [] if titles.get(i) and titles[i] != i))

    def for_links(self, datasets, papers) -> tuple[list[str], list[str]]:
        return self._of("Dataset", datasets), self._of("Paper", papers)

    def digests(self, shard_path):
        """Per model of a normalized shard, in row order, a digest of the titles its document gets (null
        when none; it joins the record digest). Every model of the catalog is digested on every run, and
        most share their links with others: the models are grouped by their (trainedOn, citation) in
        Arrow and a digest is made once per pair (a Python key per model took 4.5 s of every run at 2M
        models, with the digests joined to the record digests; 2.9 s grouped)."""
        import pyarrow as pa
        import pyarrow.compute as pc
        from pipeline.transform.ids import arxiv_ids

        table = read_parquet(shard_path, columns=["trainedOn", "citation"])
        keys = _links_key(table.column("trainedOn"), table.column("citation"))
        pairs = pc.unique(keys)
        firsts = pc.index_in(pairs, value_set=keys)  # a row holding each pair
        rows = table.take(firsts).to_pylist()
        digests = []
        for key, row in zip(pairs.to_pylist(), rows):
            digest = self._digests.get(key, "")
            if digest == "":
                if len(self._digests) >= 100_000:  # a bound on what a 2M catalog can make it hold
                    self._digests.clear()
                titles, papers = self.for_links(row["trainedOn"], arxiv_ids({"citation": row["citation"]}))
                digest = self._digests[key] = (text_digest("\n".join(titles), "\n".join(papers))
                                               if titles or papers else None)
            digests.append(digest)
        return pa.array(digests, pa.string()).take(pc.index_in(keys, value_set=pairs))


def _links_key(datasets, citations):
    """One string per row that tells its (trainedOn, citation) lists apart from every other pair: their
    values joined by a control character no id or URL holds, and their lengths (a null list is empty)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def part(column):
        joined = pc.fill_null(pc.binary_join(column, "\x1f"), "")
        return joined, pc.cast(pc.fill_null(pc.list_value_length(column), 0), pa.string())

    (d, d_len), (c, c_len) = part(datasets), part(citations)
    return pc.binary_join_element_wise(d, c, d_len, c_len, "\x1e")


_TITLES: dict[tuple, LinkedTitles] = {}


def linked_titles(entities_path) -> LinkedTitles:
    """The titles of one entities file, read once per process (shard tasks of a worker share them)."""
    import os
    stat = os.stat(entities_path)
    key = (str(entities_path), stat.st_mtime_ns, stat.st_size)
    if key not in _TITLES:
        _TITLES.clear()
        _TITLES[key] = LinkedTitles(entities_path)
    return _TITLES[key]


# the record fields `search_document` reads (the search loader reads only these columns of a shard)
RECORD_FIELDS = frozenset({"identifier", "platform", "name", "description", "keywords", "mlTask", "libraryName",
                           "license", "inLanguage", "author", "sharedBy", "trainedOn", "fineTunedFrom",
                           "baseModelRelation", "inferredFields", "cardFlags", "downloads", "likes", "dateModified",
                           "dateCreated", "citation"})


def search_document(record: dict, titles: LinkedTitles | None = None) -> dict:
    """The searchable and facetable view of one model (same shape for every search target)."""
    from pipeline.transform.ids import arxiv_ids
    dataset_titles, paper_titles = titles.for_links(record.get("trainedOn"), arxiv_ids(record)) if titles else ([], [])
    return {
        "id": record["identifier"],
        "platform": record.get("platform") or "hf",
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
        "dataset_titles": dataset_titles,
        "paper_titles": paper_titles,
        "base_models": record.get("fineTunedFrom", []),
        "relation": (record.get("baseModelRelation") or "unknown") if record.get("fineTunedFrom") else None,
        "inferred": sorted(record.get("inferredFields") or {}),
        "card": record.get("cardFlags") or [],
        "downloads": record.get("downloads", 0),
        "likes": record.get("likes", 0),
        "date_modified": record.get("dateModified"),
        "date_created": record.get("dateCreated"),
    }


THIN_CARDS = ("template card", "near-empty card")


def thin_cards(normalized_path) -> list[str]:
    """The models of a normalized file whose card is only the template or nearly empty (left out of the
    search index when MLENTORY_SEARCH_THIN_CARDS=0)."""
    table = read_parquet(normalized_path, columns=["identifier", "cardFlags"])
    return [row["identifier"] for row in table.to_pylist() if set(row["cardFlags"] or ()) & set(THIN_CARDS)]


def search_documents(records: Iterable[dict]) -> Iterator[dict]:
    return (search_document(r) for r in records)


def search_index(settings: Settings) -> SearchIndex:
    """The configured search index: Elasticsearch when ELASTICSEARCH_URL is set, else the embedded one."""
    if settings.elasticsearch_url:
        from pipeline.load.elasticsearch import ElasticsearchIndex
        return ElasticsearchIndex(settings)
    from pipeline.load.tantivy_index import TantivyIndex
    return TantivyIndex(settings.paths.search_index, settings.shard_labels)


class SearchSink:
    """The search index as a shard-load sink (see pipeline/load/shard_load.py); connects on first use."""

    fields = RECORD_FIELDS

    def __init__(self, settings: Settings, loader: str, titles: LinkedTitles | None = None):
        self.settings = settings
        self.loader = loader
        self.titles = titles
        self._index = None

    def _open(self):
        if self._index is None:
            self._index = search_index(self.settings).open()
        return self._index

    def read_receipts(self) -> dict[str, dict]:
        return self._open().read_receipts(self.loader)

    def load(self, shard, records, vanished, all_ids, rejects) -> dict:
        return self._open().load(shard, [search_document(r, self.titles) for r in records], vanished, rejects)

    def flush(self) -> None:
        if self._index is not None:
            self._index.flush()

    def write_receipts(self, receipts: dict[str, dict]) -> None:
        self._open().write_receipts(self.loader, receipts)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def search_models(settings: Settings, query: str, limit: int = 10, filters: dict | None = None, offset: int = 0):
    """Top models for a query (see parse_query), facet counts and the number of matches, from whichever
    search target is configured."""
    text, wanted = parse_query(query, filters)
    index = search_index(settings).open()
    try:
        return index.search(text, limit, wanted, offset)
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
