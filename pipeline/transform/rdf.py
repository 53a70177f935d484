"""The catalog's JSON-LD as RDF: N-Quads and Turtle exports of a model shard, one named graph per model.

Each model's triples are in a named graph named by the model's IRI; a shard's N-Quads keep each
graph's lines together and its Turtle has one block per model after a comment line naming it, so an
update swaps the changed models' lines and blocks and copies the others. Parsing happens in
pyoxigraph's own memory (no Python object per quad).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.storage import HashedWriter


def _pyoxigraph():
    import pyoxigraph
    return pyoxigraph


TURTLE_MARK = b"# graph <"  # starts each model's block in a shard's Turtle (a comment: the file stays plain Turtle)


def model_document(header: str, footer: str, nodes: list[tuple[str, str]]) -> bytes:
    """A JSON-LD document with each node (a line of a shard document, see transform.jsonld) in its own
    named graph, named by the graph IRI given with it."""
    body = ",\n".join('{"@id": %s, "@graph": [%s]}' % (json.dumps(graph), line) for graph, line in nodes)
    return (header + body + footer).encode("utf-8")


class Rdf:
    """Quads parsed from a JSON-LD document (in Oxigraph's own memory, never as Python objects), as
    N-Quads lines and Turtle blocks by named graph."""

    def __init__(self, document: bytes | Path, graph: str | None = None):
        ox = _pyoxigraph()
        self._store = ox.Store()
        try:
            if isinstance(document, Path):
                self._store.bulk_load(path=str(document), format=ox.RdfFormat.JSON_LD,
                                      to_graph=ox.NamedNode(graph) if graph else None)
            else:
                self._store.bulk_load(document, format=ox.RdfFormat.JSON_LD)
        except (SyntaxError, ValueError, OSError) as exc:
            where = document if isinstance(document, Path) else "a model document"
            raise PipelineError(f"cannot read {where} as JSON-LD: {exc}") from exc

    def __len__(self) -> int:
        return len(self._store)

    def nquads(self) -> bytes:
        return self._store.dump(format=_pyoxigraph().RdfFormat.N_QUADS)

    def turtle(self, graph: str) -> bytes:
        ox = _pyoxigraph()
        return self._store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(graph))

    def graphs(self) -> list[str]:
        return [g.value for g in self._store.named_graphs()]


def _suffix(graph: str) -> bytes:
    return b" <" + graph.encode("utf-8") + b"> .\n"


def _spans(nquads: bytes, graphs) -> list[tuple[int, int]] | None:
    """Where each graph's lines are (sorted), or None when a graph's lines are not together. The files
    written here keep them together (a store dumps by graph; a changed model's lines are appended
    together), so a graph is found from its first and last line."""
    spans = []
    for graph in graphs:
        suffix = _suffix(graph)
        first = nquads.find(suffix)
        if first < 0:
            continue
        start, end = nquads.rfind(b"\n", 0, first) + 1, nquads.rfind(suffix) + len(suffix)
        if nquads.count(b"\n", start, end) != nquads.count(suffix, start, end):
            return None
        spans.append((start, end))
    return sorted(spans)


def _lines_in(nquads: bytes, graphs, keep: bool) -> bytes:
    """Line by line: the lines of these graphs (keep) or the others; a line's graph is its last term."""
    ends = tuple(b" <" + g.encode("utf-8") + b"> ." for g in graphs) or (b"\0",)
    return b"".join(line + b"\n" for line in nquads.split(b"\n") if line and line.endswith(ends) == keep)


def _terminated(nquads: bytes) -> bytes:
    """A last line without its line break is still a line."""
    return nquads + b"\n" if nquads and not nquads.endswith(b"\n") else nquads


def _select(nquads: bytes, graphs, keep: bool) -> bytes:
    """The lines of these graphs (keep) or all the others: by span where each graph's lines are
    together, else line by line."""
    nquads, graphs = _terminated(nquads), list(graphs)
    spans = _spans(nquads, graphs)
    if spans is None:
        return _lines_in(nquads, graphs, keep)
    if keep:
        return b"".join(nquads[start:end] for start, end in spans)
    kept, at = [], 0
    for start, end in spans:
        kept.append(nquads[at:start])
        at = end
    kept.append(nquads[at:])
    return b"".join(kept)


def without_graphs(nquads: bytes, graphs) -> bytes:
    """N-Quads without the lines of these graphs."""
    return _select(nquads, graphs, keep=False)


def graph_lines(nquads: bytes, graphs) -> bytes:
    """The N-Quads lines of these graphs."""
    return _select(nquads, graphs, keep=True)


def graph_spans(nquads: bytes) -> dict[str, tuple[int, int]] | None:
    """graph IRI -> (start, end) of its lines, in one pass over the lines; None when a graph's lines are
    not together or a line names no graph. Used where no spans were recorded with the file."""
    spans: dict[str, tuple[int, int]] = {}
    at, start, current, suffix = 0, 0, None, None
    for line in _terminated(nquads).split(b"\n")[:-1]:
        if suffix is None or not line.endswith(suffix):  # a graph's first line (most lines continue one)
            if current is not None:
                spans[current] = (start, at)
            if not line.endswith(b"> .") or b" <" not in line:
                return None
            current, start = line[line.rfind(b" <") + 2:-3].decode("utf-8"), at
            if current in spans:
                return None
            suffix = _suffix(current)[:-1]  # lines are split without their line break
        at += len(line) + 1
    if current is not None:
        spans[current] = (start, at)
    return spans


def _tiles(nquads: bytes, spans: dict[str, tuple[int, int]] | None) -> bool:
    """Whether recorded spans still describe the file: they cover it end to end, and each ends with a
    line of its graph (a file rewritten since, by hand or by other code, no longer passes)."""
    if not spans:
        return False
    at = 0
    for graph, (start, end) in sorted(spans.items(), key=lambda item: item[1]):
        if start != at or end <= start or not nquads.endswith(_suffix(graph), start, end):
            return False
        at = end
    return at == len(nquads)


def read_graphs(path: Path, graphs: list[str], spans: dict[str, tuple[int, int]] | None) -> bytes:
    """The N-Quads lines of these graphs of a file: read by their recorded spans (only those bytes), or
    found by scanning the whole file when a span is missing or does not hold its graph's lines."""
    if spans is not None and all(g in spans for g in graphs):
        chunks = []
        with path.open("rb") as fh:
            for graph in graphs:
                start, end = spans[graph]
                fh.seek(start)
                chunk, suffix = fh.read(end - start), _suffix(graph)
                if not chunk.endswith(suffix) or chunk.count(b"\n") != chunk.count(suffix):
                    break
                chunks.append(chunk)
            else:
                return b"".join(chunks)
    return graph_lines(path.read_bytes(), graphs)


def _block_mark(graph: str) -> bytes:
    return b"\n" + TURTLE_MARK + graph.encode("utf-8") + b">\n"


def turtle_blocks(data: bytes) -> dict[str, tuple[int, int]]:
    """graph -> (start, end) of its block in a Turtle file written by `write_turtle`: from its mark line
    to the next mark, found in one pass. Searching the file once per changed graph took 195 ms for 80 of
    a shard's 7,864 blocks (33 MiB, a 2M catalog's 1% update), against 48 ms this way."""
    mark = b"\n" + TURTLE_MARK
    blocks: dict[str, tuple[int, int]] = {}
    start = data.find(mark)
    while start >= 0:
        name_at = start + len(mark)
        name_end = data.find(b">\n", name_at)
        following = data.find(mark, start + 1)
        if name_end >= 0 and (following < 0 or name_end < following):
            blocks.setdefault(data[name_at:name_end].decode("utf-8", "replace"), (start, following if following >= 0 else len(data)))
        start = following
    return blocks


def turtle_without(data: bytes, graphs) -> list[memoryview]:
    """The blocks of a Turtle file written by `write_turtle` (each with its mark line) but those of these
    graphs, in file order, as a few long slices of the file: an update drops a handful of a shard's
    blocks and copies the rest, without a copy per block."""
    first = data.find(b"\n" + TURTLE_MARK)
    if first < 0:
        return []
    blocks = turtle_blocks(data)
    cuts = [blocks[graph] for graph in dict.fromkeys(graphs) if graph in blocks]
    view, kept, at = memoryview(data), [], first  # slices of a view: the kept blocks are not copied
    for start, end in sorted(cuts):
        kept.append(view[at:start])
        at = end
    kept.append(view[at:])
    return [piece for piece in kept if piece.nbytes]


def write_turtle(path: Path, blocks: dict[str, bytes], title: str, kept: list = ()) -> dict[str, tuple[int, int]]:
    """A Turtle file of blocks, each after a comment line naming its graph, so that a later run can
    replace one model's block and copy the others; `kept` (from `turtle_without`) go first. Returns
    where each of `blocks` was written (graph -> span from its mark line, as `turtle_blocks` finds them)."""
    located = {}
    with HashedWriter(path) as fh:
        at = fh.write(_title_line(title))
        for piece in kept:
            at += fh.write(piece)
        for graph, block in blocks.items():
            marked = _block_mark(graph) + block
            located[graph] = (at, at + len(marked))
            at += fh.write(marked)
    return located


def _title_line(title: str) -> bytes:
    return f"# {title}: one block per named graph\n".encode("utf-8")


def _turtle_kept(data: bytes, dropped: list[str], recorded: dict[str, tuple[int, int]] | None, title: str):
    """The blocks of a shard's previous Turtle but the `dropped` graphs' (as `turtle_without`), and
    where each kept block will be in a file with this title that starts with them (None when not
    known). Recorded blocks that tile the file spare the scan for its marks."""
    first = data.find(b"\n" + TURTLE_MARK)
    if first < 0:
        return [], {}
    located = recorded if recorded and _blocks_tile(data, first, recorded) else turtle_blocks(data)
    if first != data.find(b"\n") + 1 or sum(end - start for start, end in located.values()) != len(data) - first:
        return turtle_without(data, dropped), None  # not only blocks after a title line: copied as it is
    return _kept_runs(data, located, set(dropped), len(_title_line(title)))


def _kept_runs(data: bytes, located: dict[str, tuple[int, int]], gone: set[str], at: int):
    """The spans of `located` (graph -> span in `data`) but the `gone` graphs', as a few long slices of
    `data` (neighbours copied as one, never a copy per graph), and where each will be in a file that holds
    them from offset `at`."""
    view, kept, spans, run = memoryview(data), [], {}, None  # run: consecutive kept spans, one slice
    for graph, (start, end) in sorted(located.items(), key=lambda item: item[1]):
        if graph in gone:
            continue
        spans[graph] = (at, at + end - start)
        at += end - start
        if run is not None and run[1] == start:
            run = (run[0], end)
        else:
            if run is not None:
                kept.append(view[run[0]:run[1]])
            run = (start, end)
    if run is not None:
        kept.append(view[run[0]:run[1]])
    return kept, spans


def _blocks_tile(data: bytes, first: int, blocks: dict[str, tuple[int, int]]) -> bool:
    """Whether recorded blocks still describe a Turtle file: end to end from its first mark to its
    end, each starting with its own graph's mark line."""
    at = first
    for graph, (start, end) in sorted(blocks.items(), key=lambda item: item[1]):
        if start != at or end <= start or not data.startswith(_block_mark(graph), start):
            return False
        at = end
    return at == len(data)


def update_shard_exports(nodes: dict[str, str], changed: list[str], removed: list[str], known: bool,
                         iris, previous: tuple[Path, Path], out: tuple[Path, Path], header: str, footer: str,
                         title: str, previous_spans: dict[str, tuple[int, int]] | None = None,
                         spans: dict[str, tuple[int, int]] | None = None,
                         previous_blocks: dict[str, tuple[int, int]] | None = None,
                         blocks: dict[str, tuple[int, int]] | None = None) -> int:
    """Write a shard's N-Quads and Turtle (`out`) from the previous ones (`previous`), converting only
    the `changed` models' nodes (node line by id in `nodes`, which holds every model of the shard in
    order); without a usable previous pair (`known` False, or a file missing) every model is converted.
    `previous_spans` (graph -> byte span in the previous N-Quads, as recorded with it) spares a scan of
    the previous file; `spans`, when given, is filled with the spans of the file written.
    `previous_blocks` and `blocks` are the same for the Turtle blocks (each from its mark line).
    Returns the number of models converted."""
    previous_nquads, previous_turtle = previous
    kept_spans: dict[str, tuple[int, int]] | None = {}
    kept: list[bytes] = []  # the previous file's lines of the models that stay, in a few long slices
    if known and previous_nquads.exists() and previous_turtle.exists():
        dropped = [iris.model(i) for i in removed] + [iris.model(i) for i in changed]
        data = _terminated(previous_nquads.read_bytes())
        located = previous_spans if _tiles(data, previous_spans) else graph_spans(data)
        if located is None:  # lines of a graph apart: kept line by line, spans unknown
            kept, kept_spans = [without_graphs(data, dropped)], None
        else:
            kept, kept_spans = _kept_runs(data, located, set(dropped), 0)
        kept_turtle, kept_blocks = _turtle_kept(previous_turtle.read_bytes(), dropped, previous_blocks, title)
    else:
        changed, kept_turtle, kept_blocks = list(nodes), [], {}
    changed = list(changed)
    at = sum(memoryview(piece).nbytes for piece in kept)  # where the next converted lines start
    out_nquads, out_turtle = out
    converted: dict[str, bytes] = {}  # graph -> its Turtle block
    written: dict[str, tuple[int, int]] | None = {} if kept_spans is not None else None
    with HashedWriter(out_nquads) as fh:
        for piece in kept:
            fh.write(piece)
        for start in range(0, len(changed), CONVERT_MODELS):
            fresh = _convert(changed[start:start + CONVERT_MODELS], nodes, iris, header, footer, title, converted)
            fh.write(fresh)
            located = graph_spans(fresh) if written is not None else None
            if located is None or set(located) & set(written):
                written = None
            else:
                written.update((graph, (begin + at, end + at)) for graph, (begin, end) in located.items())
            at += len(fresh)
    written_blocks = write_turtle(out_turtle, converted, title, kept_turtle)
    if spans is not None and written is not None and not set(written) & set(kept_spans):
        spans.update(kept_spans)
        spans.update(written)
    if blocks is not None and kept_blocks is not None and not set(written_blocks) & set(kept_blocks):
        blocks.update(kept_blocks)
        blocks.update(written_blocks)
    return len(changed)


# models converted at once. A 2M catalog's shard (8,077 models) parsed as one document held all its quads,
# N-Quads and Turtle together: its JSON-LD task took 3.0-3.3 s at a 690 MiB peak, against 2.3-2.5 s at 367
# MiB 250 at a time (100 to 1,000: 2.2-2.8 s, 365-390 MiB; a smaller store also dumps each graph sooner)
CONVERT_MODELS = 250


def _convert(changed: list[str], nodes: dict, iris, header: str, footer: str, title: str,
             blocks: dict[str, bytes]) -> bytes:
    """These models' N-Quads, their graphs' lines together; their Turtle blocks go to `blocks`."""
    graphs = {i: iris.model(i) for i in changed}
    lines = {i: nodes[i] if isinstance(nodes[i], str) else bytes(nodes[i]).decode("utf-8") for i in changed}
    rdf = Rdf(model_document(header, footer, [(graphs[i], lines[i]) for i in changed]))
    stray = set(rdf.graphs()) - set(graphs.values())
    if stray:
        raise PipelineError(f"{title}: JSON-LD processing named graphs no model has: {sorted(stray)[:3]}")
    for i in changed:
        block = rdf.turtle(graphs[i])
        if block:
            blocks[graphs[i]] = block
    return rdf.nquads()
