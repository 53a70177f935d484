"""The catalog as the UI and its API read it: search from the configured search index, models,
datasets, papers and lineage from the configured graph (a model's long texts from its normalized record: the
graph does not hold them), history from the records' history files.

Works the same on the embedded targets (FalkorDB, tantivy) and on Neo4j / Elasticsearch: the project's
settings choose, and are read again when `.env` or `pyproject.toml` change, so pointing the project at
another target needs no restart. Connections are kept open between requests; one that broke (a
server restarted, the embedded graph stopped at the end of a run, or killed for hanging under a read)
is opened again once, and a target that still cannot answer is a TargetUnavailable error with one
line saying which and why.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from pipeline.catalog import exports, graph_reads
from pipeline.catalog.versions import changes, current_record, versions
from pipeline.config import Settings, load_settings
from pipeline.errors import NotFound, PipelineError, TargetLost, TargetUnavailable
from pipeline.load.graph_model import RECORD_ONLY
from pipeline.load.search import FACETS, parse_query
from pipeline.load.targets import graph_target, search_target
from pipeline.transform.iris import Iris

LIST_DESCRIPTION_CHARS = 300
# fields of a search document a result list shows (titles of linked datasets and papers stay in the index)
HIT_FIELDS = ("id", "name", "description", "task", "library", "license", "language", "author", "relation",
              "base_models", "datasets", "downloads", "likes", "date_modified", "score")


def _connection_errors() -> tuple[type[BaseException], ...]:
    """What the drivers raise when their server went away (lazily: each driver is imported only here)."""
    import elasticsearch
    import neo4j.exceptions
    import redis.exceptions
    return (OSError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
            neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired,
            elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout)


class _Target:
    """One open graph store or search index, reopened when the settings choose another target."""

    def __init__(self, noun: str, describe, make):
        self.noun, self.describe, self.make = noun, describe, make
        self._lock = threading.Lock()
        self._open = None
        self._chosen = None

    def call(self, settings: Settings, work):
        for attempt in (1, 2):
            handle = self._handle(settings)
            try:
                # an embedded graph server that hangs is killed under the read (FalkorStore.watched): TargetLost
                with getattr(handle, "watched", contextlib.nullcontext)():
                    return work(handle)
            except TargetLost as exc:
                self.close(handle)
                if attempt == 2:
                    raise TargetUnavailable(settings.redact(str(exc))) from None
            except PipelineError as exc:  # the target's own one-line account (e.g. an index never built)
                raise TargetUnavailable(settings.redact(str(exc))) from None
            except _connection_errors() as exc:
                self.close(handle)
                if attempt == 2:
                    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
                    raise TargetUnavailable(settings.redact(f"the {self.noun} ({handle.target}) does not answer: "
                                                            f"{reason}")) from None

    def _handle(self, settings: Settings):
        chosen = self.describe(settings)
        with self._lock:
            if self._open is not None and self._chosen == chosen:
                return self._open
            if self._open is not None:
                self._open.close()
                self._open = None
            try:
                self._open = self.make(settings).open()
            except PipelineError as exc:
                raise TargetUnavailable(settings.redact(str(exc))) from None
            except _connection_errors() as exc:
                raise TargetUnavailable(settings.redact(f"the {self.noun} cannot be opened: {exc}")) from None
            self._chosen = chosen
            return self._open

    def close(self, handle=None) -> None:
        with self._lock:
            if self._open is not None and (handle is None or handle is self._open):
                try:
                    self._open.close()
                finally:
                    self._open = None


class Catalog:
    def __init__(self, root: Path, env: dict | None = None):
        from pipeline.load.graph import graph_store
        from pipeline.load.search import search_index

        self.root = Path(root)
        self.env = env
        self._settings: tuple[tuple, Settings] | None = None
        self.graph = _Target("graph", graph_target, graph_store)
        self.index = _Target("search index", search_target, search_index)

    def settings(self) -> Settings:
        """The project's settings, read again only when a file they come from changed."""
        stamp = []
        for name in ("pyproject.toml", ".env"):
            try:
                info = (self.root / name).stat()
                stamp.append((info.st_mtime_ns, info.st_size))
            except OSError:
                stamp.append(None)
        if self._settings is None or self._settings[0] != tuple(stamp):
            self._settings = (tuple(stamp), load_settings(self.root, environ=self.env))
        return self._settings[1]

    def iris(self) -> Iris:
        return Iris(self.settings().iri_base)

    # -- search ------------------------------------------------------------------------------------
    def search(self, query: str, filters: dict[str, list[str]], offset: int, limit: int) -> dict:
        """A page of models for a query (pipeline/load/search.py parse_query) with filters by facet."""
        settings = self.settings()
        text, wanted = parse_query(query, filters)
        hits, facets, total = self.index.call(settings, lambda index: index.search(text, limit, wanted, offset))
        shown = []
        for hit in hits:
            item = {key: hit.get(key) for key in HIT_FIELDS if key in hit}
            if hasattr(item.get("date_modified"), "isoformat"):  # the embedded index gives dates as dates
                item["date_modified"] = item["date_modified"].isoformat().replace("+00:00", "Z")
            if len(item.get("description") or "") > LIST_DESCRIPTION_CHARS:
                item["description"] = item["description"][:LIST_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
            shown.append(item)
        return {"query": query, "filters": wanted, "offset": offset, "limit": limit, "total": total, "hits": shown,
                # a document without a value (no library, no base) is no bucket of its own
                "facets": {name: {k: n for k, n in facets[name].items() if k != ""} for name in FACETS if name in facets}}

    # -- the graph ---------------------------------------------------------------------------------
    def model(self, model_id: str) -> dict:
        """A model's node and links from the graph; for a harvested model, the record's long texts and nested
        values (which the graph does not hold) from its normalized shard."""
        settings = self.settings()
        found = self.graph.call(settings, lambda store: graph_reads.model(store, model_id))
        if found is None:
            raise NotFound(f"no model {model_id!r} in the catalog (ids are the Hub's, e.g. google-bert/bert-base-uncased)")
        if found["kind"] == "harvested":
            record = current_record(settings, found["id"]) or {}
            found["record"].update((name, record[name]) for name in RECORD_ONLY if name in record)
        return found

    def lineage(self, model_id: str, direction: str, depth: int, limit: int) -> dict:
        found = self.graph.call(self.settings(),
                                lambda store: graph_reads.lineage(store, model_id, direction, depth, limit))
        if found is None:
            raise NotFound(f"no model {model_id!r} in the catalog")
        return found

    def entity(self, label: str, noun: str, entity_id: str, limit: int) -> dict:
        found = self.graph.call(self.settings(), lambda store: graph_reads.entity(store, label, entity_id, limit))
        if found is None:
            raise NotFound(f"no {noun} {entity_id!r} in the catalog")
        return found

    # -- files ---------------------------------------------------------------------------------------
    def history(self, model_id: str) -> list[dict]:
        """The versions of a model's record with what changed at each (empty for a model never harvested)."""
        return changes(versions(self.settings(), model_id))

    def export(self, model_id: str, form: str) -> str | dict:
        model = self.model(model_id)
        iris = self.iris()
        if form == "jsonld":
            return exports.jsonld_document(model, iris)
        if form == "turtle":
            return exports.turtle(model, iris)
        return exports.rocrate(model, iris)

    def close(self) -> None:
        self.graph.close()
        self.index.close()
