"""Changes to how a user signs in need the user at the keyboard, not only a session:
the password (and the current code) first, throttled; afterwards every other session
of the user ends and this one goes on under a new token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest
from fastapi.testclient import TestClient

from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.index import rebuild_index
from testimony_archive.web.app import create_app

from .conftest import PASSWORD, add_user, sign_in

RESTRICTED = "/documents/r-es-004"


@pytest.fixture
def app(archive: Archive, settings: Settings) -> Iterator[object]:
    rebuild_index(archive, settings.index_dir)
    add_user(settings, "ana", "editor")
    with TestClient(create_app(settings)) as client:
        yield client.app


def signed_in(app: object) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    sign_in(client, "ana")
    return client


def token(client: TestClient, path: str = "/account") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def test_a_new_password_ends_every_other_session_and_renews_this_one(app: object) -> None:
    here, elsewhere = signed_in(app), signed_in(app)
    old = here.cookies["session"]
    form = {"csrf": token(here), "current": PASSWORD, "new": "a brand new long phrase 2026"}
    response = here.post("/account/password", follow_redirects=False, data=form)
    assert response.status_code == 303 and here.cookies["session"] != old
    assert here.get(RESTRICTED).status_code == 200
    assert elsewhere.get(RESTRICTED).status_code == 404  # signed out: anonymous again
    stale = TestClient(app, cookies={"session": old})  # type: ignore[arg-type]
    assert stale.get(RESTRICTED).status_code == 404


def test_guessing_the_current_password_is_throttled(app: object) -> None:
    client = signed_in(app)
    statuses = [
        client.post("/account/password", data={
            "csrf": token(client), "current": f"wrong guess number {n}",
            "new": "a brand new long phrase 2026"}).status_code  # fmt: skip
        for n in range(6)
    ]
    assert statuses == [400] * 5 + [429]


def test_a_second_factor_is_replaced_only_with_the_password_and_a_current_code(
    app: object,
) -> None:
    client, other = signed_in(app), signed_in(app)
    page = client.post("/account/second-factor",
                       data={"csrf": token(client), "password": PASSWORD})  # fmt: skip
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)
    assert secret
    key = secret.group(1).replace(" ", "")
    form = {"csrf": token(client), "code": pyotp.TOTP(key).now()}
    page = client.post("/account/second-factor/confirm", data=form)
    assert page.status_code == 200 and "recovery-codes" in page.text
    assert other.get(RESTRICTED).status_code == 404  # the other session ended
    assert client.get(RESTRICTED).status_code == 200  # this one goes on, renewed
    # now a new device needs a current code too, not the password alone
    refused = client.post("/account/second-factor",
                          data={"csrf": token(client), "password": PASSWORD, "code": "000000"})
    assert refused.status_code == 400 and "password or the code is not right" in refused.text


def test_a_stolen_session_alone_cannot_turn_on_a_second_factor(app: object) -> None:
    client = signed_in(app)
    refused = client.post("/account/second-factor",
                          data={"csrf": token(client), "password": "not the password at all"})
    assert refused.status_code == 400 and "password is not right" in refused.text
    assert 'id="secret"' not in refused.text


def test_a_signed_in_users_form_token_is_the_sessions_not_a_cookie_anyone_can_set(
    app: object,
) -> None:
    client = signed_in(app)
    planted = "A" * 43  # as a sibling site or a plain-HTTP attacker could plant it
    client.cookies.set("csrf", planted)
    refused = client.post("/sign-out", data={"csrf": planted}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get(RESTRICTED).status_code == 200  # still signed in
    assert token(client) != planted and token(client) != token(signed_in(app))


def test_a_session_ended_by_another_server_process_ends_here_within_a_second(
    app: object, settings: Settings
) -> None:
    import time

    from testimony_archive.instance import InstanceDatabase
    from testimony_archive.security.sessions import RECHECK_AFTER, Sessions
    from testimony_archive.security.users import Users

    client = signed_in(app)
    assert client.get(RESTRICTED).status_code == 200
    other_process = InstanceDatabase(settings.database_url)  # its own Sessions, as a worker
    Sessions(other_process).end_all(Users(other_process).get("ana"))
    time.sleep(RECHECK_AFTER + 0.1)
    assert client.get(RESTRICTED).status_code == 404


def test_a_second_factor_being_set_up_is_shown_once_and_is_the_sessions_that_began_it(
    app: object,
) -> None:
    """A copy of the session cookie (a stolen one) never sees the secret being set up
    (it is shown once, in answer to the password) and cannot guess the code (throttled);
    another session of the same user cannot confirm it; the page of recovery codes signs
    out."""
    client = signed_in(app)
    thief = TestClient(app, cookies={"session": client.cookies["session"]})  # type: ignore[arg-type]
    page = client.post("/account/second-factor",
                       data={"csrf": token(client), "password": PASSWORD})  # fmt: skip
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)
    assert secret
    key = secret.group(1).replace(" ", "")
    other = signed_in(app)  # the same user, another session: not the one that began it
    refused = other.post("/account/second-factor/confirm",
                         data={"csrf": token(other), "code": pyotp.TOTP(key).now()})  # fmt: skip
    assert refused.status_code == 400 and "Start again" in refused.text
    guesses = [thief.post("/account/second-factor/confirm",
                          data={"csrf": token(thief), "code": f"{n:06d}"})  # fmt: skip
               for n in range(5)]
    assert [g.status_code for g in guesses] == [400] * 4 + [429]  # 5 failures in all
    assert not any(key[:8] in g.text for g in guesses)


def test_the_page_of_recovery_codes_is_the_renewed_sessions(app: object) -> None:
    """Its forms carry the new session's token: signing out from it works."""
    client = signed_in(app)
    page = client.post("/account/second-factor",
                       data={"csrf": token(client), "password": PASSWORD})  # fmt: skip
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)
    assert secret
    form = {"csrf": token(client), "code": pyotp.TOTP(secret.group(1).replace(" ", "")).now()}
    codes = client.post("/account/second-factor/confirm", data=form)
    assert codes.status_code == 200 and "recovery-codes" in codes.text
    found = re.search(r'action="/sign-out">\s*<input type="hidden" name="csrf" value="([^"]+)"',
                      codes.text)  # fmt: skip
    assert found
    out = client.post("/sign-out", data={"csrf": found.group(1)}, follow_redirects=False)
    assert out.status_code == 303 and client.get(RESTRICTED).status_code == 404


