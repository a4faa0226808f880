"""The search page: query box, facets, chips, year chart, results, pagination."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..contexts import SearchPage
from ..deps import ChromeDep, ServiceDep
from ..params import SearchStateDep
from ..responses import page_response
from ..views import chips, facet_groups, pagination, result_views, year_chart

router = APIRouter()
PAGE_SIZE = 20


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/search", response_class=HTMLResponse, summary="The search page (HTML)")
def search_page(
    request: Request, state: SearchStateDep, service: ServiceDep, chrome: ChromeDep
) -> HTMLResponse:
    translate = chrome.translator
    language = translate.language
    result = service.search(state.request(PAGE_SIZE, language))
    vocabulary = service.archive.vocabulary
    page = SearchPage(
        state=state,
        total=result.total,
        unit=state.unit,
        results=result_views(result.hits, state, vocabulary, translate, language),
        facets=facet_groups(result.facets, state, translate),
        chips=chips(state, vocabulary, translate, language),
        chart=year_chart(result.facets.get("year", []), state),
        pagination=pagination(state, result.pages),
        notes=[note.translated(translate.gettext) for note in result.notes],
        took_ms=result.took_ms,
        sort_links={sort: state.url(sort=sort) for sort in ("relevance", "-date", "date")},
        unit_links={unit: state.url(unit=unit) for unit in ("document", "paragraph")},
    )
    return page_response(request, page, chrome)
