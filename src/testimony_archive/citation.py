"""Citations, formatted in one place from the excerpt model (never in templates).

Three styles, each in the reader's language (gettext catalogs):

- `legal`: a footnote as court filings give it: who, what, when, the archive, the
  document id, the page (of a document imported from a PDF) and paragraph(s), whether a
  passage is redacted, the permalink and a short hash of the document's version.
- `academic`: a Chicago author-date reference-list entry.
- `csl-json`: a CSL-JSON item for reference managers (Zotero, Citavi, pandoc).

Every style names the archive, the document id, the paragraph(s), the date and a short
hash. A citation is made from an excerpt, which is made from the document as its reader
may see it (`access.redact`): the witness is named by pseudonym only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from babel.dates import format_date, format_skeleton

from .dates import parse_date
from .excerpts import Excerpt, extract, parse_place
from .excerpts import permalink as permalink
from .i18n import Translator
from .models import Document

Style = Literal["legal", "academic", "csl-json"]
STYLES: tuple[Style, ...] = ("legal", "academic", "csl-json")
DEFAULT_ARCHIVE = "Testimony Archive"


@dataclass(frozen=True)
class Citation:
    doc: str
    para: int
    sha256: str
    permalink: str
    text: str  # the formatted citation


def cite(
    document: Document, para: int, base_url: str, translate: Translator,
    archive: str = DEFAULT_ARCHIVE,
) -> Citation:  # fmt: skip
    """The legal citation of one paragraph, as the document page and the API give it."""
    excerpt = extract(document, parse_place(document.id, str(para)), archive=archive, at="",
                      base_url=base_url)  # fmt: skip
    text = format_citation(excerpt, "legal", translate)
    return Citation(document.id, para, document.sha256, excerpt.permalink, text)


def format_citation(excerpt: Excerpt, style: Style, translate: Translator) -> str:
    if style == "legal":
        return legal(excerpt, translate)
    if style == "academic":
        return academic(excerpt, translate)
    return json.dumps([csl_item(excerpt, translate)], ensure_ascii=False, indent=2)


def legal(excerpt: Excerpt, translate: Translator) -> str:
    """`Testigo 1, testimony, “Title” (Nov 5, 2014), Testimony Archive doc. ID, ¶ 4,
    https://… (SHA-256 b8f4e7774d69).`"""
    _ = translate.gettext
    parts = [
        *([excerpt.author] if excerpt.author else []),
        translate.kind(excerpt.kind).lower(),  # inside a sentence (English and Spanish)
        f"{_quoted(excerpt.title, translate)} ({_date(excerpt.date, translate)})",
        f"{excerpt.archive} {_('doc.')} {excerpt.doc}",
        _locator(excerpt, translate) + _redacted(excerpt, translate),
        f"{_link(excerpt)} (SHA-256 {excerpt.short_hash})",
    ]
    return ", ".join(parts) + "."


def academic(excerpt: Excerpt, translate: Translator) -> str:
    """Chicago author-date: `Author. Year. “Title.” Kind, ¶ 4. Archive, document ID,
    date. SHA-256 b8f4e7774d69. https://….` (the title leads where there is no author)."""
    _ = translate.gettext
    author = excerpt.author
    year = excerpt.date[:4] if excerpt.date else _("n.d.")
    # The full stop goes inside English quotation marks, after Spanish ones.
    title = (_quoted(excerpt.title, translate) + "." if translate.language == "es"
             else _quoted(excerpt.title + ".", translate))  # fmt: skip
    lead = f"{author}. {_ended(year)} {title}" if author else f"{title} {_ended(year)}"
    return " ".join([
        lead,
        f"{translate.kind(excerpt.kind)}, {_locator(excerpt, translate)}"
        f"{_redacted(excerpt, translate)}.",
        _ended(f"{excerpt.archive}, {_('document')} {excerpt.doc}, "
               f"{_date(excerpt.date, translate)}"),
        f"SHA-256 {excerpt.short_hash}.",
        _link(excerpt) + ".",
    ])  # fmt: skip


def csl_item(excerpt: Excerpt, translate: Translator) -> dict[str, Any]:
    """A CSL-JSON item: `archive` and `archive_location` say where the passage stands,
    `locator`/`label` which paragraph(s), `note` the hash."""
    _ = translate.gettext
    place = excerpt.place
    item: dict[str, Any] = {
        "id": f"{excerpt.doc}-p{place.first}"
        + (f"-{place.last}" if place.last != place.first else ""),
        "type": "interview" if excerpt.kind == "testimony" else "report",
        "title": excerpt.title,
        "genre": translate.kind(excerpt.kind),
        "archive": excerpt.archive,
        "archive_location": f"{excerpt.doc}, {_locator(excerpt, translate)}",
        "locator": place.paragraphs,
        "label": "paragraph",
        **({"page": excerpt.pages} if excerpt.pages else {}),
        "URL": _link(excerpt),
        "language": excerpt.language,
        "note": f"{_('Document version')}: SHA-256 {excerpt.short_hash}"
        + _redacted(excerpt, translate),
    }
    if excerpt.author:
        item["author"] = [{"literal": excerpt.author}]
    if excerpt.date:
        item["issued"] = {"date-parts": [[int(part) for part in excerpt.date.split("-")]]}
    if excerpt.extracted_at:
        day = excerpt.extracted_at[:10].split("-")
        item["accessed"] = {"date-parts": [[int(part) for part in day]]}
    return item


def _ended(text: str) -> str:
    """A sentence's full stop, unless it ends with an abbreviation's ("n.d.", "s. f.")."""
    return text if text.endswith(".") else f"{text}."


def _locator(excerpt: Excerpt, translate: Translator) -> str:
    """`¶ 4`, `¶¶ 4–6`; with the page of a PDF's paragraph first: `p. 12, ¶ 4`."""
    place = excerpt.place
    _ = translate.gettext
    marks = _("¶") if place.first == place.last else _("¶¶")
    paragraphs = f"{marks} {place.paragraphs}"
    if not excerpt.pages:
        return paragraphs
    page = _("pp.") if "–" in excerpt.pages else _("p.")
    return f"{page} {excerpt.pages}, {paragraphs}"


def _redacted(excerpt: Excerpt, translate: Translator) -> str:
    if excerpt.redacted:
        return f" ({translate.gettext('passage redacted')})"
    if excerpt.holds_redacted:
        return f" ({translate.gettext('holds words redacted for other readers')})"
    return ""


def _link(excerpt: Excerpt) -> str:
    return excerpt.fragment_link or excerpt.permalink


def _quoted(text: str, translate: Translator) -> str:
    return f"«{text}»" if translate.language == "es" else f"“{text}”"


def _date(text: str | None, translate: Translator) -> str:
    """A partial date in the reader's language: `Nov 5, 2014`, `Nov 2014`, `2014`."""
    if not text:
        return translate.gettext("n.d.")
    date = parse_date(text)
    locale = translate.language
    if date.day is not None:
        return str(format_date(date.first_day, format="medium", locale=locale))
    if date.month is not None:
        return str(format_skeleton("yMMM", date.first_day, locale=locale))
    return str(date.year)
