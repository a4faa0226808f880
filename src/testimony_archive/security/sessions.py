"""Server-side sessions: a random token in the cookie, its SHA-256 in the database.

A session ends when it is revoked (sign-out, `user disable`), when it has been idle too
long, or at its absolute expiry, whichever comes first. Signing in always starts a new
session, so that a token planted before sign-in is worth nothing after it.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import bindparam, delete, select, update

from ..instance import InstanceDatabase, parse, stamp, tables, utc_now
from .users import User

Stage = Literal["second-factor", "signed-in"]
TOUCH_EVERY = timedelta(seconds=60)  # seen_at is written at most this often
KEEP_ENDED = timedelta(days=7)
RECHECK_AFTER = 1.0  # seconds a live session is taken as live without asking again
MAX_RECENT = 10_000  # sessions past their absolute expiry are deleted after this


@dataclass(frozen=True)
class Session:
    user: User
    stage: Stage
    expires_at: str


# Built once: on every signed-in request, building the statement would cost four times
# what running it does.
_LIVE_SESSION = (
    select(tables.sessions, tables.users.c.name, tables.users.c.role, tables.users.c.disabled,
           tables.users.c.created_at.label("user_created_at"), tables.users.c.totp_secret)
    .join(tables.users, tables.users.c.id == tables.sessions.c.user_id)
    .where(tables.sessions.c.id == bindparam("key"), tables.sessions.c.revoked_at.is_(None))
)  # fmt: skip
_TOUCH = (
    update(tables.sessions)
    .where(tables.sessions.c.id == bindparam("key"))
    .values(seen_at=bindparam("now"))
)


def session_key(token: str) -> str:
    """What the database keeps of a session's token (never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    """One per process, shared by threads.

    A session found live is taken as live again for `RECHECK_AFTER` without asking the
    database: a signed-in request then costs no query (each would release and take back
    the interpreter lock on the event loop, which every other request waits for). What
    this process ends (sign-out, disabling, a new password or role) ends here at once;
    what another server process ends, within that second."""

    def __init__(
        self,
        database: InstanceDatabase,
        idle: timedelta = timedelta(hours=1),
        absolute: timedelta = timedelta(hours=12),
    ) -> None:
        self._database = database
        self.idle = idle
        self.absolute = absolute
        self._recent: dict[str, tuple[float, Session]] = {}  # key → (checked at, session)
        self._recent_lock = threading.Lock()
        self._forgotten = 0  # how many times something was forgotten (see `lookup`)

    def start(self, user: User, address: str, stage: Stage) -> str:
        """A new session for `user`; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        now = utc_now()
        table = tables.sessions
        with self._database.begin() as connection:
            # sessions long over are of no use to anyone: keep the table small
            connection.execute(delete(table).where(table.c.expires_at < stamp(now - KEEP_ENDED)))
            connection.execute(
                tables.sessions.insert().values(
                    id=session_key(token), user_id=user.id, stage=stage, created_at=stamp(now),
                    seen_at=stamp(now), expires_at=stamp(now + self.absolute),
                    address=address[:64],
                )
            )  # fmt: skip
        return token

    def lookup(self, token: str) -> Session | None:
        """The live session behind a cookie's token, with its user, or None (one query,
        at most once a second per session)."""
        if not token or len(token) > 100:
            return None
        key = session_key(token)
        recent = self._checked_just_now(key)
        if recent is not None:
            return recent
        forgotten = self._forgotten
        session = self._look_up(key)
        with self._recent_lock:
            if len(self._recent) > MAX_RECENT:
                self._recent.clear()
            if session is None:
                self._recent.pop(key, None)
            elif self._forgotten == forgotten:  # no revocation since it was read
                self._recent[key] = (time.monotonic(), session)
        return session

    def known(self, token: str) -> bool:
        """Whether `lookup` would answer without asking the database (a session checked
        less than `RECHECK_AFTER` ago): the web pages ask it on their event loop, and send
        the other lookups to a thread, so that no query holds every request up."""
        return bool(token) and len(token) <= 100 and (
            self._checked_just_now(session_key(token)) is not None
        )

    def _checked_just_now(self, key: str) -> Session | None:
        """The live session of `key` if it was checked less than `RECHECK_AFTER` ago."""
        recent = self._recent.get(key)
        if recent is not None and time.monotonic() - recent[0] < RECHECK_AFTER:
            return recent[1]
        return None

    def forget_checks(self) -> None:
        """Ask the database again for every session (as after `RECHECK_AFTER`)."""
        with self._recent_lock:
            self._forgotten += 1
            self._recent.clear()

    def _forget(self, key: str | None = None, user_id: int | None = None) -> None:
        """Called before a revocation and again once it is committed, so that a lookup
        that read the session before it cannot keep it (it sees the count move)."""
        with self._recent_lock:
            self._forgotten += 1
            if key is not None:
                self._recent.pop(key, None)
            for known, (_at, session) in list(self._recent.items()):
                if session.user.id == user_id:
                    del self._recent[known]

    def _look_up(self, key: str) -> Session | None:
        # From the primary, never a replica: a sign-out, a disabled user or a new role
        # must hold on every server at once (`RECHECK_AFTER` keeps this to one query a
        # second per session).
        row = self._database.read(
            lambda connection: connection.execute(_LIVE_SESSION, {"key": key}).first(),
            primary=True,
        )
        if row is None or row.disabled:
            return None
        now = utc_now()
        seen = parse(row.seen_at)
        if now >= parse(row.expires_at) or now - seen >= self.idle:
            self._revoke(row.id)
            return None
        if now - seen >= TOUCH_EVERY:
            with self._database.begin() as connection:
                connection.execute(_TOUCH, {"key": row.id, "now": stamp(now)})
        user = User(row.user_id, row.name, row.role, False, row.user_created_at,
                    row.totp_secret is not None)  # fmt: skip
        return Session(user, row.stage, row.expires_at)

    def promote(self, token: str, address: str) -> str:
        """The second factor was given: end the half-signed-in session, start a full one."""
        session = self.lookup(token)
        if session is None:
            raise LookupError("no such session")
        self._revoke(session_key(token))
        return self.start(session.user, address, "signed-in")

    def end(self, token: str) -> None:
        self._revoke(session_key(token))

    def end_all(self, user: User) -> int:
        self._forget(user_id=user.id)
        table = tables.sessions
        with self._database.begin() as connection:
            result = connection.execute(
                update(table)
                .where(table.c.user_id == user.id, table.c.revoked_at.is_(None))
                .values(revoked_at=stamp())
            )
        self._forget(user_id=user.id)
        return int(result.rowcount)

    def _revoke(self, key: str) -> None:
        self._forget(key)
        table = tables.sessions
        with self._database.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.id == key, table.c.revoked_at.is_(None))
                .values(revoked_at=stamp())
            )
        self._forget(key)
