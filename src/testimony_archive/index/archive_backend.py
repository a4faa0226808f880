"""What every search backend shares: the archive behind the index, the text of hits read
from its files and highlighted, and results put together with their notes."""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod

from ..access import Scope
from ..archive import Archive
from ..dates import parse_date
from ..errors import ArchiveError
from ..i18n import N_
from ..models import ACCESS_LEVELS, Paragraph
from ..notes import Note
from ..redaction import apply
from .analysis import field_language
from .backend import Progress
from .bodies import Bodies, ChangedSinceIndexed
from .entries import DocMeta
from .expansion import Expander
from .facets import facet_values
from .highlight import Highlighter, Span
from .query_builder import BuiltQuery
from .ranking import Ranked
from .request import SearchRequest
from .results import Counts, DocumentHit, HighlightTerms, ParagraphHit, SearchResult
from .snapshot import Snapshot
from .writer import IndexReport

log = logging.getLogger("testimony_archive.index")
EVERYTHING = SearchRequest(limit=1)
EVERY_PART = Scope(frozenset(ACCESS_LEVELS), unredacted=True)  # (warming: everything loaded)
CHANGED_NOTE = N_(
    "Some results changed in the archive since they were indexed and are left out until "
    "the index is brought up to date."
)


class ArchiveBackend(ABC):
    """The part of a backend that reads the archive; subclasses search an index of it."""

    in_process = True  # (`SearchBackend.in_process`)

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.expander = Expander(archive.vocabulary)
        self.bodies = Bodies(archive.root)
        self._updating: threading.Thread | None = None
        self._updating_lock = threading.Lock()

    @abstractmethod
    def update(self, progress: Progress | None = None) -> IndexReport:
        """Bring the index up to date with the archive, reading only what changed."""

    # -- what the pages need besides results -------------------------------------------

    @abstractmethod
    def search(self, request: SearchRequest, scope: Scope, cache: bool = True) -> SearchResult:
        """(`SearchBackend.search`)"""

    @abstractmethod
    def _documents(self) -> Snapshot:
        """The current index's documents and entries."""

    def counts(self, scope: Scope) -> Counts:
        result = self.search(EVERYTHING, scope)
        documents = [meta for meta in self._documents().docs if meta.access in scope.levels]
        return Counts(
            documents=len(documents),
            paragraphs=sum(meta.paragraph_count for meta in documents),
            facets=result.facets,
        )

    def pending(self, scope: Scope) -> list[DocMeta]:
        waiting = [meta for meta in self._documents().docs
                   if meta.pending and meta.access in scope.levels]  # fmt: skip
        return sorted(waiting, key=DocMeta.review_rank)

    def indexed(self, doc_id: str) -> DocMeta | None:
        snapshot = self._documents()
        ordinal = snapshot.ordinal_by_id.get(doc_id)
        return snapshot.docs[ordinal] if ordinal is not None else None

    # -- the text of hits ----------------------------------------------------------------

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

    def _result(
        self,
        request: SearchRequest,
        scope: Scope,
        built: BuiltQuery,
        ranked: Ranked,
        started: float,
    ) -> SearchResult:
        """The ranked page with its text, highlights, facets and notes."""
        notes = built.notes
        if (
            request.date_from
            and request.date_to
            and (parse_date(request.date_from).first_day > parse_date(request.date_to).last_day)
        ):
            notes.append(Note("The 'from' date is after the 'to' date, so nothing can match."))
        terms = HighlightTerms(frozenset(built.highlight), frozenset(built.weak_highlight))
        self._attach_text(ranked.hits, terms, notes, scope)
        return SearchResult(
            request=request,
            total=ranked.total,
            hits=ranked.hits,
            facets=facet_values(ranked.counts, self.archive.vocabulary),
            notes=notes,
            took_ms=(time.perf_counter() - started) * 1000,
            started=started,
        )

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
