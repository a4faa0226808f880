"""Accounts in a real browser (Debian's Chromium driven by Playwright): sign in, the
second factor, a restricted account seen and then gone after signing out (the back button
included), a redaction made by an editor, a file imported by an editor through the form,
and script payloads in every field and in the query staying inert."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testimony_archive.access import Viewer
from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.index import rebuild_index

from .conftest import CHROMIUM, PASSWORD, add_user, copy_sample_archive, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api")
pyotp = pytest.importorskip("pyotp")

RESTRICTED = "mx-chis-2023-0023"  # access: restricted in the sample archive
RESTRICTED_TITLE = "Kidnapped after crossing near Frontera Comalapa"
PAYLOAD = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=1\">"
XSS_DOC = "xss-probe-0001"


def _write_probe(archive_dir: Path) -> None:
    """A public document whose every field carries a script payload."""
    from testimony_archive.importer import import_paths

    record = archive_dir.parent / "probe.jsonl"
    import json

    record.write_text(json.dumps({
        "id": XSS_DOC, "kind": "testimony", "title": f"Probe {PAYLOAD}", "language": "en",
        "text": f"A paragraph about a checkpoint {PAYLOAD}.\n\nAnother about extortion.",
        "witness": {"pseudonym": f"Witness {PAYLOAD}"},
        "source": {"organization": f"Org {PAYLOAD}"}, "place": f"Tapachula {PAYLOAD}",
    }) + "\n", encoding="utf-8")  # fmt: skip
    report = import_paths(Archive(archive_dir), [record])
    assert not report.failed, report.failed


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("accounts-browser")
    settings = Settings(archive_dir=copy_sample_archive(root / "archive"), var_dir=root / "var")
    _write_probe(settings.archive_dir)
    rebuild_index(Archive(settings.archive_dir), settings.index_dir)
    add_user(settings, "rita", "researcher")
    add_user(settings, "eddie", "editor")
    with served(settings) as address:
        yield address, settings


def _sign_in(page: object, server: str, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{server}/sign-in")  # type: ignore[attr-defined]
    page.get_by_label("User name").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]


def test_a_researcher_reads_a_restricted_account_and_signing_out_leaves_nothing(
    site: tuple[str, Settings], browser: object
) -> None:
    server, _settings = site
    expect = playwright_api.expect
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    response = page.goto(f"{server}/documents/{RESTRICTED}")
    assert response.status == 404 and RESTRICTED_TITLE not in page.content()
    page.goto(f"{server}/search?q=Frontera+Comalapa+kidnapped")
    assert RESTRICTED_TITLE not in page.content()

    _sign_in(page, server, "rita")
    expect(page.locator(".account-name")).to_have_text("rita")
    page.goto(f"{server}/search?q=Frontera+Comalapa+kidnapped")
    expect(page.locator(".result-title", has_text=RESTRICTED_TITLE)).to_be_visible()
    page.locator(".result-title a", has_text=RESTRICTED_TITLE).click()
    expect(page.locator("h1")).to_have_text(RESTRICTED_TITLE)
    metadata = page.locator(".metadata").inner_text()
    assert "Witness N" in metadata and "Age" not in metadata  # no age for a researcher
    assert "2023-06-05" not in page.content()  # the incident's days: its year only

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    assert RESTRICTED_TITLE not in page.content(), "the back button showed a private page"
    page.goto(f"{server}/documents/{RESTRICTED}")
    assert RESTRICTED_TITLE not in page.content()
    context.close()


def test_an_editor_turns_on_the_second_factor_and_signs_in_with_it(
    site: tuple[str, Settings], browser: object
) -> None:
    server, _settings = site
    expect = playwright_api.expect
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, server, "eddie")
    page.goto(f"{server}/account")
    expect(page.get_by_text("please turn on a second factor")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.locator("img.qr")).to_be_visible()
    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.get_by_label("Type the six-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn it on").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    recovery = page.locator(".recovery-codes li").first.inner_text().strip()
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, server, "eddie")
    expect(page.get_by_label("The six-digit code", exact=False)).to_be_visible()
    assert page.locator(".account-name").count() == 0  # not signed in yet
    # the next time step's code (the current one was spent on the enrolment)
    page.get_by_label("The six-digit code", exact=False).fill(
        pyotp.TOTP(secret).at(time.time() + 30)
    )
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account-name")).to_have_text("eddie")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, server, "eddie")  # a recovery code works once
    page.get_by_label("The six-digit code", exact=False).fill(recovery)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account-name")).to_have_text("eddie")
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, server, "eddie")
    page.get_by_label("The six-digit code", exact=False).fill(recovery)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right, or was used already")
    context.close()


def test_script_payloads_stay_inert_everywhere(
    site: tuple[str, Settings], browser: object
) -> None:
    server, settings = site
    from testimony_archive.instance import InstanceDatabase
    from testimony_archive.service import SearchService

    database = InstanceDatabase(settings.database_url)
    service = SearchService.open(settings, database)
    try:  # a redaction whose reason carries the payload, by an administrator
        service.redact(Viewer.administrator("tests"), XSS_DOC, 2, f"reason {PAYLOAD}",
                       words="extortion")  # fmt: skip
    finally:
        service.close()
        database.close()
    add_user(settings, "xss-admin", "admin")
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    urls = [
        f"{server}/search?q=checkpoint+probe",
        f"{server}/search?q={PAYLOAD}",
        f"{server}/search?q=probe&unit=paragraph",
        f"{server}/documents/{XSS_DOC}?q={PAYLOAD}",
        f"{server}/sign-in?next=javascript:alert(1)",
        f"{server}/vocabulary/places",
        f"{server}/search?location={PAYLOAD}",
    ]
    for url in urls:
        page.goto(url)
        assert page.evaluate("window.__xss") is None, url
    _sign_in(page, server, "xss-admin")
    for url in (f"{server}/documents/{XSS_DOC}", f"{server}/admin/audit",
                f"{server}/admin/users", f"{server}/review"):  # fmt: skip
        page.goto(url)
        assert page.evaluate("window.__xss") is None, url
    page.goto(f"{server}/documents/{XSS_DOC}")
    assert "&lt;script&gt;" in page.content() or "<script>window" in page.locator(
        "h1").inner_text()  # fmt: skip
    assert dialogs == []
    context.close()


def test_the_sign_in_page_in_spanish_and_on_a_phone(
    site: tuple[str, Settings], browser: object
) -> None:
    server, _settings = site
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/sign-in?lang=es")
    playwright_api.expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    page.get_by_label("Nombre de usuario").fill("rita")
    page.get_by_label("Contraseña").fill("not the password at all")
    page.get_by_role("button", name="Iniciar sesión").click()
    playwright_api.expect(page.get_by_role("alert")).to_contain_text("no corresponden")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    from .test_browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sign-in-phone-es.png"), full_page=True)
    context.close()


def test_an_editor_imports_a_file_through_the_form(
    site: tuple[str, Settings], browser: object, tmp_path: Path
) -> None:
    server, settings = site
    expect = playwright_api.expect
    add_user(settings, "ines", "editor")  # eddie has a second factor by now
    upload = tmp_path / "from-the-browser.jsonl"
    upload.write_text(
        '{"id": "browser-import-001", "kind": "testimony", "language": "en", '
        '"title": "Sent through the import form", '
        '"text": "The guards at Quetzalapa kept our papers."}\n',
        encoding="utf-8",
    )
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, server, "ines")
    expect(page.locator(".account-name")).to_have_text("ines")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import documents")).to_be_visible()
    page.get_by_label("Files (at most 50 MB in all)").set_input_files(str(upload))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".import-summary")).to_have_text(
        "Imported 1, skipped 0 (already archived), refused 0."
    )
    expect(page.locator(".import-report tbody td").first).to_have_text("from-the-browser.jsonl")
    assert str(tmp_path) not in page.content() and "testimony-import-" not in page.content()
    page.goto(f"{server}/search?q=Quetzalapa")
    expect(page.locator(".result-title", has_text="Sent through the import form")).to_be_visible()
    context.close()


def test_settings_are_frozen() -> None:
    # The module's fixtures share one Settings; it must not be changed by a test.
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().archive_dir = Path("x")  # type: ignore[misc]
