"""Passwords: argon2id hashes only, a minimum length, and no password an attacker would
try first."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..config import DATA_DIR
from ..errors import UsageError
from ..i18n import N_
from ..notes import Note

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 takes any length; a limit keeps a request from costing seconds
_HASHER = PasswordHasher()  # argon2id, RFC 9106's second recommended parameters
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class WeakPassword(UsageError):
    """A new password the policy refuses; the message says why and what would do."""


@cache
def common_passwords() -> frozenset[str]:
    lines = (DATA_DIR / "security" / "common-passwords.txt").read_text("utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def check_policy(password: str, name: str = "") -> None:
    """Raise WeakPassword unless `password` is long, not common and not the name."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(Note(
            "The password is %(n)s characters long; use at least %(min)s (a few unrelated "
            "words make a good one).", n=len(password), min=MIN_LENGTH))  # fmt: skip
    if len(password) > MAX_LENGTH:
        raise WeakPassword(
            Note("The password is longer than %(max)s characters.", max=MAX_LENGTH)
        )
    folded = password.casefold()
    stem = _EDGES.sub("", folded)
    if len(set(folded)) <= 2 or folded in common_passwords() or stem in common_passwords():
        raise WeakPassword(
            N_("That password is one of the first an attacker would try; choose another.")
        )
    if name and name.casefold() in folded:
        raise WeakPassword(N_("The password must not contain the user name."))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


@cache
def _decoy_hash() -> str:
    return _HASHER.hash("a password nobody has: it only makes a miss cost what a hit does")


def spend_verification_time(password: str) -> None:
    """What a sign-in for an unknown name costs, so that time does not tell names apart."""
    verify_password(_decoy_hash(), password)
