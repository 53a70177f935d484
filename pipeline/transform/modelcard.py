"""Model card (README.md) reading: YAML front matter, markdown sections, prose and code samples.

Cards are written by people and by tools: no front matter, malformed YAML, CRLF line endings,
blank lines before the `---`, badge rows and support banners before any prose, and the Hub's card
template left half filled in are all common. Parsing never raises; what went wrong is reported in
`yaml_status` / `yaml_error`, and text that is template, placeholder or decoration is never taken
as content.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import yaml

_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it
_BOOL, _TIMESTAMP = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"


class CardYamlLoader(_YAML_BASE):
    """YAML as the Hub reads card metadata (YAML 1.2 core): only true/false are booleans and dates stay
    text, so `language: [no]` is Norwegian, not False, and `on`, `yes`, `off` stay words."""


CardYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()}
CardYamlLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_HEADING = re.compile(r"^[ ]{0,3}(?P<hashes>#{1,6})[ \t]+(?P<title>.+?)[ \t#]*$", re.M)
_SETEXT = re.compile(r"^(?P<title>[^\n]{0,300})\n(?P<rule>=+|-+)[ \t]*$", re.M)
_FENCE = re.compile(r"^[ ]{0,3}(?P<fence>```+|~~~+)[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^[ ]{0,3}(?P=fence)[ \t]*$",
                    re.S | re.M)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# Elements whose text is never prose: drawings, styles, scripts.
_HTML_NOT_TEXT = re.compile(r"<(svg|style|script|math|summary)\b.*?</\1\s*>", re.S | re.I)
_HTML_HEADING = re.compile(r"^\s*(?:<(?:p|div|center|span)\b[^>]*>\s*)*<h[1-6]\b", re.I)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Bounded lengths keep every pattern linear on hostile input (a card of 100,000 `[`).
_MD_IMAGE = re.compile(r"!\[(?:[^\[\]\n]|\[[^\]\n]{0,300}\]){0,500}\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\]\n]{0,300}\]){0,500})\]\([^)\n]{0,2000}\)")  # link text may hold [brackets]
_REF_LINK = re.compile(r"\[([^\]\n]{0,500})\]\[[^\]\n]{0,200}\]")
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S | re.I)
_BARE_URL = re.compile(r"https?://\S+")
_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`)")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# The template's CO2 paragraph links a calculator and its paper (arXiv 1910.09700), whatever the wording.
TEMPLATE_PAPER = "1910.09700"
_TEMPLATE_LINK = re.compile(r"mlco2\.github\.io/impact", re.I)
_YAML_LINE = re.compile(r"^\s*-?\s*[\w.-]+:(\s|$)")
# Words that mark a paragraph as a call for support or a community link, not a description.
# Paragraphs that announce or warn rather than describe: notes, updates, news, "a new version is out".
_NOTICE = re.compile(
    r"^[\W_]*(note|notice|important|warning|disclaimer|caution|attention|update[sd]?|news|announcement|changelog|"
    r"edit|tl;?dr|nota|observa[cç][aã]o|hinweis|achtung|remarque|avertissement|aviso|注意|注|примечание|внимание|"
    r"참고|주의|(system )?prompt( template| format)?)\s*(\([^)]*\))?\s*[:：!—–-]|^[\W_]*(\[!\w+\])|^[\W_]*please note\b|"
    r"^[\W_]*(special |many |huge )?thanks\b|\b(new|latest|newer) version\b.{0,40}\b(is )?(available|released|out)\b",
    re.I)
# Paragraphs that only point elsewhere ("Detailed results can be found here", "Check out v2").
_POINTER = re.compile(
    r"^[\W_]*(for (more|further|detailed|full|additional)\b|(more |further |detailed |full )?(results|details|"
    r"information|info|documentation|usage)\b.{0,40}\b(can be found|are available|is available|see|here)\b|"
    r"(please )?(see|refer to|check|visit|read)\b)", re.I)
_BANNER = re.compile(r"ko-?fi\.com|patreon\.com|buymeacoffee|discord\.(gg|com)|join (our|my|the) discord|"
                     r"support (me|my work|us)\b|sponsor(ed)? by|donat(e|ion)", re.I)
_PLACEHOLDER = re.compile(
    r"^\W*(\[?more info(rmation)? needed\]?|\[?needs? more info(rmation)?\]?|to ?do|tbd|tba|n/?a|none|"
    r"coming soon|work in progress|wip|\[?optional\]?|\[?your [\w ]+ here\]?|insert [\w ]+ here|"
    r"this model card (is|was) (automatically )?generated[\w ,.]*)\W*$", re.I)

DESCRIPTION_HEADINGS = re.compile(
    r"^(model (description|summary|overview|information|introduction)|description|overview|summary|introduction|"
    r"about|what is\b)", re.I)
ORIGINAL_CARD_HEADING = re.compile(r"^original (model )?card\b", re.I)
DETAILS_HEADINGS = re.compile(r"^(model (details|card)\b|model card for\b)", re.I)
# Sections that never hold the model's description, whatever they start with.
NOT_DESCRIPTION_HEADINGS = re.compile(
    r"(citation|bibtex|license|licence|how to use|usage|quick ?start|getting started|install|inference|example|"
    r"training (procedure|hyper|details|data|results)|hyperparameter|framework versions|evaluation|results|"
    r"benchmark|contact|acknowledg|disclaimer|prompt (template|format)|provided files|download|compatib|"
    r"changelog|update|news|table of contents|contents|sponsor|support|limitation|bias|risk|environmental)", re.I)
INTENDED_USE_HEADINGS = re.compile(r"^(intended uses?|uses|direct use|use cases?|intended use|usage scope)", re.I)
LIMITATIONS_HEADINGS = re.compile(r"(limitation|bias|risk)", re.I)
USAGE_HEADINGS = re.compile(r"(how to use|usage|quick ?start|getting started|inference|example)", re.I)
MAX_TEXT = 4000


@lru_cache(maxsize=1)
def _template() -> tuple[frozenset[str], frozenset[str]]:
    """(headings, sentences) of the Hub's model card template as shipped with huggingface_hub, normalised."""
    from importlib.resources import files

    try:
        text = (files("huggingface_hub") / "templates" / "modelcard_template.md").read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):
        return frozenset(), frozenset()
    defaults = re.findall(r'default\("([^"]+)"', text)
    lines = _JINJA.sub("", text).splitlines()
    headings = {_normalise(line.lstrip("#")) for line in lines if line.startswith("#")}
    sentences = {_normalise(_clean_line(line)) for line in lines + defaults if not line.startswith("#")}
    return frozenset(h for h in headings if h), frozenset(s for s in sentences if len(s) > 12)


