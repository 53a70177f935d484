"""Local HTTP servers that serve the OpenML and bioimage.io snapshot folders in their APIs' shapes.

The snapshots already lay responses out by their API paths, so each server maps a request path to a
file: OpenML's `/api/v1/xml/<path>` to `<path>.xml` (an unknown resource answers 412 with OpenML's
error document, as OpenML does), filtering the evaluation listing by `/flow/<ids>`; bioimage.io's
`/collection.json` and `/rdfs/...` to the files of the same paths. Requests are recorded, faults can
be queued. Loopback only.
"""

from __future__ import annotations

from collections import deque
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from tests.hub_server import LoopbackServer

OPENML_ERROR = (b'<oml:error xmlns:oml="http://openml.org/openml"><oml:code>{code}</oml:code>'
                b'<oml:message>{message}</oml:message></oml:error>')


class SnapshotServer(LoopbackServer):
    def __init__(self, root: Path):
        self.root = Path(root)
        self.requests: list[str] = []
        self._faults: deque[int] = deque()

    def fail_next(self, status: int, times: int = 1) -> None:
        self._faults.extend([status] * times)

    def handler(self):
        return _handler(self)

    def answer(self, path: str) -> tuple[int, bytes, str]:
        target = (self.root / path.lstrip("/")).resolve()
        if self.root.resolve() in target.parents and target.is_file():
            return 200, target.read_bytes(), "application/json" if path.endswith(".json") else "text/plain"
        return 404, b'{"error": "not found"}', "application/json"


class OpenmlServer(SnapshotServer):
    def answer(self, path: str) -> tuple[int, bytes, str]:
        prefix = "/api/v1/xml/"
        if not path.startswith(prefix):
            return 404, b"not found", "text/plain"
        api = path[len(prefix):]
        flows = None
        if api.startswith("evaluation/list/") and "/flow/" in api:
            api, _, ids = api.partition("/flow/")
            flows = set(ids.split(","))
        target = (self.root / "api" / "v1" / "xml" / f"{api}.xml").resolve()
        if self.root.resolve() not in target.parents or not target.is_file():
            return 412, OPENML_ERROR.replace(b"{code}", b"111").replace(b"{message}", b"Unknown resource"), "text/xml"
        body = target.read_bytes()
        if flows is not None:
            body = _only_flows(body, flows)
            if body is None:
                return 412, OPENML_ERROR.replace(b"{code}", b"542").replace(b"{message}", b"No results"), "text/xml"
        return 200, body, "text/xml"


def _only_flows(body: bytes, flows: set[str]) -> bytes | None:
    """The evaluation listing with only the given flows' evaluations (None when none is left)."""
    import re
    text = body.decode("utf-8")
    entries = re.findall(r"<oml:evaluation>.*?</oml:evaluation>", text, re.S)
    kept = [e for e in entries if re.search(r"<oml:flow_id>(\d+)</oml:flow_id>", e)[1] in flows]
    if not kept:
        return None
    return ('<oml:evaluations xmlns:oml="http://openml.org/openml">\n' + "\n".join(kept)
            + "\n</oml:evaluations>\n").encode()


def _handler(server: SnapshotServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            return

        def do_GET(self):
            path = urlsplit(self.path).path
            server.requests.append(path)
            if server._faults:
                status, body, kind = server._faults.popleft(), b"injected", "text/plain"
            else:
                status, body, kind = server.answer(path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if status in (429, 503):
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(body)

    return Handler
