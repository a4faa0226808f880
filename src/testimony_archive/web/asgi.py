"""What the plain ASGI middlewares share: a `send` that lets them edit an answer's headers
before it goes out."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Send


def editing_headers(send: Send, edit: Callable[[MutableHeaders], None]) -> Send:
    """`send`, with `edit` applied to the headers of the answer's start."""

    async def send_edited(message: Message) -> None:
        if message["type"] == "http.response.start":
            edit(MutableHeaders(scope=message))
        await send(message)

    return send_edited
