"""Machine-suggested tags on a document's paragraphs, kept apart from confirmed tags, each
with how sure the machine was of it; and suggestions for a batch of paragraphs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .fields import TAG_FIELDS
from .models import Document, Segment, TagSet

if TYPE_CHECKING:  # the tagging package loads its lexicons only when it is used
    from .tagging import Suggestion, Tagger


def paragraph_suggestions(
    tagger: Tagger, document: Document, min_confidence: float = 0.0
) -> dict[int, Suggestion]:
    """Paragraph number → what the tagger suggests for it, only the values suggested with
    at least `min_confidence`."""
    from .tagging import context_for

    context = context_for(document, tagger)
    return {
        paragraph.number: tagger.suggest(paragraph.text, context).at_least(min_confidence)
        for paragraph in document.paragraphs
    }


def with_suggestions(tagger: Tagger, document: Document) -> Document:
    """The document with the tagger's suggestions, and their confidences, added to its
    paragraphs (segments). Tags already confirmed or suggested on the paragraph or the
    document are not suggested again."""
    segments = dict(document.segments)
    for number, suggestion in paragraph_suggestions(tagger, document).items():
        segment = segments.get(number, Segment())
        known = document.tags.union(segment.tags).union(segment.suggested)
        new = TagSet(*(
            tuple(value for value in getattr(suggestion, name) if value not in known.get(name))
            for name in TAG_FIELDS
        ))  # fmt: skip
        if new:
            scores = {item.value: round(item.score, 2) for item in suggestion.confidences}
            added = {value: scores[value] for value in values_of(new) if value in scores}
            segments[number] = Segment(segment.tags, segment.suggested.union(new),
                                       {**segment.confidence, **added})  # fmt: skip
    return dataclasses.replace(document, segments=dict(sorted(segments.items())))


def values_of(tags: TagSet | Suggestion) -> list[str]:
    """Every value of a tag set (or a suggestion), field by field."""
    return [value for name in TAG_FIELDS for value in getattr(tags, name)]


def confidences(suggestion: Suggestion) -> dict[str, float]:
    """Suggested value → the confidence of it (a value is one field's: tag ids and place
    codes do not overlap)."""
    return {item.value: item.score for item in suggestion.confidences}


def batch_suggestions(
    tagger: Tagger,
    documents: Callable[[str], Document],
    lines: Iterable[str],
    min_confidence: float = 0.0,
    explain: bool = False,
) -> Iterator[dict[str, Any]]:
    """`tagging.suggest_batch`, keeping only the values suggested with at least
    `min_confidence`; with `explain`, each line also says how sure the machine is of each
    value, `"confidence": {field: {value: score}}`, and the words behind it, `"evidence":
    [{field, value, start, end, text}]`. Without them, the lines are suggest_batch's."""
    from .tagging import suggest_items

    for item, suggestion in suggest_items(tagger, documents, lines):
        kept = suggestion.at_least(min_confidence)
        yield {**item, **kept.as_dict(), **(explained(kept) if explain else {})}


def explained(suggestion: Suggestion) -> dict[str, Any]:
    """Why a suggestion was made: each value's confidence, and the words behind it."""
    by_field: dict[str, dict[str, float]] = {name: {} for name in TAG_FIELDS}
    for item in suggestion.confidences:
        by_field[item.field][item.value] = item.score
    return {
        "confidence": by_field,
        "evidence": [dataclasses.asdict(evidence) for evidence in suggestion.evidence],
    }