def template_lines() -> frozenset[str]:
    """A card line equal to one of these was left in from the Hub's template and says nothing of the model."""
    return _template()[1]


@lru_cache(maxsize=1)
def _template_first_words() -> frozenset[str]:
    return frozenset(line.split(" ", 1)[0] for line in template_lines())


_NOT_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text.lower())).strip()


def is_placeholder(text: str) -> bool:
    """Template text or a placeholder ("[More Information Needed]") rather than content."""
    stripped = text.strip()
    if not stripped or _PLACEHOLDER.match(stripped):
        return True
    value = stripped.split(":", 1)[1] if ":" in stripped[:61] else None
    if value is not None and (_PLACEHOLDER.match(value) or not value.strip()):
        return True  # "Developed by: [More Information Needed]", or a label with nothing after it ("BibTeX:")
    first = re.match(r"[^\w]*([A-Za-z]+)", stripped)  # a cheap test before normalising the whole line
    if first and first.group(1).lower() in _template_first_words() and _normalise(stripped) in template_lines():
        return True
    return "mlco2" in stripped and bool(_TEMPLATE_LINK.search(stripped))


@dataclass
class Section:
    level: int
    title: str
    text: str
    _clean: str | None = None

    @property
    def clean(self) -> str:
        """The section's prose as plain text (template and placeholder lines left out), computed once."""
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


