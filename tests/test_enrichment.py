"""Enrichment: datasets, papers, base-model lineage, licenses and entities, through real doit runs.

Offline runs read the bundled snapshot; live runs fetch from the snapshot served over local HTTP in
the Hub's and arXiv's API shapes, so the request log shows exactly what was fetched.
"""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest

from pipeline.config import load_settings
from pipeline.extract import arxiv
from pipeline.extract.snapshot import BUNDLED_ARXIV_SNAPSHOT
from pipeline.load.graph import query_graph
from pipeline.load.search import search_models
from pipeline.transform import licenses, lineage
from tests.hub_server import HubSnapshotServer

DEEP_CHAIN = ["agentica-org/DeepScaleR-1.5B-Preview", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B",
              "Qwen/Qwen2.5-Math-1.5B", "Qwen/Qwen2.5-1.5B"]


def rows(project, path: str) -> list[dict]:
    return pq.read_table(project.path(path)).to_pylist()


@pytest.fixture
def built(built_hf_project):
    return built_hf_project


def test_every_referenced_dataset_is_kept_with_what_the_hub_said(built):
    datasets = {row["id"]: row for row in rows(built, "data/raw/hf/datasets.parquet")}
    models = [json.loads(line) for line in built.path("data/normalized/hf/models-000.jsonl").read_text().splitlines()]
    assert {d for m in models for d in m["trainedOn"]} <= set(datasets)
    assert datasets["squad"]["status"] == "ok" and datasets["squad"]["hub_id"] == "rajpurkar/squad"  # moved
    assert datasets["webli"]["status"] == "missing" and datasets["webli"]["raw_json"] is None  # not a Hub dataset
    entities = {r["key"]: json.loads(r["record"]) for r in rows(built, "data/normalized/entities/entities.parquet")}
    squad = entities["Dataset squad"]
    assert squad["@type"] == "Dataset" and squad["url"] == "https://huggingface.co/datasets/rajpurkar/squad"
    assert "question-answering" in squad["mlTask"]
    assert entities["Dataset webli"]["status"] == "missing"  # still in the catalog, marked


def test_papers_come_from_the_recorded_arxiv_responses(built):
    papers = {row["id"]: row for row in rows(built, "data/raw/arxiv/papers.parquet")}
    bert = papers["1810.04805"]
    assert bert["status"] == "ok"
    assert bert["title"] == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert bert["authors"][0] == "Jacob Devlin" and bert["primary_category"] == "cs.CL"
    assert bert["published"].startswith("2018-10")
    recorded = {path.stem for path in BUNDLED_ARXIV_SNAPSHOT.glob("*.xml")}
    assert recorded <= set(papers)
    # a paper the snapshot holds no response for (a bioimage.io model cites one) is kept and marked, not dropped
    assert {i for i, row in papers.items() if row["status"] != "ok"} == set(papers) - recorded
    assert all(papers[i]["status"] == "missing" and papers[i]["title"] is None for i in set(papers) - recorded)


def test_base_model_chains_are_resolved_to_every_ancestor(built):
    chain = {(r["ancestor"], r["depth"]) for r in rows(built, "data/enriched/base_model_lineage.parquet")
             if r["model"] == DEEP_CHAIN[0]}
    assert {(DEEP_CHAIN[1], 1), (DEEP_CHAIN[2], 2), (DEEP_CHAIN[3], 3)} <= chain


