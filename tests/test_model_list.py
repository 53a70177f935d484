"""Harvest from a list: a file of model ids and `author:NAME` lines is the harvest's source, live (each
listed model asked for by id, accounts listed) and offline (the snapshot's listed models); what cannot be
harvested is quarantined with its line."""

import json

from pipeline.config import load_settings
from pipeline.extract import hf
from pipeline.storage import read_jsonl

LIST = """# models we follow
google-bert/bert-base-uncased
Qwen/Qwen2.5-7B-Instruct   # a comment after an id
author:sentence-transformers
nobody/not-a-model
this is not an id
"""


def test_a_live_harvest_asks_the_hub_for_the_listed_models_only(hub, tmp_path):
    (tmp_path / "models.txt").write_text(LIST)
    settings = load_settings(tmp_path, environ={"HF_ENDPOINT": hub.url, "MLENTORY_HF_MODEL_LIST": "models.txt"})
    rejected = []
    records = list(hf.harvest(settings, rejected))
    accounts = {m["id"] for m in hub.models() if m["id"].startswith("sentence-transformers/")}
    assert accounts and {r.id for r in records} == {"google-bert/bert-base-uncased", "Qwen/Qwen2.5-7B-Instruct"} | accounts
    assert all(r.readme_status == "ok" for r in records if r.id == "google-bert/bert-base-uncased")
    asked = {r["path"] for r in hub.requests if r["path"].startswith("/api/models/")}
    assert asked == {"/api/models/google-bert/bert-base-uncased", "/api/models/Qwen/Qwen2.5-7B-Instruct",
                     "/api/models/nobody/not-a-model"}
    listings = [r["query"] for r in hub.requests if r["path"] == "/api/models"]
    assert listings and all("author=sentence-transformers" in q for q in listings)  # no listing of the whole Hub
    assert sorted((e["path"], e["reason"]) for e in rejected) == [
        ("models.txt:5", "not on the Hub (404)"),
        ("models.txt:6", "not a model id or author:NAME line: 'this is not an id'")]


def test_an_offline_build_from_a_list_holds_the_listed_models_and_says_what_it_could_not_find(hf_project):
    hf_project.path("models.txt").write_text(LIST)
    hf_project.env["MLENTORY_HF_MODEL_LIST"] = "models.txt"
    result = hf_project.doit("hf_models_normalized")
    assert result.returncode == 0, result.stdout + result.stderr
    harvested = json.loads(hf_project.path("data/raw/hf/harvest.json").read_text())
    assert harvested["last_harvest"]["mode"] == "full"
    quarantine = sorted((e["path"], e["reason"].split(":")[0]) for e in read_jsonl(hf_project.path("data/raw/hf/quarantine.jsonl")))
    assert quarantine == [("models.txt:5", "not in the snapshot"), ("models.txt:6", "not a model id or author")]
    import pyarrow.parquet as pq
    ids = {i for p in hf_project.root.glob("data/normalized/hf/models-*.parquet")
           for i in pq.read_table(p, columns=["identifier"]).column(0).to_pylist()}
    assert "google-bert/bert-base-uncased" in ids and all(
        i in ("google-bert/bert-base-uncased", "Qwen/Qwen2.5-7B-Instruct") or i.startswith("sentence-transformers/")
        for i in ids)
    # editing the list is a new source: the next build harvests the new list whole
    hf_project.path("models.txt").write_text("google-bert/bert-base-uncased\n")
    assert hf_project.doit("hf_models_normalized").returncode == 0
    ids = {i for p in hf_project.root.glob("data/normalized/hf/models-*.parquet")
           for i in pq.read_table(p, columns=["identifier"]).column(0).to_pylist()}
    assert ids == {"google-bert/bert-base-uncased"}


def test_a_missing_list_fails_in_one_line(hf_project):
    hf_project.env["MLENTORY_HF_MODEL_LIST"] = "nowhere.txt"
    result = hf_project.doit("hf_raw_models")
    failed = [l for l in result.stdout.splitlines() if l.startswith("FAILED")]
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert len(failed) == 1 and "nowhere.txt" in failed[0]
