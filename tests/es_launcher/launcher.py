"""Start a real single-node Elasticsearch 8 for the tests, built from Maven Central jars.

`ensure_built()` fetches the jars named in `pom.xml` (the server and its transport-netty4 HTTP module)
into `lib/` (once per pom version) and compiles `java/` into `classes/`; `EsServer` runs `EsLauncher` on
a free loopback port and waits until its HTTP port answers. Needs Java 17 and Maven (`.ci/run` installs
them if missing).

Elastic publishes only the server and a few modules to Maven Central, so the node has two small stand-ins
of ours (`java/RootInfoPlugin.java`: `GET /`; `java/EnglishAnalyzerPlugin.java`: the `english` analyzer)
and lacks the rest of a distribution's modules: no scripts (painless), no `_reindex`,
`_update_by_query` or `_delete_by_query`, no mapper-extras field types, no ingest pipelines, no other
language analyzers, and no x-pack (so no security: credentials are not checked).
"""

from __future__ import annotations

import selectors
import shutil
import subprocess
import time
from pathlib import Path

from tests import jvm_build

HERE = Path(__file__).resolve().parent
LIB, CLASSES, SOURCES = HERE / "lib", HERE / "classes", HERE / "java"
START_TIMEOUT_S = 180
HEAP = "512m"


def ensure_built() -> None:
    jvm_build.ensure_built(HERE, sorted(SOURCES.rglob("*.java")), "Elasticsearch")


class EsServer:
    def __init__(self, workdir: Path, port: int | str = 0):
        self.workdir = Path(workdir)
        self.port = port  # 0: any free port
        self.url: str | None = None
        self._process: subprocess.Popen | None = None

    def start(self) -> "EsServer":
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        log_path = self.workdir / "node.log"
        with log_path.open("w") as log:
            self._process = subprocess.Popen(
                ["java", f"-Xms{HEAP}", f"-Xmx{HEAP}", "-cp", f"{LIB}/*:{CLASSES}", "EsLauncher",
                 str(self.workdir / "home"), str(self.port)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        status = self._status_line(time.monotonic() + START_TIMEOUT_S)
        if status.startswith("HTTP_READY "):
            self.url = status.split()[1]
            return self
        code = self._process.poll()
        self.stop(remove=False)
        if status.startswith("FAILED "):
            reason = status[len("FAILED "):]
        elif code is not None:
            reason = f"it exited with code {code}; {self._last_log_line(log_path)}"
        else:
            reason = f"no answer within {START_TIMEOUT_S} s; {self._last_log_line(log_path)}"
        raise RuntimeError(f"the test Elasticsearch did not start: {reason} (log: {log_path})")

    def _status_line(self, deadline: float) -> str:
        """The launcher's first stdout line ("HTTP_READY url" or "FAILED reason"), or "" at EOF or the deadline."""
        with selectors.DefaultSelector() as selector:
            selector.register(self._process.stdout, selectors.EVENT_READ)
            while (left := deadline - time.monotonic()) > 0:
                if selector.select(min(left, 1.0)):
                    return self._process.stdout.readline().strip()
        return ""

    @staticmethod
    def _last_log_line(log_path: Path) -> str:
        lines = [l.strip() for l in log_path.read_text(errors="replace").splitlines() if l.strip()]
        return f"its log ends with: {lines[-1][:300]}" if lines else "its log is empty"

    def stop(self, remove: bool = True) -> None:
        """Stop the node; its data (the indices the tests left) is removed unless `remove` is False."""
        if self._process is not None:
            jvm_build.stop_launcher(self._process)
            self._process = None
        if remove:
            shutil.rmtree(self.workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    """`python -m tests.es_launcher.launcher [PORT]`: a node for a full-stack run by hand, in a new temporary
    folder; prints its URL and serves until Ctrl-C, SIGTERM or the end of standard input."""
    import signal
    import sys
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="mlentory-es-"))
    server = EsServer(folder / "node", argv[0] if argv else 0)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        ensure_built()
        server.start()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)  # the folder stays: a start failure names the log in it
        return 1
    try:
        print(f"ELASTICSEARCH_URL={server.url}", flush=True)
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
