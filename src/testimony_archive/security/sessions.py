"""Server-side sessions: a random token in the cookie, its SHA-256 in the database.

A session ends when it is revoked (sign-out, `user disable`), when it has been idle too
long, or at its absolute expiry, whichever comes first. Signing in always starts a new
session, so that a token planted before sign-in is worth nothing after it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import bindparam, delete, select, update

from ..instance import InstanceDatabase, parse, stamp, tables, utc_now
from .users import User

Stage = Literal["second-factor", "signed-in"]
TOUCH_EVERY = timedelta(seconds=60)  # seen_at is written at most this often
KEEP_ENDED = timedelta(days=7)  # sessions past their absolute expiry are deleted after this


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


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(
        self,
        database: InstanceDatabase,
        idle: timedelta = timedelta(hours=1),
        absolute: timedelta = timedelta(hours=12),
    ) -> None:
        self._database = database
        self.idle = idle
        self.absolute = absolute

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
                    id=_key(token), user_id=user.id, stage=stage, created_at=stamp(now),
                    seen_at=stamp(now), expires_at=stamp(now + self.absolute),
                    address=address[:64],
                )
            )  # fmt: skip
        return token

    def lookup(self, token: str) -> Session | None:
        """The live session behind a cookie's token, with its user, or None (one query)."""
        if not token or len(token) > 100:
            return None
        with self._database.begin() as connection:
            row = connection.execute(_LIVE_SESSION, {"key": _key(token)}).first()
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
        self._revoke(_key(token))
        return self.start(session.user, address, "signed-in")

    def end(self, token: str) -> None:
        self._revoke(_key(token))

    def end_all(self, user: User) -> int:
        table = tables.sessions
        with self._database.begin() as connection:
            result = connection.execute(
                update(table)
                .where(table.c.user_id == user.id, table.c.revoked_at.is_(None))
                .values(revoked_at=stamp())
            )
        return int(result.rowcount)

    def _revoke(self, key: str) -> None:
        table = tables.sessions
        with self._database.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.id == key, table.c.revoked_at.is_(None))
                .values(revoked_at=stamp())
            )
