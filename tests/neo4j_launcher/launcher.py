"""Start a real Neo4j 5 Community server for the tests, built from Maven Central jars.

`ensure_built()` fetches the jars named in `pom.xml` into `lib/` (once per pom version) and
compiles `Neo4jLauncher.java` into `classes/`; `Neo4jServer` runs it on a free loopback port and
waits for its Bolt connector. Needs Java 17 and Maven (`.ci/run` installs them if missing).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests import jvm_build

HERE = Path(__file__).resolve().parent
LIB, CLASSES = HERE / "lib", HERE / "classes"
START_TIMEOUT_S = 180


def ensure_built() -> None:
    jvm_build.ensure_built(HERE, [HERE / "Neo4jLauncher.java"], "Neo4j")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Neo4jServer:
    def __init__(self, workdir: Path, heap: str = "768m"):
        self.workdir = Path(workdir)
        self.heap = heap  # the tests' graphs are small; benchmarks/graph_load.py asks for more
        self.uri: str | None = None
        self._process: subprocess.Popen | None = None

    def start(self) -> "Neo4jServer":
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        port = _free_port()
        log = (self.workdir / "neo4j.log").open("w")
        self._process = subprocess.Popen(
            ["java", f"-Xmx{self.heap}", "-cp", f"{LIB}/*:{CLASSES}", "Neo4jLauncher", str(self.workdir / "home"), str(port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            line = self._process.stdout.readline()
            if line.startswith("BOLT_READY "):
                self.uri = line.split()[1]
                return self
            if not line and self._process.poll() is not None:
                break
        self.stop()
        tail = (self.workdir / "neo4j.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the test Neo4j did not start within {START_TIMEOUT_S} s; its log ends with:\n{tail}")

    @property
    def pid(self) -> int | None:
        """The server's JVM (benchmarks/run.py samples its memory)."""
        return self._process.pid if self._process is not None else None

    def stop(self) -> None:
        if self._process is None:
            return
        jvm_build.stop_launcher(self._process)
        self._process = None
