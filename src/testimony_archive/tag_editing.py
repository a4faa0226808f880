"""Adding, removing, accepting and rejecting tags, on a document or one paragraph.

Each change rewrites the archive file's front matter atomically (never the body) and is
appended to the history with who, when and before → after. Whether a viewer may make it,
and re-indexing it at once, are the service's part (`service.SearchService.edit_tags`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from .archive import Archive
from .errors import UsageError
from .fields import TAG_FIELDS
from .history import History, TagChange, now
from .models import Confidences, Document, Segment, TagSet, pending_confidences

Action = Literal["add", "remove", "accept", "reject", "suggest"]
ACTIONS: tuple[Action, ...] = ("add", "remove", "accept", "reject", "suggest")
SUGGESTION_ENGINE = "suggestion engine"


@dataclass(frozen=True)
class Level:
    """The tags of the document itself, or of one paragraph (a segment)."""

    confirmed: TagSet
    suggested: TagSet
    confidence: Confidences  # of the suggested tags


class TagEditor:
    def __init__(self, archive: Archive, history: History, editor: str) -> None:
        self.archive = archive
        self.history = history
        self.editor = editor

    def field_of(self, value: str) -> str:
        vocabulary = self.archive.vocabulary
        for name in TAG_FIELDS:
            if vocabulary.is_valid(name, value):
                return name
        raise UsageError(
            f"unknown tag {value!r}: use an abuse type or perpetrator id (see 'testimony "
            "vocabulary') or a place code (MX, MX-CHP, geonames:<id>)"
        )

    def change(
        self,
        doc_id: str,
        action: Action,
        values: Iterable[str],
        para: int | None = None,
        confidence: Mapping[str, float] | None = None,
    ) -> Document:
        """Apply one action to some tags; returns the document as written. With
        `suggest`, `confidence` says how sure the machine is of each value (it replaces
        what a pending suggestion had); a tag that stops being suggested (accepted,
        rejected, removed) loses its confidence."""
        if action not in ACTIONS:
            raise UsageError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
        for value, score in (confidence or {}).items():
            if not 0 <= float(score) <= 1:  # (NaN too) what the file reader would refuse
                raise UsageError(f"the confidence of {value} is {score!r}; give one from 0 to 1")
        with self.archive.write_lock():
            document = self.archive.get(doc_id)
            if para is not None and document.paragraph(para) is None:
                raise UsageError(
                    f"{doc_id} has no paragraph {para} (it has {len(document.paragraphs)})"
                )
            rejected = self.history.rejected(doc_id) if action == "suggest" else set()
            level = before = _level(document, para)
            wanted = list(dict.fromkeys(values))
            changes: list[TagChange] = []
            for value in wanted:
                field = self.field_of(value)
                if action == "suggest" and (para, field, value) in rejected:
                    continue
                level, change = self._apply(level, action, field, value, doc_id, para)
                if change is not None:
                    changes.append(change)
            scores = dict(level.confidence)
            if action == "suggest" and confidence:
                scores.update((value, round(float(confidence[value]), 2))
                              for value in wanted if value in confidence)  # fmt: skip
            level = dataclasses.replace(
                level, confidence=pending_confidences(level.suggested, scores)
            )
            if not changes and level.confidence == before.confidence:
                return document
            updated = _with_level(document, para, level)
            self.archive.write(updated, document.path)
            self.history.record(changes)
        return updated

    def _apply(
        self, level: Level, action: Action, field: str, value: str, doc_id: str, para: int | None
    ) -> tuple[Level, TagChange | None]:
        confirmed = list(level.confirmed.get(field))
        suggested = list(level.suggested.get(field))
        if action in ("accept", "reject") and value not in suggested:
            where = f"paragraph {para} of {doc_id}" if para else doc_id
            raise UsageError(f"{value!r} is not a suggested tag of {where}")
        watched = suggested if action in ("reject", "suggest") else confirmed
        before = tuple(watched)
        if action == "add" or action == "accept":
            suggested = [tag for tag in suggested if tag != value]
            confirmed = confirmed if value in confirmed else [*confirmed, value]
        elif action == "remove":
            confirmed = [tag for tag in confirmed if tag != value]
            suggested = [tag for tag in suggested if tag != value]
        elif action == "reject":
            suggested = [tag for tag in suggested if tag != value]
        elif value not in confirmed and value not in suggested:  # suggest
            suggested = [*suggested, value]
        after = tuple(suggested if action in ("reject", "suggest") else confirmed)
        new_level = Level(
            dataclasses.replace(level.confirmed, **{field: tuple(confirmed)}),
            dataclasses.replace(level.suggested, **{field: tuple(suggested)}),
            level.confidence,
        )
        if before == after and new_level == level:
            return level, None
        origin = "manual" if action in ("add", "remove") else "suggested"
        editor = SUGGESTION_ENGINE if action == "suggest" else self.editor
        change = TagChange(now(), editor, doc_id, para, field, action, value, before, after, origin)
        return new_level, change


def _level(document: Document, para: int | None) -> Level:
    if para is None:
        return Level(document.tags, document.suggested, document.confidence)
    segment = document.segments.get(para, Segment())
    return Level(segment.tags, segment.suggested, segment.confidence)


def _with_level(document: Document, para: int | None, level: Level) -> Document:
    if para is None:
        return dataclasses.replace(document, tags=level.confirmed, suggested=level.suggested,
                                   confidence=level.confidence)  # fmt: skip
    segments = dict(document.segments)
    segment = Segment(level.confirmed, level.suggested, level.confidence)
    if segment.tags or segment.suggested:
        segments[para] = segment
    else:
        segments.pop(para, None)
    return dataclasses.replace(document, segments=dict(sorted(segments.items())))
