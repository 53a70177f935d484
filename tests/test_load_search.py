"""The search loader against the embedded tantivy index and a real Elasticsearch (ELASTICSEARCH_URL, else the
test launcher's node: see tests/es_launcher/)."""

import io
import json

import pytest

from pipeline.config import load_settings
from pipeline.load.elasticsearch import MAPPING_VERSION, ElasticsearchIndex
from pipeline.load.search import search_documents
from pipeline.load.tantivy_index import TantivyIndex
from pipeline.errors import PipelineError
from tests.conftest import delete_test_indices, es_client
from tests.records import family, record


def es_index(tmp_path, env: dict, alias: str, shards: int = 1) -> ElasticsearchIndex:
    return ElasticsearchIndex(load_settings(tmp_path, environ={**env, "MLENTORY_SHARDS": str(shards),
                                                               "MLENTORY_ELASTICSEARCH_INDEX": alias})).open()


@pytest.fixture(params=["tantivy", "elasticsearch"])
def index(request, tmp_path):
    if request.param == "tantivy":
        opened = TantivyIndex(tmp_path / "search", ["000"]).open()
    else:
        opened = es_index(tmp_path, request.getfixturevalue("elasticsearch_env"), request.getfixturevalue("es_alias"))
    yield opened
    opened.close()


def load(index, records, shard="000", vanished=None, load_id="L1"):
    """Load one shard (all of it when `vanished` is None), make it searchable and store its receipt."""
    rejects = io.StringIO()
    counts = index.load(shard, list(search_documents(records)), vanished, rejects)
    index.flush()
    index.write_receipt("loader", shard, {"load_id": load_id})
    return counts, [json.loads(line) for line in rejects.getvalue().splitlines()]


def test_search_ranks_by_bm25_and_returns_facets(index):
    counts, rejects = load(index, family())
    assert counts == {"models_retired": 0, "rejected_ids": []} and rejects == []
    hits, facets, _ = index.search("bert", limit=5)
    assert hits[0]["id"] == "other/bert-tiny"
    assert hits[0]["task"] == ["fill-mask"] and hits[0]["license"] == ["mit"]
    hits, _, _ = index.search("masked language modelling")
    assert hits[0]["id"] == "other/bert-tiny"  # found through the description
    _, facets, _ = index.search("")
    assert facets["task"] == {"text-generation": 3, "fill-mask": 1}
    assert facets["license"]["mit"] == 2


def test_filters_narrow_by_facet(index):
    load(index, family())
    hits, _, _ = index.search("", limit=10, filters={"license": "apache-2.0"})
    assert sorted(h["id"] for h in hits) == ["org/base", "org/instruct"]


def test_pages_count_every_match_and_facet_the_relation_to_the_base(index):
    load(index, family())
    first, facets, total = index.search("", limit=2, filters={"task": "text-generation"})
    second, _, again = index.search("", limit=2, filters={"task": "text-generation"}, offset=2)
    assert total == again == 3 and len(first) == 2 and len(second) == 1
    assert not {h["id"] for h in first} & {h["id"] for h in second}  # a page goes on where the last ended
    assert facets["relation"] == {"finetune": 2}  # the base itself derives from nothing
    hits, _, total = index.search("", limit=10, filters={"relation": "quantized"})
    assert [h["id"] for h in hits] == ["someone/tuned-GGUF"] and total == 1 and hits[0]["relation"] == "quantized"


def test_full_shard_load_replaces_the_shard_and_incremental_touches_only_what_it_is_given(index):
    load(index, family())
    changed = record("other/bert-tiny", pipeline_tag="fill-mask", downloads=12345)
    counts, _ = load(index, family()[:2] + [changed], load_id="L2")
    assert counts["models_retired"] == 2  # the full load of the shard dropped the two models not in it
    hits, _, _ = index.search("", limit=10)
    assert sorted(h["id"] for h in hits) == ["org/base", "org/instruct", "other/bert-tiny"]
    assert [h["downloads"] for h in hits if h["id"] == "other/bert-tiny"] == [12345]
    assert index.read_receipts("loader")["000"] == {"load_id": "L2"}
    counts, _ = load(index, [record("org/instruct", downloads=7)], vanished=["org/base"], load_id="L3")
    hits, _, _ = index.search("", limit=10)
    assert sorted((h["id"], h["downloads"]) for h in hits) == [("org/instruct", 7), ("other/bert-tiny", 12345)]


