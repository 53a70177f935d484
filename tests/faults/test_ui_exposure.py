"""Issue 12, defect 8: `doit ui --host 0.0.0.0` says where it really listens, warns that the UI has no
login, and answers only Host names of this machine."""

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request

from tests.faults.helpers import closed_port, wait_for


def get(port: int, host_header: str):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/health", headers={"Host": host_header})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except OSError:
        return None, None


def test_ui_on_every_interface_prints_the_real_address_and_warns(toy_project):
    port = closed_port()
    process = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--host", "0.0.0.0", "--port", str(port)],
                               cwd=toy_project.root, env=toy_project.env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: get(port, f"127.0.0.1:{port}")[0] == 200, 60), "the UI never answered"
        assert get(port, f"{socket.gethostname()}:{port}")[0] == 200
        assert get(port, "evil.example")[0] == 400  # a page on another site cannot talk to it (DNS rebinding)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    lines = err.splitlines()
    assert any(f"on http://0.0.0.0:{port} (every interface" in line for line in lines), err
    assert not any(f"on http://127.0.0.1:{port}" in line for line in lines), err
    assert any(line.startswith("warning: the UI has no login") for line in lines), err


def test_allowed_hosts_adds_a_proxy_name(toy_project):
    port = closed_port()
    process = subprocess.Popen([sys.executable, "-m", "doit", "ui", "--host", "0.0.0.0", "--port", str(port),
                                "--allowed-hosts", "pipeline.example.org"], cwd=toy_project.root, env=toy_project.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: get(port, "pipeline.example.org")[0] == 200, 60)
        assert get(port, "evil.example")[0] == 400
    finally:
        process.terminate()
        process.communicate(timeout=30)
