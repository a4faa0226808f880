"""Importing through the web page: editors send files, which go through the same
all-or-nothing import as `testimony import`, and get its report, every file named as it
was sent (never by the server's temporary path)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.errors import NotFound
from testimony_archive.index import rebuild_index
from testimony_archive.web import limits
from testimony_archive.web.app import create_app
from testimony_archive.web.routes import importing
from testimony_archive.web.uploads import UploadTooLarge, safe_name, save_uploads

from .conftest import add_user, sign_in

WORD = "Zacatepec"  # in the uploaded JSONL record only
MD_WORD = "Tuxtlapan"  # in the uploaded Markdown file only
GOOD_RECORD = {
    "id": "web-imp-001", "kind": "testimony", "language": "en", "date": "2020-02-02",
    "title": "Crossed the river at night",
    "text": f"We crossed the river on a raft at night, near {WORD}.\n\n"
            "The men on the other bank took our money.",
}  # fmt: skip
GOOD_JSONL = (json.dumps(GOOD_RECORD) + "\n").encode()
GOOD_MD = (
    "---\nid: web-imp-002\nkind: testimony\ntitle: Held in a warehouse\nlanguage: en\n"
    f"date: 2019-07-01\n---\nThey kept us in a warehouse outside {MD_WORD} for a week.\n\n"
    "Then they let us go.\n"
).encode()
BAD_JSONL = b'{"id": "web-imp-003", "kind": "testimony", "title": "Cut short"\n'


@pytest.fixture
def app(archive: Archive, settings: Settings) -> Iterator[FastAPI]:
    rebuild_index(archive, settings.index_dir)
    add_user(settings, "eda", "editor")
    add_user(settings, "rosa", "researcher")
    application = create_app(settings)
    with TestClient(application):  # the app's lifespan, once
        yield application


@pytest.fixture
def editor(app: FastAPI) -> TestClient:
    client = TestClient(app)
    sign_in(client, "eda")
    return client


def token(client: TestClient) -> str:
    page = client.get("/import")
    assert page.status_code == 200, page.text[:300]
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the import page has no CSRF token"
    return found.group(1)


def send(
    client: TestClient, files: list[tuple[str, bytes]], csrf: str | None = "", **form: str
) -> Response:
    """POST the files to /import with the client's own token ("") or none (None)."""
    data = dict(form)
    if csrf is not None:
        data["csrf"] = csrf or token(client)
    parts = [("files", (name, io.BytesIO(body), "application/octet-stream"))
             for name, body in files]  # fmt: skip
    return client.post("/import", data=data, files=parts, follow_redirects=False)


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under the folder, by its path, with its sha256."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def in_archive(settings: Settings, doc: str) -> bool:
    try:
        Archive(settings.archive_dir).get(doc)
    except NotFound:
        return False
    return True


def found_by_search(client: TestClient, word: str) -> list[str]:
    response = client.get("/api/search", params={"q": word})
    assert response.status_code == 200
    return [hit["doc"] for hit in response.json()["results"]]


def no_server_paths(text: str) -> None:
    assert "testimony-import-" not in text
    assert tempfile.gettempdir() not in text


def test_an_editor_imports_a_jsonl_and_a_markdown_file(
    editor: TestClient, settings: Settings
) -> None:
    assert found_by_search(editor, WORD) == []
    response = send(editor, [("new-records.jsonl", GOOD_JSONL), ("warehouse.md", GOOD_MD)])
    assert response.status_code == 200, response.text[:500]
    page = response.text
    assert "Imported 2, skipped 0 (already archived), refused 0." in page
    assert "<td>new-records.jsonl</td>" in page and "<td>warehouse.md</td>" in page
    assert "The search index was updated: 2 added." in page
    no_server_paths(page)
    assert in_archive(settings, "web-imp-001") and in_archive(settings, "web-imp-002")
    assert found_by_search(editor, WORD) == ["web-imp-001"]
    assert found_by_search(TestClient(editor.app), MD_WORD) == ["web-imp-002"]  # anyone's
    again = send(editor, [("new-records.jsonl", GOOD_JSONL)])  # the same file again
    assert again.status_code == 200
    assert "Imported 0, skipped 1 (already archived), refused 0." in again.text


def test_a_dry_run_writes_nothing(editor: TestClient, settings: Settings) -> None:
    before = fingerprint(settings.archive_dir)
    response = send(editor, [("new-records.jsonl", GOOD_JSONL)], dry_run="true")
    assert response.status_code == 200
    assert "Dry run: 1 new, 0 already archived, 0 refused. Nothing was written." in response.text
    assert fingerprint(settings.archive_dir) == before
    assert found_by_search(editor, WORD) == []


