"""Identifiers as people write them in model cards, made canonical: Hub repo ids, arXiv ids and DOIs.

Cards name a base model as `org/name`, as `https://huggingface.co/org/name/tree/main` or with stray
spaces; datasets as ids, URLs, builder names (`imagefolder`) or words ("unknown"); papers as arXiv
links, `huggingface.co/papers/<id>` links, `arXiv:<id>` text or BibTeX fields (`eprint`, `journal`,
`doi`). Each parser here returns what it can stand behind, or nothing.
"""

from __future__ import annotations

import re

from pipeline.config import DEFAULT_HF_ENDPOINT

HUB_URL = DEFAULT_HF_ENDPOINT  # the public Hub: the address records name models by, whatever HF_ENDPOINT is
REPO_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_.-]*/)?[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HUB_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/", re.I)
_REPO_SUFFIX = re.compile(r"/(?:tree|blob|resolve|raw|commit|discussions)(?:/.*)?$|\.git$|[?#].*$")

# The `datasets` library's packaged builders: a model card naming one trained on local files.
LOCAL_BUILDERS = frozenset({"imagefolder", "audiofolder", "videofolder", "csv", "json", "text", "parquet", "arrow",
                            "pandas", "generator", "webdataset", "sql", "xml", "pdffolder", "niftifolder"})
NOT_A_DATASET = frozenset({"unknown", "none", "null", "n/a", "na", "nan", "custom", "private", "other", "local",
                           "internal", "proprietary", "dataset", "datasets", "my-dataset", "your-dataset", "tbd",
                           "todo", "-", "?", "various", "mixed", "generated", "synthetic"})
# The Hub's task ids (pipeline tags): a model-index `dataset.type` set to one of them names a task.
HUB_TASKS = frozenset("""
audio-classification audio-to-audio audio-text-to-text automatic-speech-recognition any-to-any conversational
depth-estimation document-question-answering feature-extraction fill-mask graph-ml image-classification
image-feature-extraction image-segmentation image-text-to-text image-to-3d image-to-image image-to-text
image-to-video keypoint-detection mask-generation multiple-choice object-detection question-answering
reinforcement-learning robotics sentence-similarity summarization table-question-answering
table-to-text tabular-classification tabular-regression tabular-to-text text-classification text-generation
text-ranking text-retrieval text-to-3d text-to-audio text-to-image text-to-speech text-to-video text2text-generation
time-series-forecasting token-classification translation unconditional-image-generation video-classification
video-text-to-text video-to-video visual-document-retrieval visual-question-answering voice-activity-detection
zero-shot-classification zero-shot-image-classification zero-shot-object-detection language-modeling
causal-language-modeling masked-language-modeling named-entity-recognition sentiment-analysis
ner pos nli qa sts asr tts classification regression generation detection segmentation retrieval
""".split())


def task_key(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def repo_id(value) -> str | None:
    """A Hub repo id from what a card wrote (`org/name`, a Hub URL, with spaces); None if it is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip().strip("'\"`<>").strip()
    had_prefix = bool(_HUB_PREFIX.match(text))
    text = _HUB_PREFIX.sub("", text)
    if had_prefix:
        text = _REPO_SUFFIX.sub("", text)
    text = text.strip("/")
    if text.startswith(("models/", "datasets/", "spaces/")) and had_prefix:
        text = text.split("/", 1)[1]
    return text if text and len(text) <= 200 and REPO_ID.match(text) and ".." not in text else None


def dataset_ref(value) -> tuple[str | None, str | None]:
    """(the dataset a card names, or None; why it is not a dataset). Hub URLs become ids; words such as
    "unknown", task names and local-file builders are not datasets."""
    if not isinstance(value, str):
        return None, f"not text ({type(value).__name__})"
    text = value.strip()
    if not text:
        return None, "empty"
    if _HUB_PREFIX.match(text):
        stripped = _REPO_SUFFIX.sub("", _HUB_PREFIX.sub("", text)).strip("/")
        if stripped.startswith("datasets/"):
            text = stripped.split("/", 1)[1]
    key = text.lower()
    if key in NOT_A_DATASET or re.fullmatch(r"[\W_]+", key):
        return None, f"{text!r} is not a dataset name"
    if task_key(text) in HUB_TASKS:
        return None, f"{text!r} is a task, not a dataset"
    if key in LOCAL_BUILDERS:
        return None, f"{text!r} is a local-files loader, not a dataset"
    return text[:300], None


# -- papers ---------------------------------------------------------------------------------------
_NEW_ID = r"(?P<id>(?:0[7-9]|[1-9]\d)(?:0[1-9]|1[0-2])\.\d{4,5})(?:v\d+)?"
_OLD_ID = r"(?P<old>[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_PATTERNS = [
    re.compile(r"arxiv\.org/(?:abs|pdf|html|format)/(?:" + _NEW_ID + "|" + _OLD_ID + ")", re.I),
    re.compile(r"(?:huggingface\.co|hf\.co)/papers/" + _NEW_ID, re.I),
    re.compile(r"\barxiv\s*[:/]?\s*(?:preprint\s+)?(?:arxiv\s*:\s*)?" + _NEW_ID, re.I),
    re.compile(r"\beprint\s*=\s*[{\"]?\s*(?:arxiv\s*:\s*)?" + _NEW_ID, re.I),
    re.compile(r"10\.48550/arxiv\." + _NEW_ID, re.I),
]
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$")  # without version
_VERSION = re.compile(r"v\d+$")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>{}\[\]|,;]+)")


def arxiv_id(value: str) -> str | None:
    """`1810.04805v2` -> `1810.04805` (the paper, whichever version is cited); None for what is not an arXiv id."""
    bare = _VERSION.sub("", value.strip())
    return bare if ARXIV_ID.match(bare) else None


def arxiv_ids_in(text: str | None) -> list[str]:
    """arXiv ids (without version) a text cites: links, `huggingface.co/papers/` links, `arXiv:<id>`,
    BibTeX `eprint`/`journal` fields and arXiv DOIs; in order of first appearance."""
    if not text:
        return []
    found: list[tuple[int, str]] = []
    for pattern in _ARXIV_PATTERNS:
        for match in pattern.finditer(text):
            found.append((match.start(), match.groupdict().get("id") or match.group("old")))
    return list(dict.fromkeys(arxiv for _, arxiv in sorted(found) if arxiv))


def dois_in(text: str | None) -> list[str]:
    """DOIs a text names (`doi = {...}`, doi.org links, `doi:` text), in lower case, arXiv's own DOIs left
    out (they are arXiv ids); trailing punctuation removed."""
    if not text:
        return []
    out = []
    for match in _DOI.finditer(text):
        doi = match.group(1).rstrip(".)}]")
        doi = re.sub(r"\.(pdf|html?)$", "", doi, flags=re.I)
        if not doi.lower().startswith("10.48550/arxiv.") and "/" in doi and len(doi) <= 200:
            out.append(doi.lower())  # DOIs are case-insensitive: one spelling, so one paper
    return list(dict.fromkeys(out))


def arxiv_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


def arxiv_ids(record: dict) -> list[str]:
    """The arXiv ids, without version, among a record's citations (`https://arxiv.org/abs/<id>`)."""
    found = (c.split("/abs/", 1)[1] for c in record.get("citation") or [] if isinstance(c, str) and "/abs/" in c)
    return list(dict.fromkeys(bare for bare in map(arxiv_id, found) if bare))


def dois(record: dict) -> list[str]:
    """The DOIs among a record's citations (`https://doi.org/<doi>`)."""
    return [c.split("doi.org/", 1)[1] for c in record.get("citation") or [] if isinstance(c, str) and "doi.org/10." in c]
