"""Every search state is a URL: the request's parameters, and links that change one."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from ..index import SearchRequest

# Request fields that are not URL parameters of the pages (the server sets them).
NOT_IN_URL = ("limit", "include_restricted", "label_language", "doc")
URL_NAMES = {"date_from": "from", "date_to": "to", "confirmed_only": "confirmed"}


@dataclass(frozen=True)
class SearchState(SearchRequest):
    """A search request as the pages see it: parsed from the URL, and turned back into
    URLs for links that change one parameter (a facet, a sort, a page)."""

    def request(self, limit: int, label_language: str) -> SearchRequest:
        return replace(self, limit=limit, label_language=label_language)

    def params(self) -> dict[str, Any]:
        defaults = SearchState()
        return {
            URL_NAMES.get(item.name, item.name): _param(getattr(self, item.name))
            for item in fields(self)
            if item.name not in NOT_IN_URL
            and getattr(self, item.name) not in (None, "")
            and getattr(self, item.name) != getattr(defaults, item.name)
        }

    def url(self, path: str = "/search", **changes: Any) -> str:
        """This search with some parameters changed (back to page 1 unless one is given)."""
        changes = {URL_ATTRIBUTES.get(name, name): value for name, value in changes.items()}
        state = replace(self, **{"page": 1, **changes})
        params = state.params()
        return f"{path}?{urlencode(params)}" if params else path

    def filter_value(self, name: str) -> str | None:
        value = getattr(self, URL_ATTRIBUTES.get(name, name))
        return None if value is None else str(value)

    def toggle(self, name: str, value: str) -> str:
        """A link that sets this filter, or removes it if it is already set."""
        current = self.filter_value(name)
        new: Any = None if current == value else (int(value) if name == "year" else value)
        return self.url(**{name: new})


URL_ATTRIBUTES = {url: attribute for attribute, url in URL_NAMES.items()}


def _param(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value
