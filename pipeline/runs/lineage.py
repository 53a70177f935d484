"""The asset graph, derived from the registry, as Mermaid, Graphviz dot or a terminal drawing."""

from __future__ import annotations

from collections import deque

from pipeline.runs.states import Freshness


def edges_of(upstream: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(up, name) for name, ups in upstream.items() for up in ups]


def neighbourhood(upstream: dict[str, list[str]], asset: str) -> dict[str, list[str]]:
    """The sub-graph of everything upstream and downstream of `asset`."""
    if asset not in upstream:
        raise KeyError(f"no asset named {asset!r}: see `doit list`")
    downstream: dict[str, list[str]] = {n: [] for n in upstream}
    for up, down in edges_of(upstream):
        downstream[up].append(down)
    keep = {asset}
    for links in (upstream, downstream):
        seen, queue = {asset}, deque([asset])
        while queue:
            for nxt in links[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        keep |= seen
    return {n: [u for u in ups if u in keep] for n, ups in upstream.items() if n in keep}


def _node_id(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def mermaid(upstream: dict[str, list[str]], states: dict[str, str] | None = None) -> str:
    lines = ["graph LR"]
    for name in upstream:
        lines.append(f'    {_node_id(name)}["{name}"]')
    for up, down in edges_of(upstream):
        lines.append(f"    {_node_id(up)} --> {_node_id(down)}")
    if states:
        fills = {Freshness.FRESH: "#2e7d32", Freshness.STALE: "#ef6c00", Freshness.FAILED: "#c62828",
                 Freshness.RUNNING: "#f9a825", Freshness.NEVER: "#9e9e9e"}
        for state, fill in fills.items():
            lines.append(f"    classDef {state} fill:{fill},color:#fff")
        for name, state in states.items():
            if name in upstream:
                lines.append(f"    class {_node_id(name)} {state}")
    return "\n".join(lines)


def dot(upstream: dict[str, list[str]]) -> str:
    lines = ["digraph assets {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    lines += [f'  "{name}";' for name in upstream]
    lines += [f'  "{up}" -> "{down}";' for up, down in edges_of(upstream)]
    lines.append("}")
    return "\n".join(lines)


def text(upstream: dict[str, list[str]]) -> str:
    """Each root with its downstream tree; an asset reached twice is drawn once, then referenced."""
    downstream: dict[str, list[str]] = {n: [] for n in upstream}
    for up, down in edges_of(upstream):
        downstream[up].append(down)
    lines: list[str] = []
    drawn: set[str] = set()

    def walk(name: str, prefix: str, last: bool, root: bool) -> None:
        connector = "" if root else ("└─▶ " if last else "├─▶ ")
        repeat = name in drawn
        lines.append(f"{prefix}{connector}{name}" + (" (see above)" if repeat else ""))
        if repeat:
            return
        drawn.add(name)
        children = downstream[name]
        child_prefix = prefix if root else prefix + ("    " if last else "│   ")
        for index, child in enumerate(children):
            walk(child, child_prefix, index == len(children) - 1, False)

    for root in [n for n, ups in upstream.items() if not ups]:
        walk(root, "", True, True)
    return "\n".join(lines)
