"""A shard's RDF exports are patched per model: removing one model's N-Quads lines or Turtle block
leaves exactly the others, whatever the order of the lines and whatever the literals hold."""

import json
import re

import pyoxigraph as ox

from pipeline.transform import jsonld, rdf
from pipeline.transform.iris import Iris

IRIS = Iris()


def node(model_id: str, description: str) -> str:
    return json.dumps({"@id": IRIS.model(model_id), "@type": "MLModel", "identifier": model_id,
                       "description": description, "author": {"@type": "Organization", "name": "org"}})


def converted(descriptions: dict[str, str]) -> rdf.Rdf:
    nodes = [(IRIS.model(i), node(i, text)) for i, text in descriptions.items()]
    return rdf.Rdf(rdf.model_document(jsonld.header(), jsonld.FOOTER, nodes))


def quads(data: bytes) -> set[tuple[str, str, str, str]]:
    """Quads as comparable values (blank nodes by the triple's predicate: one per model here)."""
    return {(q.subject.value if isinstance(q.subject, ox.NamedNode) else "_", q.predicate.value,
             q.object.value if not isinstance(q.object, ox.BlankNode) else "_", q.graph_name.value)
            for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}


def turtle_blocks(data: bytes) -> dict[str, bytes]:
    """The blocks of a Turtle file written by `rdf.write_turtle`, by graph, in file order (a literal never
    spans lines: Oxigraph escapes line breaks)."""
    blocks: dict[str, bytes] = {}
    for block in data.split(b"\n" + rdf.TURTLE_MARK)[1:]:
        iri, _, body = block.partition(b">\n")
        blocks[iri.decode("utf-8")] = body
    return blocks


def test_each_model_is_a_graph_named_by_its_iri():
    data = converted({"org/a": "first", "org/b": "second"})
    assert sorted(data.graphs()) == [IRIS.model("org/a"), IRIS.model("org/b")]
    assert {q[3] for q in quads(data.nquads()) if q[2] == "first"} == {IRIS.model("org/a")}


def test_a_model_removed_from_the_n_quads_leaves_exactly_the_others_in_any_line_order():
    data = converted({"org/a": "first", "org/b": "second", "org/c": "third"}).nquads()
    gone = IRIS.model("org/b")
    expected = {q for q in quads(data) if q[3] != gone}
    lines = [line for line in data.split(b"\n") if line]
    interleaved = b"".join(line + b"\n" for line in lines[::2] + lines[1::2])  # a graph's lines apart
    for text in (data, interleaved):
        assert quads(rdf.without_graphs(text, [gone])) == expected
        assert quads(rdf.graph_lines(text, [gone])) == {q for q in quads(data) if q[3] == gone}
    assert rdf.without_graphs(data, []) == data and rdf.graph_lines(data, []) == b""
    last = lines[-1][lines[-1].rindex(b" <") + 2:-3].decode()  # a file whose last line lost its line break
    assert quads(rdf.graph_lines(data.rstrip(b"\n"), [last])) == {q for q in quads(data) if q[3] == last}
    assert quads(rdf.without_graphs(data.rstrip(b"\n"), [last])) == {q for q in quads(data) if q[3] != last}


def test_a_file_the_store_cannot_read_fails_in_one_line_naming_it(tmp_path):
    import pytest
    from pipeline.errors import PipelineError
    from pipeline.load.rdf_store import SparqlStore

    bad = tmp_path / "models-000.nq"
    bad.write_bytes(b"<https://a> <https://b> not n-quads\n")
    store = SparqlStore(tmp_path / "store").open()
    try:
        store.insert_file(bad)
        with pytest.raises(PipelineError) as failed:
            store.record({})
    finally:
        store.close()
    message = str(failed.value)
    assert str(bad) in message and "delete that file and run `doit`" in message and "\n" not in message


