"""Write the bundled arXiv API snapshot (`snapshot/arxiv/<id>.xml`) from the fact table in `arxiv_facts.py`.

Run `python -m tools.snapshot.build_arxiv_snapshot` after editing the facts. Each file is the Atom
feed that `GET http://export.arxiv.org/api/query?id_list=<id>` returns for one paper. Values the
facts do not hold (day and time of submission, feed ids) are derived from the arXiv id, so the output
is byte-for-byte reproducible; snapshot/arxiv/README.md says which values are placeholders.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from tools.snapshot.arxiv_facts import PAPERS

# the package data the offline quick start reads (these tools only write it)
BUNDLED = Path(__file__).resolve().parents[2] / "pipeline" / "snapshot"
OUT = BUNDLED / "arxiv"
FEED_UPDATED = "2025-06-30T00:00:00-04:00"
ATOM = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"


def _h(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest(), 16)


def published(paper: dict) -> str:
    """First-submission time: the known day when there is one, else a day derived from the id."""
    arxiv_id = paper["id"]
    year, month = map(int, (paper["month"] or f"20{arxiv_id[:2]}-{arxiv_id[2:4]}").split("-"))
    h = _h(arxiv_id)
    day = paper["day"] or 1 + h % calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}T{(h >> 8) % 24:02d}:{(h >> 16) % 60:02d}:{(h >> 24) % 60:02d}Z"


def feed_token(arxiv_id: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha1(arxiv_id.encode()).digest()).decode()[:27]


def feed_for(paper: dict) -> str:
    arxiv_id, when = paper["id"], published(paper)
    versioned = f"{arxiv_id}v1"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f'  <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3D{arxiv_id}%26start%3D0%26max_results%3D10"'
        ' rel="self" type="application/atom+xml"/>',
        f'  <title type="html">ArXiv Query: search_query=&amp;id_list={arxiv_id}&amp;start=0&amp;max_results=10</title>',
        f"  <id>http://arxiv.org/api/{feed_token(arxiv_id)}</id>",
        f"  <updated>{FEED_UPDATED}</updated>",
        f'  <opensearch:totalResults xmlns:opensearch="{OPENSEARCH}">1</opensearch:totalResults>',
        f'  <opensearch:startIndex xmlns:opensearch="{OPENSEARCH}">0</opensearch:startIndex>',
        f'  <opensearch:itemsPerPage xmlns:opensearch="{OPENSEARCH}">10</opensearch:itemsPerPage>',
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{versioned}</id>",
        f"    <updated>{when}</updated>",
        f"    <published>{when}</published>",
        f"    <title>{escape(paper['title'])}</title>",
        f"    <summary>  {escape(paper['summary'])}\n</summary>",
    ]
    for name in paper["authors"]:
        lines += ["    <author>", f"      <name>{escape(name)}</name>", "    </author>"]
    lines += [
        f'    <link href="http://arxiv.org/abs/{versioned}" rel="alternate" type="text/html"/>',
        f'    <link title="pdf" href="http://arxiv.org/pdf/{versioned}" rel="related" type="application/pdf"/>',
        f'    <arxiv:primary_category xmlns:arxiv="{ATOM}" term={quoteattr(paper["primary"])} scheme="{ATOM}"/>',
    ]
    lines += [f'    <category term={quoteattr(term)} scheme="{ATOM}"/>'
              for term in [paper["primary"], *paper["categories"]]]
    lines += ["  </entry>", "</feed>"]
    return "\n".join(lines) + "\n"


def build(out: Path = OUT) -> int:
    ids = [p["id"] for p in PAPERS]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"arxiv_facts.py lists these ids more than once: {', '.join(duplicates)}")
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.xml"):
        stale.unlink()
    for paper in PAPERS:
        (out / f"{paper['id']}.xml").write_text(feed_for(paper), encoding="utf-8", newline="\n")
    return len(PAPERS)


if __name__ == "__main__":
    print(f"wrote {build()} arXiv responses to {OUT}")
