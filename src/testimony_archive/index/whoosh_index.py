"""The Whoosh backend: a request in, ranked documents or paragraphs with facets and
highlights out, over an index folder on local disk."""

from __future__ import annotations

import dataclasses
import gc
import logging
import threading
import time
from functools import partial
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ..access import Scope
from ..archive import Archive
from ..dates import parse_date
from ..errors import ArchiveError, IndexMissing
from ..i18n import N_
from ..models import ACCESS_LEVELS, Paragraph
from ..notes import Note
from ..redaction import apply
from .analysis import FIELD_LANGUAGES, field_language
from .arrange import arrange
from .backend import Progress
from .bodies import Bodies, ChangedSinceIndexed
from .entries import DocMeta
from .expansion import Expander
from .facets import count_facets, facet_values
from .filters import request_filters
from .highlight import Highlighter, Span
from .proximity import proximity_scores
from .query_builder import BuiltQuery, QueryBuilder
from .query_syntax import parse_query
from .request import SearchRequest
from .results import Counts, DocumentHit, HighlightTerms, ParagraphHit, SearchResult
from .schema import text_field
from .scoring import Evaluator, text_leaves
from .searcher import IndexHandle
from .snapshot import FloatArray, IntArray, Snapshot
from .sparse import Scores
from .writer import IndexReport, index_exists, rebuild_index, reindex_document, update_index

log = logging.getLogger("testimony_archive.index")
CHANGED_NOTE = N_(
    "Some results changed in the archive since they were indexed and are left out until "
    "the index is brought up to date."
)
RERANK_CANDIDATES = 100  # the same dev scores as 300, at a third of the cost
PROXIMITY_WEIGHT = 0.3
EVERYTHING = SearchRequest(limit=1)
EVERY_PART = Scope(frozenset(ACCESS_LEVELS), unredacted=True)
TEXT_FIELDS = ("title", *(text_field(language) for language in FIELD_LANGUAGES))


