"""Base-model lineage: the `base_model` links of harvested models resolved into chains.

A model names its bases (card `base_model`, or the Hub's `base_model:<relation>:<id>` tags) with
one relation: fine-tune, quantization, adapter, merge, or unknown where nothing says which
(see transform/base_models.py). Following those links from every model
gives its ancestors with their depth (1 = its direct base), through models that were themselves
harvested and ending at bases that were not (stubs known only by id). A model naming itself, or a
loop of models naming each other, cannot be a lineage: those links are quarantined with the loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
from pipeline.storage import read_parquet

LINEAGE_SCHEMA = pa.schema([
    pa.field("model", pa.string(), nullable=False),
    pa.field("ancestor", pa.string(), nullable=False),
    pa.field("depth", pa.int32(), nullable=False),  # 1 = a direct base
    pa.field("relation", pa.string()),  # of the link into `ancestor`
    pa.field("path", pa.list_(pa.string())),  # model ... ancestor
    pa.field("ancestor_harvested", pa.bool_(), nullable=False),
    pa.field("ancestor_fetched", pa.bool_()),  # not harvested, but described by hf_raw_base_models
])
MAX_DEPTH = 64
LOOKUP_IDS = 1 << 19  # ids matched against the bases in one look-up


def read_links(paths, fetched: list[dict] = ()) -> tuple[dict[str, list[tuple[str, str]]], set[str]]:
    """(direct links, which of the linked ids were harvested) from normalized shards, holding only the
    rows that name a base (a full catalog's ids stay in Arrow, not in Python objects).

    Hub ids are case-insensitive: a base named `org/Model-7b` that was harvested as `org/Model-7B`
    is linked to the harvested id, so one model is one node. `fetched`: records of base models fetched
    beyond the harvest (rows of identifier, fineTunedFrom, baseModelRelation), whose own links continue
    the chains."""
    import pyarrow.compute as pc

    links: dict[str, list[tuple[str, str]]] = {}
    ids = []
    for path in paths:
        table = read_parquet(path, columns=["identifier", "fineTunedFrom", "baseModelRelation"])
        ids.append(table.column("identifier"))
        named = pc.fill_null(pc.greater(pc.list_value_length(table.column("fineTunedFrom")), 0), False)
        links.update(direct_links(table.filter(named).to_pylist()))
    for base, pairs in direct_links(fetched).items():
        links.setdefault(base, pairs)  # a harvested model's own record wins over a fetched copy
    bases = sorted({base for pairs in links.values() for base, _ in pairs})
    wanted = pa.array(sorted({base.lower() for base in bases}), pa.string())
    # the ids of many shards in each look-up (the set of bases, hashed once a look-up, was hashed once a
    # shard), a bounded number at a time (their lower-case copy is as large as they are)
    by_lower: dict[str, str] = {}
    for group in _groups(ids, LOOKUP_IDS):
        found = pc.filter(group, pc.is_in(pc.utf8_lower(group), value_set=wanted)).to_pylist()
        by_lower.update((model.lower(), model) for model in found)
    canonical = {base: by_lower.get(base.lower(), base) for base in bases}
    links = {model: list(dict.fromkeys((canonical[base], rel) for base, rel in pairs)) for model, pairs in links.items()}
    return links, set(links) | set(by_lower.values())


def _groups(chunks: list[pa.ChunkedArray], size: int) -> Iterator[pa.ChunkedArray]:
    """Consecutive columns joined into groups of at least `size` values (the last one smaller)."""
    group, held = [], 0
    for chunk in chunks:
        group += chunk.chunks
        held += len(chunk)
        if held >= size:
            yield pa.chunked_array(group, pa.string())
            group, held = [], 0
    if group:
        yield pa.chunked_array(group, pa.string())


def direct_links(rows: Iterable[dict]) -> dict[str, list[tuple[str, str]]]:
    """model -> [(base, relation)] from normalized rows (identifier, fineTunedFrom, baseModelRelation)."""
    links: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        bases = [b for b in row.get("fineTunedFrom") or [] if isinstance(b, str) and b]
        if bases:
            relation = row.get("baseModelRelation") or "unknown"
            links[row["identifier"]] = [(base, relation) for base in dict.fromkeys(bases)]
    return links


def resolve(links: dict[str, list[tuple[str, str]]], harvested: set[str], problems: list[dict],
            fetched: set[str] = frozenset()) -> Iterator[dict]:
    """Every harvested model's ancestors (rows of LINEAGE_SCHEMA), by breadth-first search, model by
    model in id order, through harvested and fetched bases alike; a loop goes to `problems` once, as a
    quarantine entry."""
    reported = set()
    for model in sorted(m for m in links if m not in fetched):
        seen = {model: 0}
        frontier = [(model, [model])]
        while frontier:
            nxt = []
            for node, path in frontier:
                for base, relation in links.get(node, []):
                    if base in path:
                        loop = tuple(path[path.index(base):] + [base])
                        key = frozenset(loop)
                        if key not in reported:
                            reported.add(key)
                            kind = "names itself as its base model" if len(loop) == 2 else "base models form a loop"
                            problems.append({"id": node, "path": "/fineTunedFrom",
                                             "reason": f"{kind}: {' -> '.join(loop)}"})
                        continue
                    if base in seen or len(path) > MAX_DEPTH:
                        continue  # reached on a shorter path already (diamonds from merges)
                    seen[base] = len(path)
                    yield {"model": model, "ancestor": base, "depth": len(path), "relation": relation,
                           "path": path + [base], "ancestor_harvested": base in harvested,
                           "ancestor_fetched": base in fetched}
                    nxt.append((base, path + [base]))
            frontier = nxt


def write(rows: Iterable[dict], out: Path) -> dict:
    """Write lineage rows to Parquet a row group at a time; returns their counts (links are depth-1
    rows, stubs the distinct ancestors that were not harvested)."""
    from pipeline.storage import ParquetRows

    counts = {"links": 0, "chains": 0, "max_depth": 0}
    stubs: set[str] = set()
    with ParquetRows(out, LINEAGE_SCHEMA) as table:
        for row in rows:
            counts["chains"] += 1
            counts["links"] += row["depth"] == 1
            counts["max_depth"] = max(counts["max_depth"], row["depth"])
            if not row["ancestor_harvested"] and not row.get("ancestor_fetched"):
                stubs.add(row["ancestor"])
            table.add(row)
    return {**counts, "stubs": len(stubs)}
