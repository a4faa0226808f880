"""The search parameters shared by the search page and /api/search."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query

from ..index import SearchRequest
from .search_state import SearchState

MAX_QUERY_LENGTH = 2000
PAGE_SIZE = 20  # results per page, in the pages and the API


async def search_state(  # async: see deps.py
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description='Words, "phrases", +/-, AND/OR/NOT, prefix*, field:value',
        ),
    ] = "",
    location: Annotated[
        str | None, Query(max_length=100, description="Location code: MX, MX-CHP, geonames:3516266")
    ] = None,
    abuse_type: Annotated[
        str | None, Query(max_length=100, description="Abuse type id, e.g. torture")
    ] = None,
    perpetrator: Annotated[
        str | None, Query(max_length=100, description="Perpetrator id, e.g. immigration")
    ] = None,
    kind: Annotated[Literal["testimony", "report_excerpt"] | None, Query()] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    year: Annotated[int | None, Query(ge=1000, le=9999)] = None,
    date_from: Annotated[
        str | None, Query(alias="from", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    unit: Annotated[Literal["document", "paragraph"], Query()] = "document",
    sort: Annotated[
        Literal["relevance", "date", "-date"],
        Query(description="date: oldest first; -date: newest first"),
    ] = "relevance",
    page: Annotated[int, Query(ge=1, le=10000)] = 1,
    confirmed: Annotated[
        bool, Query(description="Filter and count confirmed tags only (not suggestions)")
    ] = False,
) -> SearchState:
    return SearchState(
        SearchRequest(
            q=q,
            location=location or None,
            abuse_type=abuse_type or None,
            perpetrator=perpetrator or None,
            kind=kind,
            language=language or None,
            year=year,
            date_from=date_from or None,
            date_to=date_to or None,
            unit=unit,
            sort=sort,
            page=page,
            limit=PAGE_SIZE,
            confirmed_only=confirmed,
        )
    )


SearchStateDep = Annotated[SearchState, Depends(search_state)]