def test_a_session_read_while_it_was_being_revoked_is_not_kept(settings: Settings) -> None:
    from testimony_archive.instance import InstanceDatabase
    from testimony_archive.security.sessions import Sessions
    from testimony_archive.security.users import Users

    database = InstanceDatabase(settings.database_url)
    database.prepare()
    users = Users(database)
    user = users.add("bo", "researcher", PASSWORD)
    sessions = Sessions(database)
    token = sessions.start(user, "203.0.113.1", "signed-in")
    read = sessions._look_up

    def read_then_revoked(key: str) -> object:
        found = read(key)  # read while live...
        sessions.end_all(user)  # ...and revoked before the read is kept
        return found

    sessions._look_up = read_then_revoked  # type: ignore[method-assign]
    assert sessions.lookup(token) is not None  # what was read
    sessions._look_up = read  # type: ignore[method-assign]
    assert sessions.lookup(token) is None  # not kept: asked again, and ended


def test_a_made_up_session_cookie_makes_no_form_token(app: object) -> None:
    import hashlib
    import hmac

    made_up = "m" * 43
    forged = hmac.new(made_up.encode(), b"csrf form token", hashlib.sha256).hexdigest()
    client = TestClient(app, cookies={"session": made_up})  # type: ignore[arg-type]
    form = {"name": "ana", "password": PASSWORD, "csrf": forged}
    assert client.post("/sign-in", data=form, follow_redirects=False).status_code == 403
