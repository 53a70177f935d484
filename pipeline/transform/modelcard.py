"""Model card (README.md) reading: YAML front matter, markdown sections and code samples.

Cards are written by people: no front matter, malformed YAML and free-form headings are all
common. Parsing never raises; what went wrong is reported in `yaml_status` / `yaml_error`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^---[ \t]*$\r?\n?", re.S | re.M)
_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<title>.+?)[ \t#]*$", re.M)
_FENCE = re.compile(r"^(?P<fence>```|~~~)[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^(?P=fence)[ \t]*$", re.S | re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`)")

DESCRIPTION_HEADINGS = re.compile(
    r"^(model (description|summary|overview)|description|overview|summary|introduction|about)\b", re.I)
DETAILS_HEADINGS = re.compile(r"^model (details|card)\b", re.I)
INTENDED_USE_HEADINGS = re.compile(r"^(intended uses?|uses|direct use|use cases?|intended use)", re.I)
LIMITATIONS_HEADINGS = re.compile(r"(limitation|bias|risk)", re.I)
USAGE_HEADINGS = re.compile(r"(how to use|usage|quick ?start|getting started|inference|example)", re.I)
MAX_TEXT = 4000


@dataclass
class Section:
    level: int
    title: str
    text: str
    _clean: str | None = None

    @property
    def clean(self) -> str:
        """The section's prose as plain text, computed once."""
        if self._clean is None:
            self._clean = clean_text(self.text)
        return self._clean


@dataclass
class ModelCard:
    metadata: dict | None
    yaml_status: str  # ok | none (no front matter) | malformed | missing (no README)
    yaml_error: str | None
    body: str
    title: str | None = None
    preamble: str = ""  # the body before its first heading
    sections: list[Section] = field(default_factory=list)

    def section(self, heading: re.Pattern) -> Section | None:
        """The first section whose heading matches and that has text of its own."""
        for section in self.sections:
            if heading.search(section.title) and section.clean:
                return section
        return None


def clean_text(markdown: str, limit: int = MAX_TEXT) -> str:
    """Readable plain text from markdown prose: no code, HTML, images or link targets."""
    text = _FENCE.sub("", markdown)
    text = _HTML_COMMENT.sub("", text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    lines = [line.strip() for line in text.splitlines()]
    paragraphs, current = [], []
    for line in lines + [""]:
        if line and not line.startswith("|") and any(ch.isalnum() for ch in line):
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    joined = "\n\n".join(paragraphs).strip()
    return joined[:limit].rstrip()


def _split_front_matter(text: str) -> tuple[dict | None, str, str | None, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, "none", None, text
    body = text[match.end():]
    try:
        data = yaml.load(match["yaml"], Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        return None, "malformed", " ".join(str(exc).split())[:300], body
    if data is None:
        return {}, "ok", None, body
    if not isinstance(data, dict):
        return None, "malformed", f"front matter is a {type(data).__name__}, not a mapping", body
    return data, "ok", None, body


def parse_card(text: str | None, known_metadata: dict | None = None) -> ModelCard:
    """Parse a card; `known_metadata` (the Hub's own parse, `cardData`) saves parsing the YAML again."""
    if text is None:
        return ModelCard(None, "missing", None, "")
    if known_metadata is not None:
        match = _FRONT_MATTER.match(text)
        metadata, status, error, body = known_metadata, "ok", None, text[match.end():] if match else text
    else:
        metadata, status, error, body = _split_front_matter(text)
    card = ModelCard(metadata, status, error, body)
    # headings inside code blocks are not headings; blanking keeps offsets equal to the body's
    unfenced = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    headings = list(_HEADING.finditer(unfenced))
    card.preamble = body[: headings[0].start()] if headings else body
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        title = clean_text(heading["title"], 200)
        card.sections.append(Section(len(heading["hashes"]), title, body[heading.end():end]))
        if card.title is None and len(heading["hashes"]) == 1:
            card.title = title
    return card


def description(card: ModelCard) -> str | None:
    """The card's description section, else the prose under its title, else a details section."""
    section = card.section(DESCRIPTION_HEADINGS)
    if section:
        return section.clean or None
    intro = clean_text(card.preamble) or (card.sections[0].clean if card.sections and card.sections[0].level == 1
                                          else "")
    if intro:
        return intro.split("\n\n")[0]
    details = card.section(DETAILS_HEADINGS)
    for section in [details] if details else card.sections:
        if section.clean:
            return section.clean.split("\n\n")[0]
    return None


def section_text(card: ModelCard, heading: re.Pattern) -> str | None:
    section = card.section(heading)
    return section.clean if section else None


def code_snippet(card: ModelCard) -> str | None:
    """The first code sample of a usage section, else the first Python code block of the card."""
    section = card.section(USAGE_HEADINGS)
    candidates = [section.text] if section else []
    candidates.append(card.body)
    for chunk in candidates:
        for block in _FENCE.finditer(chunk):
            lang = block["lang"].lower()
            if chunk is card.body and lang not in ("python", "py", "python3"):
                continue
            code = block["code"].strip("\n")
            if code.strip():
                return code[:MAX_TEXT]
    return None