def test_graph_answers_trained_on_and_descendants(built):
    settings = load_settings(built.root, environ={"HF_HUB_OFFLINE": "1", "MLENTORY_SHARDS": "4"})
    trained_on = query_graph(settings, "MATCH (m:MLModel)-[:TRAINED_ON]->(d:Dataset) "
                                       "WHERE d.id = $d OR d.hubId = $d RETURN m.id", {"d": "rajpurkar/squad"})
    assert ["distilbert/distilbert-base-cased-distilled-squad"] in trained_on
    wiki = {row[0] for row in query_graph(settings, "MATCH (m:MLModel)-[:TRAINED_ON]->(:Dataset {id: 'wikipedia'}) "
                                                    "RETURN m.id")}
    assert "google-bert/bert-base-uncased" in wiki and len(wiki) >= 10
    descendants = query_graph(settings, "MATCH (m:MLModel)-[:FINE_TUNED_FROM*1..]->(:MLModel {id: $b}) "
                                        "RETURN DISTINCT m.id", {"b": DEEP_CHAIN[-1]})
    assert set(DEEP_CHAIN[:-1]) <= {row[0] for row in descendants}
    stubs = sorted({r["ancestor"] for r in rows(built, "data/enriched/base_model_lineage.parquet")
                    if not r["ancestor_harvested"]})
    assert stubs, "the snapshot names base models it does not hold"
    stub = query_graph(settings, "MATCH (b:MLModel {id: $b}) RETURN b.harvested, b.url, b.enriched", {"b": stubs[0]})
    assert stub == [[None, f"https://huggingface.co/{stubs[0]}", True]]  # not harvested: a stub with its id
    harvested = query_graph(settings, "MATCH (b:MLModel {id: $b}) RETURN b.harvested, b.enriched", {"b": DEEP_CHAIN[-1]})
    assert harvested == [[True, None]]  # a harvested base is the model loader's, not a stub
    authors = query_graph(settings, "MATCH (:Paper {id: '1810.04805'})-[:AUTHORED_BY]->(p:Person) RETURN p.id")
    assert ["Jacob Devlin"] in authors
    license_of = query_graph(settings, "MATCH (:Dataset {id: 'squad'})-[:HAS_LICENSE]->(l:License) "
                                       "RETURN l.id, l.spdxId, l.osiApproved")
    assert license_of == [["cc-by-sa-4.0", "CC-BY-SA-4.0", False]]


def test_hub_license_ids_are_recognised_and_named(built):
    found = {row["key"]: row for row in rows(built, "data/enriched/licenses.parquet")}
    assert found["apache-2.0"]["spdx_id"] == "Apache-2.0" and found["apache-2.0"]["osi_approved"] is True
    llama = found["llama3.1"]  # a Hub license id, not an SPDX one
    assert (llama["status"], llama["name"], llama["spdx_id"]) == ("hub", "Llama 3.1 Community License Agreement", None)
    assert llama["flag"] is None and llama["models"] > 0
    named_other = [row for key, row in found.items() if key.startswith("other:")]
    assert named_other and all(row["status"] == "other" and row["license_name"] for row in named_other)
    settings = load_settings(built.root, environ={"HF_HUB_OFFLINE": "1", "MLENTORY_SHARDS": "4"})
    linked = query_graph(settings, "MATCH (m:MLModel)-[:HAS_LICENSE]->(l:License {id: 'llama3.1'}) "
                                   "RETURN count(m), l.status, l.flag")
    assert linked[0][0] == llama["models"] and linked[0][1] == "hub" and linked[0][2] is None


def test_classify_keeps_any_string_as_declared():
    entry = licenses.classify("My Lab's License v2 ")
    assert entry["key"] == "My Lab's License v2 " and entry["status"] == "unknown" and entry["spdx_id"] is None
    assert "kept as declared" in entry["flag"]
    assert licenses.classify("MIT")["spdx_id"] == "MIT"
    bare_other = licenses.classify("other")
    assert bare_other["status"] == "other" and "without a license_name" in bare_other["flag"]
    assert "without a license_name" in licenses.classify("other", None, "LICENSE.md")["flag"]
    gpl = licenses.classify("gpl-3.0")  # the Hub id is SPDX's deprecated GPL-3.0, which meant -only
    assert (gpl["spdx_id"], gpl["declared"], gpl["key"]) == ("GPL-3.0-only", "gpl-3.0", "gpl-3.0") and "read as" in gpl["flag"]
    assert licenses.classify("agpl-3.0")["spdx_id"] == "AGPL-3.0-only"
    assert licenses.classify("other", "acme-license", "LICENSE.md")["key"] == "other:acme-license"


