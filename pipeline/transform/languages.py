"""Languages: the ones a card declares (what the model handles), as BCP 47 tags, and the one its text
is written in, detected. Two facts, kept apart.

Cards write languages as ISO 639-1 or -3 codes (`en`, `eng`), regional tags in any case or separator
(`zh-cn`, `en_US`) and names (`English`, `Cantonese`); `langcodes` makes each a standard tag
(`en`, `zh-CN`, `en-US`, `yue`). Values that are no language (`code`, `c++`) are kept as declared and
said in the record's dataIssues. The card's own language is detected from its prose with `py3langid`,
whose model ships inside the package (no download).
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path

DETECT_CHARS = 240  # the description's start says which language the card is written in
MIN_CONFIDENCE = 0.6


@lru_cache(maxsize=4096)
def standard_tag(value: str) -> str | None:
    """A BCP 47 tag for a declared language (a code, a tag or an English name), or None."""
    import langcodes

    text = value.strip()
    try:
        tag = langcodes.standardize_tag(text.replace("_", "-"))
        if langcodes.tag_is_valid(tag) and langcodes.Language.get(tag).is_valid():
            return tag
    except (ValueError, LookupError):
        pass
    if len(text) > 3:  # a name: "English", "Cantonese", "multilingual"
        try:
            return langcodes.find(text).to_tag()
        except LookupError:
            return None
    return None


def normalise(values: list[str]) -> tuple[list[str], list[str]]:
    """(tags, the values that are no language, kept as declared)."""
    tags, unknown = [], []
    for value in values:
        tag = standard_tag(value)
        if tag:
            tags.append(tag)
        else:
            tags.append(value)
            unknown.append(value)
    return list(dict.fromkeys(tags)), unknown


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier. Its model ships LZMA-compressed: loading it takes 0.86 s, in each worker of
    each run that maps a record. The loaded identifier is kept pickled in the user's cache directory
    (69 MB, 0.09 s to load), under the package's version and the model file's size and time; a cache
    that cannot be read or written is passed by (the model is loaded as before)."""
    from py3langid import langid

    model = langid.MODEL_DIR / langid.MODEL_FILE
    cache = _cache_file(model)
    identifier = _read_cached(cache, langid.LanguageIdentifier)
    if identifier is None:
        identifier = langid.LanguageIdentifier.from_modelpath(model, norm_probs=True)
        _write_cached(cache, identifier)
    return identifier


def _cache_file(model: Path) -> Path:
    """$XDG_CACHE_HOME/mlentory (else ~/.cache/mlentory)/py3langid-<version>-<model size>-<model mtime>.pickle"""
    from importlib.metadata import version

    stat = model.stat()
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mlentory"
    return root / f"py3langid-{version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}.pickle"


def _read_cached(cache: Path, kind):
    import pickle
    try:
        with cache.open("rb") as fh:
            found = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None  # none yet, or unreadable: the caller loads the model and writes the cache again
    return found if isinstance(found, kind) else None


def _write_cached(cache: Path, identifier) -> None:
    import pickle
    staged = cache.with_name(f".{cache.name}.{os.getpid()}")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with staged.open("wb") as fh:
            pickle.dump(identifier, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(staged, cache)  # workers writing at once each rename a whole file
    except OSError:  # a read-only or full cache directory, or none can be made: the next run loads the model again
        with contextlib.suppress(OSError):
            staged.unlink()


def detect(text: str | None) -> tuple[str, float] | None:
    """(language tag, probability) of a text, when the detector is confident enough."""
    sample = (text or "")[:DETECT_CHARS]
    if sum(map(str.isalpha, sample)) < 20:
        return None
    language, probability = _identifier().classify(sample)
    return (standard_tag(language) or language, round(float(probability), 3)) if probability >= MIN_CONFIDENCE else None
