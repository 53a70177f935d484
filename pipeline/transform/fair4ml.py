"""Map a Hugging Face model (API item + model card) to a FAIR4ML MLModel record.

FAIR4ML 0.1.0 (https://w3id.org/fair4ml) extends schema.org's CreativeWork with ML properties:
`mlTask`, `modelCategory`, `fineTunedFrom`, `trainedOn`, `evaluatedOn`, `intendedUse`,
`sharedBy`, `codeSampleSnippet`, `usageInstructions`, `modelRisksBiasLimitations`,
`hasCO2eEmissions`. The record is flat JSON with those names; `jsonld.py` adds the context.
Real cards put almost anything in their fields: a value the mapping can read faithfully is repaired
(a Hub URL for a repo id, a lone string for a list), one it cannot is left out of its field, and
either way the record says so in `dataIssues`, so one odd field does not cost the whole record (the
raw item and card stay in the raw shards). What still breaks the schema is quarantined with its path.
"""

from __future__ import annotations

import math
import re

import pyarrow as pa

from pipeline.transform import base_models as bases_of
from pipeline.transform import bibtex, ids, languages, modelcard, sizes

HUB_URL = ids.HUB_URL
# Tags that carry structured facts mapped to their own fields, not keywords.
_STRUCTURED_TAG_PREFIXES = ("dataset:", "arxiv:", "base_model:", "license:", "region:", "doi:", "deploy:")
# Tags the Hub sets for its own services: they describe the Hub's handling, not the model.
HUB_SYSTEM_TAGS = frozenset({"endpoints_compatible", "autotrain_compatible", "text-generation-inference", "model-index",
                             "has_space", "inference_endpoints", "eval-results", "evaluation-results"})
BASE_MODEL_RELATIONS = bases_of.RELATIONS
_RELATION_CATEGORY = {"quantized": "quantized model", "adapter": "adapter", "merge": "merged model",
                      "finetune": "fine-tuned model"}
_LANGUAGE_MAX = 35


def _as_list(value) -> list:
    """Card fields may be a scalar or a list; keep the items as found (callers check their type)."""
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


def _text(value, limit: int | None = None) -> str | None:
    """A scalar as text (numbers too), else None; empty text is None."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return (text[:limit] if limit else text) or None


def _count(value, field: str, issues: list[str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if value is not None:
        issues.append(f"{field} {str(value)[:40]!r} is not a count (0 used)")
    return 0


def _tag_values(tags: list, prefix: str) -> list[str]:
    return [t[len(prefix):] for t in tags if t.startswith(prefix)] if tags else []


def _string_list(value, field: str, issues: list[str], max_length: int | None = None) -> list[str]:
    """A list of strings from a field that should be one: a lone string is one item (a comma-separated
    string is split, said in `issues`); other kinds of items are left out and said in `issues`."""
    if isinstance(value, str) and "," in value and field in ("tags", "language"):
        issues.append(f"{field} is a comma-separated string, not a list (split)")
        value = value.split(",")
    out = []
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            if max_length and len(item.strip()) > max_length:
                issues.append(f"{field}: {item.strip()[:60]!r} is longer than {max_length} characters (left out)")
                continue
            out.append(item.strip())
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(str(item))
        elif item not in (None, ""):
            issues.append(f"{field}: a {type(item).__name__} item is not text (left out)")
    return out


def _languages(card_data: dict, issues: list[str]) -> list[str]:
    """Card languages as BCP 47 tags; `False` can only be YAML 1.1's reading of `no` (Norwegian), so it
    is read back; a value that is no language is kept as declared and said in `issues`."""
    raw = card_data.get("language")
    items = []
    for item in _as_list(raw):
        if item is False:
            issues.append("language: false read back as 'no' (Norwegian; YAML 1.1 made it a boolean)")
            item = "no"
        items.append(item)
    declared = _string_list(items if not isinstance(raw, str) else raw, "language", issues, _LANGUAGE_MAX)
    tags, unknown = languages.normalise(declared)
    issues += [f"language {value[:40]!r} is not a language tag (kept as declared)" for value in unknown]
    return tags


def _item_tags(item: dict, issues: list[str]) -> list[str]:
    tags = item.get("tags")
    if tags is None or isinstance(tags, list):
        return [t for t in tags or [] if isinstance(t, str)]
    issues.append(f"the API item's tags are a {type(tags).__name__}, not a list (kept as one tag)")
    return _string_list(tags, "tags", [], 200)


def _datasets(values, field: str, issues: list[str]) -> list[str]:
    out = []
    for value in values:
        dataset, why = ids.dataset_ref(value)
        if dataset:
            out.append(dataset)
        else:
            issues.append(f"{field}: {why} (left out)")
    return _unique(out)


def evaluations(model_index, issues: list[str]) -> list[dict]:
    """model-index results as flat FAIR4ML evaluation entries (one per metric); entries that are not of
    the documented shape are left out and said in `issues`."""
    if not isinstance(model_index, list):
        issues.append(f"model-index is a {type(model_index).__name__}, not a list (left out)")
        return []
    out = []
    for entry in model_index:
        results = entry.get("results") if isinstance(entry, dict) else None
        if not isinstance(results, list):
            if results is not None or not isinstance(entry, dict):
                issues.append("model-index: an entry without a list of results (left out)")
            continue
        for result in results:
            if not isinstance(result, dict):
                issues.append("model-index: a result that is not a mapping (left out)")
                continue
            task = result.get("task") if isinstance(result.get("task"), dict) else {}
            dataset = result.get("dataset") if isinstance(result.get("dataset"), dict) else {}
            for metric in _as_list(result.get("metrics")):
                if not isinstance(metric, dict):
                    issues.append("model-index: a metric that is not a mapping (left out)")
                    continue
                kind = _text(metric.get("type"), 200) or _text(metric.get("name"), 200)
                if kind is None:
                    issues.append("model-index: a metric without type or name (left out)")
                    continue
                value = metric.get("value")
                numeric = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
                out.append({
                    "task": _text(task.get("type"), 200),
                    "dataset": _text(dataset.get("type"), 300) or _text(dataset.get("name"), 300),
                    "datasetName": _text(dataset.get("name"), 300),
                    "datasetConfig": _text(dataset.get("config"), 300),
                    "split": _text(dataset.get("split"), 200),
                    "metric": kind,
                    "name": _text(metric.get("name"), 300),
                    "value": float(value) if numeric else None,
                    "valueText": None if numeric or value is None else str(value)[:300],
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
    return _text(value, 200)


def _access_conditions(gated) -> str | None:
    if gated in (None, False, "false"):
        return None
    kind = "manual approval" if gated == "manual" else "automatic approval"
    return f"Gated on the Hugging Face Hub: users must accept the model's conditions ({kind})"


def license_link(value, model_id: str) -> str | None:
    """The card's `license_link`; a path inside the repository (`LICENSE.md`) becomes its URL on the Hub."""
    link = _text(value, 2000)
    if link is None or re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I):
        return link
    path = link.lstrip("./").lstrip("/")
    return f"{HUB_URL}/{model_id}/blob/main/{path}" if path else None


