"""The archive as its adapters see it: searches, documents, counts and tag changes, each
asked for by a viewer.

The CLI and the web app hold one `SearchService` and nothing else of the domain's: every
method that returns a document, a result or a count takes the viewer, asks the access
policy (`access`) and returns only what that viewer may see, redacted as it must be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from . import access
from .access import Viewer
from .archive import Archive
from .config import Settings
from .errors import NotFound
from .history import History, TagChange
from .index import (
    Counts,
    DocMeta,
    IndexReport,
    ParagraphHit,
    SearchBackend,
    SearchRequest,
    SearchResult,
    Span,
    WhooshIndex,
)
from .models import Document
from .suggestions import paragraph_suggestions
from .tag_editing import Action, TagEditor
from .vocabulary import Vocabulary

if TYPE_CHECKING:  # the tagging package loads its lexicons only when it is used
    from .tagging import Suggestion, Tagger

MAX_MARKED_PARAGRAPHS = 100  # a query's matches marked on a document page


@dataclass(frozen=True)
class DocumentReading:
    """A document as one viewer reads it, with a query's matches marked."""

    document: Document  # redacted for the viewer
    hits: list[int]  # the paragraphs that match the query, in order
    spans: dict[int, list[Span]]  # paragraph number → the words to highlight
    history: list[TagChange]
    # For viewers who may review suggestions: paragraph → tag → the words behind it.
    evidence: dict[int, dict[str, str]]
    may_edit_tags: bool


class SearchService:
    """One per process, shared by threads."""

    def __init__(self, archive: Archive, backend: SearchBackend, history: History) -> None:
        self._archive = archive
        self._backend = backend
        self._history = history

    @classmethod
    def open(cls, settings: Settings, archive: Archive | None = None) -> SearchService:
        """The archive, index and instance database that the settings name."""
        archive = archive or Archive(settings.archive_dir, cache_dir=settings.cache_dir)
        backend = WhooshIndex(archive, settings.index_dir)
        return cls(archive, backend, History(settings.instance_db))

    @property
    def vocabulary(self) -> Vocabulary:
        return self._archive.vocabulary

    @cached_property
    def tagger(self) -> Tagger:
        """The suggestion engine (built on first use: about a second)."""
        from .tagging import Tagger

        return Tagger(self._archive.vocabulary)

    # -- reading -----------------------------------------------------------------------

    def search(self, request: SearchRequest, viewer: Viewer, cache: bool = True) -> SearchResult:
        return self._backend.search(request, access.readable(viewer), cache)

    def document(self, doc_id: str, viewer: Viewer) -> Document:
        """A document this viewer may read, redacted for it; NotFound otherwise, in the
        same words as for a document that does not exist."""
        document = self._archive.get(doc_id)
        if not access.may_read(viewer, document.access):
            raise NotFound(f"no document with id {doc_id!r}")
        return access.redact(document, viewer)

    def documents(self, viewer: Viewer) -> Iterator[Document]:
        """Every document this viewer may read, in file order, redacted for it."""
        for document in self._archive:
            if access.may_read(viewer, document.access):
                yield access.redact(document, viewer)

    def reading(self, doc_id: str, viewer: Viewer, q: str = "") -> DocumentReading:
        """What the document page shows: the document, the paragraphs matching `q` with
        their words highlighted, the tag history and, for those who may edit tags, the
        words behind each pending suggestion."""
        document = self.document(doc_id, viewer)
        hits: list[int] = []
        spans: dict[int, list[Span]] = {}
        if q.strip():
            terms = self._backend.highlight_terms(q)
            found = self.search(
                SearchRequest(q=q, doc=document.id, unit="paragraph", limit=MAX_MARKED_PARAGRAPHS),
                viewer,
            )
            hits = sorted(hit.para for hit in found.hits if isinstance(hit, ParagraphHit))
            for paragraph in document.paragraphs:
                found_spans = self._backend.spans(paragraph.text, document.language, terms)
                if found_spans:
                    spans[paragraph.number] = found_spans
        editing = access.may_edit_tags(viewer)
        return DocumentReading(
            document=document,
            hits=hits,
            spans=spans,
            history=self._history.for_document(document.id),
            evidence=self._evidence(document) if editing else {},
            may_edit_tags=editing,
        )

    def counts(self, viewer: Viewer) -> Counts:
        """How many documents and paragraphs this viewer may read, and their facets."""
        return self._backend.counts(access.readable(viewer))

    def pending(self, viewer: Viewer) -> list[DocMeta]:
        """Readable documents whose suggested tags wait for review, most first."""
        return self._backend.pending(access.readable(viewer))

    def history(self, doc_id: str, viewer: Viewer) -> list[TagChange]:
        return self._history.for_document(self.document(doc_id, viewer).id)

    def suggestions(self, doc_id: str, viewer: Viewer) -> dict[int, Suggestion]:
        """What the machine suggests for each paragraph of a document, with evidence."""
        return paragraph_suggestions(self.tagger, self.document(doc_id, viewer))

    def lookup(self, viewer: Viewer) -> Callable[[str], Document]:
        """`document` for one viewer, for code that reads documents by id."""
        return lambda doc_id: self.document(doc_id, viewer)

    def _evidence(self, document: Document) -> dict[int, dict[str, str]]:
        """For each paragraph with pending suggestions: tag → the words that suggest it."""
        if not any(segment.suggested for segment in document.segments.values()):
            return {}
        found: dict[int, dict[str, str]] = {}
        for number, suggestion in paragraph_suggestions(self.tagger, document).items():
            words: dict[str, list[str]] = {}
            for item in suggestion.evidence:
                words.setdefault(item.value, []).append(f"“{item.text}”")
            found[number] = {
                value: ", ".join(dict.fromkeys(texts)) for value, texts in words.items()
            }
        return found

    # -- changing ----------------------------------------------------------------------

    def edit_tags(
        self,
        viewer: Viewer,
        doc_id: str,
        action: Action,
        values: list[str],
        para: int | None = None,
    ) -> Document:
        """Apply a tag action for a viewer who may edit tags; the change is recorded under
        the viewer's name and searchable at once. Returns the document as written."""
        editor = access.require_tag_editing(viewer)
        self.document(doc_id, viewer)  # NotFound for a document the viewer may not read
        updated = TagEditor(self._archive, self._history, editor).change(
            doc_id, action, values, para
        )
        self._backend.document_changed(doc_id)
        return updated

    # -- the index ---------------------------------------------------------------------

    def index_exists(self) -> bool:
        return self._backend.exists()

    def update_index(
        self, rebuild: bool = False, progress: Callable[[int], None] | None = None
    ) -> IndexReport:
        """Bring the index up to date (only changed files are read), or rebuild it."""
        if rebuild or not self._backend.exists():
            return self._backend.rebuild(progress)
        return self._backend.update(progress)

    def warm(self) -> None:
        self._backend.warm()

    def close(self) -> None:
        self._backend.close()
