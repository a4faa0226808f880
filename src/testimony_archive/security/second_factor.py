"""The second factor: time-based one-time codes (TOTP, RFC 6238) and recovery codes.

Enrolment stores a pending secret, shows it as a QR code drawn here (no service sees
it), and takes effect only when the user types a code the secret makes. Ten recovery
codes are shown once; only their SHA-256 is kept, and each works once.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import time
from datetime import timedelta

import pyotp
import segno
from sqlalchemy import select, update

from ..errors import UsageError
from ..i18n import N_
from ..instance import InstanceDatabase, parse, stamp, tables, utc_now
from .users import User

ISSUER = "Testimony Archive"
RECOVERY_CODES = 10
PENDING_FOR = timedelta(minutes=15)  # a second factor being set up, until confirmed
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread (no 0/o, 1/l/i)


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().casefold().encode()).hexdigest()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def qr_svg(text: str) -> str:
    """An SVG drawing of a QR code for `text`, made on this machine."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False,
                                     svgns=True, dark="#1c1b19", light="#ffffff")  # fmt: skip
    return out.getvalue().decode()


class SecondFactor:
    def __init__(self, database: InstanceDatabase) -> None:
        self._database = database

    def begin_enrolment(self, user: User, holder: str) -> str:
        """A new pending secret for `user` (an enrolled one stays until this is confirmed),
        shown to and confirmed by `holder` only (the session that began it), for
        `PENDING_FOR`: a stolen copy of another session can neither read nor confirm it."""
        secret = pyotp.random_base32()
        self._set(user, totp_pending=secret, totp_pending_for=holder, totp_pending_at=stamp())
        return secret

    def pending_secret(self, user: User, holder: str) -> str | None:
        row = self._row(user)
        if row.totp_pending is None or row.totp_pending_for != holder:
            return None
        if utc_now() - parse(row.totp_pending_at) > PENDING_FOR:
            return None
        return row.totp_pending  # type: ignore[no-any-return]

    @staticmethod
    def provisioning_uri(user: User, secret: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=user.name, issuer_name=ISSUER)

    def confirm_enrolment(self, user: User, code: str, holder: str) -> list[str]:
        """Turn the pending secret on if `code` is right; returns new recovery codes."""
        secret = self.pending_secret(user, holder)
        if secret is None:
            raise UsageError(N_("Start again: no second factor is being set up."))
        step = _matching_step(secret, code)
        if step is None:
            raise UsageError(N_("That code does not match; check the device's clock and type "
                                "the six digits it shows now."))  # fmt: skip
        codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        with self._database.begin() as connection:
            connection.execute(
                update(tables.users).where(tables.users.c.id == user.id).values(
                    totp_secret=secret, totp_pending=None, totp_pending_for=None,
                    totp_pending_at=None, totp_last_step=step, changed_at=stamp(),
                )
            )  # fmt: skip
            connection.execute(
                tables.recovery_codes.delete().where(tables.recovery_codes.c.user_id == user.id)
            )
            connection.execute(
                tables.recovery_codes.insert(),
                [{"user_id": user.id, "code_hash": _code_hash(code)} for code in codes],
            )
        return codes

    def verify(self, user: User, code: str) -> bool:
        """A current TOTP code not used before, or an unused recovery code (then spent)."""
        row = self._row(user)
        if row.totp_secret is None:
            return False
        step = _matching_step(row.totp_secret, code)
        if step is not None:
            # Taken at most once, even by two sign-ins racing with the same code.
            table = tables.users
            with self._database.begin() as connection:
                taken = connection.execute(
                    update(table)
                    .where(table.c.id == user.id)
                    .where((table.c.totp_last_step.is_(None)) | (table.c.totp_last_step < step))
                    .values(totp_last_step=step)
                ).rowcount
            return bool(taken == 1)
        return self._spend_recovery_code(user, code)

    def remaining_recovery_codes(self, user: User) -> int:
        table = tables.recovery_codes
        with self._database.begin() as connection:
            rows = connection.execute(
                select(table.c.id).where(table.c.user_id == user.id, table.c.used_at.is_(None))
            ).all()
        return len(rows)

    def remove(self, user: User) -> None:
        """Switch the second factor off (an administrator's help for a lost device)."""
        self._set(user, totp_secret=None, totp_pending=None, totp_pending_for=None,
                  totp_pending_at=None, totp_last_step=None)  # fmt: skip
        with self._database.begin() as connection:
            connection.execute(
                tables.recovery_codes.delete().where(tables.recovery_codes.c.user_id == user.id)
            )

    def _spend_recovery_code(self, user: User, code: str) -> bool:
        if len(code.replace("-", "").strip()) != 10:
            return False
        table = tables.recovery_codes
        with self._database.begin() as connection:
            result = connection.execute(
                update(table)
                .where(table.c.user_id == user.id, table.c.code_hash == _code_hash(code),
                       table.c.used_at.is_(None))
                .values(used_at=stamp())
            )  # fmt: skip
        return bool(result.rowcount == 1)

    def _row(self, user: User):  # type: ignore[no-untyped-def]
        with self._database.begin() as connection:
            return connection.execute(
                select(tables.users).where(tables.users.c.id == user.id)
            ).one()

    def _set(self, user: User, **values: object) -> None:
        with self._database.begin() as connection:
            connection.execute(
                update(tables.users).where(tables.users.c.id == user.id).values(**values)
            )


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code `code` is (this one or either neighbour), or None."""
    code = code.replace(" ", "").strip()
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    for offset in (0, -1, 1):
        moment = now + offset * totp.interval
        if secrets.compare_digest(totp.at(moment), code):
            return int(moment // totp.interval)
    return None
