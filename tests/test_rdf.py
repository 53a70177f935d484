"""RDF you can query: stable IRIs, Turtle and N-Quads that hold the JSON-LD's triples (checked with an
independent parser, rdflib), an embedded SPARQL store loaded incrementally, and `doit sparql` answering
what `doit graph` answers."""

import json
import shutil

import pytest

from tests.records import hub_item
from tests.test_loaders_doit import write_snapshot


@pytest.fixture
def built(built_hf_project):
    return built_hf_project


def converted_in_last_run(project) -> int:
    """Models whose RDF the last run's hf_models_jsonld shards converted."""
    from pipeline.paths import Paths
    from pipeline.runs.history import History
    history = History(Paths(project.root).run_history)
    try:
        return sum(task.metadata.get("rdf_converted", 0) for task in history.tasks(history.run().id)
                   if task.name.startswith("hf_models_jsonld:"))
    finally:
        history.close()


def lines(result) -> list[str]:
    return result.stdout.splitlines()


def test_sparql_answers_fine_tunes_as_the_graph_does(built):
    for base in ("Qwen/Qwen2.5-1.5B", "meta-llama/Llama-3.1-8B", "mistralai/Mistral-7B-v0.1"):
        graph = built.doit("graph", f"MATCH (m:MLModel)-[:FINE_TUNED_FROM*1..]->(:MLModel {{id: '{base}'}}) "
                                    "RETURN DISTINCT m.id")
        sparql = built.doit("sparql", "SELECT DISTINCT ?id WHERE { ?m fair4ml:fineTunedFrom+ ?b . "
                                      f"?b schema:url <https://huggingface.co/{base}> . ?m schema:identifier ?id }}",
                            "--format", "json")
        assert graph.returncode == sparql.returncode == 0, sparql.stderr
        from_sparql = sorted(row["id"] for row in json.loads(sparql.stdout))
        assert from_sparql and from_sparql == sorted(lines(graph)), base


def assert_exports_hold_the_json_ld(root):
    """Each document's Turtle and N-Quads hold exactly its triples, each model's in the graph named by
    the model (a triple two models share, such as an author's name, is in both graphs) (checked with rdflib, a parser independent of the one that wrote them)."""
    import rdflib
    from rdflib.compare import isomorphic

    documents = sorted(root.glob("data/rdf/hf/models-*.jsonld")) + [root / "data/rdf/entities.jsonld"]
    for document in documents:
        from_jsonld = rdflib.Graph()
        for s, p, o, _ in rdflib.Dataset().parse(document, format="json-ld").quads((None, None, None, None)):
            from_jsonld.add((s, p, o))
        turtle = rdflib.Graph().parse(document.with_suffix(".ttl"), format="turtle")
        quads = list(rdflib.Dataset().parse(document.with_suffix(".nq"), format="nquads").quads((None, None, None, None)))
        in_quads = rdflib.Graph()
        for s, p, o, _ in quads:
            in_quads.add((s, p, o))
        assert isomorphic(from_jsonld, turtle) and isomorphic(from_jsonld, in_quads), document.name
        if "models-" in document.name:
            models = {str(s) for s, p, o in from_jsonld if str(o) == "https://w3id.org/fair4ml#MLModel"}
            assert {str(q[3]) for q in quads} == models, document.name
            assert all(str(g) == str(s) for s, p, o, g in quads
                       if str(o) == "https://w3id.org/fair4ml#MLModel"), document.name
    return documents


def test_turtle_and_nquads_hold_exactly_the_json_ld_triples(built):
    documents = assert_exports_hold_the_json_ld(built.root)
    assert len(documents) == 5
    assert all(document.with_suffix(".ttl").stat().st_size > 1000 for document in documents)


def test_iris_are_stable_and_links_resolve_to_entity_nodes(built):
    # a model's dataset link lands on the dataset's own node, which carries the dataset's card name
    answer = built.doit("sparql", 'SELECT ?dataset ?name WHERE { ?m schema:identifier "allenai/OLMo-7B" ; '
                                  "fair4ml:trainedOn ?dataset . ?dataset schema:name ?name }", "--format", "json")
    assert json.loads(answer.stdout) == [{"dataset": "https://w3id.org/mlentory/dataset/hf/allenai/dolma",
                                          "name": "Dolma"}]


