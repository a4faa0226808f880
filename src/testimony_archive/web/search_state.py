"""Every search state is a URL: the parameters, and links that change one of them."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from ..index import SearchRequest
from ..index.search import Sort, Unit

FILTERS = ("location", "abuse_type", "perpetrator", "kind", "language", "year", "from", "to")


@dataclass(frozen=True)
class SearchState:
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
    confirmed: bool = False  # filter and count confirmed tags only

    def request(self, limit: int, label_language: str) -> SearchRequest:
        return SearchRequest(
            q=self.q,
            location=self.location,
            abuse_type=self.abuse_type,
            perpetrator=self.perpetrator,
            kind=self.kind,
            language=self.language,
            year=self.year,
            date_from=self.date_from,
            date_to=self.date_to,
            unit=self.unit,
            sort=self.sort,
            page=self.page,
            limit=limit,
            label_language=label_language,
            confirmed_only=self.confirmed,
        )

    def params(self) -> dict[str, Any]:
        names = {"date_from": "from", "date_to": "to"}
        defaults = SearchState()
        return {
            names.get(item.name, item.name): _param(getattr(self, item.name))
            for item in fields(self)
            if getattr(self, item.name) not in (None, "")
            and getattr(self, item.name) != getattr(defaults, item.name)
        }

    def url(self, path: str = "/search", **changes: Any) -> str:
        state = (
            replace(self, **{"page": 1, **changes})
            if "page" not in changes
            else replace(self, **changes)
        )
        params = state.params()
        return f"{path}?{urlencode(params)}" if params else path

    def filter_value(self, name: str) -> str | None:
        attribute = {"from": "date_from", "to": "date_to"}.get(name, name)
        value = getattr(self, attribute)
        return None if value is None else str(value)

    def toggle(self, name: str, value: str) -> str:
        """A link that sets this filter, or removes it if it is already set."""
        attribute = {"from": "date_from", "to": "date_to"}.get(name, name)
        current = self.filter_value(name)
        new: Any = None if current == value else (int(value) if name == "year" else value)
        return self.url(**{attribute: new})


def _param(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value