def test_a_bad_file_beside_a_good_one_writes_nothing(
    editor: TestClient, settings: Settings
) -> None:
    before = fingerprint(settings.archive_dir)
    response = send(editor, [("good.jsonl", GOOD_JSONL), ("cut-short.jsonl", BAD_JSONL)])
    assert response.status_code == 422
    page = response.text
    assert "Nothing was imported: 1 new, 0 already archived, 1 refused." in page
    refusals = re.findall(r'<ul class="refusals">(.*?)</ul>', page, re.S)
    assert len(refusals) == 1 and "<li>cut-short.jsonl:1: invalid JSON" in refusals[0]
    no_server_paths(page)
    assert fingerprint(settings.archive_dir) == before
    assert not in_archive(settings, "web-imp-001")


def test_the_valid_records_are_imported_when_asked_even_if_some_are_refused(
    editor: TestClient, settings: Settings
) -> None:
    response = send(editor, [("good.jsonl", GOOD_JSONL), ("cut-short.jsonl", BAD_JSONL)],
                    skip_invalid="true")  # fmt: skip
    assert response.status_code == 422  # something was refused, all the same
    assert "Imported 1, skipped 0 (already archived), refused 1." in response.text
    assert "<li>cut-short.jsonl:1: invalid JSON" in response.text
    assert in_archive(settings, "web-imp-001") and not in_archive(settings, "web-imp-003")
    assert found_by_search(editor, WORD) == ["web-imp-001"]


def test_without_the_csrf_token_nothing_is_read_or_written(
    editor: TestClient, settings: Settings
) -> None:
    before = fingerprint(settings.archive_dir)
    for sent in (None, "x" * 43):
        response = send(editor, [("new-records.jsonl", GOOD_JSONL)], csrf=sent)
        assert response.status_code == 403
    response = editor.post("/import", data={"csrf": token(editor)},
                           files=[("files", ("a.jsonl", GOOD_JSONL))],
                           headers={"origin": "https://evil.example"})  # fmt: skip
    assert response.status_code == 403
    assert fingerprint(settings.archive_dir) == before


