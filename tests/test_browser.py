"""The pages in a real browser: Debian's Chromium driven by Playwright.

Search, click a facet, open a result, land on the highlighted paragraph, switch to
Spanish, copy a citation. Screenshots of the search and document pages at desktop and
phone widths are saved to var/test-artifacts/ to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testimony_archive.config import Settings

from .conftest import CHROMIUM, REPO, served

ARTIFACTS = REPO / "var" / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(web_settings: Settings) -> Iterator[str]:
    with served(web_settings) as address:
        yield address


def new_page(browser: object, width: int = 1280, height: int = 900) -> object:
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests
    return page


def test_search_facet_document_language_and_citation(server: str, browser: object) -> None:
    expect = playwright_api.expect
    page = new_page(browser)
    page.goto(f"{server}/")
    page.get_by_label("Search testimonies and reports").fill("descargas eléctricas")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".result").first).to_be_visible()
    first_count = page.locator(".result").count()
    expect(page.locator(".result mark").first).to_be_visible()

    # narrow by a facet: a place, Tapachula
    page.locator(".facet-link", has_text="Tapachula").first.click()
    expect(page.locator(".chip", has_text="Tapachula")).to_be_visible()
    assert "location=geonames" in page.url
    assert page.locator(".result").count() <= first_count

    # open the best paragraph of the first result: we land on it, highlighted
    link = page.locator(".snippet .para-number").first
    href = link.get_attribute("href")
    assert href is not None and "#p" in href
    link.click()
    anchor = href.split("#")[1]
    target = page.locator(f"li#{anchor}")
    expect(target).to_be_visible()
    expect(target.locator("mark").first).to_be_visible()
    assert page.evaluate("location.hash") == f"#{anchor}"
    assert (
        target.evaluate("element => getComputedStyle(element).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )

    # switch to Spanish: the same document, the interface in Spanish, remembered
    page.get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Buscar", exact=True)).to_be_visible()
    page.goto(f"{server}/vocabulary/abuse-types")
    expect(page.get_by_text("Descargas eléctricas")).to_be_visible()
    page.go_back()

    # copy the citation of the paragraph
    target = page.locator(f"li#{anchor}")
    target.locator("summary", has_text="Citar").click()
    citation = target.locator(".citation").inner_text()
    assert "párr." in citation and "SHA-256" in citation
    target.get_by_role("button", name="Copiar la cita").click()
    assert page.evaluate("navigator.clipboard.readText()") == citation.strip()

    assert all(url.startswith(server) for url in page.requests), "a request left the machine"


def test_pages_work_without_javascript(server: str, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/search?q=chicharra")
    page.get_by_label("Search testimonies and reports").fill("taser")
    page.get_by_label("Search testimonies and reports").press("Enter")
    page.wait_for_url("**q=taser**")
    assert page.locator(".result").count() >= 1
    page.locator(".result-title a").first.click()
    details = page.locator("details.cite").first
    details.locator("summary").click()
    assert "SHA-256" in details.locator(".citation").inner_text()
    context.close()


def test_keyboard_reaches_the_search_box_and_results(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{server}/search?q=extortion")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots(server: str, browser: object, name: str, width: int, height: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, width, height)
    page.goto(f"{server}/search?q=descargas+el%C3%A9ctricas&location=MX-CHP")
    page.screenshot(path=str(ARTIFACTS / f"search-{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, "the search page scrolls sideways"
    href = page.locator(".snippet .para-number").first.get_attribute("href")
    page.goto(f"{server}{href}")
    page.screenshot(path=str(ARTIFACTS / f"document-{name}.png"), full_page=False)
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert (ARTIFACTS / f"document-{name}.png").stat().st_size > 10_000
