"""Excerpts: the exact words of a passage, where they stand, and which version of which
document they come from, as a record that can be cited and checked later.

An excerpt is made from a document *as its viewer may see it* (`access.redact`): redacted
spans stay `[redacted]`, the witness is named by pseudonym only, and the document's
sha256 is that of the text as shown. Its place is one paragraph (`¶4`), a run of them
(`¶4–6`), or characters inside one paragraph (`¶4, characters 12–80`, counted from 1, both
ends included, as redactions are). An excerpt never crosses a document boundary and never
reaches beyond its paragraphs: `place` refuses what the document does not have.

The excerpts JSON (`document_json`, `parse_document`) is what `testimony excerpt --json`
prints, what exports and evidence bundles carry, and what `testimony verify` reads.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .errors import UsageError
from .models import Document

FORMAT = "testimony-archive/excerpts"
VERSION = 1
PARAGRAPH_SEPARATOR = "\n\n"  # between the paragraphs of a multi-paragraph quote
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?$")
_FRAGMENT_WORDS = 4  # words at each end of a text-fragment link to a long quote


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, order=True)
class Place:
    """Where an excerpt stands in its document: paragraphs `first`..`last` and, inside a
    single paragraph, characters `chars` (1-based, both ends included)."""

    doc: str
    first: int
    last: int
    chars: tuple[int, int] | None = None

    @property
    def paragraphs(self) -> str:
        """`4` or `4–6`, as citations print it (after `¶`)."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def locator(self) -> str:
        return f"¶{self.paragraphs}"

    def described(self, characters: str = "characters") -> str:
        """`¶4`, `¶4–6`, or `¶4, characters 12–80` (`characters` in the reader's
        language), as every page, export and report line names a place."""
        if self.chars is None:
            return self.locator
        return f"{self.locator}, {characters} {self.chars[0]}–{self.chars[1]}"

    @property
    def key(self) -> str:
        """A stable text for the place (`doc ¶4:12-80`): duplicates share it."""
        chars = f":{self.chars[0]}-{self.chars[1]}" if self.chars else ""
        return f"{self.doc} ¶{self.first}-{self.last}{chars}"


def parse_place(doc: str, paragraphs: str, chars: str | None = None) -> Place:
    """A place from what people type: `4`, `4-6` or `4–6`, and `12-80` for characters.
    Whether the document has them is `check_place`'s question."""
    found = _RANGE.match(paragraphs)
    if not found:
        raise UsageError(f"{paragraphs!r}: give a paragraph number (4) or a range (4-6)")
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if first < 1 or last < first:
        raise UsageError(f"{paragraphs!r}: paragraphs are numbered from 1, first to last")
    span: tuple[int, int] | None = None
    if chars is not None and chars.strip():
        found = _RANGE.match(chars)
        if not found or found.group(2) is None:
            raise UsageError(f"{chars!r}: give the characters as a range, e.g. 12-80")
        span = (int(found.group(1)), int(found.group(2)))
        if span[0] < 1 or span[1] < span[0]:
            raise UsageError(f"{chars!r}: characters are counted from 1, first to last")
        if first != last:
            raise UsageError("a character range lies inside one paragraph; give one paragraph")
    return Place(doc, first, last, span)


def check_place(document: Document, place: Place) -> None:
    """UsageError unless the document has the place: its paragraphs, and the characters
    inside its paragraph."""
    count = len(document.paragraphs)
    if place.doc != document.id:
        raise UsageError(f"an excerpt of {place.doc} cannot come from {document.id}")
    if place.last > count:
        raise UsageError(
            f"{document.id} has {count} paragraph{'s' if count != 1 else ''}; "
            f"there is no ¶{place.last}"
        )
    if place.chars is not None:
        length = len(document.paragraphs[place.first - 1].text)
        if place.chars[1] > length:
            raise UsageError(
                f"¶{place.first} of {document.id} has {length} characters; "
                f"{place.chars[0]}-{place.chars[1]} reaches beyond it"
            )


def quoted_text(document: Document, place: Place) -> str:
    """The words at a place of the document (checked first)."""
    check_place(document, place)
    texts = [paragraph.text for paragraph in document.paragraphs[place.first - 1 : place.last]]
    if place.chars is not None:
        return texts[0][place.chars[0] - 1 : place.chars[1]]
    return PARAGRAPH_SEPARATOR.join(texts)


