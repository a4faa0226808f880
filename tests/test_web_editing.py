"""Tag review and editing in the web pages, for signed-in editors, with CSRF."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.history import History
from testimony_archive.index import rebuild_index
from testimony_archive.web.app import create_app

from .conftest import add_user, instance_database, sign_in


@pytest.fixture
def editing_client(archive: Archive, settings: Settings) -> Iterator[TestClient]:
    rebuild_index(archive, settings.index_dir)
    add_user(settings, "reviewer.r", "editor")
    with TestClient(create_app(settings)) as client:
        sign_in(client, "reviewer.r")
        yield client


def token(client: TestClient, doc_id: str) -> str:
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the page has no CSRF token in its forms"
    return found.group(1)


def test_review_queue_lists_documents_with_suggestions(editing_client: TestClient) -> None:
    page = editing_client.get("/review")
    assert page.status_code == 200
    assert "/documents/t-en-001" in page.text and "/documents/r-en-003" in page.text
    anonymous = TestClient(editing_client.app).get("/review")
    assert "/documents/t-en-001" in anonymous.text and "r-es-004" not in anonymous.text


def test_accept_a_suggestion_then_add_a_paragraph_tag(
    editing_client: TestClient, settings: Settings
) -> None:
    csrf = token(editing_client, "r-en-003")
    page = editing_client.get("/documents/r-en-003")
    assert "(suggested)" in page.text and ">Accept<" in page.text
    response = editing_client.post(
        "/documents/r-en-003/tags",
        data={"csrf": csrf, "action": "accept", "value": "MX"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].endswith("#tags")
    document = Archive(settings.archive_dir).get("r-en-003")
    assert document.tags.locations == ("MX",) and document.suggested.locations == ()
    response = editing_client.post(
        "/documents/r-en-003/tags",
        data={"csrf": csrf, "action": "add", "value": "torture.deprivation", "para": "3"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert Archive(settings.archive_dir).get("r-en-003").segments[3].tags.abuse_types == (
        "torture.deprivation",
    )
    changes = History(instance_database(settings)).for_document("r-en-003")
    assert [(c.editor, c.action, c.value) for c in changes] == [
        ("reviewer.r", "accept", "MX"),
        ("reviewer.r", "add", "torture.deprivation"),
    ]
    page = editing_client.get("/documents/r-en-003")
    assert "Tag history" in page.text and "reviewer.r" in page.text
    found = editing_client.get("/api/search", params={"abuse_type": "torture.deprivation"})
    assert [hit["doc"] for hit in found.json()["results"]] == ["r-en-003"]


def test_forms_without_the_right_token_are_refused(
    editing_client: TestClient, settings: Settings
) -> None:
    token(editing_client, "t-en-001")
    for data in ({}, {"csrf": "x" * 43}):
        response = editing_client.post(
            "/documents/t-en-001/tags", data={"action": "add", "value": "police", **data}
        )
        assert response.status_code in (403, 422)
    assert Archive(settings.archive_dir).get("t-en-001").tags.perpetrators == ("immigration",)
    other = TestClient(editing_client.app)  # another browser: no cookie
    response = other.post(
        "/documents/t-en-001/tags",
        data={"csrf": token(editing_client, "t-en-001"), "action": "add", "value": "police"},
    )
    assert response.status_code == 403


def test_bad_tags_are_explained(editing_client: TestClient) -> None:
    csrf = token(editing_client, "t-en-001")
    response = editing_client.post(
        "/documents/t-en-001/tags", data={"csrf": csrf, "action": "add", "value": "nonsense"}
    )
    assert response.status_code == 400 and "unknown tag" in response.text


def test_only_editors_edit(editing_client: TestClient, settings: Settings) -> None:
    anonymous = TestClient(editing_client.app)
    page = anonymous.get("/documents/t-en-001")
    assert 'name="csrf"' not in page.text and '<form class="add-tag"' not in page.text
    response = anonymous.post(
        "/documents/t-en-001/tags", data={"csrf": "x", "action": "add", "value": "police"}
    )
    assert response.status_code == 403 and "editors and administrators" in response.text
    add_user(settings, "rita", "researcher")
    researcher = TestClient(editing_client.app)
    sign_in(researcher, "rita")
    page = researcher.get("/documents/t-en-001")
    assert '<form class="add-tag"' not in page.text and "/sign-out" in page.text
    csrf = token(researcher, "t-en-001")
    response = researcher.post(
        "/documents/t-en-001/tags", data={"csrf": csrf, "action": "add", "value": "police"}
    )
    assert response.status_code == 403
    assert Archive(settings.archive_dir).get("t-en-001").tags.perpetrators == ("immigration",)


def test_suggestions_show_the_words_that_led_to_them(
    editing_client: TestClient, settings: Settings
) -> None:
    from testimony_archive.tag_editing import TagEditor

    editor = TagEditor(Archive(settings.archive_dir), History(instance_database(settings)), "x")
    editor.change("t-en-001", "suggest", ["torture.electric-shock"], 3)
    page = editing_client.get("/documents/t-en-001")
    assert "(suggested: “shocked" in page.text or "(suggested: “taser" in page.text


def test_confirmed_only_switch(editing_client: TestClient) -> None:
    every = editing_client.get("/api/search", params={"location": "MX"}).json()["total"]
    confirmed = editing_client.get("/api/search", params={"location": "MX", "confirmed": "true"})
    assert confirmed.json()["total"] < every  # r-en-003's country is only suggested
    page = editing_client.get("/search", params={"location": "MX"})
    assert "confirmed=true" in page.text and "Confirmed tags only" in page.text
