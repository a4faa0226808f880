"""The search seam. Everything outside this package searches through these names, so a
second backend (PostgreSQL full-text search, OpenSearch) can be added behind them."""

from .search import (
    DocumentHit,
    ParagraphHit,
    SearchRequest,
    SearchResult,
    SearchService,
)
from .writer import IndexReport, index_exists, rebuild_index, update_index

__all__ = [
    "DocumentHit",
    "IndexReport",
    "ParagraphHit",
    "SearchRequest",
    "SearchResult",
    "SearchService",
    "index_exists",
    "rebuild_index",
    "update_index",
]
