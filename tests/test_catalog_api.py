"""The catalog's REST API (pipeline/ui/catalog_api.py) over a real build of the bundled snapshot (331
models, 4 shards), read from the embedded targets (FalkorDB, tantivy) and from a real Neo4j and
Elasticsearch the same build was loaded into."""

import json
import shutil
import uuid

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from starlette.routing import Mount
from starlette.testclient import TestClient

from pipeline.ui.openapi import openapi_path
from pipeline.ui.server import create_app
from tests.conftest import ES_TEST_PREFIX, REPO, Project, _clean_env, delete_test_indices


def _build(root, env) -> Project:
    root.mkdir()
    for name in ("dodo.py", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    project = Project(root, env)
    result = project.doit()
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("catalog") / "project", _clean_env(HF_HUB_OFFLINE="1", MLENTORY_SHARDS="4"))


@pytest.fixture(scope="module")
def served(tmp_path_factory, neo4j_target, elasticsearch_env):
    """The same catalog loaded into Neo4j (emptied first) and an Elasticsearch alias of its own."""
    from pipeline.load.neo4j import Neo4jStore
    uri, user, password = neo4j_target
    store = Neo4jStore(uri, user, password, None).open()
    store.write([("MATCH (n) DETACH DELETE n", {})])
    store.close()
    alias = f"{ES_TEST_PREFIX}{uuid.uuid4().hex[:8]}"
    env = _clean_env(HF_HUB_OFFLINE="1", MLENTORY_SHARDS="4", NEO4J_URI=uri, MLENTORY_ELASTICSEARCH_INDEX=alias,
                     **elasticsearch_env, **({"NEO4J_USER": user, "NEO4J_PASSWORD": password} if user else {}))
    yield _build(tmp_path_factory.mktemp("catalog-served") / "project", env)
    delete_test_indices(elasticsearch_env, f"{alias}-")


@pytest.fixture(scope="module", params=["embedded", "neo4j+elasticsearch"])
def client(request):
    project = request.getfixturevalue("embedded" if request.param == "embedded" else "served")
    with TestClient(create_app(project.root, project.env)) as client:
        client.project = project
        yield client


def records(project) -> dict[str, dict]:
    """Every normalized record of the build, every platform, by id (what the graph was loaded with)."""
    out = {}
    for path in sorted(project.root.glob("data/normalized/*/models*.jsonl")):  # every platform
        for line in path.read_text().splitlines():
            record = json.loads(line)
            out[record["identifier"]] = record
    return out


def test_search_with_a_facet_pages_and_counts(client):
    answer = client.get("/api/catalog/search", params={"q": "bert", "task": "fill-mask", "limit": 3})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["hits"] and all(hit["task"] == ["fill-mask"] for hit in found["hits"])
    fill_mask = [r for r in records(client.project).values() if "fill-mask" in r["mlTask"]]
    assert found["facets"]["task"] == {"fill-mask": found["total"]} and found["total"] <= len(fill_mask)
    assert {"task", "library", "license", "language", "relation"} <= set(found["facets"])
    everything = client.get("/api/catalog/search", params={"limit": 100}).json()
    assert everything["total"] == len(records(client.project))
    pages = [client.get("/api/catalog/search", params={"task": "fill-mask", "limit": 5, "offset": offset}).json()
             for offset in range(0, len(fill_mask), 5)]
    paged = [hit["id"] for page in pages for hit in page["hits"]]
    assert sorted(paged) == sorted(r["identifier"] for r in fill_mask)  # every one once, across the pages
    quantized = client.get("/api/catalog/search", params={"relation": "quantized", "limit": 100}).json()
    expected = sorted(r["identifier"] for r in records(client.project).values()
                      if r["fineTunedFrom"] and r["baseModelRelation"] == "quantized")
    assert sorted(hit["id"] for hit in quantized["hits"]) == expected and quantized["facets"]["relation"] == {
        "quantized": len(expected)}


@pytest.mark.parametrize("query,message", [
    ({"limit": "0"}, "limit must be between 1 and 100"), ({"limit": "ten"}, "limit must be a whole number"),
    ({"offset": "-1"}, "offset must be between"), ({"offset": "9990", "limit": "20"}, "offset must be between"),
    ({"tsak": "fill-mask"}, "unknown parameter tsak"),
])
def test_bad_search_parameters_are_400_with_a_reason(client, query, message):
    answer = client.get("/api/catalog/search", params=query)
    assert answer.status_code == 400 and message in answer.json()["error"]


