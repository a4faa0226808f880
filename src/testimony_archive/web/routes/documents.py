"""The document page (metadata, numbered paragraphs, highlights, citations, tags and
their history), and the tag editing form behind TESTIMONY_EDITING=1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...errors import NotFound
from ...history import History
from ...index import ParagraphHit, SearchRequest, SearchService
from ...models import Document
from ...tag_editing import ACTIONS, TagEditor
from ..csrf import CsrfRejected, check, csrf_token, remember
from ..deps import ChromeDep, ServiceDep, SettingsDep
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
    settings: SettingsDep,
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
    history = History(settings.instance_db).for_document(document.id)
    evidence = suggestion_evidence(request, document) if settings.editing else {}
    page = document_context(
        document, service.archive.vocabulary, chrome.translator, str(request.base_url), q, terms,
        hits, history, settings.editing, csrf_token(request) if settings.editing else "",
        evidence,
    )  # fmt: skip
    response = page_response(request, page, chrome)
    remember(request, response)
    return response


def suggestion_evidence(request: Request, document: Document) -> dict[int, dict[str, str]]:
    """For each paragraph with pending suggestions: tag → the words that suggest it."""
    if not any(segment.suggested for segment in document.segments.values()):
        return {}
    from ...suggestions import paragraph_suggestions
    from ...tagging import Tagger

    tagger = getattr(request.app.state, "tagger", None)
    if tagger is None:
        tagger = request.app.state.tagger = Tagger(request.app.state.service.archive.vocabulary)
    found: dict[int, dict[str, str]] = {}
    for number, suggestion in paragraph_suggestions(tagger, document).items():
        words: dict[str, list[str]] = {}
        for item in suggestion.evidence:
            words.setdefault(item.value, []).append(f"“{item.text}”")
        found[number] = {value: ", ".join(dict.fromkeys(texts)) for value, texts in words.items()}
    return found


@router.post("/documents/{doc_id}/tags", include_in_schema=False)
def edit_tags(
    request: Request,
    doc_id: str,
    service: ServiceDep,
    settings: SettingsDep,
    action: Annotated[str, Form(max_length=10)],
    value: Annotated[str, Form(max_length=120)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    para: Annotated[int | None, Form(ge=1)] = None,
) -> RedirectResponse:
    if not settings.editing:
        raise CsrfRejected("Tag editing is switched off on this server (TESTIMONY_EDITING=1).")
    check(request, csrf)
    public_document(service, doc_id)
    if action not in ACTIONS or action == "suggest":
        raise NotFound(f"no such action {action!r}")
    editor = TagEditor(
        service.archive, History(settings.instance_db), settings.index_dir, settings.editor
    )
    editor.change(doc_id, action, [value.strip()], para)
    service.index_changed()  # this process wrote it: no need to wait for the next check
    anchor = f"#p{para}" if para else "#tags"
    return RedirectResponse(f"/documents/{doc_id}{anchor}", status_code=303)
