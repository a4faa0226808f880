"""What a search returns, whatever the backend: ranked hits, facet counts, notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..notes import Note
from .entries import DocMeta
from .highlight import Span
from .request import SearchRequest


@dataclass
class ParagraphHit:
    doc: str
    para: int
    score: float
    text: str = ""
    highlights: list[Span] = field(default_factory=list)
    meta: DocMeta | None = None


@dataclass
class DocumentHit:
    meta: DocMeta
    score: float
    paragraphs: list[ParagraphHit]


@dataclass(frozen=True)
class FacetValue:
    """A value of a facet and how many results carry it. Labels are the presentation's
    business (`fields.Facet.label`), in the reader's language."""

    value: str
    count: int
    parent: str | None = None  # for hierarchical facets: the value one level up


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[DocumentHit] | list[ParagraphHit]
    facets: dict[str, list[FacetValue]]
    notes: list[Note]
    took_ms: float
    started: float = 0.0  # when the search that computed this result began

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.limit))


@dataclass(frozen=True)
class Counts:
    """What the readable part of the index holds."""

    documents: int
    paragraphs: int
    facets: dict[str, list[FacetValue]]


@dataclass(frozen=True)
class HighlightTerms:
    """The index terms a query looks for, to highlight them in any text: what it asked
    for, and the weaker expansions shown only where nothing stronger matched."""

    strong: frozenset[tuple[str, str]] = frozenset()
    weak: frozenset[tuple[str, str]] = frozenset()
