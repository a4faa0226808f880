"""Every search state is a URL: the request's parameters, and links that change one."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cached_property
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
        return dict(self._params)

    @cached_property
    def _params(self) -> dict[str, Any]:
        """The URL parameters that differ from the defaults, in a fixed order (computed
        once: a results page makes a hundred links from them)."""
        params: dict[str, Any] = {}
        for attribute in URL_FIELDS:
            _set(params, attribute, getattr(self, attribute))
        return params

    def url(self, path: str = "/search", **changes: Any) -> str:
        """This search with some parameters changed (back to page 1 unless one is given)."""
        pairs = dict(self._encoded)
        pairs.pop("page", None)
        for name, value in changes.items():
            attribute = URL_ATTRIBUTES.get(name, name)
            url_name = URL_NAMES.get(attribute, attribute)
            pairs.pop(url_name, None)
            single: dict[str, Any] = {}
            _set(single, attribute, value)
            if single:
                pairs[url_name] = urlencode(single)
        if not pairs:
            return path
        ordered = sorted(pairs, key=URL_ORDER.__getitem__)
        return f"{path}?" + "&".join(pairs[name] for name in ordered)

    @cached_property
    def _encoded(self) -> dict[str, str]:
        """Each URL parameter, encoded once as "name=value"."""
        return {name: urlencode({name: value}) for name, value in self._params.items()}

    def filter_value(self, name: str) -> str | None:
        value = getattr(self, URL_ATTRIBUTES.get(name, name))
        return None if value is None else str(value)

    def toggle(self, name: str, value: str) -> str:
        """A link that sets this filter, or removes it if it is already set."""
        current = self.filter_value(name)
        new: Any = None if current == value else (int(value) if name == "year" else value)
        return self.url(**{name: new})


URL_ATTRIBUTES = {url: attribute for attribute, url in URL_NAMES.items()}
URL_FIELDS = [item.name for item in fields(SearchState) if item.name not in NOT_IN_URL]
URL_ORDER = {URL_NAMES.get(name, name): order for order, name in enumerate(URL_FIELDS)}
DEFAULTS = SearchState()


def _set(params: dict[str, Any], attribute: str, value: Any) -> None:
    """Set a URL parameter, or leave it out where the value is empty or the default."""
    name = URL_NAMES.get(attribute, attribute)
    if value in (None, "") or value == getattr(DEFAULTS, attribute):
        params.pop(name, None)
    else:
        params[name] = _param(value)


def _param(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value
