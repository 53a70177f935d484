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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.transform.ids import repo_id

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
_FINETUNE_TEXT = re.compile(r"\bfine-?tuned? (version |checkpoint |model )?(of|from|on top of)\b|"
                            r"\bfinetuned from model\b|\btrained (on top of|starting from|from the base)\b|"
                            r"\bfurther (pre-?)?trained\b|\bcontinued pre-?training\b", re.I)


@dataclass
class BaseModels:
    ids: list[str] = field(default_factory=list)  # canonical repo ids
    declared: list[str] = field(default_factory=list)  # the card's text, where it differs from the ids
    relation: str | None = None  # one of RELATIONS or UNKNOWN; None without a base
    evidence: str | None = None  # what the relation rests on
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
    for value in _declared(card_data.get("base_model")):
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


def _model_evidence(model_id: str, item: dict, card_data: dict, readme: str | None,
                    bases: int) -> tuple[str, str] | None:
    """(relation, evidence) from the model's own files, tags, library and card, if they say anything."""
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
    if readme and _MERGE_TEXT.search(readme):
        return "merge", "merge configuration in the card"
    name = model_id.rsplit("/", 1)[-1]
    match = _QUANT_NAME.search(name)
    if match:
        return "quantized", f"quantization format in the name ({match.group(1)})"
    return None


def _training_evidence(item: dict, card_data: dict, readme: str | None) -> str | None:
    training = sorted(_lower_tags(item, card_data) & _TRAINING_TAGS)
    if training:
        return f"tag {training[0]}"
    if readme:
        match = _FINETUNE_TEXT.search(readme)
        if match:
            return f"card text ({match.group(0).strip()!r})"
    return None


def derive(model_id: str, item: dict, card_data: dict, readme: str | None) -> BaseModels:
    """The bases of a model (canonical ids) and its relation to them, with the evidence."""
    result = BaseModels()
    ids, tag_relations = _canonical(item, card_data, result)
    for lower in [k for k in ids if k == model_id.lower()]:
        result.issues.append(f"base_model {ids.pop(lower)!r} is the model itself (left out)")
    result.ids = list(ids.values())
    result.declared = list(dict.fromkeys(result.declared))
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
    own = _model_evidence(model_id, item, card_data, readme, len(result.ids))
    if own:
        result.relation, result.evidence = own
        return result
    if "finetune" in tag_relations:
        result.relation, result.evidence = "finetune", "Hub tag base_model:finetune"
        return result
    training = _training_evidence(item, card_data, readme)
    if training:
        result.relation, result.evidence = "finetune", training
        return result
    result.relation, result.evidence = UNKNOWN, None
    return result
