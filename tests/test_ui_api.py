"""The web UI's JSON API (pipeline/ui/server.py) on the toy project, with real `doit` subprocess runs."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from starlette.testclient import TestClient

from pipeline.ui import server
from pipeline.ui.server import create_app
from tests.test_history import wait_for


@pytest.fixture
def client(toy_project):
    with TestClient(create_app(toy_project.root, toy_project.env)) as client:
        client.project = toy_project
        yield client
    # the lifespan's end interrupted any run the app started: nothing of it is left
    child = client.app.state.project.child
    assert child is None or child.poll() is not None


def states(client):
    client.app.state.project.forget_status()
    response = client.get("/api/assets")
    assert response.status_code == 200, response.text
    return {a["name"]: a["state"] for a in response.json()["assets"]}


def wait_run_end(client, run_id, timeout=120):
    assert wait_for(lambda: client.get(f"/api/runs/{run_id}").json()["status"] != "running", timeout)
    return client.get(f"/api/runs/{run_id}").json()


def start(client, **body):
    return client.post("/api/runs", json=body)


def test_status_json_has_rows_shards_and_jobs(toy_project):
    result = toy_project.doit("status", "--format", "json")
    document = json.loads(result.stdout)
    assert [a["name"] for a in document["assets"]] == ["numbers", "doubled", "total"]
    expected = {"state": "never", "upstream": ["numbers"], "files": ["data/doubled.txt"],
                "description": "Every number doubled", "shards": None}
    assert {k: document["assets"][1][k] for k in expected} == expected
    assert document["jobs"] == [{"name": "toy_job", "assets": ["numbers", "doubled", "total"],
                                 "counts": {"never": 3}, "description": "All toy assets"}]
    assert "ASSET" in toy_project.doit("status").stdout  # the table stays the default


def test_list_assets_with_states_edges_and_jobs(client):
    response = client.get("/api/assets")
    data = response.json()
    assert {a["name"]: a["state"] for a in data["assets"]} == {"numbers": "never", "doubled": "never", "total": "never"}
    assert data["edges"] == [["numbers", "doubled"], ["doubled", "total"]]
    assert data["jobs"][0]["name"] == "toy_job" and data["active"] is None
    assert client.get("/").status_code == 200 and "cytoscape.min.js" in client.get("/").text


def test_start_a_run_materialize_and_materialize_plus(client):
    only = start(client, asset="doubled", mode="only")
    assert only.status_code == 202 and only.json()["args"] == ["-s", "doubled"]
    run = wait_run_end(client, only.json()["run_id"])
    assert run["status"] == "failed"  # its input was never built: the one-line failure, recorded
    console = client.project.path(only.json()["console"]).read_text()
    assert "FAILED" in console and "numbers" in console  # doit's console output, kept beside the history
    plus = start(client, asset="total", mode="upstream")
    assert plus.status_code == 202 and plus.json()["command"] == "doit total"
    run = wait_run_end(client, plus.json()["run_id"])
    assert run["status"] == "success" and run["ran"] == ["numbers", "doubled", "total"]
    assert states(client) == {"numbers": "fresh", "doubled": "fresh", "total": "fresh"}
    # the same history as the CLI
    assert plus.json()["run_id"] in client.project.doit("runs").stdout
    job = start(client, job="toy_job")
    assert job.status_code == 202 and wait_run_end(client, job.json()["run_id"])["status"] == "success"


def test_bad_run_requests(client):
    assert start(client, asset="nope").status_code == 404
    assert start(client, job="nope").status_code == 404
    assert start(client, asset="total", mode="sideways").status_code == 400
    assert start(client).status_code == 400
    form = client.post("/api/runs", data={"asset": "total"})
    assert form.status_code == 415 and "application/json" in form.json()["error"]
    assert client.get("/api/assets", headers={"host": "evil.example"}).status_code == 400


def test_run_lock_and_cancel(client):
    client.project.path("SLOW_doubled").write_text("60")
    first = start(client, asset="total")
    assert first.status_code == 202
    run_id = first.json()["run_id"]
    assert wait_for(lambda: states(client)["doubled"] == "running")
    second = start(client, asset="numbers", mode="only")
    assert second.status_code == 409 and "a run is in progress" in second.json()["error"]
    active = client.get("/api/assets").json()["active"]
    assert active["pid"] == first.json()["pid"] and active["run_id"] == run_id
    cancel = client.post(f"/api/runs/{run_id}/cancel", json={})
    assert cancel.status_code == 202 and cancel.json()["cancelled"]
    run = wait_run_end(client, run_id, timeout=60)
    assert run["status"] == "interrupted"
    assert {t["name"]: t["status"] for t in run["tasks"]}["doubled"] == "interrupted"
    assert client.post(f"/api/runs/{run_id}/cancel", json={}).status_code == 409  # already ended
    assert client.post("/api/runs/nope/cancel", json={}).status_code == 404
    client.project.path("SLOW_doubled").unlink()
    assert states(client)["doubled"] == "failed"
    again = start(client, asset="total")  # the lock is free again
    assert again.status_code == 202 and wait_run_end(client, again.json()["run_id"])["status"] == "success"


def test_lock_sees_a_cli_run(client):
    client.project.path("SLOW_numbers").write_text("60")
    process = client.project.popen()
    try:
        assert wait_for(lambda: client.get("/api/runs").json()["active"] is not None)
        refused = start(client, asset="total")
        assert refused.status_code == 409 and "a run is in progress" in refused.json()["error"]
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_runs_run_detail_logs_and_asset_detail(client):
    client.project.path("FAIL_total").write_text("broken sum")
    run_id = start(client, asset="total").json()["run_id"]
    run = wait_run_end(client, run_id)
    assert run["status"] == "failed" and run["failed"] == ["total"]
    numbers = next(t for t in run["tasks"] if t["name"] == "numbers")
    assert numbers["status"] == "success" and "read 3 numbers" in numbers["stdout"] and numbers["metadata"]["rows"] == 3
    listed = client.get("/api/runs").json()["runs"]
    assert listed[0]["id"] == run_id and listed[0]["duration"] > 0 and listed[0]["counts"]["failed"] == 1
    logs = client.get(f"/api/runs/{run_id}/logs", params={"asset": "total"})
    assert logs.status_code == 200 and "RuntimeError: broken sum" in logs.text and "Traceback" in logs.text
    assert client.get(f"/api/runs/{run_id}/logs", params={"asset": "nope"}).status_code == 404
    assert client.get("/api/runs/nope").status_code == 404
    detail = client.get("/api/assets/total").json()
    assert detail["state"] == "failed" and detail["description"] == "Sum of the doubled numbers"
    assert detail["files"] == ["data/total.txt"] and detail["upstream"] == ["doubled"] and detail["jobs"] == ["toy_job"]
    assert detail["recent_runs"][0]["run"]["id"] == run_id and "broken sum" in detail["recent_runs"][0]["logs"][0]["error"]
    assert client.get("/api/assets/doubled").json()["downstream"] == ["total"]
    assert client.get("/api/assets/nope").status_code == 404


def test_sharded_asset_rows_and_detail(tmp_path):
    from tests.conftest import REPO, TOY_DODO, Project, _clean_env
    root = tmp_path / "sharded"
    root.mkdir()
    (root / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text())
    (root / "toy_assets.py").write_text((REPO / "tests" / "toy" / "toy_sharded_assets.py").read_text())
    (root / "dodo.py").write_text(TOY_DODO)
    (root / "input.txt").write_text("1 2 3 4 5\n")
    project = Project(root, _clean_env(MLENTORY_SHARDS="2"))
    assert project.doit().returncode == 0
    with TestClient(create_app(root, project.env)) as client:
        rows = client.get("/api/assets").json()["assets"]
        assert all(":" not in a["name"] for a in rows)
        doubled = next(a for a in rows if a["name"] == "doubled")
        assert doubled["shards"] == 2 and doubled["state"] == "fresh"
        detail = client.get("/api/assets/doubled").json()
        assert [s["shard"] for s in detail["shard_rows"]] == ["0", "1"] or len(detail["shard_rows"]) == 2
        assert len(detail["files"]) == 2 and detail["recent_runs"][0]["tasks"] == 2


def test_schedules_list_and_toggle(client):
    bad = client.get("/api/schedules")  # the copied pyproject.toml schedules a job the toy project lacks
    assert bad.status_code == 500 and "unknown job 'hf_etl_job'" in bad.json()["error"]
    pyproject = client.project.path("pyproject.toml")
    text = pyproject.read_text().replace('job = "hf_etl_job"', 'job = "toy_job"')
    pyproject.write_text(text)
    client.app.state.project.forget_status()
    [schedule] = client.get("/api/schedules").json()["schedules"]
    assert schedule["name"] == "nightly_hf_etl" and schedule["enabled"] and schedule["next"].endswith("02:00:00+00:00")
    assert client.get("/api/schedules").json()["daemon"] == {"last_tick": None, "running": False}
    assert client.project.doit("schedule", "--once").returncode == 0  # one tick of the daemon
    assert client.get("/api/schedules").json()["daemon"]["running"] is True
    off = client.post("/api/schedules/nightly_hf_etl", json={"enabled": False})
    assert off.status_code == 200 and client.get("/api/schedules").json()["schedules"][0]["enabled"] is False
    assert "disabled" in client.project.doit("schedule", "--list").stdout  # the same book as the CLI
    assert client.post("/api/schedules/nope", json={"enabled": True}).status_code == 404
    assert client.post("/api/schedules/nightly_hf_etl", json={"enabled": "yes"}).status_code == 400


def test_missing_graph_library_is_reported(client, monkeypatch, tmp_path):
    monkeypatch.setattr(server, "STATIC_DIR", tmp_path)
    health = client.get("/api/health").json()
    assert health["missing"] == ["cytoscape.min.js", "uPlot.iife.min.js", "uPlot.min.css"]
    assert "npm ci" in health["message"]
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "cytoscape.min.js").write_text("/* the graph library */")
    assert client.get("/api/health").json()["missing"] == ["uPlot.iife.min.js", "uPlot.min.css"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_doit_ui_command_serves_on_loopback(toy_project):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--port", str(port)], cwd=toy_project.root,
                               env=toy_project.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        def up():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/assets", timeout=10) as response:
                    return json.load(response)
            except OSError:
                return None
        assert wait_for(up, 60), process.stderr.read() if process.poll() is not None else "no answer"
        assert [a["state"] for a in up()["assets"]] == ["never", "never", "never"]
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    assert f"on http://127.0.0.1:{port}" in err


def test_two_servers_racing_start_one_run(client):
    from concurrent.futures import ThreadPoolExecutor
    client.project.path("SLOW_numbers").write_text("60")
    with TestClient(create_app(client.project.root, client.project.env)) as other:
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda c: start(c, asset="numbers", mode="only"), [client, other]))
        assert sorted(a.status_code for a in answers) == [202, 409]
        started = next(a for a in answers if a.status_code == 202).json()
        refused = next(a for a in answers if a.status_code == 409).json()
        assert started["run_id"] and "a run is in progress" in refused["error"]
        assert client.post(f"/api/runs/{started['run_id']}/cancel", json={}).status_code == 202
        assert wait_run_end(client, started["run_id"], 60)["status"] == "interrupted"
