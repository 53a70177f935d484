"""The catalog as RDF you can query: Turtle and N-Quads exports and an embedded SPARQL store.

The JSON-LD documents (one per model shard, one for the entities) are parsed into triples with
pyoxigraph, written as Turtle and N-Quads beside them, and loaded into an embedded Oxigraph store
under `data/sparql/store`, one named graph per document (`<base>graph/hf/models-017`,
`<base>graph/hf/entities`). Loading is incremental: a graph is replaced only when its document changed
(the digest of the document's per-record digests, or of the document itself); the store keeps a copy
of what it was loaded with, so a store deleted or out of step is reloaded whole.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.digests import file_digest
from pipeline.errors import PipelineError

PREFIXES = {"schema": "https://schema.org/", "fair4ml": "https://w3id.org/fair4ml#",
            "mlentory": "https://w3id.org/mlentory/vocab#"}
LOADED_FILE = "loaded.json"  # inside the store: what it holds, by graph


def _pyoxigraph():
    import pyoxigraph
    return pyoxigraph


def document_digest(path: Path, digests: Path | None = None) -> str:
    """What a document holds, cheaply: its per-record digest file when it has one, else its bytes."""
    source = digests if digests is not None and digests.exists() else path
    return file_digest(source)[:32]


def convert(jsonld: Path, graph: str, turtle: Path, nquads: Path) -> list:
    """Parse one JSON-LD document, write it as Turtle (its triples) and N-Quads (in `graph`); returns
    the quads."""
    ox = _pyoxigraph()
    try:
        triples = list(ox.parse(path=str(jsonld), format=ox.RdfFormat.JSON_LD))
    except (SyntaxError, ValueError, OSError) as exc:
        raise PipelineError(f"cannot read {jsonld} as JSON-LD: {exc}") from exc
    named = ox.NamedNode(graph)
    quads = [ox.Quad(q.subject, q.predicate, q.object, named) for q in triples]
    ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], output=str(turtle),
                 format=ox.RdfFormat.TURTLE)
    ox.serialize(quads, output=str(nquads), format=ox.RdfFormat.N_QUADS)
    return quads


class SparqlStore:
    """The embedded store, opened for one load or query (Oxigraph allows one open writer)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def open(self) -> "SparqlStore":
        ox = _pyoxigraph()
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise PipelineError(f"the SPARQL store {self.path} is in use (a run is loading it?): {exc} - "
                                "try again when that run has ended") from exc
        return self

    def loaded(self) -> dict[str, str]:
        """graph -> digest of what the store holds (empty when it holds nothing known)."""
        try:
            return json.loads((self.path / LOADED_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def replace(self, graph: str, quads: list) -> None:
        """One graph's quads in place of what the store held for it. Bulk, not one transaction (measured
        ~3x faster on 160k quads): a graph half loaded when a load fails still has its old digest in
        `record`, so the next load replaces it again."""
        ox = _pyoxigraph()
        named = ox.NamedNode(graph)
        if self._store.contains_named_graph(named):
            self._store.remove_graph(named)
        self._store.bulk_extend(quads)

    def load_nquads(self, path: Path) -> None:
        """A graph from the N-Quads file an earlier load wrote for it, parsed and inserted in bulk by the store."""
        self._store.bulk_load(path=str(path), format=_pyoxigraph().RdfFormat.N_QUADS)

    def reset(self) -> None:
        """An empty store: its files removed and created again (faster than deleting what it holds)."""
        import shutil
        self._store = None  # closes it
        shutil.rmtree(self.path, ignore_errors=True)
        self.open()

    def drop_except(self, keep: set[str]) -> int:
        ox = _pyoxigraph()
        gone = [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in keep]
        for graph in gone:
            self._store.remove_graph(graph)
        return len(gone)

    def record(self, loaded: dict[str, str]) -> None:
        self._store.flush()
        staging = self.path / f".{LOADED_FILE}.{os.getpid()}.tmp"
        staging.write_text(json.dumps(loaded, sort_keys=True), encoding="utf-8")
        os.replace(staging, self.path / LOADED_FILE)

    def query(self, sparql: str):
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)  # every graph, unless GRAPH says
        except SyntaxError as exc:
            raise PipelineError(f"not a SPARQL query: {' '.join(str(exc).split())}") from exc

    def count(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store = None


def holds(store: Path, receipt: Path) -> bool:
    """Does the store still hold what the receipt says was loaded into it?"""
    try:
        expected = json.loads(receipt.read_text(encoding="utf-8"))["graphs"]
    except (OSError, ValueError, KeyError):
        return False
    return SparqlStore(store).loaded() == expected


def rows(results) -> tuple[list[str], list[list[str]]]:
    """(variables, rows of plain values) of a SELECT answer; an ASK answer is one row, true or false."""
    ox = _pyoxigraph()
    if isinstance(results, ox.QueryBoolean):
        return ["answer"], [[str(bool(results)).lower()]]
    if isinstance(results, ox.QueryTriples):
        return ["subject", "predicate", "object"], [[t.subject.value, t.predicate.value, _value(t.object)]
                                                    for t in results]
    variables = [v.value for v in results.variables]
    return variables, [[_value(solution[v]) for v in variables] for solution in results]


def _value(term) -> str:
    return "" if term is None else term.value