@dataclass(frozen=True)
class Excerpt:
    place: Place
    text: str
    sha256: str  # the text's own
    document_sha256: str  # of the document's text as the extractor saw it
    title: str
    kind: str
    language: str
    date: str | None
    places: tuple[str, ...]  # location ids
    source: str
    witness: str | None  # the pseudonym, never more
    author: str  # whom citations name: the witness's pseudonym, or the source's author
    permalink: str
    fragment_link: str | None  # for a quote inside a paragraph
    extracted_at: str
    archive: str
    redacted: bool = False  # the quote shows `[redacted]` where the archive has words
    # The quote holds words the archive redacts for other readers (its extractor may see
    # them): whoever files it should know they are hidden from others.
    holds_redacted: bool = False
    pages: str | None = None  # of a document imported from a PDF: "12", or "12–13"
    note: str = ""  # a collection's note on it
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def doc(self) -> str:
        return self.place.doc

    @property
    def short_hash(self) -> str:
        """The document version's hash as citations print it."""
        return self.document_sha256[:12]


def extract(
    document: Document, place: Place, *, archive: str, at: str, base_url: str = ""
) -> Excerpt:
    """The excerpt at `place` of `document` (as its viewer may see it)."""
    text = quoted_text(document, place)
    link = permalink(base_url, document.id, place.first)
    return Excerpt(
        place=place,
        text=text,
        sha256=text_sha256(text),
        document_sha256=document.sha256,
        title=document.title,
        kind=document.kind,
        language=document.language,
        date=str(document.date) if document.date else None,
        places=document.tags.locations,
        source=source_text(document.source),
        witness=_pseudonym(document),
        author=_pseudonym(document) or source_author(document.source),
        permalink=link,
        fragment_link=fragment_link(link, text) if place.chars else None,
        extracted_at=at,
        archive=archive,
        redacted=document.redacted and _touches_redaction(document, place),
        holds_redacted=not document.redacted and _touches_redaction(document, place),
        pages=_pages(document, place),
    )


def _pages(document: Document, place: Place) -> str | None:
    found = document.pages_of(place.first, place.last)
    if found is None:
        return None
    first, last = found
    return str(first) if first == last else f"{first}–{last}"


def permalink(base_url: str, doc_id: str, para: int | None = None) -> str:
    url = f"{base_url.rstrip('/')}/documents/{doc_id}"
    return f"{url}#p{para}" if para is not None else url


def fragment_link(link: str, text: str) -> str:
    """A text-fragment link (`#p4:~:text=…`) that browsers scroll to and highlight: the
    whole quote, or its first and last words when it is long."""
    words = text.split()
    if len(words) > 2 * _FRAGMENT_WORDS:
        start = " ".join(words[:_FRAGMENT_WORDS])
        end = " ".join(words[-_FRAGMENT_WORDS:])
        directive = f"{_fragment_part(start)},{_fragment_part(end)}"
    else:
        directive = _fragment_part(" ".join(words))
    return f"{link}:~:text={directive}"


def _fragment_part(text: str) -> str:
    # '-', ',' and '&' mean something in a text directive: always percent-encoded.
    return quote(text, safe="").replace("-", "%2D")


def source_text(source: dict[str, Any] | str | None) -> str:
    if isinstance(source, str):
        return source
    if not source:
        return ""
    keys = ("organization", "title", "publisher", "pages", "citation")
    return ", ".join(str(source[key]) for key in keys if source.get(key))


def source_author(source: dict[str, Any] | str | None) -> str:
    """Who a source is by: its organization or publisher (a plain-text source is all
    there is)."""
    if isinstance(source, str):
        return source
    for key in ("organization", "publisher", "citation"):
        if source and source.get(key):
            return str(source[key])
    return ""


def _pseudonym(document: Document) -> str | None:
    if document.witness and document.witness.get("pseudonym"):
        return str(document.witness["pseudonym"])
    return None


def _touches_redaction(document: Document, place: Place) -> bool:
    for item in document.redactions:
        if not place.first <= item.para <= place.last:
            continue
        if place.chars is None:
            return True
        start, end = place.chars[0] - 1, place.chars[1]
        if item.start < end and start < item.end:
            return True
    return False


