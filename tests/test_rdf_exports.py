"""A shard's RDF exports are patched per model: removing one model's N-Quads lines or Turtle block
leaves exactly the others, whatever the order of the lines and whatever the literals hold."""

import json

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


def test_turtle_blocks_survive_literals_that_look_like_block_marks(tmp_path):
    tricky = "two lines\n# graph <https://w3id.org/mlentory/model/hf/org/b>\nand a mark in between"
    data = converted({"org/a": tricky, "org/b": "plain"})
    blocks = {graph: data.turtle(graph) for graph in data.graphs()}
    path = tmp_path / "models.ttl"
    rdf.write_turtle(path, blocks, "models")
    assert rdf.turtle_blocks(path.read_bytes()) == blocks
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
    assert set(rdf.turtle_blocks(out[1].read_bytes())) == {IRIS.model("org/a"), IRIS.model("org/c")}
