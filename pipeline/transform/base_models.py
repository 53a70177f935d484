"""Which models a model derives from, and how: the relation comes from evidence, never from a default.

The Hub resolves a card's `base_model` into tags, `base_model:<relation>:<id>` (and `base_model:<id>`
on older items), and guesses the relation from the repository's files; when it cannot tell it says
"finetune". So the relation is taken, strongest evidence first, from:

1. the card's own `base_model_relation`;
2. a Hub tag saying quantized, adapter or merge;
3. the model itself: quantized (GGUF/GPTQ/AWQ/EXL2 files, tags or library, `quantized_by`, a
   quantization config), adapter (PEFT library, adapter files, LoRA tags), merge (mergekit tags, a
   merge config in the card) or, weakest, a quantization format in the model's name;
4. a Hub tag saying finetune;
5. training evidence (Trainer / TRL / AutoTrain tags, "fine-tuned version of ..." in the card);

and is `unknown` when none of these says anything. Ids are canonical: where the card and the Hub's
tags name the same model in different spellings, the Hub's spelling wins; the card's text is kept.

Many cards name their base only in prose: "This model is a fine-tuned version of [X](hub link)"
(the Trainer's card), "GGUF model files for [X](...)", "- **Base model:** [X](...)", or a mergekit
configuration. Where neither the metadata nor the Hub's tags name a base, those statements do,
read from the card's own part (not from an "original model card" copied below it). A quantization
repository that says which model it quantized is believed over a `base_model` copied from upstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.transform.ids import repo_id
from pipeline.transform.modelcard import LinesHolding

RELATIONS = ("finetune", "quantized", "adapter", "merge")
UNKNOWN = "unknown"

_QUANT_TAGS = {"gguf", "gptq", "awq", "exl2", "exl3", "ggml", "bitsandbytes", "4-bit", "8-bit", "4bit", "8bit",
               "int4", "int8", "fp8", "nf4", "quantized", "llamafile", "imatrix", "hqq", "aqlm", "marlin",
               "compressed-tensors", "autoround", "bnb", "mlx-quantized", "quanto", "eetq", "torchao"}
_QUANT_LIBRARIES = {"gguf", "ggml", "llama.cpp", "exllamav2", "exllama", "ctranslate2", "mlc-llm"}
_QUANT_FILES = re.compile(r"\.(gguf|ggml|exl2)$|(^|/)quantize_config\.json$|(^|/)quant_config\.json$", re.I)
_QUANT_NAME = re.compile(r"(?:^|[-_.])(gguf|ggml|gptq|awq|exl2|exl3|\d(?:\.\d+)?bpw|bnb|nf4|int4|int8|fp8|"
                         r"[248]-?bits?|q[2-8](?:_k(?:_[sml])?|_[01])?|iq[1-4]_\w+|w4a16|w8a8|mlx-\d+-?bit|hqq|aqlm)"
                         r"(?:$|[-_.])", re.I)
_ADAPTER_TAGS = {"peft", "lora", "qlora", "adapter", "adapters", "template:sd-lora", "lycoris", "dora", "ia3"}
_ADAPTER_FILES = re.compile(r"(^|/)(adapter_config\.json|adapter_model\.(safetensors|bin)|"
                            r"pytorch_lora_weights\.(safetensors|bin))$", re.I)
_MERGE_TAGS = {"merge", "mergekit", "merged", "model-merge", "slerp", "ties", "dare", "frankenmerge",
               "moerge", "passthrough", "task-arithmetic", "lazymergekit"}
_MERGE_TEXT = re.compile(r"\bmerge_method\s*:|created using \[?mergekit|\bmerged? (of|with|using) (the )?"
                         r"(following|pre-?trained)|\bthis (model )?is a merge\b", re.I)
_TRAINING_TAGS = {"generated_from_trainer", "generated_from_keras_callback", "trl", "sft", "dpo", "orpo", "kto",
                  "grpo", "ppo", "rlhf", "autotrain", "unsloth", "axolotl", "fine-tuned", "finetuned", "fine-tune",
                  "finetune", "instruction-tuned"}
_FINETUNE_TEXT = re.compile(r"\bfine[- ]?tuned? (version |checkpoint |model )?(of|from|on top of)\b|"
                            r"\b(has been|have been|was|were|is) (further |then )?fine[- ]?tuned\b|"
                            r"\bfinetuned from model\b|\btrained (on top of|starting from|from the base)\b|"
                            r"\bfurther (pre-?)?trained\b|\bcontinued pre-?training\b", re.I)


_HUB_MODEL_LINK = (r"\(\s*<?(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(?!(?:datasets|spaces|docs|papers|blog|"
                   r"collections|models|organizations|settings|join|login|pricing|tasks)\b)"
                   r"(?P<link>[A-Za-z0-9][\w.-]*(?:/[A-Za-z0-9][\w.-]*)?)[^)\s]*\)")
_ID_TOKEN = r"`?(?P<token>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)`?"
_BARE_HUB_URL = (r"<?(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(?!(?:datasets|spaces|docs|papers|blog|collections|"
                 r"models|organizations|tasks)\b)(?P<bare>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w-]*(?:\.[\w-]+)*)")
_REF = r"(?:\[[^\]\n]{0,200}\]" + _HUB_MODEL_LINK + "|" + _BARE_HUB_URL + "|" + _ID_TOKEN + ")"
_QUANT_SENTENCE = re.compile(
    r"(?:quanti[sz]ed|quants?|gguf|ggml|gptq|awq|exl2|[248][- ]?bit)\b[^.\n]{0,80}?\b"
    r"(?:version|model files|models?|files|weights|quants?|quantizations?|format)\s+(?:of|for|from)\s+(?:the\s+)?"
    + _REF, re.I)
_FIELD_LINE = re.compile(r"^[^\w\n]*(?P<label>base[ _-]?model|parent model|original model|foundation[ _-]?model|"
                         r"modelo original|mod[eè]le original|modello originale|originalmodell|fine[- ]?tuned from(?: model)?"
                         r"(?: \[optional\])?|finetuned from(?: model)?(?: \[optional\])?)[^\w\n]*:[^\w\n]*" + _REF,
                         re.I | re.M)
_FINETUNE_SENTENCES = [re.compile(pattern, re.I) for pattern in (
    r"fine[- ]?tuned? (?:version|checkpoint|variant) of (?:the )?" + _REF,
    r"(?:fine[- ]?tuned?|trained|built) (?:on top of|starting from|from) (?:the )?" + _REF,
    r"\[[^\]\n]{0,200}\]" + _HUB_MODEL_LINK + r"(?:\s*model\b)?[\s,]+(?:\w+\s+)?fine[- ]?tuned (?:on|with|for)\b",
    r"\[[^\]\n]{0,200}\]" + _HUB_MODEL_LINK + r"[^.\n]{0,40}?\b(?:is|was) used as (?:a|the) (?:foundation|base|"
    r"backbone|starting|pre-?trained) model")]
_MERGE_SENTENCE = re.compile(r"^.*\b(?:merge|blend|mix|combination) of\b.*$", re.I | re.M)  # links hold dots: whole lines
_ORIGINAL_CARD = re.compile(r"^[ \t]*(?:#+[ \t]*|<h\d>[ \t]*|\*\*)?original model card\b", re.I | re.M)
_MERGE_MODEL = re.compile(r"^[ \t]*-?[ \t]*(?:source_)?model:\s*[\"']?(?P<id>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)", re.M)
_CODE_BLOCK = re.compile(r"```[^\n]*\n(.*?)```", re.S)


def _ref(match: re.Match) -> str | None:
    groups = match.groupdict()
    return repo_id(groups.get("link") or groups.get("bare") or groups.get("token"))


def _lines_with(text: str, words: LinesHolding) -> str:
    """The lines of a text that hold one of the words: the patterns below only ever match within them,
    and scanning a few lines instead of a long card keeps the mapping fast."""
    return "\n".join(words.findall(text))


_NAMES_A_MODEL = LinesHolding(r"huggingface\.co/|hf\.co/|\w/\w")  # a Hub link or an `org/name`
_TUNING_WORDS = LinesHolding("tun|train")
_MERGE_WORDS = LinesHolding("merge")


def stated_in_text(readme: str | None) -> tuple[str | None, list[str], str] | None:
    """(relation or None, base ids, evidence) from what the card's own prose says of its base, if anything."""
    if not readme:
        return None
    card = _card_own_part(readme)
    # prose lines that name a model: a `base_model:` inside a merge recipe is not a field of this card
    own = _lines_with(_CODE_BLOCK.sub("\n", card), _NAMES_A_MODEL)
    found = [m for m in _QUANT_SENTENCE.finditer(own) if _ref(m)]
    if found:
        return "quantized", [_ref(found[0])], "card text (quantized version of a model)"
    fields = [m for m in _FIELD_LINE.finditer(own) if _ref(m)]
    if fields:
        label = fields[0]["label"].lower()
        relation = "finetune" if "tuned" in label else None
        return relation, list(dict.fromkeys(_ref(m) for m in fields)), f"card text ({fields[0]['label'].strip()}: ...)"
    tuned = sorted((m for pattern in _FINETUNE_SENTENCES for m in pattern.finditer(own) if _ref(m)), key=re.Match.start)
    if tuned:
        return "finetune", [_ref(tuned[0])], "card text (fine-tuned version of a model)"
    for block in _CODE_BLOCK.findall(card):
        if "merge_method" in block or "source_model" in block:
            models = list(dict.fromkeys(m["id"] for m in _MERGE_MODEL.finditer(block) if repo_id(m["id"])))
            if models:
                return "merge", models, "card text (mergekit configuration)"
    for sentence in _MERGE_SENTENCE.findall(own):
        models = list(dict.fromkeys(filter(None, (repo_id(m["link"]) for m in re.finditer(_HUB_MODEL_LINK, sentence)))))
        models = [m for m in models if "/" in m]
        if len(models) >= 2:
            return "merge", models, "card text (a merge of models)"
    return None


