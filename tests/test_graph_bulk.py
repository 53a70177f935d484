"""New models created with GRAPH.BULK (pipeline/load/falkordb_bulk.py) against real FalkorDB servers: on
real Hub records and hostile ones, the graph it builds equals, node for node and relationship for
relationship, the graph the Cypher statements build from the same loads."""

import io
import json

import pytest

from pipeline.errors import PipelineError
from pipeline.load import falkordb_bulk
from pipeline.load import graph
from pipeline.load import graph_model as gm
from pipeline.load.falkordb import FalkorStore
from pipeline.transform.entities import stub_model_record
from tests.records import family, record
from tests.test_realworld import RECORDS


def dump(store) -> tuple[list[str], list[str]]:
    """The whole graph, independent of node ids: nodes (labels, properties), relationships (ends, type,
    properties). An entity load's random stamp is left out."""
    canon = {node: json.dumps([sorted(labels), {k: v for k, v in props.items() if k != "loadStamp"}], sort_keys=True)
             for node, labels, props in store.read("MATCH (n) RETURN id(n), labels(n), properties(n)")}
    edges = [json.dumps([canon[a], rel, canon[b], props], sort_keys=True)
             for a, rel, b, props in store.read("MATCH (a)-[r]->(b) RETURN id(a), type(r), id(b), properties(r)")]
    return sorted(canon.values()), sorted(edges)


def tricky() -> list[dict]:
    """Records the bulk path must create exactly as Cypher would, or leave to Cypher."""
    hostile = record("odd/strings", pipeline_tag="text-generation",
                     readme='# Title\r\n\r\nQuotes \' " and \\ backslashes, a tab\tand emoji 🦙, {braces} [x] $param\n')
    hostile["keywords"] = ["", " spaced ", "ünïcödé", "a\nb", "'", '"', "\\"]
    nul = record("odd/nul", pipeline_tag="text-generation")
    nul["version"] = "before\x00after"  # (a node property: the description is not one)
    huge = record("odd/huge", pipeline_tag="text-generation")
    huge["downloads"] = 1 << 70
    mapped = record("odd/map", pipeline_tag="text-generation")
    mapped["hasCO2eEmissions"] = {"emissions": 12}  # a map: Cypher refuses it, so the record goes to rejects
    repeated = record("odd/repeated", pipeline_tag="text-generation")  # one relationship per target, as MERGE makes
    repeated.update(trainedOn=["org/pile", "org/pile"], inLanguage=["en", "en"], fineTunedFrom=["late/parent", "Late/PARENT"])
    return [
        hostile, nul, huge, mapped, repeated,
        record("odd/self", cardData={"base_model": "odd/self"}),  # a model that names itself as its base
        record("twice/Model"), record("TWICE/model", downloads=7),  # one node, two spellings in one batch
        record("early/child", cardData={"base_model": "Late/Parent"}, tags=["base_model:finetune:Late/Parent"]),
        record("filler/a"), record("filler/b"), record("filler/c"),
        record("late/parent", pipeline_tag="text-generation", cardData={"license": "mit"}),
    ]


def build(store) -> tuple[list, list[str]]:
    """A graph with other loaders' nodes and deleted ones, then full loads of real and hostile records in
    small batches across shards, then an update. Returns results and rejects."""
    # what another loader left: entity stubs (one a harvested model's base in another case) and deleted nodes
    stubs = [stub_model_record("Org/BASE"), stub_model_record("late/PARENT"), stub_model_record("nobody/else")]
    graph.load_entities(store, stubs, None, [gm.entity_key(r) for r in stubs], 2, io.StringIO())
    store.write([("CREATE (:Dataset {id: 'gone-1'}), (:Dataset {id: 'gone-2'}), (:Agent {id: 'gone-3'})", {})])
    store.write([("MATCH (n) WHERE n.id STARTS WITH 'gone-' DELETE n", {})])

    results, rejects = [], []
    graph.write_models(store, "000", family()[:2], None, [], batch_size=2, rejects=io.StringIO())
    real_records = [r for _, r in sorted(RECORDS.items())]
    loads = {"000": family() + tricky()[:8],  # the two spellings of one model share a batch
             "001": real_records[:170] + tricky()[8:],
             "002": real_records[170:]}
    writer = graph.ModelWriter(store, batch_size=7)
    out = {shard: io.StringIO() for shard in loads}
    for shard, records in loads.items():
        results.append(writer.add(shard, records, None, [r["identifier"] for r in records], out[shard]))
    writer.finish()
    rejects += [(shard, out[shard].getvalue()) for shard in loads]

    # an update of models the bulk created: a change, a vanished model (its base stays as a stub)
    changed = record("late/parent", pipeline_tag="fill-mask", downloads=3)
    update = io.StringIO()
    results.append(graph.write_models(store, "001", [changed], ["early/child"], [], batch_size=7, rejects=update))
    rejects.append(("update", update.getvalue()))
    return results, rejects


