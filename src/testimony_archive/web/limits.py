"""A limit on the size of request bodies, so that no request can make the server read
(and hold) more than a form ever needs. Checked on the declared length before anything is
read, and on the bytes as they arrive for bodies sent without one."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024  # the largest form here (a password, a reason) is a few KB
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # an evidence bundle sent to be verified
MAX_IMPORT_BYTES = 50 * 1024 * 1024  # the files an editor sends to be imported, in all
# the only routes that take more than a form
UPLOADS = {"/verify": MAX_UPLOAD_BYTES, "/import": MAX_IMPORT_BYTES}


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(
        self, app: ASGIApp, limit: int = MAX_BODY_BYTES, uploads: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.default = limit
        self.uploads = UPLOADS if uploads is None else uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope["path"], self.default)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, limit)
            return
        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not started:  # the answer is ours; whatever the app says is dropped
                        refused = True
                        await _refuse(send, limit)
                    raise BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            pass  # answered already


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {"error": f"The request is larger than this server accepts ({limit // 1024} KB).",
         "details": []}  # fmt: skip
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
