"""The document page: metadata, numbered paragraphs, highlights and citations."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ...errors import NotFound
from ...index import ParagraphHit, SearchRequest, SearchService
from ...models import Document
from ..deps import ChromeDep, ServiceDep
from ..document_view import document_page as document_context
from ..responses import page_response

router = APIRouter()


def public_document(service: SearchService, doc_id: str) -> Document:
    """A document that may be shown to anyone; restricted ones do not exist here."""
    document = service.archive.get(doc_id)
    if document.access != "public":
        raise NotFound(f"no document with id {doc_id!r}")
    return document


@router.get("/documents/{doc_id}", response_class=HTMLResponse, summary="A document (HTML)")
def document_page(
    request: Request,
    doc_id: str,
    service: ServiceDep,
    chrome: ChromeDep,
    q: str = Query("", max_length=2000, description="Highlight this query's words"),
) -> HTMLResponse:
    document = public_document(service, doc_id)
    terms: tuple[set[tuple[str, str]], set[tuple[str, str]]] = (set(), set())
    hits: list[int] = []
    if q.strip():
        terms = service.highlight_terms(q)
        found = service.search(SearchRequest(q=q, doc=document.id, unit="paragraph", limit=100))
        hits = sorted(hit.para for hit in found.hits if isinstance(hit, ParagraphHit))
    page = document_context(
        document,
        service.archive.vocabulary,
        chrome.translator,
        str(request.base_url),
        q,
        terms,
        hits,
    )
    return page_response(request, page, chrome)