def test_many_files_load_as_one_and_a_bad_line_is_named_by_its_own_file_and_line(tmp_path):
    import pytest
    from pipeline.errors import PipelineError
    from pipeline.load.rdf_store import SparqlStore

    def quad(n):
        return b'<https://a> <https://b> "%d" <https://g> .\n' % n

    first, second, bad = tmp_path / "models-000.nq", tmp_path / "models-001.nq", tmp_path / "models-002.nq"
    first.write_bytes(quad(1) + quad(2).rstrip(b"\n"))  # its last line not ended: must not run into the next file
    second.write_bytes(quad(3))
    bad.write_bytes(quad(4) + quad(5) + b"<https://a> <https://b> no quad here\n")
    store = SparqlStore(tmp_path / "store").open()
    try:
        store.insert_files([first, second])
        store.wait()
        assert store.count() == 3
        store.insert_files([first, second, bad])
        with pytest.raises(PipelineError) as failed:
            store.wait()
    finally:
        store.close()
    message = str(failed.value)
    assert f"could not load {bad}: line 3:" in message and "delete that file and run `doit`" in message
    assert "\n" not in message and "(line 6)" not in message


def test_files_load_in_bounded_chunks_cut_at_line_breaks(tmp_path, monkeypatch):
    """A full load reads the files in chunks of about LOAD_CHUNK_BYTES (Oxigraph's bulk loader holds its
    batches: one load of a 100k catalog held 1.9 GB): every quad arrives whole, whatever the chunk size,
    and a bad line in a later chunk of a file is named by that file and its own line."""
    import pytest
    from pipeline.errors import PipelineError
    from pipeline.load import rdf_store

    def quad(n):
        return b'<https://a> <https://b> "%d" <https://g%d> .\n' % (n, n % 7)

    files = []
    for f in range(3):
        path = tmp_path / f"models-00{f}.nq"
        path.write_bytes(b"".join(quad(f * 100 + n) for n in range(40)).rstrip(b"\n") if f == 1 else
                         b"".join(quad(f * 100 + n) for n in range(40)))  # the middle file's last line unended
        files.append(path)
    for chunk_bytes in (50, 700, 1 << 20):  # shorter than a line, some lines, every file at once
        monkeypatch.setattr(rdf_store, "LOAD_CHUNK_BYTES", chunk_bytes)
        store = rdf_store.SparqlStore(tmp_path / f"store-{chunk_bytes}").open()
        try:
            store.insert_files(files)
            store.wait()
            assert store.count() == 120
        finally:
            store.close()

    lines = files[2].read_bytes().split(b"\n")
    lines[29] = b"<https://a> <https://b> no quad here"
    files[2].write_bytes(b"\n".join(lines))
    monkeypatch.setattr(rdf_store, "LOAD_CHUNK_BYTES", 700)
    store = rdf_store.SparqlStore(tmp_path / "store-bad").open()
    try:
        store.insert_files(files)
        with pytest.raises(PipelineError) as failed:
            store.wait()
    finally:
        store.close()
    message = str(failed.value)
    assert f"could not load {files[2]}: line 30:" in message and "\n" not in message


