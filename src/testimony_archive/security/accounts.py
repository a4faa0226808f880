"""Accounts as the adapters use them: signing in and out, the second factor, the viewer
behind a session, and the administrators' management of users, each recorded in the
audit trail.

The web pages and the `testimony user` commands hold one `Accounts`; they never reach
the tables or the password hashes themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from .. import access
from ..access import Viewer
from ..errors import TestimonyError, UsageError
from ..i18n import N_
from ..instance import InstanceDatabase
from ..notes import Note
from .audit import AuditTrail, Entry, Verification
from .second_factor import SecondFactor, qr_svg
from .sessions import Session, Sessions, Stage, session_key
from .throttle import SignInThrottle
from .users import User, Users


class SignInFailed(TestimonyError):
    """The same words whether the name is unknown, the password wrong or the account
    disabled: a sign-in page must not tell which names exist."""

    status_code = 401
    exit_code = 2


@dataclass(frozen=True)
class SignIn:
    token: str  # for the session cookie
    user: User
    stage: Stage  # "second-factor": a code is still needed


@dataclass(frozen=True)
class AccountSummary:
    user: User
    recovery_codes_left: int


@dataclass(frozen=True)
class Renewed:
    """After a change to how a user signs in: the token of the session that goes on
    (every other one ended), and what to show once (recovery codes)."""

    token: str
    recovery_codes: list[str]


@dataclass(frozen=True)
class Enrolment:
    secret: str  # for typing into the device by hand
    uri: str  # what the QR code holds
    qr_svg: str  # the QR code, drawn on this machine


class Accounts:
    def __init__(
        self,
        database: InstanceDatabase,
        audit: AuditTrail,
        idle: timedelta = timedelta(hours=1),
        lifetime: timedelta = timedelta(hours=12),
    ) -> None:
        self.users = Users(database)
        self.sessions = Sessions(database, idle, lifetime)
        self.second_factor = SecondFactor(database)
        self.throttle = SignInThrottle(database)
        self.audit = audit

    # -- signing in --------------------------------------------------------------------

    def sign_in(
        self, name: str, password: str, address: str, replacing: str | None = None
    ) -> SignIn:
        """Check a name and password; start a new session (half-open until the second
        factor is given, where the user has one), ending the one it replaces. Throttled
        per account and address."""
        account = name.strip().casefold()[:64]
        self.throttle.check(account, address)
        user = self.users.authenticate(account, password)
        if user is None:
            self.throttle.failed(account, address)
            self.audit.record(Viewer.anonymous(address), "sign-in-failed", account)
            raise SignInFailed(
                N_("That name and password do not match an account that may sign in.")
            )
        stage: Stage = "second-factor" if user.second_factor else "signed-in"
        if replacing:
            self.sessions.end(replacing)
        token = self.sessions.start(user, address, stage)
        if stage == "signed-in":
            self.throttle.succeeded(account)
            self.audit.record(self._viewer(user, address), "sign-in", user.name)
        return SignIn(token, user, stage)

    def give_second_factor(self, token: str, code: str, address: str) -> str:
        """Finish a half-open sign-in with a one-time or recovery code; returns the token
        of a new session (the half-open one ends)."""
        session = self.sessions.lookup(token)
        if session is None or session.stage != "second-factor":
            raise SignInFailed(N_("This sign-in has expired; sign in again."))
        user = session.user
        self.throttle.check(user.name, address)
        if not self.second_factor.verify(user, code):
            self.throttle.failed(user.name, address)
            self.audit.record(self._viewer(user, address), "second-factor-failed", user.name)
            raise SignInFailed(N_("That code is not right, or was used already. Type the six "
                                  "digits your device shows now, or a recovery code."))  # fmt: skip
        self.throttle.succeeded(user.name)
        new_token = self.sessions.promote(token, address)
        self.audit.record(self._viewer(user, address), "sign-in", user.name, second_factor=True)
        return new_token

    def session(self, token: str | None) -> Session | None:
        return self.sessions.lookup(token) if token else None

    def viewer(self, token: str | None, address: str) -> Viewer:
        """Who a request's session cookie says is asking: anonymous without a session, or
        before the second factor is given."""
        session = self.session(token)
        if session is None or session.stage != "signed-in":
            return Viewer.anonymous(address)
        return self._viewer(session.user, address)

    def knows_at_once(self, token: str | None) -> bool:
        """Whether `viewer` would answer without a query (no session, or one just
        checked)."""
        return not token or self.sessions.known(token)

    def sign_out(self, token: str | None, viewer: Viewer) -> None:
        if token:
            self.sessions.end(token)
        if viewer.signed_in:
            self.audit.record(viewer, "sign-out", viewer.name or "")

    @staticmethod
    def _viewer(user: User, address: str) -> Viewer:
        return Viewer(role=user.role, name=user.name, address=address)

    # -- a user's own account ----------------------------------------------------------

    def me(self, viewer: Viewer) -> User:
        if not viewer.signed_in or viewer.name is None:
            raise SignInFailed(N_("Sign in first."))
        return self.users.get(viewer.name)

    def summary(self, viewer: Viewer) -> AccountSummary:
        user = self.me(viewer)
        return AccountSummary(user, self.second_factor.remaining_recovery_codes(user))

    def reauthenticate(
        self, viewer: Viewer, password: str, address: str, code: str | None = None
    ) -> User:
        """Check, before a change to how the viewer signs in, that it is the user at the
        keyboard and not someone holding a stolen session: the password and, where `code`
        is asked for and a second factor is enrolled, a current code. Throttled like
        signing in."""
        user = self.me(viewer)
        self.throttle.check(user.name, address)
        needs_code = code is not None and user.second_factor
        if self.users.authenticate(user.name, password) is None or (
            needs_code and not self.second_factor.verify(user, code or "")
        ):
            self.throttle.failed(user.name, address)
            self.audit.record(viewer, "reauthentication-failed", user.name)
            raise UsageError(
                N_("The password or the code is not right.")
                if needs_code
                else N_("The current password is not right.")
            )
        return user

    def begin_enrolment(
        self, viewer: Viewer, token: str, password: str, address: str, code: str = ""
    ) -> Enrolment:
        """A new second-factor secret for the viewer, pending until a code confirms it;
        only after the password (and the current code, where one is enrolled), and for
        the session of `token` only (see `SecondFactor.begin_enrolment`)."""
        user = self.reauthenticate(viewer, password, address, code)
        secret = self.second_factor.begin_enrolment(user, session_key(token))
        return self._enrolment(user, secret)

    def _enrolment(self, user: User, secret: str) -> Enrolment:
        uri = SecondFactor.provisioning_uri(user, secret)
        return Enrolment(secret, uri, qr_svg(uri))

    def confirm_enrolment(self, viewer: Viewer, token: str, address: str, code: str) -> Renewed:
        """Turn the pending second factor on: every other session of the user ends, this
        one is renewed. Returns the recovery codes (shown once) and the new token."""
        user = self.me(viewer)
        self.throttle.check(user.name, address)
        try:
            codes = self.second_factor.confirm_enrolment(user, code, session_key(token))
        except UsageError:
            self.throttle.failed(user.name, address)
            raise
        self.throttle.succeeded(user.name)
        renewed = Renewed(self._renew(user, address), codes)
        self.audit.record(viewer, "user-change", user.name, second_factor="on")
        return renewed

    def change_own_password(
        self, viewer: Viewer, address: str, current: str, new: str
    ) -> Renewed:
        """A new password, after the current one (throttled): every other session of the
        user ends, this one is renewed."""
        user = self.reauthenticate(viewer, current, address)
        self.users.set_password(user.name, new)
        renewed = Renewed(self._renew(user, address), [])
        self.audit.record(viewer, "user-change", user.name, change="password changed")
        return renewed

    def _renew(self, user: User, address: str) -> str:
        """End every session of the user; start the one that goes on."""
        self.sessions.end_all(user)
        return self.sessions.start(user, address, "signed-in")

    # -- administrators ----------------------------------------------------------------

    def add_user(self, viewer: Viewer, name: str, role: str, password: str) -> User:
        access.require(viewer, "manage users")
        user = self.users.add(name, role, password)
        self.audit.record(viewer, "user-add", user.name, role=user.role)
        return user

    def list_users(self, viewer: Viewer) -> list[User]:
        access.require(viewer, "manage users")
        return self.users.all()

    def set_password(self, viewer: Viewer, name: str, password: str) -> User:
        """A new password; the user's sessions end (whoever knew the old one is out)."""
        access.require(viewer, "manage users")
        user = self.users.set_password(name, password)
        self.sessions.end_all(user)
        self.audit.record(viewer, "user-change", user.name, change="password set")
        return user

    def set_role(self, viewer: Viewer, name: str, role: str) -> User:
        access.require(viewer, "manage users")
        before = self.users.get(name)
        self._keep_an_administrator(before, role=role)
        user = self.users.set_role(name, role)
        self.sessions.end_all(user)  # its pages were made for the old role
        self.audit.record(viewer, "user-change", user.name, role=f"{before.role} → {user.role}")
        return user

    def set_disabled(self, viewer: Viewer, name: str, disabled: bool) -> User:
        """Disabling a user ends every session it has, at once."""
        access.require(viewer, "manage users")
        if disabled:
            self._keep_an_administrator(self.users.get(name), disabled=True)
        user = self.users.set_disabled(name, disabled)
        if disabled:
            self.sessions.end_all(user)
        self.audit.record(viewer, "user-change", user.name,
                          disabled="yes" if disabled else "no")  # fmt: skip
        return user

    def end_sessions(self, viewer: Viewer, name: str) -> int:
        access.require(viewer, "manage users")
        user = self.users.get(name)
        ended = self.sessions.end_all(user)
        self.audit.record(viewer, "user-change", user.name, sessions_ended=ended)
        return ended

    def remove_second_factor(self, viewer: Viewer, name: str) -> User:
        """For a user who lost their device: they sign in with the password alone, and
        should enrol again at once."""
        access.require(viewer, "manage users")
        user = self.users.get(name)
        self.second_factor.remove(user)
        self.sessions.end_all(user)
        self.audit.record(viewer, "user-change", user.name, second_factor="removed")
        return self.users.get(name)

    def change_user(self, viewer: Viewer, name: str, action: str, role: str = "") -> User:
        """One of the changes an administrator's page offers, by name."""
        if action == "role":
            return self.set_role(viewer, name, role)
        if action in ("disable", "enable"):
            return self.set_disabled(viewer, name, action == "disable")
        if action == "sign-out":
            self.end_sessions(viewer, name)
            return self.users.get(name)
        if action == "remove-second-factor":
            return self.remove_second_factor(viewer, name)
        raise UsageError(f"unknown change {action!r}")

    def read_audit(
        self, viewer: Viewer, *, user: str | None = None, since: str | None = None,
        before: int | None = None, limit: int | None = None,
    ) -> tuple[list[Entry], Verification]:  # fmt: skip
        """Entries, newest first, and whether the whole trail still holds."""
        access.require(viewer, "read audit")
        entries = self.audit.entries(actor=user, since=since, before=before, limit=limit,
                                     newest_first=True)  # fmt: skip
        return entries, self.audit.verify()

    def rewrite_audit_head(self, viewer: Viewer) -> Entry:
        """Write the audit trail's head file anew (see `AuditTrail.rewrite_head`)."""
        access.require(viewer, "read audit")
        return self.audit.rewrite_head(viewer)

    def _keep_an_administrator(
        self, user: User, role: str | None = None, disabled: bool = False
    ) -> None:
        """Refuse to demote or disable the last enabled administrator."""
        if user.role != "admin" or user.disabled or (role == "admin" and not disabled):
            return
        others = [each for each in self.users.all()
                  if each.role == "admin" and not each.disabled and each.id != user.id]  # fmt: skip
        if not others:
            raise UsageError(Note(
                "%(name)s is the last administrator who may sign in; make another user an "
                "administrator first.", name=user.name))  # fmt: skip

