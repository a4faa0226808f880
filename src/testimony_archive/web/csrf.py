"""Protection against cross-site request forgery for every state-changing form.

Each form carries a token in a hidden field, and a POST is accepted only with the right
one, and only from a page of this site (a browser's `Origin` and `Sec-Fetch-Site` say
where a form was sent from, and another site's page is refused even with a token).

- For a signed-in user (a live session), the token is derived from the session's secret
  token (which never leaves the HttpOnly session cookie): no one else can know or choose
  it, and it ends with the session. A session cookie that names no live session counts
  for nothing here.
- Before signing in (the sign-in form itself), it is a random value kept in a strict
  same-site, HTTP-only cookie and repeated in the form: both must be there and equal.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request, Response

from ..errors import TestimonyError
from ..i18n import N_
from .session_cookie import session_token

COOKIE = "csrf"
REFUSED = N_("This form has expired or did not come from this site; reload the page and try again.")


class CsrfRejected(TestimonyError):
    status_code = 403
    exit_code = 2


def _of_session(session: str) -> str:
    return hmac.new(session.encode(), b"csrf form token", hashlib.sha256).hexdigest()


def _live_session(request: Request) -> str | None:
    """The request's session token, if it is a live session's (a made-up cookie is not)."""
    token = session_token(request)
    if token and request.app.state.accounts.session(token) is not None:
        return token
    return None


def csrf_token(request: Request) -> str:
    """The token the request's forms carry; `remember` stores a new cookie one."""
    session = _live_session(request)
    if session:
        return _of_session(session)
    token = request.cookies.get(COOKIE)
    if not token or len(token) < 32:
        token = secrets.token_urlsafe(32)
    request.state.csrf_token = token
    return token


def remember(request: Request, response: Response) -> None:
    token = getattr(request.state, "csrf_token", None)
    if token and request.cookies.get(COOKIE) != token:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600,
                            secure=request.url.scheme == "https")  # fmt: skip


def check(request: Request, submitted: str) -> None:
    if not _from_this_site(request):
        raise CsrfRejected(REFUSED)
    session = _live_session(request)
    expected = _of_session(session) if session else request.cookies.get(COOKIE, "")
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise CsrfRejected(REFUSED)


async def same_site_only(request: Request) -> None:
    """For the downloads that record an export: a link on another site must not make a
    signed-in user's browser export (and fill the audit trail). Browsers say where a
    request comes from (Sec-Fetch-Site); one typed in the address bar says "none"."""
    if request.headers.get("sec-fetch-site", "none") not in ("same-origin", "none"):
        raise CsrfRejected(REFUSED)


def _from_this_site(request: Request) -> bool:
    """What the browser says of where the form was sent from, where it says anything."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":  # our no-referrer policy makes it "null"
        return True
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)
