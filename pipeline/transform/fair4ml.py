"""Map a Hugging Face model (API item + model card) to a FAIR4ML MLModel record.

FAIR4ML 0.1.0 (https://w3id.org/fair4ml) extends schema.org's CreativeWork with ML properties:
`mlTask`, `modelCategory`, `fineTunedFrom`, `trainedOn`, `evaluatedOn`, `intendedUse`,
`sharedBy`, `codeSampleSnippet`, `usageInstructions`, `modelRisksBiasLimitations`,
`hasCO2eEmissions`. The record is flat JSON with those names; `jsonld.py` adds the context.
Values the mapping cannot interpret are kept as found, so schema validation quarantines the record
with the exact path instead of the mapping silently dropping them.
"""

from __future__ import annotations

import re

import pyarrow as pa

from pipeline.transform import modelcard

HUB_URL = "https://huggingface.co"
_ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$|^[a-z-]+(\.[A-Z]{2})?/\d{7}$")
_ARXIV_LINK = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?")
# Tags that carry structured facts mapped to their own fields, not keywords.
_STRUCTURED_TAG_PREFIXES = ("dataset:", "arxiv:", "base_model:", "license:", "region:", "doi:")
BASE_MODEL_RELATIONS = ("finetune", "quantized", "adapter", "merge")
_RELATION_CATEGORY = {"quantized": "quantized model", "adapter": "adapter", "merge": "merged model",
                      "finetune": "fine-tuned model"}


def _as_list(value) -> list:
    """Card fields may be a scalar or a list; keep the items as found (validation checks their type)."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _unique(items) -> list:
    seen, out = set(), []
    for item in items:
        key = repr(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _tag_values(tags: list, prefix: str) -> list[str]:
    return [t[len(prefix):] for t in tags if isinstance(t, str) and t.startswith(prefix)]


def base_models(item: dict, card_data: dict) -> tuple[list, str | None]:
    """Base model ids (card `base_model`, else the Hub's `base_model:` tags) and the relation."""
    tags = item.get("tags") or []
    relation, related = None, []
    for rel in BASE_MODEL_RELATIONS:
        ids = _tag_values(tags, f"base_model:{rel}:")
        if ids:
            relation, related = relation or rel, related + ids
    plain = [t for t in _tag_values(tags, "base_model:") if not t.startswith(tuple(f"{r}:" for r in BASE_MODEL_RELATIONS))]
    declared = _as_list(card_data.get("base_model"))
    return _unique(declared or related or plain), relation or card_data.get("base_model_relation")


def evaluations(model_index) -> list:
    """model-index results as flat FAIR4ML evaluation entries (one per metric)."""
    if not isinstance(model_index, list):
        return [model_index]  # not the documented shape: validation reports it
    out = []
    for entry in model_index:
        results = entry.get("results") if isinstance(entry, dict) else None
        if not isinstance(results, list):
            out.append(entry)
            continue
        for result in results:
            if not isinstance(result, dict):
                out.append(result)
                continue
            task = result.get("task") if isinstance(result.get("task"), dict) else {}
            dataset = result.get("dataset") if isinstance(result.get("dataset"), dict) else {}
            for metric in _as_list(result.get("metrics")):
                if not isinstance(metric, dict):
                    out.append(metric)
                    continue
                value = metric.get("value")
                numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
                out.append({
                    "task": task.get("type"),
                    "dataset": dataset.get("type") or dataset.get("name"),
                    "datasetName": dataset.get("name"),
                    "datasetConfig": dataset.get("config"),
                    "split": dataset.get("split"),
                    "metric": metric.get("type"),
                    "name": metric.get("name"),
                    "value": float(value) if numeric else None,
                    "valueText": None if numeric or value is None else str(value),
                    "verified": metric.get("verified") if isinstance(metric.get("verified"), bool) else None,
                })
    return out


def co2_emissions(card_data: dict) -> str | None:
    """`co2_eq_emissions` is grams of CO2eq, as a number or `{emissions: ...}`; FAIR4ML wants the unit in text."""
    value = card_data.get("co2_eq_emissions")
    if isinstance(value, dict):
        value = value.get("emissions")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g} g CO2eq"
    return None if value is None else str(value)


def _access_conditions(gated) -> str | None:
    if gated in (None, False, "false"):
        return None
    kind = "manual approval" if gated == "manual" else "automatic approval"
    return f"Gated on the Hugging Face Hub: users must accept the model's conditions ({kind})"