class WhooshIndex:
    """Searches one archive's Whoosh index; one per process, shared by threads. Implements
    `SearchBackend`."""

    def __init__(self, archive: Archive, index_dir: Path) -> None:
        self.archive = archive
        self.index_dir = index_dir
        self.handle = IndexHandle(index_dir)
        self.expander = Expander(archive.vocabulary)
        self.bodies = Bodies(archive.root)
        self._updating: threading.Thread | None = None
        self._updating_lock = threading.Lock()

    # -- the index's life --------------------------------------------------------------

    def exists(self) -> bool:
        return index_exists(self.index_dir)

    def update(self, progress: Progress | None = None) -> IndexReport:
        report = update_index(self.archive, self.index_dir, progress)
        self.handle.forget_version()
        return report

    def rebuild(self, progress: Progress | None = None) -> IndexReport:
        report = rebuild_index(self.archive, self.index_dir, progress)
        self.handle.forget_version()
        return report

    def document_changed(self, doc_id: str) -> None:
        if self.exists():
            reindex_document(self.archive, self.index_dir, doc_id)
        self.handle.forget_version()  # this process wrote it: no need to wait for a check

    def _update_soon(self) -> None:
        """Bring the index up to date in the background (files were changed by hand)."""
        with self._updating_lock:
            if self._updating is not None and self._updating.is_alive():
                return
            self._updating = threading.Thread(
                target=self._update_quietly, name="index-update", daemon=True
            )
            self._updating.start()

    def _update_quietly(self) -> None:
        try:
            self.update()
        except Exception:  # noqa: BLE001 - another process may hold the writer: it will do
            log.warning("the index could not be brought up to date", exc_info=True)

    def warm(self) -> None:
        """Load what every search needs (the index snapshot, the place names) before the
        first visitor asks, and keep it out of the garbage collector's passes."""
        try:
            # (a query naming a place, one naming a city: the place tables are loaded)
            for q in ("Chiapas", "Tapachula"):
                self.search(SearchRequest(q=q), EVERY_PART, cache=False)
            with self.handle.searcher() as (searcher, snapshot):
                for name in TEXT_FIELDS:  # (read per entry: a second or so each, at scale)
                    snapshot.lengths(searcher.reader(), name, EVERY_PART)
        except IndexMissing:
            return  # nothing to load yet: the pages say how to build the index
        gc.collect()
        gc.freeze()

    def close(self) -> None:
        """Close the index files this backend holds open."""
        self.handle.close()

    # -- searching ---------------------------------------------------------------------

    def search(
        self, request: SearchRequest, scope: Scope, cache: bool = True
    ) -> SearchResult:
        """Search; the same request on the same index generation, for the same scope,
        is answered from a cache (researchers page, sort and filter the same
        query again and again)."""
        request.check()
        started = time.perf_counter()
        with self.handle.searcher() as (searcher, snapshot):
            compute = partial(self._search, request, scope, searcher, snapshot, started)
            result: SearchResult = (
                snapshot.results.fetch((request, scope), compute) if cache else compute()
            )
        if result.started != started:  # from the cache
            result = dataclasses.replace(result, took_ms=(time.perf_counter() - started) * 1000)
        return result

    def _search(
        self,
        request: SearchRequest,
        scope: Scope,
        searcher: Searcher,
        snapshot: Snapshot,
        started: float,
    ) -> SearchResult:
        reader = searcher.reader()
        built = QueryBuilder(
            reader, self.expander, partial(_visible_frequency, snapshot, reader, scope)
        ).build(parse_query(request.q))
        mask = snapshot.readable(scope).copy()
        for query in [*request_filters(request), *built.filters]:
            mask &= snapshot.mask(query, searcher)
        evaluator = Evaluator(snapshot, searcher, scope)
        if built.plan is None:
            scores = mask.astype(np.float32) * np.float32(1e-6)
        else:
            scores = evaluator.scores(built.plan)
            scores[~mask] = 0
            if text_leaves(built.plan):
                scores[~evaluator.text_match(built.plan)] = 0
            self._rerank(scores, built, evaluator, reader)
        matched = scores > 0
        hits, total, matched_docs = arrange(request, scores, matched, snapshot)
        counts = count_facets(
            snapshot,
            reader,
            matched,
            matched_docs,
            request.unit == "paragraph",
            request.confirmed_only,
        )
        notes = built.notes
        if (
            request.date_from
            and request.date_to
            and (parse_date(request.date_from).first_day > parse_date(request.date_to).last_day)
        ):
            notes.append(Note("The 'from' date is after the 'to' date, so nothing can match."))
        terms = HighlightTerms(frozenset(built.highlight), frozenset(built.weak_highlight))
        self._attach_text(hits, terms, notes, scope)
        return SearchResult(
            request=request,
            total=total,
            hits=hits,
            facets=facet_values(counts, self.archive.vocabulary),
            notes=notes,
            took_ms=(time.perf_counter() - started) * 1000,
            started=started,
        )

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
            matched = matched[best]
        candidates: IntArray = matched.astype(np.int32)
        term_scores: dict[tuple[str, str], FloatArray] = {}
        order = np.argsort(candidates)
        for pair in built.pairs:
            for term in (pair.first, pair.second):
                if (pair.field, term) not in term_scores:
                    ids, values = evaluator.term_scores(pair.field, term)
                    in_order = np.empty(candidates.size, np.float32)
                    in_order[order] = Scores.of(scores.size, ids, values).at(candidates[order])
                    term_scores[(pair.field, term)] = in_order
        bonus = proximity_scores(
            partial(evaluator.snapshot.positions, reader),
            built.pairs,
            candidates,
            term_scores,
        )
        scores[candidates] += PROXIMITY_WEIGHT * bonus

    # -- what the pages need besides results -------------------------------------------

    def counts(self, scope: Scope) -> Counts:
        result = self.search(EVERYTHING, scope)
        with self.handle.searcher() as (_searcher, snapshot):
            documents = [meta for meta in snapshot.docs if meta.access in scope.levels]
        return Counts(
            documents=len(documents),
            paragraphs=sum(meta.paragraph_count for meta in documents),
            facets=result.facets,
        )

    def pending(self, scope: Scope) -> list[DocMeta]:
        with self.handle.searcher() as (_searcher, snapshot):
            waiting = [
                meta for meta in snapshot.docs if meta.pending and meta.access in scope.levels
            ]
        return sorted(waiting, key=lambda meta: (-meta.pending, meta.id))

    def indexed(self, doc_id: str) -> DocMeta | None:
        with self.handle.searcher() as (_searcher, snapshot):
            ordinal = snapshot.ordinal_by_id.get(doc_id)
            return snapshot.docs[ordinal] if ordinal is not None else None

    def highlight_terms(self, q: str, scope: Scope) -> HighlightTerms:
        with self.handle.searcher() as (searcher, snapshot):
            reader = searcher.reader()
            frequency = partial(_visible_frequency, snapshot, reader, scope)
            built = QueryBuilder(reader, self.expander, frequency).build(parse_query(q))
        return HighlightTerms(frozenset(built.highlight), frozenset(built.weak_highlight))

    def spans(
        self,
        text: str,
        language: str,
        terms: HighlightTerms,
        highlighters: dict[tuple[str, bool], Highlighter] | None = None,
    ) -> list[Span]:
        """The words to highlight: what the query asked for, or failing that the weaker
        synonyms that brought the paragraph in (so that every hit shows why it matched).
        The paragraphs of one search share their `highlighters`."""
        field_lang = field_language(language)
        highlighters = {} if highlighters is None else highlighters
        for weak, wanted in ((False, terms.strong), (True, terms.weak)):
            highlighter = highlighters.get((field_lang, weak))
            if highlighter is None:
                highlighter = highlighters[(field_lang, weak)] = Highlighter(field_lang, wanted)
            found = highlighter.spans(text)
            if found:
                return found
        return []

    def _attach_text(
        self,
        hits: list[DocumentHit] | list[ParagraphHit],
        terms: HighlightTerms,
        notes: list[Note],
        scope: Scope,
    ) -> None:
        paragraph_hits: list[ParagraphHit] = []
        for hit in hits:
            paragraph_hits.extend(hit.paragraphs if isinstance(hit, DocumentHit) else [hit])
        changed: set[str] = set()
        highlighters: dict[tuple[str, bool], Highlighter] = {}
        read: dict[str, list[Paragraph] | None] = {}  # each document once
        for paragraph_hit in paragraph_hits:
            meta = paragraph_hit.meta
            assert meta is not None
            if meta.id not in read:
                read[meta.id] = None
                try:
                    read[meta.id] = self.bodies.paragraphs(meta)
                except ChangedSinceIndexed:
                    changed.add(meta.id)
                except ArchiveError as error:
                    notes.append(  # (the reason only: the server's folders are not the reader's)
                        Note(
                            "%(doc)s could not be read: %(error)s", doc=meta.id, error=error.reason
                        )
                    )
            paragraphs = read[meta.id]
            if paragraphs is None:
                continue
            if not 1 <= paragraph_hit.para <= len(paragraphs):
                continue
            text = paragraphs[paragraph_hit.para - 1].text
            if meta.redactions and not scope.unredacted:
                text, _markers = apply(text, meta.redacted_ranges(paragraph_hit.para))
            paragraph_hit.text = text
            paragraph_hit.highlights = self.spans(text, meta.language, terms, highlighters)
        if changed:
            # Nothing of a file changed by hand is shown (it may now be restricted, or
            # redact what the index still holds) until the index has read it again.
            for position in reversed(range(len(hits))):
                hit = hits[position]
                if (hit.meta.id if isinstance(hit, DocumentHit) else hit.doc) in changed:
                    del hits[position]
            notes.append(Note(CHANGED_NOTE))
            self._update_soon()


def _visible_frequency(
    snapshot: Snapshot, reader: IndexReader, scope: Scope, field_name: str, term: str
) -> int:
    """How many entries the scope may search hold a term (what a prefix or fuzzy word
    expands to is chosen by this, so that it tells nothing of the others)."""
    if snapshot.population(scope) == snapshot.size:  # nothing hidden: the index knows
        return int(reader.doc_frequency(field_name, term))
    return int(snapshot.visible_postings(reader, field_name, term, scope)[0].size)
