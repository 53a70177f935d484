"""The embedded graph server hangs (FalkorDB 4.16 does, about one start in a few hundred) or crashes while
the loaders of a run on two workers use it: the loader that finds it hung stops it and starts it again,
and every loader that had used the lost server loads again from what the new one holds. The run ends
well, with the catalog of a clean build (CI saw a run fail on this once plain `doit` had workers)."""

import json
import os
import signal

import pytest

from tests.faults.helpers import catalog, clean_catalog, processes_in, wait_for


@pytest.mark.parametrize("fault", [signal.SIGSTOP, signal.SIGKILL], ids=["hangs", "crashes"])
def test_a_run_on_workers_survives_its_graph_server_hanging_or_crashing(hf_project, tmp_path, fault):
    hf_project.env["MLENTORY_WORKERS"] = "2"
    run = hf_project.popen()
    server_file = hf_project.path("data/graph/server.json")
    assert wait_for(server_file.exists, 120, 0.005), "the run never started the graph server"
    server = json.loads(server_file.read_text())["pid"]
    os.kill(server, fault)  # (a stopped server stays stopped: whoever finds it hung kills it)
    try:
        out, err = run.communicate(timeout=300)
    finally:
        if fault == signal.SIGSTOP and os.path.exists(f"/proc/{server}"):
            os.kill(server, signal.SIGKILL)
    assert run.returncode == 0, out + err
    assert "23 assets built" in out.splitlines()[-1]
    log = hf_project.path("data/graph/server.log").read_text()
    assert json.loads(hf_project.path("data/graph/receipts-cache.json").read_text())["receipts"]
    if fault == signal.SIGSTOP:
        assert "stopped answering" in log or "stopped answering" in out
    assert wait_for(lambda: processes_in(hf_project.root) == [], 30, 0.2), processes_in(hf_project.root)
    assert catalog(hf_project) == clean_catalog(tmp_path / "clean")
    assert "Nothing to do" in hf_project.doit().stdout
