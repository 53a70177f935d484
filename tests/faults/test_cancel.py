"""Issue 12, defect 5: Cancel stops a run, even one that ignores SIGINT, and the history says how."""

import signal
import subprocess
import sys
import time

from starlette.testclient import TestClient

from pipeline.ui.server import create_app
from tests.faults.helpers import running_run, wait_for


def ended(client, run_id, timeout=60):
    return wait_for(lambda: client.get(f"/api/runs/{run_id}").json()["status"] != "running", timeout)


def test_cancel_stops_a_background_run_that_ignores_sigint(toy_project):
    """`doit &` from a script: SIGINT is ignored, and the run shares the script's process group."""
    toy_project.path("SLOW_doubled").write_text("120")
    run = subprocess.Popen([sys.executable, "-m", "doit"], cwd=toy_project.root, env=toy_project.env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        info = wait_for(lambda: running_run(toy_project), 60)
        assert info
        with TestClient(create_app(toy_project.root, toy_project.env, cancel_grace_s=1.0)) as client:
            cancel = client.post(f"/api/runs/{info['run_id']}/cancel", json={})
            assert cancel.status_code == 202, cancel.text
            assert f"SIGINT sent to pid {run.pid}" in cancel.json()["message"]
            assert ended(client, info["run_id"])
            run.wait(30)
            detail = client.get(f"/api/runs/{info['run_id']}").json()
            assert detail["status"] == "interrupted"
            assert {t["name"]: t["status"] for t in detail["tasks"]}["doubled"] == "interrupted"
            events = [e["event"] for e in detail["events"]]
            assert events[0] == f"cancel requested from the UI: SIGINT sent to pid {run.pid}"
            assert any("SIGTERM sent" in e for e in events)
            assert wait_for(lambda: "the run ended after SIGTERM" in
                            [e["event"] for e in client.get(f"/api/runs/{info['run_id']}").json()["events"]], 10)
        assert "SIGTERM" in toy_project.doit("logs", info["run_id"]).stdout  # the CLI shows the same history
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode != 0 and "recorded as interrupted" in run.stderr.read()
    assert toy_project.path("data/numbers.txt").exists() and not toy_project.path("data/total.txt").exists()


def test_cancel_kills_a_ui_run_that_ignores_sigint_and_sigterm(toy_project):
    toy_project.path("IGNORE_doubled").write_text("INT TERM")
    toy_project.path("SLOW_doubled").write_text("120")
    with TestClient(create_app(toy_project.root, toy_project.env, cancel_grace_s=1.0)) as client:
        started = client.post("/api/runs", json={"job": "toy_job"}).json()
        run_id = started["run_id"]
        assert wait_for(lambda: {t["name"]: t["status"] for t in client.get(f"/api/runs/{run_id}").json()["tasks"]}
                        .get("doubled") == "running", 60)
        begun = time.monotonic()
        cancel = client.post(f"/api/runs/{run_id}/cancel", json={})
        assert cancel.status_code == 202 and f"process group {started['pid']}" in cancel.json()["message"]
        assert ended(client, run_id)
        assert time.monotonic() - begun < 15
        detail = client.get(f"/api/runs/{run_id}").json()
        events = [e["event"] for e in detail["events"]]
        assert any("SIGKILL sent to process group" in e for e in events), events
        assert detail["status"] == "interrupted"
        assert {t["name"]: t["status"] for t in detail["tasks"]}["doubled"] == "interrupted"
        assert wait_for(lambda: client.app.state.project.child.poll() is not None, 10)
    assert wait_for(lambda: running_run(toy_project) is None, 10)  # the UI recorded the killed run's end
