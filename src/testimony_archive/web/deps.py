"""Request dependencies: settings, the service, the viewer and the interface language.

They are `async` although they never wait: FastAPI runs a plain function in a worker
thread, and the hop there and back would cost more than the function itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from .. import access
from ..access import Viewer
from ..config import Settings
from ..i18n import N_, Translator, translator
from ..security.accounts import Accounts
from ..service import SearchService
from .contexts import Chrome
from .i18n import choose_language
from .session_cookie import SignInRequired, client_address, session_token


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.service
    return service


async def get_accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def viewer_of(request: Request) -> Viewer:
    """Who is asking, from the session cookie (anonymous without one); worked out once
    per request. No database is asked for a visitor without a session cookie."""
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if viewer is None:
        address = client_address(request)
        token = session_token(request)
        accounts: Accounts = request.app.state.accounts
        viewer = accounts.viewer(token, address) if token else Viewer.anonymous(address)
        request.state.viewer = viewer
    return viewer


async def viewer_at(request: Request) -> Viewer:
    """`viewer_of`, with the session's query (at most once a second per session, and a
    write once a minute) made in a worker thread: on the event loop, a query that waits
    for the database would hold every other request up."""
    if getattr(request.state, "viewer", None) is None:
        accounts: Accounts = request.app.state.accounts
        if not accounts.knows_at_once(session_token(request)):
            return await run_in_threadpool(viewer_of, request)
    return viewer_of(request)


async def get_visitor(request: Request) -> Viewer:
    """The viewer of the few routes open even where the archive is closed to visitors
    who have not signed in (the health check): they ask `access` what to show."""
    return await viewer_at(request)


async def get_viewer(request: Request) -> Viewer:
    """The viewer of a page or API call that reads the archive: visitors who have not
    signed in are sent to sign in where the server is closed to them."""
    viewer = await viewer_at(request)
    settings: Settings = request.app.state.settings
    if not access.may_use_archive(viewer, settings.open_to_anonymous):
        raise SignInRequired(N_("Sign in to use this archive."))
    return viewer


async def get_signed_in(request: Request) -> Viewer:
    """The viewer of a signed-in user's own pages (its account, the administration)."""
    viewer = await viewer_at(request)
    if not viewer.signed_in:
        raise SignInRequired(N_("Sign in to see this page."))
    return viewer


async def get_translator(request: Request) -> Translator:
    return translator_for(request)


def translator_for(request: Request) -> Translator:
    """The interface language: ?lang=, then the cookie, then the browser's preference."""
    return translator(
        choose_language(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
            request.headers.get("accept-language"),
        )
    )


async def get_chrome(
    request: Request, translate: Annotated[Translator, Depends(get_translator)]
) -> Chrome:
    await viewer_at(request)  # (worked out once: chrome_for finds it)
    return chrome_for(request, translate)


def chrome_for(request: Request, translate: Translator, body_class: str = "") -> Chrome:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Chrome(translate, path, body_class, viewer_of(request))


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[SearchService, Depends(get_service)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
VisitorDep = Annotated[Viewer, Depends(get_visitor)]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]
SignedInDep = Annotated[Viewer, Depends(get_signed_in)]
ChromeDep = Annotated[Chrome, Depends(get_chrome)]
