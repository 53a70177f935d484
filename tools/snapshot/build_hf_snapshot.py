"""Write the bundled Hub snapshot (`snapshot/hf/`) from the fact table in `hf_facts.py`.

Run `python -m tools.snapshot.build_hf_snapshot` after editing the facts. Items written by hand
in the API's shape under `tools/snapshot/parts/*.json` (with their README files already in
`readmes/`) are added for models the fact table does not cover. The output has the
shape of `GET /api/models?full=true&cardData=true&sort=lastModified` items and of each repo's
`README.md`; which values are recorded facts and which are placeholders is documented in
`snapshot/hf/README.md`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from tools.snapshot.hf_facts import ROWS

# the package data the offline quick start reads (these tools only write it)
BUNDLED = Path(__file__).resolve().parents[2] / "pipeline" / "snapshot"
OUT = BUNDLED / "hf"
PARTS = Path(__file__).resolve().parent / "parts"  # items written by hand in the API's shape
MIGRATED = "2022-03-02T23:29:04.000Z"  # createdAt the Hub shows for repos that predate its 2022 migration
LAST_DATE = datetime(2025, 6, 30, tzinfo=timezone.utc)
DATASETS_AS_STRING = {"distilbert/distilbert-base-cased-distilled-squad", "facebook/detr-resnet-50"}
TASK_WORDS = {
    "fill-mask": "masked language modelling", "text-classification": "text classification",
    "token-classification": "token classification such as named-entity recognition",
    "question-answering": "extractive question answering", "summarization": "summarization",
    "translation": "translation", "text2text-generation": "text-to-text generation",
    "text-generation": "text generation", "feature-extraction": "feature extraction",
    "sentence-similarity": "sentence embeddings and semantic similarity",
    "zero-shot-classification": "zero-shot classification", "text-to-image": "text-to-image generation",
    "image-to-image": "image-to-image generation", "image-to-video": "image-to-video generation",
    "image-classification": "image classification", "image-feature-extraction": "image feature extraction",
    "object-detection": "object detection", "zero-shot-image-classification": "zero-shot image classification",
    "image-to-text": "image captioning and text recognition", "image-segmentation": "semantic segmentation",
    "mask-generation": "promptable mask generation", "depth-estimation": "monocular depth estimation",
    "automatic-speech-recognition": "speech recognition", "text-to-speech": "text-to-speech",
    "text-to-audio": "text-to-music generation", "audio-classification": "audio classification",
    "voice-activity-detection": "voice activity detection", "image-text-to-text": "visual question answering and chat",
    "reinforcement-learning": "reinforcement learning",
}
RELATION_WORDS = {"finetune": "a fine-tuned version of", "quantized": "a quantized version of",
                  "adapter": "an adapter trained on top of", "merge": "a merge of"}
FOREIGN = {
    "de": "{name} ist ein vortrainiertes Modell für die deutsche Sprache. Es kann für weitere Aufgaben feinabgestimmt werden.",
    "fr": "{name} est un modèle de langue pré-entraîné pour le français. Il peut être affiné pour d'autres tâches.",
    "ja": "{name} は日本語のテキストで事前学習された言語モデルです。下流タスク向けに追加学習して利用できます。",
    "zh": "{name} 是一个在中文语料上预训练的模型，可以针对下游任务进行微调。",
}


def _h(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest(), 16)


def created_at(repo_id: str, month: str) -> tuple[datetime, str]:
    """A placeholder creation time within the known month (the migration date for "2022-03")."""
    h = _h(repo_id)
    if month == "2022-03":
        return datetime(2022, 3, 2, 23, 29, 4, tzinfo=timezone.utc), MIGRATED
    year, number = map(int, month.split("-"))
    created = datetime(year, number, 1 + h % 27, (h >> 8) % 24, (h >> 16) % 60, (h >> 24) % 60, tzinfo=timezone.utc)
    return created, created.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def modified_after(repo_id: str, start: datetime) -> str:
    h = _h(repo_id)
    modified = min(start + timedelta(days=5 + (h >> 32) % 400, seconds=(h >> 40) % 86400), LAST_DATE)
    return modified.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _dates(row: dict) -> tuple[str, str]:
    created, created_text = created_at(row["id"], row["created"])
    return created_text, modified_after(row["id"], created)


def _counters(row: dict) -> tuple[int, int]:
    h, tier = _h(row["id"] + "#counters"), row["tier"]
    downloads = int(10 ** (tier + 1) * (1 + h % 97 / 10))
    likes = int(10 ** (tier - 1) * (1 + (h >> 8) % 89 / 10))
    return downloads, likes


def _model_index(row: dict) -> list:
    results = []
    for task, dataset, config, split, metrics in row["index"]:
        entry_dataset = {"name": dataset or "unknown", "type": dataset or "unknown"}
        if config:
            entry_dataset["config"] = config
        if split:
            entry_dataset["split"] = split
        results.append({"task": {"type": task, "name": task.replace("-", " ").title()}, "dataset": entry_dataset,
                        "metrics": [{"type": m, "value": v, "name": m.replace("_", " ").title()} for m, v in metrics]})
    return [{"name": row["id"].split("/")[1], "results": results}]


def card_data(row: dict) -> dict:
    data: dict = {}
    lang = row["lang"]
    if lang:
        data["language"] = lang[0] if len(lang) == 1 and _h(row["id"]) % 2 else lang
    if row["lic"]:
        data["license"] = row["lic"]
    if row.get("lic_name"):
        data["license_name"] = row["lic_name"]
    if row.get("lic_link"):
        data["license_link"] = row["lic_link"]
    if row["lib"]:
        data["library_name"] = row["lib"]
    if row["task"]:
        data["pipeline_tag"] = row["task"]
    tags = [t for t in row.get("extra_tags", ()) if t not in ("conversational",)]
    if tags:
        data["tags"] = tags
    if row["ds"]:
        as_string = row.get("datasets_as_string") or row["id"] in DATASETS_AS_STRING
        data["datasets"] = row["ds"][0] if as_string and len(row["ds"]) == 1 else row["ds"]
    if row["base"]:
        data["base_model"] = row["base"][0] if len(row["base"]) == 1 and _h(row["id"]) % 3 else row["base"]
    if row.get("creator"):
        data["model_creator"] = row["creator"]
    if row.get("index"):
        data["model-index"] = _model_index(row)
    return data


def tags_for(row: dict) -> list[str]:
    tags = []
    if row["lib"]:
        tags.append(row["lib"])
    tags += [f for f in row["fmt"] if f != row["lib"]]
    if row["arch"]:
        tags.append(row["arch"])
    if row["task"]:
        tags.append(row["task"])
    tags += list(row.get("extra_tags", ()))
    tags += [lang for lang in row["lang"]]
    tags += [f"dataset:{d}" for d in row["ds"]]
    tags += [f"arxiv:{a}" for a in row["arxiv"]]
    for base in row["base"]:
        tags += [f"base_model:{base}", f"base_model:{row['rel'] or 'finetune'}:{base}"]
    if row["lic"]:
        tags.append(f"license:{row['lic']}")
    if row["lib"] == "transformers" and row["task"] == "text-generation":
        tags.append("text-generation-inference")
    if row["lib"] == "diffusers" and row.get("pipeline_class"):
        tags.append(f"diffusers:{row['pipeline_class']}")
    tags += ["endpoints_compatible", "region:us"]
    return list(dict.fromkeys(tags))


def siblings_for(row: dict) -> list[dict]:
    name = row["id"].split("/")[1]
    files = [".gitattributes"] + ([] if row.get("no_readme") else ["README.md"])
    lib, fmt = row["lib"], row["fmt"]
    if "gguf" in fmt:
        stem = name.removesuffix("-GGUF").removesuffix("-gguf")
        files += [f"{stem}-Q4_K_M.gguf", f"{stem}-Q5_K_M.gguf", f"{stem}-Q8_0.gguf"]
    elif lib == "diffusers":
        files += ["model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                  "vae/config.json", "vae/diffusion_pytorch_model.safetensors"] if row.get("pipeline_class") else \
            ["config.json", "diffusion_pytorch_model.safetensors"]
    elif lib == "peft":
        files += ["adapter_config.json", "adapter_model.safetensors"]
    elif lib == "sentence-transformers":
        files += ["config.json", "config_sentence_transformers.json", "model.safetensors", "modules.json",
                  "sentence_bert_config.json", "tokenizer.json", "1_Pooling/config.json"]
    elif lib in ("transformers", "timm"):
        files += ["config.json"] + (["model.safetensors"] if "safetensors" in fmt else []) + \
            (["pytorch_model.bin"] if "pytorch" in fmt else [])
        if lib == "transformers" and row["task"] not in TASK_WORDS or row["task"] in (
                "fill-mask", "text-generation", "text-classification", "token-classification", "translation",
                "question-answering", "summarization", "text2text-generation", "feature-extraction"):
            files += ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
    else:
        files += ["config.json"]
    return [{"rfilename": f} for f in files[:12]]


def _code(row: dict) -> tuple[str, str]:
    repo, lib, task, name = row["id"], row["lib"], row["task"], row["id"].split("/")[1]
    if "gguf" in row["fmt"]:
        return "sh", f"llama-cli --hf-repo {repo} --hf-file {name.removesuffix('-GGUF').removesuffix('-gguf')}-Q4_K_M.gguf -p \"Hello\""
    if lib == "sentence-transformers":
        return "python", (f"from sentence_transformers import SentenceTransformer\n\nmodel = SentenceTransformer(\"{repo}\")\n"
                          "embeddings = model.encode([\"A first sentence\", \"A second sentence\"])\nprint(embeddings.shape)")
    if lib == "diffusers":
        if row["rel"] == "adapter" and row["base"]:
            return "python", (f"from diffusers import DiffusionPipeline\n\npipe = DiffusionPipeline.from_pretrained(\"{row['base'][0]}\")\n"
                              f"pipe.load_lora_weights(\"{repo}\")")
        return "python", (f"from diffusers import DiffusionPipeline\n\npipe = DiffusionPipeline.from_pretrained(\"{repo}\")\n"
                          "image = pipe(\"an astronaut riding a horse\").images[0]")
    if lib == "timm":
        return "python", f"import timm\n\nmodel = timm.create_model(\"hf_hub:{repo}\", pretrained=True)\nmodel.eval()"
    if lib == "peft":
        return "python", (f"from peft import PeftConfig, PeftModel\nfrom transformers import AutoModelForCausalLM\n\n"
                          f"config = PeftConfig.from_pretrained(\"{repo}\")\n"
                          "base = AutoModelForCausalLM.from_pretrained(config.base_model_name_or_path)\n"
                          f"model = PeftModel.from_pretrained(base, \"{repo}\")")
    if lib == "spacy":
        return "python", f"import spacy\n\nnlp = spacy.load(\"{name}\")\ndoc = nlp(\"Hugging Face is based in New York.\")"
    if lib == "flair":
        return "python", f"from flair.models import SequenceTagger\n\ntagger = SequenceTagger.load(\"{repo}\")"
    if lib == "stable-baselines3":
        return "python", (f"from huggingface_sb3 import load_from_hub\n\n"
                          f"checkpoint = load_from_hub(repo_id=\"{repo}\", filename=\"{name}.zip\")")
    if lib == "pyannote-audio":
        return "python", f"from pyannote.audio import Pipeline\n\npipeline = Pipeline.from_pretrained(\"{repo}\")"
    if lib == "keras":
        return "python", f"from huggingface_hub import from_pretrained_keras\n\nmodel = from_pretrained_keras(\"{repo}\")"
    if lib == "coqui":
        return "python", "from TTS.api import TTS\n\ntts = TTS(\"tts_models/multilingual/multi-dataset/xtts_v2\")"
    if task:
        return "python", f"from transformers import pipeline\n\npipe = pipeline(\"{task}\", model=\"{repo}\")"
    return "python", f"from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained(\"{repo}\")"


def _description(row: dict) -> str:
    repo, name = row["id"], row["id"].split("/")[1]
    kind = f"{row['arch']} " if row["arch"] else (f"{row['lib']} " if row["lib"] else "")
    purpose = TASK_WORDS.get(row["task"], "general use")
    text = f"{name} is a {kind}model for {purpose}, published on the Hub by {repo.split('/')[0]}."
    if row["base"]:
        links = ", ".join(f"[{b}](https://huggingface.co/{b})" for b in row["base"])
        text += f" It is {RELATION_WORDS[row['rel'] or 'finetune']} {links}."
    if row["arxiv"]:
        text += f" The approach is described in arXiv:{row['arxiv'][0]}."
    return text


def readme_for(row: dict, data: dict) -> str:
    name = row["id"].split("/")[1]
    parts = []
    if row.get("malformed"):
        parts.append(_malformed_yaml(row))
    elif not row.get("no_yaml"):
        parts.append("---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n")
    parts.append(f"# {name}\n")
    if row.get("body_lang"):
        parts.append(FOREIGN[row["body_lang"]].format(name=name) + "\n")
    parts.append("## Model description\n\n" + _description(row) + "\n")
    task = TASK_WORDS.get(row["task"])
    if task:
        parts.append(f"## Intended uses\n\nUse the model for {task}, directly or as a starting point for "
                     "fine-tuning on your own data. Check the license before commercial use.\n")
    parts.append("## Limitations and bias\n\nThe model reflects the data it was trained on and can reproduce its "
                 "biases. Evaluate it on your own use case before relying on its outputs.\n")
    lang, code = _code(row)
    parts.append(f"## How to use\n\n```{lang}\n{code}\n```\n")
    if row["ds"]:
        parts.append("## Training data\n\n" + ", ".join(row["ds"]) + ".\n")
    if row["arxiv"]:
        parts.append("## Citation\n\n" + "\n".join(f"- https://arxiv.org/abs/{a}" for a in row["arxiv"]) + "\n")
    return "\n".join(parts)


def _malformed_yaml(row: dict) -> str:
    kind = row["malformed"]
    if kind == "unclosed":
        body = f"license: {row['lic'] or 'mit'}\nlanguage: [{', '.join(row['lang'] or ['en'])}\ntags:\n- {row['task']}\n"
    elif kind == "indent":
        body = f"language:\n- {row['lang'][0]}\n- {row['lang'][-1]}\nlicense: cc-by-4.0\n  tags: [translation]\n"
    else:  # tab
        body = f"license: {row['lic']}\ntags:\n\t- {row['task']}\n\t- stable-diffusion\n"
    try:
        yaml.safe_load(body)
    except yaml.YAMLError:
        return "---\n" + body + "---\n"
    raise AssertionError(f"{row['id']}: the malformed front matter parses")


def item_for(row: dict) -> dict:
    created, modified = _dates(row)
    downloads, likes = _counters(row)
    item = {"_id": hashlib.sha1(row["id"].encode()).hexdigest()[:24], "id": row["id"], "private": False}
    if row["task"]:
        item["pipeline_tag"] = row["task"]
    if row["lib"]:
        item["library_name"] = row["lib"]
    item.update({"tags": tags_for(row), "downloads": downloads, "likes": likes, "modelId": row["id"],
                 "author": row["id"].split("/")[0], "sha": hashlib.sha1(f"{row['id']}@main".encode()).hexdigest(),
                 "lastModified": modified, "createdAt": created, "gated": row["gated"], "disabled": False})
    data = card_data(row)
    if not (row.get("no_yaml") or row.get("malformed") or row.get("no_readme")):
        item["cardData"] = data
    item["siblings"] = siblings_for(row)
    return item


def hand_written_items(out: Path, covered: set[str]) -> list[dict]:
    items = []
    for part in sorted(PARTS.glob("*.json")):
        items += [i for i in json.loads(part.read_text(encoding="utf-8")) if i["id"] not in covered]
    return items


def build(out: Path = OUT) -> int:
    items, readmes = [], {}
    for row in ROWS:
        item = item_for(row)
        items.append(item)
        if not row.get("no_readme"):
            readmes[row["id"]] = readme_for(row, card_data(row))
    extra = hand_written_items(out, {row["id"] for row in ROWS})
    items += extra
    keep = set(readmes) | {i["id"] for i in extra}
    for path in sorted((out / "readmes").rglob("README.md")) if (out / "readmes").exists() else []:
        if path.parent.relative_to(out / "readmes").as_posix() not in keep:
            path.unlink()  # a model that left the snapshot takes its card with it
    items.sort(key=lambda i: (i["lastModified"], i["id"]), reverse=True)  # the order sort=lastModified returns
    (out / "api").mkdir(parents=True, exist_ok=True)
    for page in (out / "api").glob("models*.json"):  # api/datasets/ is build_hf_dataset_snapshot's
        page.unlink()
    (out / "api" / "models.json").write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for repo, text in readmes.items():
        path = out / "readmes" / repo / "README.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(items)


if __name__ == "__main__":
    print(f"wrote {build()} models to {OUT}")
