"""Collections of excerpts: the list, a collection's page, collecting ticked paragraphs
or a selection into one, ordering, notes, removal, and the downloads (Word, PDF, CSV,
JSON, Markdown, evidence bundle) of a collection or of a search's results.

Every form here changes something and carries the CSRF token; who may collect, and
whose collection it is, are the desk's questions (`collecting`), never a route's."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...collecting import CollectionDesk
from ...errors import NotFound
from ...export import FORMATS
from ..collection_view import collect_page, collection_page, collections_page, parse_value
from ..csrf import check, same_site_only
from ..deps import ChromeDep, ServiceDep, SignedInDep
from ..local_paths import safe_next
from ..params import SearchStateDep
from ..responses import page_response

router = APIRouter()
MAX_PLACES = 200  # ticked at once


async def get_desk(request: Request) -> CollectionDesk:
    desk: CollectionDesk = request.app.state.desk
    return desk


DeskDep = Annotated[CollectionDesk, Depends(get_desk)]
Places = Annotated[tuple[str, ...], Form(max_length=MAX_PLACES)]


@router.get("/collections", response_class=HTMLResponse, summary="Your collections (HTML)")
def collections(
    request: Request, desk: DeskDep, viewer: SignedInDep, chrome: ChromeDep
) -> HTMLResponse:
    return page_response(request, collections_page(desk, viewer), chrome)


@router.post("/collections", include_in_schema=False)
def create(
    request: Request, desk: DeskDep, viewer: SignedInDep,
    name: Annotated[str, Form(max_length=200)], csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:  # fmt: skip
    check(request, csrf)
    collection = desk.create(viewer, name)
    return _to_collection(collection.id)


@router.get("/collections/{collection_id}", response_class=HTMLResponse,
            summary="A collection of excerpts (HTML)")  # fmt: skip
def collection(
    request: Request, collection_id: int, desk: DeskDep, viewer: SignedInDep,
    chrome: ChromeDep, added: int = Query(0, ge=0, le=1000), already: int = Query(0, ge=0, le=1000),
    back: str = Query("", max_length=2000),
) -> HTMLResponse:  # fmt: skip
    page = collection_page(desk, viewer, collection_id, chrome.translator,
                           str(request.base_url))  # fmt: skip
    page.added, page.already, page.back_url = added, already, _local(back)
    return page_response(request, page, chrome)


@router.post("/collections/collect", response_class=HTMLResponse, include_in_schema=False)
def choose(
    request: Request, desk: DeskDep, service: ServiceDep, viewer: SignedInDep,
    chrome: ChromeDep, place: Places = (), doc: Annotated[str, Form(max_length=100)] = "",
    para: Annotated[str, Form(max_length=20)] = "",
    chars: Annotated[str, Form(max_length=30)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:  # fmt: skip
    """Ticked paragraphs, or a selection (document, paragraph, characters): which of the
    viewer's collections do they go to?"""
    check(request, csrf)
    values = [*place, *([_value(doc, para, chars)] if doc and para else [])]
    page = collect_page(desk, service, viewer, values, _local(next))
    return page_response(request, page, chrome)


@router.post("/collections/add", include_in_schema=False)
def add(
    request: Request, desk: DeskDep, viewer: SignedInDep, place: Places = (),
    collection: Annotated[int, Form(ge=0)] = 0,
    new_name: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:  # fmt: skip
    check(request, csrf)
    done = desk.collect(viewer, [parse_value(value) for value in place], collection, new_name,
                        note)  # fmt: skip
    back = f"&back={quote(_local(next), safe='')}" if _local(next) else ""
    return RedirectResponse(f"/collections/{done.collection}?added={done.added}"
                            f"&already={done.already}{back}#items", status_code=303)  # fmt: skip


@router.post("/collections/{collection_id}/rename", include_in_schema=False)
def rename(
    request: Request, collection_id: int, desk: DeskDep, viewer: SignedInDep,
    name: Annotated[str, Form(max_length=200)], csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:  # fmt: skip
    check(request, csrf)
    desk.rename(viewer, collection_id, name)
    return _to_collection(collection_id)


@router.post("/collections/{collection_id}/delete", include_in_schema=False)
def delete(
    request: Request, collection_id: int, desk: DeskDep, viewer: SignedInDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:  # fmt: skip
    check(request, csrf)
    desk.delete(viewer, collection_id)
    return RedirectResponse("/collections", status_code=303)


@router.post("/collections/{collection_id}/items/{item_id}/note", include_in_schema=False)
def annotate(
    request: Request, collection_id: int, item_id: int, desk: DeskDep, viewer: SignedInDep,
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:  # fmt: skip
    check(request, csrf)
    desk.annotate(viewer, collection_id, item_id, note)
    return _to_collection(collection_id, f"#item-{item_id}")


@router.post("/collections/{collection_id}/items/{item_id}/move", include_in_schema=False)
def move(
    request: Request, collection_id: int, item_id: int, desk: DeskDep, viewer: SignedInDep,
    position: Annotated[int, Form(ge=1, le=1000)], csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:  # fmt: skip
    check(request, csrf)
    desk.move(viewer, collection_id, item_id, position)
    return _to_collection(collection_id, f"#item-{item_id}")


@router.post("/collections/{collection_id}/items/{item_id}/remove", include_in_schema=False)
def remove(
    request: Request, collection_id: int, item_id: int, desk: DeskDep, viewer: SignedInDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:  # fmt: skip
    check(request, csrf)
    desk.remove(viewer, collection_id, item_id)
    return _to_collection(collection_id, "#items")


@router.get("/collections/{collection_id}/export/{format}",
            dependencies=[Depends(same_site_only)],
            summary="A collection exported: Word, PDF, CSV, JSON, Markdown, bundle")  # fmt: skip
def export(
    request: Request, collection_id: int, format: str, desk: DeskDep, viewer: SignedInDep,
    chrome: ChromeDep,
) -> Response:  # fmt: skip
    base_url = str(request.base_url)
    if format == "bundle":
        name, media_type, data = desk.bundle(viewer, collection_id, None, chrome.language,
                                             base_url)  # fmt: skip
    elif format in FORMATS:
        name, media_type, data = desk.export(viewer, collection_id, format, chrome.language,
                                             base_url)  # fmt: skip
    else:
        raise NotFound(f"no export format {format!r}")
    return _download(name, media_type, data)


@router.get("/search/export/{format}", dependencies=[Depends(same_site_only)],
            summary="A search's best paragraphs as Word, PDF, CSV, JSON or Markdown")  # fmt: skip
def export_search(
    request: Request, format: str, desk: DeskDep, viewer: SignedInDep, chrome: ChromeDep,
    state: SearchStateDep,
) -> Response:  # fmt: skip
    if format not in FORMATS:
        raise NotFound(f"no export format {format!r}")
    base_url = str(request.base_url)
    name, media_type, data = desk.export_search_results(viewer, state.request, format,
                                                        chrome.language, base_url)  # fmt: skip
    return _download(name, media_type, data)


def _value(doc: str, para: str, chars: str) -> str:
    return f"{doc.strip()}:{para.strip()}" + (f":{chars.strip()}" if chars.strip() else "")


def _download(name: str, media_type: str, data: bytes) -> Response:
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    })  # fmt: skip


def _to_collection(collection_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/collections/{collection_id}{anchor}", status_code=303)


def _local(url: str) -> str:
    """A path on this site, or nothing: a form's `next` never sends anyone elsewhere."""
    return safe_next(url, default="")
