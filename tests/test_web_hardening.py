"""What every response carries and every request may not exceed: security headers, the
request body limit, and no caching of what a signed-in user was shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from testimony_archive.web.limits import MAX_BODY_BYTES


def test_security_headers_on_pages_api_errors_and_static(client: TestClient) -> None:
    for path in ("/search", "/api/search?q=x", "/documents/no-such-doc", "/static/style.css",
                 "/sign-in"):  # fmt: skip
        headers = client.get(path).headers
        assert headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["vary"] == "Cookie", path


def test_no_response_to_a_session_is_kept_by_the_browser(client: TestClient) -> None:
    anonymous = client.get("/search?q=golpes")
    assert "cache-control" not in anonymous.headers
    with TestClient(client.app, cookies={"session": "x" * 43}) as with_session:
        for path in ("/api/search?q=golpes", "/search", "/documents/no-such-doc"):
            assert with_session.get(path).headers["cache-control"] == "no-store", path


@pytest.fixture
def fresh(client: TestClient) -> Iterator[TestClient]:
    with TestClient(client.app) as other:
        yield other


def test_request_bodies_are_capped_declared_or_streamed(fresh: TestClient) -> None:
    big = b"name=" + b"a" * (MAX_BODY_BYTES + 1)
    response = fresh.post(
        "/sign-in", content=big, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413 and "larger than this server accepts" in response.text
    assert response.headers["referrer-policy"] == "no-referrer"  # on this answer too

    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 4096 + 2):
            yield b"a" * 4096

    streamed = fresh.post(
        "/sign-in", content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert streamed.status_code == 413
    small = fresh.post("/sign-in", data={"name": "x", "password": "y", "csrf": "z"})
    assert small.status_code == 403  # read, and refused for its missing CSRF cookie
