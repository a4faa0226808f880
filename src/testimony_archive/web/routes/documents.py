"""The document page (metadata, numbered paragraphs, highlights, citations, tags and
their history), and the tag editing form for those who may edit tags."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...access import require_tag_editing
from ...errors import NotFound
from ...tag_editing import ACTIONS, Action
from ..csrf import check, csrf_token, remember
from ..deps import ChromeDep, ServiceDep, ViewerDep
from ..document_view import document_page as document_context
from ..responses import page_response

router = APIRouter()
EDIT_ACTIONS: tuple[Action, ...] = tuple(each for each in ACTIONS if each != "suggest")


@router.get("/documents/{doc_id}", response_class=HTMLResponse, summary="A document (HTML)")
def document_page(
    request: Request,
    doc_id: str,
    service: ServiceDep,
    viewer: ViewerDep,
    chrome: ChromeDep,
    q: str = Query("", max_length=2000, description="Highlight this query's words"),
) -> HTMLResponse:
    reading = service.reading(doc_id, viewer, q)
    page = document_context(
        reading=reading,
        q=q,
        vocabulary=service.vocabulary,
        translate=chrome.translator,
        base_url=str(request.base_url),
        csrf=csrf_token(request) if reading.may_edit_tags else "",
    )
    response = page_response(request, page, chrome)
    remember(request, response)
    return response


@router.post("/documents/{doc_id}/tags", include_in_schema=False)
def edit_tags(
    request: Request,
    doc_id: str,
    service: ServiceDep,
    viewer: ViewerDep,
    action: Annotated[str, Form(max_length=10)],
    value: Annotated[str, Form(max_length=120)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    para: Annotated[int | None, Form(ge=1)] = None,
) -> RedirectResponse:
    require_tag_editing(viewer)  # before the form's token: say why, not "reload the page"
    check(request, csrf)
    chosen = next((each for each in EDIT_ACTIONS if each == action), None)
    if chosen is None:
        raise NotFound(f"no such action {action!r}")
    service.edit_tags(viewer, doc_id, chosen, [value.strip()], para)
    anchor = f"#p{para}" if para else "#tags"
    return RedirectResponse(f"/documents/{doc_id}{anchor}", status_code=303)
