"""HTTP tests of every route and parameter of the web app, against the sample archive.

The pages are parsed with the standard library's HTMLParser into a small tree; the
expectations come from the archive files themselves (titles, paragraphs split by the
contract's rule, sha256, tags), not from the code under test.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import yaml
from fastapi.testclient import TestClient

from testimony_archive.access import ANONYMOUS
from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.index import SearchRequest, rebuild_index
from testimony_archive.search_json import result_json
from testimony_archive.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = REPO / "archive" / "documents"
BASE_URL = "http://testserver"


# --------------------------------------------------------------------------- the archive


@dataclass(frozen=True)
class Record:
    """One archive file, read independently of the application."""

    meta: dict[str, Any]
    body: str

    @property
    def id(self) -> str:
        return str(self.meta["id"])

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def public(self) -> bool:
        return self.meta.get("access", "public") == "public"

    @property
    def date(self) -> str:
        return str(self.meta.get("date") or "")

    def tags(self, name: str) -> list[str]:
        return [str(value) for value in self.meta.get(name) or []]

    @cached_property
    def paragraphs(self) -> list[str]:
        """The contract: split on blank lines (empty or only whitespace), strip each piece."""
        pieces: list[str] = []
        current: list[str] = []
        for line in self.body.split("\n"):
            if line.strip():
                current.append(line)
            elif current:
                pieces.append("\n".join(current))
                current = []
        if current:
            pieces.append("\n".join(current))
        return [piece.strip() for piece in pieces if piece.strip()]


def _read(path: Path) -> Record:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    front, body = text[4:].split("\n---\n", 1)
    return Record(yaml.safe_load(front), body)


RECORDS: dict[str, Record] = {
    record.id: record for record in map(_read, sorted(DOCUMENTS.rglob("*.md")))
}
PUBLIC = {key: record for key, record in RECORDS.items() if record.public}
RESTRICTED = {key: record for key, record in RECORDS.items() if not record.public}
TASER_DOC = "mx-chis-2015-0005"  # English testimony, 6 paragraphs: taser, shocks, neck
CHICHARRA_DOC = "mx-chis-2022-0020"  # Spanish testimony: "una chicharra ... descargas eléctricas"


def test_the_sample_archive_is_what_these_tests_assume() -> None:
    assert len(RECORDS) == 37
    assert set(RESTRICTED) == {"mx-chis-2017-0009", "mx-chis-2020-0017", "mx-chis-2023-0023"}
    assert len(RECORDS[TASER_DOC].paragraphs) == 6
    assert "chicharra" in RECORDS[CHICHARRA_DOC].paragraphs[2]


# --------------------------------------------------------------------------- a small DOM

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def _node(self, tag: str, attrs: list[tuple[str, str | None]]) -> Node:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        return node

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = self._node(tag, attrs)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._node(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def http(client: TestClient) -> Iterator[TestClient]:
    """The shared app, with a cookie jar of its own (language cookies must not leak
    into or out of other test modules)."""
    with TestClient(client.app, base_url=BASE_URL) as own:
        yield own


@pytest.fixture(autouse=True)
def _forget_cookies(http: TestClient) -> None:
    """Every test starts without a language cookie (pages with ?lang= set one)."""
    http.cookies.clear()


def get_page(http: TestClient, url: str, status: int = 200, **params: Any) -> Node:
    response = http.get(url, params=params or None)
    assert response.status_code == status, (url, params, response.text[:800])
    assert response.headers["content-type"].startswith("text/html")
    return parse(response.text)


def api(http: TestClient, url: str = "/api/search", status: int = 200, **params: Any) -> Any:
    response = http.get(url, params=params or None)
    assert response.status_code == status, (url, params, response.text[:800])
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def api_ids(http: TestClient, **params: Any) -> list[str]:
    """Every document id of a search, over all pages, in order."""
    first = api(http, **params)
    ids = [result["doc"] for result in first["results"]]
    for page in range(2, first["pages"] + 1):
        ids += [result["doc"] for result in api(http, page=page, **params)["results"]]
    assert len(ids) == first["total"]
    return ids


def query_of(href: str) -> dict[str, str]:
    return {name: values[-1] for name, values in parse_qs(urlsplit(href).query).items()}


@dataclass
class Result:
    doc: str
    title: str
    href: str
    date: str | None
    snippets: list[tuple[str, Node]]  # (paragraph link, <p> with the highlighted text)


def results(page: Node) -> list[Result]:
    found: list[Result] = []
    for item in page.find_all("li", "result"):
        link = item.find("h3", "result-title").find("a")
        meta = [squash(span.text()) for span in item.find("p", "result-meta").find_all("span")]
        dates = [text for text in meta if re.fullmatch(r"\d{4}(-\d\d){0,2}", text)]
        snippets = [
            (quote_node.find("a", "para-number").attrs["href"], quote_node.find("p"))
            for quote_node in item.find_all("blockquote", "snippet")
        ]
        href = link.attrs["href"]
        doc = urlsplit(href).path.removeprefix("/documents/")
        found.append(Result(doc, squash(link.text()), href, dates[0] if dates else None, snippets))
    return found


def heading_count(page: Node) -> int:
    match = re.match(r"\s*([\d,.]+)", page.find(id="results-heading").text())
    assert match, page.find(id="results-heading").text()
    return int(re.sub(r"\D", "", match.group(1)))


@dataclass
class FacetLink:
    group: str
    label: str
    count: int
    href: str
    active: bool


def facet_links(page: Node) -> list[FacetLink]:
    links: list[FacetLink] = []
    for group in page.find_all("section", "facet-group"):
        title = squash(group.find("h3").text())
        for link in group.find_all("a", "facet-link"):
            links.append(
                FacetLink(
                    title,
                    squash(link.find("span", "facet-label").text()),
                    int(link.find("span", "count").text()),
                    link.attrs["href"],
                    link.attrs.get("aria-current") == "true",
                )
            )
    return links


def chips(page: Node) -> list[tuple[str, str]]:
    return [(squash(chip.text()), chip.attrs["href"]) for chip in page.find_all("a", "chip")]


# --------------------------------------------------------------------------- search page


@pytest.mark.parametrize("path", ["/", "/search"])
def test_the_query_box_is_labelled(http: TestClient, path: str) -> None:
    page = get_page(http, path)
    form = page.find("form", role="search")
    box = form.find("input", name="q")
    label = form.find("label", for_=box.attrs["id"])
    assert squash(label.text())
    assert form.attrs["action"] == "/search" and form.attrs.get("method", "get") == "get"
    assert heading_count(page) == len(PUBLIC)


def _docs_containing(word: str) -> set[str]:
    return {key for key, record in PUBLIC.items() if word in record.body.lower()}


@pytest.mark.parametrize("q", ["chicharra", "descargas eléctricas"])
def test_a_known_query_lists_the_right_titles_with_marks_and_paragraph_links(
    http: TestClient, q: str
) -> None:
    page = get_page(http, "/search", q=q)
    found = results(page)
    literal = _docs_containing(q)
    assert literal, "the sample archive has documents with these words"
    # the documents that say it literally, and the electric-shock testimony in English
    assert literal | {TASER_DOC} <= {result.doc for result in found}
    assert heading_count(page) == len(found) == api(http, q=q)["total"]
    for result in found:
        assert result.title == RECORDS[result.doc].title
        assert result.href == f"/documents/{result.doc}?{urlencode({'q': q})}"
        for href, _ in result.snippets:
            match = re.fullmatch(
                rf"/documents/{re.escape(result.doc)}\?{re.escape(urlencode({'q': q}))}#p(\d+)",
                href,
            )
            assert match, href
            assert 1 <= int(match.group(1)) <= len(RECORDS[result.doc].paragraphs)
    first_word = q.split()[0]
    for result in found:
        if result.doc not in literal:
            continue
        marks = [
            squash(mark.text()).lower() for _, p in result.snippets for mark in p.find_all("mark")
        ]
        assert any(mark.startswith(first_word) for mark in marks), (result.doc, marks)
        # the paragraph that says it is linked with its number
        numbers = {
            number
            for number, text in enumerate(RECORDS[result.doc].paragraphs, 1)
            if q in text.lower()
        }
        linked = {int(href.rsplit("#p", 1)[1]) for href, _ in result.snippets}
        assert numbers & linked, (result.doc, numbers, linked)


@pytest.mark.parametrize("q", ["chicharra", "descargas eléctricas"])
def test_every_result_card_highlights_what_matched(http: TestClient, q: str) -> None:
    unmarked = [
        result.doc
        for result in results(get_page(http, "/search", q=q))
        if not any(p.find_all("mark") for _, p in result.snippets)
    ]
    assert not unmarked


def _matches(record: Record, name: str, value: str) -> bool:
    if name == "location":
        return any(tag == value or tag.startswith(value + "-") for tag in record.tags("locations"))
    if name == "abuse_type":
        return any(
            tag == value or tag.startswith(value + ".") for tag in record.tags("abuse_types")
        )
    if name == "perpetrator":
        return value in record.tags("perpetrators")
    if name in ("kind", "language"):
        return str(record.meta[name]) == value
    if name == "year":
        return record.date[:4] == value
    if name == "from":
        return record.date[: len(value)] >= value
    if name == "to":
        return record.date[: len(value)] <= value
    raise AssertionError(name)


FILTERS = [
    {"location": "GT"},
    {"location": "MX-OAX"},
    {"location": "geonames:3526855"},
    {"abuse_type": "torture"},
    {"abuse_type": "torture.electric-shock"},
    {"perpetrator": "police"},
    {"perpetrator": "national-guard"},
    {"kind": "testimony"},
    {"kind": "report_excerpt"},
    {"language": "en"},
    {"language": "es"},
    {"year": "2017"},
    {"from": "2020"},
    {"to": "2015-06"},
    {"from": "2016", "to": "2017"},
    {"from": "2016-03-12", "to": "2016-03-12"},
]
FILTER_IDS = ["&".join(f"{k}={v}" for k, v in f.items()) for f in FILTERS]


@pytest.mark.parametrize("filters", FILTERS, ids=FILTER_IDS)
def test_each_filter_narrows_shows_a_removable_chip_and_an_active_facet(
    http: TestClient, filters: dict[str, str]
) -> None:
    expected = {
        key
        for key, record in PUBLIC.items()
        if all(_matches(record, name, value) for name, value in filters.items())
    }
    assert 0 < len(expected) < len(PUBLIC)
    assert set(api_ids(http, **filters)) == expected

    page = get_page(http, "/search", **filters)
    assert heading_count(page) == len(expected)
    assert {result.doc for result in results(page)} <= expected
    # the form keeps the filters when a new query is typed
    hidden = {
        node.attrs["name"]: node.attrs["value"] for node in page.find_all("input", type="hidden")
    }
    assert hidden == filters
    # one chip per filter; its link removes that filter (and only that one)
    found_chips = chips(page)
    assert len(found_chips) == len(filters)
    for name in filters:
        removing = [href for _, href in found_chips if name not in query_of(href)]
        assert len(removing) == 1, (name, found_chips)
        rest = {key: value for key, value in filters.items() if key != name}
        assert query_of(removing[0]) == rest
        assert heading_count(get_page(http, removing[0])) >= len(expected)
    if set(filters) & {"from", "to"}:
        return
    # the facet value of the filter is marked current, and its link removes the filter
    [(name, _value)] = filters.items()
    active = [link for link in facet_links(page) if link.active]
    assert len(active) == 1, active
    assert active[0].count == len(expected)
    assert name not in query_of(active[0].href)
    assert active[0].href == "/search"


def test_the_query_and_a_filter_combine(http: TestClient) -> None:
    everything = set(api_ids(http, q="golpes"))
    narrowed = set(api_ids(http, q="golpes", language="en"))
    assert narrowed and narrowed < everything
    assert all(PUBLIC[doc].meta["language"] == "en" for doc in narrowed)
    page = get_page(http, "/search", q="golpes", language="en")
    assert [href for _, href in chips(page)] == ["/search?q=golpes"]


def test_location_filters_roll_up(http: TestClient) -> None:
    mexico = set(api_ids(http, location="MX"))
    chiapas = set(api_ids(http, location="MX-CHP"))
    tapachula = set(api_ids(http, location="geonames:3516266"))
    assert mexico == set(PUBLIC)  # every sample document is about Mexico
    assert mexico >= chiapas > tapachula
    assert tapachula == {k for k, r in PUBLIC.items() if "geonames:3516266" in r.tags("locations")}
    guatemala = set(api_ids(http, location="GT"))
    huehuetenango = set(api_ids(http, location="GT-13"))
    assert guatemala > huehuetenango > set()


def test_abuse_type_filters_roll_up(http: TestClient) -> None:
    torture = set(api_ids(http, abuse_type="torture"))
    shocks = set(api_ids(http, abuse_type="torture.electric-shock"))
    assert torture > shocks > set()
    # no sample document is tagged with the bare category: the roll-up finds them all
    assert all("torture" not in record.tags("abuse_types") for record in PUBLIC.values())
    assert torture == {
        key
        for key, record in PUBLIC.items()
        if any(tag.startswith("torture.") for tag in record.tags("abuse_types"))
    }


@pytest.mark.parametrize("q", ["", "chicharra"])
def test_facet_counts_are_over_the_whole_result_set(http: TestClient, q: str) -> None:
    page = get_page(http, "/search", q=q) if q else get_page(http, "/search")
    total = heading_count(page)
    links = facet_links(page)
    assert links
    groups = {link.group for link in links}
    assert {"Place", "Abuse type", "Perpetrator", "Kind", "Language", "Year"} <= groups
    kinds = [link.count for link in links if link.group == "Kind"]
    years = [link.count for link in links if link.group == "Year"]
    assert sum(kinds) == total and sum(years) == total
    for link in links:
        assert not link.active
        params = query_of(link.href)
        assert params.get("q", "") == q
        assert 0 < link.count <= total
        assert link.count == api(http, **params)["total"], link


def test_unit_paragraph_lists_paragraphs(http: TestClient) -> None:
    page = get_page(http, "/search", q="golpes", unit="paragraph")
    data = api(http, q="golpes", unit="paragraph")
    assert heading_count(page) == data["total"] > api(http, q="golpes")["total"]
    assert "paragraph" in squash(page.find(id="results-heading").text())
    found = results(page)
    assert len(found) == len(data["results"])
    pairs = []
    for result in found:
        assert len(result.snippets) == 1
        href, paragraph = result.snippets[0]
        number = int(href.rsplit("#p", 1)[1])
        pairs.append((result.doc, number))
        text = RECORDS[result.doc].paragraphs[number - 1]
        shown = squash(paragraph.text()).strip("…. ")
        assert shown[:60] in squash(text)
    assert pairs == [(hit["doc"], hit["para"]) for hit in data["results"]]
    assert len(set(pairs)) == len(pairs)
    # the unit toggle shows the current choice and links back to documents
    toggles = page.find("p", "toggles")
    assert any(
        squash(node.text()) == "paragraphs" for node in toggles.find_all(aria_current="true")
    )
    assert "/search?q=golpes" in [link.attrs["href"] for link in toggles.find_all("a")]


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sort_by_date(http: TestClient, sort: str) -> None:
    ids = api_ids(http, sort=sort)
    assert sorted(ids) == sorted(PUBLIC)
    dates = [PUBLIC[doc].date[:7] for doc in ids]
    assert dates == sorted(dates, reverse=sort == "-date")
    shown = [result.date for result in results(get_page(http, "/search", sort=sort))]
    assert shown == [PUBLIC[doc].date for doc in ids[: len(shown)]]
    page = get_page(http, "/search", q="golpes", sort=sort)
    shown = [(result.date or "")[:7] for result in results(page)]
    assert len(shown) > 3 and shown == sorted(shown, reverse=sort == "-date")


def test_page_two(http: TestClient) -> None:
    first = get_page(http, "/search")
    second = get_page(http, "/search", page=2)
    one = [result.doc for result in results(first)]
    two = [result.doc for result in results(second)]
    assert len(one) == 20 and two
    assert not set(one) & set(two)
    assert sorted(one + two) == sorted(PUBLIC)
    assert second.find("ol", "result-list").attrs["start"] == "21"
    assert first.find("a", rel="next").attrs["href"] == "/search?page=2"
    assert second.find("a", rel="prev").attrs["href"] == "/search"
    assert "2" in squash(second.find("nav", "pagination").text())
    # filters survive paging
    page = get_page(http, "/search", page=2, location="MX", sort="date")
    assert query_of(page.find("a", rel="prev").attrs["href"]) == {"location": "MX", "sort": "date"}


def test_an_absurd_page_is_empty_and_friendly(http: TestClient) -> None:
    response = http.get("/search", params={"page": 999})
    assert response.status_code == 200
    page = parse(response.text)
    assert results(page) == []
    assert squash(page.find("div", "empty").text())
    assert page.find("input", name="q")
    assert "Traceback" not in response.text
    assert api(http, page=999)["results"] == []


def test_an_absurd_page_links_back_to_an_existing_page(http: TestClient) -> None:
    page = get_page(http, "/search", page=999)
    previous = page.find("a", rel="prev").attrs["href"]
    assert int(query_of(previous).get("page", "1")) <= api(http)["pages"]


BAD_PAGE_PARAMS = [
    {"page": "0"},
    {"page": "abc"},
    {"page": "-1"},
    {"unit": "chapter"},
    {"sort": "oldest"},
    {"kind": "novel"},
    {"year": "abc"},
    {"year": "99999"},
    {"from": "abc"},
    {"to": "2016-02-30"},
    {"from": "2016-13"},
]


@pytest.mark.parametrize("params", BAD_PAGE_PARAMS, ids=lambda p: urlencode(p))
def test_bad_parameters_give_a_400_page(http: TestClient, params: dict[str, str]) -> None:
    response = http.get("/search", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    page = parse(response.text)
    assert squash(page.find("h1").text())
    assert page.find("main").find("a", href="/search")


def test_an_overlong_query_is_refused_and_a_long_one_works(http: TestClient) -> None:
    response = http.get("/search", params={"q": "a" * 2001})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert api(http, status=400, q="a" * 2001)["error"]
    long = ("migrantes golpes Tapachula agentes " * 60)[:1500].strip()
    assert len(long) >= 1499
    page = get_page(http, "/search", q=long)
    assert page.find("input", name="q").attrs["value"] == long
    assert heading_count(page) > 0


@pytest.mark.parametrize("q", ['"unclosed', "((", "AND", 'Tapachula "golpes', "OR OR"])
def test_a_malformed_query_is_repaired_with_a_note(http: TestClient, q: str) -> None:
    response = http.get("/search", params={"q": q})
    assert response.status_code == 200
    page = parse(response.text)
    notes = [squash(node.text()) for node in page.find_all(role="status")]
    assert notes and all(notes)
    assert page.find("input", name="q").attrs["value"] == q
    data = api(http, q=q)
    assert data["notes"] == notes


XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def _assert_inert(html: str, payload: str) -> None:
    assert payload not in html
    page = parse(html)
    assert not page.find_all("img")
    for node in page.iter():
        assert not [name for name in node.attrs if name.startswith("on")], node
        if node.tag == "script":
            assert node.attrs.get("src", "").startswith("/static/") and not node.text().strip()


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_the_query_is_inert(http: TestClient, payload: str) -> None:
    response = http.get("/search", params={"q": payload})
    assert response.status_code == 200
    _assert_inert(response.text, payload)
    page = parse(response.text)
    assert page.find("input", name="q").attrs["value"] == payload
    assert payload in page.find("title").text()
    # in a filter value (chip label, hidden input) and on the document page
    for url, params in [
        ("/search", {"q": "golpes", "location": payload}),
        ("/search", {"q": "golpes", "perpetrator": payload, "unit": "paragraph"}),
        (f"/documents/{TASER_DOC}", {"q": payload}),
    ]:
        response = http.get(url, params=params)
        assert response.status_code == 200
        _assert_inert(response.text, payload)
    # in error pages
    for url in [f"/documents/{quote(payload, safe='')}", f"/search?page=0&q={quote(payload)}"]:
        response = http.get(url)
        assert response.status_code in (400, 404)
        _assert_inert(response.text, payload)


def test_the_year_chart_is_an_inline_svg_with_links(http: TestClient) -> None:
    page = get_page(http, "/search", q="golpes")
    chart = page.find("figure", "year-chart")
    svg = chart.find("svg")
    bars = svg.find_all("a")
    assert len(bars) >= 2
    checked = 0
    for bar in bars:
        label = squash(bar.find("title").text())
        year, count = (part.strip() for part in label.split(":"))
        params = query_of(bar.attrs["href"])
        assert params == {"q": "golpes", "year": year}
        if int(count):
            assert api(http, **params)["total"] == int(count)
            checked += 1
    assert checked >= 2
    assert not page.find_all("img") and not page.find_all("object")


def _all_search_html(http: TestClient) -> str:
    return "".join(http.get("/search", params={"page": page}).text for page in (1, 2))


def test_restricted_documents_never_appear_in_results(http: TestClient) -> None:
    assert set(api_ids(http)) == set(PUBLIC)
    queries = [record.title for record in RESTRICTED.values()]
    queries += ["garífuna sobrino Houston", "Frontera Comalapa", "harassed guard"]
    for q in queries:
        for unit in ("document", "paragraph"):
            data = api(http, q=q, unit=unit)
            assert not {hit["doc"] for hit in data["results"]} & set(RESTRICTED), q
            html = http.get("/search", params={"q": q, "unit": unit}).text
            for record in RESTRICTED.values():
                assert record.id not in html
                if record.title != q:
                    assert record.title not in html
    html = _all_search_html(http)
    for record in RESTRICTED.values():
        assert record.id not in html and record.title not in html


def test_restricted_documents_are_not_counted_in_facets(http: TestClient) -> None:
    data = api(http)
    assert data["total"] == len(PUBLIC)

    def expected(name: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in PUBLIC.values():
            for value in set(record.tags(name)):
                counts[value] = counts.get(value, 0) + 1
        return counts

    perpetrators = {facet["value"]: facet["count"] for facet in data["facets"]["perpetrators"]}
    assert perpetrators == expected("perpetrators")
    assert perpetrators["smuggler"] == 2  # 4 with the restricted testimonies
    kinds = {facet["value"]: facet["count"] for facet in data["facets"]["kind"]}
    assert kinds == {"testimony": 20, "report_excerpt": 14}
    years = {facet["value"]: facet["count"] for facet in data["facets"]["year"]}
    assert years == {
        year: sum(1 for record in PUBLIC.values() if record.date[:4] == year)
        for year in {record.date[:4] for record in PUBLIC.values()}
    }
    places = {facet["value"]: facet["count"] for facet in data["facets"]["locations"]}
    assert places["HN"] == sum(1 for r in PUBLIC.values() if "HN" in r.tags("locations"))
    page = get_page(http, "/search")
    smuggler = [link for link in facet_links(page) if "perpetrator=smuggler" in link.href]
    assert [link.count for link in smuggler] == [2]


# --------------------------------------------------------------------------- document page


@pytest.mark.parametrize("doc_id", sorted(PUBLIC))
def test_a_document_page_shows_every_paragraph_numbered(http: TestClient, doc_id: str) -> None:
    record = PUBLIC[doc_id]
    page = get_page(http, f"/documents/{doc_id}")
    assert squash(page.find("h1").text()) == record.title
    items = page.find("ol", "paragraphs").find_all("li", "paragraph")
    assert [item.attrs["id"] for item in items] == [
        f"p{number}" for number in range(1, len(record.paragraphs) + 1)
    ]
    texts = [item.find("p", "para-text").text() for item in items]
    assert texts == record.paragraphs
    assert not page.find_all("mark")
    metadata = squash(page.find("aside", "metadata").text())
    assert doc_id in metadata and record.meta["sha256"] in metadata


def test_the_document_metadata_names_the_witness_by_pseudonym(http: TestClient) -> None:
    record = RECORDS[CHICHARRA_DOC]
    page = get_page(http, f"/documents/{CHICHARRA_DOC}")
    metadata = page.find("aside", "metadata")
    terms = [squash(node.text()) for node in metadata.find_all("dt")]
    values = [squash(node.text()) for node in metadata.find_all("dd")]
    shown = dict(zip(terms, values, strict=True))
    assert shown["Witness"].startswith(record.meta["witness"]["pseudonym"])
    assert shown["Date"] == "2022-04-05"
    # what the source carried under `extra` (where it was recorded, nationality) is not shown
    text = squash(page.text())
    assert record.meta["extra"]["recorded_at"] not in text
    assert record.meta["extra"]["witness_nationality"] not in text
    # tags link to the filtered search
    links = [a.attrs["href"] for a in metadata.find_all("a", "tag")]
    assert "/search?abuse_type=torture.electric-shock" in links
    assert "/search?perpetrator=police" in links
    assert "/search?location=MX-CHP" in links


def test_a_query_highlights_words_and_links_the_matching_paragraphs(http: TestClient) -> None:
    record = RECORDS[TASER_DOC]
    with_neck = [n for n, text in enumerate(record.paragraphs, 1) if "neck" in text]
    assert with_neck == [3, 6]
    page = get_page(http, f"/documents/{TASER_DOC}", q="neck")
    items = {item.attrs["id"]: item for item in page.find_all("li", "paragraph")}
    for number in range(1, 7):
        item = items[f"p{number}"]
        marks = [squash(mark.text()).lower() for mark in item.find_all("mark")]
        if number in with_neck:
            assert "hit" in item.classes and marks == ["neck"]
        else:
            assert "hit" not in item.classes and not marks
    summary = page.find("p", "hits-summary")
    assert [a.attrs["href"] for a in summary.find_all("a")] == ["#p3", "#p6"]
    nav3 = [a.attrs["href"] for a in items["p3"].find_all("a", "hit-nav")]
    nav6 = [a.attrs["href"] for a in items["p6"].find_all("a", "hit-nav")]
    assert nav3 == ["#p6"] and nav6 == ["#p3"]
    assert page.find("p", "back").find("a").attrs["href"] == "/search?q=neck"


def test_only_paragraphs_with_the_words_are_marked_as_matches(http: TestClient) -> None:
    page = get_page(http, f"/documents/{TASER_DOC}", q="shocked neck")
    hits = [item for item in page.find_all("li", "paragraph") if "hit" in item.classes]
    assert hits
    assert all(item.find_all("mark") for item in hits), [item.attrs["id"] for item in hits]


def test_each_paragraph_has_a_citation_and_a_permalink(http: TestClient) -> None:
    record = RECORDS[TASER_DOC]
    page = get_page(http, f"/documents/{TASER_DOC}")
    for number in range(1, len(record.paragraphs) + 1):
        item = page.find("li", id=f"p{number}")
        citation = squash(item.find("p", "citation").text())
        permalink = f"{BASE_URL}/documents/{TASER_DOC}#p{number}"
        assert TASER_DOC in citation
        assert f"¶ {number}," in citation
        assert f"SHA-256 {record.meta['sha256'][:12]}" in citation
        assert record.meta["witness"]["pseudonym"] in citation
        assert record.title in citation
        assert permalink in citation
        assert permalink in [a.attrs["href"] for a in item.find_all("a")]
        assert item.find("a", "para-number").attrs["href"] == f"#p{number}"


def test_an_unknown_document_is_a_404_page_with_a_way_back(http: TestClient) -> None:
    response = http.get("/documents/mx-chis-1999-0000")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert squash(page.find("h1").text())
    assert page.find("main").find("a", href="/search")


@pytest.mark.parametrize("doc_id", sorted(RESTRICTED))
def test_a_restricted_document_does_not_exist_on_the_web(http: TestClient, doc_id: str) -> None:
    title = RESTRICTED[doc_id].title
    for url in (
        f"/documents/{doc_id}",
        f"/documents/{doc_id}?q=a",
        f"/api/documents/{doc_id}",
        f"/api/documents/{doc_id}/paragraphs/1",
    ):
        response = http.get(url)
        assert response.status_code == 404, url
        assert title not in response.text
        assert RESTRICTED[doc_id].paragraphs[0][:40] not in response.text


def test_an_unknown_document_error_does_not_disclose_server_paths(
    http: TestClient, web_settings: Any
) -> None:
    archive_dir = str(web_settings.archive_dir)
    for url in ("/documents/mx-chis-1999-0000", "/api/documents/mx-chis-1999-0000"):
        response = http.get(url)
        assert response.status_code == 404
        assert archive_dir not in response.text
        assert str(Path(archive_dir).parent) not in response.text


@pytest.mark.parametrize("prefix", ["/documents/", "/api/documents/"])
def test_a_restricted_id_is_indistinguishable_from_an_unknown_one(
    http: TestClient, prefix: str
) -> None:
    restricted = "mx-chis-2017-0009"
    unknown = "mx-chis-2017-0099"
    first = http.get(prefix + restricted)
    second = http.get(prefix + unknown)
    assert first.status_code == second.status_code == 404
    assert first.text.replace(restricted, "ID") == second.text.replace(unknown, "ID")


TRICKS = [
    "..%2F..%2Fetc%2Fpasswd",
    "..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "%2e%2e%2f%2e%2e%2fpyproject.toml",
    "UPPER",
    "MX-CHIS-2015-0005",
    "a" * 101,
    "a%00b",
    "mx-chis-2015-0005%00",
    "mx-chis-2015-0005.md",
    "%2Fetc%2Fpasswd",
    "~root",
]


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t[:30])
@pytest.mark.parametrize("prefix", ["/documents/", "/api/documents/"])
def test_ids_with_path_tricks_are_refused(http: TestClient, prefix: str, trick: str) -> None:
    response = http.get(prefix + trick)
    assert response.status_code in (400, 404), response.text[:300]
    assert "root:" not in response.text and "Traceback" not in response.text
    assert "sha256:" not in response.text  # no archive file's front matter either
    expected = "application/json" if prefix.startswith("/api/") else "text/html"
    assert response.headers["content-type"].startswith(expected)


# --------------------------------------------------------------------------- vocabularies


def test_vocabulary_redirects_to_a_vocabulary(http: TestClient) -> None:
    response = http.get("/vocabulary", follow_redirects=False)
    assert response.status_code in (301, 302, 303, 307, 308)
    assert response.headers["location"].endswith("/vocabulary/abuse-types")
    assert http.get("/vocabulary").status_code == 200


@pytest.mark.parametrize(
    ("section", "param"),
    [("abuse-types", "abuse_type"), ("perpetrators", "perpetrator"), ("places", "location")],
)
def test_vocabulary_rows_count_and_link_to_the_filtered_search(
    http: TestClient, section: str, param: str
) -> None:
    page = get_page(http, f"/vocabulary/{section}")
    rows = page.find("table", "vocabulary").find("tbody").find_all("tr")
    assert len(rows) >= 10
    linked = 0
    for row in rows:
        cells = row.find_all("td")
        value = squash(cells[1].text())
        count = int(squash(cells[2].text()))
        links = cells[0].find_all("a")
        assert squash(cells[0].text())
        if count:
            assert links[0].attrs["href"] == "/search?" + urlencode({param: value})
            assert api(http, **{param: value})["total"] == count, value
            linked += 1
        else:
            assert not links
            assert api(http, **{param: value})["total"] == 0, value
    assert linked >= 5
    tabs = page.find("nav", "tabs")
    assert squash(tabs.find(aria_current="page").text())
    assert {a.attrs["href"] for a in tabs.find_all("a")} == {
        f"/vocabulary/{name}" for name in ("abuse-types", "perpetrators", "places")
    } - {f"/vocabulary/{section}"}


def test_an_unknown_vocabulary_is_an_error_page(http: TestClient) -> None:
    response = http.get("/vocabulary/nosuch")
    assert response.status_code in (400, 404)
    assert response.headers["content-type"].startswith("text/html")
    assert parse(response.text).find("main").find("a", href="/search")


def test_vocabulary_labels_follow_the_language(http: TestClient) -> None:
    english = http.get("/vocabulary/abuse-types").text
    spanish = http.get("/vocabulary/abuse-types", headers={"Accept-Language": "es"}).text
    assert "Electric shocks" in english and "Descargas eléctricas" not in english
    assert "Descargas eléctricas" in spanish and "Electric shocks" not in spanish
    places = http.get("/vocabulary/places", headers={"Accept-Language": "es"}).text
    assert "México" in places and "Estados Unidos" in places


# --------------------------------------------------------------------------- JSON API

SEARCH_KEYS = {
    "query",
    "unit",
    "sort",
    "page",
    "limit",
    "total",
    "pages",
    "notes",
    "took_ms",
    "results",
    "facets",
}
DOCUMENT_RESULT_KEYS = {
    "doc",
    "title",
    "kind",
    "language",
    "date",
    "access",
    "score",
    "tags",
    "suggested",
    "paras",
    "paragraphs",
}
PARAGRAPH_KEYS = {"doc", "para", "score", "text", "highlights"}


def test_api_search_has_the_documented_shape(http: TestClient) -> None:
    data = api(http, q="chicharra")
    assert set(data) == SEARCH_KEYS
    assert (data["query"], data["unit"], data["sort"], data["page"]) == (
        "chicharra",
        "document",
        "relevance",
        1,
    )
    assert data["limit"] >= len(data["results"]) and data["pages"] >= 1
    assert data["total"] == len(data["results"]) and isinstance(data["took_ms"], float)
    assert data["notes"] == []
    assert set(data["facets"]) == {
        "locations",
        "abuse_types",
        "perpetrators",
        "kind",
        "language",
        "year",
    }
    for facets in data["facets"].values():
        for facet in facets:
            assert set(facet) == {"value", "label", "count", "parent"}
    scores = [result["score"] for result in data["results"]]
    assert scores == sorted(scores, reverse=True)
    for result in data["results"]:
        assert set(result) == DOCUMENT_RESULT_KEYS
        record = PUBLIC[result["doc"]]
        assert result["title"] == record.title and result["access"] == "public"
        assert result["kind"] == record.meta["kind"] and result["date"] == record.date
        assert result["paras"] == [paragraph["para"] for paragraph in result["paragraphs"]]
        for paragraph in result["paragraphs"]:
            assert set(paragraph) == PARAGRAPH_KEYS
            assert paragraph["text"] == record.paragraphs[paragraph["para"] - 1]
    assert api(http, page=2)["page"] == 2


PAGE_AND_API = [
    {"q": "golpes"},
    {"q": "golpes", "sort": "-date"},
    {"q": "golpes", "unit": "paragraph"},
    {"q": "taser", "abuse_type": "torture"},
    {"location": "GT", "sort": "date"},
    {"perpetrator": "immigration", "page": "2"},
    {"kind": "report_excerpt", "language": "es"},
    {"year": "2019"},
    {"from": "2018-06", "to": "2019"},
]


@pytest.mark.parametrize("params", PAGE_AND_API, ids=lambda p: urlencode(p))
def test_the_api_and_the_page_agree(http: TestClient, params: dict[str, str]) -> None:
    data = api(http, **params)
    page = get_page(http, "/search", **params)
    assert heading_count(page) == data["total"]
    shown = [result.doc for result in results(page)]
    assert shown == [result["doc"] for result in data["results"]]
    assert shown, params


def test_api_paragraph_results(http: TestClient) -> None:
    first = api(http, q="chicharra OR golpes", unit="paragraph")
    assert first["unit"] == "paragraph" and first["total"] > 5
    hits = list(first["results"])
    for page in range(2, first["pages"] + 1):
        hits += api(http, q="chicharra OR golpes", unit="paragraph", page=page)["results"]
    assert len(hits) == first["total"]
    assert len({(hit["doc"], hit["para"]) for hit in hits}) == len(hits)
    for hit in hits:
        assert set(hit) == PARAGRAPH_KEYS
        record = PUBLIC[hit["doc"]]
        assert hit["text"] == record.paragraphs[hit["para"] - 1]
        for start, end in hit["highlights"]:
            assert 0 <= start < end <= len(hit["text"])
    marked = {hit["text"][start:end].lower() for hit in hits for start, end in hit["highlights"]}
    assert "golpes" in marked and "chicharra" in marked
    # every paragraph that says "chicharra" or "golpes" is found
    saying = {
        (key, number)
        for key, record in PUBLIC.items()
        for number, text in enumerate(record.paragraphs, 1)
        if re.search(r"\b(chicharra|golpes)\b", text.lower())
    }
    assert saying <= {(hit["doc"], hit["para"]) for hit in hits}


def test_every_paragraph_hit_has_a_highlight(http: TestClient) -> None:
    data = api(http, q="taser", unit="paragraph")
    empty = [(hit["doc"], hit["para"]) for hit in data["results"] if not hit["highlights"]]
    assert not empty


@pytest.mark.parametrize("doc_id", sorted(PUBLIC))
def test_api_document(http: TestClient, doc_id: str) -> None:
    record = PUBLIC[doc_id]
    data = api(http, f"/api/documents/{doc_id}")
    assert data["id"] == doc_id and data["title"] == record.title
    assert data["access"] == "public"
    digest = hashlib.sha256(record.body.encode("utf-8")).hexdigest()
    assert data["sha256"] == record.meta["sha256"] == digest
    assert [p["para"] for p in data["paragraphs"]] == list(range(1, len(record.paragraphs) + 1))
    assert [p["text"] for p in data["paragraphs"]] == record.paragraphs
    for paragraph in data["paragraphs"]:
        assert paragraph["doc"] == doc_id and paragraph["sha256"] == digest
        citation = paragraph["citation"]
        permalink = f"{BASE_URL}/documents/{doc_id}#p{paragraph['para']}"
        assert citation["permalink"] == permalink
        assert doc_id in citation["text"] and f"¶ {paragraph['para']}," in citation["text"]
        assert f"SHA-256 {digest[:12]}" in citation["text"] and permalink in citation["text"]


@pytest.mark.parametrize(
    ("doc_id", "number"),
    [(TASER_DOC, 1), (TASER_DOC, 6), (CHICHARRA_DOC, 3), ("mx-rpt-2019-01", 2)],
)
def test_api_paragraph(http: TestClient, doc_id: str, number: int) -> None:
    record = PUBLIC[doc_id]
    data = api(http, f"/api/documents/{doc_id}/paragraphs/{number}")
    assert set(data) == {"doc", "para", "page", "text", "sha256", "citation"}
    assert (data["doc"], data["para"], data["page"]) == (doc_id, number, None)  # not a PDF
    assert data["text"] == record.paragraphs[number - 1]
    assert data["sha256"] == record.meta["sha256"]
    assert data["citation"]["permalink"] == f"{BASE_URL}/documents/{doc_id}#p{number}"
    assert f"¶ {number}," in data["citation"]["text"]


@pytest.mark.parametrize("number", ["0", "7", "100001", "-1", "abc", "1.5"])
def test_api_paragraph_out_of_range_is_a_json_error(http: TestClient, number: str) -> None:
    response = http.get(f"/api/documents/{TASER_DOC}/paragraphs/{number}")
    assert response.status_code in (400, 404, 422)
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"error", "details"} and data["error"]
    if number == "7":
        assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/api/documents/mx-chis-1999-0000", "/api/documents/nosuch/paragraphs/1", "/api/nosuch"],
)
def test_api_unknown_ids_are_404_json(http: TestClient, url: str) -> None:
    data = api(http, url, status=404)
    assert set(data) == {"error", "details"}
    assert isinstance(data["error"], str) and data["error"]
    assert isinstance(data["details"], list)


@pytest.mark.parametrize(
    "params", [*BAD_PAGE_PARAMS, {"q": "a" * 2001}], ids=lambda p: urlencode(p)[:30]
)
def test_api_bad_parameters_are_400_json(http: TestClient, params: dict[str, str]) -> None:
    data = api(http, status=400, **params)
    assert set(data) == {"error", "details"} and data["error"]


# --------------------------------------------------------------------------- health, OpenAPI


def test_healthz(http: TestClient) -> None:
    data = api(http, "/healthz")
    assert data["status"] == "ok"
    everything = (len(RECORDS), sum(len(r.paragraphs) for r in RECORDS.values()))
    public = (len(PUBLIC), sum(len(r.paragraphs) for r in PUBLIC.values()))
    assert (data["documents"], data["paragraphs"]) in (everything, public)


def test_openapi_lists_the_api_and_there_are_no_interactive_docs(http: TestClient) -> None:
    schema = api(http, "/openapi.json")
    paths = schema["paths"]
    for path in (
        "/api/search",
        "/api/documents/{doc_id}",
        "/api/documents/{doc_id}/paragraphs/{number}",
        "/healthz",
    ):
        assert "get" in paths[path], path
    assert not {"/docs", "/redoc", "/docs/oauth2-redirect"} & set(paths)
    parameters = {parameter["name"] for parameter in paths["/api/search"]["get"]["parameters"]}
    assert parameters >= {
        "q",
        "location",
        "abuse_type",
        "perpetrator",
        "kind",
        "language",
        "year",
        "from",
        "to",
        "unit",
        "sort",
        "page",
    }
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert http.get(path).status_code == 404


# --------------------------------------------------------------------------- security

HTML_URLS = [
    "/",
    "/search?q=chicharra",
    "/search?q=golpes&unit=paragraph&lang=es",
    "/search?location=GT&sort=date&page=1",
    f"/documents/{TASER_DOC}?q=taser",
    f"/documents/{CHICHARRA_DOC}",
    "/vocabulary/abuse-types",
    "/vocabulary/perpetrators",
    "/vocabulary/places",
    "/documents/mx-chis-1999-0000",
    "/search?page=0",
    "/nosuch",
]
LINK_ATTRIBUTES = {"src", "href", "action", "srcset", "data", "poster", "formaction"}
LINK_ATTRIBUTES |= {"xlink:href", "background", "cite", "manifest"}


@pytest.mark.parametrize("url", HTML_URLS)
def test_html_responses_have_a_strict_content_security_policy(http: TestClient, url: str) -> None:
    response = http.get(url)
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for name in ("script-src", "style-src"):
        assert "*" not in directives.get(name, ["'self'"])
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("url", HTML_URLS)
def test_pages_reference_no_other_host_and_have_no_inline_script(
    http: TestClient, url: str
) -> None:
    page = parse(http.get(url).text)
    own = f"{BASE_URL}/documents/"
    for node in page.iter():
        for name, value in node.attrs.items():
            if name not in LINK_ATTRIBUTES:
                continue
            value = value.strip().lower()
            if re.match(r"(https?:)?//", value):
                # only the citations' permalinks, which are this server's own address
                assert node.tag == "a" and value.startswith(own), (node.tag, name, value)
            assert not value.startswith(("javascript:", "data:text/html")), value
        assert "style" not in node.attrs, node  # the policy blocks inline styles
        assert not [name for name in node.attrs if name.startswith("on")], node
    assert not page.find_all("style") and not page.find_all("iframe")
    scripts = page.find_all("script")
    assert scripts
    for script in scripts:
        assert script.attrs.get("src", "").startswith("/static/")
        assert not script.text().strip()
    for link in page.find_all("link"):
        assert link.attrs["href"].startswith("/static/")


# --------------------------------------------------------------------------- language


def test_lang_parameter_renders_spanish_and_sets_a_cookie(client: TestClient) -> None:
    with TestClient(client.app, base_url=BASE_URL) as fresh:
        response = fresh.get("/search", params={"q": "golpes", "lang": "es"})
        page = parse(response.text)
        assert page.find("html").attrs["lang"] == "es"
        assert squash(page.find("button", type="submit").text()) == "Buscar"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("lang=es") and "httponly" in cookie.lower()
        assert fresh.cookies.get("lang") == "es"
        # a later request, with only the cookie, is Spanish too
        later = parse(fresh.get("/vocabulary/abuse-types").text)
        assert later.find("html").attrs["lang"] == "es"
        assert "Descargas eléctricas" in later.text()
        # and the switch back to English sticks the same way
        switch = later.find("ul", "language-switch").find("a", hreflang="en").attrs["href"]
        assert query_of(switch)["lang"] == "en"
        fresh.get(switch)
        assert parse(fresh.get("/search").text).find("html").attrs["lang"] == "en"


def test_accept_language_chooses_spanish(http: TestClient) -> None:
    response = http.get("/search", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    page = parse(response.text)
    assert page.find("html").attrs["lang"] == "es"
    assert squash(page.find("button", type="submit").text()) == "Buscar"
    assert "set-cookie" not in response.headers
    english = parse(http.get("/search", headers={"Accept-Language": "fr, en;q=0.8"}).text)
    assert english.find("html").attrs["lang"] == "en"
    assert squash(english.find("button", type="submit").text()) == "Search"


def test_an_unsupported_lang_parameter_is_ignored(client: TestClient) -> None:
    with TestClient(client.app, base_url=BASE_URL) as fresh:
        response = fresh.get("/search", params={"lang": "xx"})
        assert response.status_code == 200
        assert parse(response.text).find("html").attrs["lang"] == "en"
        assert "set-cookie" not in response.headers


# --------------------------------------------------------------------------- static files


def test_static_files_are_served(http: TestClient) -> None:
    css = http.get("/static/style.css")
    js = http.get("/static/app.js")
    assert css.status_code == js.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "javascript" in js.headers["content-type"]
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.text)
    assert not re.search(r"https?://", js.text)
    assert http.get("/static/nosuch.css").status_code == 404
    assert http.get("/static/../pyproject.toml").status_code == 404


def test_the_search_page_weighs_under_100_kb(http: TestClient) -> None:
    response = http.get("/search", params={"q": "golpes"})
    page = parse(response.text)
    assets = [link.attrs["href"] for link in page.find_all("link")]
    assets += [script.attrs["src"] for script in page.find_all("script")]
    assert "/static/style.css" in assets and "/static/app.js" in assets
    weight = len(response.content) + sum(len(http.get(url).content) for url in assets)
    assert weight < 100_000, weight


def test_the_search_api_writes_the_results_json_as_utf8(http: TestClient) -> None:
    """/api/search answers with `result_json` of the same search, written compactly in
    UTF-8 (accents as themselves, not as escapes)."""
    service = http.app.state.service  # type: ignore[attr-defined]
    for params in ({"q": "agentes migración"}, {"q": "police", "unit": "paragraph"},
                   {"q": "", "location": "MX-CHP"}):  # fmt: skip
        response = http.get("/api/search", params=params)
        assert response.status_code == 200
        found = response.json()
        expected = result_json(service.search(SearchRequest(**params), ANONYMOUS),
                               service.vocabulary)  # fmt: skip
        assert found["took_ms"] >= 0
        del found["took_ms"], expected["took_ms"]
        assert found["total"] > 0 and found == json.loads(json.dumps(expected))
    raw = http.get("/api/search", params={"q": "migración"}).content
    assert "ó".encode() in raw and b"\\u00f3" not in raw and b", " not in raw[:200]


def test_the_json_endpoints_are_json_even_on_errors(http: TestClient) -> None:
    for url in ("/api/search?page=0", "/api/documents/UPPER", "/healthz"):
        response = http.get(url)
        assert response.headers["content-type"].startswith("application/json"), url
        assert isinstance(response.json(), dict)


# --------------------------------------------------------------------------- the index missing


def own_sample(tmp_path: Path) -> Settings:
    """A copy of the sample archive of one test's own, not yet indexed."""
    from .conftest import copy_sample_archive

    return Settings(archive_dir=copy_sample_archive(tmp_path / "archive"), var_dir=tmp_path)


