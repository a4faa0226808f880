"""What the index holds for a document: its entries and its metadata record."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from ..archive import FileState
from ..models import TAG_FIELDS, Document, TagSet, pending_suggestions
from ..vocabulary import Vocabulary
from .analysis import field_language
from .schema import CONFIRMED_SUFFIX, DOCUMENT, PARAGRAPH, text_field


@dataclass(frozen=True)
class DocMeta:
    """What a search needs to know of a document without opening its file."""

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
    date: str | None = None
    year: int | None = None
    sort_date: int | None = None
    tags: dict[str, list[str]] = field(default_factory=dict)
    suggested: dict[str, list[str]] = field(default_factory=dict)
    facets: dict[str, list[str]] = field(default_factory=dict)  # document-level tags only
    facets_confirmed: dict[str, list[str]] = field(default_factory=dict)
    segment_facets: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    segment_facets_confirmed: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> DocMeta:
        data: dict[str, Any] = json.loads(text)
        for key in ("segment_facets", "segment_facets_confirmed"):
            data[key] = {int(number): value for number, value in data.get(key, {}).items()}
        return cls(**data)

    def paragraph_facets(self, number: int, confirmed_only: bool = False) -> dict[str, list[str]]:
        """The values a paragraph is filtered and counted by: its document's and its own."""
        base = self.facets_confirmed if confirmed_only else self.facets
        segments = self.segment_facets_confirmed if confirmed_only else self.segment_facets
        extra = segments.get(number)
        return _union(base, extra) if extra else base

    @cached_property
    def _all_facets(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        every, confirmed = self.facets, self.facets_confirmed
        for extra in self.segment_facets.values():
            every = _union(every, extra)
        for extra in self.segment_facets_confirmed.values():
            confirmed = _union(confirmed, extra)
        return every, confirmed

    def document_facets(self, confirmed_only: bool = False) -> dict[str, list[str]]:
        """The values a document is counted by: its own and all its paragraphs'."""
        return self._all_facets[1 if confirmed_only else 0]


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
    confirmed = document.tags
    every = document.all_tags()
    segment_all: dict[int, dict[str, list[str]]] = {}
    segment_confirmed: dict[int, dict[str, list[str]]] = {}
    for number, segment in document.segments.items():
        if segment.tags or segment.suggested:
            segment_all[number] = _rolled(vocabulary, segment.tags.union(segment.suggested))
        if segment.tags:
            segment_confirmed[number] = _rolled(vocabulary, segment.tags)
    scalars = _scalar_facets(document)
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
        date=str(document.date) if document.date else None,
        year=document.date.year if document.date else None,
        sort_date=document.date.sort_key if document.date else None,
        tags=confirmed.as_dict(),
        suggested=document.suggested.as_dict(),
        facets={**scalars, **_rolled(vocabulary, every)},
        facets_confirmed={**scalars, **_rolled(vocabulary, confirmed)},
        segment_facets=segment_all,
        segment_facets_confirmed=segment_confirmed,
    )


def index_entries(document: Document, meta: DocMeta) -> list[dict[str, Any]]:
    """The document entry, then one entry per paragraph."""
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
            "state": f"{meta.path}\t{meta.mtime_ns}\t{meta.size}",
        }
    ]
    text_name = text_field(field_language(document.language))
    for paragraph in document.paragraphs:
        tags = meta.paragraph_facets(paragraph.number)
        confirmed = meta.paragraph_facets(paragraph.number, confirmed_only=True)
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
        entries.append(entry)
    return entries
