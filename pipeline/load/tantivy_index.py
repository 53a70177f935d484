"""Embedded search target: a tantivy (BM25) index under data/search/, with facets by aggregation.

Each rebuild writes a new version folder, then atomically replaces the `CURRENT` pointer file and
deletes older versions: readers always open a complete index (the embedded analogue of an alias
swap). The load receipt is stored inside the version folder, so deleting the index makes the
loader's receipt check fail.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Iterable, TextIO

import tantivy

from pipeline.load.search import FACETS
from pipeline.registry import PipelineError

_TEXT = ("name", "description", "keywords")
_KEYWORDS = ("id", "task", "library", "license", "language", "author", "shared_by", "datasets", "base_models")
WRITER_HEAP = 128 * 1024 * 1024


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("name", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("description", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("keywords", stored=True, tokenizer_name="default")
    for field in _KEYWORDS:
        builder.add_text_field(field, stored=True, tokenizer_name="raw", fast=True)
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
    for field in ("downloads", "likes"):
        out.add_integer(field, doc.get(field) or 0)
    for field in ("date_modified", "date_created"):
        if doc.get(field):
            out.add_date(field, _date(doc[field]))
    return out


class TantivyIndex:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.target = f"embedded tantivy index at {self.directory}"
        self._version: Path | None = None

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

    # -- interface -----------------------------------------------------------------------------
    def open(self) -> "TantivyIndex":
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def rebuild(self, docs: Iterable[dict], load_id: str, rejects: TextIO) -> dict:
        version = self.directory / f"v-{load_id}-{time.time_ns()}"
        version.mkdir(parents=True)
        index = tantivy.Index(_schema(), path=str(version))
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        indexed = rejected = 0
        for doc in docs:
            try:
                writer.add_document(_document(doc))
                indexed += 1
            except (ValueError, TypeError, OverflowError) as exc:
                rejected += 1
                rejects.write(json.dumps({"id": doc.get("id"), "reason": str(exc)[:500]}) + "\n")
        writer.commit()
        writer.wait_merging_threads()
        self._version = version
        return {"documents_indexed": indexed, "rejected": rejected}

    def write_receipt(self, receipt: dict) -> None:
        """Store the receipt in the new version, then make that version the one readers see."""
        (self._version / "receipt.json").write_text(json.dumps(receipt, sort_keys=True))
        self._switch_to(self._version)

    def read_receipt(self) -> dict | None:
        current = self._current()
        try:
            return json.loads((current / "receipt.json").read_text()) if current else None
        except (OSError, ValueError):
            return None

    def search(self, query: str, limit: int = 10, filters: dict | None = None) -> tuple[list[dict], dict]:
        current = self._current()
        if current is None:
            raise PipelineError(f"no search index at {self.directory}: run `doit hf_index_models_in_elasticsearch`")
        index = tantivy.Index.open(str(current))
        parsed, _errors = index.parse_query_lenient(query or "*", ["name", "description", "keywords"],
                                                    field_boosts={"name": 3.0, "keywords": 2.0})
        if filters:
            clauses = [(tantivy.Occur.Must, parsed)]
            for field, value in filters.items():
                clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(index.schema, field, value)))
            parsed = tantivy.Query.boolean_query(clauses)
        searcher = index.searcher()
        hits = []
        for score, address in searcher.search(parsed, limit).hits:
            stored = searcher.doc(address).to_dict()
            hit = {k: (v if k in ("keywords", "task", "license", "language", "datasets", "base_models") else v[0])
                   for k, v in stored.items() if v}
            hit["score"] = round(score, 3)
            hits.append(hit)
        aggs = searcher.aggregate(parsed, {f: {"terms": {"field": f, "size": 10}} for f in FACETS})
        facets = {f: {b["key"]: b["doc_count"] for b in aggs.get(f, {}).get("buckets", [])} for f in FACETS}
        return hits, facets

    def close(self) -> None:
        self._version = None
