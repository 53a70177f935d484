"""Shared fixtures: temporary projects driven through real `doit` subprocess runs, and a local Hub."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
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


def as_from_a_terminal() -> None:
    """`preexec_fn` of the doit processes tests start: SIGINT at its default, as a terminal's foreground
    command has it. A test runner started in the background of a script ignores SIGINT, its children
    inherit that, and a Ctrl-C test then waits on a run that rightly ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Project:
    root: Path
    env: dict

    def doit(self, *args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run `python -m doit ARGS` in the project, as a user would from its root."""
        return subprocess.run([sys.executable, "-m", "doit", *args], cwd=self.root, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout, preexec_fn=as_from_a_terminal)

    def popen(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "doit", *args], cwd=self.root,
                                env={**self.env, **(env or {})}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=as_from_a_terminal)

    def run_here(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        """Run a doit command in this process, as doit's own tests run theirs: the project's dodo.py and
        pyproject.toml, its environment and command line, what the command printed captured."""
        import contextlib
        import io

        from doit.doit_cmd import DoitMain

        saved = (dict(os.environ), list(sys.path), sys.argv, os.getcwd())
        out, err = io.StringIO(), io.StringIO()
        os.environ.clear()
        os.environ.update({**self.env, **(env or {})})
        sys.argv = ["doit", *args]
        os.chdir(self.root)
        local = {"dodo", "toy_assets"}  # the project's own modules: each project imports its own
        try:
            for name in local:
                sys.modules.pop(name, None)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = DoitMain().run(list(args))
        finally:
            for name in local:
                sys.modules.pop(name, None)
            os.environ.clear()
            os.environ.update(saved[0])
            sys.path[:], sys.argv = saved[1], saved[2]
            os.chdir(saved[3])
        return subprocess.CompletedProcess(["doit", *args], code, out.getvalue(), err.getvalue())

    def path(self, relative: str) -> Path:
        return self.root / relative

    def metadata(self, task: str) -> dict:
        """The metadata of the task's latest successful materialization, from the run history."""
        from pipeline.paths import Paths
        from pipeline.runs.history import History
        history = History(Paths(self.root).run_history)
        try:
            return history.latest()[task]["success"].metadata
        finally:
            history.close()


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "MLENTORY_", "NEO4J_", "ELASTICSEARCH_"))}
    env.update({"PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
                "NO_COLOR": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}, **extra)
    return env


def new_hf_project(parent: Path) -> Project:
    """A copy of the real project (dodo.py, pyproject.toml) in a new folder, offline, with 4 shards."""
    root = parent / "project"
    root.mkdir()
    for name in ("dodo.py", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    return Project(root, _clean_env(HF_HUB_OFFLINE="1", MLENTORY_SHARDS="4"))


@pytest.fixture
def hf_project(tmp_path) -> Project:
    return new_hf_project(tmp_path)


@pytest.fixture(scope="session")
def built_hf_project(tmp_path_factory) -> Project:
    """The bundled snapshot built once for the session (4 shards), for tests that only read what it holds."""
    project = new_hf_project(tmp_path_factory.mktemp("built"))
    result = project.doit()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return project


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


# every index a test session creates starts with this (see es_alias), so sessions sharing a server keep apart
ES_TEST_PREFIX = f"mlentory-test-{uuid.uuid4().hex[:8]}-"


@pytest.fixture(scope="session")
def elasticsearch_env():
    """A real Elasticsearch, as the environment variables that select it: ELASTICSEARCH_URL (and its
    credentials) when set, else the test launcher's node (tests/es_launcher/)."""
    if os.environ.get("ELASTICSEARCH_URL"):
        env = {k: v for k, v in os.environ.items() if k.startswith("ELASTICSEARCH_")}
        yield env
        _no_test_index_left(env)
        return
    from tests.es_launcher.launcher import EsServer, ensure_built
    ensure_built()
    server = EsServer(Path(os.environ.get("TMPDIR", "/tmp")) / f"mlentory-es-{os.getpid()}")
    server.start()
    try:
        yield {"ELASTICSEARCH_URL": server.url}
        _no_test_index_left({"ELASTICSEARCH_URL": server.url})
    finally:
        server.stop()


def es_client(env: dict):
    """An Elasticsearch client for the server `env` selects, with the project's own credential handling."""
    from pipeline.config import load_settings
    from pipeline.load.elasticsearch import ElasticsearchIndex
    return ElasticsearchIndex(load_settings(REPO, environ=env)).open()._es


def delete_test_indices(env: dict, prefix: str) -> list[str]:
    """Delete every index whose name starts with `prefix` (by name: wildcard deletes are refused by default)."""
    client = es_client(env)
    try:
        names = sorted(client.indices.get(index=f"{prefix}*", expand_wildcards="all"))
        for name in names:
            client.indices.delete(index=name)
        return names
    finally:
        client.close()


def _no_test_index_left(env: dict) -> None:
    left = delete_test_indices(env, ES_TEST_PREFIX)
    if left:
        raise AssertionError(f"tests left Elasticsearch indices behind (now deleted): {', '.join(left)}")


@pytest.fixture
def es_alias(elasticsearch_env):
    """A search alias of this test's own (also the prefix of the indices named after it); every index
    it prefixes is deleted when the test ends."""
    alias = f"{ES_TEST_PREFIX}{uuid.uuid4().hex[:8]}"
    yield alias
    delete_test_indices(elasticsearch_env, f"{alias}-")


@pytest.fixture(scope="session", autouse=True)
def no_graph_server_outlives_the_tests(tmp_path_factory):
    """A test that fails midway may leave an embedded graph server running: stop every one at the end."""
    yield
    from pipeline.load.falkordb import SERVER_FILE, stop_server
    for marker in tmp_path_factory.getbasetemp().rglob(SERVER_FILE):
        stop_server(marker.parent)
