"""The PostgreSQL backend: the same searches as the Whoosh index, over tables in the
instance database that every server shares (and its read replicas).

A search reads, in one transaction on a replica that keeps up (or on the primary):
whether the index changed since this server last looked (then the documents written
since, into its catalog), what prefix and fuzzy words expand to, and the postings of the
query's terms. Everything after that (BM25 with the same statistics, phrases, proximity,
filters, grouping, facets, highlights) is the code the Whoosh backend runs, on the same
numbers: both backends answer alike.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from ..access import Scope
from ..archive import Archive
from ..errors import IndexMissing, IndexOutdated
from ..instance.database import DatabaseUnavailable, InstanceDatabase
from .archive_backend import EVERY_PART, ArchiveBackend
from .backend import Progress
from .filters import request_filters
from .pg_catalog import Catalog, Record
from .pg_lexicon import PgLexicon
from .pg_postings import FetchedPostings, plan_terms
from .pg_tsquery import narrowing
from .pg_writer import (
    PG_INDEX_FORMAT,
    IndexBusy,
    index_state,
    rebuild,
    reindex_document,
    update,
)
from .query_builder import BuiltQuery, QueryBuilder
from .query_syntax import parse_query
from .ranking import rank
from .request import SearchRequest
from .results import HighlightTerms, SearchResult
from .writer import IndexReport

log = logging.getLogger("testimony_archive.index")
T = TypeVar("T")
WHERE = "the PostgreSQL database (TESTIMONY_DATABASE_URL)"
_CHANGED = text("SELECT id, meta, details FROM search_documents WHERE generation > :since")
_ALL = text("SELECT id, meta, details FROM search_documents")
_IDS = text("SELECT id FROM search_documents")


class NoWhooshReader:
    """What scoring is handed in place of a Whoosh searcher: PostgreSQL's postings need
    no reader."""

    def reader(self) -> None:
        return None


class ReplicaBehind(Exception):
    """The replica read has not replayed the index generation this server holds: what
    it says is read again from the primary."""


class PostgresIndex(ArchiveBackend):
    """Searches the archive's index in PostgreSQL; one per process, shared by threads.
    Implements `SearchBackend`."""

    in_process = False  # a search mostly waits for the database: threads overlap the waits

    def __init__(self, archive: Archive, database: InstanceDatabase) -> None:
        super().__init__(archive)
        self.database = database
        self._catalog: Catalog | None = None
        self._records: dict[str, Record] = {}
        self._lock = threading.Lock()

    # -- the index's life --------------------------------------------------------------

    def exists(self) -> bool:
        return self._read(lambda connection, _primary: index_state(connection)) is not None

    def update(self, progress: Progress | None = None) -> IndexReport:
        return update(self.database, self.archive, progress)

    def rebuild(self, progress: Progress | None = None) -> IndexReport:
        return rebuild(self.database, self.archive, progress)

    def document_changed(self, doc_id: str) -> None:
        """Re-index the document now; if a rebuild holds the index (more than a few
        seconds), leave it: the file is saved, and searches find it changed and bring
        the index up to date once the rebuild is done."""
        if not self.exists():
            return
        try:
            reindex_document(self.database, self.archive, doc_id, wait=True)
        except IndexBusy:
            log.warning("the index is being rebuilt: %s is indexed afterwards", doc_id)

    def warm(self) -> None:
        try:
            for q in ("Chiapas", "Tapachula"):
                self.search(SearchRequest(q=q), EVERY_PART, cache=False)
        except IndexMissing:
            return

    def close(self) -> None:
        """Nothing to release: the connections are the instance database's."""

    # -- searching ---------------------------------------------------------------------

    def search(self, request: SearchRequest, scope: Scope, cache: bool = True) -> SearchResult:
        """Search; the same request on the same index generation, for the same scope,
        is answered from this server's cache."""
        request.check()
        started = time.perf_counter()
        result: SearchResult = self._read(partial(self._search_on, request, scope, cache, started))
        if result.started != started:  # from the cache
            result = dataclasses.replace(result, took_ms=(time.perf_counter() - started) * 1000)
        return result

    def _read(self, work: Callable[[Connection, bool], T]) -> T:
        """`work` in one snapshot of the database (REPEATABLE READ, so that the index's
        state, its documents and its postings agree), on a replica that has this
        server's generation, else on the primary (`work` is told which)."""

        def snapshot(primary: bool, connection: Connection) -> T:
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return work(connection, primary)

        try:
            try:
                return self.database.read(partial(snapshot, False))
            except ReplicaBehind:
                return self.database.read(partial(snapshot, True), primary=True)
        except OperationalError:
            raise DatabaseUnavailable(
                f"{WHERE} does not answer; check that it runs (searches need it)"
            ) from None

    def _search_on(
        self, request: SearchRequest, scope: Scope, cache: bool, started: float,
        connection: Connection, primary: bool,
    ) -> SearchResult:  # fmt: skip
        catalog = self._current(connection, primary)
        compute = partial(self._compute, request, scope, connection, catalog, started)
        if not cache:
            return compute()
        result: SearchResult = catalog.results.fetch((request, scope), compute)
        return result

    def _compute(
        self, request: SearchRequest, scope: Scope, connection: Connection, catalog: Catalog,
        started: float,
    ) -> SearchResult:  # fmt: skip
        lexicon = PgLexicon(connection, catalog, scope)
        built = QueryBuilder(lexicon, self.expander, lexicon.frequency).build(
            parse_query(request.q)
        )
        mask = catalog.readable(scope).copy()
        filters = [*request_filters(request), *built.filters]
        for query in filters:
            mask &= catalog.filter_mask(query)
        wanted = plan_terms(
            built.plan,
            ((pair.field, term) for pair in built.pairs for term in (pair.first, pair.second)),
        )
        postings = FetchedPostings.fetch(
            connection, catalog, scope, wanted, lexicon, mask, narrowing(built.plan), bool(filters)
        )
        ranked = rank(request, scope, built, catalog, postings, NoWhooshReader(), mask)
        return self._result(request, scope, built, ranked, started)

    # -- the catalog -------------------------------------------------------------------

    def _current(self, connection: Connection, primary: bool) -> Catalog:
        """This server's catalog, brought up to the index the database holds. A replica
        behind this catalog is not read (ReplicaBehind); what the primary holds is the
        index, even an older one (a restore, a failover that lost writes)."""
        state = index_state(connection)
        if state is None:
            raise IndexMissing(WHERE)
        form, build, generation = state
        if form != PG_INDEX_FORMAT:
            raise IndexOutdated(WHERE)
        catalog = self._catalog
        if catalog is not None and (catalog.build_id, catalog.generation) == (build, generation):
            return catalog
        if catalog is not None and generation < catalog.generation and not primary:
            raise ReplicaBehind
        with self._lock:
            catalog = self._catalog
            if catalog is not None and (catalog.build_id, catalog.generation) == (
                build,
                generation,
            ):
                return catalog
            if catalog is None or catalog.build_id != build or generation < catalog.generation:
                self._records = {
                    doc_id: Record.of(meta, details)
                    for doc_id, meta, details in connection.execute(_ALL)
                }
            else:
                since = {"since": catalog.generation}
                for doc_id, meta, details in connection.execute(_CHANGED, since):
                    self._records[doc_id] = Record.of(meta, details)
                present = set(connection.execute(_IDS).scalars())
                for doc_id in [doc_id for doc_id in self._records if doc_id not in present]:
                    del self._records[doc_id]
            self._catalog = Catalog.of(list(self._records.values()), generation, build)
            return self._catalog

    def _documents(self) -> Catalog:
        return self._read(self._current)

    # -- what the pages need besides results -------------------------------------------

    def highlight_terms(self, q: str, scope: Scope) -> HighlightTerms:
        built = self.built(q, scope)
        return HighlightTerms(frozenset(built.highlight), frozenset(built.weak_highlight))

    def built(self, q: str, scope: Scope) -> BuiltQuery:
        """The query as searches build it for the scope: its plan, its highlights."""

        def work(connection: Connection, primary: bool) -> BuiltQuery:
            lexicon = PgLexicon(connection, self._current(connection, primary), scope)
            return QueryBuilder(lexicon, self.expander, lexicon.frequency).build(parse_query(q))

        return self._read(work)
