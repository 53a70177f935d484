"""Mapping of every category the bundled snapshot covers, checked against the snapshot's own facts."""

import json

import pytest

from pipeline.extract.snapshot import BUNDLED_SNAPSHOT
from pipeline.transform import fair4ml, ids, languages, modelcard, validation

ITEMS = json.loads((BUNDLED_SNAPSHOT / "api" / "models.json").read_text(encoding="utf-8"))


def readme(model_id):
    path = BUNDLED_SNAPSHOT / "readmes" / model_id / "README.md"
    return path.read_text(encoding="utf-8") if path.exists() else None


RECORDS = {item["id"]: fair4ml.to_fair4ml(item, readme(item["id"])) for item in ITEMS}


def items_where(predicate, at_least=1):
    found = [item for item in ITEMS if predicate(item)]
    assert len(found) >= at_least, f"the snapshot should hold at least {at_least} such models"
    return found


def card(item):
    return item.get("cardData") or {}


def test_snapshot_is_large_diverse_and_shape_accurate():
    assert len(ITEMS) >= 200
    assert len({i["id"] for i in ITEMS}) == len(ITEMS)
    for item in ITEMS:
        assert item["modelId"] == item["id"] and item["author"] == item["id"].split("/")[0]
        assert {"_id", "id", "tags", "downloads", "likes", "lastModified", "createdAt", "private", "sha"} <= set(item)
    libraries = {i.get("library_name") for i in ITEMS}
    assert {"transformers", "diffusers", "sentence-transformers", "timm", "peft"} <= libraries
    assert any("gguf" in i["tags"] for i in ITEMS)


