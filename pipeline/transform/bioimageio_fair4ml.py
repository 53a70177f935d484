"""Map a bioimage.io model (its listing entry and its resource description, rdf.yaml) to a FAIR4ML record.

The description is checked with the zoo's own spec library first (`bioimageio.spec`, formats 0.2 to 0.5,
no file downloaded): a description that does not parse or breaks the spec is quarantined with the
spec's first error, as the zoo itself would refuse it. Fields are then read from the description as
written (the same keys in every format; where 0.5 renamed one, both are read): name, description,
authors, citations (DOIs and arXiv links), license, tags, input and output tensors, weights formats,
training data and parent model. The listing gives the page, the download count and the date.
"""

from __future__ import annotations

import re

import yaml

from pipeline.errors import RecordError
from pipeline.platforms import BIOIMAGEIO, PLATFORMS
from pipeline.transform import ids

PLATFORM = PLATFORMS[BIOIMAGEIO]
PAGE = "https://bioimage.io/#/?id="
# tags that name what a model does (the zoo has no task field): kept as tasks as well as keywords
_TASK_WORDS = re.compile(r"(segmentation|denoising|restoration|classification|detection|super-resolution|"
                         r"reconstruction|tracking|deconvolution|registration)$")


def _strings(value) -> list[str]:
    values = value if isinstance(value, list) else [value] if value is not None else []
    return [str(v).strip() for v in values if isinstance(v, (str, int, float)) and str(v).strip()]


def check_spec(description: dict) -> None:
    """The zoo's validation of the description's format (bioimageio.spec), without downloading anything."""
    import warnings
    from bioimageio.spec import ValidationContext, build_description
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ValidationContext(perform_io_checks=False):
            built = build_description(description)
    summary = built.validation_summary
    if summary.status in ("valid-format", "passed"):
        return
    errors = [error for detail in summary.details for error in detail.errors]
    first = errors[0] if errors else None
    where = "/" + "/".join(str(p) for p in first.loc) if first else "/"
    raise RecordError(where, f"bioimageio.spec: {first.msg if first else summary.status}"[:500], "bioimageio.spec")


def _tensors(value) -> list[dict]:
    """Input or output tensors as {name, axes, dataType} (0.4: `name`, axes a string; 0.5: `id`, axes objects)."""
    out = []
    for tensor in value if isinstance(value, list) else []:
        if not isinstance(tensor, dict):
            continue
        axes = tensor.get("axes")
        if isinstance(axes, list):
            axes = ",".join(str(a.get("id") or a.get("type")) if isinstance(a, dict) else str(a) for a in axes)
        data = tensor.get("data") if isinstance(tensor.get("data"), dict) else {}
        out.append({"name": str(tensor.get("name") or tensor.get("id") or ""),
                    "axes": str(axes) if axes is not None else None,
                    "dataType": str(tensor.get("data_type") or data.get("type") or "") or None})
    return out


def _citations(cite, issues: list[str]) -> tuple[list[str], list[dict]]:
    urls, details = [], []
    for entry in cite if isinstance(cite, list) else []:
        if not isinstance(entry, dict):
            continue
        doi = entry.get("doi") if isinstance(entry.get("doi"), str) else None
        url = entry.get("url") if isinstance(entry.get("url"), str) else ""
        found = ids.dois_in(doi or url)
        arxiv = ids.arxiv_ids_in(url)
        if found:
            identifier, link = found[0].lower(), ids.doi_url(found[0].lower())
        elif arxiv:
            identifier, link = arxiv[0], ids.arxiv_url(arxiv[0])
        else:
            issues.append(f"cite {str(entry.get('text') or url)[:60]!r} has no DOI or arXiv link (left out)")
            continue
        urls.append(link)
        # the zoo's `text` is a label ("data", "architecture") as often as a citation line: never a title
        details.append({"identifier": identifier, "title": None, "author": [], "year": None, "venue": None,
                        "text": str(entry.get("text"))[:500] if entry.get("text") else None})
    return list(dict.fromkeys(urls)), details


def _reference(value) -> str | None:
    """The zoo id of a `training_data` or `parent` reference (`{id: ...}` in 0.4 and 0.5)."""
    if isinstance(value, dict):
        value = value.get("id") or value.get("resource_id")
    return value.strip() if isinstance(value, str) and re.match(r"^[A-Za-z0-9][\w./-]*$", value.strip()) else None


