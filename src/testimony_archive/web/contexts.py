"""Typed page contexts: what each template receives, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..citation import Citation
from ..i18n import LANGUAGES, Translator
from ..index import Span
from .search_state import SearchState
from .views import Chip, FacetGroup, Pagination, ResultView, YearChart


@dataclass
class Chrome:
    """What every page needs: language, its switch, the current path."""

    translator: Translator
    path_with_query: str
    body_class: str = ""

    @property
    def language(self) -> str:
        return self.translator.language

    @property
    def languages(self) -> dict[str, str]:
        return LANGUAGES

    def language_url(self, code: str) -> str:
        base, _, query = self.path_with_query.partition("?")
        params = [part for part in query.split("&") if part and not part.startswith("lang=")]
        params.append(f"lang={code}")
        return f"{base}?{'&'.join(params)}"


@dataclass
class SearchPage:
    template = "search.html"
    state: SearchState
    total: int
    unit: str
    results: list[ResultView]
    facets: list[FacetGroup]
    chips: list[Chip]
    chart: YearChart | None
    pagination: Pagination
    notes: list[str]
    took_ms: float
    sort_links: dict[str, str]
    unit_links: dict[str, str]


@dataclass
class TagView:
    value: str
    label: str
    suggested: bool
    url: str  # the search for this tag
    why: str = ""  # for a suggestion: the words that led to it


@dataclass
class HistoryRow:
    at: str
    editor: str
    action: str
    label: str
    where: str
    before: str
    after: str
    origin: str


@dataclass
class ParagraphRow:
    number: int
    text: str
    spans: list[Span]
    tags: list[TagView]
    citation: Citation
    is_hit: bool
    previous_hit: int | None = None
    next_hit: int | None = None


@dataclass
class DocumentPage:
    template = "document.html"
    doc_id: str
    title: str
    kind: str
    date: str | None
    language: str
    metadata: list[tuple[str, str]]
    tags: dict[str, list[tuple[str, str]]]  # heading → [(label, search url)]
    paragraphs: list[ParagraphRow]
    q: str
    hits: list[int]
    back_url: str
    sha256: str
    doc_tags: list[TagView] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    editing: bool = False
    csrf: str = ""


@dataclass
class VocabularyRow:
    id: str
    label: str
    count: int
    url: str
    depth: int


@dataclass
class VocabularyPage:
    template = "vocabulary.html"
    title: str
    sections: list[tuple[str, str]]  # (title, url) of each vocabulary page
    current: str
    rows: list[VocabularyRow]


@dataclass
class ReviewRow:
    doc_id: str
    title: str
    url: str
    pending: int
    date: str | None


@dataclass
class ReviewPage:
    template = "review.html"
    rows: list[ReviewRow]
    editing: bool


@dataclass
class ErrorPage:
    template = "error.html"
    status: int
    title: str
    message: str
    details: list[str] = field(default_factory=list)


Page = SearchPage | DocumentPage | VocabularyPage | ReviewPage | ErrorPage


def template_context(page: Page, chrome: Chrome) -> dict[str, Any]:
    return {
        "page": page,
        "ui": chrome,
        "_": chrome.translator.gettext,
        "ngettext": chrome.translator.ngettext,
    }
