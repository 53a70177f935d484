"""The embedded SPARQL store (Oxigraph, `data/sparql/store`) that `doit sparql` queries.

Each model is one named graph, named by the model's IRI (the entities are one graph,
`<base>graph/hf/entities`), loaded from the shards' N-Quads (transform/rdf.py). Cost follows the
models that changed, not the shards they fall in: only changed models' graphs are replaced. The store
keeps a record of what it was loaded with, so a store deleted or out of step is reloaded whole.
"""

from __future__ import annotations

import json
import os
import re
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


PENDING_WRITES = 8
# What the store loads is N-Quads that Oxigraph itself wrote (transform/rdf.py) from JSON-LD it parsed and
# checked then: its IRIs and language tags are not checked a second time (lenient), which saves ~10% of a full
# load. A damaged line still fails: lenient parsing skips those checks, not the N-Quads syntax.
TRUSTED = True


class SparqlStore:
    """The embedded store, opened for one load or query (Oxigraph allows one open writer)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._writer = None
        self._pending: list = []

    def open(self) -> "SparqlStore":
        ox = _pyoxigraph()
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise PipelineError(f"the SPARQL store {self.path} is in use (a run is loading it?): {exc} - "
                                "try again when that run has ended") from exc
        return self

    def loaded(self) -> dict:
        """What the store was loaded with: the code's fingerprint and each document's digest (empty
        when it holds nothing known)."""
        try:
            return json.loads((self.path / LOADED_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def remove_graphs(self, graphs) -> None:
        """Remove these named graphs (those the store holds), in the writing thread, in order with the
        inserts (see `insert`): the caller goes on reading the next shard meanwhile. Waiting here took
        2 of the 5 s of a 1% update at 100k models."""
        self._submit(self._remove_graphs, list(graphs))

    def _remove_graphs(self, graphs: list[str]) -> None:
        ox = _pyoxigraph()
        for graph in graphs:
            named = ox.NamedNode(graph)
            if self._store.contains_named_graph(named):
                self._store.remove_graph(named)

    def insert(self, nquads: bytes, bulk: bool, source: str) -> None:
        """Add quads (read from `source`, named in errors): in bulk (new files written by the store, fast
        for many) or in one transaction (cheaper for a few, as after a small update). The writing goes
        on in a thread of its own, in order, while the caller reads the next shard (the store releases
        the GIL); `wait` raises what a write raised."""
        if nquads:
            self._submit(self._insert, nquads, bulk, source)

    def insert_parts(self, parts: list[tuple[bytes, str]], bulk: bool) -> None:
        """Add the quads of several (N-Quads lines, the file they were read from) in one load, as `insert`;
        a bad line is reported with the file it came from."""
        parts = [(quads, source) for quads, source in parts if quads]
        if parts:
            self._submit(self._insert_parts, parts, bulk)

    def _insert_parts(self, parts: list[tuple[bytes, str]], bulk: bool) -> None:
        data = b"".join(quads for quads, _ in parts)
        try:
            self._insert(data, bulk, parts[0][1])
        except PipelineError as exc:
            if not isinstance(exc.__cause__, SyntaxError):
                raise
            # each part holds some models' lines of its file, not a run of it: no line of the file to name
            raise _bad_line(exc.__cause__, data, [(source, None, len(quads)) for quads, source in parts]) \
                from exc.__cause__

    def insert_file(self, path: Path) -> None:
        """Add an N-Quads file's quads in bulk, read by the store itself, in the writing thread."""
        self._submit(self._insert, None, True, str(path))

    def insert_files(self, paths: list[Path]) -> None:
        """Add many N-Quads files' quads by bulk loads of about LOAD_CHUNK_BYTES each, in the writing thread."""
        if paths:
            self._submit(self._insert_files, [Path(p) for p in paths])

    def _insert_files(self, paths: list[Path]) -> None:
        ox = _pyoxigraph()
        for chunk, pieces in _chunks(paths):
            try:
                self._store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=TRUSTED)
            except SyntaxError as exc:
                raise _bad_line(exc, chunk, pieces) from exc
            except (ValueError, OSError) as exc:
                raise PipelineError(f"the SPARQL store could not load {len(paths)} N-Quads files ({paths[0]}, ...): "
                                    f"{' '.join(str(exc).split())[:300]} - run `doit` again") from exc

    def _submit(self, *write) -> None:
        # a few writes queued, so the reader and the writer overlap; a reader far ahead would hold every
        # shard's quads (a write holds a shard's changed models' lines, or nothing for a file)
        while len(self._pending) >= PENDING_WRITES:
            self._pending.pop(0).result()
        self._pending.append(self._writes().submit(*write))

    def _insert(self, nquads: bytes | None, bulk: bool, source: str) -> None:
        ox = _pyoxigraph()
        try:
            if nquads is None:
                self._store.bulk_load(path=source, format=ox.RdfFormat.N_QUADS, lenient=TRUSTED)
            elif bulk:
                self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS, lenient=TRUSTED)
            else:
                self._store.load(nquads, format=ox.RdfFormat.N_QUADS, lenient=TRUSTED)
        except (SyntaxError, ValueError, OSError) as exc:
            raise PipelineError(f"the SPARQL store could not load {source}: {' '.join(str(exc).split())[:300]} - "
                                "delete that file and run `doit` (the asset that writes it writes it again)") from exc

    def replace_lines(self, before: bytes, after: bytes, source: str) -> tuple[int, int] | None:
        """Turn the quads of N-Quads `before` (what the store holds of a document) into those of `after`,
        removing and adding only the lines that differ: (removed, added). None, with nothing done, when
        a line holds a blank node (its label differs from one conversion to the next) or most lines
        differ (then replacing the graph costs less)."""
        old, new = set(before.split(b"\n")) - {b""}, set(after.split(b"\n")) - {b""}
        gone, added = old - new, new - old
        if b"_:" in before or b"_:" in after or len(gone) + len(added) > len(new) // 2:
            return None
        return self._writes().submit(self._replace_lines, gone, added, source).result()

    def _replace_lines(self, gone: set[bytes], added: set[bytes], source: str) -> tuple[int, int]:
        ox = _pyoxigraph()
        try:
            for quad in ox.parse(b"\n".join(sorted(gone)) + b"\n", format=ox.RdfFormat.N_QUADS):
                self._store.remove(quad)
            if added:
                self._store.load(b"\n".join(sorted(added)) + b"\n", format=ox.RdfFormat.N_QUADS, lenient=TRUSTED)
        except (SyntaxError, ValueError, OSError) as exc:
            raise PipelineError(f"the SPARQL store could not update from {source}: "
                                f"{' '.join(str(exc).split())[:300]} - delete that file and run `doit`") from exc
        return len(gone), len(added)

    def _writes(self):
        if self._writer is None:
            from concurrent.futures import ThreadPoolExecutor
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="sparql-store")
        return self._writer

    def wait(self) -> None:
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def reset(self) -> None:
        """An empty store: its files removed and created again (faster than deleting what it holds)."""
        import shutil
        self.wait()
        self._store = None  # closes it
        shutil.rmtree(self.path, ignore_errors=True)
        self.open()

    def drop_except(self, keep: set[str]) -> int:
        ox = _pyoxigraph()
        self.wait()
        gone = [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in keep]
        for graph in gone:
            self._store.remove_graph(graph)
        return len(gone)

    def compact(self) -> None:
        """Merge the store's files (RocksDB compaction), once its writes are done. A full load leaves the
        ~70 bulk loads' files overlapping, and every later graph removal scans all of them: at 100k models a
        1% update's store task took 6.7 s on the loaded store and 2.5 s on the compacted one, for 12 s of
        compaction (at 44 MB) once per full load."""
        self.wait()
        try:
            self._store.optimize()
        except OSError as exc:
            raise PipelineError(f"the SPARQL store {self.path} could not be compacted: {exc} - run `doit` again") from exc

    def record(self, loaded: dict) -> None:
        self.wait()
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
        """Wait for the writes still going (without raising: the build already failed or waited),
        then close the store."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        self._store = None


# A full load reads the shards' N-Quads in bulk loads of about this much text. One bulk load of a 100k
# catalog's 1.1 GB took 29-32 s and 1.9 GB of memory (Oxigraph's bulk loader holds its batches);
# loads of 16 MB took 32 s and 0.2 GB; one per shard file (4 MB) took 38 s, and chunks of 64-128 MB
# 41-43 s (the loader's larger batches), each timed alone here.
LOAD_CHUNK_BYTES = 16 << 20


def _chunks(paths: list[Path]):
    """The files' text in pieces of about LOAD_CHUNK_BYTES, cut at line breaks, files joined: (chunk,
    [(file, offset in the file, length) of each piece of it]). A file's last line gets a line break if
    it has none, so it does not run into the next file's first."""
    parts: list[bytes] = []
    pieces: list[tuple[Path, int, int]] = []
    size = 0
    for path in paths:
        with open(path, "rb") as fh:
            offset, rest = 0, b""
            while True:
                block = fh.read(LOAD_CHUNK_BYTES)
                if block:
                    text = rest + block
                    cut = text.rfind(b"\n") + 1
                    piece, rest = text[:cut], text[cut:]
                else:  # the file's end: what is left is its last line, without its line break
                    piece, rest = rest + b"\n" if rest else b"", b""
                if piece:
                    parts.append(piece)
                    pieces.append((path, offset, len(piece)))
                    offset += len(piece)
                    size += len(piece)
                if size >= LOAD_CHUNK_BYTES:
                    yield b"".join(parts), pieces
                    parts, pieces, size = [], [], 0
                if not block:
                    break
    if parts:
        yield b"".join(parts), pieces