def test_changed_graphs_of_many_shards_load_as_one_and_a_bad_line_is_named_by_its_shard(tmp_path):
    """hf_rdf hands every shard's changed models to the store together (`insert_parts`): in bulk or in a
    transaction the store ends up holding the same quads, and a bad line names the shard file it was
    read from (its line among the lines read: they are some models' lines of the file, not a run of it)."""
    import pytest
    from pipeline.errors import PipelineError
    from pipeline.load.rdf_store import SparqlStore

    shards = [converted({f"org/m{shard}{n}": f"model {shard}{n}" for n in range(3)}).nquads() for shard in range(3)]
    parts = [(data, f"models-00{n}.nq") for n, data in enumerate(shards)]
    held = {}
    for bulk in (False, True):
        store = SparqlStore(tmp_path / f"store-{bulk}").open()
        try:
            store.insert_parts(parts, bulk=bulk)
            store.wait()
            held[bulk] = {(s.value if isinstance(s, ox.NamedNode) else "_", p.value,
                           o.value if not isinstance(o, ox.BlankNode) else "_", g.value)
                          for s, p, o, g in store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
        finally:
            store.close()
    assert held[True] == held[False] == quads(b"".join(shards))

    bad = shards[1].rstrip(b"\n").split(b"\n")
    bad.insert(1, b"<https://a> <https://b> no quad here")
    store = SparqlStore(tmp_path / "store-bad").open()
    try:
        store.insert_parts([parts[0], (b"\n".join(bad) + b"\n", "models-001.nq"), parts[2]], bulk=True)
        with pytest.raises(PipelineError) as failed:
            store.wait()
    finally:
        store.close()
    message = str(failed.value)
    assert "could not load models-001.nq: line 2 of the lines read from it:" in message
    assert "delete that file and run `doit`" in message
    assert "\n" not in message


def test_turtle_blocks_survive_literals_that_look_like_block_marks(tmp_path):
    tricky = "two lines\n# graph <https://w3id.org/mlentory/model/hf/org/b>\nand a mark in between"
    data = converted({"org/a": tricky, "org/b": "plain"})
    blocks = {graph: data.turtle(graph) for graph in data.graphs()}
    path = tmp_path / "models.ttl"
    rdf.write_turtle(path, blocks, "models")
    assert turtle_blocks(path.read_bytes()) == blocks
    kept = b"".join(rdf.turtle_without(path.read_bytes(), [IRIS.model("org/a")]))
    assert turtle_blocks(kept) == {IRIS.model("org/b"): blocks[IRIS.model("org/b")]}
    triples = {(t.subject.value, t.predicate.value, t.object.value)
               for t in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE) if isinstance(t.object, ox.Literal)}
    assert (IRIS.model("org/a"), "https://schema.org/description", tricky) in triples


def test_shard_exports_convert_only_the_changed_models(tmp_path):
    nodes = {"org/a": node("org/a", "first"), "org/b": node("org/b", "second")}
    previous = (tmp_path / "old.nq", tmp_path / "old.ttl")
    first = rdf.update_shard_exports(nodes, [], [], False, IRIS, previous, previous, jsonld.header(),
                                     jsonld.FOOTER, "shard")
    assert first == 2  # nothing known before: every model converted
    nodes = {"org/a": node("org/a", "first, edited"), "org/c": node("org/c", "third")}
    out = (tmp_path / "new.nq", tmp_path / "new.ttl")
    assert rdf.update_shard_exports(nodes, ["org/a", "org/c"], ["org/b"], True, IRIS, previous, out,
                                    jsonld.header(), jsonld.FOOTER, "shard") == 2
    held = quads(out[0].read_bytes())
    assert {q[3] for q in held} == {IRIS.model("org/a"), IRIS.model("org/c")}
    assert {q[2] for q in held if q[1] == "https://schema.org/description"} == {"first, edited", "third"}
    assert set(turtle_blocks(out[1].read_bytes())) == {IRIS.model("org/a"), IRIS.model("org/c")}