_CITING = modelcard.LinesHolding(r"arxiv|eprint|papers/|10\.\d{4}")  # lines that may cite


def citations(tags: list[str], readme: str | None, card: modelcard.ModelCard) -> list[str]:
    """arXiv papers (the Hub's `arxiv:` tags, links, `arXiv:` ids and BibTeX in the card) and DOIs, as URLs;
    a paper the card names only in template text (the CO2 calculator's) is not a citation, nor, without
    the card to show otherwise, is the template's own paper among the Hub's tags."""
    cited = _CITING.findall(readme) if readme else []  # only these lines can name a paper
    template = [line for line in cited if modelcard.is_template_line(line)]
    own_text = "\n".join(line for line in cited if line not in template)
    in_template = set(ids.arxiv_ids_in("\n".join(template))) - set(ids.arxiv_ids_in(own_text))
    if readme is None:
        in_template.add(modelcard.TEMPLATE_PAPER)
    arxiv = [a for a in _tag_values(tags, "arxiv:") if a not in in_template] + ids.arxiv_ids_in(own_text)
    arxiv = [bare for bare in map(ids.arxiv_id, arxiv) if bare]
    dois = [d.lower() for d in _tag_values(tags, "doi:")] + ids.dois_in(own_text)
    return _unique([ids.arxiv_url(a) for a in arxiv] + [ids.doi_url(d) for d in dois])


