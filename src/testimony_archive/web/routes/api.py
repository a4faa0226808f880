"""The JSON API, with the same parameters as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from ...citation import cite
from ...errors import NotFound
from ...index import SearchService
from ...search_output import result_json
from ..api_models import (
    CitationModel,
    DocumentResponse,
    ErrorResponse,
    Health,
    ParagraphResponse,
    SearchResponse,
)
from ..deps import ServiceDep
from ..params import SearchStateDep
from .documents import public_document
from .search import PAGE_SIZE

router = APIRouter()
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad parameters"},
    404: {"model": ErrorResponse, "description": "No such document or paragraph"},
    503: {"model": ErrorResponse, "description": "The search index has not been built"},
}
DocId = Annotated[str, Path(max_length=100, description="Document id")]


@router.get("/api/search", response_model=SearchResponse, responses=ERRORS, summary="Search")
def api_search(state: SearchStateDep, service: ServiceDep) -> dict[str, Any]:
    return result_json(service.search(state.request(PAGE_SIZE, "en")))


def _paragraph(
    request: Request, service: SearchService, doc_id: str, number: int
) -> ParagraphResponse:
    document = public_document(service, doc_id)
    paragraph = document.paragraph(number)
    if paragraph is None:
        raise NotFound(f"{doc_id} has no paragraph {number} (it has {len(document.paragraphs)})")
    citation = cite(document, number, str(request.base_url))
    return ParagraphResponse(
        doc=document.id,
        para=number,
        text=paragraph.text,
        sha256=document.sha256,
        citation=CitationModel(text=citation.text, permalink=citation.permalink),
    )


@router.get(
    "/api/documents/{doc_id}",
    response_model=DocumentResponse,
    responses=ERRORS,
    summary="A document with its numbered paragraphs",
)
def api_document(request: Request, doc_id: DocId, service: ServiceDep) -> DocumentResponse:
    document = public_document(service, doc_id)
    return DocumentResponse(
        id=document.id,
        kind=document.kind,
        title=document.title,
        language=document.language,
        date=str(document.date) if document.date else None,
        access=document.access,
        sha256=document.sha256,
        tags=document.tags.as_dict(),
        suggested=document.suggested.as_dict(),
        witness={"pseudonym": document.witness["pseudonym"]}
        if document.witness and document.witness.get("pseudonym")
        else None,
        source=document.source,
        paragraphs=[
            _paragraph(request, service, document.id, paragraph.number)
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
) -> ParagraphResponse:
    return _paragraph(request, service, doc_id, number)


@router.get("/healthz", response_model=Health, summary="Health check")
def healthz(service: ServiceDep) -> Health:
    with service.handle.searcher() as (_searcher, snapshot):
        public = [meta for meta in snapshot.docs if meta.access == "public"]
        return Health(
            status="ok",
            documents=len(public),
            paragraphs=sum(meta.paragraph_count for meta in public),
        )
