"""What a search asks for: words, filters, the unit and order of results, a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..dates import parse_date
from ..errors import UsageError
from ..fields import Facet

Unit = Literal["document", "paragraph"]
Sort = Literal["relevance", "date", "-date"]
UNITS: tuple[Unit, ...] = ("document", "paragraph")
SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")
MAX_LIMIT = 100
MAX_PAGE = 10_000


@dataclass(frozen=True)
class SearchRequest:
    """A search, as every backend takes it. Who asks is not part of it: the service
    passes the access levels the viewer may read beside it."""

    q: str = ""
    # One attribute per facet of `fields.FACETS`, named by its parameter.
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

    def filter(self, facet: Facet) -> str | int | None:
        """The value this request filters a facet by, if any."""
        value: str | int | None = getattr(self, facet.param)
        return value

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
