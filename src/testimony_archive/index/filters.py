"""A request's filters as Whoosh queries over the paragraph entries' facet fields."""

from __future__ import annotations

from whoosh import query as wq

from ..dates import parse_date
from ..fields import FACETS, Facet
from .request import SearchRequest
from .schema import CONFIRMED_SUFFIX


def facet_filter(facet: Facet, value: str | int, confirmed_only: bool = False) -> wq.Query:
    """Entries whose facet holds the value (tags roll up: a filter on MX matches MX-CHP)."""
    if facet.kind == "year":
        return wq.NumericRange(facet.name, int(value), int(value))
    if facet.is_tag:
        suffix = CONFIRMED_SUFFIX if confirmed_only else ""
        return wq.Term(facet.name + suffix, facet.normalise(str(value)))
    return wq.Term(facet.name, str(value))


def request_filters(request: SearchRequest) -> list[wq.Query]:
    filters = [
        facet_filter(facet, value, request.confirmed_only)
        for facet in FACETS
        if (value := request.filter(facet)) not in (None, "")
    ]
    if request.doc:
        filters.append(wq.Term("doc", request.doc))
    if request.date_from:
        start = parse_date(request.date_from).sort_key
        filters.append(wq.NumericRange("date_end", start, None))
    if request.date_to:
        end = parse_date(request.date_to).last_day
        filters.append(wq.NumericRange("date", None, end.year * 10000 + end.month * 100 + end.day))
    return filters
