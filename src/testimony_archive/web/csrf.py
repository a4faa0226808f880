"""Protection against cross-site request forgery for every state-changing form.

A random token lives in a strict same-site, HTTP-only cookie and is repeated in a
hidden field of each form; a POST is accepted only when both are present and equal.
"""

from __future__ import annotations

import secrets

from fastapi import Request, Response

from ..errors import TestimonyError
from ..i18n import N_

COOKIE = "csrf"


class CsrfRejected(TestimonyError):
    status_code = 403
    exit_code = 2


def csrf_token(request: Request) -> str:
    """The request's token (new if it has none); `remember` stores it in the response."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) < 32:
        token = secrets.token_urlsafe(32)
    request.state.csrf_token = token
    return token


def remember(request: Request, response: Response) -> None:
    token = getattr(request.state, "csrf_token", None)
    if token and request.cookies.get(COOKIE) != token:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)


def check(request: Request, submitted: str) -> None:
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or not submitted or not secrets.compare_digest(cookie, submitted):
        raise CsrfRejected(
            N_("This form has expired or did not come from this site; reload the page and try "
               "again.")
        )  # fmt: skip
