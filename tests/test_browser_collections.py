"""A lawyer's excerpts in a real browser (Debian's Chromium driven by Playwright): three
paragraphs collected from two documents (ticked in the search results, and words
selected inside a paragraph), reordered, annotated, downloaded as Word and as an
evidence bundle, and the bundle verified through the page; then a tampered bundle."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

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
docx = pytest.importorskip("docx")

FIRST = "mx-chis-2014-0001"  # Operativo en las vías del tren en Arriaga (Spanish)
SECOND = "mx-rpt-2017-01"  # Kidnapping and extortion on the railway… (English)
SELECTED = "agarraron dos policías"  # words of FIRST ¶4, selected with the mouse


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("collections-browser")
    settings = Settings(archive_dir=copy_sample_archive(root / "archive"), var_dir=root / "var")
    rebuild_index(Archive(settings.archive_dir), settings.index_dir)
    add_user(settings, "lena", "researcher")
    with served(settings) as address:
        yield address, settings


def _select_words(page: object, para: int, words: str) -> None:
    """Select `words` inside a paragraph as a mouse would (a DOM range)."""
    page.evaluate(  # type: ignore[attr-defined]
        """([para, words]) => {
            const text = document.querySelector(`#p${para} .para-text`);
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = document.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error("words not found");
        }""",
        [para, words],
    )


def test_a_lawyer_collects_orders_annotates_exports_and_verifies(
    site: tuple[str, Settings], browser: object, tmp_path: Path
) -> None:
    server, _settings = site
    expect = playwright_api.expect
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/sign-in")
    page.get_by_label("User name").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # A paragraph ticked on a document's page, collected into a new collection.
    page.goto(f"{server}/documents/{SECOND}")
    page.locator(f'input[name="place"][value="{SECOND}:2"]').check()
    page.get_by_role("button", name="Collect", exact=True).click()
    expect(page.locator(".collect-places li")).to_have_count(1)
    page.get_by_label("A name for your new collection").fill("Amparo 2026 – Arriaga")
    page.get_by_role("button", name="Collect", exact=True).click()
    expect(page.get_by_role("heading", name="Amparo 2026 – Arriaga")).to_be_visible()

    # A paragraph ticked on the search page, and words selected inside another one.
    page.goto(f"{server}/search?q=tren+Arriaga&unit=paragraph")
    page.locator(f'input[name="place"][value="{FIRST}:1"]').check()
    page.get_by_role("button", name="Collect the ticked paragraphs").click()
    page.get_by_role("button", name="Collect", exact=True).click()  # the most recent
    page.goto(f"{server}/documents/{FIRST}")
    _select_words(page, 4, SELECTED)
    expect(page.locator("#collect-preview")).to_contain_text(SELECTED)
    assert page.locator("#collect-para").input_value() == "4"
    page.locator("#collect-section").get_by_role("button", name="Collect", exact=True).click()
    page.get_by_role("button", name="Collect", exact=True).click()
    quotes = page.locator("ol.excerpts blockquote.quote")
    expect(quotes).to_have_count(3)
    expect(quotes.nth(2)).to_have_text(SELECTED)  # exactly the words, not the paragraph

    # Reorder: the selection goes first; a note on it.
    page.locator("li.excerpt").nth(2).get_by_role("button", name="Move up").click()
    page.locator("li.excerpt").nth(1).get_by_role("button", name="Move up").click()
    expect(page.locator("ol.excerpts blockquote.quote").first).to_have_text(SELECTED)
    first = page.locator("li.excerpt").first
    first.get_by_label("Note").fill("Cita para el párrafo 12 de la demanda")
    first.get_by_role("button", name="Save the note").click()
    expect(page.locator("li.excerpt").first.get_by_label("Note")).to_have_value(
        "Cita para el párrafo 12 de la demanda"
    )

    # Downloads: the Word document, then the evidence bundle.
    with page.expect_download() as word:
        page.get_by_role("link", name="Word").click()
    word_path = tmp_path / word.value.suggested_filename
    word.value.save_as(word_path)
    text = "\n".join(paragraph.text for paragraph in docx.Document(str(word_path)).paragraphs)
    positions = [text.index(SELECTED), text.index("Throughout 2016"),
                 text.index("Soy de Honduras")]  # fmt: skip
    assert positions == sorted(positions)  # in the collection's order
    assert "Cita para el párrafo 12 de la demanda" in text and "lena" in text
    with page.expect_download() as bundle:
        page.get_by_role("link", name="Evidence bundle").click()
    bundle_path = tmp_path / bundle.value.suggested_filename
    bundle.value.save_as(bundle_path)

    # The bundle verified through the page.
    page.get_by_role("link", name="Verify").first.click()
    page.get_by_label("Bundle or excerpts file", exact=False).set_input_files(str(bundle_path))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-summary")).to_have_text("All 3 excerpts match the archive.")
    expect(page.locator("tr.verdict.faithful")).to_have_count(3)

    # One quote changed inside the bundle: named, and the bag no longer holds.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle_path) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("data/excerpts.json"):
                data = data.replace(SELECTED.encode(), b"agarraron tres policias")
            target.writestr(item, data)
    page.get_by_label("Bundle or excerpts file", exact=False).set_input_files(str(tampered))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-summary")).to_have_text("Not everything matches: see below.")
    expect(page.locator("tr.verdict.altered")).to_have_count(1)
    expect(page.locator("tr.verdict.altered")).to_contain_text(f"{FIRST} ¶4")
    expect(page.locator(".verdicts .note.error").nth(1)).to_contain_text("excerpts.json")
    assert zipfile.is_zipfile(io.BytesIO(bundle_path.read_bytes()))
    context.close()
