"""The access matrix: every route of the app × every role × every state of a document
(public, restricted, public with a redacted passage), generated from the app's own route
table, so that a new route cannot slip in without a rule that says who may do what.

The archive is written here, small, so that each state is one document with words of its
own: what a role may not see is a string that must not appear anywhere in what that role
is sent. Then twin archives, which differ only in what a role may not see (the restricted
document, the redacted word, the witness details, the exact dates), must give that role
the same answers: nothing it is sent depends on what it may not see.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.routing import BaseRoute, Mount, Route

from testimony_archive.access import ROLES, Role, Viewer
from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.excerpts import document_json, parse_place
from testimony_archive.importer import import_paths
from testimony_archive.index import rebuild_index
from testimony_archive.models import body_sha256
from testimony_archive.web.app import create_app

# --------------------------------------------------------------------------- the archive

SECRET = "Zacualpa"  # the redacted word: the name of a witness's home village
STAND_IN = "Qamzuvex"  # a word of the same length that is nowhere
REDACTED_PARAGRAPH = f"We walked from {SECRET} through the cornfields to the river at night."
_START = REDACTED_PARAGRAPH.index(SECRET)
PASSWORD = "violet-harbor-lantern-93"
USERS: dict[Role, str] = {"researcher": "rita", "editor": "eddie", "admin": "ada"}

RECORDS: list[dict[str, Any]] = [
    {
        "id": "t-pub-001", "kind": "testimony", "language": "en", "date": "2012-05-06",
        "title": "Beaten at the market of Pixquiac",
        "text": "I sold maize at the Pixquiac market and came home by truck.\n\n"
                "Two police officers beat me with batons behind the stalls.\n\n"
                "They took my earnings and left.",
        "perpetrators": ["police"], "abuse_types": ["torture.beating"], "locations": ["MX-CHP"],
        "incident": {"from": "2011-04-03", "to": "2011-04-09"},
        "witness": {"pseudonym": "Witness Amber", "age": 47, "gender": "female",
                    "community": "Tojolabal"},
        "suggested": {"abuse_types": ["property.extortion"]},
    },
    {
        "id": "t-res-002", "kind": "testimony", "language": "en", "date": "2003-08-01",
        "title": "Held by soldiers near Tlacuilo",
        "text": "Soldiers stopped our truck outside Tlacuilo.\n\n"
                "They kept us in a barracks for nine days.",
        "perpetrators": ["military"], "abuse_types": ["liberty.kidnapping"], "locations": ["GT"],
        "incident": {"from": "2003-07-21", "to": "2003-07-30"},
        "witness": {"pseudonym": "Witness Basalt", "age": 52, "gender": "male",
                    "community": "Akateko"},
        "suggested": {"abuse_types": ["life.death-threat"]},
        "access": "restricted",
    },
    {
        "id": "t-red-003", "kind": "testimony", "language": "en", "date": "2014-09-10",
        "title": "Sent back across the river",
        "text": f"I crossed the border with my brother.\n\n{REDACTED_PARAGRAPH}\n\n"
                "Agents caught us and sent us back the same day.",
        "perpetrators": ["immigration"], "abuse_types": ["expulsion.deportation"],
        "locations": ["HN"],
        "incident": {"from": "2014-08-30"},
        "witness": {"pseudonym": "Witness Cobalt", "age": 29, "gender": "male",
                    "community": "Ixil"},
        "suggested": {"abuse_types": ["psychological.isolation"]},
        "redactions": [{"para": 2, "chars": f"{_START + 1}-{_START + len(SECRET)}",
                        "reason": "names the home village", "by": "tests",
                        "at": "2024-01-01T00:00:00+00:00"}],
    },
]  # fmt: skip


@dataclass(frozen=True)
class DocState:
    """One document of the archive, in one of the states the matrix crosses."""

    name: str
    doc: str
    title: str
    word: str  # a word of this document's text that no other document has
    year: str
    tags: dict[str, str]  # vocabulary section → this document's own confirmed tag
    community: str  # a witness detail that only editors and administrators see
    exact_date: str  # the first day of the events, which others see as the year only
    redactable: str  # a word of paragraph 1, for the redaction forms


STATES: dict[str, DocState] = {
    "public": DocState("public", "t-pub-001", "Beaten at the market of Pixquiac", "Pixquiac",
                       "2012", {"perpetrators": "police", "abuse-types": "torture.beating",
                                "places": "MX-CHP"}, "Tojolabal", "2011-04-03", "maize"),
    "restricted": DocState("restricted", "t-res-002", "Held by soldiers near Tlacuilo",
                           "Tlacuilo", "2003", {"perpetrators": "military",
                           "abuse-types": "liberty.kidnapping", "places": "GT"}, "Akateko",
                           "2003-07-21", "truck"),
    "redacted": DocState("redacted", "t-red-003", "Sent back across the river", "cornfields",
                         "2014", {"perpetrators": "immigration",
                         "abuse-types": "expulsion.deportation", "places": "HN"}, "Ixil",
                         "2014-08-30", "brother"),
}  # fmt: skip
UNKNOWN_DOC = "t-unk-002"  # as long as the restricted id: the same bytes, apart from the id
assert len(UNKNOWN_DOC) == len(STATES["restricted"].doc)
# What a search for the redacted word may look like; none may find it for those who may
# not see it.
SECRET_QUERIES = (SECRET, SECRET.lower(), f'"from {SECRET}"', f"title:{SECRET} OR {SECRET}")

# The strings a role must never be sent (unless its own request holds them).
RESTRICTED_TRACES = ("t-res-002", "Tlacuilo", "Held by soldiers", "Witness Basalt")
HIDDEN_PARTS = (SECRET, "Tojolabal", "Akateko", "Ixil", "2011-04-03", "2011-04-09",
                "2003-07-21", "2003-07-30", "2014-08-30")  # fmt: skip
HIDDEN_FROM: dict[Role, tuple[str, ...]] = {
    "anonymous": RESTRICTED_TRACES + HIDDEN_PARTS,
    "researcher": HIDDEN_PARTS,
    "editor": (),
    "admin": (),
}


def reads(role: Role, state: DocState) -> bool:
    """Whether the role may read the state's document (the policy, spelled out)."""
    return role != "anonymous" or state.name != "restricted"