@pytest.fixture
def stores(tmp_path):
    cypher, bulk = FalkorStore(tmp_path / "cypher").open(), FalkorStore(tmp_path / "bulk").open()
    cypher.bulk = False
    yield cypher, bulk
    cypher.close()
    bulk.close()


@pytest.mark.parametrize("held_links", [falkordb_bulk.NewModels.HELD_LINKS, 5])  # 5: linked early, batch by batch
def test_bulk_creation_builds_the_graph_cypher_builds(stores, monkeypatch, held_links):
    cypher, bulk = stores
    monkeypatch.setattr(falkordb_bulk.NewModels, "HELD_LINKS", held_links)
    bulked = []
    real_create = falkordb_bulk.NewModels.create
    monkeypatch.setattr(falkordb_bulk.NewModels, "create", lambda self, records, shard_of, links: (
        lambda rest: (bulked.append(len(records) - len(rest)), rest)[1])(real_create(self, records, shard_of, links)))
    cypher_results, cypher_rejects = build(cypher)
    assert bulked == []
    bulk_results, bulk_rejects = build(bulk)
    assert sum(bulked) >= len(RECORDS)  # the real records went in bulk, not through Cypher
    assert (bulk_results, bulk_rejects) == (cypher_results, cypher_rejects)
    assert [json.loads(line)["id"] for _, text in bulk_rejects for line in text.splitlines()] == \
        ["odd/nul", "odd/map"]  # FalkorDB refuses a NUL in a string and a map, whichever path
    nodes, edges = dump(bulk)
    assert (nodes, edges) == dump(cypher)
    assert len(nodes) > 1000 and len(edges) > 1500
    # the base known before in another case is the harvested model's node, not a second one
    assert bulk.read("MATCH (m:MLModel) WHERE m.idLower = 'org/base' RETURN m.id, m.harvested") == [["org/base", True]]
    # a base named (in another case) by a model of an earlier batch is one node, with the Hub's spelling
    assert bulk.read("MATCH (m:MLModel) WHERE m.idLower = 'late/parent' RETURN m.id, m.downloads") == \
        [["late/parent", 3]]


@pytest.mark.parametrize("value", ["a\x00b", "\ud800", 1 << 63, -(1 << 63) - 1, float("nan"), float("inf"),
                                   {"a": 1}, [None], ["ok", {"a": 1}], None])
def test_values_the_bulk_format_cannot_carry_are_refused_not_altered(value):
    with pytest.raises(ValueError):
        falkordb_bulk.encode_value(value)


def test_values_are_encoded_with_their_own_type():
    assert falkordb_bulk.encode_value("123") == b"\x03123\x00"  # a string of digits stays a string
    assert falkordb_bulk.encode_value(True) == b"\x01\x01" and falkordb_bulk.encode_value(0)[:1] == b"\x04"
    assert falkordb_bulk.encode_value(1.0)[:1] == b"\x02"
    assert falkordb_bulk.encode_value([" a ", 2]) == b"\x05" + (2).to_bytes(8, "little") + b"\x03 a \x00\x04" + \
        (2).to_bytes(8, "little")


def test_a_bulk_insert_the_server_refuses_is_one_line_that_says_what_to_do():
    class Refusing:
        def execute_command(self, *args):
            import redis
            raise redis.exceptions.ResponseError("Bulk insert format error, failed to parse bulk insert sections.")

    node = falkordb_bulk.entry({"id": falkordb_bulk.encode_value("a")}, ["id"])
    with pytest.raises(PipelineError) as err:
        falkordb_bulk.bulk(Refusing(), "mlentory", [("Probe", ["id"], [node])], [])
    message = str(err.value)
    assert message.startswith("the embedded graph refused a bulk insert of 1 nodes and 0 relationships: Bulk insert")
    assert message.endswith("run `doit` again to reload the graph") and "\n" not in message
