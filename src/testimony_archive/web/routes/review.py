"""The review queue: documents with machine-suggested tags waiting for a person."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..contexts import ReviewPage, ReviewRow
from ..deps import ChromeDep, ServiceDep, SettingsDep
from ..responses import page_response
from ..views import document_url

router = APIRouter()
SHOWN = 200


@router.get("/review", response_class=HTMLResponse, summary="Documents with pending suggestions")
def review_page(
    request: Request, service: ServiceDep, settings: SettingsDep, chrome: ChromeDep
) -> HTMLResponse:
    with service.handle.searcher() as (_searcher, snapshot):
        waiting = [meta for meta in snapshot.docs if meta.pending and meta.access == "public"]
    waiting.sort(key=lambda meta: (-meta.pending, meta.id))
    rows = [
        ReviewRow(meta.id, meta.title, document_url(meta.id), meta.pending, meta.date)
        for meta in waiting[:SHOWN]
    ]
    return page_response(request, ReviewPage(rows, settings.editing), chrome)