def to_fair4ml(item: dict, readme: str | None) -> dict:
    """One FAIR4ML MLModel record from a Hub API item and its README text."""
    model_id = item["id"]
    issues: list[str] = []
    api_card = item.get("cardData")
    card = modelcard.parse_card(readme, api_card if isinstance(api_card, dict) else None)
    card_data = api_card if isinstance(api_card, dict) else (card.metadata or {})
    tags = _item_tags(item, issues)
    namespace, _, short_name = model_id.rpartition("/")
    base = bases_of.derive(model_id, {**item, "tags": tags}, card_data, readme)
    issues += base.issues
    licenses = _string_list(card_data.get("license"), "license", issues, 100) or _tag_values(tags, "license:")
    evals = evaluations(card_data["model-index"], issues) if card_data.get("model-index") is not None else []
    usage = card.section(modelcard.USAGE_HEADINGS)
    library = _text(item.get("library_name"), 100) or _text(card_data.get("library_name"), 100)
    categories = [library] if library else []
    if base.relation in _RELATION_CATEGORY:
        categories.append(_RELATION_CATEGORY[base.relation])
    keywords = [t for t in tags if not t.startswith(_STRUCTURED_TAG_PREFIXES) and t not in HUB_SYSTEM_TAGS]
    card_tags = _string_list(card_data.get("tags"), "tags", issues, 200)
    tasks = [ids.task_key(t) for t in _string_list(item.get("pipeline_tag") or card_data.get("pipeline_tag"),
                                                    "pipeline_tag", issues)]
    for task in [t for t in tasks if not re.match(r"^[a-z0-9][a-z0-9-]*$", t)]:
        issues.append(f"pipeline_tag {task[:60]!r} is not a task id (left out)")
    cited = bibtex.entries(readme)
    found = modelcard.described(card)
    description = found[0] if found else None
    parameters, parameters_from = sizes.parameter_count(item, model_id)
    if base.relation == "adapter" and parameters_from and "inferred" in parameters_from:
        parameters, parameters_from = None, None  # an adapter's name gives its base's size, not its own
    written_in = languages.detect(description)
    card_from = "API cardData" if isinstance(api_card, dict) else "card YAML"
    sources = _sources(item, card_data, card_from, base, found, parameters_from, written_in, tags)
    intended = modelcard.section_text(card, modelcard.INTENDED_USE_HEADINGS)
    limitations = modelcard.section_text(card, modelcard.LIMITATIONS_HEADINGS)
    instructions = usage.clean or None if usage else None
    flags = []
    if readme is not None and description is None:
        flags.append("no description")
    if modelcard.is_template_card(card):
        flags.append("template card")
    elif readme is not None and sum(len(t or "") for t in (description, intended, limitations, instructions)) < 200:
        flags.append("near-empty card")  # a few words of its own, whatever the template around them
    return {
        "identifier": model_id,
        "platform": "hf",
        "name": short_name or model_id,
        "url": f"{HUB_URL}/{model_id}",
        "author": _text(card_data.get("model_creator"), 200) or namespace or None,
        "sharedBy": namespace or None,
        "dateCreated": item.get("createdAt"),
        "dateModified": item.get("lastModified"),
        "version": item.get("sha"),
        "license": _unique(licenses),
        "licenseName": _text(card_data.get("license_name"), 200),
        "licenseLink": license_link(card_data.get("license_link"), model_id),
        "conditionsOfAccess": _access_conditions(item.get("gated")),
        "keywords": _unique(keywords + [t for t in card_tags if t not in HUB_SYSTEM_TAGS
                                        and not t.startswith(_STRUCTURED_TAG_PREFIXES)]),
        "inLanguage": _languages(card_data, issues),
        "mlTask": _unique(t for t in tasks if re.match(r"^[a-z0-9][a-z0-9-]*$", t)),
        "modelCategory": categories,
        "libraryName": library,
        "fineTunedFrom": base.ids,
        "baseModelDeclared": base.declared,
        "baseModelRelation": base.relation,
        "baseModelRelationEvidence": base.evidence,
        "trainedOn": _datasets(_as_list(card_data.get("datasets")) + _tag_values(tags, "dataset:"), "datasets", issues),
        "evaluatedOn": _datasets([e["dataset"] for e in evals if e.get("dataset")], "model-index dataset", issues),
        "evaluationMetrics": evals,
        "citation": _unique(citations(tags, readme, card) + [_citation_url(e["identifier"]) for e in cited
                                                             if e["identifier"]]),
        "citationDetails": cited,
        "description": description,
        "intendedUse": intended,
        "modelRisksBiasLimitations": limitations,
        "usageInstructions": instructions,
        "codeSampleSnippet": modelcard.code_snippet(card),
        "hasCO2eEmissions": co2_emissions(card_data),
        "readme": f"{HUB_URL}/{model_id}/blob/main/README.md" if readme is not None else None,
        "downloads": _count(item.get("downloads"), "downloads", issues),
        "likes": _count(item.get("likes"), "likes", issues),
        "cardStatus": card.yaml_status,
        "cardError": card.yaml_error,
        "cardFlags": flags,
        "dataIssues": _unique(issues),
        "parameterCount": parameters,
        "storageSize": sizes.storage_bytes(item),
        "cardLanguage": written_in[0] if written_in else None,
        "fieldSources": sources,
        "inferredFields": sorted(name for name, where in sources.items() if _INFERRED.search(where)),
    }


def _citation_url(identifier: str) -> str:
    return ids.doi_url(identifier) if identifier.startswith("10.") else ids.arxiv_url(identifier)


_INFERRED = re.compile(r"inferred|detected")  # a value the mapping concluded rather than read


