"""A local HTTP server that serves a snapshot folder the way the Hugging Face Hub API does.

It answers `GET /api/models` (sorting, `author`/`search`/`filter`, `limit` as page size, cursor
pagination through a `Link: <...>; rel="next"` header), `GET /api/models/<id>` (one model's item),
`GET /<repo>/resolve/<rev>/README.md` and
`GET /api/datasets/<id>` (a dataset that moved answers with a redirect to its new id, as the Hub
does) and the dataset listing `GET /api/datasets` (sorted, paged like the models), so `huggingface_hub`'s real client code runs against it. With an arXiv folder it also
answers the arXiv API's `GET /arxiv/api/query?id_list=...` with one Atom feed of the recorded
entries. Faults (429, 503...) can be queued to
exercise the client's retries. Loopback only.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (a free port), started and stopped with `with`."""

    _httpd: ThreadingHTTPServer | None = None

    def handler(self):
        raise NotImplementedError

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class HubSnapshotServer(LoopbackServer):
    def __init__(self, snapshot_dir: Path, page_size: int = 50, arxiv_dir: Path | None = None):
        self.snapshot_dir = Path(snapshot_dir)
        self.arxiv_dir = Path(arxiv_dir) if arxiv_dir else None
        self.page_size = page_size
        self.requests: list[dict] = []
        self._faults: deque[tuple[str, int]] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # -- control -------------------------------------------------------------------------------
    def fail_next(self, status: int, times: int = 1, path_prefix: str = "/") -> None:
        """Answer the next `times` requests under `path_prefix` with `status` (e.g. 429, 503)."""
        with self._lock:
            self._faults.extend([(path_prefix, status)] * times)

    def models(self) -> list[dict]:
        return json.loads((self.snapshot_dir / "api" / "models.json").read_text(encoding="utf-8"))

    def handler(self):
        return _handler_for(self)

    @property
    def arxiv_endpoint(self) -> str:
        return f"{self.url}/arxiv/api/query"

    def paths(self, prefix: str) -> list[str]:
        """Paths of the requests received so far that start with `prefix`."""
        return [r["path"] for r in self.requests if r["path"].startswith(prefix)]

    # -- behaviour -----------------------------------------------------------------------------
    def list_datasets(self, query: dict[str, list[str]]) -> tuple[list[dict], str | None]:
        """The listing of every dataset body (each once, under its current id), newest first when asked."""
        items = {}
        for path in (self.snapshot_dir / "api" / "datasets").rglob("*.json"):
            item = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                items[item["id"]] = {"_id": item.get("_id"), "id": item["id"], "lastModified": item.get("lastModified")}
        ordered = sorted(items.values(), key=lambda i: (i["lastModified"] or "", i["id"]),
                         reverse=query.get("sort", [None])[0] == "lastModified")
        size = min(int(query.get("limit", [self.page_size])[0]), self.page_size)
        start = int(query.get("cursor", ["0"])[0])
        if start + size >= len(ordered):
            return ordered[start:start + size], None
        params = {**{k: v for k, v in query.items() if k != "cursor"}, "cursor": [str(start + size)]}
        return ordered[start:start + size], f"{self.url}/api/datasets?{urlencode(params, doseq=True)}"

    def dataset(self, dataset_id: str) -> tuple[int, bytes, dict]:
        """(status, body, headers) for `GET /api/datasets/<id>`."""
        folder = self.snapshot_dir / "api" / "datasets"
        path = folder / f"{dataset_id}.json"
        if path.is_file():
            body = path.read_bytes()
            item = json.loads(body)
            moved_to = item.get("id") if isinstance(item, dict) else None
            if moved_to and moved_to != dataset_id:
                return 307, b"", {"Location": f"/api/datasets/{moved_to}"}
            return 200, body, {}
        for other in folder.rglob("*.json"):  # the new id of a dataset that moved
            body = other.read_bytes()
            item = json.loads(body)
            if isinstance(item, dict) and item.get("id") == dataset_id:
                return 200, body, {}
        return 404, b'{"error": "Repository not found"}', {"X-Error-Code": "RepoNotFound"}

    def arxiv_feed(self, query: dict[str, list[str]]) -> bytes:
        import xml.etree.ElementTree as ET
        atom = "http://www.w3.org/2005/Atom"
        ET.register_namespace("", atom)
        ids = [i for i in query.get("id_list", [""])[0].split(",") if i]
        feed = ET.Element(f"{{{atom}}}feed")
        ET.SubElement(feed, f"{{{atom}}}title").text = f"ArXiv Query: id_list={','.join(ids)}"
        for paper_id in ids:
            path = self.arxiv_dir / f"{paper_id.replace('/', '_')}.xml"
            if path.is_file():
                feed.extend(ET.parse(path).getroot().findall(f"{{{atom}}}entry"))
        return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

    def _take_fault(self, path: str) -> int | None:
        with self._lock:
            if self._faults and path.startswith(self._faults[0][0]):
                return self._faults.popleft()[1]
        return None

    def list_models(self, query: dict[str, list[str]]) -> tuple[list[dict], str | None]:
        items = self.models()
        if "author" in query:
            items = [m for m in items if m["id"].split("/")[0] == query["author"][0]]
        if "search" in query:
            items = [m for m in items if query["search"][0].lower() in m["id"].lower()]
        for tag in query.get("filter", []):
            items = [m for m in items if tag in m.get("tags", [])]
        sort = query.get("sort", [None])[0]
        if sort in ("lastModified", "createdAt", "downloads", "likes"):
            items.sort(key=lambda m: (m.get(sort) or 0, m["id"]), reverse=True)
        size = min(int(query.get("limit", [self.page_size])[0]), self.page_size)
        start = int(query.get("cursor", ["0"])[0])
        page = items[start:start + size]
        if start + size >= len(items):
            return page, None
        params = {k: v for k, v in query.items() if k != "cursor"}
        params["cursor"] = [str(start + size)]
        return page, f"{self.url}/api/models?{urlencode(params, doseq=True)}"


