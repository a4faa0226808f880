"""Search: a request in, ranked documents or paragraphs with facets and highlights out."""

from __future__ import annotations

import dataclasses
import gc
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from threading import Lock
from typing import Literal

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ..archive import Archive
from ..dates import parse_date
from ..document_file import split_front_matter
from ..errors import ArchiveError, IndexMissing, UsageError
from ..expansion import Expander
from ..models import Paragraph, body_sha256, iter_paragraphs
from ..notes import Note
from .analysis import field_language
from .entries import DocMeta
from .facets import FacetValue, count_facets, facet_values
from .highlight import Span, highlight_spans
from .proximity import proximity_scores
from .query_builder import FILTER_FIELD_NAMES, BuiltQuery, QueryBuilder
from .query_syntax import parse_query
from .schema import CONFIRMED_SUFFIX
from .scoring import Evaluator, text_leaves
from .searcher import IndexHandle
from .snapshot import BoolArray, FloatArray, IntArray, Snapshot

Unit = Literal["document", "paragraph"]
Sort = Literal["relevance", "date", "-date"]
UNITS: tuple[Unit, ...] = ("document", "paragraph")
SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")
MAX_LIMIT = 100
MAX_PAGE = 10_000
PARAGRAPHS_PER_DOCUMENT = 3
DOCUMENT_CACHE_SIZE = 4096  # documents whose paragraphs are kept (plain text only)
RERANK_CANDIDATES = 100  # the same dev scores as 300, at a third of the cost
PROXIMITY_WEIGHT = 0.3


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
    doc: str | None = None  # only this document's paragraphs
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
    notes: list[Note]
    took_ms: float
    started: float = 0.0  # when the search that computed this result began

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.limit))


