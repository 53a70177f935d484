"""The mapping on real Hub records: 343 models gathered from public copies (tests/realworld/PROVENANCE.md),
each class of failure real cards exposed checked on the records that show it, hand-checked golden values,
and the whole corpus built end to end through doit."""

import json
import re
from pathlib import Path

import pytest
import yaml

from pipeline.transform import base_models, fair4ml, ids, languages, licenses, modelcard, validation

REALWORLD = Path(__file__).resolve().parent / "realworld"
CORPUS = REALWORLD / "corpus"
ITEMS = json.loads((CORPUS / "api" / "models.json").read_text(encoding="utf-8"))
PROVENANCE = {entry["id"]: entry for entry in map(json.loads, (REALWORLD / "provenance.jsonl").read_text().splitlines())}
GOLDENS = json.loads((REALWORLD / "goldens.json").read_text(encoding="utf-8"))


def model_id(item: dict) -> str:
    return item.get("id") or item["modelId"]


def readme(mid: str) -> str | None:
    path = CORPUS / "readmes" / mid / "README.md"
    return path.read_bytes().decode("utf-8") if path.exists() else None  # bytes as recorded: CRLF kept


RECORDS = {model_id(item): fair4ml.to_fair4ml({**item, "id": model_id(item)}, readme(model_id(item))) for item in ITEMS}


def with_trait(trait: str, at_least: int = 1) -> list[str]:
    found = sorted(mid for mid, entry in PROVENANCE.items() if trait in entry.get("traits", []))
    assert len(found) >= at_least, f"the corpus should hold at least {at_least} models with trait {trait}"
    return found


def test_corpus_is_real_recorded_and_diverse():
    assert len(ITEMS) >= 150 and len(RECORDS) == len(ITEMS) == len(PROVENANCE)
    for mid, entry in PROVENANCE.items():
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]) and entry["source_repo"] and entry["path"], mid
    cards = {str(p.parent.relative_to(CORPUS / "readmes")) for p in (CORPUS / "readmes").rglob("README.md")}
    assert cards <= set(RECORDS)
    assert len({mid.split("/")[0] for mid in RECORDS if "/" in mid}) >= 150  # many authors, not one family
    for trait in ("gguf", "gptq", "merge", "adapter", "diffusers", "sentence-transformers", "timm", "gated",
                  "other-license", "no-front-matter", "malformed-yaml", "crlf", "huge-model-index"):
        with_trait(trait)
    assert any(key.startswith("non-english:") for entry in PROVENANCE.values() for key in entry["traits"])


def test_every_real_record_maps_to_a_valid_record():
    assert {mid: validation.problems(r)[:1] for mid, r in RECORDS.items() if validation.problems(r)} == {}


@pytest.mark.parametrize("mid", sorted(GOLDENS))
def test_golden_record(mid):
    """Values read from the card by hand (tests/realworld/goldens.json)."""
    record, expected = RECORDS[mid], GOLDENS[mid]
    got = {"relation": record["baseModelRelation"], "base_models": record["fineTunedFrom"],
           "license": record["license"], "datasets": record["trainedOn"], "arxiv": ids.arxiv_ids(record),
           "dois": ids.dois(record), "languages": record["inLanguage"]}
    for key, want in expected.items():
        if key == "description_starts":
            words = lambda text: re.sub(r"\W+", " ", (text or "").lower()).strip()
            if want is None:
                assert record["description"] is None, mid
            else:
                assert words(record["description"]).startswith(words(want)[:60]), (mid, record["description"])
        elif key == "languages":  # written as the card writes them; the record holds BCP 47 tags
            assert sorted(got[key]) == sorted(languages.normalise(want)[0]), mid
        elif isinstance(want, list):
            assert sorted(got[key]) == sorted(want), (mid, key)
        else:
            assert got[key] == want, (mid, key)


