"""Accounts over HTTP: signing in and out, sessions (fixation, idle and absolute expiry,
revocation), cookie flags and caching, the second factor, throttling, CSRF on every form,
where a sign-in may send the browser, and a server closed to anonymous visitors.

Every user signs in through the pages, as a browser would; only the clock is moved by
hand, in the instance database (a session's times, the failures the throttle counts).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import update

from testimony_archive.access import Role, Viewer
from testimony_archive.instance import stamp, tables, utc_now
from testimony_archive.security.throttle import PER_ACCOUNT, PER_ADDRESS
from testimony_archive.web.app import create_app

from .test_access_matrix import PASSWORD, USERS, World, csrf_token, open_world, route_table

ADMIN = Viewer.administrator("tests")
# Users whom no test disables or signs out everywhere: a sign-in of theirs is a session
# of its own. (Each sign-in costs an argon2 verification: tests share them.)
READER, EDITOR = USERS["researcher"], USERS["editor"]
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_world(tmp_path_factory.mktemp("accounts")) as world:
        yield world


def new_user(app: FastAPI, role: str = "researcher") -> str:
    name = f"user-{next(_numbers)}"
    app.state.accounts.users.add(name, role, PASSWORD)
    return name


def browser(
    app: FastAPI, address: str = "testclient", https: bool = False, session: str | None = None
) -> TestClient:
    """A browser of its own (cookies), at an address of its own (the throttle), with a
    session cookie planted where the server's own would go, if one is given."""
    client = TestClient(
        app, base_url="https://testserver" if https else "http://testserver", client=(address, 1)
    )
    if session:
        client.cookies.set("session", session, domain="testserver.local", path="/")
    return client


def post_sign_in(
    client: TestClient, name: str, password: str = PASSWORD, next: str | None = None
) -> Response:
    form = {"name": name, "password": password, "csrf": csrf_token(client)}
    if next is not None:
        form["next"] = next
    return client.post("/sign-in", data=form, follow_redirects=False)


def signed_in(client: TestClient, name: str) -> TestClient:
    response = post_sign_in(client, name)
    assert response.status_code == 303 and response.headers["location"] == "/search"
    return client


def signed_in_as(client: TestClient) -> str | None:
    """Whose account page the browser gets, or None when it is sent to sign in."""
    page = client.get("/account", follow_redirects=False)
    if page.status_code == 303:
        assert page.headers["location"].startswith("/sign-in?next=")
        return None
    assert page.status_code == 200, page.text[:300]
    found = re.search(r"<dt>User name</dt><dd>([^<]+)</dd>", page.text)
    assert found
    return found.group(1)


def sign_out(client: TestClient) -> Response:
    return client.post("/sign-out", data={"csrf": csrf_token(client)}, follow_redirects=False)


def session_cookie(response: Response) -> str:
    """The Set-Cookie header that sets (or deletes) the session cookie."""
    found = [value for name, value in response.headers.multi_items()
             if name.lower() == "set-cookie" and value.startswith("session=")]  # fmt: skip
    assert len(found) == 1, response.headers
    return found[0]


def cookie_flags(header: str) -> dict[str, str]:
    _pair, *attributes = header.split(";")
    return {
        key.strip().lower(): value.strip()
        for key, _, value in (attribute.partition("=") for attribute in attributes)
    }


def move_session(app: FastAPI, token: str, **moments: timedelta) -> None:
    """Set a session's times (seen_at, expires_at, ...) to now plus these offsets, as if
    that much time had passed (more than the second a live session is taken as live)."""
    key = hashlib.sha256(token.encode()).hexdigest()
    values = {column: stamp(utc_now() + offset) for column, offset in moments.items()}
    with app.state.database.begin() as connection:
        connection.execute(
            update(tables.sessions).where(tables.sessions.c.id == key).values(**values)
        )
    app.state.accounts.sessions.forget_checks()


# --------------------------------------------------------------------------- in and out


def test_signing_in_and_out(world: World) -> None:
    client = browser(world.app)
    response = post_sign_in(client, READER)
    assert response.status_code == 303 and response.headers["location"] == "/search"
    assert signed_in_as(client) == READER
    assert 'action="/sign-out"' in client.get("/search").text
    response = sign_out(client)
    assert response.status_code == 303 and response.headers["location"] == "/search"
    assert response.headers["clear-site-data"] == '"cache"'
    deleted = cookie_flags(session_cookie(response))
    assert deleted["max-age"] == "0" and "httponly" in deleted and deleted["path"] == "/"
    assert signed_in_as(client) is None


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(world: World) -> None:
    name = new_user(world.app)
    wrong = post_sign_in(browser(world.app, "198.51.100.1"), name, "not-the-password-123")
    unknown = post_sign_in(browser(world.app, "198.51.100.1"), "nobody-here", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401

    def shown(response: Response, typed: str) -> str:
        text = re.sub(r'name="csrf" value="[^"]+"', "", response.text)
        return text.replace(f'value="{typed}"', 'value=""')

    assert shown(wrong, name) == shown(unknown, "nobody-here")


def test_a_session_cookie_planted_before_sign_in_is_worthless_after(world: World) -> None:
    planted = secrets.token_urlsafe(32)
    victim = browser(world.app, session=planted)
    victim_name = EDITOR
    signed_in(victim, victim_name)
    assert victim.cookies["session"] != planted
    assert signed_in_as(browser(world.app, session=planted)) is None


def test_a_session_of_the_attackers_own_does_not_become_the_victims(world: World) -> None:
    attacker_name, victim_name = READER, EDITOR
    attacker = signed_in(browser(world.app), attacker_name)
    token = attacker.cookies["session"]
    victim = browser(world.app, session=token)  # the attacker's cookie, planted
    signed_in(victim, victim_name)
    assert victim.cookies["session"] != token
    assert signed_in_as(victim) == victim_name
    assert signed_in_as(browser(world.app, session=token)) is None  # the one it replaced ends


def test_signing_out_ends_the_session_on_the_server(world: World) -> None:
    client = signed_in(browser(world.app), READER)
    token = client.cookies["session"]
    assert sign_out(client).status_code == 303
    kept = browser(world.app, session=token)  # whoever copied the cookie before
    assert signed_in_as(kept) is None
    assert kept.get("/api/documents/t-res-002").status_code == 404


# --------------------------------------------------------------------------- expiry


@pytest.fixture(scope="module")
def short_sessions(world: World) -> FastAPI:
    """The same archive and database, served with short sessions."""
    settings = dataclasses.replace(
        world.settings, session_idle=timedelta(minutes=5), session_lifetime=timedelta(hours=2)
    )
    return create_app(settings)


def test_a_session_ends_when_idle_for_longer_than_the_setting(short_sessions: FastAPI) -> None:
    client = signed_in(browser(short_sessions), READER)
    token = client.cookies["session"]
    move_session(short_sessions, token, seen_at=-timedelta(minutes=4))
    assert signed_in_as(client) == READER  # and seen now
    move_session(short_sessions, token, seen_at=-timedelta(minutes=5, seconds=1))
    assert signed_in_as(client) is None
    move_session(short_sessions, token, seen_at=timedelta(0))  # ended is ended
    assert signed_in_as(client) is None


def test_a_session_ends_at_its_absolute_expiry_however_busy(short_sessions: FastAPI) -> None:
    client = browser(short_sessions)
    response = post_sign_in(client, READER)
    assert cookie_flags(session_cookie(response))["max-age"] == str(2 * 3600)
    token = client.cookies["session"]
    key = hashlib.sha256(token.encode()).hexdigest()
    with short_sessions.state.database.begin() as connection:
        row = connection.execute(tables.sessions.select().where(tables.sessions.c.id == key)).one()
    assert stamp(utc_now() + timedelta(hours=1, minutes=59)) < row.expires_at
    assert row.expires_at < stamp(utc_now() + timedelta(hours=2, minutes=1))
    move_session(short_sessions, token, seen_at=timedelta(0), expires_at=-timedelta(seconds=1))
    assert signed_in_as(client) is None


# --------------------------------------------------------------------------- revocation


def test_disabling_a_user_ends_its_sessions_at_once(world: World) -> None:
    accounts = world.app.state.accounts
    name = new_user(world.app)
    client = signed_in(browser(world.app), name)
    assert client.get("/api/documents/t-res-002").status_code == 200
    accounts.set_disabled(ADMIN, name, True)
    assert signed_in_as(client) is None
    assert client.get("/api/documents/t-res-002").status_code == 404
    assert post_sign_in(browser(world.app, "198.51.100.2"), name).status_code == 401
    accounts.set_disabled(ADMIN, name, False)
    assert signed_in_as(client) is None  # enabling again does not bring the session back
    assert signed_in_as(signed_in(browser(world.app, "198.51.100.2"), name)) == name


@pytest.mark.parametrize(
    "change", [{"action": "disable"}, {"action": "sign-out"}, {"action": "role", "role": "editor"}]
)
def test_an_administrator_ends_a_users_sessions_from_the_users_page(
    world: World, change: dict[str, str]
) -> None:
    name = new_user(world.app)
    client = signed_in(browser(world.app), name)
    admin = world.clients["admin"]
    response = admin.post(
        f"/admin/users/{name}", data={**change, "csrf": csrf_token(admin)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert signed_in_as(client) is None


# --------------------------------------------------------------------------- cookies, caching


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_the_session_cookie_flags(world: World, https: bool) -> None:
    client = browser(world.app, https=https)
    flags = cookie_flags(session_cookie(post_sign_in(client, READER)))
    assert "httponly" in flags and flags["samesite"].lower() == "lax" and flags["path"] == "/"
    assert ("secure" in flags) == https
    assert signed_in_as(client) == READER  # an https cookie comes back over https
    deleted = cookie_flags(session_cookie(sign_out(client)))
    assert ("secure" in deleted) == https and "httponly" in deleted


def test_the_csrf_cookie_is_http_only_and_strictly_same_site(world: World) -> None:
    response = browser(world.app).get("/sign-in")
    header = next(value for name, value in response.headers.multi_items()
                  if name == "set-cookie" and value.startswith("csrf="))  # fmt: skip
    flags = cookie_flags(header)
    assert "httponly" in flags and flags["samesite"].lower() == "strict"


SIGNED_IN_URLS = [
    "/search", "/search?q=truck", "/documents/t-res-002", "/vocabulary/places", "/review",
    "/account", "/sign-in", "/api/search?q=truck", "/api/documents/t-res-002",
    "/api/documents/t-res-002/paragraphs/1", "/documents/t-unk-002",
]  # fmt: skip


@pytest.mark.parametrize("url", SIGNED_IN_URLS)
def test_what_a_signed_in_user_is_sent_is_never_stored(world: World, url: str) -> None:
    response = world.clients["researcher"].get(url, follow_redirects=False)
    assert "no-store" in response.headers.get("cache-control", ""), url


# --------------------------------------------------------------------------- second factor


def enrol(client: TestClient) -> tuple[str, list[str], int]:
    """Turn the second factor on through the pages: the secret, the recovery codes and
    the time step of the code that confirmed it."""
    page = client.post(
        "/account/second-factor",
        data={"csrf": csrf_token(client), "password": PASSWORD},
        follow_redirects=False,
    )
    assert page.status_code == 200  # the secret, shown once, in answer to the password
    found = re.search(r'<code class="secret" id="secret">([A-Z2-7 ]+)</code>', page.text)
    assert found, "the enrolment page shows no secret to type"
    secret = found.group(1).replace(" ", "")
    assert "<svg" in page.text or "data:image/svg+xml" in page.text  # the QR code, drawn here
    wrong = client.post(
        "/account/second-factor/confirm", data={"code": "12345", "csrf": csrf_token(client)}
    )
    assert wrong.status_code == 400 and 'id="secret"' not in wrong.text  # not shown again
    assert 'action="/account/second-factor/confirm"' in wrong.text  # the code, again
    now = time.time()
    totp = pyotp.TOTP(secret)
    response = client.post(
        "/account/second-factor/confirm", data={"code": totp.at(now), "csrf": csrf_token(client)}
    )
    assert response.status_code == 200, response.text[:500]
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.text)
    assert len(codes) == 10
    return secret, codes, int(now // totp.interval)


def give_code(client: TestClient, code: str, next: str = "/documents/t-res-002") -> Response:
    """The code form, as `password_stage` left it (its hidden `next` field included)."""
    form = {"code": code, "csrf": csrf_token(client), "next": next}
    return client.post("/sign-in/code", data=form, follow_redirects=False)


def password_stage(world: World, name: str) -> TestClient:
    """A browser past the password, asked for the second factor."""
    client = browser(world.app)
    response = post_sign_in(client, name, next="/documents/t-res-002")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fdocuments%2Ft-res-002"
    assert signed_in_as(client) is None  # not yet
    assert client.get("/api/documents/t-res-002").status_code == 404
    page = client.get(response.headers["location"]).text
    assert 'action="/sign-in/code"' in page and 'value="/documents/t-res-002"' in page
    return client


def test_the_second_factor_from_enrolment_to_recovery_codes(world: World) -> None:
    name = new_user(world.app, "editor")
    client = signed_in(browser(world.app), name)
    secret, codes, step = enrol(client)
    assert "10 recovery codes left" in client.get("/account").text
    totp = pyotp.TOTP(secret)
    sign_out(client)

    client = password_stage(world, name)
    half_open = client.cookies["session"]
    refused = give_code(client, totp.at(step * totp.interval))  # used to confirm the enrolment
    assert refused.status_code == 401
    accepted = give_code(client, totp.at((step + 1) * totp.interval))
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/documents/t-res-002"
    assert client.cookies["session"] != half_open  # a new session, again
    assert signed_in_as(client) == name
    assert signed_in_as(browser(world.app, session=half_open)) is None
    sign_out(client)

    client = password_stage(world, name)
    assert give_code(client, totp.at((step + 1) * totp.interval)).status_code == 401  # twice
    assert give_code(client, codes[0]).status_code == 303
    assert signed_in_as(client) == name
    assert "9 recovery codes left" in client.get("/account").text
    sign_out(client)

    client = password_stage(world, name)
    assert give_code(client, codes[0]).status_code == 401  # a recovery code works once
    assert give_code(client, codes[1].upper().replace("-", "")).status_code == 303
    assert signed_in_as(client) == name


def test_wrong_codes_are_throttled_like_wrong_passwords(world: World) -> None:
    name = new_user(world.app)
    client = signed_in(browser(world.app), name)
    secret, _codes, _step = enrol(client)
    client = password_stage(world, name)
    for _ in range(PER_ACCOUNT):
        assert give_code(client, "000000").status_code == 401
    response = give_code(client, pyotp.TOTP(secret).now())
    assert response.status_code == 429 and "Too many failed sign-ins" in response.text


def test_a_code_without_a_password_signs_nobody_in(world: World) -> None:
    client = browser(world.app)
    assert give_code(client, "123456").status_code == 401
    assert signed_in_as(client) is None


# --------------------------------------------------------------------------- throttling


def forget_failures(app: FastAPI) -> None:
    """Move every failed sign-in past the throttle's window (16 minutes ago)."""
    with app.state.database.begin() as connection:
        connection.execute(
            update(tables.sign_in_failures).values(at=stamp(utc_now() - timedelta(minutes=16)))
        )


def test_failed_sign_ins_are_throttled_per_account(world: World) -> None:
    name = new_user(world.app)
    client = browser(world.app, "192.0.2.10")
    for _ in range(PER_ACCOUNT):
        assert post_sign_in(client, name, "not-the-password-123").status_code == 401
    response = post_sign_in(client, name)  # the right password, too late
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text and "15 min" in response.text
    assert post_sign_in(browser(world.app, "192.0.2.11"), name).status_code == 429
    assert post_sign_in(browser(world.app, "192.0.2.10"), EDITOR).status_code == 303
    forget_failures(world.app)
    assert post_sign_in(client, name).status_code == 303


def test_an_unknown_name_is_throttled_as_a_known_one_is(world: World) -> None:
    client = browser(world.app, "192.0.2.20")
    for _ in range(PER_ACCOUNT):
        assert post_sign_in(client, "nobody-at-all").status_code == 401
    assert post_sign_in(client, "nobody-at-all").status_code == 429


def test_failed_sign_ins_are_throttled_per_address(world: World) -> None:
    address = "192.0.2.30"
    with world.app.state.database.begin() as connection:  # as many as one short of the limit
        connection.execute(
            tables.sign_in_failures.insert(),
            [{"at": stamp(), "account": f"guess-{number}", "address": address}
             for number in range(PER_ADDRESS - 1)],
        )  # fmt: skip
    client = browser(world.app, address)
    assert post_sign_in(client, "guess-last", "not-the-password-123").status_code == 401
    response = post_sign_in(client, READER)  # another account, from the same address
    assert response.status_code == 429 and "Too many failed sign-ins" in response.text
    assert post_sign_in(browser(world.app, "192.0.2.31"), READER).status_code == 303
    forget_failures(world.app)
    assert post_sign_in(client, READER).status_code == 303


# --------------------------------------------------------------------------- CSRF

# A form for each POST route, which its (admin) sender may send: only the token is wrong.
FORMS: dict[str, tuple[str, dict[str, str]]] = {
    "POST /documents/{doc_id}/tags": (
        "/documents/t-pub-001/tags", {"action": "add", "value": "torture.electric-shock"}),
    "POST /documents/{doc_id}/redactions": (
        "/documents/t-pub-001/redactions", {"para": "1", "reason": "a test", "words": "maize"}),
    "POST /documents/{doc_id}/redactions/{number}/remove": (
        "/documents/t-red-003/redactions/1/remove", {}),
    "POST /sign-in": ("/sign-in", {"name": "ada", "password": PASSWORD}),
    "POST /sign-in/code": ("/sign-in/code", {"code": "123456"}),
    "POST /sign-out": ("/sign-out", {}),
    "POST /account/second-factor": ("/account/second-factor", {"password": PASSWORD}),
    "POST /account/second-factor/confirm": ("/account/second-factor/confirm", {"code": "1"}),
    "POST /account/password": (
        "/account/password", {"current": PASSWORD, "new": "another-long-phrase-42"}),
    "POST /admin/users": (
        "/admin/users", {"name": "csrf-victim", "role": "admin", "password": PASSWORD}),
    "POST /admin/users/{name}": ("/admin/users/rita", {"action": "disable"}),
    "POST /collections": ("/collections", {"name": "A case"}),
    "POST /collections/collect": ("/collections/collect", {"place": "t-pub-001:1"}),
    "POST /collections/add": ("/collections/add", {"place": "t-pub-001:1", "new_name": "B"}),
    "POST /collections/{collection_id}/rename": ("/collections/1/rename", {"name": "C"}),
    "POST /collections/{collection_id}/delete": ("/collections/1/delete", {}),
    "POST /collections/{collection_id}/items/{item_id}/note": (
        "/collections/1/items/1/note", {"note": "n"}),
    "POST /collections/{collection_id}/items/{item_id}/move": (
        "/collections/1/items/1/move", {"position": "1"}),
    "POST /collections/{collection_id}/items/{item_id}/remove": (
        "/collections/1/items/1/remove", {}),
    "POST /verify": ("/verify", {}),
    "POST /import": ("/import", {"dry_run": "true"}),
}  # fmt: skip


def test_every_post_route_has_a_form_here(world: World) -> None:
    posts = {route for route in route_table(world.app.routes) if route.startswith("POST ")}
    assert posts == set(FORMS)


@pytest.mark.parametrize("route", sorted(FORMS))
def test_every_form_is_refused_without_its_token(world: World, route: str) -> None:
    url, form = FORMS[route]
    admin = world.clients["admin"]
    token = csrf_token(admin)
    other = browser(world.app)  # another browser's token, valid for that browser only
    before = [world.archive.get(doc) for doc in ("t-pub-001", "t-red-003")]
    for client, sent in ((admin, None), (admin, ""), (admin, "x" * 43),
                         (admin, csrf_token(other))):  # fmt: skip
        data = form if sent is None else {**form, "csrf": sent}
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403, (route, sent, response.status_code)
    # the right token, from a page of another site (as the browser says): refused too
    for sent_from in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"},
                      {"sec-fetch-site": "same-site"}):  # fmt: skip
        response = admin.post(url, data={**form, "csrf": token}, headers=sent_from,
                              follow_redirects=False)  # fmt: skip
        assert response.status_code == 403, (route, sent_from, response.status_code)
    assert [world.archive.get(doc) for doc in ("t-pub-001", "t-red-003")] == before
    assert signed_in_as(admin) == "ada"
    assert world.app.state.accounts.users.find("csrf-victim") is None
    assert not world.app.state.accounts.users.get("rita").disabled


@pytest.mark.parametrize(
    ("role", "url"),
    [("anonymous", "/sign-in"), ("researcher", "/account"), ("admin", "/admin/users"),
     ("editor", "/documents/t-red-003"), ("admin", "/search")],
)  # fmt: skip
def test_every_form_on_the_pages_carries_the_token(world: World, role: Role, url: str) -> None:
    client = world.clients[role]
    page = client.get(url)
    assert page.status_code == 200
    forms = re.findall(r'<form[^>]*method="post"[^>]*>.*?</form>', page.text, re.S)
    assert forms, f"no form on {url}"
    posts = [route.removeprefix("POST ") for route in route_table(world.app.routes)
             if route.startswith("POST ")]  # fmt: skip
    patterns = [re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$")
                for path in posts]  # fmt: skip
    for form in forms:
        assert f'name="csrf" value="{csrf_token(client)}"' in form, form[:200]
        action = re.search(r'action="([^"]+)"', form)
        assert action and any(pattern.match(action.group(1)) for pattern in patterns), form[:200]


# --------------------------------------------------------------------------- redirects


ELSEWHERE = [
    "//evil.example", "//evil.example/search", "/\\evil.example", "https://evil.example",
    "http:evil.example", "\t//evil.example", "/\t/evil.example", "/\r/evil.example",
    "/\r\n/evil.example", " //evil.example", "javascript:alert(1)", "",
]  # fmt: skip
@pytest.mark.parametrize(  # each a sign-in, an argon2 verification: one of each kind
    "target", ["//evil.example", "/\\evil.example", "https://evil.example", "\t//evil.example",
               "/\t/evil.example", "/\r\n/evil.example", "javascript:alert(1)", ""],
)  # fmt: skip
def test_signing_in_never_sends_the_browser_to_another_site(world: World, target: str) -> None:
    response = post_sign_in(browser(world.app), READER, next=target)
    assert response.status_code == 303
    assert not leaves_the_site(response.headers["location"])
    if target.strip().startswith(("//", "/\\", "http", "javascript")):
        assert response.headers["location"] == "/search"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_sign_in_pages_links_stay_on_the_site(world: World, target: str) -> None:
    """A signed-in user asked to sign in again is offered a link to `next`."""
    page = world.clients["researcher"].get("/sign-in", params={"next": target})
    assert page.status_code == 200
    links = re.findall(r'<a href="([^"]*)">Continue', page.text)
    assert links and not any(leaves_the_site(link) for link in links), links
    field = re.search(r'name="next" value="([^"]*)"', page.text)
    assert field is None or not leaves_the_site(field.group(1))


def leaves_the_site(location: str) -> bool:
    """Whether a browser would leave this site for `location` (browsers drop tabs and
    line breaks from a URL and read a backslash as a slash)."""
    seen = re.sub(r"[\t\r\n]", "", location).replace("\\", "/").strip()
    parts = urlsplit(seen)
    return bool(parts.scheme or parts.netloc) or not seen.startswith("/")


def test_signing_in_keeps_a_path_of_this_site(world: World) -> None:
    target = "/documents/t-res-002?q=truck"
    response = post_sign_in(browser(world.app), READER, next=target)
    assert response.headers["location"] == target


# --------------------------------------------------------------------------- closed archive


@pytest.fixture(scope="module")
def closed(world: World) -> FastAPI:
    """The same archive, served with TESTIMONY_ANONYMOUS=none."""
    return create_app(dataclasses.replace(world.settings, open_to_anonymous=False))


@pytest.mark.parametrize(
    "url", ["/", "/search?q=truck&unit=paragraph", "/documents/t-pub-001", "/vocabulary/places",
            "/review", "/documents/t-unk-002", "/account"],
)  # fmt: skip
def test_a_closed_archive_sends_visitors_to_sign_in(closed: FastAPI, url: str) -> None:
    response = browser(closed).get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?" + urlencode({"next": url})


@pytest.mark.parametrize(
    "url", ["/api/search", "/api/search?q=truck", "/api/documents/t-pub-001",
            "/api/documents/t-pub-001/paragraphs/1", "/api/documents/t-unk-002"],
)  # fmt: skip
def test_a_closed_archive_answers_the_api_401(closed: FastAPI, url: str) -> None:
    response = browser(closed).get(url)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]


def test_a_closed_archive_still_serves_sign_in_static_files_and_health(closed: FastAPI) -> None:
    client = browser(closed)
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/sign-in").status_code == 200
    health = client.get("/healthz")
    assert health.status_code in (200, 401)
    if health.status_code == 200:  # alive, without saying how much is inside
        assert health.json().get("documents") is None
        assert health.json().get("paragraphs") is None
    response = post_sign_in(client, READER, next="/documents/t-pub-001")
    assert response.status_code == 303
    assert client.get(response.headers["location"]).status_code == 200
    assert client.get("/api/search").json()["total"] == 3


def test_a_session_query_is_made_off_the_event_loop(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session checked less than a second ago is known at once; one that must be asked
    of the database again is looked up in a worker thread, never on the event loop that
    every other request waits on."""
    app = world.app
    sessions = app.state.accounts.sessions
    threads: list[str] = []
    look_up = type(sessions)._look_up

    def recording(self: object, key: str) -> object:
        threads.append(threading.current_thread().name)
        return look_up(self, key)  # type: ignore[arg-type]

    monkeypatch.setattr(type(sessions), "_look_up", recording)
    client = signed_in(browser(app, "10.9.9.1"), new_user(app))
    token = client.cookies["session"]
    sessions.forget_checks()
    assert not sessions.known(token)
    threads.clear()
    assert client.get("/search?q=police").status_code == 200
    assert threads and all(name.startswith("AnyIO worker thread") for name in threads)
    assert sessions.known(token)  # checked just now: the next request asks nobody
    threads.clear()
    assert client.get("/search?q=police").status_code == 200
    assert threads == []