_LIST_MARKER = re.compile(r"^\s*(?:[-*+>]|\d+[.)])\s+")  # list markers and quotes


def _clean_line(line: str) -> str:
    # each pattern needs its first character in the line: most lines of prose skip most of them (the
    # substitutions were 11% of the mapping under py-spy)
    if "[" in line:
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _REF_LINK.sub(r"\1", line)
    if "<" in line:
        line = _HTML_TAG.sub("", line)
    if "*" in line or "_" in line or "`" in line:
        line = _EMPHASIS.sub("", line)
    line = _LIST_MARKER.sub("", line)
    if "&" in line:
        line = line.replace("&nbsp;", " ").replace("&amp;", "&")
    return line.strip()


class LinesHolding:
    """The whole lines of a text that hold a match of `words` (which never match a line break): what
    `^.*(?:words).*$` (re.M) finds with `findall`, found by searching for the words alone and widening each
    hit to its line. The whole-line pattern is tried at every position of every line of the card."""

    def __init__(self, words: str, flags: int = re.I):
        self._words = re.compile(words, flags)

    def findall(self, text: str) -> list[str]:
        lines, hit = [], self._words.search(text)
        while hit:
            start = text.rfind("\n", 0, hit.start()) + 1
            end = text.find("\n", hit.start())
            end = len(text) if end < 0 else end
            lines.append(text[start:end])
            hit = self._words.search(text, end + 1) if end < len(text) else None
        return lines


def _blocks(markdown: str) -> list[str]:
    """Paragraph-like blocks of raw markdown: code, comments and tables removed, split at blank lines."""
    text = _FENCE.sub("\n", markdown.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HTML_COMMENT.sub("", text)
    text = _HTML_NOT_TEXT.sub("", text)
    text = re.sub(r"(<h[1-6]\b)", r"\n\n\1", text, flags=re.I)
    text = re.sub(r"<(br|hr|/p|/div|/h\d|/li|/tr|/td)\b[^>]*>", "\n\n", text, flags=re.I)
    blocks, current = [], []
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("|") or re.match(r"^\s*([-*_=]\s*){3,}$", line):
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _block_text(block: str) -> str:
    lines = [_clean_line(line) for line in block.split("\n")]
    return " ".join(line for line in lines if line and not is_placeholder(line)).strip()


def clean_text(markdown: str, limit: int = MAX_TEXT) -> str:
    """Readable plain text from markdown prose: no code, HTML, images, link targets or template lines."""
    paragraphs = [text for text in map(_block_text, _blocks(markdown)) if any(ch.isalnum() for ch in text)]
    return "\n\n".join(paragraphs)[:limit].rstrip()


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _is_prose(block: str, text: str, title: str | None) -> bool:
    """Is this raw block (`text`: its plain text) a paragraph a person wrote about the model (not a badge
    row, a navigation bar, a support banner, a notice, a heading, a list of fields, a title alone, leaked
    YAML or template text)?"""
    if _letters(text) < 12 or _BANNER.search(block) or _NOTICE.search(text) or _HTML_HEADING.match(block):
        return False
    if _POINTER.search(text) and len(text.split()) < 30:
        return False
    lines = [line for line in block.split("\n") if line.strip()]
    if len(lines) > 1 and sum(bool(_YAML_LINE.match(line)) for line in lines) > len(lines) / 2 and ":" in text:
        return False
    fields = sum(bool(re.match(r"^[^:.!?]{1,40}:(\s|$)", _clean_line(line))) for line in lines)
    if len(lines) > 1 and fields > len(lines) / 2:
        return False  # "- **Model type:** ...", "- **License:** ...": a fact sheet, not a description
    if len(lines) == 1 and re.match(r"^[\w\s-]{1,40}:\s", text) and len(text.split()) < 12 and not text.endswith("."):
        return False  # "prepro: normalization + SentencePiece"
    # what is left once every link and image is removed: badge rows and nav bars leave little
    bare = _HTML_TAG.sub("", _ANCHOR.sub("", _MD_LINK.sub("", _MD_IMAGE.sub("", block))))
    if _letters(bare) < max(8, _letters(_BARE_URL.sub("", text)) * 0.3):
        return False
    if re.search(r"\s[|•·]\s.*\s[|•·]\s", text):  # "Home | Docs | Discord"
        return False
    words = text.split()
    cjk = sum("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)
    if cjk < 8 and len(words) < 5 and not re.search(r"[.!?。]$", text):
        return False  # a title or a label, not a sentence
    return not (title and _normalise(text) == _normalise(title))


def prose(markdown: str, title: str | None = None) -> list[str]:
    """The prose paragraphs of a stretch of markdown, as plain text."""
    blocks = [(block, _block_text(block)) for block in _blocks(markdown)]
    return [text for block, text in blocks if _is_prose(block, text, title)]


_FRONT_OPENS = re.compile(r"\s*---(\r\n|\r|\n)")  # at the very start: blank lines, then a --- line
_FRONT_CLOSES = re.compile(r"(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\n|$)")  # the first later --- line


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(the YAML block, the body after it) as huggingface_hub finds it: leading blank lines and any line
    ending allowed; a byte-order mark is ignored. (Written here rather than imported from
    huggingface_hub.repocard, whose import costs 0.2-0.3 s in every worker that maps a card; a test
    holds the two to the same answers.)"""
    text = text.lstrip("\ufeff")
    opened = _FRONT_OPENS.match(text)
    if not opened:
        return None, text
    closed = _FRONT_CLOSES.search(text, opened.end())
    if not closed and opened.group(1) == "\r\n":  # "---\r" then an empty block closed by "\n---"
        closed = _FRONT_CLOSES.match(text, opened.end() - 1)
    if not closed:
        return None, text
    start = min(opened.end(), closed.start())
    return text[start:closed.start()], text[closed.end():]


MAX_METADATA_VALUES = 500_000  # YAML aliases can make a small block expand without bound


class _TooLarge(ValueError):
    pass


def _jsonable(value, budget: list[int]):
    """Card metadata as JSON values (explicit YAML tags can still give dates, bytes or sets), counting
    the values it copies so an alias bomb stops instead of filling memory."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge(f"front matter expands to more than {MAX_METADATA_VALUES:,} values (YAML aliases)")
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): _jsonable(v, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v, budget) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def load_metadata(block: str) -> tuple[dict | None, str, str | None]:
    """(metadata, status, error) of a front matter block."""
    try:
        data = yaml.load(block, Loader=CardYamlLoader)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return None, "malformed", " ".join(str(exc).split())[:300]
    if data is None:
        return {}, "ok", None
    if not isinstance(data, dict):
        return None, "malformed", f"front matter is a {type(data).__name__}, not a mapping"
    try:
        return _jsonable(data, [MAX_METADATA_VALUES]), "ok", None
    except (_TooLarge, RecursionError) as exc:
        return None, "malformed", str(exc) if isinstance(exc, _TooLarge) else "front matter nests too deeply"


def parse_card(text: str | None, known_metadata: dict | None = None) -> ModelCard:
    """Parse a card; `known_metadata` (the Hub's own parse, `cardData`) is trusted over the YAML."""
    if text is None:
        return ModelCard(None, "missing", None, "")
    block, body = split_front_matter(text)
    if known_metadata is not None:
        metadata, status, error = known_metadata, "ok", None
    elif block is None:
        metadata, status, error = None, "none", None
    else:
        metadata, status, error = load_metadata(block)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    card = ModelCard(metadata, status, error, body)
    # headings inside code blocks are not headings; blanking keeps offsets equal to the body's
    unfenced = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    unfenced = _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), unfenced)
    headings = [(m.start(), m.end(), len(m["hashes"]), m["title"]) for m in _HEADING.finditer(unfenced)]
    headings += [(m.start(), m.end(), 1 if m["rule"][0] == "=" else 2, m["title"]) for m in _SETEXT.finditer(unfenced)
                 if re.search(r"\w", m["title"]) and not _YAML_LINE.match(m["title"])
                 and not m["title"].lstrip().startswith(("|", "-", "*"))]
    headings.sort()
    card.preamble = body[: headings[0][0]] if headings else body
    for index, (_, end, level, raw_title) in enumerate(headings):
        stop = headings[index + 1][0] if index + 1 < len(headings) else len(body)
        title = _clean_line(raw_title)[:200]
        card.sections.append(Section(level, title, body[end:stop]))
        if card.title is None and level == 1:
            card.title = title
    return card


