"""Every search state is a URL: the request's parameters, and links that change one.

A `SearchState` holds the `SearchRequest` a page searched with; only the request fields
declared in `URL_PARAMETERS` ever become URL parameters, so a field added to the request
later (a page size, a document scope, anything the server sets) cannot leak into links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import urlencode

from ..fields import FACETS
from ..index import SearchRequest

# (request attribute, URL parameter), in the order links write them.
URL_PARAMETERS: tuple[tuple[str, str], ...] = (
    ("q", "q"),
    *((facet.param, facet.param) for facet in FACETS),
    ("date_from", "from"),
    ("date_to", "to"),
    ("unit", "unit"),
    ("sort", "sort"),
    ("page", "page"),
    ("confirmed_only", "confirmed"),
)
URL_NAMES = dict(URL_PARAMETERS)
URL_ATTRIBUTES = {url: attribute for attribute, url in URL_PARAMETERS}
URL_ORDER = {url: order for order, (_attribute, url) in enumerate(URL_PARAMETERS)}
DEFAULTS = SearchRequest()


@dataclass(frozen=True)
class SearchState:
    """A search request as the pages see it: parsed from the URL, and turned back into
    URLs for links that change one parameter (a facet, a sort, a page)."""

    request: SearchRequest = field(default_factory=SearchRequest)

    def params(self) -> dict[str, Any]:
        return dict(self._params)

    @cached_property
    def _params(self) -> dict[str, Any]:
        """The URL parameters that differ from the defaults, in a fixed order (computed
        once: a results page makes a hundred links from them)."""
        params: dict[str, Any] = {}
        for attribute, _url_name in URL_PARAMETERS:
            _set(params, attribute, getattr(self.request, attribute))
        return params

    def url(self, path: str = "/search", **changes: Any) -> str:
        """This search with some parameters changed (back to page 1 unless one is given)."""
        pairs = dict(self._encoded)
        pairs.pop("page", None)
        for name, value in changes.items():
            attribute = URL_ATTRIBUTES.get(name, name)
            url_name = URL_NAMES[attribute]  # a KeyError for anything not declared
            pairs.pop(url_name, None)
            single: dict[str, Any] = {}
            _set(single, attribute, value)
            if single:
                pairs[url_name] = _pair(url_name, single[url_name])
        if not pairs:
            return path
        ordered = sorted(pairs, key=URL_ORDER.__getitem__)
        return f"{path}?" + "&".join(pairs[name] for name in ordered)

    @cached_property
    def _encoded(self) -> dict[str, str]:
        """Each URL parameter, encoded once as "name=value"."""
        return {name: urlencode({name: value}) for name, value in self._params.items()}

    def filter_value(self, name: str) -> str | None:
        value = getattr(self.request, URL_ATTRIBUTES.get(name, name))
        return None if value is None else str(value)

    def toggle(self, name: str, value: str) -> str:
        """A link that sets this filter, or removes it if it is already set."""
        current = self.filter_value(name)
        new: Any = None if current == value else (int(value) if name == "year" else value)
        return self.url(**{name: new})


@lru_cache(maxsize=4096)
def _pair(name: str, value: str | int) -> str:
    """One URL parameter encoded as "name=value" (a page links to the same facet
    values and years again and again)."""
    return urlencode({name: value})


def _set(params: dict[str, Any], attribute: str, value: Any) -> None:
    """Set a URL parameter, or leave it out where the value is empty or the default."""
    name = URL_NAMES[attribute]
    if value in (None, "") or value == getattr(DEFAULTS, attribute):
        params.pop(name, None)
    else:
        params[name] = _param(value)


def _param(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value
