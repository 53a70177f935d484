"""OpenML and bioimage.io beside the Hub, through real `doit` runs: their snapshots served over local
HTTP in the platforms' API shapes, incremental harvests, quarantine with reasons, deletions upstream
leaving the shared graph and search index, and one catalog across platforms."""

import json
import re
import shutil

import pyarrow.parquet as pq
import pytest

from pipeline.config import load_settings
from pipeline.extract.snapshot import BUNDLED_SNAPSHOT
from pipeline.load.falkordb import FalkorStore
from pipeline.load.search import search_models
from pipeline.storage import read_jsonl
from tests.platform_servers import OpenmlServer, SnapshotServer
from tests.test_incremental import ran

OPENML, BIOIMAGEIO = BUNDLED_SNAPSHOT.parent / "openml", BUNDLED_SNAPSHOT.parent / "bioimageio"
AFFABLE_SHARK = "bioimageio:10.5281/zenodo.5764892"  # NucleiSegmentationBoundaryModel


def live(project, **env):
    """The project without the offline switch, its platforms at the given endpoints."""
    project.env = {**{k: v for k, v in project.env.items() if k != "HF_HUB_OFFLINE"}, **env}
    return project


def graph(project, cypher: str) -> list[list]:
    store = FalkorStore(project.path("data/graph")).open()
    try:
        return store.read(cypher)
    finally:
        store.close()


def search(project, query: str, n: int = 10) -> list[str]:
    return [h["id"] for h in search_models(load_settings(project.root, environ=project.env), query, n)[0]]


def metadata(project, task: str) -> dict:
    return json.loads(re.search(r"metadata: (\{.*\})", project.doit("logs", task).stdout)[1])


def raw_ids(project, platform: str) -> list[str]:
    return sorted(pq.read_table(project.path(f"data/raw/{platform}/models.parquet")).column("id").to_pylist())


def normalized_ids(project, platform: str) -> list[str]:
    return sorted(pq.read_table(project.path(f"data/normalized/{platform}/models.parquet"),
                                columns=["identifier"]).column(0).to_pylist())


def test_offline_build_holds_three_platforms_in_one_graph_and_index(hf_project):
    result = hf_project.doit()
    assert result.returncode == 0, result.stdout + result.stderr
    assert {"openml_load_models_to_neo4j", "bioimageio_index_models_in_elasticsearch"} <= ran(result)
    counts = dict(graph(hf_project, "MATCH (m:MLModel) WHERE m.harvested = true RETURN m.platform, count(m)"))
    assert counts == {"hf": 331, "openml": 9, "bioimageio": 44}
    # by name, whichever platform a model is on
    assert search(hf_project, "NucleiSegmentationBoundaryModel")[0] == AFFABLE_SHARK
    assert search(hf_project, "KNeighborsClassifier")[0] == "openml:flow/469"
    # the platform filter and facet
    hits, facets, _ = search_models(load_settings(hf_project.root, environ=hf_project.env), "segmentation", 50)
    assert facets["platform"].get("bioimageio", 0) > 0
    only = search(hf_project, "segmentation platform:openml", 50)
    assert all(i.startswith("openml:") for i in only)
    assert search(hf_project, "nuclei platform:bioimageio")[:1] and all(
        i.startswith("bioimageio:") for i in search(hf_project, "nuclei platform:bioimageio"))
    # an OpenML flow's evaluations link it to the dataset its runs used, named as OpenML names it
    rows = graph(hf_project, "MATCH (m:MLModel {id: 'openml:flow/469'})-[:EVALUATED_ON]->(d:Dataset) "
                             "RETURN d.id, d.name, d.platform")
    assert rows == [["openml:data/4", "balance-scale", "openml"]]
    # a bioimage.io model's training data is the zoo's dataset entry, matched regardless of case
    rows = graph(hf_project, "MATCH (m:MLModel {id: 'bioimageio:10.5281/zenodo.6338614'})-[:TRAINED_ON]->(d:Dataset) "
                             "RETURN d.name, d.status")
    assert rows == [["Multi-Organ Nucleus Segmentation Challenge - MICCAI 2018", "ok"]]
    # a listed id the zoo does not have ('stradist' as the entry spells it) stays, marked missing
    assert graph(hf_project, "MATCH (d:Dataset {id: 'bioimageio:ilastik/stradist_dsb_training_data'}) "
                             "RETURN d.status") == [["missing"]]


