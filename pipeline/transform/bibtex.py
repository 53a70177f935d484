"""BibTeX entries in model cards: the papers a card cites with their titles, authors and years.

Cards paste BibTeX (usually in a ```bibtex block, sometimes in plain text). Each `@type{...}` block is
cut out by brace matching and parsed with `bibtexparser`; an entry names its paper by arXiv id
(`eprint`, `journal = {arXiv preprint arXiv:...}`, an arxiv.org URL) or DOI (`doi`, a doi.org URL).
"""

from __future__ import annotations

import re

from pipeline.transform import ids

_ENTRY_START = re.compile(r"@([A-Za-z]+)\s*\{")
MAX_ENTRY = 20_000  # characters: a block longer than this is not a BibTeX entry


def _blocks(text: str) -> list[str]:
    """Each `@type{...}` block of a text, cut at its matching brace."""
    blocks = []
    for start in _ENTRY_START.finditer(text):
        depth, end = 0, None
        for index in range(start.end() - 1, min(len(text), start.start() + MAX_ENTRY)):
            char = text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    end = index + 1
                    break
        if end:
            blocks.append(text[start.start():end])
    return blocks


def _plain(value: str | None) -> str | None:
    """A field value without BibTeX braces, LaTeX accents' backslashes and runs of spaces."""
    if not value:
        return None
    text = re.sub(r"\\[a-zA-Z]+\s*|\\.", "", value).replace("{", "").replace("}", "")
    text = " ".join(text.split())
    return text[:500] or None


def entries(text: str | None) -> list[dict]:
    """{identifier (arXiv id or DOI, or None), title, author, year, venue} of every BibTeX entry in a text."""
    if not text or "@" not in text:
        return []
    blocks = _blocks(text)
    if not blocks:
        return []
    import bibtexparser

    library = bibtexparser.parse_string("\n\n".join(blocks))
    found = []
    for entry in library.entries:
        fields = {field.key.lower(): str(field.value) for field in entry.fields}
        joined = " ".join(fields.get(k, "") for k in ("eprint", "journal", "url", "archiveprefix", "note", "howpublished"))
        arxiv = ids.arxiv_ids_in(f"eprint = {{{fields['eprint']}}}" if "eprint" in fields else "") \
            or ids.arxiv_ids_in(joined)
        dois = ids.dois_in(f"{fields.get('doi', '')} {fields.get('url', '')}")
        authors = [_plain(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if _plain(a)]
        found.append({
            "identifier": arxiv[0] if arxiv else (dois[0].lower() if dois else None),
            "title": _plain(fields.get("title")),
            "author": authors[:50],
            "year": _plain(fields.get("year")),
            "venue": _plain(fields.get("journal") or fields.get("booktitle")),
        })
    return found
