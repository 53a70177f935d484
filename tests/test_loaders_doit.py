"""Loaders through `doit`: receipts in the target, reload after a wipe, clear connection errors, deletions."""

import json
import re
import shutil

import pytest

from pipeline.config import load_settings
from pipeline.load.elasticsearch import MAPPING_VERSION, ElasticsearchIndex
from pipeline.load.falkordb import FalkorStore
from pipeline.load.tantivy_index import TantivyIndex
from pipeline.platforms import HF, PLATFORMS, platform_of
from tests.conftest import es_client
from tests.records import hub_item
from tests.test_incremental import ran

OTHERS = [key for key in PLATFORMS if key != HF]

LOADERS = {"hf_load_models_to_neo4j", "hf_index_models_in_elasticsearch"}
# every platform's loaders into one target (the other platforms build from their bundled snapshots here)
GRAPH_LOADERS = {"hf_load_models_to_neo4j", "hf_load_entities_to_neo4j", *(f"{p}_load_models_to_neo4j" for p in OTHERS)}
SEARCH_LOADERS = {"hf_index_models_in_elasticsearch", *(f"{p}_index_models_in_elasticsearch" for p in OTHERS)}


def write_snapshot(root, items):
    (root / "api").mkdir(parents=True, exist_ok=True)
    (root / "api" / "models.json").write_text(json.dumps(items))
    for item in items:
        readme = root / "readmes" / item["id"] / "README.md"
        readme.parent.mkdir(parents=True, exist_ok=True)
        readme.write_text(f"# {item['id']}\n\n{item['id']} is a test model about {item['id'].split('/')[1]}.\n")


ITEMS = [hub_item("org/base", pipeline_tag="text-generation", cardData={"datasets": ["org/pile"]}),
         hub_item("org/tuned", pipeline_tag="text-generation", cardData={"base_model": "org/base"}),
         hub_item("lab/vision", pipeline_tag="image-classification", cardData={"license": "mit"})]


@pytest.fixture
def small_project(hf_project, tmp_path):
    write_snapshot(tmp_path / "snap", ITEMS)
    hf_project.env["MLENTORY_HF_SNAPSHOT_DIR"] = str(tmp_path / "snap")
    return hf_project


@pytest.fixture
def es_project(small_project, elasticsearch_env, es_alias):
    """The small project indexing into a real Elasticsearch, under an alias of this test's own."""
    small_project.env.update(elasticsearch_env, MLENTORY_ELASTICSEARCH_INDEX=es_alias)
    return small_project


def hub_ids(ids) -> list[str]:
    """The Hub's models among every platform's, sorted (OpenML's and bioimage.io's are checked in test_platforms)."""
    return sorted(i for i in ids if platform_of(i) == HF)


def es_ids(project) -> list[str]:
    index = ElasticsearchIndex(load_settings(project.root, environ=project.env)).open()
    try:
        return hub_ids(hit["id"] for hit in index.search("", limit=500)[0])
    finally:
        index.close()


def delete_index(project, name: str) -> None:
    client = es_client(project.env)
    try:
        client.indices.delete(index=name)
    finally:
        client.close()


def graph_ids(project):
    store = FalkorStore(project.path("data/graph")).open()
    try:
        return hub_ids(r[0] for r in store.read("MATCH (m:MLModel) WHERE m.harvested = true RETURN m.id"))
    finally:
        store.close()


def test_wiped_targets_are_reloaded_and_nothing_else_runs(small_project):
    first = small_project.doit()
    assert first.returncode == 0, first.stdout + first.stderr
    assert LOADERS <= ran(first)
    assert graph_ids(small_project) == ["lab/vision", "org/base", "org/tuned"]
    assert ran(small_project.doit()) == set()
    small_project.path("data/graph/graph.rdb").unlink()
    assert ran(small_project.doit()) == GRAPH_LOADERS  # every platform's models reloaded, nothing else
    assert graph_ids(small_project) == ["lab/vision", "org/base", "org/tuned"]
    shutil.rmtree(small_project.path("data/search"))
    assert ran(small_project.doit()) == SEARCH_LOADERS


