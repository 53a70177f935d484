"""FAIR4ML / schema.org records for what models point at: datasets, papers, people and Hub accounts,
licenses, tasks, and base models that were not harvested themselves.

Each record has a `kind` (the graph label it becomes) and a `key` (`<kind> <identifier>`, unique
across kinds). Records are validated against `schemas/entities.schema.json`; a record that fails is
quarantined with its path and reason, like a model. A dataset or paper the source could not give
(missing, forbidden, error) still becomes a record with that status, so nothing a model names is
lost from the catalog.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import pyarrow as pa

from pipeline.transform.ids import HUB_URL as HUB

if TYPE_CHECKING:
    from pipeline.transform.catalog_columns import ModelFacts

SCHEMA = "entities.schema.json"
ENTITIES_SCHEMA = pa.schema([
    pa.field("key", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),  # Dataset | Paper | Person | Agent | License | Task | MLModel
    pa.field("identifier", pa.string(), nullable=False),
    pa.field("name", pa.string()),  # what search shows for models that use the entity
    pa.field("record", pa.large_string(), nullable=False),
    pa.field("record_digest", pa.string(), nullable=False),
])
TASK_SET = "https://huggingface.co/tasks"
_NAMESPACE = re.compile(r"^[A-Za-z0-9][\w.-]*$")
_STRUCTURED = ("task_categories:", "task_ids:", "language:", "license:", "size_categories:", "region:", "arxiv:",
               "doi:")


def _list(value) -> list:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _strings(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and v.strip()))


def dataset_record(row: dict) -> dict:
    """A schema:Dataset from a raw dataset row (the Hub's `/api/datasets/<id>` body when status is ok)."""
    record = {"@type": "Dataset", "identifier": row["id"], "name": row["id"].rsplit("/", 1)[-1],
              "status": row["status"], "platform": "hf"}
    if row["status"] != "ok":
        return record
    item = json.loads(row["raw_json"])
    card = item.get("cardData") if isinstance(item.get("cardData"), dict) else {}
    tags = item.get("tags") or []
    hub_id = item["id"]
    tag_values = lambda prefix: [t[len(prefix):] for t in tags if isinstance(t, str) and t.startswith(prefix)]
    record.update({
        "name": card.get("pretty_name") or hub_id.rsplit("/", 1)[-1],
        "url": f"{HUB}/datasets/{hub_id}",
        "hubId": hub_id,
        "sharedBy": item.get("author") or (hub_id.split("/")[0] if "/" in hub_id else None),
        "description": item.get("description") or None,
        "license": _strings(_list(card.get("license")) or tag_values("license:")),
        "licenseName": card.get("license_name"),
        "inLanguage": _strings(_list(card.get("language")) or tag_values("language:")),
        "mlTask": _strings(_list(card.get("task_categories")) or tag_values("task_categories:")),
        "size": (_strings(_list(card.get("size_categories")) or tag_values("size_categories:")) or [None])[0],
        "keywords": _strings(t for t in tags if isinstance(t, str) and not t.startswith(_STRUCTURED)),
        "conditionsOfAccess": "Gated on the Hugging Face Hub" if item.get("gated") not in (None, False) else None,
        "dateCreated": item.get("createdAt"),
        "dateModified": item.get("lastModified"),
        "downloads": item.get("downloads"),
        "likes": item.get("likes"),
    })
    if hub_id != row["id"]:
        record["sameAs"] = f"{HUB}/datasets/{hub_id}"
    return {k: v for k, v in record.items() if v not in (None, [])}


def platform_dataset_record(row: dict, named: dict[str, str] | None = None) -> dict:
    """A schema:Dataset of OpenML or bioimage.io (raw rows of `openml_raw_datasets`,
    `bioimageio_raw_datasets`): the platform's description when it gave one, else the name its
    models' evaluations use (`named`) and the status."""
    from pipeline.platforms import PLATFORMS, platform_of
    platform = PLATFORMS[platform_of(row["id"])]
    native = platform.native_id(row["id"])
    record = {"@type": "Dataset", "identifier": row["id"], "platform": platform.key, "status": row["status"],
              "name": (named or {}).get(row["id"]) or native.rsplit("/", 1)[-1]}
    item = json.loads(row["raw_json"]) if row["status"] == "ok" and row.get("raw_json") else {}
    if platform.key == "openml":
        record["url"] = f"https://www.openml.org/d/{native.removeprefix('data/')}"
        if item:
            record.update(name=item.get("name") or record["name"], description=item.get("description"),
                          license=_strings(_list(item.get("licence"))), dateCreated=_iso(item.get("upload_date")),
                          keywords=_strings(_list(item.get("tag"))),
                          source=_url(item.get("original_data_url")), doi=_doi(item.get("citation"), item.get("paper_url")))
    elif item:  # bioimage.io: the zoo's entry
        record.update(name=item.get("name") or record["name"], description=item.get("description"),
                      license=_strings(_list(item.get("license"))), keywords=_strings(_list(item.get("tags"))),
                      url=f"https://bioimage.io/#/?id={item['id']}", source=_url(item.get("source")),
                      doi=_doi(item.get("id"), item.get("source")))
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def _iso(value) -> str | None:
    match = re.match(r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)$", value) if isinstance(value, str) else None
    return f"{match[1]}T{match[2]}Z" if match else None


def _url(value) -> str | None:
    return value.strip() if isinstance(value, str) and re.match(r"^https?://\S+$", value.strip()) else None


def _doi(*texts) -> str | None:
    from pipeline.transform.ids import dois_in
    found = [d.lower() for text in texts if isinstance(text, str) for d in dois_in(text)]
    return found[0] if found else None


def same_dataset_key(record: dict) -> list[str]:
    """What makes two platforms' datasets one: the same DOI, or the same source address (scheme, `www.`,
    a trailing slash and case aside)."""
    keys = [f"doi:{record['doi']}"] if record.get("doi") else []
    if record.get("source"):
        address = re.sub(r"^https?://(www\.)?", "", record["source"].strip().lower()).rstrip("/")
        keys.append(f"url:{address}")
    return keys


def link_same_datasets(records: list[dict]) -> None:
    """Give each dataset the catalog ids of the datasets on other platforms that are the same one
    (`sameDatasets`), so a graph query reaches the models of every platform that used it."""
    groups: dict[str, list[dict]] = {}
    for record in records:
        for key in same_dataset_key(record):
            groups.setdefault(key, []).append(record)
    for members in groups.values():
        for record in members:
            others = [m["identifier"] for m in members if m.get("platform") != record.get("platform")]
            if others:
                record["sameDatasets"] = sorted(set(record.get("sameDatasets", [])) | set(others))


def paper_record(row: dict) -> dict:
    """A schema:ScholarlyArticle from an arXiv row."""
    record = {"@type": "ScholarlyArticle", "identifier": row["id"], "name": row.get("title") or f"arXiv:{row['id']}",
              "url": f"https://arxiv.org/abs/{row['id']}", "status": row["status"]}
    if row["status"] == "ok":
        record.update({
            "abstract": row.get("summary"),
            "author": row.get("authors") or [],
            "datePublished": row.get("published"),
            "dateModified": row.get("updated"),
            "articleSection": row.get("primary_category"),
            "keywords": row.get("categories") or [],
            "version": row.get("version"),
            "sameAs": f"https://doi.org/{row['doi']}" if row.get("doi") else None,
        })
    return {k: v for k, v in record.items() if v not in (None, [])}


def cited_paper_record(doi: str, details: dict | None) -> dict:
    """A schema:ScholarlyArticle for a paper a card cites by DOI, described by the card's BibTeX where it
    has an entry for it (no DOI registry is asked)."""
    details = details or {}
    record = {"@type": "ScholarlyArticle", "identifier": doi, "name": details.get("title") or f"doi:{doi}",
              "url": f"https://doi.org/{doi}", "status": "cited in a model card", "author": details.get("author") or [],
              "datePublished": details.get("year") if re.fullmatch(r"\d{4}", details.get("year") or "") else None,
              "isPartOf": details.get("venue")}
    return {k: v for k, v in record.items() if v not in (None, [])}


def license_record(entry: dict) -> dict:
    record = {"@type": "CreativeWork", "additionalType": "License", "identifier": entry["key"],
              "name": entry.get("name") or entry["declared"], "declared": entry["declared"],
              "status": entry["status"], "spdxId": entry.get("spdx_id"),
              "url": f"https://spdx.org/licenses/{entry['spdx_id']}.html" if entry.get("spdx_id") else None,
              "osiApproved": entry.get("osi_approved"), "fsfLibre": entry.get("fsf_libre"),
              "isDeprecated": entry.get("deprecated"), "licenseName": entry.get("license_name"),
              "licenseLink": entry.get("license_link"), "flag": entry.get("flag")}
    link = entry.get("license_link") or ""
    if record.get("url") is None and link.startswith(("https://", "http://")):
        record["url"] = link  # a relative link (`LICENSE.md`) points into the model's own repository
    return {k: v for k, v in record.items() if v is not None}


def task_record(task: str) -> dict:
    return {"@type": "DefinedTerm", "identifier": task, "name": task.replace("-", " ").capitalize(),
            "inDefinedTermSet": TASK_SET, "url": f"{TASK_SET}/{task}"}


def agent_record(name: str) -> dict:
    """A Hub account (user or organisation: the listing does not say which), or a creator a card names
    in free text (`model_creator: Mistral AI`), which has no Hub page."""
    record = {"@type": "Agent", "identifier": name, "name": name}
    if _NAMESPACE.match(name):
        record["url"] = f"{HUB}/{name}"
    return record


def person_record(name: str) -> dict:
    return {"@type": "Person", "identifier": name, "name": name}


_BASE_FIELDS = ("description", "license", "licenseName", "mlTask", "libraryName", "author", "sharedBy", "dateModified",
                "downloads", "likes", "parameterCount", "fineTunedFrom", "baseModelRelation", "keywords", "inLanguage")


def fetched_model_record(record: dict) -> dict:
    """A base model outside the harvest, described by its fetched Hub item and card (hf_raw_base_models):
    the stub's fields and the descriptive part of its FAIR4ML record."""
    described = {"@type": "MLModel", "identifier": record["identifier"], "name": record["name"],
                 "url": record["url"], "harvested": False, "fetched": True}
    described.update((k, record[k]) for k in _BASE_FIELDS if record.get(k) not in (None, []))
    return described


def stub_model_record(model_id: str) -> dict:
    """A base model known only because a harvested model names it."""
    return {"@type": "MLModel", "identifier": model_id, "name": model_id.rsplit("/", 1)[-1],
            "url": f"{HUB}/{model_id}", "harvested": False}


def catalog(datasets: list[dict], papers: list[dict], licenses: list[dict], stubs, models: ModelFacts,
            fetched: list[dict] = (), platform_datasets: list[dict] = ()) -> Iterator[dict]:
    """Every entity record, in key order: from the raw dataset and paper rows, the license entries,
    the lineage's not-harvested bases, and the tasks and accounts the models name. Only the names are
    held; the records are made as they are read."""
    named = {m["dataset"]: m["datasetName"] for row in models.metrics for m in row.get("evaluationMetrics") or []
             if m.get("dataset") and m.get("datasetName")}
    dataset_records = sorted([*(dataset_record(row) for row in datasets),
                              *(platform_dataset_record(row, named) for row in platform_datasets)],
                             key=lambda r: r["identifier"])
    link_same_datasets(dataset_records)
    paper_records = sorted((paper_record(row) for row in papers), key=lambda r: r["identifier"])
    described = {record["identifier"]: record for record in fetched}
    tasks = {t for d in dataset_records for t in d.get("mlTask", [])}
    tasks.update(t for record in fetched for t in record.get("mlTask") or [])
    agents = {d["sharedBy"] for d in dataset_records if d.get("sharedBy")}
    tasks.update(models.tasks)
    agents.update(models.agents)
    cited: dict[str, dict | None] = {}
    for row in models.citing:
        details = {d["identifier"]: d for d in row.get("citationDetails") or [] if d.get("identifier")}
        for url in row.get("citation") or []:
            if "doi.org/" in url:
                doi = url.split("doi.org/", 1)[1]
                if cited.get(doi) is None or not cited[doi].get("title"):
                    cited[doi] = details.get(doi) or cited.get(doi)
    paper_records += [cited_paper_record(doi, cited[doi]) for doi in sorted(cited)]
    people = {name for paper in paper_records for name in paper.get("author", [])}
    by_kind = {  # a key is "<kind> <identifier>": kinds in name order, each by identifier, is key order
        "Agent": (agent_record(a) for a in sorted(agents)),
        "Dataset": iter(dataset_records),
        "License": (license_record(e) for e in sorted(licenses, key=lambda e: e["key"])),
        "MLModel": (fetched_model_record(described[m]) if m in described else stub_model_record(m)
                    for m in sorted(set(stubs))),
        "Paper": iter(paper_records),
        "Person": (person_record(p) for p in sorted(people)),
        "Task": (task_record(t) for t in sorted(tasks)),
    }
    for kind in sorted(by_kind):
        yield from by_kind[kind]


KIND_OF_TYPE = {"Dataset": "Dataset", "ScholarlyArticle": "Paper", "Person": "Person", "Agent": "Agent",
                "CreativeWork": "License", "DefinedTerm": "Task", "MLModel": "MLModel"}


def row(record: dict, text: str | None = None) -> dict:
    from pipeline.digests import text_digest
    kind = KIND_OF_TYPE[record["@type"]]
    text = json.dumps(record, ensure_ascii=False, sort_keys=True) if text is None else text
    return {"key": f"{kind} {record['identifier']}", "kind": kind, "identifier": record["identifier"],
            "name": record.get("name"), "record": text, "record_digest": text_digest(text)}


FINGERPRINT_KEY = b"mlentory.fingerprint"


def passed_before(parquet: Path, fingerprint: str) -> frozenset[str]:
    """The record digests of the previous entities file, when the same code and schema (`fingerprint`)
    wrote it: each of those records passed the schema then, and the same digest is the same text.
    Empty for another fingerprint, or no file."""
    import pyarrow.parquet as pq
    if not fingerprint or not parquet.exists():
        return frozenset()
    with pq.ParquetFile(parquet) as previous:
        if (previous.schema_arrow.metadata or {}).get(FINGERPRINT_KEY) != fingerprint.encode():
            return frozenset()
        return frozenset(previous.read(columns=["record_digest"], use_threads=False).column(0).to_pylist())


def validated(records: Iterable[dict], quarantine: list[dict],
              passed: frozenset[str] = frozenset()) -> Iterator[tuple[dict, dict]]:
    """(record, row) of the records that pass the schema, the first of each key; the others go to
    `quarantine` with their reasons. A record whose digest is in `passed` (see `passed_before`) is not
    checked again: a run that adds a few entities checks those, not the 34k others (2.5 s at 100k models)."""
    from pipeline.digests import text_digest
    from pipeline.transform import validation
    seen = set()
    for record in records:
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        if text_digest(text) not in passed:
            issues = validation.problems(record, SCHEMA)
            if issues:
                entry = validation.quarantine_entry(record.get("identifier"), "schema", issues)
                quarantine.append({**entry, "type": record.get("@type")})
                continue
        out = row(record, text)
        if out["key"] not in seen:
            seen.add(out["key"])
            yield record, out


def write_catalog(records: Iterable[dict], quarantine: list[dict], parquet: Path, jsonl: Path, jsonld: Path,
                  iris=None, fingerprint: str = "", previous: Path | None = None) -> Counter:
    """Validate the records (in key order) and write those that pass as Parquet rows (a loader reads
    them a row group at a time), JSON Lines and one JSON-LD document; returns how many of each kind
    were written. `fingerprint` (code and schema) is recorded in the Parquet file; records the
    `previous` file holds under the same fingerprint are not validated again."""
    from pipeline.storage import ParquetRows
    from pipeline.transform.jsonld import write_entities

    known = passed_before(previous, fingerprint) if previous is not None else frozenset()
    schema = ENTITIES_SCHEMA.with_metadata({FINGERPRINT_KEY: fingerprint.encode()}) if fingerprint else ENTITIES_SCHEMA
    kinds: Counter = Counter()
    with ParquetRows(parquet, schema) as table, jsonl.open("w", encoding="utf-8") as lines:
        def passed() -> Iterator[dict]:
            for record, out in validated(records, quarantine, known):
                kinds[out["kind"]] += 1
                lines.write(out["record"] + "\n")  # the record's canonical JSON, as write_jsonl writes it
                table.add(out)
                yield record

        write_entities(passed(), jsonld, *([iris] if iris else []))
    return kinds