# -- 1. relations come from evidence ----------------------------------------------------------------
def test_a_relation_is_never_claimed_without_evidence():
    derived = {mid: r for mid, r in RECORDS.items() if r["fineTunedFrom"]}
    assert len(derived) >= 100
    for mid, record in derived.items():
        assert record["baseModelRelation"] in base_models.RELATIONS + (base_models.UNKNOWN,), mid
        assert (record["baseModelRelation"] == "unknown") == (record["baseModelRelationEvidence"] is None), mid
    assert all(r["baseModelRelation"] is None for r in RECORDS.values() if not r["fineTunedFrom"])


def test_quantizations_are_quantized_not_fine_tunes():
    quantized = with_trait("quantized_by", 20) + with_trait("gptq", 3)
    quantized += [mid for mid in with_trait("gguf", 50) if RECORDS[mid]["fineTunedFrom"]]
    for mid in quantized:
        assert RECORDS[mid]["baseModelRelation"] == "quantized", (mid, RECORDS[mid]["baseModelRelationEvidence"])


def test_quantization_repos_name_what_they_quantized_over_copied_metadata():
    """QuantFactory cards copy the upstream card's `base_model` (the grandparent) but say which model they
    quantized: that model is the base, and the copied ids are kept as declared."""
    for mid in with_trait("yaml-base_model-not-the-quantized-source", 5):
        record = RECORDS[mid]
        stated = re.search(r"quantized version of \[[^\]]*\]\(https://huggingface\.co/([^)]+)\)", readme(mid))
        assert record["fineTunedFrom"] == [stated.group(1)], mid
        assert record["baseModelRelation"] == "quantized"


def test_merges_and_adapters():
    merges = [mid for mid in with_trait("merge", 5) if RECORDS[mid]["fineTunedFrom"]]
    assert merges and all(RECORDS[mid]["baseModelRelation"] in ("merge", "quantized") for mid in merges)
    assert any(RECORDS[mid]["baseModelRelation"] == "merge" and len(RECORDS[mid]["fineTunedFrom"]) >= 2 for mid in merges)
    for mid in with_trait("instance_prompt", 2):  # SDXL DreamBooth LoRA outputs
        assert RECORDS[mid]["baseModelRelation"] == "adapter", mid


def test_bases_named_only_in_prose_are_found():
    stated = [mid for mid in with_trait("fine-tuned-version-phrase", 5)]
    for mid in stated:
        link = re.search(r"fine-tuned version of \[[^\]]*\]\(https://huggingface\.co/([^)\s]+)\)", readme(mid))
        if link:
            assert ids.repo_id(link.group(1)).lower() in [b.lower() for b in RECORDS[mid]["fineTunedFrom"]], mid


# -- 2. front matter however it is written --------------------------------------------------------
def test_front_matter_with_crlf_or_blank_lines_is_read_and_never_leaks():
    front = re.compile(r"^(license|language|tags|pipeline_tag|base_model|datasets|library_name)\s*:", re.M)
    for mid in with_trait("crlf", 10) + with_trait("blank-line-before-front-matter", 5):
        record, text = RECORDS[mid], readme(mid)
        if text and modelcard.split_front_matter(text)[0] is not None and "malformed-yaml" not in PROVENANCE[mid]["traits"]:
            assert record["cardStatus"] == "ok", mid
        for field in ("description", "intendedUse", "modelRisksBiasLimitations"):
            assert not front.search(record[field] or ""), (mid, field)
    crlf_with_license = [m for m in with_trait("crlf") if "license:" in (readme(m) or "")]
    assert crlf_with_license and all(RECORDS[m]["license"] for m in crlf_with_license)


def test_text_before_the_front_matter_means_no_front_matter_as_on_the_hub():
    for mid in with_trait("front-matter-not-at-top", 2):
        assert RECORDS[mid]["cardStatus"] == "none", mid


