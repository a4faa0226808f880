"""The search seam. Everything outside this package searches through these names (a test
holds every other module to it): `SearchBackend`, with two backends behind it, the
embedded Whoosh index and PostgreSQL (tables in the instance database)."""

from .backend import Progress, SearchBackend
from .entries import DocMeta
from .highlight import Span, mark, snippet
from .postgres_index import PostgresIndex
from .request import MAX_LIMIT, SORTS, UNITS, SearchRequest, Sort, Unit
from .results import (
    Counts,
    DocumentHit,
    FacetValue,
    HighlightTerms,
    ParagraphHit,
    SearchResult,
)
from .whoosh_index import WhooshIndex
from .writer import IndexReport, index_exists, rebuild_index, schema_is_current, update_index

__all__ = [
    "MAX_LIMIT",
    "SORTS",
    "UNITS",
    "Counts",
    "DocMeta",
    "DocumentHit",
    "FacetValue",
    "HighlightTerms",
    "IndexReport",
    "ParagraphHit",
    "PostgresIndex",
    "Progress",
    "SearchBackend",
    "SearchRequest",
    "SearchResult",
    "Sort",
    "Span",
    "Unit",
    "WhooshIndex",
    "index_exists",
    "mark",
    "rebuild_index",
    "schema_is_current",
    "snippet",
    "update_index",
]
