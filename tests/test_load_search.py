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
        opened = TantivyIndex(tmp_path / "search").open()
    else:
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch server to test against")
        alias = f"mlentory-test-{os.getpid()}-{request.node.name.split('[')[0][-20:]}".lower()
        opened = ElasticsearchIndex(load_settings(tmp_path, environ={"ELASTICSEARCH_URL": url,
                                                                     "MLENTORY_ELASTICSEARCH_INDEX": alias})).open()
    yield opened
    opened.close()


def rebuild(index, records, load_id="L1"):
    rejects = io.StringIO()
    counts = index.rebuild(search_documents(records), load_id, rejects)
    index.write_receipt({"load_id": load_id, "counts": counts})
    return counts, [json.loads(line) for line in rejects.getvalue().splitlines()]


def test_search_ranks_by_bm25_and_returns_facets(index):
    counts, rejects = rebuild(index, family())
    assert counts == {"documents_indexed": 5, "rejected": 0} and rejects == []
    hits, facets = index.search("bert", limit=5)
    assert hits[0]["id"] == "other/bert-tiny"
    assert hits[0]["task"] == ["fill-mask"] and hits[0]["license"] == ["mit"]
    hits, _ = index.search("masked language modelling")
    assert hits[0]["id"] == "other/bert-tiny"  # found through the description
    _, facets = index.search("")
    assert facets["task"] == {"text-generation": 3, "fill-mask": 1}
    assert facets["license"]["mit"] == 2


def test_filters_narrow_by_facet(index):
    rebuild(index, family())
    hits, _ = index.search("", limit=10, filters={"license": "apache-2.0"})
    assert sorted(h["id"] for h in hits) == ["org/base", "org/instruct"]


def test_rebuild_replaces_the_index_atomically(index):
    rebuild(index, family())
    changed = record("other/bert-tiny", pipeline_tag="fill-mask", downloads=12345)
    counts, _ = rebuild(index, family()[:2] + [changed], load_id="L2")
    assert counts["documents_indexed"] == 3
    hits, _ = index.search("", limit=10)
    assert sorted(h["id"] for h in hits) == ["org/base", "org/instruct", "other/bert-tiny"]
    assert [h["downloads"] for h in hits if h["id"] == "other/bert-tiny"] == [12345]
    assert index.read_receipt()["load_id"] == "L2"


def test_documents_the_index_rejects_go_to_rejects(index):
    records = family()
    docs = list(search_documents(records))
    docs[2]["downloads"] = "very many"
    rejects = io.StringIO()
    counts = index.rebuild(iter(docs), "L1", rejects)
    index.write_receipt({"load_id": "L1"})
    assert counts == {"documents_indexed": 4, "rejected": 1}
    assert json.loads(rejects.getvalue())["id"] == "someone/tuned"


def test_tantivy_keeps_only_the_current_version(tmp_path):
    index = TantivyIndex(tmp_path / "search").open()
    rebuild(index, family())
    rebuild(index, family(), load_id="L2")
    versions = [p for p in (tmp_path / "search").iterdir() if p.is_dir()]
    assert len(versions) == 1 and (tmp_path / "search" / "CURRENT").read_text().strip() == versions[0].name


def test_unreachable_elasticsearch_is_one_clear_line(tmp_path):
    settings = load_settings(tmp_path, environ={"ELASTICSEARCH_URL": "http://elastic:secret@127.0.0.1:9"})
    with pytest.raises(PipelineError) as err:
        ElasticsearchIndex(settings).open()
    message = str(err.value)
    assert message.startswith("cannot connect to Elasticsearch at http://127.0.0.1:9")
    assert "docker compose up -d elasticsearch" in message and "secret" not in message
