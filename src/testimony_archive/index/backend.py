"""The search seam, as a protocol: what the service needs of a search backend.

The Whoosh index (`WhooshIndex`) is the embedded backend; a second one (PostgreSQL
full-text search) implements the same methods. A backend never decides who may read
what: it is handed the access levels the viewer may read (`readable`) and counts,
finds and lists nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..models import Access
from .entries import DocMeta
from .highlight import Span
from .request import SearchRequest
from .results import Counts, HighlightTerms, SearchResult
from .writer import IndexReport

Readable = frozenset[Access]
Progress = Callable[[int], None]


class SearchBackend(Protocol):
    def search(
        self, request: SearchRequest, readable: Readable, cache: bool = True
    ) -> SearchResult:
        """Ranked documents or paragraphs of the readable documents, with facet counts
        over the whole result set and highlights. `cache=False` always computes."""
        ...

    def counts(self, readable: Readable) -> Counts:
        """How many readable documents and paragraphs there are, and their facets."""
        ...

    def pending(self, readable: Readable) -> list[DocMeta]:
        """Readable documents with suggested tags waiting for review, most first."""
        ...

    def highlight_terms(self, q: str) -> HighlightTerms:
        """What a query looks for, to highlight it in a whole document."""
        ...

    def spans(self, text: str, language: str, terms: HighlightTerms) -> list[Span]:
        """The words of a text (in a document's language) to highlight."""
        ...

    def exists(self) -> bool:
        """Whether there is an index to search (else searches raise IndexMissing)."""
        ...

    def update(self, progress: Progress | None = None) -> IndexReport:
        """Bring the index up to date with the archive, reading only what changed."""
        ...

    def rebuild(self, progress: Progress | None = None) -> IndexReport:
        """Build the index anew from the archive; searches go on meanwhile."""
        ...

    def document_changed(self, doc_id: str) -> None:
        """Re-index one document now (after a tag edit): searchable at once."""
        ...

    def warm(self) -> None:
        """Load what every search needs before the first one."""
        ...

    def close(self) -> None:
        """Release the files and connections the backend holds."""
        ...