def test_search_finds_models_by_the_titles_of_their_papers(built):
    settings = load_settings(built.root, environ={"HF_HUB_OFFLINE": "1", "MLENTORY_SHARDS": "4"})
    hits, _, _ = search_models(settings, 'paper_titles:"Deep Bidirectional Transformers"', limit=50)
    ids = {hit["id"] for hit in hits}
    assert "google-bert/bert-base-uncased" in ids
    assert all("BERT: Pre-training" in " ".join(hit["paper_titles"]) for hit in hits)


def test_a_lineage_loop_is_quarantined_not_followed():
    links = {"a": [("b", "finetune")], "b": [("c", "quantized")], "c": [("d", "adapter"), ("c", "finetune")],
             "x": [("y", "merge")], "y": [("x", "merge")]}
    problems = []
    rows = list(lineage.resolve(links, {"a", "b", "c", "x", "y"}, problems))
    chain = [(r["ancestor"], r["depth"], r["relation"]) for r in rows if r["model"] == "a"]
    assert chain == [("b", 1, "finetune"), ("c", 2, "quantized"), ("d", 3, "adapter")]
    assert {p["reason"] for p in problems} == {"names itself as its base model: c -> c",
                                               "base models form a loop: x -> y -> x"}


def test_arxiv_error_and_missing_entries_are_statuses():
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id</id>'
            '<title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>')
    assert [r["status"] for r in arxiv.parse_feed(feed, ["1234", "1810.04805"])] == \
        ["error: incorrect id format for 1234"] * 2
    empty = '<feed xmlns="http://www.w3.org/2005/Atom"></feed>'
    assert arxiv.parse_feed(empty, ["2401.99999"])[0]["status"] == "missing"
    with pytest.raises(ValueError, match="not an Atom feed"):
        arxiv.parse_feed("<html/>", ["1810.04805"])


# -- live: what goes over the wire -----------------------------------------------------------------
@pytest.fixture
def live_snapshot(tmp_path, bundled_snapshot):
    """A copy of the bundled snapshot that a test may add models and datasets to."""
    target = tmp_path / "hub"
    shutil.copytree(bundled_snapshot, target)
    return target


@pytest.fixture
def live_hub(live_snapshot):
    with HubSnapshotServer(live_snapshot, page_size=100, arxiv_dir=BUNDLED_ARXIV_SNAPSHOT) as server:
        yield server


def live(project, hub):
    project.env.pop("HF_HUB_OFFLINE", None)
    project.env.update({"HF_ENDPOINT": hub.url, "MLENTORY_HF_LIMIT": "0", "MLENTORY_ARXIV_ENDPOINT": hub.arxiv_endpoint,
                        "MLENTORY_ARXIV_DELAY_S": "0", "MLENTORY_ARXIV_BATCH_SIZE": "50",
                        # the other platforms from their bundled snapshots: the Hub alone is live here
                        "MLENTORY_OPENML_OFFLINE": "1", "MLENTORY_BIOIMAGEIO_OFFLINE": "1"})
    return project


