"""Reruns in proportion to change: k changed models rerun exactly their shards, in every downstream asset."""

import json
import shutil
import time

import pyarrow.parquet as pq
import pytest

from pipeline.load.falkordb import FalkorStore
from pipeline.load.tantivy_index import TantivyIndex
from pipeline.shards import shard_of
from tests.test_incremental import ran_tasks

SHARDS = 8
DOWNSTREAM = ("hf_models_normalized", "hf_models_jsonld")
# one task each for every shard (one connection, one commit); inside, only the changed shards' changed records are sent
LOADERS = ("hf_load_models_to_neo4j", "hf_index_models_in_elasticsearch")
# unsharded: they read a few columns of every normalized shard, and rerun when any shard changes
READ_ALL_SHARDS = ("hf_raw_datasets", "arxiv_papers", "hf_raw_base_models", "base_model_lineage", "licenses")
ENTITIES = ("hf_entities_normalized", "hf_load_entities_to_neo4j", "hf_rdf")  # hf_rdf reloads only changed graphs
CHECKS = ("hf_models_normalized:checks",)  # the normalized records' checks run once all shards are built
# OpenML's and bioimage.io's assets, unsharded, from their bundled snapshots: built once, untouched by the Hub's changes
OTHER_PLATFORMS = tuple(f"{platform}_{stage}" for platform in ("openml", "bioimageio")
                        for stage in ("raw_models", "models_normalized", "raw_datasets", "load_models_to_neo4j",
                                      "index_models_in_elasticsearch"))


@pytest.fixture
def sharded_project(hf_project, bundled_snapshot, tmp_path):
    shutil.copytree(bundled_snapshot, tmp_path / "snap")
    hf_project.env.update(MLENTORY_HF_SNAPSHOT_DIR=str(tmp_path / "snap"), MLENTORY_SHARDS=str(SHARDS))
    return hf_project


def change_upstream(snapshot, ids, stamp="2030-01-01T00:00:00.000Z"):
    """What the Hub's listing shows after the models changed: them first, newest, with new counters."""
    page = snapshot / "api" / "models.json"
    items = json.loads(page.read_text())
    changed = [dict(item, lastModified=stamp, downloads=item.get("downloads", 0) + 1000)
               for item in items if item["id"] in ids]
    page.write_text(json.dumps(changed + [item for item in items if item["id"] not in ids]))
    return {item["id"]: item["downloads"] for item in changed}


def graph_downloads(project, model_id):
    store = FalkorStore(project.path("data/graph")).open()
    try:
        return store.read("MATCH (m:MLModel {id: $id}) RETURN m.downloads", {"id": model_id})
    finally:
        store.close()