def test_documents_the_index_rejects_go_to_rejects(index):
    docs = list(search_documents(family()))
    docs[2]["downloads"] = "very many"
    rejects = io.StringIO()
    counts = index.load("000", docs, None, rejects)
    index.flush()
    index.write_receipt("loader", "000", {"load_id": "L1"})
    assert counts["rejected_ids"] == ["someone/tuned"]
    assert json.loads(rejects.getvalue())["id"] == "someone/tuned"
    hits, _, _ = index.search("", limit=10)
    assert len(hits) == 4


def test_tantivy_readers_switch_only_when_every_shard_is_in(tmp_path):
    old = tmp_path / "search" / "s-older-schema"
    index = TantivyIndex(tmp_path / "search", ["000", "001"]).open()
    first = TantivyIndex(tmp_path / "search", ["000"]).open()
    first.version = old  # an index of an earlier schema version that readers use meanwhile
    load(first, [record("org/old")])
    assert [h["id"] for h in index.search("", limit=10)[0]] == ["org/old"]
    records = family()
    load(index, records[:2], shard="000")
    assert [h["id"] for h in index.search("", limit=10)[0]] == ["org/old"]  # not complete yet
    load(index, records[2:], shard="001")
    assert sorted(h["id"] for h in index.search("", limit=10)[0]) == sorted(r["identifier"] for r in records)
    versions = [p.name for p in (tmp_path / "search").iterdir() if p.is_dir()]
    assert versions == [index.version.name] and not old.exists()


@pytest.mark.parametrize("engine", ["tantivy", "elasticsearch"])
def test_receipts_stored_together_switch_readers_once_every_shard_is_in(engine, tmp_path, request):
    """A loader task stores all its shards' receipts in one go: readers keep the older version until the
    receipts name every shard, then switch."""
    if engine == "tantivy":
        older = TantivyIndex(tmp_path / "search", ["000"]).open()
        older.version = tmp_path / "search" / "s-older-schema"
        index = TantivyIndex(tmp_path / "search", ["000", "001", "002"]).open()
    else:
        env, alias = request.getfixturevalue("elasticsearch_env"), request.getfixturevalue("es_alias")
        older = es_index(tmp_path, env, alias)
        older.index = f"{alias}-older-mapping"
        index = es_index(tmp_path, env, alias, shards=3)
    load(older, [record("org/old")])
    records = family()
    parts = {"000": records[:2], "001": records[2:4], "002": records[4:]}
    for shard, part in parts.items():
        index.load(shard, list(search_documents(part)), None, io.StringIO())
    index.flush()
    index.write_receipts("loader", {"000": {"load_id": "L0"}, "001": {"load_id": "L1"}})
    assert ids_found(index) == ["org/old"]  # shard 002 has no receipt yet
    index.write_receipts("loader", {"002": {"load_id": "L2"}})
    assert ids_found(index) == sorted(r["identifier"] for r in records)
    assert {shard: r["load_id"] for shard, r in index.read_receipts("loader").items()} == \
        {"000": "L0", "001": "L1", "002": "L2"}
    older.close()
    index.close()


def test_tantivy_commits_a_tasks_loads_once_at_flush_and_an_unflushed_load_leaves_nothing(tmp_path):
    """A loader task loads all its shards through one writer and commits once; a task interrupted
    before that (close without flush) leaves the index as it was, and the next writer can start."""
    records = family()
    index = TantivyIndex(tmp_path / "search", ["000"]).open()
    load(index, records[:2])
    index.load("000", list(search_documents(records[2:])), [], io.StringIO())
    index.load("000", [], [records[0]["identifier"]], io.StringIO())
    reader = TantivyIndex(tmp_path / "search", ["000"])
    assert ids_found(reader) == sorted(r["identifier"] for r in records[:2])  # nothing committed yet
    index.close()  # interrupted: the writer is given up
    assert ids_found(reader) == sorted(r["identifier"] for r in records[:2])
    again = TantivyIndex(tmp_path / "search", ["000"]).open()
    again.load("000", list(search_documents(records[2:])), [], io.StringIO())
    again.load("000", [], [records[0]["identifier"]], io.StringIO())
    again.flush()
    assert ids_found(reader) == sorted(r["identifier"] for r in records[1:])


def test_unreachable_elasticsearch_is_one_clear_line(tmp_path):
    settings = load_settings(tmp_path, environ={"ELASTICSEARCH_URL": "http://elastic:secret@127.0.0.1:9"})
    with pytest.raises(PipelineError) as err:
        ElasticsearchIndex(settings).open()
    message = str(err.value)
    assert message.startswith("cannot connect to Elasticsearch at http://127.0.0.1:9")
    assert "docker compose up -d elasticsearch" in message and "secret" not in message


