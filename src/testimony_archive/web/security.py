"""Security headers on every response: nothing loads from another host, no inline
script, no framing, no referrer leaks of search terms."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from .asgi import editing_headers
from .session_cookie import COOKIE as SESSION_COOKIE

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds `HEADERS` to every answer (a plain ASGI middleware: Starlette's
    `BaseHTTPMiddleware` would pass each answer through a task and a stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        signed_in = _has_session_cookie(scope)

        def add(headers: MutableHeaders) -> None:
            for name, value in HEADERS.items():
                headers.setdefault(name, value)
            headers["Vary"] = "Cookie"  # what a page shows depends on who asks
            if signed_in:
                # Nothing a signed-in user was shown is kept by the browser or a proxy:
                # after signing out, the back button must not show it again.
                headers["Cache-Control"] = "no-store"

        await self.app(scope, receive, editing_headers(send, add))


def _has_session_cookie(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"cookie" and SESSION_COOKIE in cookie_parser(value.decode("latin-1")):
            return True
    return False
