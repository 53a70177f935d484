"""The live harvest path against the bundled snapshot served over local HTTP in the Hub API's shape."""

import json
import re
import shutil

import pyarrow.parquet as pq
import pytest

from pipeline.config import load_settings
from pipeline.extract import hf
from pipeline.errors import PipelineError
from pipeline.shards import shard_of
from tests.hub_server import HubSnapshotServer


@pytest.fixture
def hub(bundled_snapshot):
    # pages of a quarter of the snapshot, so every full listing takes several requests
    size = max(1, len(json.loads((bundled_snapshot / "api" / "models.json").read_text())) // 4)
    with HubSnapshotServer(bundled_snapshot, page_size=size) as server:
        yield server


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    """huggingface_hub's retry helper sleeps between attempts; the retries themselves still happen."""
    import huggingface_hub.utils._http as http
    monkeypatch.setattr(http.time, "sleep", lambda seconds: None)


def harvest(settings):
    rejected = []
    records = list(hf.harvest(settings, rejected))
    return records, rejected


def live_settings(hub, tmp_path, **extra):
    env = {"HF_ENDPOINT": hub.url, "MLENTORY_HF_LIMIT": "0", **extra}
    return load_settings(tmp_path, environ=env)


def model_pages(hub):
    return [r for r in hub.requests if r["path"] == "/api/models"]


def test_full_listing_follows_every_page(hub, tmp_path):
    records, rejected = harvest(live_settings(hub, tmp_path))
    expected = {m["id"] for m in hub.models()}
    assert {r.id for r in records} == expected
    assert rejected == []
    assert len(model_pages(hub)) >= 4
    # the first request asks for every field the mapping reads (card data, safetensors and GGUF summaries,
    # storage), most recently modified first
    first = model_pages(hub)[0]["query"].lower()
    assert "sort=lastmodified" in first and "direction=-1" in first
    for field in ("carddata", "safetensors", "gguf", "usedstorage", "siblings", "tags"):
        assert f"expand={field}" in first, field


def test_raw_json_keeps_every_field_the_api_sent(hub, tmp_path):
    records, _ = harvest(live_settings(hub, tmp_path))
    by_id = {m["id"]: m for m in hub.models()}
    for record in records:
        assert json.loads(record.raw_json) == by_id[record.id]


def test_retries_429_and_503_then_succeeds(hub, tmp_path):
    hub.fail_next(429, times=2, path_prefix="/api/models")
    hub.fail_next(503, times=1, path_prefix="/api/models")
    records, _ = harvest(live_settings(hub, tmp_path, MLENTORY_HF_FETCH_README="0"))
    assert len(records) == len(hub.models())
    assert len(model_pages(hub)) >= 4 + 3  # the three failed attempts were retried


def test_retry_on_a_later_page(hub, tmp_path):
    settings = live_settings(hub, tmp_path, MLENTORY_HF_FETCH_README="0")
    items = hf.iter_hub_models(settings)
    first = next(items)
    hub.fail_next(429, times=1, path_prefix="/api/models")
    rest = list(items)
    assert len(rest) + 1 == len(hub.models()) and first["id"] not in {m["id"] for m in rest}


def test_limit_returns_the_most_recently_modified(hub, tmp_path):
    settings = live_settings(hub, tmp_path, MLENTORY_HF_LIMIT="5", MLENTORY_HF_FETCH_README="0")
    newest = sorted(hub.models(), key=lambda m: (m["lastModified"], m["id"]), reverse=True)[:5]
    assert [m["id"] for m in hf.iter_hub_models(settings)] == [m["id"] for m in newest]


def test_readmes_are_fetched_and_missing_ones_reported(hub, tmp_path, bundled_snapshot):
    records, _ = harvest(live_settings(hub, tmp_path))
    for record in records:
        path = bundled_snapshot / "readmes" / record.id / "README.md"
        if path.exists():
            assert (record.readme_status, record.readme) == ("ok", path.read_text(encoding="utf-8"))
        else:
            assert (record.readme_status, record.readme) == ("missing", None)


def test_token_is_sent_as_bearer(hub, tmp_path):
    harvest(live_settings(hub, tmp_path, HF_TOKEN="hf_test_token", MLENTORY_HF_FETCH_README="0"))
    assert {r["authorization"] for r in model_pages(hub)} == {"Bearer hf_test_token"}


def test_unreachable_hub_is_one_clear_error(tmp_path):
    settings = load_settings(tmp_path, environ={"HF_ENDPOINT": "http://127.0.0.1:9"})
    with pytest.raises(PipelineError) as err:
        harvest(settings)
    message = str(err.value)
    assert message.startswith("cannot reach the Hugging Face Hub at http://127.0.0.1:9")
    assert "HF_HUB_OFFLINE=1" in message


def test_doit_live_harvest_through_local_hub(hub, hf_project):
    """The real entry point, without HF_HUB_OFFLINE, harvesting from HF_ENDPOINT."""
    env = {k: v for k, v in hf_project.env.items() if k != "HF_HUB_OFFLINE"}
    env.update(HF_ENDPOINT=hub.url, MLENTORY_HF_LIMIT="0")
    hf_project.env = env
    result = hf_project.doit("hf_raw_models")
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [i for path in sorted(hf_project.root.glob("data/raw/hf/models-*.parquet"))
           for i in pq.read_table(path).column("id").to_pylist()]
    assert sorted(ids) == sorted(m["id"] for m in hub.models())
    # live harvests are fresh for hf_max_age_hours: an immediate rerun does not hit the Hub again
    before = len(hub.requests)
    assert re.search(r"^hf_raw_models +up to date", hf_project.doit("hf_raw_models").stdout, re.M)
    assert len(hub.requests) == before


def test_live_harvest_is_incremental_and_rewrites_only_the_touched_shard(bundled_snapshot, hf_project, tmp_path):
    snapshot = tmp_path / "hub"
    shutil.copytree(bundled_snapshot, snapshot)
    with HubSnapshotServer(snapshot, page_size=25) as hub:
        env = {k: v for k, v in hf_project.env.items() if k != "HF_HUB_OFFLINE"}
        env.update(HF_ENDPOINT=hub.url, MLENTORY_HF_LIMIT="0", MLENTORY_HF_MAX_AGE_HOURS="0", MLENTORY_SHARDS="8")
        hf_project.env = env
        assert hf_project.doit("hf_raw_models").returncode == 0
        shards = sorted(hf_project.root.glob("data/raw/hf/models-*.parquet"))
        before = {p.name: p.read_bytes() for p in shards}
        # one model changes upstream: the listing, newest first, now starts with it
        items = hub.models()
        changed = items[len(items) // 2]
        changed.update(lastModified="2030-01-01T00:00:00.000Z", downloads=changed.get("downloads", 0) + 1)
        (snapshot / "api" / "models.json").write_text(json.dumps(items))
        hub.requests.clear()
        result = hf_project.doit("hf_raw_models")
        assert result.returncode == 0, result.stdout + result.stderr
        assert '"mode": "incremental"' in hf_project.doit("logs", "hf_raw_models").stdout
        # the listing stopped at the watermark (inclusive: models stamped with the newest time of the last
        # harvest are read again): one page, and only those models' cards fetched
        watermark = max(m["lastModified"] for m in items if m is not changed)
        again = {m["id"] for m in items if m["lastModified"] >= watermark}
        assert len(model_pages(hub)) == 1 and len(again) < 25
        fetched = [r["path"].split("/resolve/")[0][1:] for r in hub.requests if r["path"].endswith("README.md")]
        assert changed["id"] in again and sorted(fetched) == sorted(again)  # cards are fetched concurrently
        after = {p.name: p.read_bytes() for p in shards}
        touched = [name for name in before if before[name] != after[name]]
        assert touched == [f"models-{shard_of(changed['id'], 8):03d}.parquet"]
        table = pq.read_table(hf_project.path(f"data/raw/hf/{touched[0]}"))
        row = [r for r in table.to_pylist() if r["id"] == changed["id"]][0]
        assert json.loads(row["raw_json"])["downloads"] == changed["downloads"]
        assert sum(pq.read_table(p).num_rows for p in shards) == len(items)
