"""The routes that search take turns: on an index in this process, one at a time.

Their work (scoring, highlighting, building and rendering the page) is Python that holds
the interpreter lock. Two threads at it are not faster but slower: each hands the lock to
the other whenever numpy lets it go, and waits to get it back. Under 16 connections of
new searches, one at a time served 30 to 70 % more pages a second than two threads, with
a lower p95. A request waits for its turn on the event loop, not in a worker thread, so
the other routes (signing in, imports, exports) keep the worker threads and run beside
a search (an export's search among them: a long document made in a turn would hold
every search up). Searches on PostgreSQL mostly wait for the database, and overlap as
before. The turn is the event loop's: a server process runs one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar

from ..service import SearchService

P = ParamSpec("P")
R = TypeVar("R")
_TURN: RunVar[CapacityLimiter] = RunVar("search_turn")


def taking_turns(route: Callable[P, R]) -> Callable[P, Coroutine[Any, Any, R]]:
    """A route that searches, run in a worker thread when its turn comes. The route
    takes the `service` (FastAPI passes it by name)."""
    if "service" not in inspect.signature(route).parameters:
        raise TypeError(f"{route.__name__} takes no `service`: it cannot take turns")

    @functools.wraps(route)
    async def in_turn(*args: P.args, **kwargs: P.kwargs) -> R:
        service = kwargs["service"]
        assert isinstance(service, SearchService)
        turn = _turn() if service.in_process else None
        return await anyio.to_thread.run_sync(functools.partial(route, *args, **kwargs),
                                              limiter=turn)  # fmt: skip

    return in_turn


def _turn() -> CapacityLimiter:
    """The event loop's one turn, made on first use (a limiter belongs to one loop)."""
    try:
        return _TURN.get()
    except LookupError:
        turn = CapacityLimiter(1)
        _TURN.set(turn)
        return turn