@dataclass
class BaseModels:
    ids: list[str] = field(default_factory=list)  # canonical repo ids
    declared: list[str] = field(default_factory=list)  # the card's text, where it differs from the ids
    relation: str | None = None  # one of RELATIONS or UNKNOWN; None without a base
    evidence: str | None = None  # what the relation rests on
    source: str | None = None  # where the ids come from
    issues: list[str] = field(default_factory=list)


def _tag_values(tags: list, prefix: str) -> list[str]:
    return [t[len(prefix):] for t in tags if isinstance(t, str) and t.startswith(prefix)]


def _declared(value) -> list:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _canonical(item: dict, card_data: dict, result: BaseModels) -> tuple[dict[str, str], set[str]]:
    """(base ids in the Hub's spelling where it has one, keyed by lower-case id; the relations the Hub's
    tags give)."""
    tags = [t for t in item.get("tags") or [] if isinstance(t, str)]
    tagged: dict[str, tuple[str, str | None]] = {}  # lower id -> (id, relation)
    for rel in RELATIONS:
        for base in _tag_values(tags, f"base_model:{rel}:"):
            tagged.setdefault(base.lower(), (base, rel))
    for base in _tag_values(tags, "base_model:"):
        if not base.startswith(tuple(f"{r}:" for r in RELATIONS)) and ":" not in base:
            tagged.setdefault(base.lower(), (base, None))
    ids: dict[str, str] = {}
    # `model_link` names the original of a quantization in the metadata quantizers wrote before `base_model`
    declared = _declared(card_data.get("base_model"))
    result.source = "card base_model" if declared else None
    if not declared:
        declared = [v for v in _declared(card_data.get("model_link")) if isinstance(v, str) and "huggingface.co/" in v]
        result.source = "card model_link" if declared else None
    for value in declared:
        if isinstance(value, dict):  # `- name: org/model` (seen in hand-written cards)
            value = value.get("name") or value.get("id")
        normalised = repo_id(value)
        if normalised is None:
            result.issues.append(f"base_model {str(value)[:120]!r} is not a Hub repo id (left out)")
            continue
        canonical = tagged.get(normalised.lower(), (normalised, None))[0]
        ids.setdefault(canonical.lower(), canonical)
        if isinstance(value, str) and value.strip() != canonical:
            result.declared.append(value.strip()[:200])
    for lower, (base, _) in tagged.items():
        if repo_id(base):
            ids.setdefault(lower, base)
            result.source = result.source or "Hub tags base_model:"
    return ids, {rel for _, rel in tagged.values() if rel}