def test_pages_say_how_to_build_a_missing_or_outdated_index(tmp_path: Path) -> None:
    settings = own_sample(tmp_path)
    with TestClient(create_app(settings)) as client:
        page = client.get("/search?q=agents")
        assert page.status_code == 503 and "has not been built yet" in page.text
        rebuild_index(Archive(settings.archive_dir), settings.index_dir)
        assert client.get("/search?q=agents").status_code == 200
        rebuild_index(Archive(settings.archive_dir), settings.index_dir)
        (settings.index_dir / "FORMAT").write_text("1\n", encoding="utf-8")  # another version's
        page = client.get("/search?q=agents", headers={"Accept-Language": "es"})
        assert page.status_code == 503 and "otra versión" in page.text
        api = client.get("/api/search?q=agents")
        assert api.status_code == 503 and "another version" in api.json()["error"]
        assert str(tmp_path) not in api.text + page.text


def test_a_damaged_archive_file_is_reported_without_the_servers_paths(tmp_path: Path) -> None:
    settings = own_sample(tmp_path)
    archive = Archive(settings.archive_dir)
    rebuild_index(archive, settings.index_dir)
    doc_id = archive.paths()[0].stem
    path = archive.path_for(doc_id)
    path.write_text(path.read_text(encoding="utf-8").replace("id:", "id: [", 1), encoding="utf-8")
    with TestClient(create_app(settings)) as client:
        page = client.get(f"/documents/{doc_id}")
        api = client.get(f"/api/documents/{doc_id}")
    assert page.status_code == api.status_code == 422
    assert "could not be read from the archive" in page.text
    assert "could not be read from the archive" in api.json()["error"]
    assert str(tmp_path) not in page.text + api.text and ".md" not in page.text + api.text
