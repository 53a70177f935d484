"""Which graph and search targets the settings select, described without secrets.

A change of target makes the loaders stale (it is part of their configuration) and is recorded in
their receipts. Kept free of client libraries so the registry loads fast.
"""

from __future__ import annotations

from pipeline.config import Settings, redact_url


def graph_target(settings: Settings) -> dict:
    if settings.neo4j_uri:
        return {"kind": "neo4j", "uri": redact_url(settings.neo4j_uri), "database": settings.neo4j_database}
    return {"kind": "falkordb", "path": str(settings.paths.graph.relative_to(settings.root))}


def search_target(settings: Settings) -> dict:
    if settings.elasticsearch_url:
        target = {"kind": "elasticsearch", "url": redact_url(settings.elasticsearch_url),
                  "alias": settings.elasticsearch_index}
    else:
        target = {"kind": "tantivy", "path": str(settings.paths.search_index.relative_to(settings.root))}
    # part of the target, so switching it reloads the index (said only when off: receipts stay valid)
    return target if settings.search_thin_cards else {**target, "thin_cards": "left out"}