def _files(item: dict) -> list[str]:
    siblings = item.get("siblings")
    if not isinstance(siblings, list):
        return []
    return [s["rfilename"] for s in siblings if isinstance(s, dict) and isinstance(s.get("rfilename"), str)]


def _lower_tags(item: dict, card_data: dict) -> set[str]:
    tags = [t for t in item.get("tags") or [] if isinstance(t, str)]
    card_tags = card_data.get("tags")
    if isinstance(card_tags, list):
        tags += [t for t in card_tags if isinstance(t, str)]
    elif isinstance(card_tags, str):
        tags.append(card_tags)
    return {t.strip().lower() for t in tags}


def _model_evidence(model_id: str, item: dict, card_data: dict, bases: int) -> tuple[str, str] | None:
    """(relation, evidence) from the model's own files, tags, library and metadata, if they say anything."""
    tags = _lower_tags(item, card_data)
    library = str(item.get("library_name") or card_data.get("library_name") or "").lower()
    files = _files(item)
    config = item.get("config") if isinstance(item.get("config"), dict) else {}
    if any(_QUANT_FILES.search(f) for f in files):
        return "quantized", "quantized weight files (" + next(f for f in files if _QUANT_FILES.search(f)) + ")"
    if library in _QUANT_LIBRARIES:
        return "quantized", f"library {library}"
    if card_data.get("quantized_by"):
        return "quantized", "card quantized_by"
    if config.get("quantization_config"):
        return "quantized", "quantization_config in the model config"
    quant_tags = sorted(tags & _QUANT_TAGS)
    if quant_tags:
        return "quantized", f"tag {quant_tags[0]}"
    if library == "peft" or any(_ADAPTER_FILES.search(f) for f in files):
        return "adapter", "PEFT library or adapter files"
    adapter_tags = sorted(tags & _ADAPTER_TAGS)
    if adapter_tags:
        return "adapter", f"tag {adapter_tags[0]}"
    # merge tags travel down a family (a DPO tune of a merge keeps them): with one base they say little
    merge_tags = sorted(tags & _MERGE_TAGS)
    if (merge_tags or library == "mergekit") and bases >= 2:
        return "merge", f"tag {merge_tags[0]} and {bases} bases" if merge_tags else "library mergekit"
    return None


