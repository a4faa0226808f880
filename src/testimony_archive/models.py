"""The domain model: documents, their tags and their numbered paragraphs."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from .dates import PartialDate
from .fields import TAG_FIELDS

Kind = Literal["testimony", "report_excerpt"]
Access = Literal["public", "restricted"]
KINDS: tuple[Kind, ...] = ("testimony", "report_excerpt")
ACCESS_LEVELS: tuple[Access, ...] = ("public", "restricted")


def body_sha256(body: str) -> str:
    """SHA-256 of the body exactly as stored (UTF-8)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str
    start: int  # offset of the paragraph's first character in the body


def iter_paragraphs(body: str) -> Iterator[Paragraph]:
    """Split a body into paragraphs as the archive contract says.

    Paragraphs are separated by blank lines (empty or only whitespace); each non-empty
    piece, stripped, is a paragraph, numbered from 1 in order.
    """
    number = 0
    piece_start: int | None = None
    piece_end = 0
    offset = 0
    # Only "\n" ends a line here: str.splitlines would also break on characters such as
    # U+2028, which the contract (and the evaluation sets) treat as ordinary text.
    for line in body.split("\n"):
        line_length = len(line) + 1
        if line.strip():
            if piece_start is None:
                piece_start = offset
            piece_end = offset + len(line)
        elif piece_start is not None:
            number += 1
            yield _paragraph(body, number, piece_start, piece_end)
            piece_start = None
        offset += line_length
    if piece_start is not None:
        yield _paragraph(body, number + 1, piece_start, piece_end)


def _paragraph(body: str, number: int, start: int, end: int) -> Paragraph:
    raw = body[start:end]
    stripped = raw.strip()
    return Paragraph(number, stripped, start + (len(raw) - len(raw.lstrip())))


def split_paragraphs(body: str) -> list[str]:
    return [paragraph.text for paragraph in iter_paragraphs(body)]


@dataclass(frozen=True)
class TagSet:
    locations: tuple[str, ...] = ()
    abuse_types: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.locations or self.abuse_types or self.perpetrators)

    def get(self, name: str) -> tuple[str, ...]:
        values: tuple[str, ...] = getattr(self, name)
        return values

    def union(self, other: TagSet) -> TagSet:
        return TagSet(*(_merge(self.get(name), other.get(name)) for name in TAG_FIELDS))

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(self.get(name)) for name in TAG_FIELDS if self.get(name)}


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + second))


# How sure the machine was of each of its suggested tags (tag id → 0..1): what the review
# queue is ordered by. Suggestions stored before it said so have none.
Confidences = dict[str, float]


@dataclass(frozen=True)
class Segment:
    """Tags on one paragraph: confirmed by a person, and suggested by the machine."""

    tags: TagSet = TagSet()
    suggested: TagSet = TagSet()
    confidence: Confidences = field(default_factory=dict)  # of the suggested tags


@dataclass(frozen=True)
class Redaction:
    """A passage hidden from readers who may not see it (`redaction`): paragraph `para`,
    characters start..end of its text (0-based, end excluded), why, by whom, when."""

    para: int
    start: int
    end: int
    reason: str = ""
    by: str = ""
    at: str = ""

    @property
    def chars(self) -> str:
        """The range as people write it (1-based, both ends included): `12-25`."""
        return f"{self.start + 1}-{self.end}"


@dataclass(frozen=True)
class Incident:
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True)
class Document:
    id: str
    kind: Kind
    title: str
    language: str
    body: str
    sha256: str
    access: Access = "public"
    date: PartialDate | None = None
    incident: Incident | None = None
    translation: dict[str, Any] | None = None
    tags: TagSet = TagSet()
    suggested: TagSet = TagSet()
    confidence: Confidences = field(default_factory=dict)  # of the suggested tags
    witness: dict[str, Any] | None = None
    source: dict[str, Any] | str | None = None
    segments: dict[int, Segment] = field(default_factory=dict)
    redactions: tuple[Redaction, ...] = ()
    # True in the view of a reader who may not see the redacted passages: the body has
    # `[redacted]` in their place and the sha256 is the shown text's (`redaction.redacted`).
    redacted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # For a document imported from a PDF: the page on which each run of paragraphs
    # stands, as {first paragraph: page}; a paragraph stands on the page of the nearest
    # first paragraph at or before it.
    pages: dict[int, int] = field(default_factory=dict)
    path: Path | None = field(default=None, compare=False)

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        return list(iter_paragraphs(self.body))

    def paragraph(self, number: int) -> Paragraph | None:
        paragraphs = self.paragraphs
        return paragraphs[number - 1] if 1 <= number <= len(paragraphs) else None

    def pages_of(self, first: int, last: int) -> tuple[int, int] | None:
        """The pages on which paragraphs `first` to `last` stand, or None where the
        document does not record pages."""
        if not self.pages:
            return None
        starts = sorted(self.pages)
        index = bisect.bisect_right(starts, first) - 1
        end = bisect.bisect_right(starts, last) - 1
        return self.pages[starts[max(index, 0)]], self.pages[starts[max(end, 0)]]

    def all_tags(self) -> TagSet:
        """Confirmed and suggested tags of the document itself (not its segments)."""
        return self.tags.union(self.suggested)


def pending_confidences(suggested: TagSet, confidence: Confidences) -> Confidences:
    """The confidences of the tags still suggested, in their order (a tag accepted,
    rejected or removed takes its confidence with it)."""
    return {
        value: confidence[value]
        for name in TAG_FIELDS
        for value in suggested.get(name)
        if value in confidence
    }


def most_confident(document: Document) -> float | None:
    """The highest confidence among the document's pending suggestions; None where
    none of them has one."""
    scores = [*pending_confidences(document.suggested, document.confidence).values()]
    for segment in document.segments.values():
        scores += pending_confidences(segment.suggested, segment.confidence).values()
    return max(scores, default=None)


def pending_suggestions(document: Document) -> int:
    """How many suggested tags wait for a person's review."""
    count = sum(len(document.suggested.get(name)) for name in TAG_FIELDS)
    for segment in document.segments.values():
        count += sum(len(segment.suggested.get(name)) for name in TAG_FIELDS)
    return count