# -- 3. and 5. base model ids ---------------------------------------------------------------------
def test_a_base_model_given_as_a_hub_url_is_a_repo_id():
    for mid in with_trait("base_model-url"):
        record = RECORDS[mid]
        assert record["fineTunedFrom"] and all(ids.REPO_ID.match(b) for b in record["fineTunedFrom"])
        assert any(d.startswith("https://huggingface.co/") for d in record["baseModelDeclared"]), mid
    assert ids.repo_id("https://huggingface.co/org/Model-7B/tree/main") == "org/Model-7B"
    assert ids.repo_id(" hf.co/org/Model ") == "org/Model"


def test_the_hubs_spelling_of_a_base_wins_over_the_cards():
    api = [item for item in ITEMS if "cardData" in item and item["cardData"].get("base_model")
           and any(t.startswith("base_model:") for t in item.get("tags", []))]
    for item in api:
        tagged = {t.rsplit(":", 1)[1] for t in item["tags"] if t.startswith("base_model:")}
        assert set(RECORDS[model_id(item)]["fineTunedFrom"]) <= tagged | {repo_id for repo_id in tagged}
    item = {"id": "someone/tuned", "tags": ["base_model:finetune:mistralai/Mistral-7B-v0.1"],
            "cardData": {"base_model": "mistralai/Mistral-7b-V0.1"}}
    record = fair4ml.to_fair4ml(item, None)
    assert record["fineTunedFrom"] == ["mistralai/Mistral-7B-v0.1"]
    assert record["baseModelDeclared"] == ["mistralai/Mistral-7b-V0.1"]


# -- 4. and 6. template text and junk are not content ---------------------------------------------
def test_template_text_is_never_content_nor_a_citation():
    for mid in with_trait("co2-link", 20) + with_trait("template-text", 20):
        record = RECORDS[mid]
        assert modelcard.TEMPLATE_PAPER not in ids.arxiv_ids(record), mid
        for field in ("description", "intendedUse", "modelRisksBiasLimitations", "usageInstructions"):
            text = (record[field] or "").lower()
            assert "more information needed" not in text and "provide a quick summary" not in text, (mid, field)
    assert all(modelcard.TEMPLATE_PAPER not in ids.arxiv_ids(r) for r in RECORDS.values())


def test_descriptions_are_prose_not_decoration():
    titles = {mid: modelcard.parse_card(readme(mid)).title for mid in RECORDS if readme(mid)}
    for mid, record in RECORDS.items():
        text = record["description"]
        if text is None:
            continue
        assert "](" not in text and not re.search(r"</?[a-z]+[ >]", text), mid
        assert not re.search(r"ko-fi|patreon|discord\.gg|buymeacoffee", text, re.I), mid
        assert text != titles.get(mid) and sum(ch.isalpha() for ch in text) >= 12, mid
    decorated = with_trait("html-first", 20) + with_trait("badge-or-image-first", 5)
    assert sum(RECORDS[mid]["description"] is not None for mid in decorated) >= 0.8 * len(decorated)
    # a card without any prose says so instead of offering a heading or a badge
    assert all(("no description" in r["cardFlags"]) == (r["description"] is None)
               for mid, r in RECORDS.items() if readme(mid) is not None)


def test_template_only_and_near_empty_cards_are_flagged():
    assert RECORDS["MeetMeAt92/lolight"]["cardFlags"] == ["no description", "template card"]
    thin = [mid for mid, r in RECORDS.items() if "near-empty card" in r["cardFlags"]]
    assert len(thin) >= 50
    for mid in thin:
        own = [RECORDS[mid][f] or "" for f in ("description", "intendedUse", "modelRisksBiasLimitations",
                                               "usageInstructions")]
        assert sum(map(len, own)) < 200, mid
    # a template filled in is not a template card
    assert "template card" not in RECORDS["KETI-AIR/ke-t5-base"]["cardFlags"]


