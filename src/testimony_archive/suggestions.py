"""Machine-suggested tags on a document's paragraphs, kept apart from confirmed tags."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .fields import TAG_FIELDS
from .models import Document, Segment, TagSet

if TYPE_CHECKING:  # the tagging package loads its lexicons only when it is used
    from .tagging import Suggestion, Tagger


def paragraph_suggestions(tagger: Tagger, document: Document) -> dict[int, Suggestion]:
    from .tagging import context_for

    context = context_for(document, tagger)
    return {
        paragraph.number: tagger.suggest(paragraph.text, context)
        for paragraph in document.paragraphs
    }


def with_suggestions(tagger: Tagger, document: Document) -> Document:
    """The document with the tagger's suggestions added to its paragraphs (segments).
    Tags already confirmed on the paragraph or the document are not suggested again."""
    segments = dict(document.segments)
    for number, suggestion in paragraph_suggestions(tagger, document).items():
        segment = segments.get(number, Segment())
        known = document.tags.union(segment.tags).union(segment.suggested)
        new = TagSet(*(
            tuple(value for value in getattr(suggestion, name) if value not in known.get(name))
            for name in TAG_FIELDS
        ))  # fmt: skip
        if new:
            segments[number] = Segment(segment.tags, segment.suggested.union(new))
    return dataclasses.replace(document, segments=dict(sorted(segments.items())))
