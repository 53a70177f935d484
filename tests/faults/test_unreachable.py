"""Issue 12, defect 7: an unreachable Hub fails in seconds with one line; retries are for 429/5xx and timeouts."""

import socket
import threading
import time

import pytest

from tests.faults.helpers import closed_port, go_live
from tests.hub_server import HubSnapshotServer


def test_refused_connection_fails_at_once_with_one_line(hf_project, bundled_snapshot):
    with HubSnapshotServer(bundled_snapshot) as hub:
        go_live(hf_project, hub, HF_ENDPOINT=f"http://127.0.0.1:{closed_port()}")
    started = time.monotonic()
    result = hf_project.doit("hf_raw_models")
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    console = (result.stdout + result.stderr).splitlines()
    failures = [line for line in console if "cannot reach the Hugging Face Hub" in line]
    assert len(failures) == 1 and "Connection refused" in failures[0] and "HF_HUB_OFFLINE=1" in failures[0]
    assert not [line for line in console if "retry" in line.lower()]
    assert elapsed < 8, f"took {elapsed:.1f} s"


@pytest.fixture
def http():
    from pipeline.extract import http
    return http


@pytest.fixture
def no_sleep(monkeypatch, http):
    slept = []
    monkeypatch.setattr(http.time, "sleep", slept.append)
    return slept


def test_server_errors_are_retried_with_backoff_and_one_line_each(bundled_snapshot, http, no_sleep, capsys):
    with HubSnapshotServer(bundled_snapshot) as hub:
        hub.fail_next(503, times=2, path_prefix="/api/models")
        response = http.request("GET", f"{hub.url}/api/models", timeout=5)
    assert response.status_code == 200 and len(hub.paths("/api/models")) == 3
    assert no_sleep == [0.0, 0.0]  # the server's Retry-After: 0 is honoured
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"GET {hub.url}/api/models: HTTP 503; retry 1 of 5 in 0 s",
                     f"GET {hub.url}/api/models: HTTP 503; retry 2 of 5 in 0 s"]


def test_timeouts_are_retried(http, no_sleep):
    accepted = []
    with socket.socket() as server:  # accepts connections and never answers
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        port = server.getsockname()[1]

        def accept():
            while True:
                try:
                    accepted.append(server.accept()[0])
                except OSError:
                    return
        threading.Thread(target=accept, daemon=True).start()
        with pytest.raises(http.httpx.TimeoutException):
            http.request("GET", f"http://127.0.0.1:{port}/api/models", timeout=0.2)
    assert len(accepted) == http.MAX_RETRIES + 1
    assert no_sleep == [1.0, 2.0, 4.0, 8.0, 8.0]
    for connection in accepted:
        connection.close()


def test_refused_connection_is_not_retried(http, no_sleep):
    with pytest.raises(http.httpx.ConnectError):
        http.request("GET", f"http://127.0.0.1:{closed_port()}/api/models", timeout=5)
    assert no_sleep == []
