"""Shared fixtures: temporary projects driven through real `doit` subprocess runs, and a local Hub."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hub_server import HubSnapshotServer

REPO = Path(__file__).resolve().parents[1]
TOY_DODO = '''from pipeline.doit_tasks import asset_tasks, ensure_state_dir

ensure_state_dir()


def task_assets():
    yield from asset_tasks("toy_assets:REGISTRY")
'''


@dataclass
class Project:
    root: Path
    env: dict

    def doit(self, *args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run `python -m doit ARGS` in the project, as a user would from its root."""
        return subprocess.run([sys.executable, "-m", "doit", *args], cwd=self.root, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)

    def popen(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "doit", *args], cwd=self.root,
                                env={**self.env, **(env or {})}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def path(self, relative: str) -> Path:
        return self.root / relative


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "MLENTORY_", "NEO4J_", "ELASTICSEARCH_"))}
    env.update({"PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
                "NO_COLOR": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}, **extra)
    return env


@pytest.fixture
def hf_project(tmp_path) -> Project:
    """A copy of the real project (dodo.py, pyproject.toml) in a temporary folder, offline, with 4 shards."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("dodo.py", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    return Project(root, _clean_env(HF_HUB_OFFLINE="1", MLENTORY_SHARDS="4"))


@pytest.fixture
def toy_project(tmp_path) -> Project:
    """A project running the three-asset toy registry of tests/toy/toy_assets.py."""
    root = tmp_path / "toy"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "tests" / "toy" / "toy_assets.py", root / "toy_assets.py")
    (root / "dodo.py").write_text(TOY_DODO)
    (root / "input.txt").write_text("1 2 3\n")
    return Project(root, _clean_env())


@pytest.fixture(scope="session")
def bundled_snapshot() -> Path:
    from pipeline.extract.snapshot import BUNDLED_SNAPSHOT
    return BUNDLED_SNAPSHOT


@pytest.fixture
def hub(bundled_snapshot):
    """The bundled snapshot served over local HTTP in the Hub API's shape (small pages to force paging)."""
    with HubSnapshotServer(bundled_snapshot, page_size=25) as server:
        yield server


@pytest.fixture(scope="session")
def neo4j_target():
    """A real Neo4j over Bolt as (uri, user, password): NEO4J_URI when set, else the test launcher."""
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
        return
    from tests.neo4j_launcher.launcher import Neo4jServer, ensure_built
    ensure_built()
    server = Neo4jServer(Path(os.environ.get("TMPDIR", "/tmp")) / f"mlentory-neo4j-{os.getpid()}")
    server.start()
    try:
        yield server.uri, None, None
    finally:
        server.stop()


@pytest.fixture(scope="session", autouse=True)
def no_graph_server_outlives_the_tests(tmp_path_factory):
    """A test that fails midway may leave an embedded graph server running: stop every one at the end."""
    yield
    from pipeline.load.falkordb import SERVER_FILE, stop_server
    for marker in tmp_path_factory.getbasetemp().rglob(SERVER_FILE):
        stop_server(marker.parent)