def test_changing_k_models_reruns_exactly_their_shards_downstream(sharded_project, tmp_path):
    first = sharded_project.doit("-v", "2")  # every doit task, one line each
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(ran_tasks(first)) == 1 + len(DOWNSTREAM) * SHARDS + len(LOADERS) + len(READ_ALL_SHARDS) + len(ENTITIES) \
        + len(CHECKS) + len(OTHER_PLATFORMS)
    assert set(OTHER_PLATFORMS) <= ran_tasks(first)

    entities_written = time.time()
    items = json.loads((tmp_path / "snap" / "api" / "models.json").read_text())
    picked = [items[40]["id"], items[200]["id"]]
    downloads = change_upstream(tmp_path / "snap", picked)
    shards = {f"{shard_of(model, SHARDS):03d}" for model in picked}
    result = sharded_project.doit("--verbosity", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ran_tasks(result) == {"hf_raw_models", *READ_ALL_SHARDS, *ENTITIES, *CHECKS, *LOADERS} | {
        f"{asset}:{s}" for asset in DOWNSTREAM for s in shards}
    # new download counts change no dataset, paper, lineage or license: the entities keep their bytes
    # (so no search shard reruns for them) and the entity loader sends nothing
    assert sharded_project.path("data/normalized/entities/entities.parquet").stat().st_mtime < entities_written
    receipt = json.loads(sharded_project.path("data/load/hf_load_entities_to_neo4j/entities.json").read_text())
    assert (receipt["counts"]["mode"], receipt["counts"]["sent"]) == ("incremental", 0)
    # the SPARQL store replaced only the graphs of the touched shards
    rdf = sharded_project.metadata("hf_rdf")
    assert (rdf["mode"], rdf["reloaded"], rdf["unchanged"]) == ("incremental", len(shards), SHARDS + 1 - len(shards))

    # inside a shard, only the changed rows were mapped again and sent to the targets; other shards sent nothing
    for loader in LOADERS:
        for shard in [f"{i:03d}" for i in range(SHARDS)]:
            receipt = json.loads(sharded_project.path(f"data/load/{loader}/{shard}.json").read_text())
            assert receipt["counts"]["mode"] == "incremental"
            assert receipt["counts"]["sent"] == sum(f"{shard_of(m, SHARDS):03d}" == shard for m in picked)
        counts = sharded_project.metadata(loader)
        assert (counts["sent"], counts["shards_sent"], counts["shards"]) == (len(picked), len(shards), SHARDS)
    for model in picked:
        assert graph_downloads(sharded_project, model) == [[downloads[model]]]
    settings_dir = sharded_project.path("data/search/hf_models")
    hits, _, _ = TantivyIndex(settings_dir).search(f'id:"{picked[0]}"', limit=5)
    assert [h["downloads"] for h in hits if h["id"] == picked[0]] == [downloads[picked[0]]]
    assert ran_tasks(sharded_project.doit("-v2")) == set()


def test_normalization_reuses_unchanged_rows_of_a_touched_shard(sharded_project, tmp_path):
    assert sharded_project.doit("hf_models_normalized").returncode == 0
    items = json.loads((tmp_path / "snap" / "api" / "models.json").read_text())
    model = items[10]["id"]
    shard = f"{shard_of(model, SHARDS):03d}"
    before = pq.read_table(sharded_project.path(f"data/normalized/hf/models-{shard}.parquet"))
    change_upstream(tmp_path / "snap", [model])
    assert sharded_project.doit("hf_models_normalized").returncode == 0
    after = pq.read_table(sharded_project.path(f"data/normalized/hf/models-{shard}.parquet"))
    assert after.num_rows == before.num_rows
    old = {r["identifier"]: r["record"] for r in before.select(["identifier", "record"]).to_pylist()}
    new = {r["identifier"]: r["record"] for r in after.select(["identifier", "record"]).to_pylist()}
    assert [m for m in new if new[m] != old[m]] == [model]
    status = sharded_project.doit("status", "hf_models_normalized:*").stdout
    line = [l for l in status.splitlines() if l.startswith(f"hf_models_normalized:{shard}")][0]
    assert "mapped=1" in line and f"reused={before.num_rows - 1}" in line


def test_a_loader_shard_whose_code_changed_sends_the_whole_shard_again(sharded_project):
    assert sharded_project.doit().returncode == 0
    receipt_path = sharded_project.path("data/load/hf_index_models_in_elasticsearch/003.json")
    receipt = json.loads(receipt_path.read_text())
    models = receipt["counts"]["models"]
    again = sharded_project.doit("-a", "hf_index_models_in_elasticsearch")
    assert again.returncode == 0, again.stdout + again.stderr
    counts = json.loads(receipt_path.read_text())["counts"]
    assert (counts["mode"], counts["sent"]) == ("incremental", 0)  # same code, same records: nothing to send
    receipt_path.write_text(json.dumps({**json.loads(receipt_path.read_text()), "code": "an older loader"}))
    assert sharded_project.doit("-a", "hf_index_models_in_elasticsearch").returncode == 0
    counts = json.loads(receipt_path.read_text())["counts"]
    assert (counts["mode"], counts["sent"]) == ("full", models)
    # the other shards sent nothing, and the task says which was sent again
    other = json.loads(sharded_project.path("data/load/hf_index_models_in_elasticsearch/004.json").read_text())
    assert (other["counts"]["mode"], other["counts"]["sent"]) == ("incremental", 0)
    total = sharded_project.metadata("hf_index_models_in_elasticsearch")
    assert (total["mode"], total["sent"], total["shards_sent"]) == ("mixed", models, 1)


def test_a_loader_sends_new_and_changed_records_and_retires_the_gone():
    import pyarrow as pa

    from pipeline.load.shard_load import LOADED_SCHEMA, changes

    current = pa.table({"id": ["a", "b", "c"], "digest": ["1", "2", "3"]}, schema=LOADED_SCHEMA)
    before = pa.table({"id": ["a", "b", "gone"], "digest": ["1", "9", "5"]}, schema=LOADED_SCHEMA)
    assert changes(current, before) == ({"b", "c"}, ["gone"])
    assert changes(current, LOADED_SCHEMA.empty_table()) == ({"a", "b", "c"}, [])  # first load: all of it
    assert changes(LOADED_SCHEMA.empty_table(), before) == (set(), ["a", "b", "gone"])


def test_another_shard_count_is_refused_in_one_line_and_the_history_stays(sharded_project, tmp_path):
    """Changing MLENTORY_SHARDS moves models between shards: a shard would take the models now in other
    shards as removed (history with false removals, earlier versions left behind). The normalized shards
    refuse it, naming the way out; their records and history stay as they were."""
    built = sharded_project.doit("hf_models_normalized")
    assert built.returncode == 0, built.stdout + built.stderr
    # a version ends in every shard, so each shard's history holds something to lose
    snapshot = tmp_path / "snap"
    items = json.loads((snapshot / "api" / "models.json").read_text())
    change_upstream(snapshot, {item["id"] for item in items})
    changed = sharded_project.doit("hf_models_normalized", env={"MLENTORY_HF_FULL_LISTING_HOURS": "0"})
    assert changed.returncode == 0, changed.stdout + changed.stderr
    kept = sorted([*sharded_project.path("data/normalized/hf").glob("models-*.parquet"),
                   *sharded_project.path("data/history/hf").glob("models-*.parquet")])
    before = {path: path.read_bytes() for path in kept}
    assert sum(pq.read_metadata(p).num_rows for p in kept if "/history/" in str(p)) > 0

    refused = sharded_project.doit("hf_models_normalized", env={"MLENTORY_SHARDS": str(SHARDS * 2)})
    assert refused.returncode != 0
    failed = [line for line in refused.stdout.splitlines() if line.startswith("FAILED hf_models_normalized:")]
    assert failed and all(f"MLENTORY_SHARDS was {SHARDS}, and it is now {SHARDS * 2}" in line and
                          f"set MLENTORY_SHARDS back to {SHARDS}" in line for line in failed), refused.stdout
    assert {path: path.read_bytes() for path in kept} == before  # no shard of the old layout was rewritten
    assert len(kept) == 2 * SHARDS + sum(1 for p in kept if p.name.endswith(".archive.parquet"))

    again = sharded_project.doit("hf_models_normalized")  # the shard count set back: the same shards as before
    assert again.returncode == 0, again.stdout + again.stderr
    assert {path: path.read_bytes() for path in kept} == before
