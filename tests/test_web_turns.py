"""The routes that search take turns (web/turns.py): through the real app, concurrent
searches never run at once, and the other routes answer while one holds its turn."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from testimony_archive.access import Viewer
from testimony_archive.index import SearchRequest, SearchResult
from testimony_archive.web.turns import taking_turns

WAIT = 10.0  # seconds: far more than any step here takes, so a hang fails, not blocks


def test_searches_take_turns_while_other_routes_answer(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    search = service.search
    running = 0
    most_at_once = 0
    counting = threading.Lock()
    first_in = threading.Event()
    go_on = threading.Event()

    def watched(request: SearchRequest, viewer: Viewer, cache: bool = True) -> SearchResult:
        nonlocal running, most_at_once
        with counting:
            running += 1
            most_at_once = max(most_at_once, running)
        first_in.set()
        go_on.wait(WAIT)  # the first search holds its turn until the test lets it go
        try:
            result: SearchResult = search(request, viewer, cache=False)
            return result
        finally:
            with counting:
                running -= 1

    monkeypatch.setattr(service, "search", watched)
    paths = ["/search?q=torture", "/api/search?q=detention", "/search?q=migrants&unit=paragraph",
             "/api/search?q=extortion", "/search?q=deportation"]  # fmt: skip
    with ThreadPoolExecutor(len(paths) + 1) as pool:
        answers = [pool.submit(client.get, path) for path in paths]
        assert first_in.wait(WAIT)
        # One search holds its turn and the others wait for theirs; a page that does not
        # search is served meanwhile (from a worker thread, as before).
        signing_in = pool.submit(client.get, "/sign-in")
        assert signing_in.result(WAIT).status_code == 200
        assert running == 1
        go_on.set()
        statuses: list[Any] = [answer.result(WAIT).status_code for answer in answers]
    assert statuses == [200] * len(paths)
    assert most_at_once == 1


def test_a_route_without_the_service_is_refused_when_it_is_declared() -> None:
    def page(request: object) -> str:
        return "a page"

    with pytest.raises(TypeError, match="takes no `service`"):
        taking_turns(page)