def _sources(item: dict, card_data: dict, card_from: str, base, description, parameters_from: str | None,
             written_in, tags: list[str]) -> dict[str, str]:
    """Where each field's value came from (API field, card YAML key, card section, tag, inference rule)."""
    def first(*candidates):
        return next((where for present, where in candidates if present), None)

    sources = {
        "license": first((card_data.get("license"), f"{card_from} license"),
                         (_tag_values(tags, "license:"), "Hub tags license:")),
        "inLanguage": first((card_data.get("language") not in (None, "", []), f"{card_from} language")),
        "mlTask": first((item.get("pipeline_tag"), "API pipeline_tag"), (card_data.get("pipeline_tag"),
                                                                          f"{card_from} pipeline_tag")),
        "libraryName": first((item.get("library_name"), "API library_name"),
                             (card_data.get("library_name"), f"{card_from} library_name")),
        "author": first((card_data.get("model_creator"), f"{card_from} model_creator"),
                        ("/" in item["id"], "Hub namespace")),
        "fineTunedFrom": base.source,
        "baseModelRelation": base.evidence and (base.evidence if "card base_model_relation" in base.evidence
                                                or base.evidence.startswith("Hub tag")
                                                else f"evidence: {base.evidence} (inferred)"),
        "trainedOn": first((card_data.get("datasets"), f"{card_from} datasets"),
                           (_tag_values(tags, "dataset:"), "Hub tags dataset:")),
        "evaluationMetrics": first((card_data.get("model-index"), f"{card_from} model-index")),
        "conditionsOfAccess": first((item.get("gated") not in (None, False, "false"), "API gated")),
        "licenseName": first((card_data.get("license_name"), f"{card_from} license_name")),
        "licenseLink": first((card_data.get("license_link"), f"{card_from} license_link")),
        "hasCO2eEmissions": first((card_data.get("co2_eq_emissions") is not None, f"{card_from} co2_eq_emissions")),
        "description": description[1] if description else None,
        "parameterCount": parameters_from,
        "storageSize": "API usedStorage" if sizes.storage_bytes(item) else None,
        "cardLanguage": f"detected from the description (py3langid, p={written_in[1]})" if written_in else None,
        "dateModified": "API lastModified" if item.get("lastModified") else None,
        "downloads": "API downloads" if "downloads" in item else None,
    }
    return {name: where for name, where in sources.items() if where}


_EVALUATION = pa.struct([
    ("task", pa.string()), ("dataset", pa.string()), ("datasetName", pa.string()),
    ("datasetConfig", pa.string()), ("split", pa.string()), ("metric", pa.string()), ("name", pa.string()),
    ("value", pa.float64()), ("valueText", pa.string()), ("verified", pa.bool_()),
])
_LIST = pa.list_(pa.string())
_TENSORS = pa.list_(pa.struct([("name", pa.string()), ("axes", pa.string()), ("dataType", pa.string())]))
# Column types of the normalized Parquet file; records reach it only after schema validation.
ARROW_SCHEMA = pa.schema([
    ("identifier", pa.string()), ("platform", pa.string()), ("name", pa.string()), ("url", pa.string()), ("author", pa.string()),
    ("sharedBy", pa.string()), ("dateCreated", pa.string()), ("dateModified", pa.string()),
    ("version", pa.string()), ("license", _LIST), ("licenseName", pa.string()), ("licenseLink", pa.string()),
    ("conditionsOfAccess", pa.string()), ("keywords", _LIST), ("inLanguage", _LIST), ("mlTask", _LIST),
    ("modelCategory", _LIST), ("libraryName", pa.string()), ("fineTunedFrom", _LIST),
    ("baseModelDeclared", _LIST), ("baseModelRelation", pa.string()), ("baseModelRelationEvidence", pa.string()),
    ("trainedOn", _LIST), ("evaluatedOn", _LIST),
    ("evaluationMetrics", pa.list_(_EVALUATION)), ("citation", _LIST), ("description", pa.large_string()),
    ("intendedUse", pa.large_string()), ("modelRisksBiasLimitations", pa.large_string()),
    ("usageInstructions", pa.large_string()), ("codeSampleSnippet", pa.large_string()),
    ("hasCO2eEmissions", pa.string()), ("readme", pa.string()), ("downloads", pa.int64()),
    ("likes", pa.int64()), ("cardStatus", pa.string()), ("cardError", pa.string()), ("cardFlags", _LIST),
    ("dataIssues", _LIST), ("parameterCount", pa.int64()), ("storageSize", pa.int64()), ("cardLanguage", pa.string()),
    ("fieldSources", pa.map_(pa.string(), pa.string())), ("inferredFields", _LIST),
    ("citationDetails", pa.list_(pa.struct([("identifier", pa.string()), ("title", pa.string()), ("author", _LIST),
                                            ("year", pa.string()), ("venue", pa.string()),
                                            ("text", pa.string())]))),
    ("authors", _LIST), ("weightsFormats", _LIST), ("inputs", _TENSORS), ("outputs", _TENSORS),
])
