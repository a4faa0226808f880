"""User accounts: names, roles, password hashes, and whether they may sign in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..access import ROLES, Role
from ..errors import NotFound, UsageError
from ..instance import InstanceDatabase, stamp, tables
from ..notes import Note
from .passwords import (
    check_policy,
    hash_password,
    needs_rehash,
    spend_verification_time,
    verify_password,
)

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
ACCOUNT_ROLES: tuple[Role, ...] = tuple(role for role in ROLES if role != "anonymous")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    disabled: bool
    created_at: str
    second_factor: bool  # a TOTP secret is enrolled: sign-in asks for a code


def normalise_name(name: str) -> str:
    folded = name.strip().casefold()
    if not NAME.match(folded):
        raise UsageError(Note(
            "“%(name)s” is not a valid user name: use 2 to 64 letters, digits, '.', '_' or "
            "'-', starting with a letter or digit.", name=name[:80]))  # fmt: skip
    return folded


def check_role(role: str) -> Role:
    for known in ACCOUNT_ROLES:
        if role == known:
            return known
    raise UsageError(Note("Unknown role “%(role)s”; choose one of %(roles)s.", role=role[:40],
                          roles=", ".join(ACCOUNT_ROLES)))  # fmt: skip


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role, bool(row.disabled), row.created_at,
                row.totp_secret is not None)  # fmt: skip


class Users:
    def __init__(self, database: InstanceDatabase) -> None:
        self._database = database

    def add(self, name: str, role: str, password: str) -> User:
        name, role = normalise_name(name), check_role(role)
        check_policy(password, name)
        now = stamp()
        try:
            with self._database.begin() as connection:
                connection.execute(
                    tables.users.insert().values(
                        name=name, role=role, password_hash=hash_password(password),
                        disabled=False, created_at=now, changed_at=now,
                    )
                )  # fmt: skip
        except IntegrityError:
            raise UsageError(Note("There is already a user named %(name)s.", name=name)) from None
        return self.get(name)

    def get(self, name: str) -> User:
        found = self.find(name)
        if found is None:
            raise NotFound(f"no user named {name!r}; 'testimony user list' shows them")
        return found

    def find(self, name: str) -> User | None:
        table = tables.users
        with self._database.begin() as connection:
            row = connection.execute(
                select(table).where(table.c.name == name.strip().casefold())
            ).first()
        return _user(row) if row is not None else None

    def by_id(self, user_id: int) -> User | None:
        with self._database.begin() as connection:
            row = connection.execute(
                select(tables.users).where(tables.users.c.id == user_id)
            ).first()
        return _user(row) if row is not None else None

    def all(self) -> list[User]:
        with self._database.begin() as connection:
            rows = connection.execute(select(tables.users).order_by(tables.users.c.name)).all()
        return [_user(row) for row in rows]

    def count(self) -> int:
        with self._database.begin() as connection:
            return int(connection.execute(select(func.count()).select_from(tables.users)).one()[0])

    def set_password(self, name: str, password: str) -> User:
        user = self.get(name)
        check_policy(password, user.name)
        self._change(user, password_hash=hash_password(password))
        return user

    def set_role(self, name: str, role: str) -> User:
        user = self.get(name)
        self._change(user, role=check_role(role))
        return self.get(name)

    def set_disabled(self, name: str, disabled: bool) -> User:
        """(A disabled user's sessions stop working at once: `Sessions.lookup` checks.)"""
        user = self.get(name)
        self._change(user, disabled=disabled)
        return self.get(name)

    def _change(self, user: User, **values: Any) -> None:
        with self._database.begin() as connection:
            connection.execute(
                update(tables.users)
                .where(tables.users.c.id == user.id)
                .values(changed_at=stamp(), **values)
            )

    def authenticate(self, name: str, password: str) -> User | None:
        """The user, if the name and password match an account that may sign in. An
        unknown name costs the same time as a wrong password."""
        table = tables.users
        with self._database.begin() as connection:
            row = connection.execute(
                select(table).where(table.c.name == name.strip().casefold())
            ).first()
        if row is None:
            spend_verification_time(password)
            return None
        if not verify_password(row.password_hash, password) or row.disabled:
            return None
        if needs_rehash(row.password_hash):
            self._change(_user(row), password_hash=hash_password(password))
        return _user(row)