def test_a_model_is_its_record_as_loaded(client):
    """Every model's record read back from the graph is the normalized record it was loaded from (lists
    of links in id order, a base spelled as its node is)."""
    wanted = records(client.project)
    for model_id, record in wanted.items():
        answer = client.get(f"/api/catalog/models/{model_id}")
        assert answer.status_code == 200, (model_id, answer.text)
        got = answer.json()
        assert got["kind"] == "harvested" and got["id"] == model_id
        read = got["record"]
        assert set(read) == set(record), model_id
        for field, value in record.items():
            if field == "fineTunedFrom":
                assert sorted(v.lower() for v in read[field]) == sorted(v.lower() for v in value), model_id
            elif isinstance(value, list) and field not in ("evaluationMetrics", "citationDetails"):
                # (bioimage.io's inputs and outputs are lists of objects)
                assert sorted(read[field], key=json.dumps) == sorted(value, key=json.dumps), (model_id, field)
            else:
                assert read[field] == value, (model_id, field)


def test_a_model_page_has_its_licenses_sources_and_links(client):
    got = client.get("/api/catalog/models/META-LLAMA/llama-2-7b-HF").json()  # Hub ids ignore case
    assert got["id"] == "meta-llama/Llama-2-7b-hf"
    [license] = [link for link in got["links"] if link["rel"] == "HAS_LICENSE"]
    assert license["id"] == "llama2" and license["props"]["name"] == "Llama 2 Community License Agreement"
    assert got["record"]["fieldSources"]["license"] == "API cardData license"
    assert "parameterCount" in got["record"]["inferredFields"]
    [paper] = [link for link in got["links"] if link["rel"] == "CITES"]
    assert paper["id"] == "2307.09288" and paper["props"]["name"].startswith("Llama 2")
    mit = client.get("/api/catalog/search", params={"license": "mit", "limit": 1}).json()["hits"][0]["id"]
    [spdx] = [link for link in client.get(f"/api/catalog/models/{mit}").json()["links"] if link["rel"] == "HAS_LICENSE"]
    assert spdx["props"]["spdxId"] == "MIT" and spdx["props"]["osiApproved"] is True


def test_unknown_ids_are_404_with_what_was_asked(client):
    for path in ("models/nobody/nothing", "lineage/nobody/nothing", "history/nobody/nothing",
                 "datasets/nobody/nothing", "papers/9999.99999"):
        answer = client.get(f"/api/catalog/{path}")
        assert answer.status_code == 404 and "nothing" in answer.json()["error"] or "9999" in answer.json()["error"]
    assert client.get("/api/catalog/models/nobody/nothing?format=turtle").status_code == 404


def chain(project) -> tuple[str, str, str]:
    """A model whose base has a base of its own in the harvest: (model, base, grand base)."""
    by_id = {k.lower(): r for k, r in records(project).items()}
    for record in by_id.values():
        for base in record["fineTunedFrom"]:
            grand = by_id.get(base.lower(), {}).get("fineTunedFrom")
            if grand and grand[0].lower() in by_id:
                return record["identifier"], by_id[base.lower()]["identifier"], by_id[grand[0].lower()]["identifier"]
    raise AssertionError("the snapshot has no three-generation chain")


def test_lineage_ancestors_descendants_and_depth(client):
    model, base, grand = chain(client.project)
    relation = records(client.project)[model]["baseModelRelation"]
    up = client.get(f"/api/catalog/lineage/{model}", params={"direction": "ancestors", "depth": 2}).json()
    assert {"from": model, "to": base, "relation": relation} in up["edges"]
    assert {n["id"]: n["depth"] for n in up["nodes"]}[grand] == 2
    one = client.get(f"/api/catalog/lineage/{model}", params={"direction": "ancestors", "depth": 1}).json()
    assert grand not in {n["id"] for n in one["nodes"]}
    down = client.get(f"/api/catalog/lineage/{grand}", params={"direction": "descendants", "depth": 2}).json()
    assert {n["id"]: n["depth"] for n in down["nodes"]}[model] == -2
    capped = client.get(f"/api/catalog/lineage/{grand}", params={"direction": "descendants", "limit": 1}).json()
    derived = [r for r in records(client.project).values() if grand.lower() in (b.lower() for b in r["fineTunedFrom"])]
    assert len([e for e in capped["edges"] if e["to"] == grand]) == 1
    assert capped["more"].get(grand, 0) == len(derived) - 1  # how many were left out
    assert client.get(f"/api/catalog/lineage/{model}", params={"depth": "9"}).status_code == 400
    assert client.get(f"/api/catalog/lineage/{model}", params={"direction": "sideways"}).status_code == 400


