"""The routes that search take turns: on an index in this process, one at a time.

Their work (scoring, highlighting, building and rendering the page) is Python that holds
the interpreter lock. Two threads at it are not faster but slower: each hands the lock to
the other whenever numpy lets it go, and waits to get it back. Under 16 connections of
new searches, one at a time served 30 to 70 % more pages a second than two threads, with
a lower p95. A request waits for its turn on the event loop, not in a worker thread, so
the other routes (signing in, imports, exports) keep the worker threads and run beside
a search. Searches on PostgreSQL mostly wait for the database, and overlap as before.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Request

from ..service import SearchService

P = ParamSpec("P")
R = TypeVar("R")


def taking_turns(route: Callable[P, R]) -> Callable[P, Coroutine[Any, Any, R]]:
    """A route that searches, run in a worker thread when its turn comes. The route
    takes `request` and `service` (FastAPI passes them by name)."""

    @functools.wraps(route)
    async def in_turn(*args: P.args, **kwargs: P.kwargs) -> R:
        request = kwargs["request"]
        service = kwargs["service"]
        assert isinstance(request, Request) and isinstance(service, SearchService)
        turns = _turns(request) if service.in_process else None
        return await anyio.to_thread.run_sync(functools.partial(route, *args, **kwargs),
                                              limiter=turns)  # fmt: skip

    return in_turn


def _turns(request: Request) -> CapacityLimiter:
    """The app's one turn, made on first use in the event loop that serves it (a limiter
    belongs to one loop; tests run an app in several)."""
    loop = asyncio.get_running_loop()
    held: tuple[asyncio.AbstractEventLoop, CapacityLimiter] | None = getattr(
        request.app.state, "turns", None
    )
    if held is None or held[0] is not loop:
        held = request.app.state.turns = (loop, CapacityLimiter(1))
    return held[1]