def test_the_same_dataset_on_two_platforms_reaches_the_models_of_both(hf_project, tmp_path):
    """OpenML's diabetes (20) described with the same source address as a bioimage.io dataset: one
    graph query returns that dataset with the OpenML flows and the bioimage.io model that used it."""
    openml = tmp_path / "openml"
    shutil.copytree(OPENML, openml)
    description = openml / "api" / "v1" / "xml" / "data" / "20.xml"
    text = description.read_text()
    # the Covid-IF data's Zenodo record, as the zoo's entry gives it (a trailing slash: addresses compare without)
    description.write_text(text.replace("</oml:data_set_description>", "  <oml:original_data_url>"
                                        "https://zenodo.org/record/5092850/</oml:original_data_url>\n"
                                        "</oml:data_set_description>"))
    hf_project.env["MLENTORY_OPENML_SNAPSHOT_DIR"] = str(openml)
    result = hf_project.doit()
    assert result.returncode == 0, result.stdout + result.stderr
    rows = graph(hf_project, "MATCH (d:Dataset)-[:SAME_AS]->(other:Dataset) "
                             "MATCH (m:MLModel)-[:TRAINED_ON]->(x:Dataset) WHERE x = d OR x = other "
                             "RETURN d.id, m.platform, m.id ORDER BY d.id, m.id")
    by_dataset = {}
    for dataset, platform, model in rows:
        by_dataset.setdefault(dataset, set()).add((platform, model))
    assert {p for p, _ in by_dataset["openml:data/20"]} == {"openml", "bioimageio"}
    assert ("bioimageio", "bioimageio:10.5281/zenodo.5847355") in by_dataset["openml:data/20"]