def test_the_store_is_loaded_incrementally_and_reloaded_when_lost(hf_project, tmp_path):
    items = [hub_item("org/base", cardData={"license": "mit"}),
             hub_item("org/tuned", cardData={"base_model": "org/base"}),
             hub_item("lab/other", pipeline_tag="fill-mask")]
    write_snapshot(tmp_path / "snap", items)
    hf_project.env.update(MLENTORY_HF_SNAPSHOT_DIR=str(tmp_path / "snap"))
    first = hf_project.doit()
    assert first.returncode == 0, first.stdout + first.stderr
    meta = lambda result: hf_project.metadata("hf_rdf")
    assert meta(first)["mode"] == "full" and meta(first)["reloaded"] == 5

    changed = dict(items[2], lastModified="2030-01-01T00:00:00.000Z", downloads=77)
    write_snapshot(tmp_path / "snap", [changed] + items[:2])  # newest first, as the API lists
    second = hf_project.doit()
    assert second.returncode == 0, second.stdout + second.stderr
    assert (meta(second)["mode"], meta(second)["reloaded"], meta(second)["unchanged"]) == ("incremental", 1, 4)
    count = hf_project.doit("sparql", 'SELECT ?d WHERE { ?m schema:identifier "lab/other" ; '
                                      "schema:interactionStatistic ?s . ?s schema:userInteractionCount ?d . "
                                      "?s schema:interactionType/a schema:DownloadAction }", "--format", "csv")
    assert lines(count) == ["d", "77"]

    shutil.rmtree(hf_project.path("data/sparql/store"))  # the store is lost: the next run reloads it whole
    third = hf_project.doit()
    assert third.returncode == 0 and meta(third)["mode"] == "full" and meta(third)["reloaded"] == 5

    # models in three of the four shards change: only their graphs are replaced, the other models'
    # lines and blocks are copied into the shards' exports; the answers are those of the new records
    more = [hub_item("lab/b", pipeline_tag="fill-mask", downloads=5), hub_item("lab/e", downloads=6),
            dict(items[0], lastModified="2030-01-02T00:00:00.000Z", downloads=88)]
    write_snapshot(tmp_path / "snap", more + [changed, items[1]])
    fourth = hf_project.doit(env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert fourth.returncode == 0, fourth.stdout + fourth.stderr
    assert (meta(fourth)["mode"], meta(fourth)["models_loaded"]) == ("incremental", 3)
    assert converted_in_last_run(hf_project) == 3  # the JSON-LD shards' exports: only the changed models
    downloads = hf_project.doit("sparql", 'SELECT ?id ?d WHERE { ?m schema:identifier ?id ; '
                                          "schema:interactionStatistic ?s . ?s schema:userInteractionCount ?d . "
                                          "?s schema:interactionType/a schema:DownloadAction } ORDER BY ?id",
                                "--format", "csv")
    assert lines(downloads)[1:] == ["lab/b,5", "lab/e,6", "lab/other,77", "org/base,88",
                                    f"org/tuned,{items[1]['downloads']}"]
    assert_exports_hold_the_json_ld(hf_project.root)

    # a model deleted from the Hub leaves the store and the exports; nothing else is converted
    write_snapshot(tmp_path / "snap", more + [items[1]])
    fifth = hf_project.doit(env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert fifth.returncode == 0, fifth.stdout + fifth.stderr
    assert (meta(fifth)["models_removed"], meta(fifth).get("models_loaded", 0)) == (1, 0)
    assert converted_in_last_run(hf_project) == 0
    ids = hf_project.doit("sparql", "SELECT DISTINCT ?id WHERE { ?m a fair4ml:MLModel ; schema:identifier ?id . "
                                    'FILTER(STRSTARTS(?id, "lab/")) } ORDER BY ?id', "--format", "csv")
    assert lines(ids)[1:] == ["lab/b", "lab/e"]
    graph = hf_project.doit("sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
                                      "<https://w3id.org/mlentory/model/hf/lab/other> { ?s ?p ?o } }", "--format", "csv")
    assert lines(graph) == ["n", "0"]
    assert_exports_hold_the_json_ld(hf_project.root)


def test_sparql_says_what_is_wrong_in_one_line(hf_project, built):
    empty = hf_project.doit("sparql", "SELECT * WHERE { ?s ?p ?o }")
    assert empty.returncode == 1 and empty.stderr.strip() == "the SPARQL store is empty: build it with `doit hf_rdf`"
    bad = built.doit("sparql", "SELECT WHERE nonsense")
    assert bad.returncode == 1 and bad.stderr.startswith("sparql query failed: not a SPARQL query")
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr


def test_changed_entities_swap_only_their_quads_in_the_store(hf_project, tmp_path):
    """A day's new author is a few new entity quads: the store swaps those lines of the entities graph
    instead of reloading the whole graph, and holds exactly the entities' N-Quads afterwards."""
    items = [hub_item("org/base", cardData={"license": "mit", "datasets": ["org/pile"]}),
             hub_item("lab/other", pipeline_tag="fill-mask")]
    write_snapshot(tmp_path / "snap", items)
    hf_project.env.update(MLENTORY_HF_SNAPSHOT_DIR=str(tmp_path / "snap"))
    first = hf_project.doit()
    assert first.returncode == 0, first.stdout + first.stderr
    everything = hf_project.metadata("hf_rdf")["quads_loaded"]

    newcomer = hub_item("newlab/model", lastModified="2030-01-01T00:00:00.000Z",
                        cardData={"license": "apache-2.0", "datasets": ["newlab/corpus"]})
    write_snapshot(tmp_path / "snap", [newcomer] + items)
    second = hf_project.doit()
    assert second.returncode == 0, second.stdout + second.stderr
    meta = hf_project.metadata("hf_rdf")
    assert meta["mode"] == "incremental" and 0 < meta["quads_loaded"] < everything
    assert meta.get("quads_removed", 0) < everything
    found = hf_project.doit("sparql", "SELECT DISTINCT ?s WHERE { GRAPH <https://w3id.org/mlentory/graph/hf/entities> "
                                      '{ ?s ?p ?o } FILTER(CONTAINS(STR(?s), "newlab")) } ORDER BY ?s', "--format", "csv")
    assert lines(found)[1:] == ["https://w3id.org/mlentory/agent/hf/newlab",
                                "https://w3id.org/mlentory/dataset/hf/newlab/corpus"], found.stdout + found.stderr
    held = hf_project.doit("sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
                                     "<https://w3id.org/mlentory/graph/hf/entities> { ?s ?p ?o } }", "--format", "csv")
    written = [line for line in hf_project.path("data/rdf/entities.nq").read_bytes().split(b"\n") if line]
    assert lines(held) == ["n", str(len(written))]