# -- the excerpts JSON --------------------------------------------------------------------


def excerpt_json(excerpt: Excerpt) -> dict[str, Any]:
    place = excerpt.place
    return {
        "doc": place.doc,
        "paras": [place.first, place.last],
        "chars": list(place.chars) if place.chars else None,
        "locator": place.locator,
        "text": excerpt.text,
        "sha256": excerpt.sha256,
        "document_sha256": excerpt.document_sha256,
        "redacted": excerpt.redacted,
        "holds_redacted": excerpt.holds_redacted,
        "title": excerpt.title,
        "kind": excerpt.kind,
        "language": excerpt.language,
        "date": excerpt.date,
        "places": list(excerpt.places),
        "source": excerpt.source,
        "witness": excerpt.witness,
        "author": excerpt.author,
        "permalink": excerpt.permalink,
        "fragment_link": excerpt.fragment_link,
        "pages": excerpt.pages,
        "extracted_at": excerpt.extracted_at,
        "archive": excerpt.archive,
        "note": excerpt.note,
        **({"extra": excerpt.extra} if excerpt.extra else {}),
    }


def document_json(
    excerpts: list[Excerpt], *, archive: str, at: str, by: str, software: str,
    title: str = "", description: str = "",
) -> dict[str, Any]:  # fmt: skip
    """The excerpts JSON document: what `testimony verify` reads."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "archive": archive,
        "title": title,
        "description": description,
        "exported_at": at,
        "exported_by": by,
        "software": software,
        "excerpts": [excerpt_json(excerpt) for excerpt in excerpts],
    }


def parse_document(data: Any) -> list[Excerpt]:
    """The excerpts of an excerpts JSON document; UsageError naming the excerpt and the
    field when something is missing or of the wrong type."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"not an excerpts document: its 'format' must be {FORMAT!r}")
    if data.get("version") != VERSION:
        raise UsageError(f"excerpts document version {data.get('version')!r}: this "
                         f"version of Testimony Archive reads version {VERSION}")  # fmt: skip
    items = data.get("excerpts")
    if not isinstance(items, list):
        raise UsageError("an excerpts document has a list 'excerpts'")
    return [_parse_excerpt(item, number) for number, item in enumerate(items, start=1)]


def _parse_excerpt(item: Any, number: int) -> Excerpt:
    where = f"excerpt {number}"
    if not isinstance(item, dict):
        raise UsageError(f"{where}: an object is expected")

    def text(name: str, optional: bool = False) -> str | None:
        value = item.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise UsageError(f"{where}: field '{name}' must be text")
        return value

    paras = item.get("paras")
    if not (isinstance(paras, list) and len(paras) == 2 and all(_whole(p) for p in paras)):
        raise UsageError(f"{where}: field 'paras' must be [first, last]")
    chars = item.get("chars")
    if chars is not None and not (
        isinstance(chars, list) and len(chars) == 2 and all(_whole(c) for c in chars)
    ):
        raise UsageError(f"{where}: field 'chars' must be [first, last] or null")
    doc = text("doc") or ""
    chars_text = f"{chars[0]}-{chars[1]}" if chars else None
    place = parse_place(doc, f"{paras[0]}-{paras[1]}", chars_text)
    places = item.get("places") or []
    if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
        raise UsageError(f"{where}: field 'places' must be a list of ids")
    return Excerpt(
        place=place,
        text=text("text") or "",
        sha256=text("sha256") or "",
        document_sha256=text("document_sha256") or "",
        title=text("title") or "",
        kind=text("kind") or "",
        language=text("language") or "",
        date=text("date", optional=True),
        places=tuple(places),
        source=text("source", optional=True) or "",
        witness=text("witness", optional=True),
        author=text("author", optional=True) or "",
        permalink=text("permalink") or "",
        fragment_link=text("fragment_link", optional=True),
        extracted_at=text("extracted_at") or "",
        archive=text("archive") or "",
        redacted=item.get("redacted") is True,
        holds_redacted=item.get("holds_redacted") is True,
        pages=text("pages", optional=True),
        note=text("note", optional=True) or "",
        extra=extra if isinstance(extra := item.get("extra"), dict) else {},
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
