"""Vocabulary pages: abuse types, perpetrators and places, with document counts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...fields import VOCABULARY_FACETS
from ..deps import ChromeDep, ServiceDep, ViewerDep
from ..page_builders import vocabulary_page as vocabulary_context
from ..responses import page_response
from ..turns import taking_turns

router = APIRouter()
Section = Literal["abuse-types", "perpetrators", "places"]
FACET_OF_SECTION = {facet.section: facet for facet in VOCABULARY_FACETS}


@router.get("/vocabulary", include_in_schema=False)
def vocabulary_index() -> RedirectResponse:
    return RedirectResponse(f"/vocabulary/{VOCABULARY_FACETS[0].section}", status_code=307)


@router.get("/vocabulary/{section}", response_class=HTMLResponse, summary="A vocabulary (HTML)")
@taking_turns
def vocabulary_page(
    request: Request, section: Section, service: ServiceDep, viewer: ViewerDep, chrome: ChromeDep
) -> HTMLResponse:
    page = vocabulary_context(
        facet=FACET_OF_SECTION[section],
        counts=service.counts(viewer),
        vocabulary=service.vocabulary,
        translate=chrome.translator,
    )
    return page_response(request, page, chrome)