def _handler_for(server: HubSnapshotServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            return

        def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            parts = urlsplit(self.path)
            server.requests.append({"path": parts.path, "query": parts.query,
                                    "authorization": self.headers.get("Authorization")})
            fault = server._take_fault(parts.path)
            if fault:
                self._send(fault, json.dumps({"error": f"injected {fault}"}).encode(), "application/json",
                           {"Retry-After": "0"})
                return
            if parts.path == "/api/models":
                page, next_url = server.list_models(parse_qs(parts.query))
                headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
                self._send(200, json.dumps(page).encode(), "application/json", headers)
                return
            if parts.path == "/api/datasets":
                page, next_url = server.list_datasets(parse_qs(parts.query))
                headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
                self._send(200, json.dumps(page).encode(), "application/json", headers)
                return
            if parts.path.startswith("/api/datasets/"):
                status, body, headers = server.dataset(parts.path[len("/api/datasets/"):])
                self._send(status, body, "application/json", headers)
                return
            if parts.path.startswith("/api/models/"):  # one model's item (`model_info`), as the listing has it
                wanted = parts.path[len("/api/models/"):]
                item = next((m for m in server.models() if m["id"] == wanted), None)
                if item is None:
                    self._send(404, b'{"error": "Repository not found"}', "application/json",
                               {"X-Error-Code": "RepoNotFound"})
                else:
                    self._send(200, json.dumps(item).encode(), "application/json")
                return
            if parts.path == "/arxiv/api/query" and server.arxiv_dir is not None:
                self._send(200, server.arxiv_feed(parse_qs(parts.query)), "application/atom+xml; charset=utf-8")
                return
            if "/resolve/" in parts.path and parts.path.endswith("/README.md"):
                repo_id = parts.path.strip("/").split("/resolve/")[0]
                readme = server.snapshot_dir / "readmes" / repo_id / "README.md"
                if readme.is_file():
                    self._send(200, readme.read_bytes(), "text/plain; charset=utf-8")
                else:
                    self._send(404, b'{"error": "Entry not found"}', "application/json",
                               {"X-Error-Code": "EntryNotFound"})
                return
            self._send(404, b'{"error": "not found"}', "application/json")

        do_HEAD = do_GET

    return Handler