# -- 7. citations wherever cards put them -----------------------------------------------------------
def test_bibtex_eprints_papers_links_and_dois_are_citations():
    for mid in with_trait("eprint", 10):
        eprints = re.findall(r"eprint\s*=\s*[{\"]\s*(\d{4}\.\d{4,5})", readme(mid), re.I)
        assert set(eprints) <= set(ids.arxiv_ids(RECORDS[mid])), mid
    for mid in with_trait("journal-arxiv", 10):
        journals = re.findall(r"journal\s*=\s*[{\"][^}\"]*arXiv:\s*(\d{4}\.\d{4,5})", readme(mid), re.I)
        assert set(journals) <= set(ids.arxiv_ids(RECORDS[mid])), mid
    for mid in with_trait("papers-link", 2):
        linked = re.findall(r"huggingface\.co/papers/(\d{4}\.\d{4,5})", readme(mid))
        assert set(linked) <= set(ids.arxiv_ids(RECORDS[mid])), mid
    with_doi = [mid for mid in with_trait("doi", 10) if readme(mid)]
    assert sum(bool(ids.dois(RECORDS[mid])) for mid in with_doi) >= 0.7 * len(with_doi)


# -- 8. model-index datasets ----------------------------------------------------------------------
def test_model_index_junk_does_not_become_datasets():
    for mid in with_trait("model-index-junk-dataset", 3):
        for dataset in RECORDS[mid]["evaluatedOn"] + RECORDS[mid]["trainedOn"]:
            assert ids.dataset_ref(dataset)[0] == dataset, (mid, dataset)
    for record in RECORDS.values():
        for dataset in record["evaluatedOn"] + record["trainedOn"]:
            assert dataset.strip() and dataset.lower() not in ids.NOT_A_DATASET and ids.task_key(dataset) not in ids.HUB_TASKS


# -- 9. YAML 1.1 booleans ---------------------------------------------------------------------------
def test_norwegian_stays_norwegian():
    for mid in with_trait("norwegian-no", 8):
        assert "no" in RECORDS[mid]["inLanguage"], mid
        assert False not in RECORDS[mid]["inLanguage"]
    assert yaml.load("language: [no, on, yes]", Loader=modelcard.CardYamlLoader) == {"language": ["no", "on", "yes"]}


# -- 10. licenses ---------------------------------------------------------------------------------
def test_relative_license_links_point_into_the_repository():
    for mid in with_trait("relative-license-link", 5):
        link = RECORDS[mid]["licenseLink"]
        assert link.startswith(f"https://huggingface.co/{mid}/blob/main/"), (mid, link)


def test_other_licenses_without_a_name_are_flagged():
    nameless = [mid for mid in with_trait("other-license", 10)
                if RECORDS[mid]["license"] == ["other"] and not RECORDS[mid]["licenseName"]]
    assert nameless
    for mid in nameless:
        entry = licenses.classify("other", None, RECORDS[mid]["licenseLink"])
        assert entry["status"] == "other" and "without a license_name" in entry["flag"]


# -- 11. and 12. tags -----------------------------------------------------------------------------
def test_hub_system_tags_and_structured_tags_are_not_keywords():
    for mid, record in RECORDS.items():
        for keyword in record["keywords"]:
            assert keyword not in fair4ml.HUB_SYSTEM_TAGS, (mid, keyword)
            assert not keyword.startswith(("region:", "license:", "arxiv:", "dataset:", "base_model:")), (mid, keyword)


def test_tags_given_as_a_string_are_whole_tags_not_letters():
    for mid in with_trait("tags-string", 3):
        record = RECORDS[mid]
        card = modelcard.parse_card(readme(mid)).metadata or {}
        written = card.get("tags") if isinstance(card.get("tags"), str) else None
        assert record["keywords"] and all(len(k) > 1 for k in record["keywords"]), mid
        if written:
            assert {t.strip() for t in written.split(",") if t.strip()} <= set(record["keywords"]), mid