def test_dataset_and_paper_pages_list_the_models_using_them(client):
    wanted = records(client.project)
    trained = {}
    for record in wanted.values():
        for dataset in record["trainedOn"]:
            trained.setdefault(dataset, []).append(record["identifier"])
    dataset = max(trained, key=lambda d: len(trained[d]))
    got = client.get(f"/api/catalog/datasets/{dataset}", params={"limit": 200}).json()
    assert got["used_by"]["TRAINED_ON"]["count"] == len(trained[dataset])
    assert sorted(m["id"] for m in got["used_by"]["TRAINED_ON"]["models"]) == sorted(trained[dataset])
    citing = [r["identifier"] for r in wanted.values() if "https://arxiv.org/abs/2307.09288" in r["citation"]]
    paper = client.get("/api/catalog/papers/2307.09288").json()
    assert paper["record"]["name"].startswith("Llama 2") and paper["used_by"]["CITES"]["count"] == len(citing)
    assert any(link["rel"] == "AUTHORED_BY" for link in paper["links"])


def _triples(text: str, form) -> Graph:
    graph = Graph()
    graph.parse(data=ox.serialize(ox.parse(text, format=form), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return graph


def test_exports_are_the_records_rdf(client):
    """JSON-LD and Turtle say what the hf_models_jsonld asset says of the model (the same triples)."""
    model, base, _ = chain(client.project)
    written = None
    for path in client.project.root.glob("data/rdf/hf/models-*.jsonld"):
        document = json.loads(path.read_text())
        written = next((n for n in document["@graph"] if n["sameAs"].endswith("/" + model)), written)
    expected = _triples(json.dumps({"@context": document["@context"], **written}), ox.RdfFormat.JSON_LD)
    exported = client.get(f"/api/catalog/models/{model}", params={"format": "jsonld"})
    assert exported.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(_triples(exported.text, ox.RdfFormat.JSON_LD), expected)
    turtle = client.get(f"/api/catalog/models/{model}", params={"format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert isomorphic(_triples(turtle.text, ox.RdfFormat.TURTLE), expected)
    assert client.get(f"/api/catalog/models/{model}", params={"format": "xml"}).status_code == 400


def test_rocrate_has_its_descriptor_root_and_every_entity_it_names(client):
    model, base, _ = chain(client.project)
    crate = client.get(f"/api/catalog/models/{model}", params={"format": "rocrate"}).json()
    assert crate["@context"][0] == "https://w3id.org/ro/crate/1.1/context"
    by_id = {entity["@id"]: entity for entity in crate["@graph"]}
    assert by_id["ro-crate-metadata.json"]["about"] == {"@id": "./"}
    root = by_id["./"]
    assert root["@type"] == "Dataset" and root["name"] and root["description"] and root["datePublished"]
    main = by_id[root["mainEntity"]["@id"]]
    assert main["name"] == model.split("/")[-1] and "fair4ml:MLModel" in main["@type"]
    named = [value["@id"] for entity in crate["@graph"] for key, values in entity.items() if key != "conformsTo"
             for value in (values if isinstance(values, list) else [values]) if isinstance(value, dict) and "@id" in value]
    assert set(named) <= set(by_id)  # flattened: everything referenced is described in the crate
    assert any(by_id[ref["@id"]]["name"] == base for ref in main["fineTunedFrom"])


def test_history_lists_the_versions(client):
    model = next(iter(records(client.project)))
    versions = client.get(f"/api/catalog/history/{model}").json()["versions"]
    assert versions[-1]["change"] == "current" and versions[-1]["valid_to"] is None


def test_a_model_whose_normalized_records_cannot_be_read_is_503_in_one_line_naming_the_file(embedded):
    """The page's long texts come from the model's normalized shard (the graph does not hold them): a shard
    that cannot be read is said, with what to run, not a page without them or a server error."""
    from pipeline.config import load_settings
    from pipeline.shards import shard_of

    model = "meta-llama/Llama-2-7b-hf"
    settings = load_settings(embedded.root, environ=embedded.env)
    shard = embedded.root / "data" / "normalized" / "hf" / f"models-{settings.shard_labels[shard_of(model, settings.shards)]}.parquet"
    kept = shard.read_bytes()
    try:
        shard.write_bytes(kept[: len(kept) // 2])
        with TestClient(create_app(embedded.root, embedded.env)) as client:
            for path in (f"/api/catalog/models/{model}", f"/api/catalog/history/{model}"):
                answer = client.get(path)
                assert answer.status_code == 503, (path, answer.text)
                message = answer.json()["error"]
                assert "\n" not in message and str(shard) in message and "doit hf_models_normalized" in message
    finally:
        shard.write_bytes(kept)
    with TestClient(create_app(embedded.root, embedded.env)) as client:
        assert client.get(f"/api/catalog/models/{model}").json()["record"]["description"]


def test_openapi_describes_every_route(client):
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    for route in client.app.routes:
        path = openapi_path(route.path) + ("/{path}" if isinstance(route, Mount) else "")
        assert path in document["paths"], path
        for method in getattr(route, "methods", None) or ["GET"]:
            if method != "HEAD":
                assert method.lower() in document["paths"][path], (method, path)
    guide = (REPO / "docs" / "catalog-api.md").read_text()
    for path in document["paths"]:
        if path.startswith("/api/catalog/"):
            assert f"`GET {path}" in guide, f"docs/catalog-api.md does not document {path}"


def test_a_target_that_is_down_is_503_in_one_line_without_its_credentials(embedded, tmp_path):
    env = {**embedded.env, "NEO4J_URI": "bolt://neo:s3cretpass@127.0.0.1:9",
           "ELASTICSEARCH_URL": "http://elastic:s3cretpass@127.0.0.1:9"}
    with TestClient(create_app(embedded.root, env)) as client:
        for path in ("/api/catalog/search?q=bert", "/api/catalog/models/meta-llama/Llama-2-7b-hf",
                     "/api/catalog/lineage/meta-llama/Llama-2-7b-hf", "/api/catalog/datasets/wikipedia"):
            answer = client.get(path)
            assert answer.status_code == 503, (path, answer.text)
            message = answer.json()["error"]
            assert "\n" not in message and "s3cretpass" not in answer.text and "127.0.0.1:9" in message, message
        assert client.get("/api/catalog/search", headers={"host": "evil.example"}).status_code == 400


def test_a_graph_server_that_hangs_under_a_request_is_replaced_and_the_request_answered(embedded, monkeypatch):
    """The UI keeps its graph connection between requests: a server that hangs under one (FalkorDB 4.16
    does, rarely) is killed by the read's guard and the request answered from a new server, instead of
    the request waiting for ever."""
    import os
    import signal
    import threading
    from pipeline.load import falkordb

    monkeypatch.setattr(falkordb, "STALL_S", 1.0)
    model_id = next(iter(records(embedded)))
    with TestClient(create_app(embedded.root, embedded.env)) as client:
        assert client.get(f"/api/catalog/models/{model_id}").status_code == 200
        hung = json.loads(embedded.path("data/graph/server.json").read_text())["pid"]
        os.kill(hung, signal.SIGSTOP)
        answers: list = []
        asking = threading.Thread(target=lambda: answers.append(client.get(f"/api/catalog/models/{model_id}")),
                                  daemon=True)
        asking.start()
        asking.join(60)
        try:
            assert answers, "the request waited on the hung server"
            assert answers[0].status_code == 200 and answers[0].json()["id"] == model_id, answers[0].text
            assert json.loads(embedded.path("data/graph/server.json").read_text())["pid"] != hung
        finally:
            if os.path.exists(f"/proc/{hung}"):
                os.kill(hung, signal.SIGKILL)
