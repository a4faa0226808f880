"""A researcher's account for the signed-in load: added to a size's instance database,
signed in over HTTP as a browser does, and the audit entries its searches leave.

The account is added with `testimony user add` and kept: later runs sign in to it again.
The size's instance database is the bench's own: it is upgraded to what this version
needs (`testimony db upgrade`) before anything else.
Signing in is a double submit: GET /sign-in sets the `csrf` cookie, and the POST carries
the same value in its `csrf` field; the answer (303) sets the `session` cookie.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func, select

from testimony_archive.config import Settings
from testimony_archive.instance import InstanceDatabase, tables
from testimony_archive.security.users import Users

RESEARCHER = "bench-researcher"
ROLE = "researcher"
PASSWORD = "a long bench password 2026"
_CLI = [sys.executable, "-m", "testimony_archive"]


def settings_for(work: Path) -> Settings:
    """The settings `testimony --archive … --var …` serves a size's folder with."""
    return Settings.from_env().with_paths(work / "archive", work / "var")


def _folders(work: Path) -> list[str]:
    return ["--archive", str(work / "archive"), "--var", str(work / "var")]


def upgrade_instance(work: Path) -> None:
    """`testimony db upgrade` on the size's instance database, as an administrator does
    after installing a new version: a database left behind by an earlier run is refused
    by the server until then."""
    upgraded = subprocess.run(
        [*_CLI, *_folders(work), "db", "upgrade"], capture_output=True, text=True
    )
    if upgraded.returncode != 0:
        raise RuntimeError(f"testimony db upgrade failed: {upgraded.stderr.strip()}")


def ensure_researcher(work: Path) -> str:
    """The researcher's account in the size's instance database (upgraded first); says
    how it got there."""
    folders = _folders(work)
    upgrade_instance(work)
    database = InstanceDatabase(settings_for(work).database_url)
    try:
        if Users(database).find(RESEARCHER) is not None:
            return "kept from an earlier run"
    finally:
        database.close()
    command = [*_CLI, *folders, "user", "add", RESEARCHER, "--role", ROLE, "--password-stdin"]
    result = subprocess.run(command, input=PASSWORD + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"testimony user add failed: {result.stderr.strip()}")
    return "testimony user add"


def _request(
    base: str, method: str, path: str, body: str | None = None, cookie: str = ""
) -> tuple[int, SimpleCookie]:
    """One request, redirects not followed: its status and the cookies it sets."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        cookies: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, cookies
    finally:
        connection.close()


def sign_in(base: str) -> str:
    """Sign the researcher in; the Cookie header that a signed-in browser then sends."""
    status, cookies = _request(base, "GET", "/sign-in")
    if status != 200 or "csrf" not in cookies:
        raise RuntimeError(f"GET /sign-in answered {status} without a csrf cookie")
    csrf = cookies["csrf"].value
    form = urlencode({"name": RESEARCHER, "password": PASSWORD, "csrf": csrf})
    status, cookies = _request(base, "POST", "/sign-in", form, f"csrf={csrf}")
    if status != 303 or "session" not in cookies:
        raise RuntimeError(f"POST /sign-in answered {status} without a session cookie")
    return f"session={cookies['session'].value}; csrf={csrf}"


def is_signed_in(base: str, cookie: str) -> bool:
    """The account page answers only a signed-in user."""
    return _request(base, "GET", "/account", cookie=cookie)[0] == 200


def settled_audit_entries(
    work: Path, quiet_s: float = 0.6, timeout_s: float = 10.0
) -> dict[str, int]:
    """`audit_entries` once the trail has stopped growing for `quiet_s`: entries may be
    queued and appended a moment later, and requests still in flight when the load ends
    add theirs."""
    deadline = time.monotonic() + timeout_s
    found = audit_entries(work)
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        again = audit_entries(work)
        if again == found:
            break
        found = again
    return found


def audit_entries(work: Path) -> dict[str, int]:
    """Entries in the size's audit trail: all, and the researcher's searches."""
    table = tables.audit_entries
    database = InstanceDatabase(settings_for(work).database_url)
    try:
        with database.begin() as connection:
            total = connection.execute(select(func.count()).select_from(table)).scalar_one()
            searches = connection.execute(
                select(func.count())
                .select_from(table)
                .where(table.c.actor == RESEARCHER, table.c.action == "search")
            ).scalar_one()
    finally:
        database.close()
    return {"total": int(total), "researcher_searches": int(searches)}