def test_every_snapshot_model_maps_to_a_valid_record():
    problems = {model_id: validation.problems(r) for model_id, r in RECORDS.items()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_card_yaml_matches_api_card_data():
    for item in items_where(lambda i: "cardData" in i and readme(i["id"]), at_least=150):
        parsed = modelcard.parse_card(readme(item["id"]))
        assert parsed.yaml_status == "ok", item["id"]
        assert parsed.metadata == item["cardData"], item["id"]


def test_gated_models_state_their_access_conditions():
    for item in items_where(lambda i: i.get("gated") in ("auto", "manual"), at_least=3):
        assert RECORDS[item["id"]]["conditionsOfAccess"].startswith("Gated on the Hugging Face Hub")
    for item in items_where(lambda i: i.get("gated") is False, at_least=100):
        assert RECORDS[item["id"]]["conditionsOfAccess"] is None


@pytest.mark.parametrize("kind", [str, list])
def test_base_model_as_string_or_list_becomes_fine_tuned_from(kind):
    for item in items_where(lambda i: isinstance(card(i).get("base_model"), kind)):
        declared = card(item)["base_model"]
        assert RECORDS[item["id"]]["fineTunedFrom"] == ([declared] if kind is str else list(dict.fromkeys(declared)))


def test_base_model_relation_comes_from_hub_tags():
    for relation in ("quantized", "finetune", "adapter"):
        for item in items_where(lambda i: any(t.startswith(f"base_model:{relation}:") for t in i["tags"])):
            assert RECORDS[item["id"]]["baseModelRelation"] == relation


def test_base_model_chains_of_depth_three_exist():
    bases = {model_id: r["fineTunedFrom"] for model_id, r in RECORDS.items()}

    def depth(model_id, seen=()):
        parents = [p for p in bases.get(model_id, []) if p not in seen]
        return 1 + max((depth(p, seen + (model_id,)) for p in parents), default=0)

    assert max(depth(m) for m in bases) >= 4  # model -> base -> base -> base


def test_model_index_results_become_evaluations():
    for item in items_where(lambda i: card(i).get("model-index"), at_least=3):
        record = RECORDS[item["id"]]
        results = [r for entry in card(item)["model-index"] for r in entry.get("results", [])]
        metrics = [m for r in results for m in r.get("metrics", [])]
        assert len(record["evaluationMetrics"]) == len(metrics)
        assert {m["type"] for m in metrics} == {e["metric"] for e in record["evaluationMetrics"]}
        declared = {r["dataset"].get("type") or r["dataset"].get("name") for r in results}
        assert set(record["evaluatedOn"]) == {d for d in declared if ids.dataset_ref(d)[0]}


def test_multilingual_cards_keep_every_language():
    for item in items_where(lambda i: isinstance(card(i).get("language"), list) and len(card(i)["language"]) >= 5,
                            at_least=3):
        # as BCP 47 tags: `sh` (deprecated) is `sr-Latn`, `eng` would be `en`
        assert RECORDS[item["id"]]["inLanguage"] == languages.normalise(card(item)["language"])[0]
        assert len(RECORDS[item["id"]]["inLanguage"]) >= 5


def test_cards_without_yaml_still_give_a_description():
    for item in items_where(lambda i: readme(i["id"]) and not readme(i["id"]).startswith("---"), at_least=2):
        record = RECORDS[item["id"]]
        assert record["cardStatus"] == "none"
        assert record["description"]


def test_malformed_yaml_is_reported_not_fatal():
    for item in items_where(lambda i: readme(i["id"]) and readme(i["id"]).startswith("---") and "cardData" not in i,
                            at_least=3):
        record = RECORDS[item["id"]]
        assert record["cardStatus"] == "malformed" and record["cardError"]
        assert validation.problems(record) == []


def test_license_other_keeps_name_and_link():
    for item in items_where(lambda i: card(i).get("license") == "other" and card(i).get("license_name"), at_least=3):
        record = RECORDS[item["id"]]
        assert record["license"] == ["other"]
        assert record["licenseName"] == card(item)["license_name"]
        link = card(item).get("license_link")
        # a path inside the repository becomes its address on the Hub
        assert record["licenseLink"] == (link if link is None or "://" in link else
                                         f"https://huggingface.co/{item['id']}/blob/main/{link}")


def test_datasets_as_string_or_list():
    for item in items_where(lambda i: isinstance(card(i).get("datasets"), str), at_least=3):
        assert RECORDS[item["id"]]["trainedOn"][0] == card(item)["datasets"]
    for item in items_where(lambda i: isinstance(card(i).get("datasets"), list), at_least=20):
        assert RECORDS[item["id"]]["trainedOn"][:len(card(item)["datasets"])] == list(dict.fromkeys(card(item)["datasets"]))


def test_models_without_readme():
    for item in items_where(lambda i: readme(i["id"]) is None):
        record = RECORDS[item["id"]]
        assert (record["cardStatus"], record["readme"], record["description"]) == ("missing", None, None)


@pytest.mark.parametrize("library", ["transformers", "diffusers", "sentence-transformers", "timm", "peft"])
def test_library_and_task_are_mapped(library):
    for item in items_where(lambda i: i.get("library_name") == library):
        record = RECORDS[item["id"]]
        assert record["libraryName"] == library and library in record["modelCategory"]
        assert record["mlTask"] == ([item["pipeline_tag"]] if item.get("pipeline_tag") else
                                   ([card(item)["pipeline_tag"]] if card(item).get("pipeline_tag") else []))


def test_arxiv_tags_become_citations_and_code_samples_are_found():
    for item in items_where(lambda i: any(t.startswith("arxiv:") for t in i["tags"]), at_least=20):
        arxiv = [t.split(":", 1)[1] for t in item["tags"] if t.startswith("arxiv:")]
        assert RECORDS[item["id"]]["citation"] == [f"https://arxiv.org/abs/{a}" for a in arxiv]
    with_code = [r for r in RECORDS.values() if r["codeSampleSnippet"]]
    assert len(with_code) >= 50
    assert all("```" not in r["codeSampleSnippet"] for r in with_code)
