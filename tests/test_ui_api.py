"""The web UI's JSON API (pipeline/ui/server.py) on the toy project, with real `doit` subprocess runs."""

import json
import signal
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
        assert sorted(a.status_code for a in answers) == [202, 409], [a.json() for a in answers]
        started = next(a for a in answers if a.status_code == 202).json()
        refused = next(a for a in answers if a.status_code == 409).json()
        assert started["run_id"] and "a run is in progress" in refused["error"]
        assert client.post(f"/api/runs/{started['run_id']}/cancel", json={}).status_code == 202
        assert wait_run_end(client, started["run_id"], 60)["status"] == "interrupted"


@pytest.fixture
def sharded(tmp_path):
    """The sharded toy project (numbers -> doubled -> squared -> total) with 2 shards, not built yet."""
    from tests.conftest import REPO, TOY_DODO, Project, _clean_env
    root = tmp_path / "sharded"
    root.mkdir()
    (root / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text())
    (root / "toy_assets.py").write_text((REPO / "tests" / "toy" / "toy_sharded_assets.py").read_text())
    (root / "dodo.py").write_text(TOY_DODO)
    (root / "input.txt").write_text("1 2 3 4 5\n")
    return Project(root, _clean_env(MLENTORY_SHARDS="2"))


def latest_run(client):
    return client.get("/api/runs", params={"limit": 1}).json()["runs"][0]["id"]


def test_run_page_is_one_row_per_asset(sharded):
    assert sharded.doit().returncode == 0
    with TestClient(create_app(sharded.root, sharded.env)) as client:
        run_id = latest_run(client)
        run = client.get(f"/api/runs/{run_id}", params={"tasks": "0"}).json()
        assert "tasks" not in run and run["counts"] == {"success": 6}
        assert [g["asset"] for g in run["assets"]] == ["numbers", "doubled", "squared", "total"]
        doubled = run["assets"][1]
        assert doubled["status"] == "success" and doubled["counts"] == {"success": 2} and doubled["shards"] == 2
        assert doubled["metadata"]["rows"] == 5 and doubled["task_seconds"] > 0
        assert doubled["slowest"]["name"] in ("doubled:000", "doubled:001")
        assert run["asset_counts"] == {"assets": 4, "success": 4} and run["ran_assets"] == ["numbers", "doubled",
                                                                                         "squared", "total"]
        listed = client.get("/api/runs", params={"tasks": "0"}).json()["runs"][0]
        assert "ran" not in listed and listed["asset_counts"] == {"assets": 4, "success": 4}
        assert len(client.get(f"/api/runs/{run_id}").json()["tasks"]) == 6  # the full form is still there

        # only `total`, its inputs already built: one materialized asset, and a run of it is nothing else
        sharded.path("data/total.txt").unlink()
        assert sharded.doit("-s", "total").returncode == 0
        only = client.get(f"/api/runs/{latest_run(client)}", params={"tasks": "0"}).json()
        assert [(g["asset"], g["status"]) for g in only["assets"]] == [("total", "success")]
        assert only["asset_counts"] == {"assets": 1, "success": 1}

        # one shard fails: its asset is failed, the failure's last line is on the row
        sharded.path("FAIL_doubled_001").write_text("shard one is broken")
        sharded.path("input.txt").write_text("1 2 3 4 5 7\n")
        assert sharded.doit().returncode != 0
        failed_run = latest_run(client)
        failed = {g["asset"]: g for g in client.get(f"/api/runs/{failed_run}", params={"tasks": "0"}).json()["assets"]}
        assert failed["doubled"]["status"] == "failed" and failed["doubled"]["failed_count"] == 1
        assert failed["doubled"]["failed"][0]["name"] == "doubled:001"
        assert failed["doubled"]["failed"][0]["error"] == "RuntimeError: shard one is broken"
        shards = client.get(f"/api/runs/{failed_run}/assets/doubled").json()
        assert [(t["name"], t["part"]) for t in shards["tasks"]] == [("doubled:000", "000"), ("doubled:001", "001")]
        assert "stdout" not in shards["tasks"][0] and shards["status"] == "failed"
        one = client.get(f"/api/runs/{failed_run}/tasks/doubled:001").json()
        assert one["status"] == "failed" and "Traceback" in one["error"] and "stdout" in one
        assert client.get(f"/api/runs/{failed_run}/tasks/nope").status_code == 404
        assert client.get(f"/api/runs/{failed_run}/assets/nope").status_code == 404
        assert client.get("/api/runs/nope/assets/doubled").status_code == 404


def test_asset_plots_and_last_run(sharded):
    assert sharded.doit().returncode == 0
    sharded.path("input.txt").write_text("1 2 3 4 5 7\n")  # only odd numbers change: shard 1
    assert sharded.doit().returncode == 0
    with TestClient(create_app(sharded.root, sharded.env)) as client:
        plotted = client.get("/api/assets/doubled/materializations").json()
        points = plotted["points"]
        assert len(points) == 2 and points[1]["tasks"] == 1  # the second run rebuilt one shard...
        assert [p["metrics"]["rows"] for p in points] == [5, 6]  # ...and the asset holds 6 rows after it
        assert all(p["task_seconds"] > 0 for p in points) and points[0]["at"] < points[1]["at"]
        assert plotted["keys"][0] == "rows"
        assert client.get("/api/assets/nope/materializations").status_code == 404
        rows = {a["name"]: a for a in client.get("/api/assets").json()["assets"]}
        assert rows["doubled"]["last_run"]["run_id"] == points[1]["run_id"]
        assert rows["doubled"]["last_run"]["status"] == "success"


