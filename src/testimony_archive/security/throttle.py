"""Sign-in rate limiting, per account and per address, shared by every worker (the
failures are rows of the instance database)."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import delete, func, select

from ..errors import TestimonyError
from ..instance import InstanceDatabase, parse, stamp, tables, utc_now
from ..notes import Note

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5
PER_ADDRESS = 20


class TooManyAttempts(TestimonyError):
    status_code = 429
    exit_code = 2

    def __init__(self, minutes: int) -> None:
        super().__init__(Note(
            "Too many failed sign-ins. For your safety, signing in is paused: try again in "
            "%(minutes)s min.", minutes=minutes))  # fmt: skip
        self.minutes = minutes


class SignInThrottle:
    def __init__(
        self,
        database: InstanceDatabase,
        per_account: int = PER_ACCOUNT,
        per_address: int = PER_ADDRESS,
        window: timedelta = WINDOW,
    ) -> None:
        self._database = database
        self.per_account = per_account
        self.per_address = per_address
        self.window = window

    def check(self, account: str, address: str) -> None:
        """Raise TooManyAttempts if this account or address failed too often lately."""
        table = tables.sign_in_failures
        since = stamp(utc_now() - self.window)
        with self._database.begin() as connection:
            for column, value, limit in (
                (table.c.account, account.casefold()[:64], self.per_account),
                (table.c.address, address[:64], self.per_address),
            ):
                count, oldest = connection.execute(
                    select(func.count(), func.min(table.c.at)).where(
                        column == value, table.c.at >= since
                    )
                ).one()
                if count >= limit:
                    wait = parse(oldest) + self.window - utc_now()
                    raise TooManyAttempts(max(1, math.ceil(wait.total_seconds() / 60)))

    def failed(self, account: str, address: str) -> None:
        table = tables.sign_in_failures
        with self._database.begin() as connection:
            # failures older than the window count no more: keep the table small
            connection.execute(delete(table).where(table.c.at < stamp(utc_now() - self.window)))
            connection.execute(
                tables.sign_in_failures.insert().values(
                    at=stamp(), account=account.casefold()[:64], address=address[:64]
                )
            )

    def succeeded(self, account: str) -> None:
        table = tables.sign_in_failures
        with self._database.begin() as connection:
            connection.execute(delete(table).where(table.c.account == account.casefold()[:64]))
