"""Search: a request in, ranked documents or paragraphs with facets and highlights out."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Literal

from whoosh import query as wq

from ..archive import Archive
from ..dates import parse_date
from ..document_file import parse_document
from ..errors import ArchiveError, UsageError
from ..expansion import Expander
from ..models import Document
from .analysis import field_language
from .entries import DocMeta
from .facets import FacetValue, count_documents, count_paragraphs, facet_values
from .highlight import Span, highlight_spans, query_terms
from .query_builder import FILTER_FIELD_NAMES, QueryBuilder
from .query_syntax import parse_query
from .schema import CONFIRMED_SUFFIX, PARAGRAPH
from .searcher import DocTable, IndexHandle

Unit = Literal["document", "paragraph"]
Sort = Literal["relevance", "date", "-date"]
UNITS: tuple[Unit, ...] = ("document", "paragraph")
SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")
MAX_LIMIT = 100
MAX_PAGE = 10_000
PARAGRAPHS_PER_DOCUMENT = 3


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    location: str | None = None
    abuse_type: str | None = None
    perpetrator: str | None = None
    kind: str | None = None
    language: str | None = None
    year: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    unit: Unit = "document"
    sort: Sort = "relevance"
    page: int = 1
    limit: int = 20
    confirmed_only: bool = False
    include_restricted: bool = False
    label_language: str = "en"

    def check(self) -> None:
        if self.unit not in UNITS:
            raise UsageError(f"unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if self.sort not in SORTS:
            raise UsageError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise UsageError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if not 1 <= self.page <= MAX_PAGE:
            raise UsageError(f"page must be between 1 and {MAX_PAGE}, not {self.page}")
        for name, value in (("from", self.date_from), ("to", self.date_to)):
            if value:
                try:
                    parse_date(value)
                except ValueError as error:
                    raise UsageError(f"{name}: {error}") from error


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


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[DocumentHit] | list[ParagraphHit]
    facets: dict[str, list[FacetValue]]
    notes: list[str]
    took_ms: float

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.limit))


class SearchService:
    """Searches one archive's index; one per process, shared by threads."""

    def __init__(self, archive: Archive, index_dir: Path) -> None:
        self.archive = archive
        self.handle = IndexHandle(index_dir)
        self.expander = Expander(archive.vocabulary)
        self._documents: OrderedDict[tuple[str, int], Document] = OrderedDict()
        self._documents_lock = Lock()

    def search(self, request: SearchRequest) -> SearchResult:
        request.check()
        started = time.perf_counter()
        with self.handle.searcher() as (searcher, table):
            built = QueryBuilder(searcher.reader(), self.expander).build(parse_query(request.q))
            filters = wq.And([wq.Term("entry", PARAGRAPH), *self._filters(request), *built.filters])
            if built.query is None:
                scored = [(0.0, docnum) for docnum in searcher.docs_for_query(filters)]
            else:
                results = searcher.search(built.query, filter=filters, limit=None)
                scored = [(score, docnum) for score, docnum in results.top_n]
            terms = query_terms(built.query)
        hits, total, facets = self._arrange(request, scored, table)
        self._attach_text(hits, terms, built.notes)
        return SearchResult(
            request=request,
            total=total,
            hits=hits,
            facets=facets,
            notes=built.notes,
            took_ms=(time.perf_counter() - started) * 1000,
        )

    # -- filters -----------------------------------------------------------------------

    def _filters(self, request: SearchRequest) -> list[wq.Query]:
        filters: list[wq.Query] = []
        suffix = CONFIRMED_SUFFIX if request.confirmed_only else ""
        for name in ("location", "abuse_type", "perpetrator"):
            value = getattr(request, name)
            if value:
                filters.append(wq.Term(FILTER_FIELD_NAMES[name] + suffix, _tag_value(name, value)))
        if request.kind:
            filters.append(wq.Term("kind", request.kind))
        if request.language:
            filters.append(wq.Term("language", request.language))
        if request.year is not None:
            filters.append(wq.NumericRange("year", request.year, request.year))
        if request.date_from:
            start = parse_date(request.date_from).sort_key
            filters.append(wq.NumericRange("date_end", start, None))
        if request.date_to:
            end = parse_date(request.date_to).last_day
            filters.append(
                wq.NumericRange("date", None, end.year * 10000 + end.month * 100 + end.day)
            )
        if not request.include_restricted:
            filters.append(wq.Term("access", "public"))
        return filters

    # -- ranking, grouping, paging -----------------------------------------------------

    def _arrange(
        self, request: SearchRequest, scored: list[tuple[float, int]], table: DocTable
    ) -> tuple[list[DocumentHit] | list[ParagraphHit], int, dict[str, list[FacetValue]]]:
        paragraphs = [
            ParagraphHit(meta.id, table.para_of_entry[docnum], score, meta=meta)
            for score, docnum in scored
            if (ordinal := table.doc_of_entry[docnum]) >= 0 and (meta := table.docs[ordinal])
        ]
        first = (request.page - 1) * request.limit
        vocabulary = self.archive.vocabulary
        if request.unit == "paragraph":
            paragraphs.sort(key=_paragraph_order(request.sort))
            counters = count_paragraphs(
                ((hit.meta, hit.para) for hit in paragraphs if hit.meta), request.confirmed_only
            )
            facets = facet_values(counters, vocabulary, request.label_language)
            return paragraphs[first : first + request.limit], len(paragraphs), facets

        by_doc: dict[str, list[ParagraphHit]] = {}
        for hit in sorted(paragraphs, key=lambda hit: (-hit.score, hit.para)):
            by_doc.setdefault(hit.doc, []).append(hit)
        documents = [
            DocumentHit(hits[0].meta, _document_score(hits), hits[:PARAGRAPHS_PER_DOCUMENT])
            for hits in by_doc.values()
            if hits[0].meta is not None
        ]
        documents.sort(key=_document_order(request.sort))
        counters = count_documents((hit.meta for hit in documents), request.confirmed_only)
        facets = facet_values(counters, vocabulary, request.label_language)
        return documents[first : first + request.limit], len(documents), facets

    # -- text and highlights -----------------------------------------------------------

    def _attach_text(
        self,
        hits: list[DocumentHit] | list[ParagraphHit],
        terms: set[tuple[str, str]],
        notes: list[str],
    ) -> None:
        paragraph_hits: list[ParagraphHit] = []
        for hit in hits:
            paragraph_hits.extend(hit.paragraphs if isinstance(hit, DocumentHit) else [hit])
        for paragraph_hit in paragraph_hits:
            meta = paragraph_hit.meta
            assert meta is not None
            try:
                document = self.document(meta)
            except ArchiveError as error:
                notes.append(f"{meta.id} could not be read: {error}")
                continue
            paragraph = document.paragraph(paragraph_hit.para)
            if paragraph is None:
                continue
            paragraph_hit.text = paragraph.text
            paragraph_hit.highlights = highlight_spans(
                paragraph.text, field_language(meta.language), terms
            )

    def document(self, meta: DocMeta) -> Document:
        """The archived document behind an index entry (cached while its file is unchanged)."""
        path = self.archive.root / meta.path
        try:
            key = (str(path), path.stat().st_mtime_ns)
        except FileNotFoundError as error:
            raise ArchiveError("the file was removed; run 'testimony index'", path=path) from error
        with self._documents_lock:
            cached = self._documents.get(key)
            if cached is not None:
                self._documents.move_to_end(key)
                return cached
        document = parse_document(path.read_text(encoding="utf-8"), path)
        with self._documents_lock:
            self._documents[key] = document
            while len(self._documents) > 512:
                self._documents.popitem(last=False)
        return document


def _tag_value(name: str, value: str) -> str:
    if name == "location" and not value.startswith("geonames:"):
        return value.upper() if "/" not in value else value
    return value


def _document_score(hits: list[ParagraphHit]) -> float:
    """The best paragraph decides; other matching paragraphs add a little."""
    best = hits[0].score
    return best + 0.1 * sum(hit.score for hit in hits[1:PARAGRAPHS_PER_DOCUMENT])


def _date_key(meta: DocMeta | None) -> int:
    return meta.sort_date if meta is not None and meta.sort_date is not None else 0


def _paragraph_order(sort: Sort):  # type: ignore[no-untyped-def]
    if sort == "relevance":
        return lambda hit: (-hit.score, hit.doc, hit.para)
    sign = -1 if sort == "-date" else 1
    return lambda hit: (sign * _date_key(hit.meta), hit.doc, hit.para)


def _document_order(sort: Sort):  # type: ignore[no-untyped-def]
    if sort == "relevance":
        return lambda hit: (-hit.score, hit.meta.id)
    sign = -1 if sort == "-date" else 1
    return lambda hit: (sign * _date_key(hit.meta), hit.meta.id)
