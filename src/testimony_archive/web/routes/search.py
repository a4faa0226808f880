"""The search page: query box, facets, chips, year chart, results, pagination."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ... import access
from ..deps import ChromeDep, ServiceDep, ViewerDep
from ..page_builders import search_page as search_context
from ..params import SearchStateDep
from ..responses import page_response
from ..turns import taking_turns

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/search", response_class=HTMLResponse, summary="The search page (HTML)")
@taking_turns
def search_page(
    request: Request,
    state: SearchStateDep,
    service: ServiceDep,
    viewer: ViewerDep,
    chrome: ChromeDep,
) -> HTMLResponse:
    result = service.search(state.request, viewer)
    page = search_context(
        state=state,
        result=result,
        vocabulary=service.vocabulary,
        translate=chrome.translator,
        collect=access.may(viewer, "collect"),
    )
    return page_response(request, page, chrome)
