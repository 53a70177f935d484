"""arXiv source: title, authors, abstract, dates and categories of every paper a model cites.

Live, ids go to the arXiv API (`query?id_list=a,b,c`, Atom) many per request, with a pause between
requests as arXiv's terms ask, retried on 429/5xx and timeouts (`pipeline/extract/http.py`). Offline, the
bundled snapshot holds one recorded response per id (`<id>.xml`). An id the answer does not
contain is `missing`; an error entry marks the ids of its request `error: ...` (retried next run).
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

import pyarrow as pa
from huggingface_hub.utils import httpx

from pipeline.config import Settings, redact_url
from pipeline.extract.fetch_cache import now, row_digest
from pipeline.extract.http import RETRY_STATUS, request
from pipeline.extract.snapshot import arxiv_dir

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS_URL = re.compile(r"arxiv\.org/abs/(.+?)(v\d+)?$")
PAPERS_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),  # without version
    pa.field("status", pa.string(), nullable=False),  # ok | missing | error: ...
    pa.field("version", pa.string()),  # v1, v2, ...
    pa.field("title", pa.string()),
    pa.field("summary", pa.large_string()),
    pa.field("authors", pa.list_(pa.string())),
    pa.field("published", pa.string()),
    pa.field("updated", pa.string()),
    pa.field("primary_category", pa.string()),
    pa.field("categories", pa.list_(pa.string())),
    pa.field("doi", pa.string()),
    pa.field("entry_xml", pa.large_string()),  # the Atom entry as received: nothing arXiv sent is lost
    pa.field("fetched_at", pa.string(), nullable=False),
    pa.field("digest", pa.string(), nullable=False),
])
_DIGESTED = ("id", "status", "entry_xml")


def _text(entry: ET.Element, tag: str) -> str | None:
    node = entry.find(tag)
    return " ".join(node.text.split()) if node is not None and node.text else None


def _row(paper_id: str, status: str, entry: ET.Element | None = None, version: str | None = None) -> dict:
    row = {"id": paper_id, "status": status, "version": version, "title": None, "summary": None, "authors": None,
           "published": None, "updated": None, "primary_category": None, "categories": None, "doi": None,
           "entry_xml": None, "fetched_at": now()}
    if entry is not None:
        primary = entry.find(f"{ARXIV}primary_category")
        row.update(
            title=_text(entry, f"{ATOM}title"), summary=_text(entry, f"{ATOM}summary"),
            authors=[" ".join(n.text.split()) for n in entry.findall(f"{ATOM}author/{ATOM}name") if n.text],
            published=_text(entry, f"{ATOM}published"), updated=_text(entry, f"{ATOM}updated"),
            primary_category=primary.get("term") if primary is not None else None,
            categories=[c.get("term") for c in entry.findall(f"{ATOM}category") if c.get("term")],
            doi=_text(entry, f"{ARXIV}doi"), entry_xml=ET.tostring(entry, encoding="unicode"))
    return {**row, "digest": row_digest(row, _DIGESTED)}


def parse_feed(text: str, asked: list[str]) -> list[dict]:
    """Rows for the `asked` ids from one Atom response; raises ValueError for a body that is not Atom."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"the response is not XML: {exc}") from exc
    if root.tag != f"{ATOM}feed":
        raise ValueError(f"the response is not an Atom feed (root element {root.tag})")
    found: dict[str, dict] = {}
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = _text(entry, f"{ATOM}id") or ""
        if "/api/errors" in entry_id:  # arXiv answers a bad request with a single error entry
            reason = _text(entry, f"{ATOM}summary") or "arXiv reported an error"
            return [found.get(i) or _row(i, f"error: {reason}") for i in asked]
        match = _ABS_URL.search(entry_id)
        if match:
            found[match.group(1)] = _row(match.group(1), "ok", entry, match.group(2))
    return [found.get(i) or _row(i, "missing") for i in asked]


def read_snapshot(settings: Settings, ids: list[str], problems: list[dict]) -> list[dict]:
    rows = []
    for paper_id in ids:
        path = arxiv_dir(settings) / f"{paper_id.replace('/', '_')}.xml"
        if not path.is_file():
            rows.append(_row(paper_id, "missing"))
            continue
        try:
            rows += parse_feed(path.read_text(encoding="utf-8"), [paper_id])
        except ValueError as exc:
            problems.append({"id": paper_id, "path": str(path), "reason": str(exc)})
            rows.append(_row(paper_id, f"error: {exc}"))
    return rows


class Pacer:
    """Keeps at least `delay` seconds between the starts of consecutive requests."""

    def __init__(self, delay: float):
        self.delay = delay
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None:
            time.sleep(max(0.0, self._last + self.delay - time.monotonic()))
        self._last = time.monotonic()


def fetch_live(settings: Settings, ids: list[str], problems: list[dict]) -> list[dict]:
    rows, pacer = [], Pacer(settings.arxiv_delay_s)
    for start in range(0, len(ids), settings.arxiv_batch_size):
        batch = ids[start:start + settings.arxiv_batch_size]
        pacer.wait()
        params = {"id_list": ",".join(batch), "max_results": str(len(batch))}
        try:
            response = request("GET", settings.arxiv_endpoint, params=params, timeout=settings.hf_timeout_s,
                               retry_on_status=RETRY_STATUS, follow_redirects=True)
        except (httpx.TimeoutException, httpx.NetworkError) as exc:
            rows += [_row(i, f"error: {exc.__class__.__name__}") for i in batch]
            continue
        if response.status_code >= 400:
            rows += [_row(i, f"error: HTTP {response.status_code}") for i in batch]
            continue
        try:
            rows += parse_feed(response.text, batch)
        except ValueError as exc:
            problems.append({"id": None, "path": redact_url(str(response.url)), "reason": str(exc),
                             "raw": response.text[:2000]})
            rows += [_row(i, f"error: {exc}") for i in batch]
    return rows


def fetch(settings: Settings, ids: list[str], problems: list[dict]) -> list[dict]:
    """Rows for `ids` (bare arXiv ids), from arXiv or, offline, from the snapshot."""
    if settings.hf_offline:
        return read_snapshot(settings, ids, problems)
    return fetch_live(settings, ids, problems)
