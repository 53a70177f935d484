"""Start a real Neo4j 5 Community server for the tests, built from Maven Central jars.

`ensure_built()` fetches the jars named in `pom.xml` into `lib/` (once per pom version) and
compiles `Neo4jLauncher.java` into `classes/`; `Neo4jServer` runs it on a free loopback port and
waits for its Bolt connector. Needs Java 17 and Maven (`.ci/run` installs them if missing).
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIB, CLASSES = HERE / "lib", HERE / "classes"
STAMP = LIB / ".pom-sha256"
START_TIMEOUT_S = 180


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_built() -> None:
    for tool in ("java", "javac", "mvn"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed: the Neo4j test server needs Java 17 and Maven")
    pom = _digest(HERE / "pom.xml")
    if not STAMP.exists() or STAMP.read_text() != pom:
        shutil.rmtree(LIB, ignore_errors=True)
        subprocess.run(["mvn", "-q", "-B", "dependency:copy-dependencies", f"-DoutputDirectory={LIB}"],
                       cwd=HERE, check=True)
        STAMP.write_text(pom)
    source = HERE / "Neo4jLauncher.java"
    stamp = CLASSES / ".source-sha256"
    if not stamp.exists() or stamp.read_text() != _digest(source) + pom:
        CLASSES.mkdir(exist_ok=True)
        subprocess.run(["javac", "-d", str(CLASSES), "-cp", f"{LIB}/*", str(source)], check=True)
        stamp.write_text(_digest(source) + pom)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Neo4jServer:
    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.uri: str | None = None
        self._process: subprocess.Popen | None = None

    def start(self) -> "Neo4jServer":
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        port = _free_port()
        log = (self.workdir / "neo4j.log").open("w")
        self._process = subprocess.Popen(
            ["java", "-Xmx768m", "-cp", f"{LIB}/*:{CLASSES}", "Neo4jLauncher", str(self.workdir / "home"), str(port)],
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

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.stdin.close()  # the launcher exits when its stdin closes
            try:
                self._process.wait(60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
