"""Whatever a card or an API item holds, the mapping gives a record: odd values are repaired or left out
(and said in dataIssues), never a crash; hostile cards map too (their cost is measured by
benchmarks/mapping_worst_case.py, not here)."""

import itertools

import pytest

from pipeline.transform import fair4ml, modelcard, validation
from tests.test_realworld import readme

CARD_FIELDS = ["license", "language", "tags", "datasets", "base_model", "base_model_relation", "model-index",
               "pipeline_tag", "library_name", "license_name", "license_link", "model_creator", "co2_eq_emissions",
               "quantized_by", "model_link"]
ODD_VALUES = [None, "", 0, 1.5, True, False, [], {}, [None], [{"a": 1}], [[1]], "x" * 500, {"name": ["x"]},
              "https://huggingface.co/", "../..", [True, "en"], float("nan"), "no", ["a,b"], {"emissions": "lots"},
              [{"results": "x"}], [{"results": [{"metrics": [{"value": "85%"}]}]}],
              [{"results": [{"dataset": "squad", "task": 5, "metrics": {"type": "acc", "value": 1}}]}]]
REAL_CARD = readme("TheBloke/Llama-2-7B-Chat-GGUF")


@pytest.mark.parametrize("field", CARD_FIELDS)
def test_any_value_in_a_card_field_gives_a_valid_record(field):
    for value in ODD_VALUES:
        record = fair4ml.to_fair4ml({"id": "org/model", "cardData": {field: value}}, REAL_CARD)
        assert validation.problems(record) == [], (field, value, validation.problems(record)[:1])


def test_odd_api_item_fields_are_repaired_or_say_why_the_record_is_quarantined():
    odd = {"tags": [None, 5, {"a": 1}, "x", [None, 3, "ok"]], "siblings": ["x", [1], [{"rfilename": 5}]],
           "gated": ["manual", 5, [1], "auto"], "downloads": ["12", -1, 1.5, None], "likes": [True],
           "library_name": [["x"], 5, {}], "pipeline_tag": [5, ["text-generation"], "Text Generation", "!!"],
           "config": ["x", [1], {"quantization_config": 1}], "cardData": ["x", [1], None], "lastModified": [None]}
    for field, values in odd.items():
        for value in values:
            record = fair4ml.to_fair4ml({"id": "org/model", field: value}, REAL_CARD)
            assert validation.problems(record) == [], (field, value)
    broken = fair4ml.to_fair4ml({"id": "org/model", "createdAt": 5}, REAL_CARD)
    assert validation.problems(broken)[0]["path"] == "/dateCreated"  # an API field the Hub never sends so


@pytest.mark.parametrize("text", [
    "```\n" * 2000, "[" * 5000 + "](" * 20, "<!--" + "x\n" * 2000, "# h\n" * 2000, "<div>" * 2000,
    "a\n-\n" * 2000, "![" * 2000, "\n" * 20000 + "x", "\ufeff\n\n---\nlicense: mit\n---\n", "---\nunterminated: [\n",
    "---\n- a\n- b\n---\nbody", "---\n---\n", "\x00\x01 binary \xff", "---\nlanguage: no\n---\n" * 3,
])
def test_hostile_cards_map_to_valid_records(text):
    record = fair4ml.to_fair4ml({"id": "org/model"}, text)
    assert validation.problems(record) == []


def test_an_alias_bomb_in_front_matter_is_malformed_not_a_hang():
    levels = "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(12))
    card = "---\na: &a [x,x,x,x,x,x,x,x,x]\n" + levels + "---\nA model card with a bomb in it.\n"
    record = fair4ml.to_fair4ml({"id": "org/model"}, card)
    assert record["cardStatus"] == "malformed" and "YAML aliases" in record["cardError"]
    assert record["description"] == "A model card with a bomb in it."