class SearchService:
    """Searches one archive's index; one per process, shared by threads."""

    def __init__(self, archive: Archive, index_dir: Path) -> None:
        self.archive = archive
        self.handle = IndexHandle(index_dir)
        self.expander = Expander(archive.vocabulary)
        self._documents: OrderedDict[tuple[str, int], list[Paragraph]] = OrderedDict()
        self._documents_lock = Lock()

    def warm(self) -> None:
        """Load what every search needs (the index snapshot, the place names) before the
        first visitor asks, and keep it out of the garbage collector's passes."""
        try:
            self.search(SearchRequest(q="Chiapas"), cache=False)
        except IndexMissing:
            return  # nothing to load yet: the pages say how to build the index
        gc.collect()
        gc.freeze()

    def close(self) -> None:
        """Close the index files this service holds open."""
        self.handle.close()

    def index_changed(self) -> None:
        """Look at the index folder again at the next search (after writing to it)."""
        self.handle.forget_version()

    def search(self, request: SearchRequest, cache: bool = True) -> SearchResult:
        """Search; the same request on the same index generation is answered from a cache
        (researchers page, sort and filter the same query again and again). `cache=False`
        always computes (for measuring)."""
        request.check()
        started = time.perf_counter()
        with self.handle.searcher() as (searcher, snapshot):
            compute = partial(self._search, request, searcher, snapshot, started)
            result: SearchResult = snapshot.results.fetch(request, compute) if cache else compute()
        if result.started != started:  # from the cache
            result = dataclasses.replace(result, took_ms=(time.perf_counter() - started) * 1000)
        return result

    def _search(
        self, request: SearchRequest, searcher: Searcher, snapshot: Snapshot, started: float
    ) -> SearchResult:
        reader = searcher.reader()
        built = QueryBuilder(reader, self.expander).build(parse_query(request.q))
        mask = (snapshot.live if request.include_restricted else snapshot.public).copy()
        for query in [*self._filters(request), *built.filters]:
            mask &= snapshot.mask(query, searcher)
        evaluator = Evaluator(snapshot, searcher)
        if built.plan is None:
            scores = mask.astype(np.float32) * np.float32(1e-6)
        else:
            scores = evaluator.scores(built.plan)
            scores[~mask] = 0
            if text_leaves(built.plan):
                scores[~evaluator.text_match(built.plan)] = 0
            self._rerank(scores, built, evaluator, reader)
        matched = scores > 0
        hits, total, matched_docs = self._arrange(request, scores, matched, snapshot)
        counts = count_facets(
            snapshot,
            reader,
            matched,
            matched_docs,
            request.unit == "paragraph",
            request.confirmed_only,
        )
        facets = facet_values(counts, self.archive.vocabulary, request.label_language)
        notes = built.notes
        if (
            request.date_from
            and request.date_to
            and (parse_date(request.date_from).first_day > parse_date(request.date_to).last_day)
        ):
            notes.append(Note("The 'from' date is after the 'to' date, so nothing can match."))
        self._attach_text(hits, built.highlight, built.weak_highlight, notes)
        return SearchResult(
            request=request,
            total=total,
            hits=hits,
            facets=facets,
            notes=notes,
            took_ms=(time.perf_counter() - started) * 1000,
            started=started,
        )

    def highlight_terms(self, q: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """The index terms a query looks for (strong, weak), to highlight them in any text."""
        with self.handle.searcher() as (searcher, _snapshot):
            built = QueryBuilder(searcher.reader(), self.expander).build(parse_query(q))
            return built.highlight, built.weak_highlight

    def _rerank(
        self, scores: FloatArray, built: BuiltQuery, evaluator: Evaluator, reader: IndexReader
    ) -> None:
        """Add the proximity bonus to the best candidates (in place)."""
        if not built.pairs:
            return
        matched = np.flatnonzero(scores > 0)
        if not matched.size:
            return
        if matched.size > RERANK_CANDIDATES:
            best = np.argpartition(scores[matched], -RERANK_CANDIDATES)[-RERANK_CANDIDATES:]
            candidates = matched[best]
        else:
            candidates = matched
        term_scores: dict[tuple[str, str], FloatArray] = {}
        for pair in built.pairs:
            for term in (pair.first, pair.second):
                if (pair.field, term) not in term_scores:
                    dense = np.zeros(scores.size, np.float32)
                    ids, values = evaluator.term_scores(pair.field, term)
                    dense[ids] = values
                    term_scores[(pair.field, term)] = dense
        bonus = proximity_scores(reader, built.pairs, candidates.astype(np.int32), term_scores)
        scores[candidates] += PROXIMITY_WEIGHT * bonus

    # -- filters -----------------------------------------------------------------------

    def _filters(self, request: SearchRequest) -> list[wq.Query]:
        filters: list[wq.Query] = []
        suffix = CONFIRMED_SUFFIX if request.confirmed_only else ""
        for name in ("location", "abuse_type", "perpetrator"):
            value = getattr(request, name)
            if value:
                filters.append(wq.Term(FILTER_FIELD_NAMES[name] + suffix, _tag_value(name, value)))
        if request.doc:
            filters.append(wq.Term("doc", request.doc))
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
        return filters

    # -- ranking, grouping, paging -----------------------------------------------------

    def _arrange(
        self, request: SearchRequest, scores: FloatArray, matched: BoolArray, snapshot: Snapshot
    ) -> tuple[list[DocumentHit] | list[ParagraphHit], int, BoolArray]:
        entries = np.flatnonzero(matched)
        ordinals = snapshot.doc_of_entry[entries]
        matched_docs = np.zeros(len(snapshot.docs), np.bool_)
        matched_docs[ordinals] = True
        first = (request.page - 1) * request.limit
        last = first + request.limit
        dates = snapshot.dates

        def paragraph(entry: int, score: float) -> ParagraphHit:
            meta = snapshot.docs[snapshot.doc_of_entry[entry]]
            return ParagraphHit(meta.id, int(snapshot.para_of_entry[entry]), score, meta=meta)

        if request.unit == "paragraph":
            ranks = snapshot.entry_rank[entries]
            order = _order(scores[entries], dates[ordinals], ranks, request.sort)
            page = [
                paragraph(int(entry), float(scores[entry])) for entry in entries[order][first:last]
            ]
            return page, int(entries.size), matched_docs

        best = np.zeros(len(snapshot.docs), np.float32)
        np.maximum.at(best, ordinals, scores[entries])
        documents = np.flatnonzero(matched_docs)
        doc_order = _order(
            best[documents], dates[documents], snapshot.doc_rank[documents], request.sort
        )
        page_docs = documents[doc_order][first:last]
        hits: list[DocumentHit] = []
        for ordinal in page_docs.tolist():
            own = entries[ordinals == ordinal]
            ranked = own[np.lexsort((snapshot.para_of_entry[own], -scores[own]))]
            paragraphs = [
                paragraph(int(entry), float(scores[entry]))
                for entry in ranked[:PARAGRAPHS_PER_DOCUMENT]
            ]
            hits.append(
                DocumentHit(snapshot.docs[ordinal], _document_score(paragraphs), paragraphs)
            )
        if request.sort == "relevance":
            hits.sort(key=lambda hit: -hit.score)
        return hits, int(documents.size), matched_docs

    # -- text and highlights -----------------------------------------------------------

    def _attach_text(
        self,
        hits: list[DocumentHit] | list[ParagraphHit],
        terms: set[tuple[str, str]],
        weak_terms: set[tuple[str, str]],
        notes: list[Note],
    ) -> None:
        paragraph_hits: list[ParagraphHit] = []
        for hit in hits:
            paragraph_hits.extend(hit.paragraphs if isinstance(hit, DocumentHit) else [hit])
        for paragraph_hit in paragraph_hits:
            meta = paragraph_hit.meta
            assert meta is not None
            try:
                paragraphs = self.paragraphs(meta)
            except ArchiveError as error:
                notes.append(
                    Note("%(doc)s could not be read: %(error)s", doc=meta.id, error=str(error))
                )
                continue
            if not 1 <= paragraph_hit.para <= len(paragraphs):
                continue
            paragraph = paragraphs[paragraph_hit.para - 1]
            paragraph_hit.text = paragraph.text
            paragraph_hit.highlights = spans_for(paragraph.text, meta.language, terms, weak_terms)

    def paragraphs(self, meta: DocMeta) -> list[Paragraph]:
        """The archived paragraphs behind an index entry, cached while the file is
        unchanged. Only the body is read (no YAML), and checked against the sha256 that
        was indexed: a quoted paragraph is always the archived text."""
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
        _front, body, _line = split_front_matter(path.read_text(encoding="utf-8"), path)
        if body_sha256(body) != meta.sha256:
            raise ArchiveError(
                "the text does not match the sha256 recorded at import; run 'testimony validate'",
                path=path,
            )
        paragraphs = list(iter_paragraphs(body))
        with self._documents_lock:
            self._documents[key] = paragraphs
            while len(self._documents) > DOCUMENT_CACHE_SIZE:
                self._documents.popitem(last=False)
        return paragraphs


def spans_for(
    text: str, language: str, terms: set[tuple[str, str]], weak_terms: set[tuple[str, str]]
) -> list[Span]:
    """The words to highlight: what the query asked for, or failing that the weaker
    synonyms that brought the paragraph in (so that every hit shows why it matched)."""
    field_lang = field_language(language)
    return highlight_spans(text, field_lang, terms) or highlight_spans(text, field_lang, weak_terms)


def _tag_value(name: str, value: str) -> str:
    if name == "location" and not value.startswith("geonames:"):
        return value.upper() if "/" not in value else value
    return value


def _document_score(hits: list[ParagraphHit]) -> float:
    """The best paragraph decides; other matching paragraphs add a little."""
    best = hits[0].score
    return best + 0.1 * sum(hit.score for hit in hits[1:PARAGRAPHS_PER_DOCUMENT])


def _order(
    scores: FloatArray, dates: npt.NDArray[np.int64], ranks: npt.NDArray[np.int64], sort: Sort
) -> IntArray:
    """Indices that sort results: by score or by date, ties by document id (and
    paragraph number)."""
    if sort == "relevance":
        return np.lexsort((ranks, -scores)).astype(np.int32)
    sign = -1 if sort == "-date" else 1
    return np.lexsort((ranks, sign * dates)).astype(np.int32)
