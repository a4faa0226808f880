"""Read-your-writes across servers: a user's change is read back at once on whichever
server the load balancer sends their next request to, without sticky sessions.

After a request that wrote, the answer carries a cookie with where the primary's WAL then
stood (a number; nothing secret: a browser that raised it would only send its own reads
to the primary). Each request's reads go only to replicas that have replayed the position
its cookie names (`instance.replicas.WriteMark`). Installed only where there are read
replicas; a pure ASGI middleware, so that a request pays for it no more than a lookup.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from ..instance.replicas import WriteMark, marked
from .asgi import editing_headers

COOKIE = "written"
MAX_DIGITS = 20  # a WAL position in bytes fits a bigint
MAX_AGE = 3600  # seconds: by then any replica fit to read has long replayed it


class ReadYourWrites:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = position_in(scope)
        mark = WriteMark(seen)

        def set_cookie(headers: MutableHeaders) -> None:
            if mark.position > seen:
                secure = "; Secure" if scope.get("scheme") == "https" else ""
                headers.append(
                    "set-cookie",
                    f"{COOKIE}={mark.position}; Max-Age={MAX_AGE}; Path=/; HttpOnly; "
                    f"SameSite=Lax{secure}",
                )

        with marked(mark):
            await self.app(scope, receive, editing_headers(send, set_cookie))


def position_in(scope: Scope) -> int:
    """The WAL position the request's cookie names, or 0 (none, or not a number)."""
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(COOKIE, "")
            if found.isdigit() and len(found) <= MAX_DIGITS:
                return int(found)
    return 0
