"""The Whoosh backend: a request in, ranked documents or paragraphs with facets and
highlights out, over an index folder on local disk."""

from __future__ import annotations

import dataclasses
import gc
import time
from functools import partial
from pathlib import Path

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ..access import Scope
from ..archive import Archive
from ..errors import IndexMissing
from .analysis import FIELD_LANGUAGES
from .archive_backend import EVERY_PART, ArchiveBackend
from .backend import Progress
from .filters import request_filters
from .query_builder import QueryBuilder
from .query_syntax import parse_query
from .ranking import rank
from .request import SearchRequest
from .results import HighlightTerms, SearchResult
from .schema import text_field
from .searcher import IndexHandle
from .snapshot import Snapshot
from .writer import IndexReport, index_exists, rebuild_index, reindex_document, update_index

TEXT_FIELDS = ("title", *(text_field(language) for language in FIELD_LANGUAGES))


class WhooshIndex(ArchiveBackend):
    """Searches one archive's Whoosh index; one per process, shared by threads. Implements
    `SearchBackend`."""

    def __init__(self, archive: Archive, index_dir: Path) -> None:
        super().__init__(archive)
        self.index_dir = index_dir
        self.handle = IndexHandle(index_dir)

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
        ranked = rank(request, scope, built, snapshot, snapshot, searcher, mask)
        return self._result(request, scope, built, ranked, started)

    # -- what the pages need besides results -------------------------------------------

    def _documents(self) -> Snapshot:
        with self.handle.searcher() as (_searcher, snapshot):
            return snapshot

    def highlight_terms(self, q: str, scope: Scope) -> HighlightTerms:
        with self.handle.searcher() as (searcher, snapshot):
            reader = searcher.reader()
            frequency = partial(_visible_frequency, snapshot, reader, scope)
            built = QueryBuilder(reader, self.expander, frequency).build(parse_query(q))
        return HighlightTerms(frozenset(built.highlight), frozenset(built.weak_highlight))

def _visible_frequency(
    snapshot: Snapshot, reader: IndexReader, scope: Scope, field_name: str, term: str
) -> int:
    """How many entries the scope may search hold a term (what a prefix or fuzzy word
    expands to is chosen by this, so that it tells nothing of the others)."""
    if snapshot.population(scope) == snapshot.size:  # nothing hidden: the index knows
        return int(reader.doc_frequency(field_name, term))
    return int(snapshot.visible_postings(reader, field_name, term, scope)[0].size)