def test_bioimageio_live_harvest_is_incremental_and_notices_deletions(hf_project, tmp_path):
    zoo = tmp_path / "zoo"
    shutil.copytree(BIOIMAGEIO, zoo)
    listing = json.loads((zoo / "collection.json").read_text())
    with SnapshotServer(zoo) as server:
        live(hf_project, MLENTORY_BIOIMAGEIO_ENDPOINT=server.url, MLENTORY_HF_MAX_AGE_HOURS="0")
        first = hf_project.doit("-s", "bioimageio_raw_models")
        assert first.returncode == 0, first.stdout + first.stderr
        models = [e for e in listing["collection"] if e["type"] == "model"]
        assert raw_ids(hf_project, "bioimageio") == sorted(f"bioimageio:{e['id']}" for e in models)
        assert len([p for p in server.requests if p.endswith("rdf.yaml")]) == len(models)
        # a model gets a new version upstream: only its description is read again
        newest = max(e["created"] for e in models)
        changed = next(e for e in models if e["nickname"] == "humorous-owl")
        changed["created"] = "2030-01-01 00:00:00.000000"
        (zoo / "collection.json").write_text(json.dumps(listing))
        server.requests.clear()
        second = hf_project.doit("-s", "bioimageio_raw_models")
        assert second.returncode == 0, second.stdout + second.stderr
        assert metadata(hf_project, "bioimageio_raw_models")["mode"] == "incremental"
        read = sorted(p for p in server.requests if p.endswith("rdf.yaml"))
        again = [e for e in models if e["created"] >= newest]  # the watermark is inclusive
        assert changed["rdf_source"].split("collection-bioimage-io")[1] in read and len(read) == len(again)
        # a model withdrawn from the zoo leaves with the next full listing
        listing["collection"] = [e for e in listing["collection"] if e is not changed]
        (zoo / "collection.json").write_text(json.dumps(listing))
        third = hf_project.doit("-s", "bioimageio_raw_models", env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
        assert third.returncode == 0, third.stdout + third.stderr
        assert f"bioimageio:{changed['id']}" not in raw_ids(hf_project, "bioimageio")
        assert len(raw_ids(hf_project, "bioimageio")) == len(models) - 1


def test_bioimageio_bad_entries_are_quarantined_with_their_reason(hf_project, tmp_path):
    zoo = tmp_path / "zoo"
    shutil.copytree(BIOIMAGEIO, zoo)
    listing = json.loads((zoo / "collection.json").read_text())
    models = [e for e in listing["collection"] if e["type"] == "model"]
    del models[0]["rdf_source"]  # cannot be read at all: the harvest refuses it
    broken = models[1]
    rdf = zoo / broken["rdf_source"].split("collection-bioimage-io/")[1]
    rdf.write_text(re.sub(r"^inputs:", "inputz:", rdf.read_text(), flags=re.M))  # breaks the spec: no inputs
    unreadable = models[2]
    (zoo / unreadable["rdf_source"].split("collection-bioimage-io/")[1]).write_text("name: [unclosed\n")
    (zoo / "collection.json").write_text(json.dumps(listing))
    hf_project.env["MLENTORY_BIOIMAGEIO_SNAPSHOT_DIR"] = str(zoo)
    result = hf_project.doit("bioimageio_models_normalized")
    assert result.returncode == 0, result.stdout + result.stderr
    harvest = read_jsonl(hf_project.path("data/raw/bioimageio/quarantine.jsonl"))
    assert [(q["id"], q["path"]) for q in harvest] == [(f"bioimageio:{models[0]['id']}", "/collection/"
                                                        f"{listing['collection'].index(models[0])}/rdf_source")]
    mapped = {q["id"]: q for q in read_jsonl(hf_project.path("data/normalized/bioimageio/quarantine.jsonl"))}
    assert mapped[f"bioimageio:{broken['id']}"]["stage"] == "bioimageio.spec"
    assert "inputs" in mapped[f"bioimageio:{broken['id']}"]["path"] + mapped[f"bioimageio:{broken['id']}"]["reason"]
    assert "not YAML" in mapped[f"bioimageio:{unreadable['id']}"]["reason"]
    # nothing else is lost
    assert len(normalized_ids(hf_project, "bioimageio")) == len(models) - 3


def test_openml_live_harvest_through_local_server_incremental_and_deletion(hf_project, tmp_path):
    snapshot = tmp_path / "openml"
    shutil.copytree(OPENML, snapshot)
    evaluations = snapshot / "api" / "v1" / "xml" / "evaluation" / "list" / "function" / "predictive_accuracy.xml"
    with OpenmlServer(snapshot) as server:
        live(hf_project, MLENTORY_OPENML_ENDPOINT=server.url, MLENTORY_HF_MAX_AGE_HOURS="0", MLENTORY_OPENML_LIMIT="0")
        first = hf_project.doit("-s", "openml_raw_models")
        assert first.returncode == 0, first.stdout + first.stderr
        flows = ["3", "44", "54", "64", "65", "67", "70", "73", "469"]
        assert raw_ids(hf_project, "openml") == sorted(f"openml:flow/{f}" for f in flows)
        described = sorted(p for p in server.requests if re.fullmatch(r"/api/v1/xml/flow/\d+", p))
        assert len(described) == len(flows)
        # a new run of flow 44 is uploaded: the next harvest reads only the flows with runs since the watermark
        text = evaluations.read_text()
        text = text.replace("<oml:upload_time>2026-01-20 10:50:04</oml:upload_time>",
                            "<oml:upload_time>2031-01-01 00:00:00</oml:upload_time>")
        evaluations.write_text(text)
        server.requests.clear()
        second = hf_project.doit("-s", "openml_raw_models")
        assert second.returncode == 0, second.stdout + second.stderr
        assert metadata(hf_project, "openml_raw_models")["mode"] == "incremental"
        again = {p.rsplit("/", 1)[1] for p in server.requests if re.fullmatch(r"/api/v1/xml/flow/\d+", p)}
        # flow 44 (new run), flow 469 (at the old watermark, inclusive) and flow 3 (no run: no date)
        assert again == {"44", "469", "3"}
        # flow 3 withdrawn: gone after the next full listing
        listing = snapshot / "api" / "v1" / "xml" / "flow" / "list.xml"
        listing.write_text(re.sub(r"<oml:flow>\s*<oml:id>3</oml:id>.*?</oml:flow>\s*", "", listing.read_text(), flags=re.S))
        third = hf_project.doit("-s", "openml_raw_models", env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
        assert third.returncode == 0, third.stdout + third.stderr
        assert "openml:flow/3" not in raw_ids(hf_project, "openml")


def test_openml_bad_records_are_quarantined_with_their_reason(hf_project, tmp_path):
    snapshot = tmp_path / "openml"
    shutil.copytree(OPENML, snapshot)
    xml = snapshot / "api" / "v1" / "xml"
    listing = xml / "flow" / "list.xml"
    listing.write_text(listing.read_text().replace("<oml:id>65</oml:id>", "<oml:id>sixty-five</oml:id>"))
    (xml / "flow" / "469.xml").write_text("<oml:flow xmlns:oml=\"http://openml.org/openml\"><oml:id>469")
    hf_project.env["MLENTORY_OPENML_SNAPSHOT_DIR"] = str(snapshot)
    result = hf_project.doit("openml_models_normalized")
    assert result.returncode == 0, result.stdout + result.stderr
    harvest = list(read_jsonl(hf_project.path("data/raw/openml/quarantine.jsonl")))
    assert len(harvest) == 1 and "numeric id" in harvest[0]["reason"] and "sixty-five" in harvest[0]["raw"]
    mapped = list(read_jsonl(hf_project.path("data/normalized/openml/quarantine.jsonl")))
    assert [(q["id"], q["path"]) for q in mapped] == [("openml:flow/469", "/description")]
    assert "not XML" in mapped[0]["reason"]
    assert len(normalized_ids(hf_project, "openml")) == 7


def test_model_deleted_upstream_leaves_the_graph_and_the_index(hf_project, tmp_path):
    zoo = tmp_path / "zoo"
    shutil.copytree(BIOIMAGEIO, zoo)
    hf_project.env["MLENTORY_BIOIMAGEIO_SNAPSHOT_DIR"] = str(zoo)
    assert hf_project.doit().returncode == 0  # every platform in the graph and the index
    before = dict(graph(hf_project, "MATCH (m:MLModel) WHERE m.harvested = true RETURN m.platform, count(m)"))
    assert before["hf"] > 100 and before["openml"] > 0
    assert search(hf_project, "NucleiSegmentationBoundaryModel")[0] == AFFABLE_SHARK
    listing = json.loads((zoo / "collection.json").read_text())
    listing["collection"] = [e for e in listing["collection"] if f"bioimageio:{e['id']}" != AFFABLE_SHARK]
    (zoo / "collection.json").write_text(json.dumps(listing))
    result = hf_project.doit("bioimageio_etl_job", env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert AFFABLE_SHARK not in search(hf_project, "NucleiSegmentationBoundaryModel")
    assert graph(hf_project, f"MATCH (m:MLModel {{id: '{AFFABLE_SHARK}'}}) WHERE m.harvested = true RETURN m.id") == []
    # the other platforms' models were not touched by the bioimage.io loaders
    after = dict(graph(hf_project, "MATCH (m:MLModel) WHERE m.harvested = true RETURN m.platform, count(m)"))
    assert after == {**before, "bioimageio": before["bioimageio"] - 1}


@pytest.mark.parametrize("platform", ["openml", "bioimageio"])
def test_unreachable_platform_fails_in_one_line(hf_project, platform):
    live(hf_project, **{f"MLENTORY_{platform.upper()}_ENDPOINT": "http://127.0.0.1:9"})
    result = hf_project.doit("-s", f"{platform}_raw_models")
    assert result.returncode != 0
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and "cannot reach" in failed[0] and "HF_HUB_OFFLINE=1" in failed[0]
    assert "Traceback" not in result.stdout + result.stderr
