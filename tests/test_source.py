"""The sticky source: after the README's quick start the next commands agree without repeating
HF_HUB_OFFLINE=1 (a run records its source in `.env`); the environment still overrides; `doit status`
says when and how the source changed."""

import hashlib
import json

from pipeline.config import load_settings, read_env_file
from pipeline.doit_tasks import describe_config_change, settings_changed
from pipeline.extract.snapshot import BUNDLED_ARXIV_SNAPSHOT
from tests.faults.helpers import closed_port
from tests.hub_server import HubSnapshotServer
from tests.test_status import states


def test_the_quick_start_source_sticks_and_a_change_says_why(hf_project, bundled_snapshot):
    project = hf_project
    project.env.pop("HF_HUB_OFFLINE")
    # the live Hub would be this closed port: a command that went live would fail, not pass unnoticed
    project.env["HF_ENDPOINT"] = f"http://127.0.0.1:{closed_port()}"
    first = project.doit(env={"HF_HUB_OFFLINE": "1"})
    assert first.returncode == 0, first.stdout + first.stderr
    assert "source recorded in .env: HF_HUB_OFFLINE=1" in first.stderr
    assert read_env_file(project.root) == {"HF_HUB_OFFLINE": "1", "HF_ENDPOINT": project.env["HF_ENDPOINT"]}
    table, _ = states(project)  # plain `doit status` agrees with the run
    assert set(table.values()) == {"fresh"}, table
    again = project.doit()
    assert again.returncode == 0 and "Nothing to do" in again.stdout, again.stdout + again.stderr
    assert "source recorded" not in again.stderr  # nothing new to record
    search = project.doit("search", "whisper", "-n", "1")
    assert search.returncode == 0 and "openai/whisper" in search.stdout

    # the environment still overrides: the live Hub makes the harvest stale, and status says why
    live = project.doit("status", "--format", "json", env={"HF_HUB_OFFLINE": "0"})
    rows = {row["name"]: row for row in json.loads(live.stdout)["assets"]}
    assert rows["hf_raw_models"]["state"] == "stale"
    assert rows["hf_raw_models"]["reason"] == "source changed: snapshot → live Hub at " + project.env["HF_ENDPOINT"]
    assert rows["arxiv_papers"]["reason"].startswith("source changed: snapshot → live arXiv API")
    assert rows["hf_models_jsonld"]["reason"].endswith(
        f"upstream hf_models_normalized is stale (source changed: snapshot → live Hub at {project.env['HF_ENDPOINT']})")

    # a live run records the live source: plain commands follow it from then on
    with HubSnapshotServer(bundled_snapshot, page_size=100, arxiv_dir=BUNDLED_ARXIV_SNAPSHOT) as hub:
        live_env = {"HF_HUB_OFFLINE": "0", "HF_ENDPOINT": hub.url, "MLENTORY_HF_LIMIT": "0",
                    "MLENTORY_ARXIV_ENDPOINT": hub.arxiv_endpoint, "MLENTORY_ARXIV_DELAY_S": "0",
                    "MLENTORY_OPENML_OFFLINE": "1", "MLENTORY_BIOIMAGEIO_OFFLINE": "1"}  # the Hub alone is live
        went_live = project.doit(env=live_env)
        assert went_live.returncode == 0, went_live.stdout + went_live.stderr
        recorded = read_env_file(project.root)
        assert {k: recorded[k] for k in ("HF_HUB_OFFLINE", "HF_ENDPOINT", "MLENTORY_HF_LIMIT",
                                          "MLENTORY_ARXIV_ENDPOINT")} == {k: live_env[k] for k in (
            "HF_HUB_OFFLINE", "HF_ENDPOINT", "MLENTORY_HF_LIMIT", "MLENTORY_ARXIV_ENDPOINT")}
        assert "MLENTORY_ARXIV_DELAY_S" not in recorded  # not a source setting
        project.env.pop("HF_ENDPOINT")
        table, _ = states(project)
        assert set(table.values()) == {"fresh"}, table
        offline = json.loads(project.doit("status", "--format", "json", env={"HF_HUB_OFFLINE": "1"}).stdout)
        harvest = [row for row in offline["assets"] if row["name"] == "hf_raw_models"][0]
        assert harvest["reason"] == f"source changed: live Hub at {hub.url} → snapshot"


def test_a_source_url_with_a_credential_is_not_recorded(toy_project):
    result = toy_project.doit(env={"HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://hubuser:s3cret-pass@127.0.0.1:9"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert read_env_file(toy_project.root) == {"HF_HUB_OFFLINE": "1"}
    assert "HF_ENDPOINT not recorded in .env: it holds a credential" in result.stderr
    assert "s3cret" not in toy_project.path(".env").read_text() + result.stdout + result.stderr


def test_env_file_values_yield_to_the_environment(tmp_path):
    (tmp_path / ".env").write_text('# the project\nexport HF_HUB_OFFLINE=1\nMLENTORY_HF_SNAPSHOT_DIR="snap shots"  # here\n'
                                   "MLENTORY_SHARDS='8'\n")
    settings = load_settings(tmp_path, environ={})
    assert (settings.hf_offline, settings.hf_snapshot_dir, settings.shards) == (True, "snap shots", 8)
    overridden = load_settings(tmp_path, environ={"HF_HUB_OFFLINE": "0", "MLENTORY_SHARDS": "4"})
    assert (overridden.hf_offline, overridden.shards) == (False, 4)


def test_settings_changed_reads_what_config_changed_saved_and_says_what_changed():
    config = {"code": "abc", "config": {"source": "snapshot", "dir": None, "shards": 4}}
    check = settings_changed(config)
    legacy = hashlib.md5(json.dumps(config, sort_keys=True).encode()).hexdigest()
    assert check(None, {"_config_changed": legacy}) is True  # a dependency file written before it
    assert check(None, {"_config_changed": "0" * 32}) is False and check(None, {}) is False
    assert check.describe({"_config_changed": legacy}) is None  # a digest cannot say what changed
    older = settings_changed({"code": "old", "config": {"source": "snapshot", "dir": None, "shards": 8}})
    assert check.describe({settings_changed.KEY: older.text}) == "settings changed: shards 8 → 4; code changed"
    assert describe_config_change({"kind": "falkordb", "path": "data/graph"},
                                  {"kind": "neo4j", "uri": "bolt://db:7687", "database": None}) == \
        "target changed: falkordb at data/graph → neo4j at bolt://db:7687"
