"""The administrators' pages: users (add, role, disable, enable, sign out, second factor)
and the audit trail, with whether it still holds."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ... import access
from ...errors import UsageError
from ..account_pages import AUDIT_PAGE_SIZE, audit_page, users_page
from ..csrf import check
from ..deps import AccountsDep, ChromeDep, SignedInDep
from ..responses import page_response

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=100)]
UserAction = Literal["role", "disable", "enable", "sign-out", "remove-second-factor"]


@router.get("/admin/users", response_class=HTMLResponse)
def users(
    request: Request, chrome: ChromeDep, accounts: AccountsDep, viewer: SignedInDep
) -> HTMLResponse:
    page = users_page(users=accounts.list_users(viewer), translate=chrome.translator,
                      message=request.query_params.get("done", "")[:100])  # fmt: skip
    return page_response(request, page, chrome)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    chrome: ChromeDep,
    accounts: AccountsDep,
    viewer: SignedInDep,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Csrf = "",
) -> Response:
    access.require(viewer, "manage users")
    check(request, csrf)
    try:
        added = accounts.add_user(viewer, name, role, password)
    except UsageError as error:
        page = users_page(users=accounts.list_users(viewer), translate=chrome.translator,
                          error=error)  # fmt: skip
        return page_response(request, page, chrome, 400)
    return RedirectResponse(f"/admin/users?done={added.name}", status_code=303)


@router.post("/admin/users/{name}")
def change_user(
    request: Request,
    name: str,
    accounts: AccountsDep,
    viewer: SignedInDep,
    action: Annotated[UserAction, Form()],
    role: Annotated[str, Form(max_length=16)] = "",
    csrf: Csrf = "",
) -> Response:
    access.require(viewer, "manage users")
    check(request, csrf)
    accounts.change_user(viewer, name, action, role)
    return RedirectResponse(f"/admin/users?done={name}", status_code=303)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    chrome: ChromeDep,
    accounts: AccountsDep,
    viewer: SignedInDep,
    user: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=32)] = "",
    before: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    entries, verification = accounts.read_audit(
        viewer, user=user or None, since=since or None, before=before, limit=AUDIT_PAGE_SIZE
    )
    page = audit_page(entries=entries, verification=verification, translate=chrome.translator,
                      user=user, since=since)  # fmt: skip
    return page_response(request, page, chrome)