def ids_found(index, query="") -> list[str]:
    return sorted(hit["id"] for hit in index.search(query, limit=20)[0])


def test_elasticsearch_alias_moves_only_when_every_shard_is_in(tmp_path, elasticsearch_env, es_alias):
    older = es_index(tmp_path, elasticsearch_env, es_alias)
    older.index = f"{es_alias}-older-mapping"  # an index of an earlier mapping version that searches use meanwhile
    load(older, [record("org/old")])
    older.close()
    index = es_index(tmp_path, elasticsearch_env, es_alias, shards=2)
    assert ids_found(index) == ["org/old"]
    records = family()
    load(index, records[:2], shard="000")
    assert ids_found(index) == ["org/old"]  # not complete yet
    load(index, records[2:], shard="001")
    assert ids_found(index) == sorted(r["identifier"] for r in records)
    client = es_client(elasticsearch_env)
    try:
        assert sorted(client.indices.get(index=f"{es_alias}-*")) == \
            [f"{es_alias}-{MAPPING_VERSION}", f"{es_alias}-receipts"]  # the older index is deleted
    finally:
        client.close()
    index.close()


def test_elasticsearch_full_load_retires_what_an_unfinished_load_left_unrefreshed(tmp_path, elasticsearch_env, es_alias):
    index = es_index(tmp_path, elasticsearch_env, es_alias)
    load(index, family()[:2])
    # a load interrupted after its bulk request: its documents are not visible to searches yet
    index._es.index(index=index.index, id="lost/model", refresh=False,
                    document={"id": "lost/model", "name": "lost", "shard": "000"})
    counts, _ = load(index, family()[:1], load_id="L2")
    assert counts["models_retired"] == 2
    assert ids_found(index) == ["org/base"]
    index.close()


def test_elasticsearch_full_load_pages_through_the_ids_a_shard_holds(tmp_path, elasticsearch_env, es_alias, monkeypatch):
    from pipeline.load import elasticsearch
    monkeypatch.setattr(elasticsearch, "SHARD_IDS_PAGE", 2)
    index = es_index(tmp_path, elasticsearch_env, es_alias)
    load(index, family())
    counts, _ = load(index, family()[4:], load_id="L2")
    assert counts["models_retired"] == 4 and ids_found(index) == ["other/bert-tiny"]
    index.close()


def test_test_indices_are_deleted_by_name(elasticsearch_env, es_alias):
    client = es_client(elasticsearch_env)
    try:
        for name in ("a", "b-receipts"):
            client.indices.create(index=f"{es_alias}-{name}")
        client.indices.create(index=f"{es_alias}x-other")  # another alias's index: not this test's
        assert delete_test_indices(elasticsearch_env, f"{es_alias}-") == [f"{es_alias}-a", f"{es_alias}-b-receipts"]
        assert sorted(client.indices.get(index=f"{es_alias}*")) == [f"{es_alias}x-other"]
        client.indices.delete(index=f"{es_alias}x-other")
    finally:
        client.close()


def ranking_records():
    """A model named after what is searched next to models that only mention it, many times, in long text."""
    return family() + [
        record("openai/tiny-speech", pipeline_tag="automatic-speech-recognition",
               readme="# tiny\n\nA small speech recognizer for short clips.\n"),
        record("someone/port", pipeline_tag="text-generation",
               readme="# port\n\n" + "This port follows the OpenAI recipe for translation, as OpenAI did for "
                                     "translation of speech. " * 4 + "\n"),
        record("helsinki/opus-de-en", pipeline_tag="translation", cardData={"language": ["de", "en"],
                                                                            "license": "cc-by-4.0"},
               readme="# opus\n\nConverts German sentences into English ones, sentence by sentence.\n"),
    ]


def test_id_name_and_task_outrank_long_text_and_licenses_and_languages_are_searchable(index):
    load(index, ranking_records())
    top = {query: [h["id"] for h in index.search(query, limit=5)[0]] for query in (
        "openai", "translation", "cc-by-4.0", "apache", "de", "mit")}
    assert top["openai"] == ["openai/tiny-speech", "someone/port"]  # the namespace, then the long text
    assert top["translation"] == ["helsinki/opus-de-en", "someone/port"]  # the task, then the long text
    assert top["cc-by-4.0"] == ["helsinki/opus-de-en"]
    assert sorted(top["apache"]) == ["org/base", "org/instruct"]
    assert top["de"][0] == "helsinki/opus-de-en" and "other/bert-tiny" in top["de"]  # both list German
    assert sorted(top["mit"]) == ["other/bert-tiny", "someone/tuned"]


