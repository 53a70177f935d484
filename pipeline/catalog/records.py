"""FAIR4ML records read back from the graph: the inverse of pipeline/load/graph_model.py.

A model node holds its record's scalar and list fields as properties (maps and lists of maps as JSON
text); the fields that name other things (bases, datasets, licenses, tasks, languages, papers, the
account) are its outgoing relationships; its long texts and nested values are not in the graph
(graph_model.RECORD_ONLY: the catalog adds them from the normalized record). Reading both back gives the
rest of the record the loader was given, in the field order of the normalized records, with two
differences that come from the graph itself:
list fields made of links come in id order, and a base model's id is spelled as the graph's node
spells it (ids are case-insensitive on the Hub; the node of a harvested model keeps its own spelling).
"""

from __future__ import annotations

import json

import pyarrow as pa

from pipeline.load import graph_model as gm
from pipeline.transform.fair4ml import ARROW_SCHEMA
from pipeline.transform.ids import arxiv_url, doi_url

FIELD_OF_REL = {rel: field for field, rel, _ in gm.RELATIONSHIPS}
# properties the loaders add to a node for their own bookkeeping: not part of any record
BOOKKEEPING = {"id", "idLower", "harvested", "shard", "enriched", "key", "type", "loadStamp", "fetched"}
RECORD_FIELDS = ARROW_SCHEMA.names
_NESTED = {f.name for f in ARROW_SCHEMA if pa.types.is_map(f.type)
           or (pa.types.is_list(f.type) and pa.types.is_struct(f.type.value_type))}
_LISTS = {f.name for f in ARROW_SCHEMA if pa.types.is_list(f.type)}


def node_kind(props: dict) -> str:
    """harvested (the model loader's), fetched (a base described beyond the harvest) or stub (an id only)."""
    if props.get("harvested"):
        return "harvested"
    return "fetched" if props.get("fetched") else "stub"


def _plain(name: str, value):
    if name in _NESTED and isinstance(value, str):
        return json.loads(value)
    return list(value) if isinstance(value, (list, tuple)) else value


def _linked_value(rel: str, target: str, props: dict) -> str:
    if rel == "HAS_LICENSE":  # `other` licenses are keyed by their name (pipeline/transform/licenses.py)
        return "other" if props.get("licenseName") and target == f"other:{props['licenseName']}" else target
    if rel == "CITES":
        return doi_url(target) if target.startswith("10.") else arxiv_url(target)
    return target


def model_record(props: dict, links: list[dict]) -> dict:
    """The FAIR4ML record of a model node from its properties and its outgoing links
    ({"rel", "id"} each); fields the node does not hold are empty (None, or [] for lists)."""
    record: dict = {name: [] if name in _LISTS else None for name in RECORD_FIELDS}
    for name, value in props.items():
        if name not in BOOKKEEPING:
            record[name] = _plain(name, value)
    record["identifier"] = props["id"]
    for link in sorted(links, key=lambda link: link["id"]):
        field = FIELD_OF_REL.get(link["rel"])
        if field is None:
            continue
        value = _linked_value(link["rel"], link["id"], props)
        if field in _LISTS:
            record[field].append(value)
        else:
            record[field] = value
    if record.get("author") is None:  # the loader links the author only where it is not the account
        record["author"] = record.get("sharedBy")
    return record


def entity_record(props: dict) -> dict:
    """An entity node's record (dataset, paper, license...): its properties without the bookkeeping
    (entity records hold no maps: see pipeline/transform/entities.py)."""
    out = {"@type": props.get("type"), "identifier": props["id"]}
    out.update((name, list(value) if isinstance(value, (list, tuple)) else value)
               for name, value in props.items() if name not in BOOKKEEPING)
    return out
