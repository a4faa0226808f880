"""The document page (metadata, numbered paragraphs, highlights, citations, tags and
their history), and the forms of those who may edit tags or redact passages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ... import access
from ...errors import NotFound
from ...tag_editing import ACTIONS, Action
from ..csrf import check
from ..deps import ChromeDep, ServiceDep, ViewerDep
from ..document_view import document_page as document_context
from ..responses import page_response
from ..turns import taking_turns

router = APIRouter()
EDIT_ACTIONS: tuple[Action, ...] = tuple(each for each in ACTIONS if each != "suggest")


@router.get("/documents/{doc_id}", response_class=HTMLResponse, summary="A document (HTML)")
@taking_turns
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
        base_url=service.base_url or str(request.base_url),
        archive=service.name,
    )
    return page_response(request, page, chrome)


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
    access.require(viewer, "edit tags")  # before the form's token: say why, not "reload"
    check(request, csrf)
    chosen = next((each for each in EDIT_ACTIONS if each == action), None)
    if chosen is None:
        raise NotFound(f"no such action {action!r}")
    service.edit_tags(viewer, doc_id, chosen, [value.strip()], para)
    anchor = f"#p{para}" if para else "#tags"
    return RedirectResponse(f"/documents/{doc_id}{anchor}", status_code=303)


@router.post("/documents/{doc_id}/redactions", include_in_schema=False)
def redact(
    request: Request,
    doc_id: str,
    service: ServiceDep,
    viewer: ViewerDep,
    para: Annotated[int, Form(ge=1, le=100000)],
    reason: Annotated[str, Form(max_length=500)],
    words: Annotated[str, Form(max_length=2000)] = "",
    chars: Annotated[str, Form(max_length=30)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:
    """Redact the given words (every place they stand in the paragraph) or characters."""
    access.require(viewer, "redact")
    check(request, csrf)
    service.redact(viewer, doc_id, para, reason, chars=chars, words=words)
    return RedirectResponse(f"/documents/{doc_id}#p{para}", status_code=303)


@router.post("/documents/{doc_id}/redactions/{number}/remove", include_in_schema=False)
def unredact(
    request: Request,
    doc_id: str,
    number: int,
    service: ServiceDep,
    viewer: ViewerDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    which: Annotated[str, Form(max_length=40)] = "",  # "para:chars", as the page showed it
) -> RedirectResponse:
    access.require(viewer, "redact")
    check(request, csrf)
    service.unredact(viewer, doc_id, number, expected=which or None)
    return RedirectResponse(f"/documents/{doc_id}#redactions", status_code=303)
