"""A catalog record in the formats others read: JSON-LD (the node the hf_models_jsonld asset writes),
Turtle (its triples, parsed by pyoxigraph as the hf_rdf asset parses them) and an RO-Crate 1.1
metadata document (the record as the crate's main entity, everything it links to described beside
it, as RO-Crate's flattened JSON-LD asks).

Hand-built rather than with the `rocrate` package: a metadata document is a few fixed entities
around the JSON-LD node we already make, and the package would bring its own dependencies for it.
"""

from __future__ import annotations

from pipeline.load.rdf_store import PREFIXES
from pipeline.transform import jsonld
from pipeline.transform.iris import Iris
from pipeline.transform.licenses import SPDX_URL

FORMATS = {"jsonld": "application/ld+json", "turtle": "text/turtle", "rocrate": "application/ld+json"}
ROCRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
ROCRATE_SPEC = "https://w3id.org/ro/crate/1.1"


def model_node(model: dict, iris: Iris) -> dict:
    """The JSON-LD node of a model as read from the graph (pipeline/catalog/graph_reads.py): a
    harvested model's as hf_models_jsonld writes it, a base known beyond the harvest as the entities
    document does."""
    record = model["record"]
    if model["kind"] == "harvested":
        return jsonld.to_node(record, iris)
    described = {"@type": "MLModel", **{k: v for k, v in record.items() if v not in (None, [], "")}}
    return jsonld.entity_node(described, iris)


def jsonld_document(model: dict, iris: Iris) -> dict:
    context = jsonld.CONTEXT if model["kind"] == "harvested" else jsonld.ENTITY_CONTEXT
    return {"@context": context, **model_node(model, iris)}


def turtle(model: dict, iris: Iris) -> str:
    import json

    import pyoxigraph as ox

    triples = ox.parse(json.dumps(jsonld_document(model, iris)), format=ox.RdfFormat.JSON_LD)
    prefixes = {**PREFIXES, "mlentory": jsonld.CONTEXT["mlentory"], "catalog": iris.base}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def _license_entity(link: dict, iris: Iris) -> dict:
    props = link["props"]
    entity = {"@id": SPDX_URL.format(props["spdxId"]) if props.get("spdxId") else iris.license(link["id"]),
              "@type": "CreativeWork", "name": props.get("name") or link["id"], "identifier": props.get("spdxId")
              or link["id"]}
    if props.get("url") and not props.get("spdxId"):
        entity["url"] = props["url"]
    return entity


def rocrate(model: dict, iris: Iris) -> dict:
    """The RO-Crate metadata document (`ro-crate-metadata.json`) of one model record."""
    record = model["record"]
    node = model_node(model, iris)
    main = node["@id"]
    entities: dict[str, dict] = {}
    licenses = [_license_entity(link, iris) for link in model["links"] if link["rel"] == "HAS_LICENSE"]
    for entity in licenses:
        entities[entity["@id"]] = entity
    for link in model["links"]:
        props, name = link["props"], link["props"].get("name") or link["id"]
        if link["rel"] in ("TRAINED_ON", "EVALUATED_ON"):
            entities[iris.dataset(link["id"])] = {"@id": iris.dataset(link["id"]), "@type": "Dataset", "name": name,
                                                  **({"url": props["url"]} if props.get("url") else {})}
        elif link["rel"] == "CITES":
            entities[iris.paper(link["id"])] = {"@id": iris.paper(link["id"]), "@type": "ScholarlyArticle",
                                                "name": name, **({"url": props["url"]} if props.get("url") else {})}
        elif link["rel"] == "FINE_TUNED_FROM":
            entities[iris.model(link["id"])] = {"@id": iris.model(link["id"]), "@type": "SoftwareApplication",
                                                "name": link["id"], "url": props.get("url") or f"{jsonld.HUB}/{link['id']}"}
        elif link["rel"] == "HAS_TASK":
            entities[iris.task(link["id"])] = {"@id": iris.task(link["id"]), "@type": "DefinedTerm", "name": name}
        elif link["rel"] == "SHARED_BY":
            entities[iris.agent(link["id"])] = {"@id": iris.agent(link["id"]), "@type": "Organization", "name": name}
    main_entity = {**{k: v for k, v in node.items() if k not in ("interactionStatistic", "evaluationMetrics")},
                   "@type": ["SoftwareApplication", "fair4ml:MLModel"]}
    main_entity["license"] = [{"@id": e["@id"]} for e in licenses]
    for key in ("fineTunedFrom", "trainedOn", "evaluatedOn", "citation", "mlTask"):
        if key in main_entity:
            main_entity[key] = [{"@id": value} for value in main_entity[key]]
    if isinstance(main_entity.get("sharedBy"), dict):
        main_entity["sharedBy"] = {"@id": main_entity["sharedBy"]["@id"]}
    if record.get("author"):  # flattened, as RO-Crate asks: the creator is an entity of its own
        author = iris.agent(record["author"])
        entities.setdefault(author, {"@id": author, "@type": "Organization", "name": record["author"]})
        main_entity["author"] = {"@id": author}
    root = {"@id": "./", "@type": "Dataset", "name": f"FAIR4ML record of {record['identifier']}",
            "description": record.get("description") or f"Catalog metadata of the model {record['identifier']}",
            "datePublished": record.get("dateModified") or record.get("dateCreated"),
            "mainEntity": {"@id": main}, "about": {"@id": main}, "hasPart": []}
    if licenses:
        root["license"] = {"@id": licenses[0]["@id"]}
    descriptor = {"@id": "ro-crate-metadata.json", "@type": "CreativeWork", "conformsTo": {"@id": ROCRATE_SPEC},
                  "about": {"@id": "./"}}
    context = {key: value for key, value in jsonld.CONTEXT.items() if key not in ("@vocab", "schema")}
    return {"@context": [ROCRATE_CONTEXT, context],
            "@graph": [descriptor, {k: v for k, v in root.items() if v is not None}, main_entity,
                       *entities.values()]}
