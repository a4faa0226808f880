"""The JSON API, with the same parameters as the pages."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Request, Response

from ... import access
from ...citation import cite
from ...errors import NotFound
from ...i18n import translator
from ...models import Document
from ...search_json import LABEL_LANGUAGE, result_json
from ..api_models import (
    CitationModel,
    DocumentResponse,
    ErrorResponse,
    Health,
    ParagraphResponse,
    SearchResponse,
)
from ..deps import ServiceDep, SettingsDep, ViewerDep, VisitorDep
from ..params import SearchStateDep
from ..turns import taking_turns

router = APIRouter()
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad parameters"},
    404: {"model": ErrorResponse, "description": "No such document or paragraph"},
    503: {"model": ErrorResponse, "description": "The search index has not been built"},
}
DocId = Annotated[str, Path(max_length=100, description="Document id")]


@router.get("/api/search", response_model=SearchResponse, responses=ERRORS, summary="Search")
@taking_turns
def api_search(state: SearchStateDep, service: ServiceDep, viewer: ViewerDep) -> Response:
    # Written as it is: its shape is SearchResponse's (tests/test_openapi.py checks every
    # response against the schema), and validating it again cost more than the writing.
    # orjson writes it in a tenth of the standard library's time (UTF-8, compact).
    found = result_json(service.search(state.request, viewer), service.vocabulary)
    return Response(orjson.dumps(found), media_type="application/json")


@router.get(
    "/api/documents/{doc_id}",
    response_model=DocumentResponse,
    responses=ERRORS,
    summary="A document with its numbered paragraphs",
)
def api_document(
    request: Request, doc_id: DocId, service: ServiceDep, viewer: ViewerDep
) -> DocumentResponse:
    document = service.document(doc_id, viewer)
    base_url = str(request.base_url)
    return DocumentResponse(
        id=document.id,
        kind=document.kind,
        title=document.title,
        language=document.language,
        date=str(document.date) if document.date else None,
        access=document.access,
        sha256=document.sha256,
        redacted=document.redacted,
        tags=document.tags.as_dict(),
        suggested=document.suggested.as_dict(),
        witness=document.witness,
        source=document.source,
        paragraphs=[
            _paragraph(document, paragraph.number, base_url, service.name)
            for paragraph in document.paragraphs
        ],
    )


@router.get(
    "/api/documents/{doc_id}/paragraphs/{number}",
    response_model=ParagraphResponse,
    responses=ERRORS,
    summary="One paragraph: text, citation, sha256",
)
def api_paragraph(
    request: Request,
    doc_id: DocId,
    number: Annotated[int, Path(ge=1, le=100000)],
    service: ServiceDep,
    viewer: ViewerDep,
) -> ParagraphResponse:
    document = service.document(doc_id, viewer)
    return _paragraph(document, number, str(request.base_url), service.name)


def _paragraph(
    document: Document, number: int, base_url: str, archive: str
) -> ParagraphResponse:
    paragraph = document.paragraph(number)
    if paragraph is None:
        raise NotFound(
            f"{document.id} has no paragraph {number} (it has {len(document.paragraphs)})"
        )
    citation = cite(document, number, base_url, translator(LABEL_LANGUAGE), archive)
    return ParagraphResponse(
        doc=document.id,
        para=number,
        page=pages[0] if (pages := document.pages_of(number, number)) else None,
        text=paragraph.text,
        sha256=document.sha256,
        citation=CitationModel(text=citation.text, permalink=citation.permalink),
    )


@router.get("/healthz", response_model=Health, summary="Health check")
def healthz(service: ServiceDep, viewer: VisitorDep, settings: SettingsDep) -> Health:
    if not access.may_use_archive(viewer, settings.open_to_anonymous):
        return Health(status="ok")
    counts = service.counts(viewer)
    return Health(status="ok", documents=counts.documents, paragraphs=counts.paragraphs)
