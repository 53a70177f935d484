"""Issue 12, defect 6: a harvested item without a usable id is quarantined once, not once more per run."""

import json
import shutil

from pipeline.storage import read_jsonl


def test_items_without_an_id_are_not_duplicated_by_incremental_harvests(hf_project, bundled_snapshot, tmp_path):
    snapshot = tmp_path / "hub"
    shutil.copytree(bundled_snapshot, snapshot)
    page = snapshot / "api" / "models.json"
    items = json.loads(page.read_text())
    # undated, so every incremental listing (newest first, down to the watermark) shows them again
    items[:0] = [{"author": "someone", "downloads": 3}, 42]  # (an older item with only `modelId` is harvested)
    page.write_text(json.dumps(items))
    hf_project.env["MLENTORY_HF_SNAPSHOT_DIR"] = str(snapshot)
    quarantine = hf_project.path("data/raw/hf/quarantine.jsonl")
    assert hf_project.doit("hf_raw_models").returncode == 0
    first = list(read_jsonl(quarantine))
    assert len(first) == 2 and {e["id"] for e in first} == {None}
    for day in (2, 3):  # a newer model appears upstream: the harvest reruns, incrementally
        newest = dict(items[2], id=f"someone/new-model-{day}", lastModified=f"2031-01-0{day}T00:00:00.000Z")
        items.insert(2, newest)
        page.write_text(json.dumps(items))
        result = hf_project.doit("hf_raw_models")
        assert result.returncode == 0, result.stdout + result.stderr
        logs = hf_project.doit("logs", "hf_raw_models").stdout  # the metadata of the run that built it
        assert '"mode": "incremental"' in logs, logs
        entries = list(read_jsonl(quarantine))
        assert sorted(e["reason"] for e in entries) == sorted(e["reason"] for e in first), entries
        assert '"quarantined": 2' in logs and "  2 quarantined" in result.stdout
