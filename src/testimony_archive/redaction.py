"""Redaction: passages of a document hidden from readers who may not see them.

A redaction names a paragraph and a run of characters in it. It is kept beside the text,
in the archive file's front matter (`redactions:`), and never alters the body or its
sha256: the record stays whole, and what a reader is shown is derived from it (with the
sha256 of what is shown). Readers
whose role may not see redacted passages get `[redacted]` in their place, everywhere
(pages, API, highlights, citations); the search index holds a redacted copy of such a
paragraph for them, so that a redacted word does not find the document either.

Character ranges are written as people count them, like `cut -c`: `12-25` is the 12th
to the 25th character of the paragraph's text, both included. In code a range is a
(start, end) pair of Python offsets (0-based, end excluded).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable

from .errors import UsageError
from .fields import TAG_FIELDS
from .models import Document, Redaction, body_sha256
from .text_folding import fold

MARKER = "[redacted]"
MAX_REASON = 500
_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")

Range = tuple[int, int]  # (start, end): offsets into a paragraph's text, end excluded


def parse_chars(text: str) -> Range:
    """`"12-25"` → (11, 25); raises UsageError with what to write instead."""
    match = _RANGE.match(str(text))
    if match is None:
        raise UsageError(f"{text!r} is not a character range; write it as A-B, such as 12-25")
    first, last = int(match.group(1)), int(match.group(2))
    if first < 1 or last < first:
        raise UsageError(
            f"{text!r}: a range starts at character 1 or later and ends at or after its start"
        )
    return first - 1, last


def merged(ranges: Iterable[Range]) -> list[Range]:
    """Ranges sorted, with overlapping and touching ones joined."""
    joined: list[Range] = []
    for start, end in sorted(ranges):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def apply(text: str, ranges: Iterable[Range], marker: str = MARKER) -> tuple[str, list[Range]]:
    """The text with each range replaced by `marker`, and where the markers now stand."""
    pieces: list[str] = []
    markers: list[Range] = []
    position = length = 0
    for start, end in merged(ranges):
        kept = text[position:start]
        pieces += [kept, marker]
        length += len(kept)
        markers.append((length, length + len(marker)))
        length += len(marker)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), markers


def ranges_by_paragraph(redactions: Iterable[Redaction]) -> dict[int, list[Range]]:
    found: dict[int, list[Range]] = {}
    for redaction in redactions:
        found.setdefault(redaction.para, []).append((redaction.start, redaction.end))
    return {number: merged(ranges) for number, ranges in sorted(found.items())}


def redacted(document: Document) -> Document:
    """The document as a reader who may not see its redacted passages gets it: each
    passage replaced by `[redacted]` in the body (paragraph numbers unchanged), its
    redactions reduced to where the markers stand, without who made them or why, and its
    sha256 that of the text as shown (the archived text's would let a reader confirm a
    guess of a redacted word)."""
    if not document.redactions:
        return document
    body = document.body
    shown: list[Redaction] = []
    # From the last paragraph back, so that earlier offsets in the body stay valid.
    for number, ranges in reversed(ranges_by_paragraph(document.redactions).items()):
        paragraph = document.paragraphs[number - 1]
        text, markers = apply(paragraph.text, ranges)
        body = body[: paragraph.start] + text + body[paragraph.start + len(paragraph.text) :]
        shown[:0] = [Redaction(number, start, end) for start, end in markers]
    return dataclasses.replace(
        document, body=body, sha256=body_sha256(body), redactions=tuple(shown), redacted=True
    )


def occurrences(text: str, words: str) -> list[Range]:
    """Every place `words` stands in `text`, ignoring case; UsageError if none."""
    needle = words.strip()
    if not needle:
        raise UsageError("give the words to redact")
    found = [
        (match.start(), match.end())
        for match in re.finditer(re.escape(needle), text, flags=re.IGNORECASE)
    ]
    if not found:
        raise UsageError(f"{needle!r} does not occur in that paragraph")
    return found


def check(document: Document, redaction: Redaction) -> None:
    """Raise UsageError unless the redaction lies inside one paragraph of the document."""
    paragraph = document.paragraph(redaction.para)
    if paragraph is None:
        raise UsageError(
            f"{document.id} has no paragraph {redaction.para} "
            f"(it has {len(document.paragraphs)})"
        )
    if not 0 <= redaction.start < redaction.end <= len(paragraph.text):
        raise UsageError(
            f"characters {redaction.chars} are not inside paragraph {redaction.para}, "
            f"which has {len(paragraph.text)} characters"
        )
    if len(redaction.reason) > MAX_REASON:
        raise UsageError(f"keep the reason under {MAX_REASON} characters")


def exposures(document: Document, labels: Callable[[str, str], list[str]]) -> list[list[str]]:
    """For each redaction of the document, where else its words stand in what every
    reader sees, redaction or not: the title, the witness's pseudonym, the source, the
    label of a tag (`labels(field, value)` gives a tag's labels in every language), a
    paragraph where they are not redacted. A village redacted in the text but named by a
    place tag is not hidden."""
    title_and_more = {"title": document.title}
    if document.witness and document.witness.get("pseudonym"):
        title_and_more["pseudonym"] = str(document.witness["pseudonym"])
    if document.source:
        title_and_more["source"] = str(document.source)
    ranges = ranges_by_paragraph(document.redactions)
    shown = [
        fold(apply(paragraph.text, ranges.get(paragraph.number, []))[0])
        for paragraph in document.paragraphs
    ]  # every paragraph as readers without the right see it
    found: list[list[str]] = []
    for item in document.redactions:
        paragraph = document.paragraph(item.para)
        words = fold(paragraph.text[item.start : item.end]) if paragraph else ""
        places = [name for name, text in title_and_more.items() if words and words in fold(text)]
        tags = document.tags.union(document.suggested)
        segment = document.segments.get(item.para)
        if segment is not None:
            tags = tags.union(segment.tags).union(segment.suggested)
        for name in TAG_FIELDS:
            for value in tags.get(name):
                folded = [fold(label) for label in labels(name, value)]
                if words and any(words in label or label in words for label in folded):
                    places.append(f"tag {value}")
        if words:
            places += [f"¶{number}" for number, text in enumerate(shown, start=1)
                       if words in text]  # fmt: skip
        found.append(places)
    return found