def test_model_deleted_upstream_disappears_from_both_targets(small_project, tmp_path):
    assert small_project.doit().returncode == 0
    write_snapshot(tmp_path / "snap", ITEMS[1:])
    # deletions are seen by a full listing (MLENTORY_HF_FULL_LISTING_HOURS old at most; here: now)
    result = small_project.doit(env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    # org/tuned still names org/base as its base model, so org/base stays as a stub, not a harvested model
    assert graph_ids(small_project) == ["lab/vision", "org/tuned"]
    settings = load_settings(small_project.root, environ={})
    hits, _, _ = TantivyIndex(settings.paths.search_index).search("", limit=500)
    assert hub_ids(h["id"] for h in hits) == ["lab/vision", "org/tuned"]


def test_entities_only_a_removed_model_named_leave_the_graph(small_project, tmp_path):
    assert small_project.doit().returncode == 0
    store = FalkorStore(small_project.path("data/graph")).open()
    try:
        assert store.read("MATCH (d:Dataset {id: 'org/pile'}) RETURN d.status") == [["missing"]]
    finally:
        store.close()
    write_snapshot(tmp_path / "snap", ITEMS[1:])  # org/base, the only model trained on org/pile, leaves
    result = small_project.doit(env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    store = FalkorStore(small_project.path("data/graph")).open()
    try:
        assert store.read("MATCH (d:Dataset {id: 'org/pile'}) RETURN d") == []
        # org/tuned still names org/base: a stub now, described by the entity loader
        assert store.read("MATCH (m:MLModel {id: 'org/base'}) RETURN m.harvested, m.url, m.enriched") == \
            [[None, "https://huggingface.co/org/base", True]]
        assert store.read("MATCH (:MLModel {id: 'org/tuned'})-[:FINE_TUNED_FROM]->(b) RETURN b.id") == [["org/base"]]
        assert store.read("MATCH (l:License {id: 'mit'}) RETURN l.spdxId, l.osiApproved") == [["MIT", True]]
    finally:
        store.close()
    assert ran(small_project.doit()) == set()


def test_unreachable_neo4j_fails_in_one_line_writes_no_receipt_and_retries(small_project):
    env = {"NEO4J_URI": "bolt://127.0.0.1:9"}
    result = small_project.doit("hf_load_models_to_neo4j", env=env)
    assert result.returncode != 0
    failed = [l for l in result.stdout.splitlines() if l.startswith("FAILED")]
    assert len(failed) == 1 and re.match(r"FAILED hf_load_models_to_neo4j: cannot connect to Neo4j at "
                                         r"bolt://127\.0\.0\.1:9: ", failed[0])
    assert "docker compose up -d neo4j" in failed[0] and "Traceback" not in result.stdout + result.stderr
    assert not list(small_project.path("data/load").glob("hf_load_models_to_neo4j/*.json"))
    again = small_project.doit("hf_load_models_to_neo4j", env=env)
    assert "hf_load_models_to_neo4j" in ran(again) and again.returncode != 0


def test_elasticsearch_is_loaded_searched_and_reloaded_once_wiped(es_project, es_alias):
    first = es_project.doit()
    assert first.returncode == 0, first.stdout + first.stderr
    assert "hf_index_models_in_elasticsearch" in ran(first)
    assert not es_project.path("data/search").exists()  # the embedded index was not used
    assert es_ids(es_project) == ["lab/vision", "org/base", "org/tuned"]
    found = es_project.doit("search", "vision")
    assert found.returncode == 0 and found.stdout.splitlines()[1].split()[:2] == ["1", "lab/vision"], found.stdout
    assert ran(es_project.doit()) == set()
    delete_index(es_project, f"{es_alias}-{MAPPING_VERSION}")
    assert ran(es_project.doit()) == SEARCH_LOADERS
    assert es_ids(es_project) == ["lab/vision", "org/base", "org/tuned"]


def test_model_deleted_upstream_leaves_elasticsearch_even_once_its_receipts_are_lost(es_project, es_alias, tmp_path):
    assert es_project.doit().returncode == 0
    write_snapshot(tmp_path / "snap", ITEMS[1:])
    result = es_project.doit(env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert es_ids(es_project) == ["lab/vision", "org/tuned"]  # an incremental load deleted the id that left
    # without receipts every shard is loaded in full: the index's own copy of a shard says what left it
    delete_index(es_project, f"{es_alias}-receipts")
    write_snapshot(tmp_path / "snap", ITEMS[2:])
    result = es_project.doit(env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert es_ids(es_project) == ["lab/vision"]
    assert ran(es_project.doit()) == set()


def test_unreachable_elasticsearch_fails_in_one_line_and_writes_no_receipt(small_project):
    result = small_project.doit("hf_index_models_in_elasticsearch", env={"ELASTICSEARCH_URL": "http://127.0.0.1:9"})
    assert result.returncode != 0
    failed = [l for l in result.stdout.splitlines() if l.startswith("FAILED")]
    assert len(failed) == 1 and re.match(r"FAILED hf_index_models_in_elasticsearch: cannot connect to "
                                         r"Elasticsearch at http://127\.0\.0\.1:9: ", failed[0]), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not list(small_project.path("data/load").glob("hf_index_models_in_elasticsearch/*.json"))


def test_thin_cards_can_be_left_out_of_search_and_stay_in_the_graph(hf_project):
    from pipeline.load.search import search_models

    def found(query):
        hits, facets, total = search_models(load_settings(hf_project.root, environ=hf_project.env), query, 500)
        return {h["id"] for h in hits}, facets, total

    assert hf_project.doit().returncode == 0
    thin, _, _ = found('card:"near-empty card"')
    everything, facets, total = found("")
    assert thin and thin <= everything and "inferred" in facets and "card" in facets
    inferred_size, _, _ = found("inferred:parameterCount")
    assert inferred_size and inferred_size < everything  # "models whose parameter count is inferred"

    off = hf_project.doit(env={"MLENTORY_SEARCH_THIN_CARDS": "0"})
    assert off.returncode == 0, off.stdout + off.stderr
    assert ran(off) == SEARCH_LOADERS  # only the index changes
    assert found('card:"near-empty card"')[0] == set()
    assert found("")[2] == total - len(thin)
    assert set(graph_ids(hf_project)) >= {i for i in thin if platform_of(i) == HF}  # still in the graph

    on = hf_project.doit()
    assert ran(on) == SEARCH_LOADERS and found('card:"near-empty card"')[0] == thin


def test_a_no_ops_receipt_checks_read_no_parquet_and_start_no_graph_client(built_hf_project):
    """Every no-op run asks both loaders whether their targets still hold the last load: that reads the
    receipts (the embedded graph's cached copy) without importing pyarrow or the graph's client, which
    cost 0.8 s of a 1.4 s no-op at 100k models."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from pipeline.assets import REGISTRY, graph_holds_last_load, search_holds_last_load\n"
            "from pipeline.config import load_settings\n"
            "settings = load_settings()\n"
            "held = [graph_holds_last_load(settings, REGISTRY['hf_load_models_to_neo4j'], None),\n"
            "        search_holds_last_load(settings, REGISTRY['hf_index_models_in_elasticsearch'], None)]\n"
            "print(held, sorted(m for m in ('pyarrow', 'redis', 'falkordb') if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=built_hf_project.root, env=built_hf_project.env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "[True, True] []"
    # a receipt the graph does not hold makes the check say so
    receipt = built_hf_project.path("data/load/hf_load_models_to_neo4j/001.json")
    saved = receipt.read_text()
    receipt.write_text(json.dumps({**json.loads(saved), "load_id": "another load"}))
    try:
        again = subprocess.run([sys.executable, "-c", code], cwd=built_hf_project.root, env=built_hf_project.env,
                               capture_output=True, text=True, timeout=120)
        assert again.stdout.startswith("[False, True]"), again.stdout + again.stderr
    finally:
        receipt.write_text(saved)


def test_the_graph_server_starts_while_upstream_runs_and_a_no_op_starts_none(small_project, tmp_path):
    """A run that will load the embedded graph starts its server (which loads its file, seconds at 100k
    models) as soon as a task the loaders wait for runs, not when the first loader opens the graph."""
    import sqlite3
    import time

    assert small_project.doit().returncode == 0
    log = small_project.path("data/graph/server.log")
    written = log.stat().st_mtime_ns
    assert "Nothing to do" in small_project.doit().stdout
    assert log.stat().st_mtime_ns == written  # a no-op starts no server

    write_snapshot(tmp_path / "snap", ITEMS + [hub_item("new/model", pipeline_tag="fill-mask")])
    result = small_project.doit()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hf_load_models_to_neo4j" in ran(result)
    # the server log's first line: "PID:C 02 Dec 2026 06:45:57.334 * ..." (the server's local time)
    stamp = re.match(r"\d+:\w (\d\d \w{3} \d{4} [\d:]{8})\.(\d{3})", log.read_text()).groups()
    server_started = time.mktime(time.strptime(stamp[0], "%d %b %Y %H:%M:%S")) + int(stamp[1]) / 1000
    db = sqlite3.connect(small_project.path("data/runs.sqlite3"))
    run_id, run_started = db.execute("SELECT id, started FROM runs ORDER BY started DESC LIMIT 1").fetchone()
    (loader_started,) = db.execute("SELECT started FROM tasks WHERE run_id = ? AND name = 'hf_load_models_to_neo4j'",
                                   (run_id,)).fetchone()
    db.close()
    assert run_started - 1 < server_started < loader_started
    assert "new/model" in graph_ids(small_project)


def test_a_record_the_index_refuses_is_not_marked_loaded_and_is_sent_again(small_project, tmp_path):
    """A creation date the embedded index cannot hold (before 1677): it refuses the model, the others
    load, the refusal is in the shard's rejects file, and the loader's record of what the index holds
    leaves it out, so the next load sends it again."""
    import pyarrow.parquet as pq

    odd = hub_item("odd/date", pipeline_tag="text-generation", createdAt="1500-01-01T00:00:00.000Z")
    write_snapshot(tmp_path / "snap", ITEMS + [odd])
    first = small_project.doit()
    assert first.returncode == 0, first.stdout + first.stderr
    folder = small_project.path("data/load/hf_index_models_in_elasticsearch")
    rejects = [json.loads(line) for path in folder.glob("*.rejects.jsonl") for line in path.read_text().splitlines()]
    assert [r["id"] for r in rejects] == ["odd/date"] and rejects[0]["reason"]
    loaded = {i for path in folder.glob("*.loaded.parquet") for i in pq.read_table(path).column("id").to_pylist()}
    assert {"lab/vision", "org/base", "org/tuned"} <= loaded and "odd/date" not in loaded
    settings = load_settings(small_project.root, environ={})
    hits, _, _ = TantivyIndex(settings.paths.search_index).search("", limit=500)
    assert hub_ids(h["id"] for h in hits) == ["lab/vision", "org/base", "org/tuned"]
    assert "odd/date" in graph_ids(small_project)  # the graph holds the date as text

    changed = hub_item("lab/vision", pipeline_tag="image-classification", cardData={"license": "mit"}, downloads=99,
                       lastModified="2024-06-01T00:00:00.000Z")
    write_snapshot(tmp_path / "snap", ITEMS[:2] + [changed, odd])
    second = small_project.doit()
    assert second.returncode == 0, second.stdout + second.stderr
    receipts = [json.loads(path.read_text()) for path in folder.glob("*.json")]
    assert sum(r["counts"]["sent"] for r in receipts) == 2  # the changed model, and the refused one again
    assert sum(r["counts"]["rejected"] for r in receipts) == 1
