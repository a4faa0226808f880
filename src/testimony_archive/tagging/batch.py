"""Suggestions for many paragraphs, with each document's metadata as context."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import TestimonyError, UsageError
from ..models import Document
from .model import Suggestion, TagContext
from .narrative import event_places
from .tagger import Tagger


def context_for(document: Document, tagger: Tagger) -> TagContext:
    """The document's kind, language and known places; for a testimony, also where the
    narrative itself says its events happened."""
    locations = tuple(dict.fromkeys(document.tags.locations + document.suggested.locations))
    events: tuple[str, ...] = ()
    slavery = False
    if document.kind == "testimony":
        slavery_in = tagger.slavery_in(document.body, document.language)
        slavery = slavery_in.told
        events = event_places(document.body, tagger, locations, slavery_in.spoken)
    return TagContext(document.kind, document.language, locations, events, slavery)


def suggest_batch(
    tagger: Tagger, documents: Callable[[str], Document], lines: Iterable[str]
) -> Iterator[dict[str, Any]]:
    """For each `{"doc", "para", "text"}` line, the same object with the suggested
    `locations`, `abuse_types` and `perpetrators` (the CLI's contract)."""
    for item, suggestion in suggest_items(tagger, documents, lines):
        yield {**item, **suggestion.as_dict()}


def suggest_items(
    tagger: Tagger, documents: Callable[[str], Document], lines: Iterable[str]
) -> Iterator[tuple[dict[str, Any], Suggestion]]:
    """Each `{"doc", "para", "text"}` line read, with the tagger's suggestion for its
    text. `documents` reads a document by id; a `doc` it cannot read (not in the
    archive, not readable by the one asking, or invalid) gives no context; the paragraph
    is still tagged. A line that is not such an object raises UsageError naming it."""
    contexts: dict[str, TagContext | None] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = _read_item(line, number)
        doc_id = item.get("doc")
        if isinstance(doc_id, str) and doc_id not in contexts:
            contexts[doc_id] = _load_context(documents, doc_id, tagger)
        context = contexts.get(doc_id) if isinstance(doc_id, str) else None
        yield item, tagger.suggest(str(item.get("text") or ""), context)


def _read_item(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise UsageError(f"line {number}: not valid JSON ({error.msg})") from error
    if not isinstance(item, dict) or not isinstance(item.get("text", ""), str):
        raise UsageError(f'line {number}: expected an object {{"doc", "para", "text"}}')
    return item


def _load_context(
    documents: Callable[[str], Document], doc_id: str, tagger: Tagger
) -> TagContext | None:
    try:
        return context_for(documents(doc_id), tagger)
    except TestimonyError:
        return None