def test_enrichment_fetches_only_what_is_new(hf_project, live_hub, live_snapshot):
    project = live(hf_project, live_hub)
    first = project.doit("hf_entities_normalized")
    assert first.returncode == 0, first.stdout + first.stderr
    datasets = rows(project, "data/raw/hf/datasets.parquet")
    asked = live_hub.paths("/api/datasets/")
    # one request per dataset, plus the redirect of each dataset that moved
    moved = [d for d in datasets if d["hub_id"] and d["hub_id"] != d["id"]]
    assert len(asked) == len(datasets) + len(moved)
    papers = rows(project, "data/raw/arxiv/papers.parquet")
    assert len(live_hub.paths("/arxiv/")) == -(-len(papers) // 50)  # batched: 50 ids a request
    recorded = {path.stem for path in BUNDLED_ARXIV_SNAPSHOT.glob("*.xml")}
    assert all((p["status"] == "ok") == (p["id"] in recorded) for p in papers)  # the server answers for these only

    # a second run of the enrichment fetches nothing
    live_hub.requests.clear()
    assert project.doit("forget", "hf_raw_datasets", "arxiv_papers").returncode == 0
    second = project.doit("hf_raw_datasets", "arxiv_papers")
    assert second.returncode == 0, second.stdout + second.stderr
    assert live_hub.paths("/api/datasets/") == [] and live_hub.paths("/arxiv/") == []
    assert '"fetched": 0' in project.doit("logs", "hf_raw_datasets").stdout  # its metadata in that run

    # a dataset modified upstream since the last run (the listing shows it first): only it is fetched again
    pile_file = live_snapshot / "api" / "datasets" / "EleutherAI" / "pile.json"
    pile = json.loads(pile_file.read_text())
    pile_file.write_text(json.dumps({**pile, "lastModified": "2031-01-01T00:00:00.000Z",
                                     "cardData": {**pile["cardData"], "pretty_name": "The Pile (edited)"}}))
    live_hub.requests.clear()
    assert project.doit("forget", "hf_raw_datasets").returncode == 0
    fourth = project.doit("hf_raw_datasets")
    assert fourth.returncode == 0, fourth.stdout + fourth.stderr
    assert live_hub.paths("/api/datasets/") == ["/api/datasets/EleutherAI/pile"]
    assert len(live_hub.paths("/api/datasets")) == 2  # one listing page (it stopped at the watermark) + the body
    pile_row = [r for r in rows(project, "data/raw/hf/datasets.parquet") if r["id"] == "EleutherAI/pile"][0]
    assert "The Pile (edited)" in pile_row["raw_json"]

    # a new model naming a new dataset: only that dataset is fetched
    items = json.loads((live_snapshot / "api" / "models.json").read_text())
    new = {**items[0], "id": "example-org/new-model", "modelId": "example-org/new-model", "author": "example-org",
           "lastModified": "2030-01-01T00:00:00.000Z",
           "tags": [t for t in items[0]["tags"] if not t.startswith("dataset:")] + ["dataset:example-org/new-corpus"],
           "cardData": {**(items[0].get("cardData") or {}), "datasets": ["example-org/new-corpus"]}}
    (live_snapshot / "api" / "models.json").write_text(json.dumps([new] + items))
    corpus = live_snapshot / "api" / "datasets" / "example-org" / "new-corpus.json"
    corpus.parent.mkdir(parents=True)
    corpus.write_text(json.dumps({"id": "example-org/new-corpus", "author": "example-org", "tags": ["license:mit"],
                                  "cardData": {"license": "mit", "pretty_name": "New Corpus"}}))
    live_hub.requests.clear()
    assert project.doit("forget", "hf_raw_models").returncode == 0  # harvest now, not when it is a day old
    third = project.doit("hf_entities_normalized")
    assert third.returncode == 0, third.stdout + third.stderr
    assert live_hub.paths("/api/datasets/") == ["/api/datasets/example-org/new-corpus"]
    assert live_hub.paths("/arxiv/") == []  # the new model cites nothing new
    entities = {r["key"]: json.loads(r["record"]) for r in rows(project, "data/normalized/entities/entities.parquet")}
    assert entities["Dataset example-org/new-corpus"]["name"] == "New Corpus"
    assert "Dataset squad" in entities  # what was fetched before is still there


def test_arxiv_requests_are_paced(monkeypatch, tmp_path, live_hub):
    slept = []
    monkeypatch.setattr(arxiv.time, "sleep", lambda seconds: slept.append(seconds))
    settings = load_settings(tmp_path, environ={"HF_ENDPOINT": live_hub.url, "MLENTORY_ARXIV_ENDPOINT":
                                                live_hub.arxiv_endpoint, "MLENTORY_ARXIV_DELAY_S": "3",
                                                "MLENTORY_ARXIV_BATCH_SIZE": "2"})
    found = arxiv.fetch(settings, ["1810.04805", "1907.11692", "1910.10683", "2307.09288", "1706.99999"], [])
    assert [r["status"] for r in found] == ["ok"] * 4 + ["missing"]
    assert len(live_hub.paths("/arxiv/")) == 3  # 5 ids, 2 a request
    assert len(slept) == 2 and all(2.5 < s <= 3 for s in slept)  # no pause before the first request


def test_entities_json_ld_has_a_node_for_every_dataset_and_paper_models_link_to(built):
    entities = json.loads(built.path("data/rdf/entities.jsonld").read_text())
    assert entities["@context"]["@vocab"] == "https://schema.org/"
    nodes = {node["@id"]: node for node in entities["@graph"] if "@id" in node}
    squad = nodes["https://w3id.org/mlentory/dataset/hf/squad"]
    assert squad["sameAs"] == "https://huggingface.co/datasets/rajpurkar/squad"
    linked = set()
    for path in built.root.glob("data/rdf/hf/models-*.jsonld"):
        for model in json.loads(path.read_text())["@graph"]:
            for key in ("trainedOn", "citation", "license", "mlTask"):
                linked.update(model.get(key, []))
    assert {iri.split("/")[4] for iri in linked} == {"dataset", "paper", "license", "task"}
    assert linked <= set(nodes)  # every dataset, paper, license and task a model links to has a node


def test_fetch_plan_refetches_new_failed_and_stale_entries_only():
    from datetime import datetime, timedelta, timezone
    from pipeline.extract import fetch_cache
    now = datetime.now(timezone.utc)
    at = lambda days: (now - timedelta(days=days)).isoformat(timespec="seconds")
    previous = {"fresh": {"status": "ok", "fetched_at": at(1)}, "old": {"status": "ok", "fetched_at": at(40)},
                "gone": {"status": "missing", "fetched_at": at(2)}, "failed": {"status": "error: HTTP 502",
                                                                               "fetched_at": at(1)}}
    fetch, reuse = fetch_cache.plan(["new", "fresh", "old", "gone", "failed"], previous, timedelta(days=30))
    assert fetch == ["new", "old", "failed"] and reuse == ["fresh", "gone"]


def test_a_dataset_body_that_is_not_a_dataset_is_quarantined(live_hub, live_snapshot, tmp_path, monkeypatch):
    import huggingface_hub.utils._http as http
    from pipeline.extract import hf_datasets
    monkeypatch.setattr(http.time, "sleep", lambda seconds: None)  # the retries happen, without the waits
    broken = live_snapshot / "api" / "datasets" / "example-org" / "broken.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('["not", "an", "object"]')
    live_hub.fail_next(503, times=2, path_prefix="/api/datasets/EleutherAI/pile")
    settings = load_settings(tmp_path, environ={"HF_ENDPOINT": live_hub.url})
    problems = []
    found = {r["id"]: r for r in hf_datasets.fetch(settings, ["example-org/broken", "EleutherAI/pile", "no such id",
                                                              "example-org/absent"], problems)}
    assert found["example-org/broken"]["status"].startswith("error: response is not a dataset object")
    assert [p["id"] for p in problems] == ["example-org/broken"] and problems[0]["raw"].startswith('["not"')
    assert found["EleutherAI/pile"]["status"] == "ok"  # after two 503s, retried
    assert found["no such id"]["status"] == "not a repo id"  # free text in a card: kept, never requested
    assert found["example-org/absent"]["status"] == "missing"
    assert "/api/datasets/no such id" not in live_hub.paths("/api/datasets/")


def test_doit_graph_takes_a_query_with_equals_signs(built):
    # doit reads `name=value` words as its own variables; the graph command must still see the query
    result = built.doit("graph", "MATCH (d:Dataset) WHERE d.id = 'squad' RETURN d.hubId, d.status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "rajpurkar/squad\tok"