def test_recorded_spans_locate_each_model_and_a_stale_record_falls_back_to_scanning(tmp_path):
    """The spans an update records are where each model's lines are; the next update and the SPARQL
    store read by them, and spans that no longer fit the file are not trusted (the result is the same)."""
    nodes = {i: node(i, f"text of {i}") for i in ("org/a", "org/b", "org/c")}
    first = (tmp_path / "first.nq", tmp_path / "first.ttl")
    spans: dict = {}
    rdf.update_shard_exports(nodes, [], [], False, IRIS, first, first, jsonld.header(), jsonld.FOOTER, "shard",
                             spans=spans)
    data = first[0].read_bytes()
    assert spans == rdf.graph_spans(data) and len(spans) == 3
    for graph, (start, end) in spans.items():
        assert {q[3] for q in quads(data[start:end])} == {graph}
    nodes = {"org/a": node("org/a", "edited"), "org/c": nodes["org/c"], "org/d": node("org/d", "new")}
    for recorded in (spans, {graph: (start + 1, end + 1) for graph, (start, end) in spans.items()}, None):
        out = (tmp_path / "out.nq", tmp_path / "out.ttl")
        written: dict = {}
        rdf.update_shard_exports(nodes, ["org/a", "org/d"], ["org/b"], True, IRIS, first, out, jsonld.header(),
                                 jsonld.FOOTER, "shard", previous_spans=recorded, spans=written)
        held = quads(out[0].read_bytes())
        assert {q[3] for q in held} == {IRIS.model(i) for i in ("org/a", "org/c", "org/d")}
        assert {q[2] for q in held if q[1] == "https://schema.org/description"} == {"edited", "text of org/c", "new"}
        assert written == rdf.graph_spans(out[0].read_bytes())
        changed = [IRIS.model("org/d"), IRIS.model("org/a")]
        assert quads(rdf.read_graphs(out[0], changed, written)) == {q for q in held if q[3] in changed}
    wrong = {graph: (0, end) for graph, (_, end) in written.items()}  # spans not holding their graph's lines
    assert quads(rdf.read_graphs(out[0], changed, wrong)) == {q for q in held if q[3] in changed}