def _quantization(model_id: str, item: dict, card_data: dict) -> bool:
    own = _model_evidence(model_id, item, card_data, 1)
    return bool(own and own[0] == "quantized" or _name_evidence(model_id))


def _name_evidence(model_id: str) -> tuple[str, str] | None:
    match = _QUANT_NAME.search(model_id.rsplit("/", 1)[-1])
    return ("quantized", f"quantization format in the name ({match.group(1)})") if match else None


def _card_own_part(readme: str | None) -> str:
    if not readme:
        return ""
    found = _ORIGINAL_CARD.search(readme)
    return readme[:found.start()] if found else readme


def _training_evidence(item: dict, card_data: dict, readme: str | None) -> str | None:
    training = sorted(_lower_tags(item, card_data) & _TRAINING_TAGS)
    if training:
        return f"tag {training[0]}"
    match = _FINETUNE_TEXT.search(_lines_with(_card_own_part(readme), _TUNING_WORDS))
    return f"card text ({match.group(0).strip()!r})" if match else None


def derive(model_id: str, item: dict, card_data: dict, readme: str | None) -> BaseModels:
    """The bases of a model (canonical ids) and its relation to them, with the evidence."""
    result = BaseModels()
    ids, tag_relations = _canonical(item, card_data, result)
    stated = stated_in_text(readme)
    if stated and stated[0] == "merge" and _quantization(model_id, item, card_data):
        # a quantization repository that shows a merge recipe shows its upstream model's: those are not its bases
        result.issues.append("the card's merge recipe describes the model it quantized (its ingredients left out)")
        stated = None
    text_relation = None
    if stated and (not ids or (stated[0] == "quantized" and stated[1][0].lower() not in ids)):
        # the card's prose names the base: where the metadata names none, or names another than the
        # model a quantization repository says it quantized (metadata copied from upstream)
        result.declared += [i for i in ids.values() if i not in result.declared]
        ids = {base.lower(): base for base in stated[1]}
        text_relation = stated[0] and (stated[0], stated[2])
        result.source = stated[2] + " (inferred)"
    for lower in [k for k in ids if k == model_id.lower()]:
        result.issues.append(f"base_model {ids.pop(lower)!r} is the model itself (left out)")
    result.ids = list(ids.values())
    result.declared = list(dict.fromkeys(d for d in result.declared if d not in result.ids))
    if not result.ids:
        return result
    declared = card_data.get("base_model_relation")
    if isinstance(declared, str) and declared.strip().lower() in RELATIONS:
        result.relation, result.evidence = declared.strip().lower(), "card base_model_relation"
        return result
    if isinstance(declared, str) and declared.strip():
        result.issues.append(f"base_model_relation {declared[:60]!r} is not one of {', '.join(RELATIONS)}")
    strong = [rel for rel in ("quantized", "adapter", "merge") if rel in tag_relations]
    if strong:
        result.relation, result.evidence = strong[0], f"Hub tag base_model:{strong[0]}"
        return result
    own = _model_evidence(model_id, item, card_data, len(result.ids))
    if own:
        result.relation, result.evidence = own
        return result
    # then what the card's own prose says, the name, a merge recipe, the Hub's default, training traces
    card = _card_own_part(readme)
    for found in (text_relation, _name_evidence(model_id),
                  ("merge", "merge configuration in the card") if _MERGE_TEXT.search(_lines_with(card, _MERGE_WORDS))
                  else None,
                  ("finetune", "Hub tag base_model:finetune") if "finetune" in tag_relations else None):
        if found:
            result.relation, result.evidence = found
            return result
    training = _training_evidence(item, card_data, readme)
    if training:
        result.relation, result.evidence = "finetune", training
        return result
    result.relation, result.evidence = UNKNOWN, None
    return result