def test_cancelling_shows_in_the_active_run_at_once(client):
    client.project.path("IGNORE_doubled").write_text("INT")  # only SIGTERM, after the grace period, ends it
    client.project.path("SLOW_doubled").write_text("60")
    client.app.state.project.cancel_grace_s = 3.0
    run_id = start(client, asset="total").json()["run_id"]
    assert wait_for(lambda: states(client)["doubled"] == "running", 60)
    before = client.get("/api/assets").json()["active"]
    assert before["run_id"] == run_id and before["cancelling"] is False
    assert client.post(f"/api/runs/{run_id}/cancel", json={}).status_code == 202
    during = client.get("/api/assets").json()["active"]
    assert during["run_id"] == run_id and during["cancelling"] is True
    assert client.get(f"/api/runs/{run_id}", params={"tasks": "0"}).json()["cancelling"] is True
    assert wait_run_end(client, run_id, 60)["status"] == "interrupted"
    assert wait_for(lambda: client.get("/api/assets").json()["active"] is None, 15)


class EventReader:
    """Reads a server-sent event stream in a thread: (event, data) pairs as they arrive."""

    def __init__(self, url):
        import threading
        self.events = []
        self.response = urllib.request.urlopen(url, timeout=120)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        name = None
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    self.events.append((name, json.loads(line[6:])))
                    name = None
        except (OSError, ValueError):
            pass

    def named(self, name):
        return [data for event, data in self.events if event == name]


def test_event_stream_pushes_changes_and_nothing_while_idle(toy_project):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--port", str(port)], cwd=toy_project.root,
                               env=toy_project.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def health():
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=10) as response:
                return json.load(response)
        except OSError:
            return None

    try:
        assert wait_for(health, 60), process.stderr.read() if process.poll() is not None else "no answer"
        stream = EventReader(base + "/api/events")
        assert wait_for(lambda: stream.named("active"), 60)
        assert [e for e, _ in stream.events[:3]] == ["hello", "assets", "active"]
        assert {a["name"]: a["state"] for a in stream.named("assets")[0]["assets"]} == {
            "numbers": "never", "doubled": "never", "total": "never"}
        assert stream.named("active") == [None]
        live = health()["live"]
        assert live["streams"] == 1 and live["kernel"] is True
        # the first `doit status` of a new project makes data/ (one more look); then it is idle
        def settled():
            before = health()["live"]["status_runs"]
            time.sleep(1.5)
            return health()["live"]["status_runs"] == before
        assert wait_for(settled, 20)
        looked = health()["live"]["status_runs"]
        assert looked <= 2
        time.sleep(3)  # idle: nothing sent, nothing recomputed (the page polls nothing either)
        assert len(stream.events) == 3 and health()["live"]["status_runs"] == looked

        assert toy_project.doit("total").returncode == 0  # a CLI run: the history and outputs change
        assert wait_for(lambda: stream.named("runs"), 30)
        fresh = lambda: stream.named("assets") and all(  # noqa: E731
            a["state"] == "fresh" for a in stream.named("assets")[-1]["assets"])
        assert wait_for(fresh, 30)
        pushed = len(stream.named("assets"))
        time.sleep(2)
        assert len(stream.named("assets")) == pushed  # pushed once per change, not again and again

        toy_project.path("input.txt").write_text("7 8\n")  # an input: the states change, no run involved
        # asked at once (before the watcher's own recompute is done), the server does not answer
        # with the states it had cached before the change
        with urllib.request.urlopen(base + "/api/assets", timeout=60) as response:
            assert {a["name"]: a["state"] for a in json.load(response)["assets"]}["total"] == "stale"
        assert wait_for(lambda: {a["name"]: a["state"] for a in stream.named("assets")[-1]["assets"]}["total"]
                        == "stale", 30)

        toy_project.path("SLOW_numbers").write_text("2")
        cli = toy_project.popen("numbers")
        assert wait_for(lambda: any(stream.named("active")), 30)  # the banner's run, as it starts
        cli.communicate(timeout=60)
        assert wait_for(lambda: stream.named("active")[-1] is None, 15)  # and as soon as it has ended
    finally:
        begun = time.monotonic()
        process.send_signal(signal.SIGINT)  # with the stream still open: it must not keep the server up
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise AssertionError("doit ui did not stop on SIGINT with an event stream open")
    assert time.monotonic() - begun < 10


def test_event_stream_says_when_states_cannot_be_read_and_recovers(toy_project):
    dodo = toy_project.path("dodo.py")
    good = dodo.read_text()
    dodo.write_text(good + "\nraise RuntimeError('dodo.py is broken here')\n")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--port", str(port)], cwd=toy_project.root,
                               env=toy_project.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        def up():
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=10):
                    return True
            except OSError:
                return False
        assert wait_for(up, 60)
        stream = EventReader(base + "/api/events")
        assert wait_for(lambda: stream.named("error"), 60)
        assert "dodo.py is broken here" in stream.named("error")[0]["error"]
        assert not stream.named("assets")
        dodo.write_text(good)  # fixed: the code changed, the states are read and pushed
        assert wait_for(lambda: stream.named("assets"), 60)
        assert [a["name"] for a in stream.named("assets")[-1]["assets"]] == ["numbers", "doubled", "total"]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_stopping_a_run_that_just_ended_is_not_an_error():
    """The UI's shutdown and Cancel look at the run, then signal its process group: it may end in between."""
    import signal
    import subprocess
    import sys

    from pipeline.runs import stop

    ended = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    ended.wait()
    assert stop.send(ended.pid, signal.SIGINT, True) == f"SIGINT not sent: process group {ended.pid} had already ended"
