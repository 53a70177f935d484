"""Helpers of the fault-injection suite: live projects against the local Hub, searching trees for canaries."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path


def go_live(project, hub, **extra) -> None:
    """Make the project harvest (and fetch arXiv answers) from the local `hub` instead of the snapshot."""
    env = {k: v for k, v in project.env.items() if k != "HF_HUB_OFFLINE"}
    env.update({"HF_ENDPOINT": hub.url, "MLENTORY_HF_LIMIT": "0", "MLENTORY_ARXIV_ENDPOINT": hub.arxiv_endpoint,
                "MLENTORY_ARXIV_DELAY_S": "0", "MLENTORY_OPENML_OFFLINE": "1", "MLENTORY_BIOIMAGEIO_OFFLINE": "1",
                **extra})
    project.env = env


def files_containing(root: Path, needle: str) -> list[str]:
    """Every file under `root` whose bytes contain `needle` (SQLite files and their -wal included)."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            try:
                if needle.encode() in path.read_bytes():
                    found.append(str(path.relative_to(root)))
            except OSError:
                continue
    return found


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 30, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def processes_in(root: Path) -> list[tuple[int, str]]:
    """(pid, command) of every live process whose working directory is inside `root` (the embedded
    graph server and its watchdog run in data/graph; the server renames its own command line)."""
    root = str(Path(root).resolve())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if state != "Z" and (cwd == root or cwd.startswith(root + os.sep)):
            found.append((int(entry.name), command))
    return found


def running_run(project):
    """The run the project's history says is in progress (id, pid), once it has started."""
    import sqlite3
    path = project.path("data/runs.sqlite3")
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path, timeout=30) as db:
            row = db.execute("SELECT id, pid FROM runs WHERE status = 'running' ORDER BY started DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # the run has not created its tables yet
        return None
    return {"run_id": row[0], "pid": row[1]} if row else None


GRAPH_COUNTS = ["MATCH (n) RETURN labels(n)[0] AS label, count(n) ORDER BY label",
                "MATCH ()-[r]->() RETURN type(r) AS type, count(r) ORDER BY type",
                "MATCH (m:MLModel) WHERE m.shard IS NOT NULL RETURN count(m), count(DISTINCT m.id)"]


def catalog(project) -> dict:
    """What a build left in the graph and the search index, as counts and ids."""
    out = {}
    for query in GRAPH_COUNTS:
        result = project.doit("graph", query)
        assert result.returncode == 0, result.stderr
        out[query] = result.stdout
    hits = project.doit("search", "-n", "100000", "*")
    assert hits.returncode == 0, hits.stderr
    out["search ids"] = sorted(line.split()[1] for line in hits.stdout.splitlines() if line.split()[0].isdigit())
    return out


def clean_catalog(parent: Path) -> dict:
    """`catalog` of a clean build of the bundled snapshot (4 shards) in a new project under `parent`."""
    from tests.conftest import new_hf_project

    parent.mkdir(parents=True, exist_ok=True)
    clean = new_hf_project(parent)
    build = clean.doit()
    assert build.returncode == 0, build.stdout + build.stderr
    expected = catalog(clean)
    assert expected["search ids"] and "MLModel" in expected[GRAPH_COUNTS[0]]
    return expected
