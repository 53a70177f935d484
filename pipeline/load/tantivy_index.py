"""Embedded search target: a tantivy (BM25) index under data/search/, with facets by aggregation.

The index lives in a version folder named after its schema. Loaders update it in place (delete by
id, add; one commit per loader task, however many shards it loads; one writer at a time under a
file lock), and each shard's receipt is a file in the version folder, so deleting the index makes
the receipt check fail. Readers open the version the `CURRENT` pointer names; a new schema version
is built beside the old one and the pointer moves, atomically, only once every shard is in it (the
embedded analogue of an alias swap).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import TextIO

import tantivy

from pipeline.load.search import FACETS, SEARCH_FIELDS, query_terms
from pipeline.errors import PipelineError

_TEXT = ("name", "description", "keywords", "dataset_titles", "paper_titles")
_KEYWORDS = ("id", "platform", "task", "library", "license", "language", "author", "shared_by", "datasets",
             "base_models", "relation", "inferred", "card", "shard")
_LISTS = ("keywords", "task", "license", "language", "datasets", "base_models", "dataset_titles", "paper_titles",
          "inferred", "card")
# Keyword fields searched as words too (`openai/whisper-tiny` -> openai, whisper, tiny): `<field>_words`.
_WORDS = ("id", "task", "license", "language")
# The writer's indexing budget: a segment is written each time it fills. tantivy merges 8 segments of a
# size at a time, mapping them while it reads them, and those pages count in the load's RSS: with 128 MiB
# a 2M-model load merged 8 segments of ~200k documents (619 MiB mapped at once, a peak of 892 MiB), with
# 64 MiB it merges 100k-document ones (309 MiB, peak 504) in the same time (docs/benchmarks.md).
WRITER_HEAP = 64 * 1024 * 1024
SCHEMA_VERSION = hashlib.sha256(json.dumps([_TEXT, _KEYWORDS, _WORDS, "downloads", "likes", "dates", 1])
                                .encode()).hexdigest()[:12]
# the fields a free-text query searches, with their weights (pipeline/load/search.py)
_QUERY_FIELDS = {(f"{field}_words" if field in _WORDS else field): boost for field, boost in SEARCH_FIELDS.items()}


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("name", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("description", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("keywords", stored=True, tokenizer_name="default")
    # titles of the datasets the model was trained on and of the papers it cites (from the entities)
    builder.add_text_field("dataset_titles", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("paper_titles", stored=True, tokenizer_name="en_stem")
    for field in _KEYWORDS:
        builder.add_text_field(field, stored=True, tokenizer_name="raw", fast=True)
    for field in _WORDS:
        builder.add_text_field(f"{field}_words", stored=False, tokenizer_name="default")
    builder.add_integer_field("downloads", stored=True, indexed=True, fast=True)
    builder.add_integer_field("likes", stored=True, indexed=True, fast=True)
    builder.add_date_field("date_modified", stored=True, indexed=True, fast=True)
    builder.add_date_field("date_created", stored=True, indexed=True, fast=True)
    return builder.build()


def _date(value: str | None):
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _document(doc: dict) -> tantivy.Document:
    out = tantivy.Document()
    for field in _TEXT + _KEYWORDS:
        values = doc.get(field)
        for value in values if isinstance(values, list) else [values]:
            if value not in (None, ""):
                if not isinstance(value, str):
                    raise ValueError(f"field {field} expects text, got {type(value).__name__}")
                out.add_text(field, value)
                if field in _WORDS:
                    out.add_text(f"{field}_words", value)
    for field in ("downloads", "likes"):
        out.add_integer(field, doc.get(field) or 0)
    for field in ("date_modified", "date_created"):
        if doc.get(field):
            out.add_date(field, _date(doc[field]))
    return out


def _query_string(text: str) -> str:
    """A query (see pipeline/load/search.py parse_query) in tantivy's syntax, from its words and phrases
    only: a user's `a=b` or `c++` never means tantivy syntax. Phrases and fielded terms are required."""
    words, required = query_terms(text)
    clauses = [f'+{_field_name(field) + ":" if field else ""}"{phrase}"' for field, phrase in required]
    return " ".join(clauses + words)


def _field_name(field: str) -> str:
    return f"{field}_words" if field in _WORDS else field


