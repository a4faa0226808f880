"""Does an excerpt still match the archive? One verdict per excerpt, saying where not.

- **faithful**: the quoted words stand at the stated place of the document, and the
  document is the version the excerpt names (its sha256).
- **redacted since**: the words still stand there, but the archive has since redacted
  part of the passage or of the document; what is hidden now is never compared, so a
  verification cannot be used to confirm a guess of redacted words.
- **altered**: the quote, its hash, the place or the archived text differ; the verdict
  names the paragraph and character where they part.
- **missing**: the document is not in the archive, or not for this viewer (a restricted
  document answers as an unknown one does).

The documents compared with are those the verifier may see (`access.redact`): a reader
who may not see redacted passages is compared with the redacted text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .errors import UsageError
from .excerpts import Excerpt, check_place, extract, quoted_text, text_sha256
from .models import Document
from .redaction import MARKER

Status = Literal["faithful", "redacted since", "altered", "missing"]
STATUSES: tuple[Status, ...] = ("faithful", "redacted since", "altered", "missing")
_SHOWN_AROUND = 24  # characters of context either side of a difference


@dataclass(frozen=True)
class Verdict:
    number: int  # the excerpt's number in its document, from 1
    excerpt: Excerpt
    status: Status
    detail: str = ""

    @property
    def faithful(self) -> bool:
        return self.status == "faithful"

    def line(self) -> str:
        """One line for a person: number, status, place, and what differs."""
        where = f"{self.excerpt.doc} {self.excerpt.place.described()}"
        detail = f": {' '.join(self.detail.split())}" if self.detail else ""
        return f"{self.number:>4}  {self.status:<14}  {where}{detail}"

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "doc": self.excerpt.doc,
            "locator": self.excerpt.place.locator,
            "chars": list(self.excerpt.place.chars) if self.excerpt.place.chars else None,
            "status": self.status,
            "detail": self.detail,
        }


def missing(number: int, excerpt: Excerpt) -> Verdict:
    return Verdict(number, excerpt, "missing", "no such document in this archive")


def unreadable(number: int, excerpt: Excerpt, reason: str) -> Verdict:
    """The archived file itself no longer holds (its text does not match its sha256)."""
    return Verdict(number, excerpt, "altered", f"the archived document does not hold: {reason}")


def verify(number: int, excerpt: Excerpt, views: Sequence[Document]) -> Verdict:
    """Compare an excerpt with the document as the verifier sees it (`views[0]`) and, for
    a verifier who sees every word, as readers without that right see it (`views[1]`):
    an excerpt made by such a reader shows `[redacted]` where the archive has words."""
    if text_sha256(excerpt.text) != excerpt.sha256:
        return Verdict(number, excerpt, "altered",
                       "the quote does not match its own SHA-256: it was changed after "
                       "it was taken from the archive")  # fmt: skip
    view = views[0]
    try:
        check_place(view, excerpt.place)
    except UsageError as error:
        return Verdict(number, excerpt, "altered", str(error))
    for candidate in views:
        shown = quoted_text(candidate, excerpt.place)
        if shown == excerpt.text:
            return _same_words(number, excerpt, candidate, views)
    shown = quoted_text(view, excerpt.place)
    if MARKER in shown and _matches_outside_markers(shown, excerpt.text):
        return Verdict(number, excerpt, "redacted since",
                       "the words you may see stand as quoted; the archive hides the rest "
                       "from your role, and it was not compared")  # fmt: skip
    return Verdict(number, excerpt, "altered", _difference(excerpt, shown))


def _same_words(
    number: int, excerpt: Excerpt, matched: Document, views: Sequence[Document]
) -> Verdict:
    changed = _changed_fields(excerpt, matched)
    if changed:
        return Verdict(number, excerpt, "altered",
                       "the words stand as quoted, but what the excerpt says of the "
                       f"document differs from the archive: {', '.join(changed)}")  # fmt: skip
    newer = _redactions_since(views[0], excerpt)
    if newer:
        return Verdict(number, excerpt, "redacted since",
                       f"the archive has since redacted {newer}")  # fmt: skip
    if excerpt.document_sha256 in {view.sha256 for view in views}:
        return Verdict(number, excerpt, "faithful")
    if matched.redacted:
        return Verdict(number, excerpt, "redacted since",
                       "the words you may see stand as quoted, but the document as shown "
                       "to you is not the version recorded: it has been redacted since, "
                       "or the recorded SHA-256 was changed; what is hidden from your role "
                       "was not compared")  # fmt: skip
    recorded = excerpt.document_sha256[:12]
    return Verdict(number, excerpt, "altered",
                   f"the words stand as quoted, but the document's SHA-256 is "
                   f"{matched.sha256[:12]}…, not {recorded}… as recorded")  # fmt: skip


def _changed_fields(excerpt: Excerpt, document: Document) -> list[str]:
    """What the excerpt says of its document (title, kind, language, date, places, source,
    witness, author, pages, permalink) that the document, as the verifier sees it, does not."""
    expected = extract(document, excerpt.place, archive=excerpt.archive,
                       at=excerpt.extracted_at)  # fmt: skip
    changed = [name for name in ("title", "kind", "language", "date", "places", "source",
                                 "witness", "author", "pages")
               if getattr(excerpt, name) != getattr(expected, name)]  # fmt: skip
    if not excerpt.permalink.endswith(expected.permalink):  # the base may differ
        changed.append("permalink")
    return changed


def _redactions_since(view: Document, excerpt: Excerpt) -> str:
    """The redactions a verifier who sees every word can date: those made after the
    excerpt was taken that touch its place, as `¶4 chars 12-25`."""
    if view.redacted:
        return ""
    place = excerpt.place
    found = []
    for item in view.redactions:
        if not (place.first <= item.para <= place.last) or item.at <= excerpt.extracted_at:
            continue
        if place.chars and not (item.start < place.chars[1] and place.chars[0] - 1 < item.end):
            continue
        found.append(f"¶{item.para} chars {item.chars}")
    return ", ".join(found)


def _matches_outside_markers(shown: str, quote: str) -> bool:
    """Whether the quote reads as the shown text wherever the shown text is not
    `[redacted]` (what stands in the quote in the markers' place, one character or more,
    is not looked at). Linear in the quote's length: each piece is found once, left to
    right (a pattern with lazy gaps would take cubic time on a crafted quote)."""
    pieces = shown.split(MARKER)
    first, last = pieces[0], pieces[-1]
    if not quote.startswith(first) or len(quote) < len(first) + len(last) + 1:
        return False
    at, end = len(first), len(quote) - len(last)
    if not quote.endswith(last):
        return False
    for piece in pieces[1:-1]:
        found = quote.find(piece, at + 1, end - 1)  # a marker stands for one char or more
        if found < 0:
            return False
        at = found + len(piece)
    return at < end


def _difference(excerpt: Excerpt, shown: str) -> str:
    """Where the quote and the archived words part: paragraph and character."""
    quote = excerpt.text
    at = next(
        (i for i, (a, b) in enumerate(zip(quote, shown, strict=False)) if a != b),
        min(len(quote), len(shown)),
    )
    para, offset = excerpt.place.first, at
    # Count paragraphs of a multi-paragraph quote up to the difference.
    before = shown[:at]
    if excerpt.place.chars is None and "\n\n" in before:
        para += before.count("\n\n")
        offset = at - (before.rfind("\n\n") + 2)
    elif excerpt.place.chars is not None:
        offset = at + excerpt.place.chars[0] - 1
    # What follows, up to the paragraph's end: the verdict is one line.
    archived = shown[at : at + _SHOWN_AROUND].split("\n\n")[0]
    quoted = quote[at : at + _SHOWN_AROUND].split("\n\n")[0]
    return (
        f"differs from ¶{para}, character {offset + 1}: the archive has “{archived}”, "
        f"the quote has “{quoted}”"
    )
