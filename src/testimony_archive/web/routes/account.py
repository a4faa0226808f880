"""Signing in (password, then the second factor where the user has one), signing out,
and a user's own account: the second factor's enrolment and the password."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...config import Settings
from ...errors import TestimonyError
from ..account_pages import account_page, enrolment_page, recovery_codes_page, sign_in_page
from ..csrf import check
from ..deps import AccountsDep, ChromeDep, SettingsDep, SignedInDep, viewer_of
from ..local_paths import safe_next
from ..responses import page_response
from ..session_cookie import (
    clear_session_cookie,
    client_address,
    session_token,
    set_session_cookie,
)
from ..session_cookie import (
    renewed as renewed_session,
)

router = APIRouter(include_in_schema=False)
Next = Annotated[str, Query(max_length=2000)]
NextField = Annotated[str, Form(max_length=2000)]
Csrf = Annotated[str, Form(max_length=100)]


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(
    request: Request, chrome: ChromeDep, accounts: AccountsDep, next: Next = "/search"
) -> HTMLResponse:
    stage = "password"
    session = accounts.session(session_token(request))
    if session is not None and session.stage == "second-factor":
        stage = "code"
    page = sign_in_page(stage=stage, next_url=safe_next(next), viewer=chrome.viewer,
                        translate=chrome.translator)  # fmt: skip
    return page_response(request, page, chrome)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    chrome: ChromeDep,
    accounts: AccountsDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Csrf = "",
    next: NextField = "/search",
) -> Response:
    check(request, csrf)
    try:
        signed = accounts.sign_in(
            name, password, client_address(request), replacing=session_token(request)
        )
    except TestimonyError as error:  # a wrong password, or too many: the form again
        page = sign_in_page(stage="password", next_url=safe_next(next), viewer=chrome.viewer,
                            translate=chrome.translator, error=error, name=name)  # fmt: skip
        return page_response(request, page, chrome, error.status_code)
    response = RedirectResponse(
        safe_next(next) if signed.stage == "signed-in" else "/sign-in?" + _next_query(next),
        status_code=303,
    )
    _session_cookie(request, response, signed.token, settings)
    return response


@router.post("/sign-in/code", response_class=HTMLResponse)
def second_factor(
    request: Request,
    chrome: ChromeDep,
    accounts: AccountsDep,
    settings: SettingsDep,
    code: Annotated[str, Form(max_length=40)],
    csrf: Csrf = "",
    next: NextField = "/search",
) -> Response:
    check(request, csrf)
    try:
        token = accounts.give_second_factor(
            _token(request), code, client_address(request)
        )
    except TestimonyError as error:
        page = sign_in_page(stage="code", next_url=safe_next(next), viewer=chrome.viewer,
                            translate=chrome.translator, error=error)  # fmt: skip
        return page_response(request, page, chrome, error.status_code)
    response = RedirectResponse(safe_next(next), status_code=303)
    _session_cookie(request, response, token, settings)
    return response


@router.post("/sign-out")
def sign_out(request: Request, accounts: AccountsDep, csrf: Csrf = "") -> Response:
    check(request, csrf)
    accounts.sign_out(session_token(request), viewer_of(request))
    response = RedirectResponse("/search", status_code=303)
    clear_session_cookie(request, response)
    # Whatever the browser kept of the signed-in pages goes too (back button included).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@router.get("/account", response_class=HTMLResponse)
def account(
    request: Request, chrome: ChromeDep, accounts: AccountsDep, viewer: SignedInDep
) -> HTMLResponse:
    summary = accounts.summary(viewer)
    page = account_page(summary=summary, translate=chrome.translator,
                        changed=request.query_params.get("changed", ""))  # fmt: skip
    return page_response(request, page, chrome)


@router.post("/account/second-factor", response_class=HTMLResponse)
def start_enrolment(
    request: Request,
    chrome: ChromeDep,
    accounts: AccountsDep,
    viewer: SignedInDep,
    password: Annotated[str, Form(max_length=1024)],
    code: Annotated[str, Form(max_length=40)] = "",
    csrf: Csrf = "",
) -> Response:
    check(request, csrf)
    try:
        enrolling = accounts.begin_enrolment(
            viewer, _token(request), password, client_address(request), code
        )
    except TestimonyError as error:  # a wrong password or code: the account page again
        summary = accounts.summary(viewer)
        page = account_page(summary=summary, translate=chrome.translator, error=error)
        return page_response(request, page, chrome, error.status_code)
    # The secret is shown here, once, in answer to the password: never to a page that a
    # copy of the session cookie alone could ask for.
    return page_response(request, enrolment_page(enrolling, chrome.translator), chrome)


@router.post("/account/second-factor/confirm", response_class=HTMLResponse)
def confirm_enrolment(
    request: Request,
    chrome: ChromeDep,
    accounts: AccountsDep,
    settings: SettingsDep,
    viewer: SignedInDep,
    code: Annotated[str, Form(max_length=40)],
    csrf: Csrf = "",
) -> Response:
    check(request, csrf)
    try:
        renewed = accounts.confirm_enrolment(
            viewer, _token(request), client_address(request), code
        )
    except TestimonyError as error:  # the code again (the secret is not shown again)
        page = enrolment_page(None, chrome.translator, error)
        return page_response(request, page, chrome, error.status_code)
    renewed_session(request, renewed.token)  # the page's forms are the new session's
    response = page_response(request, recovery_codes_page(codes=renewed.recovery_codes), chrome)
    _session_cookie(request, response, renewed.token, settings)
    return response


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    chrome: ChromeDep,
    accounts: AccountsDep,
    settings: SettingsDep,
    viewer: SignedInDep,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    csrf: Csrf = "",
) -> Response:
    check(request, csrf)
    try:
        renewed = accounts.change_own_password(viewer, client_address(request), current, new)
    except TestimonyError as error:
        summary = accounts.summary(viewer)
        page = account_page(summary=summary, translate=chrome.translator, error=error)
        return page_response(request, page, chrome, error.status_code)
    response = RedirectResponse("/account?changed=password", status_code=303)
    _session_cookie(request, response, renewed.token, settings)
    return response


def _session_cookie(request: Request, response: Response, token: str, settings: Settings) -> None:
    """The cookie of a session that starts, or goes on under a new token."""
    set_session_cookie(request, response, token, int(settings.session_lifetime.total_seconds()))


def _token(request: Request) -> str:
    return session_token(request) or ""


def _next_query(target: str) -> str:
    return urlencode({"next": safe_next(target)})