class TantivyIndex:
    def __init__(self, directory: Path, labels: list[str] | None = None):
        self.directory = Path(directory)
        self.labels = set(labels or ["000"])
        self.target = f"embedded tantivy index at {self.directory}"
        self.version = self.directory / f"s-{SCHEMA_VERSION}"
        self._open_writer = None  # (lock file, index, writer) between a task's first load and its flush

    # -- versions ------------------------------------------------------------------------------
    def _current(self) -> Path | None:
        try:
            name = (self.directory / "CURRENT").read_text().strip()
        except OSError:
            return None
        path = self.directory / name
        return path if (path / "meta.json").exists() else None

    def _switch_to(self, version: Path) -> None:
        pointer = self.directory / "CURRENT.tmp"
        pointer.write_text(version.name + "\n")
        os.replace(pointer, self.directory / "CURRENT")
        for old in self.directory.iterdir():
            if old.is_dir() and old != version:
                shutil.rmtree(old, ignore_errors=True)

    # -- shard loads ---------------------------------------------------------------------------
    def open(self) -> "TantivyIndex":
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def read_receipts(self, loader: str) -> dict[str, dict]:
        receipts = {}
        for path in (self.version / "receipts" / loader).glob("*.json"):
            try:
                receipts[path.stem] = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
        return receipts

    def load(self, shard: str, docs: list[dict], vanished: list[str] | None, rejects: TextIO) -> dict:
        """Replace the shard's changed documents (all of them when `vanished` is None) and drop vanished ids,
        in the task's writer: nothing is committed (or visible) before `flush()`."""
        index, writer = self._writer()
        if vanished is None:  # a full shard load: what the index holds for the shard and is not in docs has left
            vanished = sorted(self._shard_ids(index, shard) - {d["id"] for d in docs})
            writer.delete_documents_by_term("shard", shard)
            docs_to_replace = []
        else:
            docs_to_replace = [d["id"] for d in docs]
        for model_id in vanished + docs_to_replace:
            writer.delete_documents_by_term("id", model_id)
        refused = []
        for doc in docs:
            try:
                writer.add_document(_document({**doc, "shard": shard}))
            except (ValueError, TypeError, OverflowError) as exc:
                refused.append(doc.get("id"))
                rejects.write(json.dumps({"id": doc.get("id"), "reason": str(exc)[:500]}) + "\n")
        return {"models_retired": len(vanished), "rejected_ids": refused}

    def _writer(self):
        """The task's index writer, under the index's writer lock (one writer at a time) until `flush()`
        or `close()`."""
        if self._open_writer is None:
            self.version.mkdir(parents=True, exist_ok=True)
            lock = (self.directory / ".writer.lock").open("w")
            fcntl.flock(lock, fcntl.LOCK_EX)
            index = tantivy.Index(_schema(), path=str(self.version), reuse=True)
            self._open_writer = (lock, index, index.writer(heap_size=WRITER_HEAP, num_threads=1))
        return self._open_writer[1], self._open_writer[2]

    def flush(self) -> None:
        """Commit what the loads since the last flush wrote (one commit for all of them), let its merges
        finish, and give the writer lock back."""
        if self._open_writer is None:
            return
        lock, _, writer = self._open_writer
        try:
            writer.commit()
            writer.wait_merging_threads()
        finally:
            self._open_writer = None
            lock.close()

    def close(self) -> None:
        """Give up a writer still open (an interrupted task): what it wrote is never committed."""
        if self._open_writer is not None:
            lock, _, writer = self._open_writer
            self._open_writer = None
            try:
                writer.rollback()
            finally:
                lock.close()

    @staticmethod
    def _shard_ids(index: tantivy.Index, shard: str) -> set[str]:
        index.reload()
        searcher = index.searcher()
        query = tantivy.Query.term_query(index.schema, "shard", shard)
        total = searcher.search(query, 1).count
        return {searcher.doc(address)["id"][0] for _, address in searcher.search(query, max(total, 1)).hits}

    def write_receipt(self, loader: str, shard: str, receipt: dict) -> None:
        self.write_receipts(loader, {shard: receipt})

    def write_receipts(self, loader: str, receipts: dict[str, dict]) -> None:
        """Store the shards' receipts; once every shard is in this version, readers switch to it (checked
        once for all of them)."""
        if not receipts:
            return
        folder = self.version / "receipts" / loader
        folder.mkdir(parents=True, exist_ok=True)
        for shard, receipt in receipts.items():
            staging = folder / f".{shard}.{os.getpid()}.tmp"
            staging.write_text(json.dumps(receipt, sort_keys=True))
            os.replace(staging, folder / f"{shard}.json")
        # an unsharded loader (a small platform's) has one receipt, `all`
        expected = {"all"} if "all" in receipts else self.labels
        if self._current() != self.version and expected <= {p.stem for p in folder.glob("*.json")}:
            self._switch_to(self.version)

    def search(self, query: str, limit: int = 10, filters: dict | None = None,
               offset: int = 0) -> tuple[list[dict], dict, int]:
        current = self._current()
        if current is None:
            raise PipelineError(f"no search index at {self.directory}: run `doit hf_index_models_in_elasticsearch`")
        index = tantivy.Index.open(str(current))
        if _query_string(query):
            parsed, _errors = index.parse_query_lenient(_query_string(query), list(_QUERY_FIELDS),
                                                        field_boosts=_QUERY_FIELDS)
        else:
            parsed = tantivy.Query.all_query()
        if filters:
            clauses = [(tantivy.Occur.Must, parsed)]
            for field, values in filters.items():
                for value in values if isinstance(values, (list, tuple)) else [values]:
                    clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(index.schema, field, value)))
            parsed = tantivy.Query.boolean_query(clauses)
        searcher = index.searcher()
        hits = []
        found = searcher.search(parsed, limit, count=True, offset=offset)
        for score, address in found.hits:
            stored = searcher.doc(address).to_dict()
            hit = {k: (v if k in _LISTS else v[0])
                   for k, v in stored.items() if v}
            hit["score"] = round(score, 3)
            hits.append(hit)
        aggs = searcher.aggregate(parsed, {f: {"terms": {"field": f, "size": 10}} for f in FACETS})
        facets = {f: {b["key"]: b["doc_count"] for b in aggs.get(f, {}).get("buckets", [])} for f in FACETS}
        return hits, facets, found.count
