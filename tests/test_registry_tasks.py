"""The registry is the single source of doit's tasks: names, docs, file_dep, targets, jobs."""

import pytest

from pipeline.assets import REGISTRY
from pipeline.config import load_settings
from pipeline.doit_tasks import asset_tasks
from pipeline.fingerprint import normalized_code
from pipeline.registry import Asset, Output, Registry, code_fingerprint


def test_doit_list_shows_every_asset_and_job_with_its_description(hf_project):
    result = hf_project.doit("list")
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0]: " ".join(line.split()[1:]) for line in result.stdout.splitlines() if line.strip()}
    for asset in REGISTRY:
        assert listed[asset.name] == asset.description
    assert "hf_etl_job" in listed


def _by_name(tasks):
    return {t["basename"] + (f":{t['name']}" if t.get("name") else ""): t for t in tasks}


def test_tasks_take_file_dep_and_targets_from_the_registry(tmp_path):
    settings = load_settings(tmp_path, environ={"HF_HUB_OFFLINE": "1", "MLENTORY_SHARDS": "4"})
    tasks = _by_name(asset_tasks("pipeline.assets:REGISTRY", settings))
    # a sharded asset is a group of one sub-task per shard, each reading the same shard upstream
    # (and, as the asset declares checks, a task that checks all shards once they are built)
    assert [n for n in tasks if n.startswith("hf_models_normalized:")] == \
        [f"hf_models_normalized:{s}" for s in ("000", "001", "002", "003", "checks")]
    checks = tasks["hf_models_normalized:checks"]
    assert checks["file_dep"] == [f"data/normalized/hf/models-{s}.parquet" for s in ("000", "001", "002", "003")]
    # what reads the normalized records waits for their checks
    assert tasks["hf_models_jsonld:002"]["task_dep"] == ["hf_models_normalized:checks"]
    assert tasks["base_model_lineage"]["task_dep"] == ["hf_models_normalized:checks"]
    normalized = tasks["hf_models_normalized:002"]
    assert normalized["targets"] == REGISTRY["hf_models_normalized"].output_paths(settings.shard_labels, "002")
    assert normalized["targets"] == ["data/normalized/hf/models-002.parquet", "data/normalized/hf/models-002.jsonl",
                                     "data/normalized/hf/quarantine-002.jsonl", "data/history/hf/models-002.parquet",
                                     "data/history/hf/models-002.archive.parquet"]
    # upstream's primary output is a dependency, its quarantine side output is not
    assert "data/raw/hf/models-002.parquet" in normalized["file_dep"]
    assert not any("models-001" in p or "quarantine" in p for p in normalized["file_dep"])
    assert any(p.endswith("fair4ml-mlmodel.schema.json") for p in normalized["file_dep"])
    # the harvest is one task writing every raw shard
    assert [p for p in tasks["hf_raw_models"]["targets"] if "models-" in p] == \
        [f"data/raw/hf/models-{s}.parquet" for s in ("000", "001", "002", "003")]
    assert tasks["hf_etl_job"]["task_dep"] == [a.name for a in REGISTRY if a.group in ("hf_etl", "hf_enrichment")]
    assert tasks["catalog_etl_job"]["task_dep"] == [a.name for a in REGISTRY]
    # offline, the harvest depends on the snapshot files; live, it expires instead
    assert any(p.endswith("models.json") for p in tasks["hf_raw_models"]["file_dep"])
    live = _by_name(asset_tasks("pipeline.assets:REGISTRY", load_settings(tmp_path, environ={})))
    assert live["hf_raw_models"]["file_dep"] == []
    # code and settings, the age limit, and the output ledger's "outputs are as written"
    assert len(live["hf_raw_models"]["uptodate"]) == 3
    assert live["hf_raw_models"]["uptodate"][-1][0].__name__ == "outputs_as_written"


def _noop(ctx):
    return {}


def test_registry_rejects_unknown_upstream_and_shared_outputs():
    with pytest.raises(ValueError, match="unknown upstream"):
        Registry([Asset("a", "A", "g", _noop, {"o": Output("data/a")}, upstream=("missing",))])
    with pytest.raises(ValueError, match="written by both"):
        Registry([Asset("a", "A", "g", _noop, {"o": Output("data/x")}),
                  Asset("b", "B", "g", _noop, {"o": Output("data/x")})])


def test_code_fingerprint_ignores_comments_docstrings_and_layout_but_not_code():
    base = 'def f(x):\n    """Doc."""\n    return x * 2\n'
    commented = 'def f(x):  # why\n    """Other doc."""\n\n    # note\n    return x*2\n'
    changed = 'def f(x):\n    """Doc."""\n    return x * 3\n'
    assert normalized_code(base) == normalized_code(commented)
    assert normalized_code(base) != normalized_code(changed)


def test_fingerprint_covers_declared_code_modules():
    """`code=` adds code the build does not reach by name (derived code covers the rest)."""
    asset = REGISTRY["hf_models_normalized"]
    alone = Asset(asset.name, asset.description, asset.group, asset.build, asset.outputs, sharded=True)
    more = Asset(asset.name, asset.description, asset.group, asset.build, asset.outputs, sharded=True,
                 code=("pipeline.transform.jsonld",))
    assert code_fingerprint(alone) != code_fingerprint(more)