class ChangedGraphs:
    """The changed models' quads of every shard of an update, added to the store together once their old
    graphs are gone: in one bulk load when they are many. A 1% update at 100k models made a transaction per
    shard, 1.1 s for about 1,000 models, where one bulk load takes 0.5 s (a transaction stays cheaper
    below about a hundred). Held up to HOLD_BYTES, then added."""

    BULK_MODELS = 100
    HOLD_BYTES = 64 << 20

    def __init__(self, store: SparqlStore):
        self.store = store
        self.parts: list[tuple[bytes, str]] = []
        self.models = self.size = 0

    def add(self, quads: bytes, models: int, source: str) -> None:
        self.parts.append((quads, source))
        self.models += models
        self.size += len(quads)
        if self.size > self.HOLD_BYTES:
            self.insert()

    def insert(self) -> None:
        self.store.insert_parts(self.parts, bulk=self.models >= self.BULK_MODELS)
        self.parts, self.models, self.size = [], 0, 0


def _bad_line(exc: SyntaxError, data: bytes, pieces: list[tuple]) -> PipelineError:
    """One line naming the file a bad line of `data` came from (counted again: only on failure).
    `pieces`: (file, offset in it, length) of each piece of `data` in order; with an offset the piece is
    a run of its file and the file's own line is named, else the line of the lines read from it."""
    line, source, where = exc.lineno, pieces[0][0], "line ?"
    at = 0
    for path, offset, length in pieces if line else []:
        lines = data.count(b"\n", at, at + length) + (0 if data[at + length - 1:at + length] == b"\n" else 1)
        if line <= lines:
            source = path
            if offset is None:
                where = f"line {line} of the lines read from it"
            else:
                with open(path, "rb") as fh:
                    before = fh.read(offset).count(b"\n")
                where = f"line {before + line}"
            break
        line -= lines
        at += length
    reason = re.sub(r"\s*\(line \d+\)$", "", " ".join(str(exc).split(": ", 1)[-1].split()))  # the load's own line
    return PipelineError(f"the SPARQL store could not load {source}: {where}: {reason[:300]} - delete that file and "
                         "run `doit` (the asset that writes it writes it again)")


def holds(store: Path, receipt: Path) -> bool:
    """Does the store still hold what the receipt says was loaded into it?"""
    try:
        expected = json.loads(receipt.read_text(encoding="utf-8"))["store"]
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