def test_front_matter_is_found_as_huggingface_hub_finds_it():
    body = "# T\n\nSome words about the model here.\n"
    for text in ("---\nlicense: mit\n---\n" + body, "\r\n\r\n---\r\nlicense: mit\r\n---\r\n" + body.replace("\n", "\r\n"),
                 "\ufeff---\nlicense: mit\n---\n" + body, "\n  \n---\nlicense: mit\n---   \n" + body):
        card = modelcard.parse_card(text)
        assert (card.yaml_status, card.metadata) == ("ok", {"license": "mit"}), repr(text[:20])
        assert modelcard.description(card) == "Some words about the model here."
    assert modelcard.parse_card("Intro line\n---\nlicense: mit\n---\n" + body).yaml_status == "none"


def test_front_matter_is_split_exactly_where_huggingface_hubs_own_pattern_splits_it():
    """The splitter is written here (importing huggingface_hub.repocard costs every worker 0.2-0.3 s):
    on line-ending and blank-line corner cases and on every real card of the corpus it gives the
    YAML block and body huggingface_hub's REGEX_YAML_BLOCK gives."""
    from huggingface_hub.repocard import REGEX_YAML_BLOCK

    from tests.test_realworld import ITEMS, model_id

    cases = ["", "---", "---\n", "---\n---\n", "---\r\n---\n", "---\r\n---", "---\r---\r", "---\n\n---\nx",
             "---\r\n\r\n---\r\nbody", "  \n\t---\na: 1\n---  \t\nbody", "---\na: 1\n--- x\nbody",
             "---\na: 1\n---\r", "---\na: 1\n----\nb: 2\n---\n", "text\n---\na: 1\n---\n", "--- \na: 1\n---\n",
             "\n---\n---\n---\n", "---\na\r\n---\n", "---\na: 1\n---", "---\na: 1\n---\n\n"]
    cards = [readme(model_id(item)) for item in ITEMS]
    for text in cases + [card for card in cards if card]:
        found = REGEX_YAML_BLOCK.search(text)
        expected = (found.group(2), text[found.end():]) if found else (None, text)
        assert modelcard.split_front_matter(text) == expected, repr(text[:60])
    assert sum(1 for card in cards if card and modelcard.split_front_matter(card)[0] is not None) > 100


def test_template_headings_and_sentences_come_from_the_hubs_own_template():
    assert modelcard.is_placeholder("[More Information Needed]")
    assert modelcard.is_placeholder("- **Developed by:** [More Information Needed]")
    assert modelcard.is_placeholder("Use the code below to get started with the model.")
    assert not modelcard.is_placeholder("- **Developed by:** Acme Research")
    assert not any(itertools.islice((line for line in modelcard.template_lines() if "{{" in line), 1))


def test_lines_holding_words_are_the_lines_the_whole_line_pattern_finds():
    """`LinesHolding` finds, by searching for the words alone, exactly the lines `^.*(?:words).*$` (re.M)
    finds: on real cards and on random text of line breaks, carriage returns and near-misses."""
    import random
    import re

    words = [r"huggingface\.co/|hf\.co/|\w/\w", "tun|train", "merge", r"arxiv|eprint|papers/|10\.\d{4}"]
    rng = random.Random(7)
    pieces = ["\n", "\r\n", "\r", " ", "a/b", "/", "x/", "/y", "hf.co/", "HF.CO/", "Merge", "mer", "ge", "Tuning",
              "TRAIN", "arXiv", "10.1234", "10.12", "é/ü", "—", "\n\n"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40))) for _ in range(3000)]
    texts += [REAL_CARD, readme("mistralai/Mixtral-8x7B-Instruct-v0.1") or ""]
    for pattern in words:
        whole_lines = re.compile(r"^.*(?:" + pattern + r").*$", re.I | re.M)
        found = modelcard.LinesHolding(pattern)
        for text in texts:
            assert found.findall(text) == whole_lines.findall(text), (pattern, text)
