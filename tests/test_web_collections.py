"""Collections, exports and verification through the real app over HTTP (no script):
the form with paragraph and character fields, duplicates, renaming and deleting, every
download, a search's results exported, uploads that are not what the page asks for."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from testimony_archive.config import Settings
from testimony_archive.excerpts import parse_document
from testimony_archive.web.app import create_app
from testimony_archive.web.limits import MAX_UPLOAD_BYTES

from .conftest import add_user, sign_in

DOC = "mx-chis-2014-0001"
OTHER = "mx-rpt-2017-01"


@pytest.fixture(scope="module")
def lawyer(web_settings: Settings) -> Iterator[TestClient]:
    add_user(web_settings, "lucia", "researcher")
    with TestClient(create_app(web_settings)) as client:
        sign_in(client, "lucia")
        yield client


def token(client: TestClient, path: str = "/collections") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def new_collection(client: TestClient, name: str, *places: str) -> int:
    response = client.post("/collections/add", data={
        "place": list(places), "new_name": name, "csrf": token(client)},
        follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[2].split("?")[0])


def test_characters_typed_by_hand_collect_exactly_those_words(lawyer: TestClient) -> None:
    chooser = lawyer.post("/collections/collect", data={
        "doc": DOC, "para": "4", "chars": "45-66", "csrf": token(lawyer)})  # fmt: skip
    assert chooser.status_code == 200
    assert f'value="{DOC}:4:45-66"' in chooser.text
    number = new_collection(lawyer, "Typed by hand", f"{DOC}:4:45-66")
    page = lawyer.get(f"/collections/{number}").text
    assert "<p>agarraron dos policías</p>" in page and "¶4, characters 45–66" in page
    assert "#p4:~:text=agarraron%20dos%20polic%C3%ADas" in page  # the citation's link


def test_duplicates_are_refused_and_said(lawyer: TestClient) -> None:
    number = new_collection(lawyer, "No twice", f"{DOC}:2", f"{DOC}:3")
    response = lawyer.post("/collections/add", data={
        "place": [f"{DOC}:3", f"{DOC}:4"], "collection": str(number), "csrf": token(lawyer)},
        follow_redirects=True)  # fmt: skip
    assert "1 excerpt added." in response.text
    assert "1 was in the collection already." in response.text
    assert response.text.count('class="excerpt"') == 3


def test_a_place_the_document_does_not_have_is_named(lawyer: TestClient) -> None:
    chooser = lawyer.post("/collections/collect", data={
        "place": [f"{DOC}:99", f"{DOC}:2"], "csrf": token(lawyer)})  # fmt: skip
    assert f"{DOC}:99: {DOC} has 6 paragraphs; there is no ¶99" in chooser.text
    assert f'value="{DOC}:2"' in chooser.text
    nothing = lawyer.post("/collections/collect", data={"csrf": token(lawyer)})
    assert nothing.status_code == 400 and "Tick at least one paragraph" in nothing.text


def test_rename_delete_and_another_users_collections(
    lawyer: TestClient, web_settings: Settings
) -> None:
    number = new_collection(lawyer, "Old name", f"{DOC}:1")
    lawyer.post(f"/collections/{number}/rename", data={"name": "New name", "csrf": token(lawyer)})
    assert "<h1>New name</h1>" in lawyer.get(f"/collections/{number}").text
    add_user(web_settings, "otto", "researcher")
    with TestClient(lawyer.app) as other:
        sign_in(other, "otto")
        assert other.get(f"/collections/{number}").status_code == 404
        assert "New name" not in other.get("/collections").text
    lawyer.post(f"/collections/{number}/delete", data={"csrf": token(lawyer)})
    assert lawyer.get(f"/collections/{number}").status_code == 404


def test_every_download_names_itself_and_holds_the_quotes(lawyer: TestClient) -> None:
    number = new_collection(lawyer, "Downloads", f"{DOC}:4", f"{OTHER}:2")
    quote = "Throughout 2016, shelters in the network recorded accounts"
    for format, kind in (("docx", "wordprocessingml"), ("pdf", "application/pdf"),
                         ("csv", "text/csv"), ("json", "application/json"),
                         ("md", "text/markdown"), ("bundle", "application/zip")):  # fmt: skip
        response = lawyer.get(f"/collections/{number}/export/{format}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert response.headers["content-disposition"].startswith("attachment; filename=")
        assert response.headers["cache-control"] == "no-store"
        if format == "csv":
            rows = list(csv.DictReader(io.StringIO(response.text)))
            assert [row["doc"] for row in rows] == [DOC, OTHER]
        if format == "json":
            excerpts = parse_document(response.json())
            assert excerpts[1].text.startswith(quote)
        if format == "bundle":
            names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
            assert any(name.endswith(f"data/documents/{DOC}.as-shown.md") for name in names)
    assert lawyer.get(f"/collections/{number}/export/exe").status_code == 404


def test_a_search_is_exported_with_its_best_paragraphs(lawyer: TestClient) -> None:
    response = lawyer.get("/search/export/json", params={"q": "tren Arriaga",
                                                         "location": "MX-CHP"})  # fmt: skip
    data = response.json()
    assert data["title"] == "Search: tren Arriaga" and "MX-CHP" in data["description"]
    assert data["excerpts"] and all(e["paras"][0] == e["paras"][1] for e in data["excerpts"])
    page = lawyer.get("/search", params={"q": "tren", "unit": "paragraph"}).text
    assert 'href="/search/export/docx?q=tren&amp;unit=paragraph"' in page


def test_uploads_that_are_not_excerpts_are_refused_with_what_to_send(
    lawyer: TestClient,
) -> None:
    def send(name: str, data: bytes) -> tuple[int, str]:
        files = {"bundle": (name, data, "application/octet-stream")}
        response = lawyer.post("/verify", data={"csrf": token(lawyer, "/verify")}, files=files)
        return response.status_code, response.text

    status, text = send("notes.txt", b"hello")
    assert status == 400 and "(.json) or an evidence bundle (.zip)" in text
    status, text = send("x.json", b"{not json")
    assert status == 400 and 'class="note error"' in text
    status, text = send("x.json", json.dumps({"format": "other"}).encode())
    assert status == 400 and "not an excerpts document" in text
    status, _text = send("big.zip", b"0" * (MAX_UPLOAD_BYTES + 1))
    assert status == 413
    no_token = lawyer.post("/verify", files={"bundle": ("x.json", b"{}", "application/json")})
    assert no_token.status_code == 403


def test_the_pages_speak_spanish(lawyer: TestClient) -> None:
    number = new_collection(lawyer, "En español", f"{DOC}:4")
    page = lawyer.get(f"/collections/{number}", params={"lang": "es"}).text
    assert "párr. 4" in page and "Descargar" in page and "Paquete de pruebas" in page
    assert "Verificar extractos" in lawyer.get("/verify", params={"lang": "es"}).text


def test_a_next_address_elsewhere_is_never_offered_back(lawyer: TestClient) -> None:
    for number, elsewhere in enumerate(("/\\evil.example", "//evil.example/x",
                                        "https://evil.example/", "/\tevil")):  # fmt: skip
        response = lawyer.post("/collections/add", data={
            "place": f"{DOC}:5", "new_name": f"next {number}", "next": elsewhere,
            "csrf": token(lawyer)}, follow_redirects=False)  # fmt: skip
        assert response.status_code == 303 and "back=" not in response.headers["location"]
        chooser = lawyer.post("/collections/collect", data={
            "place": f"{DOC}:5", "next": elsewhere, "csrf": token(lawyer)})  # fmt: skip
        assert "evil" not in chooser.text


def test_a_link_on_another_site_cannot_make_an_export(lawyer: TestClient) -> None:
    number = new_collection(lawyer, "Cross-site", f"{DOC}:3")
    url = f"/collections/{number}/export/csv"
    assert lawyer.get(url, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert lawyer.get("/search/export/csv?q=tren",
                      headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403  # fmt: skip
    for same in ("same-origin", "none"):
        assert lawyer.get(url, headers={"Sec-Fetch-Site": same}).status_code == 200


def test_search_results_carry_a_tick_box_per_paragraph_for_who_may_collect(
    lawyer: TestClient, web_settings: Settings
) -> None:
    page = lawyer.get("/search", params={"q": "police"}).text
    ticks = re.findall(
        r'<label class="collect-tick"><input type="checkbox" form="collect" name="place" '
        r'value="([a-z0-9._-]+):(\d+)"> [^<]+ ¶(\d+)</label>',  # "Collect", "Recopilar"
        page,
    )
    assert ticks, "a researcher's results can be collected"
    assert all(number == again for _doc, number, again in ticks)
    assert len(ticks) == page.count('class="snippet"')  # one per paragraph shown
    with TestClient(create_app(web_settings)) as anonymous:
        shown = anonymous.get("/search", params={"q": "police"}).text
    assert 'class="snippet"' in shown
    assert "collect-tick" not in shown and 'form="collect"' not in shown
