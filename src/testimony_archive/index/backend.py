"""The search seam, as a protocol: what the service needs of a search backend.

The Whoosh index (`WhooshIndex`) is the embedded backend; a second one (PostgreSQL
full-text search) implements the same methods. A backend never decides who may read
what: it is handed the viewer's `access.Scope` (the access levels it may read, and
whether redacted passages are searchable) and counts, finds, shows and lists nothing
else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..access import Scope
from .entries import DocMeta
from .highlight import Span
from .request import SearchRequest
from .results import Counts, HighlightTerms, SearchResult
from .writer import IndexReport

Progress = Callable[[int], None]


class SearchBackend(Protocol):
    # Whether a search is computed in this process (the Whoosh index) rather than mostly
    # waited for from a database server (PostgreSQL).
    in_process: bool

    def search(
        self, request: SearchRequest, scope: Scope, cache: bool = True
    ) -> SearchResult:
        """Ranked documents or paragraphs of the documents in scope, with facet counts
        over the whole result set and highlights (redacted passages hidden unless the
        scope may see them). `cache=False` always computes."""
        ...

    def counts(self, scope: Scope) -> Counts:
        """How many documents and paragraphs in scope there are, and their facets."""
        ...

    def pending(self, scope: Scope) -> list[DocMeta]:
        """Documents in scope with suggested tags waiting for review, the most confident
        first (`DocMeta.review_rank`)."""
        ...

    def indexed(self, doc_id: str) -> DocMeta | None:
        """What the index knows of a document (its access level among it), without
        reading its file; None if it is not indexed."""
        ...

    def highlight_terms(self, q: str, scope: Scope) -> HighlightTerms:
        """What a query looks for, to highlight it in a whole document (its prefix and
        fuzzy words expanded to the words the scope may see)."""
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
