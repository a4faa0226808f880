"""What the index holds for a document: its entries and its metadata record."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ..archive import FileState
from ..fields import TAG_FIELDS
from ..models import Document, TagSet, most_confident, pending_suggestions
from ..redaction import apply, ranges_by_paragraph
from ..vocabulary import Vocabulary
from .analysis import field_language
from .schema import (
    CONFIRMED_SUFFIX,
    DOCUMENT,
    PARAGRAPH,
    REDACTED_PARAGRAPH,
    UNREDACTED_PARAGRAPH,
    text_field,
)


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What a search needs to know of a document without opening its file (one per
    document is held in memory by every server process: keep it small)."""

    id: str
    title: str
    kind: str
    language: str
    access: str
    path: str
    mtime_ns: int
    size: int
    sha256: str
    paragraph_count: int
    pending: int = 0  # suggested tags waiting for review
    # The highest confidence among them (0..1); None where none of them says.
    pending_confidence: float | None = None
    date: str | None = None
    year: int | None = None
    sort_date: int | None = None
    tags: dict[str, list[str]] = field(default_factory=dict)
    suggested: dict[str, list[str]] = field(default_factory=dict)
    # The values a document is counted under in facets: its kind, language and year, and
    # its own and all its paragraphs' tags rolled up to their ancestors.
    counted: dict[str, list[str]] = field(default_factory=dict)
    counted_confirmed: dict[str, list[str]] = field(default_factory=dict)  # confirmed tags
    # [paragraph, start, end] of each redacted passage, to hide it in what a search shows.
    redactions: list[list[int]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> DocMeta:
        data: dict[str, Any] = json.loads(text)
        return cls(**data)

    def redacted_ranges(self, para: int) -> list[tuple[int, int]]:
        return [(start, end) for number, start, end in self.redactions if number == para]

    def review_rank(self) -> tuple[float, int, str]:
        """Where the document stands in the review queue: the most confident suggestion
        first (a document whose suggestions say no confidence after those that do), then
        the most suggestions, then by id."""
        confidence = -1.0 if self.pending_confidence is None else self.pending_confidence
        return (-confidence, -self.pending, self.id)

    def document_facets(self, confirmed_only: bool = False) -> dict[str, list[str]]:
        """The values a document is counted by: its own and all its paragraphs'."""
        return self.counted_confirmed if confirmed_only else self.counted


def _union(first: dict[str, list[str]], second: dict[str, list[str]]) -> dict[str, list[str]]:
    names = dict.fromkeys([*first, *second])
    return {name: list(dict.fromkeys(first.get(name, []) + second.get(name, []))) for name in names}


def _rolled(vocabulary: Vocabulary, tags: TagSet) -> dict[str, list[str]]:
    return {name: vocabulary.roll_up(name, tags.get(name)) for name in TAG_FIELDS}


def _scalar_facets(document: Document) -> dict[str, list[str]]:
    return {
        "kind": [document.kind],
        "language": [document.language],
        "year": [str(document.date.year)] if document.date else [],
    }


def build_meta(
    document: Document, vocabulary: Vocabulary, relative_path: str, state: FileState
) -> DocMeta:
    every = _scalar_facets(document) | _rolled(vocabulary, document.all_tags())
    confirmed = _scalar_facets(document) | _rolled(vocabulary, document.tags)
    for extra_every, extra_confirmed in paragraph_tags(document, vocabulary).values():
        every = _union(every, extra_every)
        confirmed = _union(confirmed, extra_confirmed)
    return DocMeta(
        id=document.id,
        title=document.title,
        kind=document.kind,
        language=document.language,
        access=document.access,
        path=relative_path,
        mtime_ns=state.mtime_ns,
        size=state.size,
        sha256=document.sha256,
        paragraph_count=len(document.paragraphs),
        pending=pending_suggestions(document),
        pending_confidence=most_confident(document),
        date=str(document.date) if document.date else None,
        year=document.date.year if document.date else None,
        sort_date=document.date.sort_key if document.date else None,
        tags=document.tags.as_dict(),
        suggested=document.suggested.as_dict(),
        counted=every,
        counted_confirmed=confirmed,
        redactions=[
            [number, start, end]
            for number, ranges in ranges_by_paragraph(document.redactions).items()
            for start, end in ranges
        ],
    )


ParagraphTags = dict[int, tuple[dict[str, list[str]], dict[str, list[str]]]]


def paragraph_tags(document: Document, vocabulary: Vocabulary) -> ParagraphTags:
    """Paragraph number → its own tags rolled up: (all, confirmed only), for the
    paragraphs that have tags of their own."""
    tags: ParagraphTags = {}
    for number, segment in document.segments.items():
        if segment.tags or segment.suggested:
            every = _rolled(vocabulary, segment.tags.union(segment.suggested))
            tags[number] = (every, _rolled(vocabulary, segment.tags))
    return tags


def index_entries(
    document: Document, meta: DocMeta, vocabulary: Vocabulary
) -> list[dict[str, Any]]:
    """The document entry, then one entry per paragraph (carrying its document's tags
    and its own, rolled up, to be filtered and counted by); two for a paragraph with
    redacted passages: its whole text, and its text without them."""
    common: dict[str, Any] = {
        "doc": document.id,
        "kind": document.kind,
        "language": document.language,
        "access": document.access,
    }
    if document.date is not None:
        common["year"] = document.date.year
        common["date"] = document.date.sort_key
        last = document.date.last_day
        common["date_end"] = last.year * 10000 + last.month * 100 + last.day
    entries: list[dict[str, Any]] = [
        {
            **common,
            "key": document.id,
            "entry": DOCUMENT,
            "para": 0,
            "meta": meta.to_json(),
            "state": f"{meta.path}\t{meta.mtime_ns}\t{meta.size}".encode(),
        }
    ]
    text_name = text_field(field_language(document.language))
    document_every = _rolled(vocabulary, document.all_tags())
    document_confirmed = _rolled(vocabulary, document.tags)
    own = paragraph_tags(document, vocabulary)
    redacted = ranges_by_paragraph(document.redactions)
    for paragraph in document.paragraphs:
        tags, confirmed = document_every, document_confirmed
        if paragraph.number in own:
            extra_every, extra_confirmed = own[paragraph.number]
            tags = _union(tags, extra_every)
            confirmed = _union(confirmed, extra_confirmed)
        entry: dict[str, Any] = {
            **common,
            "key": f"{document.id}#{paragraph.number}",
            "entry": PARAGRAPH,
            "para": paragraph.number,
            "title": document.title,
            text_name: paragraph.text,
        }
        for name in TAG_FIELDS:
            entry[name] = " ".join(tags.get(name, []))
            entry[name + CONFIRMED_SUFFIX] = " ".join(confirmed.get(name, []))
        ranges = redacted.get(paragraph.number)
        if ranges:
            # The words are left out, not replaced by a marker, so that "redacted" is
            # not a word every such paragraph contains.
            without, _markers = apply(paragraph.text, ranges, marker=" ")
            entries.append({**entry, "entry": UNREDACTED_PARAGRAPH})
            entry = {**entry, "key": entry["key"] + "/redacted", "entry": REDACTED_PARAGRAPH,
                     text_name: without}  # fmt: skip
        entries.append(entry)
    return entries
