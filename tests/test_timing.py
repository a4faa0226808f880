"""A restricted document does not exist for anonymous visitors, in the time an answer
takes too: the answers for a restricted id and for an id nobody has are byte for byte the
same (the id swapped), with the same headers, and take the same time.

Times are medians of many requests made in turns (restricted, unknown, unknown,
restricted, ...) after a warm-up, in process, so that what the machine does meanwhile
falls on both alike.
"""

from __future__ import annotations

import statistics
import time

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from .conftest import REPO

RESTRICTED = "mx-chis-2017-0009"  # access: restricted in the sample archive
UNKNOWN = "mx-chis-2099-0999"  # as long as the restricted id; no document has it
assert len(RESTRICTED) == len(UNKNOWN)
URLS = ["/documents/{id}", "/api/documents/{id}", "/api/documents/{id}/paragraphs/1"]
WARM_UP = 20
ROUNDS = 200
TOLERANCE = 0.20


def headers(response: Response) -> list[tuple[str, str]]:
    return [(name.lower(), value) for name, value in response.headers.multi_items()]


def timed(client: TestClient, url: str) -> tuple[float, Response]:
    started = time.perf_counter()
    response = client.get(url)
    return time.perf_counter() - started, response


def test_the_sample_archive_has_the_restricted_document_and_not_the_unknown_one() -> None:
    documents = REPO / "archive" / "documents"
    assert "\naccess: restricted\n" in next(documents.rglob(f"{RESTRICTED}.md")).read_text()
    assert not list(documents.rglob(f"{UNKNOWN}.md"))


@pytest.mark.parametrize("template", URLS)
def test_a_restricted_id_answers_as_an_unknown_one_and_as_fast(
    client: TestClient, template: str
) -> None:
    restricted, unknown = template.format(id=RESTRICTED), template.format(id=UNKNOWN)
    for _ in range(WARM_UP):
        client.get(restricted)
        client.get(unknown)
    times: dict[str, list[float]] = {restricted: [], unknown: []}
    for turn in range(ROUNDS):
        order = (restricted, unknown) if turn % 2 else (unknown, restricted)
        for url in order:
            took, response = timed(client, url)
            times[url].append(took)
            assert response.status_code == 404
    medians = {url: statistics.median(values) for url, values in times.items()}
    slower, faster = max(medians.values()), min(medians.values())
    print(
        f"\n{template}: restricted {medians[restricted] * 1000:.2f} ms, "
        f"unknown {medians[unknown] * 1000:.2f} ms (median of {ROUNDS})"
    )
    assert slower <= faster * (1 + TOLERANCE), medians

    hidden, missing = client.get(restricted), client.get(unknown)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content.replace(UNKNOWN.encode(), RESTRICTED.encode())
    assert headers(hidden) == [
        (name, value.replace(UNKNOWN, RESTRICTED)) for name, value in headers(missing)
    ]