def test_the_shard_digests_record_where_each_model_is_in_the_n_quads(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pipeline.transform import normalized_shards

    records = [normalized_shards.every_field({"identifier": f"org/m{n}", "name": f"m{n}", "description": f"d{n}"})
               for n in range(3)]
    rows = [{**r, "raw_digest": "x", "record": json.dumps(r, sort_keys=True), "record_digest": f"r{n}"}
            for n, r in enumerate(records)]
    normalized = tmp_path / "models.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=normalized_shards.SHARD_SCHEMA), normalized)
    names = {k: tmp_path / f"models.{k}" for k in ("jsonld", "digests", "nq", "ttl")}
    jsonld.write_shard(normalized, names["jsonld"], names["digests"], names["jsonld"], names["digests"], "f", IRIS,
                       ((names["nq"], names["ttl"]), (names["nq"], names["ttl"])))
    digests = pq.read_table(names["digests"]).to_pylist()
    data = names["nq"].read_bytes()
    for row in digests:
        assert {q[3] for q in quads(data[row["nq_start"]:row["nq_end"]])} == {IRIS.model(row["id"])}
    assert sum(row["nq_end"] - row["nq_start"] for row in digests) == len(data)


def test_an_update_writes_what_converting_the_whole_shard_again_would(tmp_path):
    """Unchanged models are copied from the previous exports (in runs of neighbours, the N-Quads by
    their recorded spans): the files hold exactly what a conversion from scratch gives, block by block."""
    texts = {f"org/m{n}": f"model {n}" for n in range(8)}
    first = (tmp_path / "first.nq", tmp_path / "first.ttl")
    spans: dict = {}
    rdf.update_shard_exports({i: node(i, t) for i, t in texts.items()}, [], [], False, IRIS, first, first,
                             jsonld.header(), jsonld.FOOTER, "shard", spans=spans)
    texts.update({"org/m1": "edited 1", "org/m5": "edited 5", "org/m9": "new 9"})
    del texts["org/m3"]
    nodes = {i: node(i, t).encode("utf-8") for i, t in texts.items()}  # as write_shard passes them
    out, scratch = (tmp_path / "out.nq", tmp_path / "out.ttl"), (tmp_path / "all.nq", tmp_path / "all.ttl")
    written: dict = {}
    assert rdf.update_shard_exports(nodes, ["org/m1", "org/m5", "org/m9"], ["org/m3"], True, IRIS, first, out,
                                    jsonld.header(), jsonld.FOOTER, "shard", previous_spans=spans, spans=written) == 3
    rdf.update_shard_exports(nodes, [], [], False, IRIS, scratch, scratch, jsonld.header(), jsonld.FOOTER, "shard")
    assert quads(out[0].read_bytes()) == quads(scratch[0].read_bytes())
    assert written == rdf.graph_spans(out[0].read_bytes()) and len(written) == 8
    unlabelled = lambda data: {graph: re.sub(rb"_:[0-9a-z]+", b"_:b", block)  # blank nodes: new labels each time
                               for graph, block in turtle_blocks(data).items()}
    updated, whole = unlabelled(out[1].read_bytes()), unlabelled(scratch[1].read_bytes())
    assert updated == whole and list(updated)[-3:] == [IRIS.model(i) for i in ("org/m1", "org/m5", "org/m9")]
    assert out[1].read_bytes().startswith(b"# shard: one block per named graph\n")


def test_a_shard_converted_a_few_models_at_a_time_is_the_one_converted_at_once(tmp_path, monkeypatch):
    """A large shard is converted CONVERT_MODELS models at a time (its memory bounded): the files hold
    the same quads and blocks, and the spans recorded still locate each model across the pieces."""
    unlabelled = lambda data: {graph: re.sub(rb"_:[0-9a-z]+", b"_:b", block)
                               for graph, block in turtle_blocks(data).items()}
    nodes = {f"org/m{n}": node(f"org/m{n}", f"model {n}") for n in range(7)}
    whole = (tmp_path / "whole.nq", tmp_path / "whole.ttl")
    rdf.update_shard_exports(nodes, [], [], False, IRIS, whole, whole, jsonld.header(), jsonld.FOOTER, "shard")
    monkeypatch.setattr(rdf, "CONVERT_MODELS", 3)
    parts, spans = (tmp_path / "parts.nq", tmp_path / "parts.ttl"), {}
    assert rdf.update_shard_exports(nodes, [], [], False, IRIS, parts, parts, jsonld.header(), jsonld.FOOTER,
                                    "shard", spans=spans) == 7
    data = parts[0].read_bytes()
    assert quads(data) == quads(whole[0].read_bytes())
    assert unlabelled(parts[1].read_bytes()) == unlabelled(whole[1].read_bytes())
    assert len(spans) == 7 and spans == rdf.graph_spans(data)
    for graph, (start, end) in spans.items():
        assert {q[3] for q in quads(data[start:end])} == {graph}
    # an update converting 4 models in two pieces after the kept ones: same as converting everything again
    nodes.update({f"org/m{n}": node(f"org/m{n}", f"edited {n}") for n in (0, 2, 4, 6)})
    out, written = (tmp_path / "out.nq", tmp_path / "out.ttl"), {}
    rdf.update_shard_exports(nodes, ["org/m0", "org/m2", "org/m4", "org/m6"], [], True, IRIS, parts, out,
                             jsonld.header(), jsonld.FOOTER, "shard", previous_spans=spans, spans=written)
    again = (tmp_path / "again.nq", tmp_path / "again.ttl")
    rdf.update_shard_exports(nodes, [], [], False, IRIS, again, again, jsonld.header(), jsonld.FOOTER, "shard")
    assert quads(out[0].read_bytes()) == quads(again[0].read_bytes())
    assert written == rdf.graph_spans(out[0].read_bytes()) and len(written) == 7


def _normalized_shard(path, descriptions: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pipeline.transform import normalized_shards

    records = [normalized_shards.every_field({"identifier": i, "name": i, "description": text})
               for i, text in descriptions.items()]
    rows = [{**r, "raw_digest": "x", "record": json.dumps(r, sort_keys=True), "record_digest": r["description"]}
            for r in records]
    pq.write_table(pa.Table.from_pylist(rows, schema=normalized_shards.SHARD_SCHEMA), path)


def _shard(tmp_path, name: str, normalized, previous: dict | None = None) -> dict:
    """write_shard into files named `name` (from the `previous` shard's files, when given)."""
    files = {k: tmp_path / f"{name}.{k}" for k in ("jsonld", "digests", "nq", "ttl")}
    before = previous or files
    jsonld.write_shard(normalized, before["jsonld"], before["digests"], files["jsonld"], files["digests"], "f", IRIS,
                       ((before["nq"], before["ttl"]), (files["nq"], files["ttl"])))
    return files


def test_an_update_copies_nodes_and_blocks_by_their_recorded_places_and_distrusts_stale_ones(tmp_path):
    """The shard digests record where each model's node is in the document and its block in the Turtle;
    an update copies the unchanged ones by them (in runs of neighbours) and writes what building the
    shard from scratch writes. Places that no longer fit their files are not used: same result."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = {f"org/m{n}": f"model {n}" for n in range(8)}
    _normalized_shard(tmp_path / "first.parquet", texts)
    first = _shard(tmp_path, "first", tmp_path / "first.parquet")

    def located(files) -> None:
        document, turtle = files["jsonld"].read_bytes(), files["ttl"].read_bytes()
        blocks = rdf.turtle_blocks(turtle)
        for row in pq.read_table(files["digests"]).to_pylist():
            assert json.loads(document[row["jl_start"]:row["jl_end"]])["identifier"] == row["id"]
            assert (row["tt_start"], row["tt_end"]) == blocks[IRIS.model(row["id"])]

    located(first)
    texts.update({"org/m1": "edited 1", "org/m5": "edited 5", "org/m9": "new 9"})
    del texts["org/m3"]
    _normalized_shard(tmp_path / "second.parquet", texts)
    scratch = _shard(tmp_path, "scratch", tmp_path / "second.parquet")
    unlabelled = lambda data: {graph: re.sub(rb"_:[0-9a-z]+", b"_:b", block)
                               for graph, block in turtle_blocks(data).items()}
    table = pq.read_table(first["digests"])
    shifted = {"jl_start": [s + 1 for s in table.column("jl_start").to_pylist()],
               "tt_start": [s + 1 for s in table.column("tt_start").to_pylist()]}
    for stale in ({}, {"jl_start": shifted["jl_start"]}, {"tt_start": shifted["tt_start"]}):
        if stale:  # the first shard's digests, their recorded places shifted by a byte
            for column, values in stale.items():
                table = table.set_column(table.column_names.index(column), column, pa.array(values, pa.int64()))
            pq.write_table(table, first["digests"])
        second = _shard(tmp_path, "second", tmp_path / "second.parquet", previous=first)
        assert second["jsonld"].read_bytes() == scratch["jsonld"].read_bytes()
        assert quads(second["nq"].read_bytes()) == quads(scratch["nq"].read_bytes())
        assert unlabelled(second["ttl"].read_bytes()) == unlabelled(scratch["ttl"].read_bytes())
        located(second)


def test_lost_rdf_exports_are_converted_again_from_the_kept_document(tmp_path):
    """With the previous N-Quads gone, every model is converted again, the unchanged ones from their
    lines in the previous document (read by their recorded places): the exports are whole again."""
    texts = {f"org/m{n}": f"model {n}" for n in range(6)}
    _normalized_shard(tmp_path / "first.parquet", texts)
    first = _shard(tmp_path, "first", tmp_path / "first.parquet")
    first["nq"].unlink()
    texts["org/m2"] = "edited"
    _normalized_shard(tmp_path / "second.parquet", texts)
    second = _shard(tmp_path, "second", tmp_path / "second.parquet", previous=first)
    scratch = _shard(tmp_path, "scratch", tmp_path / "second.parquet")
    assert second["jsonld"].read_bytes() == scratch["jsonld"].read_bytes()
    held = quads(second["nq"].read_bytes())
    assert held == quads(scratch["nq"].read_bytes()) and {q[3] for q in held} == {IRIS.model(i) for i in texts}
    assert set(turtle_blocks(second["ttl"].read_bytes())) == {IRIS.model(i) for i in texts}