def _description(card: ModelCard, part: str = "") -> tuple[str, str] | None:
    """(the model's description, where in the card it was found): the prose of a description section,
    else the first prose paragraph under the card's title (or before any heading), else of a details
    section, else of any section that does not hold something else (usage, citation, license, results)."""
    for section in card.sections:
        if DESCRIPTION_HEADINGS.search(section.title) and not NOT_DESCRIPTION_HEADINGS.search(section.title):
            paragraphs = prose(section.text, card.title)
            if paragraphs:
                return "\n\n".join(paragraphs)[:MAX_TEXT].rstrip(), f"card section '{section.title[:80]}'{part}"
    intro = [("card text before the first heading", card.preamble)]
    intro += [(f"card text under the title '{s.title[:80]}'", s.text) for s in card.sections[:1] if s.level == 1]
    details = [(f"card section '{s.title[:80]}'", s.text) for s in card.sections if DETAILS_HEADINGS.search(s.title)]
    rest = [(f"card section '{s.title[:80]}'", s.text) for s in card.sections
            if not NOT_DESCRIPTION_HEADINGS.search(s.title)]
    for where, text in intro + details + rest:
        paragraphs = prose(text, card.title)
        if paragraphs:
            return paragraphs[0][:MAX_TEXT].rstrip(), f"{where} (first paragraph){part}"
    return None


def described(card: ModelCard) -> tuple[str, str] | None:
    """(description, where it came from), from the card's own part first: a quantization or conversion
    repository often copies the original model's card below its own words."""
    upstream = next((i for i, s in enumerate(card.sections) if ORIGINAL_CARD_HEADING.search(s.title)), None)
    if upstream is None:
        return _description(card)
    own = ModelCard(card.metadata, card.yaml_status, card.yaml_error, card.body, card.title, card.preamble,
                    card.sections[:upstream])
    copied = ModelCard(card.metadata, card.yaml_status, card.yaml_error, card.body, card.sections[upstream].title,
                       "", card.sections[upstream:])
    return _description(own) or _description(copied, " of the copied original model card")


def description(card: ModelCard) -> str | None:
    """The model's description (see `described`)."""
    found = described(card)
    return found[0] if found else None


def section_text(card: ModelCard, heading: re.Pattern) -> str | None:
    section = card.section(heading)
    return section.clean if section else None


def is_template_card(card: ModelCard) -> bool:
    """A card that is the Hub's template with nothing of the model's own filled in."""
    headings = _template()[0]
    template = [s for s in card.sections if _normalise(s.title) in headings or s.title.startswith("Model Card for")]
    return len(template) >= 5 and not any(s.clean for s in template) and not prose(card.preamble)


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
            if code.strip() and not is_placeholder(code):
                return code[:MAX_TEXT]
    return None


def is_template_line(line: str) -> bool:
    """A line of the card that is a template sentence (its links are not the author's)."""
    return bool(line.strip()) and bool(_TEMPLATE_LINK.search(line) or is_placeholder(_clean_line(line)))
