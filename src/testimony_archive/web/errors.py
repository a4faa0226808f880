"""One place that turns errors into pages or JSON: never a stack trace to the user."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    ArchiveError,
    Forbidden,
    IndexMissing,
    IndexOutdated,
    NotFound,
    TestimonyError,
)
from .contexts import ErrorPage
from .deps import chrome_for, translator_for
from .responses import page_response
from .session_cookie import SignInRequired

log = logging.getLogger("testimony_archive.web")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _error(
    request: Request, status: int, message: str, details: list[str] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "details": details or []}, status_code=status)
    translate = translator_for(request)
    titles = {
        400: translate.gettext("That request could not be understood"),
        401: translate.gettext("Please sign in"),
        403: translate.gettext("Not allowed"),
        404: translate.gettext("Not found"),
        429: translate.gettext("Too many attempts"),
        503: translate.gettext("The archive is not ready"),
    }
    title = titles.get(status, translate.gettext("Something went wrong"))
    page = ErrorPage(status, title, message, details or [])
    return page_response(request, page, chrome_for(request, translate, "error"), status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TestimonyError)
    async def domain_error(request: Request, error: TestimonyError) -> Response:
        translate = translator_for(request)
        # The server's folders are never named to the visitor, in pages or JSON: an
        # archive or index error is logged with its path and told without it.
        if isinstance(error, ArchiveError):
            log.error("%s %s: %s", request.method, request.url.path, error.message)
            message = translate.gettext(
                "This document could not be read from the archive; the server's log says why."
            )
            return _error(request, error.status_code, message)
        if isinstance(error, SignInRequired) and not _wants_json(request):
            if request.method == "GET":
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/sign-in?{urlencode({'next': target})}", 303)
            return _error(request, 401, translate.message(error.message))
        if _wants_json(request) and not isinstance(error, IndexMissing):
            return _error(request, error.status_code, error.message)
        if isinstance(error, NotFound):
            return _error(request, 404, translate.gettext("There is no page at this address."))
        if isinstance(error, IndexOutdated):
            message = translate.gettext(
                "The search index was built by another version of Testimony Archive: "
                "run 'testimony index'."
            )
            return _error(request, 503, message)
        if isinstance(error, IndexMissing):
            message = translate.gettext(
                "The search index has not been built yet: run 'testimony index'."
            )
            return _error(request, 503, message)
        if isinstance(error, Forbidden) or error.status_code in (401, 403, 413, 429):
            return _error(request, error.status_code, translate.message(error.message))
        message = translate.gettext("Some parameters are not valid.")
        return _error(request, error.status_code, message, [translate.message(error.message)])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        translate = translator_for(request)
        message = (
            translate.gettext("There is no page at this address.")
            if error.status_code == 404
            else str(error.detail)
        )
        return _error(request, error.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        details = [
            f"{'.'.join(str(part) for part in item.get('loc', ())[1:])}: {item.get('msg', '')}"
            for item in error.errors()
        ]
        translate = translator_for(request)
        return _error(request, 400, translate.gettext("Some parameters are not valid."), details)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        translate = translator_for(request)
        return _error(
            request, 500, translate.gettext("An unexpected error occurred; it was logged.")
        )
