"""Languages: the ones a card declares (what the model handles), as BCP 47 tags, and the one its text
is written in, detected. Two facts, kept apart.

Cards write languages as ISO 639-1 or -3 codes (`en`, `eng`), regional tags in any case or separator
(`zh-cn`, `en_US`) and names (`English`, `Cantonese`); `langcodes` makes each a standard tag
(`en`, `zh-CN`, `en-US`, `yue`). Values that are no language (`code`, `c++`) are kept as declared and
said in the record's dataIssues. The card's own language is detected from its prose with `py3langid`,
whose model ships inside the package (no download).
"""

from __future__ import annotations

from functools import lru_cache

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
    from py3langid import langid
    return langid.LanguageIdentifier.from_modelpath(langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True)


def detect(text: str | None) -> tuple[str, float] | None:
    """(language tag, probability) of a text, when the detector is confident enough."""
    sample = (text or "")[:DETECT_CHARS]
    if sum(map(str.isalpha, sample)) < 20:
        return None
    language, probability = _identifier().classify(sample)
    return (standard_tag(language) or language, round(float(probability), 3)) if probability >= MIN_CONFIDENCE else None