def to_fair4ml(item: dict, readme: str | None) -> dict:
    """One FAIR4ML MLModel record from a Hub API item and its README text."""
    model_id = item["id"]
    api_card = item.get("cardData")
    card = modelcard.parse_card(readme, api_card if isinstance(api_card, dict) else None)
    card_data = api_card if isinstance(api_card, dict) else (card.metadata or {})
    tags = item.get("tags") or []
    namespace, _, short_name = model_id.rpartition("/")
    bases, relation = base_models(item, card_data)
    licenses = _as_list(card_data.get("license")) or _tag_values(tags, "license:")
    evals = evaluations(card_data["model-index"]) if "model-index" in card_data else []
    usage = card.section(modelcard.USAGE_HEADINGS)
    library = item.get("library_name") or card_data.get("library_name")
    categories = [library] if isinstance(library, str) else []
    if relation:
        categories.append(_RELATION_CATEGORY.get(relation, relation))
    return {
        "identifier": model_id,
        "name": short_name or model_id,
        "url": f"{HUB_URL}/{model_id}",
        "author": card_data.get("model_creator") or namespace or None,
        "sharedBy": namespace or None,
        "dateCreated": item.get("createdAt"),
        "dateModified": item.get("lastModified"),
        "version": item.get("sha"),
        "license": _unique(licenses),
        "licenseName": card_data.get("license_name"),
        "licenseLink": card_data.get("license_link"),
        "conditionsOfAccess": _access_conditions(item.get("gated")),
        "keywords": _unique([t for t in tags if not (isinstance(t, str) and t.startswith(_STRUCTURED_TAG_PREFIXES))]
                            + _as_list(card_data.get("tags"))),
        "inLanguage": _unique(_as_list(card_data.get("language"))),
        "mlTask": _unique(_as_list(item.get("pipeline_tag") or card_data.get("pipeline_tag"))),
        "modelCategory": categories,
        "libraryName": library,
        "fineTunedFrom": bases,
        "baseModelRelation": relation,
        "trainedOn": _unique(_as_list(card_data.get("datasets")) + _tag_values(tags, "dataset:")),
        "evaluatedOn": _unique(e["dataset"] for e in evals if isinstance(e, dict) and e.get("dataset")),
        "evaluationMetrics": evals,
        "citation": _unique(f"https://arxiv.org/abs/{a}" for a in _tag_values(tags, "arxiv:") + cited_in_card(readme)),
        "description": modelcard.description(card),
        "intendedUse": modelcard.section_text(card, modelcard.INTENDED_USE_HEADINGS),
        "modelRisksBiasLimitations": modelcard.section_text(card, modelcard.LIMITATIONS_HEADINGS),
        "usageInstructions": usage.clean or None if usage else None,
        "codeSampleSnippet": modelcard.code_snippet(card),
        "hasCO2eEmissions": co2_emissions(card_data),
        "readme": f"{HUB_URL}/{model_id}/blob/main/README.md" if readme is not None else None,
        "downloads": item.get("downloads", 0),
        "likes": item.get("likes", 0),
        "cardStatus": card.yaml_status,
        "cardError": card.yaml_error,
    }


def arxiv_ids(record: dict) -> list[str]:
    """The arXiv ids, without version, among a record's citations (`https://arxiv.org/abs/<id>`)."""
    ids = (c.split("/abs/", 1)[1] for c in record.get("citation", []) if isinstance(c, str) and "/abs/" in c)
    return list(dict.fromkeys(re.sub(r"v\d+$", "", i) for i in ids if _ARXIV_ID.match(i)))


def cited_in_card(readme: str | None) -> list[str]:
    """arXiv ids the card links to (the Hub derives its `arxiv:` tags the same way; tags may lag)."""
    return [m.group(1) for m in _ARXIV_LINK.finditer(readme)] if readme else []


_EVALUATION = pa.struct([
    ("task", pa.string()), ("dataset", pa.string()), ("datasetName", pa.string()),
    ("datasetConfig", pa.string()), ("split", pa.string()), ("metric", pa.string()), ("name", pa.string()),
    ("value", pa.float64()), ("valueText", pa.string()), ("verified", pa.bool_()),
])
_LIST = pa.list_(pa.string())
# Column types of the normalized Parquet file; records reach it only after schema validation.
ARROW_SCHEMA = pa.schema([
    ("identifier", pa.string()), ("name", pa.string()), ("url", pa.string()), ("author", pa.string()),
    ("sharedBy", pa.string()), ("dateCreated", pa.string()), ("dateModified", pa.string()),
    ("version", pa.string()), ("license", _LIST), ("licenseName", pa.string()), ("licenseLink", pa.string()),
    ("conditionsOfAccess", pa.string()), ("keywords", _LIST), ("inLanguage", _LIST), ("mlTask", _LIST),
    ("modelCategory", _LIST), ("libraryName", pa.string()), ("fineTunedFrom", _LIST),
    ("baseModelRelation", pa.string()), ("trainedOn", _LIST), ("evaluatedOn", _LIST),
    ("evaluationMetrics", pa.list_(_EVALUATION)), ("citation", _LIST), ("description", pa.large_string()),
    ("intendedUse", pa.large_string()), ("modelRisksBiasLimitations", pa.large_string()),
    ("usageInstructions", pa.large_string()), ("codeSampleSnippet", pa.large_string()),
    ("hasCO2eEmissions", pa.string()), ("readme", pa.string()), ("downloads", pa.int64()),
    ("likes", pa.int64()), ("cardStatus", pa.string()), ("cardError", pa.string()),
])