def test_parameter_counts_come_from_the_hub_or_are_said_to_be_inferred():
    counted = {mid: r for mid, r in RECORDS.items() if r["parameterCount"]}
    assert len(counted) >= 100
    for mid, record in counted.items():
        source = record["fieldSources"]["parameterCount"]
        assert source.startswith("API ") or ("inferred" in source and "parameterCount" in record["inferredFields"]), mid
        assert record["baseModelRelation"] != "adapter" or source.startswith("API "), mid  # not its base's size
    from_api = [mid for mid, item in ((model_id(i), i) for i in ITEMS) if isinstance(item.get("safetensors"), dict)]
    assert from_api and all(RECORDS[mid]["parameterCount"] == next(i for i in ITEMS if model_id(i) == mid)
                            ["safetensors"]["total"] for mid in from_api)
    assert RECORDS["TheBloke/Llama-2-7B-Chat-GGUF"]["parameterCount"] == 7_000_000_000


def test_languages_are_bcp47_and_the_cards_own_language_is_detected():
    for mid, record in RECORDS.items():
        for tag in record["inLanguage"]:
            assert languages.standard_tag(tag) == tag or any(tag in i for i in record["dataIssues"]), (mid, tag)
    written = {mid: r["cardLanguage"] for mid, r in RECORDS.items() if r["cardLanguage"]}
    assert len(written) >= 200 and written["Skywork/Skywork-13B-base"] == "zh"
    assert written["elyza/ELYZA-japanese-Llama-2-13b-instruct"] == "ja" and written["microsoft/phi-2"] == "en"


# -- end to end -------------------------------------------------------------------------------------
def test_the_real_corpus_builds_end_to_end(hf_project, tmp_path):
    from pipeline.config import load_settings
    from pipeline.load.graph import query_graph

    (tmp_path / "arxiv").mkdir()
    env = {"MLENTORY_HF_SNAPSHOT_DIR": str(CORPUS), "MLENTORY_ARXIV_SNAPSHOT_DIR": str(tmp_path / "arxiv")}
    hf_project.env.update(env)
    result = hf_project.doit()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    quarantined = sum(len(p.read_text().splitlines()) for p in hf_project.root.glob("data/normalized/hf/quarantine-*.jsonl"))
    assert quarantined <= 0.01 * len(ITEMS)
    quality = json.loads(hf_project.doit("quality", "--format", "json").stdout)
    assert quality["catalog"]["records"] + quality["catalog"]["quarantined"] == len(ITEMS)
    assert {r["status"] for r in quality["checks"]} <= {"pass", "warn"}
    settings = load_settings(hf_project.root, environ={**env, "HF_HUB_OFFLINE": "1", "MLENTORY_SHARDS": "4"})
    relations = dict(query_graph(settings, "MATCH (:MLModel)-[r:FINE_TUNED_FROM]->() RETURN r.relation, count(r)"))
    expected: dict = {}
    for record in RECORDS.values():
        for _ in record["fineTunedFrom"]:
            expected[record["baseModelRelation"]] = expected.get(record["baseModelRelation"], 0) + 1
    assert relations == expected
    # papers cited by DOI are entities, titled from the card's BibTeX where it has an entry, and linked
    import pyarrow.parquet as pq
    papers = [json.loads(r["record"]) for r in pq.read_table(hf_project.path("data/normalized/entities/entities.parquet"))
              .to_pylist() if r["kind"] == "Paper"]
    by_doi = {p["identifier"]: p for p in papers if p["identifier"].startswith("10.")}
    assert len(by_doi) >= 20 and sum(not p["name"].startswith("doi:") for p in by_doi.values()) >= 5
    cites = query_graph(settings, "MATCH (:MLModel)-[:CITES]->(p:Paper) WHERE p.id STARTS WITH '10.' "
                                  "RETURN count(DISTINCT p), count(DISTINCT p.name)")
    assert cites[0][0] == len(by_doi) and cites[0][1] == len(by_doi)
