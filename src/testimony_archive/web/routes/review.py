"""The review queue: documents with machine-suggested tags waiting for a person."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ... import access
from ..deps import ChromeDep, ServiceDep, ViewerDep
from ..page_builders import review_page as review_context
from ..responses import page_response
from ..turns import taking_turns

router = APIRouter()


@router.get("/review", response_class=HTMLResponse, summary="Documents with pending suggestions")
@taking_turns
def review_page(
    request: Request, service: ServiceDep, viewer: ViewerDep, chrome: ChromeDep
) -> HTMLResponse:
    page = review_context(
        waiting=service.pending(viewer),
        editing=access.may(viewer, "edit tags"),
        translate=chrome.translator,
    )
    return page_response(request, page, chrome)