def test_an_upload_over_the_limit_is_refused(
    editor: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(settings.archive_dir)
    csrf = token(editor)
    # the limit on the whole request, before the route reads anything
    monkeypatch.setitem(limits.UPLOADS, "/import", 4096)
    response = send(editor, [("big.jsonl", GOOD_JSONL * 40)], csrf=csrf)
    assert response.status_code == 413
    monkeypatch.setitem(limits.UPLOADS, "/import", limits.MAX_IMPORT_BYTES)
    # and the route's own, on the bytes it copies
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", len(GOOD_JSONL) * 2)
    response = send(editor, [("a.jsonl", GOOD_JSONL), ("b.jsonl", GOOD_JSONL * 2)], csrf=csrf)
    assert response.status_code == 413
    assert "The files are larger than this server accepts" in response.text
    assert fingerprint(settings.archive_dir) == before


def test_the_form_works_without_scripts_and_states_the_limit(editor: TestClient) -> None:
    page = editor.get("/import").text
    form = re.search(r'<form class="stacked import-form".*?</form>', page, re.S)
    assert form is not None
    assert 'method="post" action="/import" enctype="multipart/form-data"' in form.group(0)
    assert ('<input id="files" name="files" type="file" multiple '
            'accept=".jsonl,.csv,.md,.txt,.docx,.pdf" required>') in form.group(0)  # fmt: skip
    assert 'name="encoding" value="utf-8"' in form.group(0)
    assert 'name="dry_run"' in form.group(0) and 'name="skip_invalid"' in form.group(0)
    assert "Files (at most 50 MB in all)" in form.group(0)
    assert limits.UPLOADS["/import"] == limits.MAX_IMPORT_BYTES == 50 * 2**20
    assert editor.get("/import").headers["cache-control"] == "no-store"


def test_anonymous_visitors_and_researchers_get_no_form(
    app: FastAPI, editor: TestClient, settings: Settings
) -> None:
    before = fingerprint(settings.archive_dir)
    anonymous = TestClient(app)
    response = anonymous.get("/import", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fimport"
    response = send(anonymous, [("new-records.jsonl", GOOD_JSONL)], csrf=None)
    assert response.status_code == 401
    researcher = TestClient(app)
    sign_in(researcher, "rosa")
    response = researcher.get("/import")
    assert response.status_code == 403 and 'action="/import"' not in response.text
    assert 'href="/import"' not in researcher.get("/search").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', researcher.get("/account").text)
    assert csrf is not None
    response = send(researcher, [("new-records.jsonl", GOOD_JSONL)], csrf=csrf.group(1))
    assert response.status_code == 403
    assert fingerprint(settings.archive_dir) == before
    assert 'href="/import"' in editor.get("/search").text


def test_a_file_name_with_folders_is_saved_under_a_safe_name(
    editor: TestClient, settings: Settings
) -> None:
    escaped = Path(tempfile.gettempdir()) / "evil-upload.txt"
    assert not escaped.exists()
    response = send(editor, [("../../evil-upload.txt", b"A testimony sent with a path.\n")])
    assert response.status_code == 200, response.text[:500]
    assert not escaped.exists()
    assert "<td>../../evil-upload.txt</td>" in response.text  # named as it was sent
    document = Archive(settings.archive_dir).get("evil-upload")  # the id: the safe name's
    assert document.title == "evil-upload"
    no_server_paths(response.text)


def test_two_files_of_the_same_name_are_both_read(editor: TestClient, settings: Settings) -> None:
    response = send(editor, [("account.txt", b"The first text.\n"),
                             ("account.txt", b"Another text.\n")])  # fmt: skip
    assert response.status_code == 422  # one id, two texts: refused, not overwritten
    assert response.text.count("<td>account.txt</td>") == 2
    assert "also given at account.txt with a different text" in response.text
    assert not in_archive(settings, "account")


def test_an_unknown_encoding_or_no_file_is_a_bad_request(editor: TestClient) -> None:
    response = send(editor, [("new-records.jsonl", GOOD_JSONL)], encoding="klingon-8")
    assert response.status_code == 400
    assert "unknown text encoding &#39;klingon-8&#39;" in response.text
    assert 'value="klingon-8"' in response.text  # the form keeps what was sent
    response = send(editor, [])
    assert response.status_code == 400 and "Choose at least one file to import." in response.text
    # what a browser sends when no file was chosen: a file part with no name and no bytes
    body = (
        f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token(editor)}\r\n'
        '--b\r\nContent-Disposition: form-data; name="files"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n"
    ).encode()
    response = editor.post("/import", content=body,
                           headers={"content-type": "multipart/form-data; boundary=b"})  # fmt: skip
    assert response.status_code == 400 and "Choose at least one file to import." in response.text


def test_a_cp1252_file_is_read_with_its_encoding(editor: TestClient, settings: Settings) -> None:
    text = "Nos llevaron a la estación de Tapachula.\n".encode("cp1252")
    assert send(editor, [("estacion.txt", text)], dry_run="true").status_code == 422
    response = send(editor, [("estacion.txt", text)], encoding="cp1252")
    assert response.status_code == 200
    assert "estación" in Archive(settings.archive_dir).get("estacion").body


def test_the_page_speaks_spanish(editor: TestClient) -> None:
    page = editor.get("/import", params={"lang": "es"}).text
    assert "Importar documentos" in page and "Solo revisar" in page
    response = send(editor, [("new-records.jsonl", GOOD_JSONL)], dry_run="true")
    assert "Prueba sin escribir: 1 nuevos" in response.text


# --------------------------------------------------------------------------- the saving


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        ("testimony.md", "testimony.md"),
        ("../../evil.md", "evil.md"),
        ("..\\..\\evil.md", "evil.md"),
        ("C:\\Users\\ana\\Desktop\\Informe final.docx", "Informe final.docx"),
        ("/etc/passwd", "passwd"),
        (".hidden.csv", "hidden.csv"),
        ("...", "upload"),
        ("..", "upload"),
        ("", "upload"),
        (".md", "md"),
        ("a\x00b<c>.txt", "a_b_c_.txt"),
        ("notes. ", "notes"),
        ("testimonio de María.txt", "testimonio de María.txt"),
        ("x" * 300 + ".jsonl", "x" * 144 + ".jsonl"),
        ("é" * 200 + ".pdf", "é" * 73 + ".pdf"),
    ],
)  # fmt: skip
def test_safe_names(sent: str, saved: str) -> None:
    assert safe_name(sent) == saved
    assert "/" not in saved and not saved.startswith(".") and len(saved.encode()) <= 150


def test_uploads_are_saved_apart_and_never_past_the_limit(tmp_path: Path) -> None:
    saved = save_uploads([("a.txt", io.BytesIO(b"one")), ("a.txt", io.BytesIO(b"two"))],
                         tmp_path, 100)  # fmt: skip
    assert [upload.path.read_bytes() for upload in saved] == [b"one", b"two"]
    assert [upload.path.name for upload in saved] == ["a.txt", "a.txt"]
    folder = tmp_path / "capped"
    folder.mkdir()
    with pytest.raises(UploadTooLarge):
        save_uploads([("a.txt", io.BytesIO(b"x" * 60)), ("b.txt", io.BytesIO(b"y" * 60))],
                     folder, 100)  # fmt: skip
    assert sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) <= 100