def sees_every_part(role: Role) -> bool:
    """Redacted passages, witness details beyond the pseudonym, exact dates."""
    return role in ("editor", "admin")


# --------------------------------------------------------------------------- worlds


def write_archive(root: Path, records: list[dict[str, Any]]) -> Settings:
    """An archive of these records under `root`, indexed."""
    settings = Settings(archive_dir=root / "archive", var_dir=root / "var")
    source = root / "records.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    archive = Archive(settings.archive_dir)
    report = import_paths(archive, [source])
    assert not report.failed, report.failed
    rebuild_index(archive, settings.index_dir)
    return settings


def csrf_token(client: TestClient) -> str:
    """The token the client's forms carry, read from a page as a browser has it (the
    sign-in page has a form for every visitor)."""
    page = client.get("/sign-in")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the sign-in page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    response = client.post(
        "/sign-in",
        data={"name": name, "password": password, "csrf": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return client


@dataclass
class World:
    """An app over an archive, with one client per role (signed in once: argon2 is slow)."""

    settings: Settings
    app: FastAPI
    clients: dict[Role, TestClient] = field(default_factory=dict)

    def fresh(self, role: Role) -> TestClient:
        """Another browser, signed in as the role's user."""
        client = TestClient(self.app)
        return client if role == "anonymous" else sign_in(client, USERS[role])

    @cached_property
    def archive(self) -> Archive:
        """The archive as its files say now (each `get` reads the file again)."""
        return Archive(self.settings.archive_dir)


@contextmanager
def open_world(root: Path, records: list[dict[str, Any]] = RECORDS) -> Iterator[World]:
    settings = write_archive(root, records)
    app = create_app(settings)
    for role, name in USERS.items():
        app.state.accounts.users.add(name, role, PASSWORD)
    with TestClient(app) as anonymous:  # runs the app's lifespan once
        world = World(settings, app, {"anonymous": anonymous})
        for role in USERS:
            world.clients[role] = world.fresh(role)
        yield world


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world the GET routes are visited in: nothing changes it."""
    with open_world(tmp_path_factory.mktemp("reading")) as world:
        yield world


@pytest.fixture(scope="module")
def writing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world the forms are posted to (each case puts back what it changed)."""
    with open_world(tmp_path_factory.mktemp("writing")) as world:
        world.app.state.accounts.users.add("sam", "researcher", PASSWORD)
        yield world


# --------------------------------------------------------------------------- a visit


@dataclass
class Visit:
    """One case of the matrix: a role, a document state, and the world it happens in."""

    role: Role
    state: DocState
    world: World

    @property
    def client(self) -> TestClient:
        return self.world.clients[self.role]

    def get(self, url: str, status: int | None = None) -> Response:
        return self._checked(url, self.client.get(url, follow_redirects=False), status)

    def post(
        self, url: str, data: dict[str, str], status: int, csrf: str | None = "",
        client: TestClient | None = None, files: list[Any] | None = None,
    ) -> Response:  # fmt: skip
        """POST a form (with `files`, a multipart one) with the client's own CSRF token
        (""), none (None) or this one."""
        client = client or self.client
        token = csrf_token(client) if csrf == "" else csrf
        form = {**data, "csrf": token} if token is not None else data
        response = client.post(url, data=form, files=files, follow_redirects=False)
        return self._checked(url, response, status)

    def _checked(self, url: str, response: Response, status: int | None) -> Response:
        if status is not None:
            assert response.status_code == status, (url, response.status_code, response.text[:400])
        assert_nothing_hidden(self.role, url, response)
        return response

    def same_as_unknown(self, url: str) -> None:
        """The answer for the state's document is the answer for an id nobody has: the
        same status, the same bytes and the same headers (the id swapped)."""
        doc, known = self.state.doc, self.get(url)
        unknown = self.get(url.replace(doc, UNKNOWN_DOC))
        assert known.status_code == unknown.status_code == 404
        assert known.content == unknown.content.replace(UNKNOWN_DOC.encode(), doc.encode())
        assert headers(known) == {
            name: value.replace(UNKNOWN_DOC, doc) for name, value in headers(unknown).items()
        }


def headers(response: Response) -> dict[str, str]:
    return {name.lower(): value for name, value in response.headers.multi_items()}


def assert_nothing_hidden(role: Role, url: str, response: Response) -> None:
    asked = unquote(url).casefold()
    sent = (response.text + "\n" + json.dumps(headers(response))).casefold()
    for hidden in HIDDEN_FROM[role]:
        if hidden.casefold() not in asked:  # a page may repeat what it was asked
            assert hidden.casefold() not in sent, f"{role} was sent {hidden!r} by {url}"


def links_to(response: Response, doc: str) -> bool:
    return f'href="/documents/{doc}' in response.text


def result_ids(data: dict[str, Any]) -> set[str]:
    return {hit["doc"] for hit in data["results"]}


def facet_values(data: dict[str, Any], name: str) -> set[str]:
    return {value["value"] for value in data["facets"].get(name, [])}


# --------------------------------------------------------------------------- GET routes


def check_openapi(visit: Visit) -> None:
    schema = visit.get("/openapi.json", 200).json()
    assert "/api/documents/{doc_id}" in schema["paths"]


def check_static(visit: Visit) -> None:
    response = visit.get("/static/style.css", 200)
    assert response.headers["content-type"].startswith("text/css")


def check_search_page(path: str) -> Callable[[Visit], None]:
    def check(visit: Visit) -> None:
        role, state = visit.role, visit.state
        readable = reads(role, state)
        browsing = visit.get(path, 200)
        assert links_to(browsing, state.doc) == readable
        assert (f"year={state.year}" in browsing.text) == readable  # the year bars
        for section, param in (("perpetrators", "perpetrator"), ("places", "location")):
            assert (f"{param}={state.tags[section]}" in browsing.text) == readable  # facets
        for unit in ("document", "paragraph"):
            found = visit.get(f"{path}?q={state.word}&unit={unit}", 200)
            assert links_to(found, state.doc) == readable, unit
        if state.name == "redacted":
            shown = visit.get(f"{path}?q={state.word}&unit=paragraph", 200).text
            assert (SECRET in shown) == sees_every_part(role)
            assert ("[redacted]" in shown) != sees_every_part(role)
            for q in SECRET_QUERIES:
                found = visit.get(f"{path}?q={quote(q)}", 200)
                assert links_to(found, state.doc) == sees_every_part(role), q
        if visit.role != "anonymous":
            assert browsing.headers["cache-control"] == "no-store"

    return check


def check_document_page(visit: Visit) -> None:
    role, state = visit.role, visit.state
    url = f"/documents/{state.doc}"
    if not reads(role, state):
        visit.same_as_unknown(url)
        visit.same_as_unknown(f"{url}?q={state.word}")
        return
    page = visit.get(url, 200).text
    assert f"<h1>{state.title}</h1>" in page
    every_part = sees_every_part(role)
    for label in ("Age", "Gender", "Community"):
        assert (f"<dt>{label}</dt>" in page) == every_part, label
    assert (state.community in page) == every_part
    assert (state.exact_date in page) == every_part
    events = state.exact_date if every_part else f"{state.exact_date[:4]}</dd>"
    assert f"<dt>Events</dt><dd>{events}" in page
    assert (f'action="/documents/{state.doc}/tags"' in page) == every_part  # the forms
    if state.name == "redacted":
        assert (f'<span class="redacted">{SECRET}</span>' in page) == every_part
        assert ('<span class="redacted">[redacted]</span>' in page) != every_part
        marked = visit.get(f"{url}?q={state.word}", 200).text
        assert f"<mark>{state.word}</mark>" in marked and 'class="paragraph hit"' in marked
        for q in SECRET_QUERIES[:3]:
            marked = visit.get(f"{url}?q={quote(q)}", 200).text
            assert ('class="paragraph hit"' in marked) == every_part, q
            assert ("<mark>" in marked) == every_part, q
    if role != "anonymous":
        assert visit.get(url).headers["cache-control"] == "no-store"


def check_vocabulary_index(visit: Visit) -> None:
    response = visit.get("/vocabulary", 307)
    assert response.headers["location"] == "/vocabulary/abuse-types"


VOCABULARY_ROW = re.compile(r'<code>([^<]+)</code></td>\s*<td class="number">(\d+)</td>')


def check_vocabulary_page(visit: Visit) -> None:
    expected = 1 if reads(visit.role, visit.state) else 0
    for section, value in visit.state.tags.items():
        page = visit.get(f"/vocabulary/{section}", 200).text
        counts = {code: int(count) for code, count in VOCABULARY_ROW.findall(page)}
        assert counts, f"no rows on /vocabulary/{section}"
        assert counts.get(value, 0) == expected, (section, value)


def check_review(visit: Visit) -> None:
    page = visit.get("/review", 200)
    assert links_to(page, visit.state.doc) == reads(visit.role, visit.state)


def check_sign_in_page(visit: Visit) -> None:
    page = visit.get("/sign-in", 200).text
    if visit.role == "anonymous":
        assert 'action="/sign-in"' in page and 'name="csrf"' in page
    else:
        assert f"You are signed in as {USERS[visit.role]}." in page


def signed_in_page(path: str, roles: tuple[Role, ...], shows: str) -> Callable[[Visit], None]:
    """A page of signed-in users: anonymous visitors are sent to sign in, roles outside
    `roles` are refused, the others see it (never cached)."""

    def check(visit: Visit) -> None:
        if visit.role == "anonymous":
            response = visit.get(path, 303)
            assert response.headers["location"] == f"/sign-in?next={quote(path, safe='')}"
        elif visit.role not in roles:
            visit.get(path, 403)
        else:
            response = visit.get(path, 200)
            assert shows.format(name=USERS[visit.role]) in response.text
            assert response.headers["cache-control"] == "no-store"

    return check


def check_api_search(visit: Visit) -> None:
    role, state = visit.role, visit.state
    readable, every_part = reads(role, state), sees_every_part(role)
    everything = visit.get("/api/search", 200).json()
    assert (state.doc in result_ids(everything)) == readable
    assert everything["total"] == (3 if role != "anonymous" else 2)
    assert (state.year in facet_values(everything, "year")) == readable
    assert (state.tags["perpetrators"] in facet_values(everything, "perpetrators")) == readable
    for unit in ("document", "paragraph"):
        found = visit.get(f"/api/search?q={state.word}&unit={unit}", 200).json()
        assert (state.doc in result_ids(found)) == readable
        assert found["total"] == (1 if readable else 0)
    if state.name == "redacted":
        hits = visit.get(f"/api/search?q={state.word}&unit=paragraph", 200).json()["results"]
        assert [hit["para"] for hit in hits] == [2]
        text, spans = hits[0]["text"], hits[0]["highlights"]
        assert (SECRET in text) == every_part and ("[redacted]" in text) != every_part
        assert [text[start:end] for start, end in spans] == [state.word]
        for q in SECRET_QUERIES:
            found = visit.get(f"/api/search?q={quote(q)}", 200).json()
            assert (state.doc in result_ids(found)) == every_part, q


def check_api_document(visit: Visit) -> None:
    role, state = visit.role, visit.state
    url = f"/api/documents/{state.doc}"
    if not reads(role, state):
        visit.same_as_unknown(url)
        return
    data = visit.get(url, 200).json()
    assert data["id"] == state.doc and data["title"] == state.title
    every_part = sees_every_part(role)
    assert set(data["witness"]) == (
        {"pseudonym", "age", "gender", "community"} if every_part else {"pseudonym"}
    )
    if state.name == "redacted":
        text = data["paragraphs"][1]["text"]
        assert (SECRET in text) == every_part and ("[redacted]" in text) != every_part


def check_api_paragraph(visit: Visit) -> None:
    role, state = visit.role, visit.state
    url = f"/api/documents/{state.doc}/paragraphs/2"
    if not reads(role, state):
        visit.same_as_unknown(url)
        return
    data = visit.get(url, 200).json()
    assert data["doc"] == state.doc and data["para"] == 2
    assert data["citation"]["permalink"].endswith(f"/documents/{state.doc}#p2")
    if state.name == "redacted":
        every_part = sees_every_part(role)
        assert (SECRET in data["text"]) == every_part
        assert ("[redacted]" in data["text"]) != every_part


def check_healthz(visit: Visit) -> None:
    counts = visit.get("/healthz", 200).json()
    if visit.role == "anonymous":
        assert counts == {"status": "ok", "documents": 2, "paragraphs": 6}
    else:
        assert counts == {"status": "ok", "documents": 3, "paragraphs": 8}


# --------------------------------------------------------------------------- POST routes


def refused_without_token(visit: Visit, url: str, data: dict[str, str]) -> None:
    """A form without the CSRF token, or with another one, is refused (403); the
    callers check that it changed nothing."""
    for token in (None, "x" * 43):
        visit.post(url, data, 403, csrf=token)


def check_tag_form(visit: Visit) -> None:
    role, state = visit.role, visit.state
    url = f"/documents/{state.doc}/tags"
    add = {"action": "add", "value": "torture.electric-shock"}

    def tags() -> tuple[str, ...]:
        return visit.world.archive.get(state.doc).tags.abuse_types

    before = tags()
    refused_without_token(visit, url, add)
    if not sees_every_part(role):
        response = visit.post(url, add, 403)
        if role == "anonymous" and state.name == "restricted":
            unknown = visit.post(url.replace(state.doc, UNKNOWN_DOC), add, 403)
            assert response.content == unknown.content.replace(
                UNKNOWN_DOC.encode(), state.doc.encode()
            )
        assert tags() == before
        return
    response = visit.post(url, add, 303)
    assert response.headers["location"] == f"/documents/{state.doc}#tags"
    assert "torture.electric-shock" in tags()
    visit.post(url, {"action": "remove", "value": "torture.electric-shock"}, 303)
    assert tags() == before


def check_redaction_form(visit: Visit) -> None:
    role, state = visit.role, visit.state
    url = f"/documents/{state.doc}/redactions"
    form = {"para": "1", "reason": "names a relative", "words": state.redactable}

    def redactions() -> int:
        return len(visit.world.archive.get(state.doc).redactions)

    before = redactions()
    refused_without_token(visit, url, form)
    if not sees_every_part(role):
        visit.post(url, form, 403)
        assert redactions() == before
        return
    response = visit.post(url, form, 303)
    assert response.headers["location"] == f"/documents/{state.doc}#p1"
    assert redactions() == before + 1
    anonymous = visit.world.clients["anonymous"]
    if state.name != "restricted":  # at once, for everyone who may not see it
        shown = anonymous.get(f"/api/documents/{state.doc}/paragraphs/1").json()["text"]
        assert state.redactable not in shown and "[redacted]" in shown
    last = visit.world.archive.get(state.doc).redactions[-1]
    visit.post(f"{url}/{before + 1}/remove", {"which": f"{last.para}:{last.chars}"}, 303)
    assert redactions() == before


def check_unredaction_form(visit: Visit) -> None:
    role, state = visit.role, visit.state

    def redactions() -> int:
        return len(visit.world.archive.get(state.doc).redactions)

    if not sees_every_part(role):  # refused before the number is looked at
        before = redactions()
        url = f"/documents/{state.doc}/redactions/1/remove"
        refused_without_token(visit, url, {})
        visit.post(url, {}, 403)
        assert redactions() == before
        return
    service = visit.world.app.state.service
    service.redact(Viewer.administrator("tests"), state.doc, 1, "a test", words=state.redactable)
    number = redactions()
    url = f"/documents/{state.doc}/redactions/{number}/remove"
    refused_without_token(visit, url, {})
    assert redactions() == number
    last = visit.world.archive.get(state.doc).redactions[-1]
    which = {"which": f"{last.para}:{last.chars}"}
    response = visit.post(url, which, 303)
    assert response.headers["location"] == f"/documents/{state.doc}#redactions"
    assert redactions() == number - 1
    visit.post(url, which, 400)  # the same form again: that redaction is gone
    assert redactions() == number - 1


def check_sign_in_form(visit: Visit) -> None:
    client = TestClient(visit.world.app)  # another browser, not signed in yet
    name = USERS.get(visit.role, "nobody")
    form = {"name": name, "password": PASSWORD}
    for token in (None, "x" * 43):
        visit.post("/sign-in", form, 403, csrf=token, client=client)
    assert "session" not in client.cookies
    if visit.role == "anonymous":
        visit.post("/sign-in", form, 401, client=client)
        assert "session" not in client.cookies
        return
    response = visit.post("/sign-in", form, 303, client=client)
    assert response.headers["location"] == "/search"
    assert f"You are signed in as {name}." in client.get("/sign-in").text


def check_code_form(visit: Visit) -> None:
    refused_without_token(visit, "/sign-in/code", {"code": "123456"})
    visit.post("/sign-in/code", {"code": "123456"}, 401)  # no sign-in waits for a code
    if visit.role != "anonymous":  # and the session it has goes on
        assert visit.client.get("/account", follow_redirects=False).status_code == 200


def check_sign_out_form(visit: Visit) -> None:
    client = visit.world.fresh(visit.role)
    for token in (None, "x" * 43):
        visit.post("/sign-out", {}, 403, csrf=token, client=client)
    signed_in = visit.role != "anonymous"
    assert (client.get("/account", follow_redirects=False).status_code == 200) == signed_in
    old = client.cookies.get("session")
    response = visit.post("/sign-out", {}, 303, client=client)
    assert response.headers["location"] == "/search"
    assert response.headers["clear-site-data"] == '"cache"'
    assert client.get("/account", follow_redirects=False).status_code == 303
    if old:  # the cookie the browser forgot is worth nothing to whoever kept it
        replay = TestClient(visit.world.app, cookies={"session": old})
        assert replay.get("/account", follow_redirects=False).status_code == 303


def signed_in_form(
    path: str, data: dict[str, str], allowed: tuple[Role, ...], status: int, shows: str = ""
) -> Callable[[Visit], None]:
    """A form of signed-in users: anonymous visitors 401, roles outside `allowed` 403,
    no token 403, and `status` for the others (redirected to `shows`)."""

    def check(visit: Visit) -> None:
        if visit.role == "anonymous":
            visit.post(path, data, 401)
            visit.post(path, data, 401, csrf=None)
            return
        refused_without_token(visit, path, data)
        if visit.role not in allowed:
            visit.post(path, data, 403)
            return
        response = visit.post(path, data, status)
        assert shows in (response.headers["location"] if status == 303 else response.text)

    return check


def check_add_user_form(visit: Visit) -> None:
    signed_in_form("/admin/users", {"name": f"new-{visit.role}", "role": "researcher",
                                    "password": PASSWORD}, ("admin",), 303,
                   "/admin/users?done=new-admin")(visit)  # fmt: skip
    users = visit.world.app.state.accounts.users
    assert (users.find(f"new-{visit.role}") is not None) == (visit.role == "admin")


# --------------------------------------------------------------------------- collections

_NAMES = itertools.count(1)


def user_of(visit: Visit) -> Viewer:
    return Viewer(role=visit.role, name=USERS[visit.role])


def own_collection(visit: Visit, doc: str | None = None, owner: Viewer | None = None) -> int:
    """A new collection of the visiting user's (or of `owner`), holding paragraph 2 of
    `doc` if one is given."""
    desk = visit.world.app.state.desk
    owner = owner or user_of(visit)
    collection = desk.create(owner, f"case {next(_NAMES)}")
    if doc is not None:
        desk.add(owner, collection.id, parse_place(doc, "2"))
    return int(collection.id)


def someone_elses(visit: Visit) -> int:
    return own_collection(visit, None, Viewer(role="researcher", name="someone-else"))


def as_unknown_collection(visit: Visit, path: str, other: int, method: str = "get",
                          data: dict[str, str] | None = None) -> None:  # fmt: skip
    """Another user's collection answers as one that does not exist: 404, same bytes."""
    unknown = 999_999
    if method == "get":
        theirs, nobodys = (visit.get(path.format(id=n), 404) for n in (other, unknown))
    else:
        theirs, nobodys = (visit.post(path.format(id=n), data or {}, 404)
                           for n in (other, unknown))  # fmt: skip
    def number_out(content: bytes, number: int) -> bytes:
        return re.sub(rb"\b%d\b" % number, b"N", content)

    assert number_out(theirs.content, other) == number_out(nobodys.content, unknown)


def shows_as_the_role_may(visit: Visit, text: str) -> None:
    """The state's paragraph 2 as the role may see it (the redacted word or the marker)."""
    if visit.state.name == "redacted":
        every_part = sees_every_part(visit.role)
        assert (SECRET in text) == every_part and ("[redacted]" in text) != every_part


def check_collection_page(visit: Visit) -> None:
    if visit.role == "anonymous":
        visit.get("/collections/1", 303)
        return
    number = own_collection(visit, visit.state.doc)
    page = visit.get(f"/collections/{number}", 200)
    assert visit.state.title in page.text and page.headers["cache-control"] == "no-store"
    shows_as_the_role_may(visit, page.text)
    as_unknown_collection(visit, "/collections/{id}", someone_elses(visit))


def check_collect_form(visit: Visit) -> None:
    form = {"place": f"{visit.state.doc}:2"}
    if visit.role == "anonymous":
        visit.post("/collections/collect", form, 401)
        return
    refused_without_token(visit, "/collections/collect", form)
    page = visit.post("/collections/collect", form, 200)
    assert visit.state.title in page.text and 'name="collection"' not in page.text.split(
        "collect-places")[0]
    shows_as_the_role_may(visit, page.text)


def check_add_form(visit: Visit) -> None:
    name = f"added {next(_NAMES)}"
    form = {"place": f"{visit.state.doc}:2", "new_name": name}
    if visit.role == "anonymous":
        visit.post("/collections/add", form, 401)
        return
    refused_without_token(visit, "/collections/add", form)
    response = visit.post("/collections/add", form, 303)
    number = int(response.headers["location"].split("/")[2].split("?")[0])
    collection = visit.world.app.state.desk.get(user_of(visit), number)
    assert collection.name == name
    assert [item.place.key for item in collection.items] == [f"{visit.state.doc} ¶2-2"]


def collection_form(action: str, data: dict[str, str], status: int = 303
                    ) -> Callable[[Visit], None]:  # fmt: skip
    """A form on one collection (or one of its items, `{item}`): anonymous visitors 401,
    the owner `status`, anyone else's collection 404 as an unknown one, no token 403."""

    def check(visit: Visit) -> None:
        if visit.role == "anonymous":
            visit.post(f"/collections/1/{action.format(item=1)}", data, 401)
            return
        number = own_collection(visit, STATES["public"].doc)
        desk = visit.world.app.state.desk
        item = desk.get(user_of(visit), number).items[0].id
        path = f"/collections/{number}/{action.format(item=item)}"
        refused_without_token(visit, path, data)
        visit.post(path, data, status)
        other = someone_elses(visit)
        desk.add(Viewer(role="researcher", name="someone-else"), other,
                 parse_place(STATES["public"].doc, "1"))  # fmt: skip
        theirs = desk.get(Viewer(role="researcher", name="someone-else"), other)
        their_path = "/collections/{id}/" + action.format(item=theirs.items[0].id)
        as_unknown_collection(visit, their_path, other, "post", data)
        assert desk.get(Viewer(role="researcher", name="someone-else"), other) == theirs

    return check


def check_collection_export(visit: Visit) -> None:
    if visit.role == "anonymous":
        visit.get("/collections/1/export/json", 303)
        return
    number = own_collection(visit, visit.state.doc)
    for format in ("json", "csv", "md"):
        response = visit.get(f"/collections/{number}/export/{format}", 200)
        assert visit.state.title in response.text
        shows_as_the_role_may(visit, response.text)
    entry = visit.world.app.state.service.audit.entries()[-1]
    assert (entry.action, entry.actor, entry.detail["format"]) == ("export", USERS[visit.role],
                                                                   "md")  # fmt: skip
    as_unknown_collection(visit, "/collections/{id}/export/json", someone_elses(visit))


def check_search_export(visit: Visit) -> None:
    url = f"/search/export/json?q={visit.state.word}"
    if visit.role == "anonymous":
        visit.get(url, 303)
        return
    data = visit.get(url, 200).json()
    assert visit.state.doc in {excerpt["doc"] for excerpt in data["excerpts"]}
    shows_as_the_role_may(visit, json.dumps(data, ensure_ascii=False))


def check_verify_page(visit: Visit) -> None:
    page = visit.get("/verify", 200)
    assert 'enctype="multipart/form-data"' in page.text and 'name="csrf"' in page.text


def check_verify_form(visit: Visit) -> None:
    """An excerpt of the state's paragraph 2 taken by an administrator, sent by each
    role: a restricted one is missing for anonymous visitors, as an unknown document is,
    and the redacted word is never sent back to those who may not see it."""
    service = visit.world.app.state.service
    excerpt = service.excerpt(Viewer.administrator("tests"), parse_place(visit.state.doc, "2"))

    def sent(doc: str) -> Response:
        chosen = dataclasses.replace(excerpt, place=parse_place(doc, "2"))
        body = document_json([chosen], archive="a", at="t", by="b", software="s")
        files = {"bundle": ("excerpts.json", json.dumps(body).encode(), "application/json")}
        token = csrf_token(visit.client)
        response = visit.client.post("/verify", data={"csrf": token}, files=files)
        assert response.status_code == 200
        assert_nothing_hidden(visit.role, f"/verify {doc}", response)  # the id was sent
        return response

    shown = sent(visit.state.doc).text
    if not reads(visit.role, visit.state):
        assert shown == sent(UNKNOWN_DOC).text.replace(UNKNOWN_DOC, visit.state.doc)
        assert 'class="verdict missing"' in shown
    elif visit.state.name == "redacted" and not sees_every_part(visit.role):
        assert 'class="verdict redacted-since"' in shown
    else:
        assert 'class="verdict faithful"' in shown


IMPORTED = {"id": "t-imp-009", "kind": "testimony", "language": "en", "date": "2021-01-01",
            "title": "Sent by the import form", "text": "A record sent to be checked only."}
EDITORS: tuple[Role, ...] = ("editor", "admin")  # who may import


def check_import_form(visit: Visit) -> None:
    """A dry run of a new record: anonymous visitors 401, readers 403, no token 403, and
    editors and administrators its report (200), the archive left as it was."""
    upload = [("files", ("new.jsonl", json.dumps(IMPORTED).encode() + b"\n"))]

    def sent(status: int, csrf: str | None = "") -> Response:
        return visit.post("/import", {"dry_run": "true"}, status, csrf=csrf, files=upload)

    if visit.role == "anonymous":
        sent(401)
        sent(401, csrf=None)
    else:
        for token in (None, "x" * 43):
            sent(403, csrf=token)
        if visit.role not in EDITORS:
            sent(403)
        else:
            shown = sent(200).text
            assert "Dry run: 1 new, 0 already archived, 0 refused." in shown
            assert "<td>new.jsonl</td>" in shown
    assert not visit.world.archive.path_for(IMPORTED["id"]).exists()


# --------------------------------------------------------------------------- the rules

DOCUMENT_STATES = tuple(STATES)
NO_DOCUMENT = ("any",)  # a route that shows no one document: one case per role
EVERY_ROLE: tuple[Role, ...] = ROLES
SIGNED_IN: tuple[Role, ...] = ("researcher", "editor", "admin")


@dataclass(frozen=True)
class Rule:
    """How to visit one route, and what each role must get, in each document state."""

    check: Callable[[Visit], None]
    states: tuple[str, ...] = NO_DOCUMENT
    world: str = "reading"  # "writing" for the routes that change something


RULES: dict[str, Rule] = {
    "GET /openapi.json": Rule(check_openapi),
    "MOUNT /static": Rule(check_static),
    "GET /": Rule(check_search_page("/"), DOCUMENT_STATES),
    "GET /search": Rule(check_search_page("/search"), DOCUMENT_STATES),
    "GET /documents/{doc_id}": Rule(check_document_page, DOCUMENT_STATES),
    "POST /documents/{doc_id}/tags": Rule(check_tag_form, DOCUMENT_STATES, "writing"),
    "POST /documents/{doc_id}/redactions": Rule(check_redaction_form, DOCUMENT_STATES,
                                                "writing"),
    "POST /documents/{doc_id}/redactions/{number}/remove": Rule(
        check_unredaction_form, DOCUMENT_STATES, "writing"),
    "GET /vocabulary": Rule(check_vocabulary_index),
    "GET /vocabulary/{section}": Rule(check_vocabulary_page, DOCUMENT_STATES),
    "GET /review": Rule(check_review, DOCUMENT_STATES),
    "GET /sign-in": Rule(check_sign_in_page),
    "POST /sign-in": Rule(check_sign_in_form, world="writing"),
    "POST /sign-in/code": Rule(check_code_form, world="writing"),
    "POST /sign-out": Rule(check_sign_out_form, world="writing"),
    "GET /account": Rule(signed_in_page("/account", SIGNED_IN, "<dd>{name}</dd>")),
    "POST /account/second-factor": Rule(signed_in_form(
        "/account/second-factor", {"password": PASSWORD}, SIGNED_IN, 200, 'id="secret"'),
        world="writing"),
    "POST /account/second-factor/confirm": Rule(signed_in_form(
        "/account/second-factor/confirm", {"code": "000000"}, SIGNED_IN, 400),
        world="writing"),
    "POST /account/password": Rule(signed_in_form(
        "/account/password", {"current": "not-the-password-1", "new": "a-new-long-phrase-77"},
        SIGNED_IN, 400), world="writing"),
    "GET /admin/users": Rule(signed_in_page("/admin/users", ("admin",), "<td>rita</td>")),
    "POST /admin/users": Rule(check_add_user_form, world="writing"),
    "POST /admin/users/{name}": Rule(signed_in_form(
        "/admin/users/sam", {"action": "sign-out"}, ("admin",), 303,
        "/admin/users?done=sam"), world="writing"),
    "GET /admin/audit": Rule(signed_in_page("/admin/audit", ("admin",), "sign-in")),
    "GET /api/search": Rule(check_api_search, DOCUMENT_STATES),
    "GET /api/documents/{doc_id}": Rule(check_api_document, DOCUMENT_STATES),
    "GET /api/documents/{doc_id}/paragraphs/{number}": Rule(check_api_paragraph,
                                                            DOCUMENT_STATES),
    "GET /healthz": Rule(check_healthz),
    "GET /collections": Rule(signed_in_page("/collections", SIGNED_IN, "Your collections")),
    "POST /collections": Rule(signed_in_form("/collections", {"name": "A new case"},
                                             SIGNED_IN, 303, "/collections/"), world="writing"),
    "GET /collections/{collection_id}": Rule(check_collection_page, DOCUMENT_STATES,
                                             "writing"),
    "POST /collections/collect": Rule(check_collect_form, DOCUMENT_STATES, "writing"),
    "POST /collections/add": Rule(check_add_form, DOCUMENT_STATES, "writing"),
    "POST /collections/{collection_id}/rename": Rule(collection_form(
        "rename", {"name": "Renamed"}), world="writing"),
    "POST /collections/{collection_id}/delete": Rule(collection_form("delete", {}),
                                                     world="writing"),
    "POST /collections/{collection_id}/items/{item_id}/note": Rule(collection_form(
        "items/{item}/note", {"note": "see the date"}), world="writing"),
    "POST /collections/{collection_id}/items/{item_id}/move": Rule(collection_form(
        "items/{item}/move", {"position": "1"}), world="writing"),
    "POST /collections/{collection_id}/items/{item_id}/remove": Rule(collection_form(
        "items/{item}/remove", {}), world="writing"),
    "GET /collections/{collection_id}/export/{format}": Rule(check_collection_export,
                                                             DOCUMENT_STATES, "writing"),
    "GET /search/export/{format}": Rule(check_search_export, DOCUMENT_STATES, "writing"),
    "GET /verify": Rule(check_verify_page),
    "POST /verify": Rule(check_verify_form, DOCUMENT_STATES, "writing"),
    "GET /import": Rule(signed_in_page("/import", EDITORS, 'action="/import"')),
    "POST /import": Rule(check_import_form, world="writing"),
}  # fmt: skip
CASES = [
    pytest.param(key, role, state, id=f"{key}|{role}|{state}")
    for key, rule in RULES.items()
    for role in EVERY_ROLE
    for state in rule.states
]


def route_table(routes: list[BaseRoute], prefix: str = "") -> set[str]:
    """Every route of an app as "METHOD /path", inside the routers it includes too."""
    found: set[str] = set()
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            found |= route_table(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute | Route):
            # HEAD is GET without the body: it is answered as GET is.
            found |= {f"{method} {prefix}{route.path}" for method in route.methods or ()
                      if method != "HEAD"}  # fmt: skip
        elif isinstance(route, Mount):
            found.add(f"MOUNT {prefix}{route.path}")
        else:
            raise AssertionError(f"the matrix does not know this kind of route: {route!r}")
    return found


def test_every_route_has_a_rule(reading: World) -> None:
    routes = route_table(reading.app.routes)
    assert len(routes) >= 25
    assert not routes - set(RULES), f"routes without a rule in RULES: {sorted(routes - set(RULES))}"
    assert not set(RULES) - routes, f"rules of routes that are gone: {set(RULES) - routes}"


def test_the_matrix_is_large_enough() -> None:
    stateful = sum(1 for rule in RULES.values() if rule.states == DOCUMENT_STATES)
    print(
        f"\naccess matrix: {len(CASES)} cases = {stateful} routes × {len(EVERY_ROLE)} roles × "
        f"{len(DOCUMENT_STATES)} document states + {len(RULES) - stateful} routes × "
        f"{len(EVERY_ROLE)} roles"
    )
    assert len(CASES) >= 196


@pytest.mark.parametrize(("key", "role", "state"), CASES)
def test_access_matrix(key: str, role: Role, state: str, reading: World, writing: World) -> None:
    rule = RULES[key]
    world = writing if rule.world == "writing" else reading
    rule.check(Visit(role, STATES.get(state, STATES["public"]), world))


# --------------------------------------------------------------------------- twins


def twin_records(*, keep_restricted: bool) -> list[dict[str, Any]]:
    """The archive with everything a reader may not see changed: the redacted word, the
    witness details but the pseudonym, the exact dates within their year; and without
    the restricted document unless `keep_restricted`."""
    twins: list[dict[str, Any]] = []
    for record in copy.deepcopy(RECORDS):
        if record.get("access") == "restricted" and not keep_restricted:
            continue
        record["text"] = record["text"].replace(SECRET, STAND_IN)
        witness = record["witness"]
        witness.update(age=witness["age"] + 9, community="Otra", gender="not said")
        record["incident"] = {key: value[:5] + "12-24" for key, value in record["incident"].items()}
        twins.append(record)
    return twins


@pytest.fixture(scope="module")
def anonymous_twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_world(tmp_path_factory.mktemp("twin"), twin_records(keep_restricted=False)) as w:
        yield w


@pytest.fixture(scope="module")
def researcher_twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_world(tmp_path_factory.mktemp("twin"), twin_records(keep_restricted=True)) as w:
        yield w


def normalised(response: Response) -> tuple[int, str, dict[str, str]]:
    """A response without what changes from call to call (tokens, timings) and without
    what the twin tests leave to tests of their own (scores, fingerprints)."""
    kept = {name: value for name, value in headers(response).items()
            if name not in ("content-length", "set-cookie")}  # fmt: skip
    return response.status_code, normalised_text(response.text), kept


def normalised_text(text: str) -> str:
    text = re.sub(r'name="csrf" value="[^"]+"', 'name="csrf" value=""', text)
    text = re.sub(r'"took_ms":[0-9.]+', '"took_ms":0', text)
    text = re.sub(r"\d+(\.\d+)? ?ms\b", "0 ms", text)
    text = re.sub(r'"score":[0-9.e-]+', '"score":0', text)
    return re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)


TWIN_URLS = [
    "/search", "/search?q=truck", "/search?q=cornfields&unit=paragraph",
    f"/search?q={SECRET}", f"/search?q={SECRET}&unit=paragraph", "/search?year=2003",
    "/search?perpetrator=military", "/search?sort=-date", "/search?q=Tlacuilo",
    "/vocabulary/perpetrators", "/vocabulary/places", "/vocabulary/abuse-types", "/review",
    "/healthz", "/api/search", "/api/search?q=truck&unit=paragraph", f"/api/search?q={SECRET}",
    "/api/search?q=cornfields&unit=paragraph", "/api/search?location=GT",
    "/documents/t-red-003", "/documents/t-red-003?q=cornfields", f"/documents/t-red-003?q={SECRET}",
    "/documents/t-pub-001", "/documents/t-res-002", "/documents/t-res-002?q=truck",
    "/api/documents/t-red-003", "/api/documents/t-red-003/paragraphs/2",
    "/api/documents/t-pub-001", "/api/documents/t-res-002", "/api/documents/t-res-002/paragraphs/1",
    "/sign-in", "/openapi.json",
]  # fmt: skip


@pytest.mark.parametrize("url", TWIN_URLS)
@pytest.mark.parametrize("role", ["anonymous", "researcher"])
def test_what_a_role_is_sent_does_not_depend_on_what_it_may_not_see(
    role: Role, url: str, reading: World, anonymous_twin: World, researcher_twin: World
) -> None:
    twin = anonymous_twin if role == "anonymous" else researcher_twin
    here = normalised(reading.clients[role].get(url, follow_redirects=False))
    there = normalised(twin.clients[role].get(url, follow_redirects=False))
    assert here == there


# ----------------------------------------------- what prefixes, fingerprints and scores tell


@pytest.mark.parametrize(
    ("role", "hidden", "nowhere"),
    [("anonymous", f"{SECRET[:6]}*", f"{STAND_IN[:6]}*"),
     ("researcher", f"{SECRET[:6]}*", f"{STAND_IN[:6]}*"),
     ("anonymous", f"{SECRET}~", f"{STAND_IN}~"),
     ("researcher", f"{SECRET}~", f"{STAND_IN}~"),
     ("anonymous", "Tlacuil*", "Tlaxoqu*")],  # a word of the restricted document
)  # fmt: skip
def test_a_prefix_or_fuzzy_word_tells_nothing_of_hidden_words(
    role: Role, hidden: str, nowhere: str, reading: World
) -> None:
    assert_same_answers(reading.clients[role], hidden, nowhere)


def assert_same_answers(client: TestClient, asked: str, other: str) -> None:
    """The search for `asked` answers as the search for `other` does, word for word."""
    near = client.get("/api/search", params={"q": asked}).json()
    far = client.get("/api/search", params={"q": other}).json()
    assert (near["total"], near["notes"]) == (far["total"], far["notes"])
    page = client.get("/search", params={"q": asked}).text
    for encode in (quote_plus, quote, str):
        page = page.replace(encode(asked), encode(other))
    assert normalised_text(page) == normalised_text(client.get("/search", params={"q": other}).text)


@pytest.mark.parametrize("role", ["anonymous", "researcher"])
def test_two_words_that_are_nowhere_get_the_same_answers(role: Role, reading: World) -> None:
    """The control of the test above: its comparison holds where nothing is hidden."""
    assert_same_answers(reading.clients[role], f"{STAND_IN[:6]}*", "Xobrit*")
    assert_same_answers(reading.clients[role], STAND_IN, "Xobritan")


def test_a_prefix_that_matches_no_word_finds_nothing(reading: World) -> None:
    found = reading.clients["anonymous"].get("/api/search", params={"q": "Qamzuv*"}).json()
    assert found["total"] == 0


@pytest.mark.parametrize("role", ["anonymous", "researcher"])
def test_the_fingerprint_shown_does_not_confirm_a_guess_of_a_redacted_word(
    role: Role, reading: World
) -> None:
    document = reading.clients[role].get("/api/documents/t-red-003").json()
    shown = "\n\n".join(paragraph["text"] for paragraph in document["paragraphs"])
    guesses = ["Chimaltenango", "Nebaj", "Cotzal", SECRET, "Chajul"]  # a list of villages
    confirmed = [
        guess for guess in guesses for ending in ("", "\n")
        if body_sha256(shown.replace("[redacted]", guess) + ending) == document["sha256"]
    ]  # fmt: skip
    assert confirmed == []


def test_scores_do_not_count_documents_the_viewer_may_not_read(
    reading: World, anonymous_twin: World
) -> None:
    def scores(world: World) -> list[float]:
        found = world.clients["anonymous"].get("/api/search", params={"q": "truck"}).json()
        return [hit["score"] for hit in found["results"]]

    assert scores(reading) == scores(anonymous_twin)