def test_field_words_in_a_query_are_filters(index):
    from pipeline.load.search import parse_query
    load(index, ranking_records())
    text, filters = parse_query("language=de license:cc-by-4.0")
    assert (text, filters) == ("", {"language": ["de"], "license": ["cc-by-4.0"]})
    assert [h["id"] for h in index.search(text, 10, filters)[0]] == ["helsinki/opus-de-en"]
    text, filters = parse_query("speech task:automatic-speech-recognition", {"license": "mit"})
    assert text == "speech" and index.search(text, 10, filters)[0] == []  # every filter must hold
    text, filters = parse_query("speech task=automatic-speech-recognition")
    assert [h["id"] for h in index.search(text, 10, filters)[0]] == ["openai/tiny-speech"]
    text, filters = parse_query("zzqx=yyqv")
    assert (text, filters) == ("zzqx=yyqv", {}) and index.search(text, 10, filters)[0] == []  # text, found nowhere
    for query in ('"masked language"', 'name:"bert tiny"', "description=masked bert", "id:other/bert-tiny"):
        text, filters = parse_query(query)
        assert [h["id"] for h in index.search(text, 10, filters)[0]] == ["other/bert-tiny"], query
    text, filters = parse_query('name:"masked language"')
    assert index.search(text, 10, filters)[0] == []  # in its description, not in its name
    text, filters = parse_query("* license=mit")
    assert text == "" and sorted(h["id"] for h in index.search(text, 10, filters)[0]) == ["other/bert-tiny",
                                                                                         "someone/tuned"]


def test_a_models_titles_digest_follows_the_titles_of_what_it_links_to(tmp_path):
    """The search loader re-sends a model whose linked dataset or paper changed its title: the digest
    joined to its record digest changes with the title, and models sharing links share a digest."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.load.search import LinkedTitles

    def entities(path, squad_title):
        pq.write_table(pa.table({"kind": ["Dataset", "Paper", "Agent"],
                                 "identifier": ["squad", "1810.04805", "alice"],
                                 "name": [squad_title, "BERT: Pre-training", "Alice"]}), path)
        return LinkedTitles(path)

    shard = tmp_path / "models-000.parquet"
    pq.write_table(pa.table({
        "identifier": ["a/one", "b/two", "c/three", "d/four"],
        "trainedOn": [["squad"], ["squad"], ["unknown-set"], []],
        "citation": [["https://arxiv.org/abs/1810.04805v2"], ["https://arxiv.org/abs/1810.04805"], [], None]},
        schema=pa.schema([("identifier", pa.string()), ("trainedOn", pa.list_(pa.string())),
                          ("citation", pa.list_(pa.string()))])), shard)
    ids = ["a/one", "b/two", "c/three", "d/four"]  # the shard's rows: a digest per row, in their order
    before = dict(zip(ids, entities(tmp_path / "before.parquet", "SQuAD").digests(shard).to_pylist()))
    assert before["c/three"] is None and before["d/four"] is None  # they link to nothing with a title
    assert before["a/one"] and before["a/one"] == before["b/two"]  # the same titles (the paper cited in two versions)
    after = dict(zip(ids, entities(tmp_path / "after.parquet", "SQuAD v1.1").digests(shard).to_pylist()))
    assert after["a/one"] != before["a/one"] and after["a/one"] == after["b/two"]


def test_models_are_grouped_by_exactly_their_links():
    """Models share a titles digest only when their (trainedOn, citation) lists are the same (a missing
    list counts as empty): the grouping key never merges two different pairs."""
    import pyarrow as pa

    from pipeline.load.search import _links_key

    lists = pa.list_(pa.string())
    datasets = pa.array([["a", "b"], ["a", "b"], ["a\x1fb"], ["a"], [""], [], None, ["a", "b"]], lists)
    citations = pa.array([[], None, [], ["b"], [], [""], [], ["x"]], lists)
    keys = _links_key(datasets, citations).to_pylist()
    assert keys[0] == keys[1]  # a missing list is an empty one
    assert len(set(keys[1:])) == 7 and keys[5] != keys[6]