def to_fair4ml(entry: dict, rdf: str | None) -> dict:
    """One FAIR4ML record from a listing entry and its rdf.yaml text; RecordError when it cannot be one."""
    if rdf is None:
        raise RecordError("/rdf_source", f"its resource description could not be read ({entry.get('rdf_source')})")
    try:
        description = yaml.safe_load(rdf)
    except yaml.YAMLError as exc:
        raise RecordError("/rdf_source", f"rdf.yaml is not YAML: {' '.join(str(exc).split())}"[:500]) from exc
    if not isinstance(description, dict):
        raise RecordError("/rdf_source", f"rdf.yaml is a {type(description).__name__}, not a mapping")
    if description.get("type") != "model":
        raise RecordError("/type", f"rdf.yaml describes a {description.get('type')!r}, not a model")
    check_spec(description)
    issues: list[str] = []
    model_id = PLATFORM.catalog_id(entry["id"])
    authors = [a["name"].strip() for a in description.get("authors") or [] if isinstance(a, dict)
               and isinstance(a.get("name"), str) and a["name"].strip()]
    tags = list(dict.fromkeys(_strings(description.get("tags"))))
    citations, details = _citations(description.get("cite"), issues)
    parent = _reference(description.get("parent"))
    trained = _reference(description.get("training_data"))
    if description.get("training_data") is not None and trained is None:
        issues.append("training_data names no dataset id (left out)")
    documentation = description.get("documentation")
    config = description.get("config") if isinstance(description.get("config"), dict) else {}
    zoo = config.get("bioimageio") if isinstance(config.get("bioimageio"), dict) else {}
    text = description.get("description") if isinstance(description.get("description"), str) else None
    sources = {"name": "rdf.yaml name", "description": "rdf.yaml description", "license": "rdf.yaml license",
               "keywords": "rdf.yaml tags", "authors": "rdf.yaml authors", "citation": "rdf.yaml cite",
               "weightsFormats": "rdf.yaml weights", "inputs": "rdf.yaml inputs", "outputs": "rdf.yaml outputs",
               "trainedOn": "rdf.yaml training_data" if trained else None,
               "fineTunedFrom": "rdf.yaml parent" if parent else None,
               "mlTask": "rdf.yaml tags naming a task (inferred)",
               "dateModified": "listing created (the latest version's)",
               "downloads": "listing download_count"}
    record = {
        "identifier": model_id,
        "platform": BIOIMAGEIO,
        "name": str(description.get("name") or entry.get("name") or entry["id"]).strip()[:1000],
        "url": PAGE + entry["id"],
        "author": authors[0][:200] if authors else None,
        "authors": authors,
        "sharedBy": None,
        "dateCreated": None,
        "dateModified": _iso(entry.get("created")),
        "version": str(zoo.get("version_id") or description.get("version") or "")[:64] or None,
        "license": _strings(description.get("license"))[:1],
        "licenseName": None, "licenseLink": None, "conditionsOfAccess": None,
        "keywords": tags,
        "inLanguage": [],
        "mlTask": list(dict.fromkeys(ids.task_key(t) for t in tags if _TASK_WORDS.search(ids.task_key(t)))),
        "modelCategory": ["bioimage.io model"],
        "libraryName": None,
        "fineTunedFrom": [PLATFORM.catalog_id(parent)] if parent else [],
        "baseModelDeclared": [],
        "baseModelRelation": "finetune" if parent else None,
        "baseModelRelationEvidence": "rdf.yaml parent" if parent else None,
        "trainedOn": [PLATFORM.catalog_id(trained)] if trained else [],
        "evaluatedOn": [],
        "evaluationMetrics": [],
        "citation": citations,
        "citationDetails": details,
        "description": text.strip()[:20000] if text and text.strip() else None,
        "intendedUse": None, "modelRisksBiasLimitations": None, "usageInstructions": None, "codeSampleSnippet": None,
        "hasCO2eEmissions": None,
        "readme": documentation if isinstance(documentation, str) and documentation.startswith("https://") else None,
        "downloads": entry["download_count"] if isinstance(entry.get("download_count"), int) and entry["download_count"] >= 0 else 0,
        "likes": 0,
        "cardStatus": "ok",
        "cardError": None,
        "cardFlags": [] if text and text.strip() else ["no description"],
        "dataIssues": issues,
        "parameterCount": None,
        "storageSize": None,
        "cardLanguage": None,
        "weightsFormats": sorted(k for k, v in (description.get("weights") or {}).items() if v is not None)
        if isinstance(description.get("weights"), dict) else [],
        "inputs": _tensors(description.get("inputs")),
        "outputs": _tensors(description.get("outputs")),
    }
    record["fieldSources"] = {k: v for k, v in sources.items() if v and record.get(k) not in (None, [], "")}
    record["inferredFields"] = ["mlTask"] if record["mlTask"] else []
    return record


def _iso(value) -> str | None:
    from pipeline.extract.bioimageio import iso_time
    return iso_time(value)
