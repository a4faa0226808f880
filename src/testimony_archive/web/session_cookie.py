"""The session cookie: a random token (its SHA-256 is the server-side session's key),
HttpOnly, SameSite=Lax, Secure whenever the page came over HTTPS; and where a request
comes from, for the audit trail and sign-in throttling.

Behind a reverse proxy that terminates HTTPS, uvicorn takes the scheme and the client's
address from X-Forwarded-Proto and X-Forwarded-For when the proxy is trusted
(`testimony serve --forwarded-allow-ips`), so that the cookie is marked Secure there too.
"""

from __future__ import annotations

import ipaddress

from fastapi import Request, Response

from ..errors import TestimonyError

COOKIE = "session"


class SignInRequired(TestimonyError):
    """The server is closed to visitors who have not signed in, or the page is a
    signed-in user's own (pages send the visitor to sign in; the API answers 401)."""

    status_code = 401
    exit_code = 2


def session_token(request: Request) -> str | None:
    """The request's session token: the one a route has just set (a renewed session: the
    page it renders is already the new session's), or the cookie's."""
    renewed: str | None = getattr(request.state, "renewed_session", None)
    token = renewed or request.cookies.get(COOKIE)
    return token if token and len(token) <= 100 else None


def client_address(request: Request) -> str:
    """The client's IP address (from X-Forwarded-For where the proxy is trusted), or
    "unknown": never text a request made up."""
    host = request.client.host if request.client else ""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return "unknown"


def renewed(request: Request, token: str) -> None:
    """From now on in this request, the session is the one of `token` (its forms, say)."""
    request.state.renewed_session = token


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    renewed(request, token)
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )
