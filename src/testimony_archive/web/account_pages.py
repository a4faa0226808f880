"""Page contexts of signing in, a user's own account and the administrators' pages, each
built from what `security.Accounts` answers (keyword arguments of typed objects)."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

from .. import access
from ..access import Viewer
from ..errors import TestimonyError
from ..i18n import N_, Translator
from ..security.accounts import AccountSummary, Enrolment
from ..security.audit import Entry, Verification
from ..security.users import ACCOUNT_ROLES, User
from .contexts import (
    AccountPage,
    AuditPage,
    AuditRow,
    EnrolmentPage,
    RecoveryCodesPage,
    SignInPage,
    UserRow,
    UsersPage,
)

ROLE_LABELS = {"researcher": N_("researcher"), "editor": N_("editor"), "admin": N_("administrator")}
ACCOUNT_MESSAGES = {"password": N_("Your password was changed.")}
AUDIT_PAGE_SIZE = 100


def message_of(error: TestimonyError | None, translate: Translator) -> str:
    """A domain error's message in the reader's language, where the catalog has it."""
    return translate.message(error.message) if error is not None else ""


def sign_in_page(
    *,
    stage: str,
    next_url: str,
    viewer: Viewer,
    translate: Translator,
    error: TestimonyError | None = None,
    name: str = "",
) -> SignInPage:
    return SignInPage(
        stage=stage,
        next_url=next_url,
        signed_in_as=viewer.name if viewer.signed_in else None,
        error=message_of(error, translate),
        name=name,
    )


def account_page(
    *,
    summary: AccountSummary,
    translate: Translator,
    changed: str = "",
    error: TestimonyError | None = None,
) -> AccountPage:
    user = summary.user
    return AccountPage(
        name=user.name,
        role=translate.gettext(ROLE_LABELS.get(user.role, user.role)),
        second_factor=user.second_factor,
        recovery_codes_left=summary.recovery_codes_left,
        second_factor_advised=not user.second_factor
        and access.may(Viewer(role=user.role), "edit tags"),
        message=translate.gettext(ACCOUNT_MESSAGES[changed]) if changed in ACCOUNT_MESSAGES
        else "",
        error=message_of(error, translate),
    )  # fmt: skip


def enrolment_page(
    enrolment: Enrolment | None, translate: Translator, error: TestimonyError | None = None
) -> EnrolmentPage:
    """The secret and its QR code (once, when the setup begins), or the code form alone."""
    if enrolment is None:
        return EnrolmentPage(error=message_of(error, translate))
    encoded = base64.b64encode(enrolment.qr_svg.encode()).decode()
    return EnrolmentPage(
        secret=" ".join(enrolment.secret[i : i + 4] for i in range(0, len(enrolment.secret), 4)),
        qr_data_uri=f"data:image/svg+xml;base64,{encoded}",
        error=message_of(error, translate),
    )


def recovery_codes_page(*, codes: list[str]) -> RecoveryCodesPage:
    return RecoveryCodesPage(codes)


def users_page(
    *, users: list[User], translate: Translator, message: str = "",
    error: TestimonyError | None = None,
) -> UsersPage:  # fmt: skip
    def label(role: str) -> str:
        return translate.gettext(ROLE_LABELS.get(role, role))

    return UsersPage(
        rows=[
            UserRow(user.name, user.role, label(user.role), user.disabled, user.second_factor,
                    user.created_at[:10])  # fmt: skip
            for user in users
        ],
        roles=[(role, label(role)) for role in ACCOUNT_ROLES],
        message=message,
        error=message_of(error, translate),
    )


def audit_page(
    *, entries: list[Entry], verification: Verification, translate: Translator, user: str,
    since: str,
) -> AuditPage:  # fmt: skip
    rows = [
        AuditRow(entry.seq, entry.at.replace("T", " ")[:19], entry.actor, entry.role,
                 entry.address, entry.action, entry.target,
                 json.dumps(entry.detail, ensure_ascii=False) if entry.detail else "")
        for entry in entries
    ]  # fmt: skip
    older = None
    if len(entries) == AUDIT_PAGE_SIZE and entries[-1].seq > 1:
        query = {"user": user, "since": since, "before": entries[-1].seq}
        older = "/admin/audit?" + urlencode({key: value for key, value in query.items() if value})
    if verification.ok:
        verdict = translate.gettext("The trail is intact: %(n)s entries, none altered.") % {
            "n": verification.entries
        }
    else:
        verdict = translate.gettext("The trail does not hold: %(problem)s") % {
            "problem": verification.problem
        }
    return AuditPage(rows, verification.ok, verdict, user, since, older)
