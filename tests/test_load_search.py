"""The search loader against the embedded tantivy index, and Elasticsearch when ELASTICSEARCH_URL is set."""

import io
import json
import os

import pytest

from pipeline.config import load_settings
from pipeline.load.elasticsearch import ElasticsearchIndex
from pipeline.load.search import search_documents
from pipeline.load.tantivy_index import TantivyIndex
from pipeline.registry import PipelineError
from tests.records import family, record


@pytest.fixture(params=["tantivy", "elasticsearch"])
def index(request, tmp_path):
    if request.param == "tantivy":
        opened = TantivyIndex(tmp_path / "search", ["000"]).open()
    else:
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch server to test against")
        alias = f"mlentory-test-{os.getpid()}-{request.node.name.split('[')[0][-20:]}".lower()
        opened = ElasticsearchIndex(load_settings(tmp_path, environ={"ELASTICSEARCH_URL": url, "MLENTORY_SHARDS": "1",
                                                                     "MLENTORY_ELASTICSEARCH_INDEX": alias})).open()
    yield opened
    opened.close()


def load(index, records, shard="000", vanished=None, load_id="L1"):
    """Load one shard (all of it when `vanished` is None) and store its receipt."""
    rejects = io.StringIO()
    counts = index.load(shard, list(search_documents(records)), vanished, rejects)
    index.write_receipt("loader", shard, {"load_id": load_id})
    return counts, [json.loads(line) for line in rejects.getvalue().splitlines()]


def test_search_ranks_by_bm25_and_returns_facets(index):
    counts, rejects = load(index, family())
    assert counts == {"models_retired": 0, "rejected_ids": []} and rejects == []
    hits, facets = index.search("bert", limit=5)
    assert hits[0]["id"] == "other/bert-tiny"
    assert hits[0]["task"] == ["fill-mask"] and hits[0]["license"] == ["mit"]
    hits, _ = index.search("masked language modelling")
    assert hits[0]["id"] == "other/bert-tiny"  # found through the description
    _, facets = index.search("")
    assert facets["task"] == {"text-generation": 3, "fill-mask": 1}
    assert facets["license"]["mit"] == 2


def test_filters_narrow_by_facet(index):
    load(index, family())
    hits, _ = index.search("", limit=10, filters={"license": "apache-2.0"})
    assert sorted(h["id"] for h in hits) == ["org/base", "org/instruct"]


def test_full_shard_load_replaces_the_shard_and_incremental_touches_only_what_it_is_given(index):
    load(index, family())
    changed = record("other/bert-tiny", pipeline_tag="fill-mask", downloads=12345)
    counts, _ = load(index, family()[:2] + [changed], load_id="L2")
    assert counts["models_retired"] == 2  # the full load of the shard dropped the two models not in it
    hits, _ = index.search("", limit=10)
    assert sorted(h["id"] for h in hits) == ["org/base", "org/instruct", "other/bert-tiny"]
    assert [h["downloads"] for h in hits if h["id"] == "other/bert-tiny"] == [12345]
    assert index.read_receipts("loader")["000"] == {"load_id": "L2"}
    counts, _ = load(index, [record("org/instruct", downloads=7)], vanished=["org/base"], load_id="L3")
    hits, _ = index.search("", limit=10)
    assert sorted((h["id"], h["downloads"]) for h in hits) == [("org/instruct", 7), ("other/bert-tiny", 12345)]


def test_documents_the_index_rejects_go_to_rejects(index):
    docs = list(search_documents(family()))
    docs[2]["downloads"] = "very many"
    rejects = io.StringIO()
    counts = index.load("000", docs, None, rejects)
    index.write_receipt("loader", "000", {"load_id": "L1"})
    assert counts["rejected_ids"] == ["someone/tuned"]
    assert json.loads(rejects.getvalue())["id"] == "someone/tuned"
    hits, _ = index.search("", limit=10)
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


def test_unreachable_elasticsearch_is_one_clear_line(tmp_path):
    settings = load_settings(tmp_path, environ={"ELASTICSEARCH_URL": "http://elastic:secret@127.0.0.1:9"})
    with pytest.raises(PipelineError) as err:
        ElasticsearchIndex(settings).open()
    message = str(err.value)
    assert message.startswith("cannot connect to Elasticsearch at http://127.0.0.1:9")
    assert "docker compose up -d elasticsearch" in message and "secret" not in message
