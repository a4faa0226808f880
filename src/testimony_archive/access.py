"""Who may see and change what: the one place where access is decided.

A `Viewer` is whoever asks: an anonymous visitor, or a signed-in user with a role. The
command line's viewer is an administrator (whoever runs it holds the archive's files
anyway) unless it is told to act as a user. Adapters never compare roles or access
levels themselves: they pass their viewer to the service, which asks this module.

- `may_see(viewer, access, part)` answers "may this viewer see this document / this part
  of it": the document itself, its witness details, its exact dates, its redacted text.
- `may(viewer, action)` answers "may this viewer do this": edit tags, redact, manage
  users, read the audit trail.
- `scope(viewer)` is what a search backend is handed: the access levels it may search and
  whether redacted passages are searchable.
- `redact(document, viewer)` is the document as the viewer may see it.

A document that may not be read does not exist for that viewer: not in results, totals,
facet counts, error messages or the time an answer takes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from . import redaction
from .dates import PartialDate
from .errors import Forbidden
from .i18n import N_
from .models import ACCESS_LEVELS, Access, Document, Incident

Role = Literal["anonymous", "researcher", "editor", "admin"]
ROLES: tuple[Role, ...] = ("anonymous", "researcher", "editor", "admin")
# The parts of a document beyond the document itself that a role may be kept from.
Part = Literal["document", "witness details", "exact dates", "redacted text"]
Action = Literal["edit tags", "redact", "import", "manage users", "read audit", "collect"]

_READS: dict[Role, frozenset[Access]] = {
    "anonymous": frozenset({"public"}),
    "researcher": frozenset(ACCESS_LEVELS),
    "editor": frozenset(ACCESS_LEVELS),
    "admin": frozenset(ACCESS_LEVELS),
}
# Witness details other than the pseudonym, the exact dates of the events a testimony
# tells and redacted passages can identify a witness: only those who keep the record
# (editors, who tag and redact, and administrators) see them.
_SEES_EVERY_PART: frozenset[Role] = frozenset({"editor", "admin"})
_MAY: dict[Action, frozenset[Role]] = {
    "edit tags": frozenset({"editor", "admin"}),
    "redact": frozenset({"editor", "admin"}),
    "import": frozenset({"editor", "admin"}),
    "manage users": frozenset({"admin"}),
    "read audit": frozenset({"admin"}),
    "collect": frozenset({"researcher", "editor", "admin"}),
}
_REFUSED: dict[Action, str] = {
    "edit tags": N_("Only editors and administrators may change tags."),
    "redact": N_("Only editors and administrators may redact."),
    "import": N_("Only editors and administrators may import documents."),
    "manage users": N_("Only administrators may manage users."),
    "read audit": N_("Only administrators may read the audit trail."),
    "collect": N_("Sign in to collect excerpts."),
}
PUBLIC_WITNESS_FIELDS = ("pseudonym",)
Channel = Literal["web", "command line"]


@dataclass(frozen=True)
class Viewer:
    role: Role = "anonymous"
    name: str | None = None  # the user's name, whom actions are recorded under
    address: str = ""  # where the request came from (for the audit trail)
    via: Channel = "web"  # never read from anything a request can say

    @property
    def signed_in(self) -> bool:
        return self.role != "anonymous"

    @classmethod
    def anonymous(cls, address: str = "") -> Viewer:
        return cls(address=address)

    @classmethod
    def administrator(cls, name: str) -> Viewer:
        """The command line's viewer: whoever runs it holds the archive's files."""
        return cls(role="admin", name=name, address="command line", via="command line")


ANONYMOUS = Viewer()


@dataclass(frozen=True)
class Scope:
    """What a search backend may search for a viewer (a backend decides nothing)."""

    levels: frozenset[Access]  # the access levels of the documents it may find
    unredacted: bool  # whether redacted passages are searchable and shown


def may_see(viewer: Viewer, access: str, part: Part = "document") -> bool:
    """May this viewer see this part of a document of this access level?"""
    if access not in _READS[viewer.role]:
        return False
    return part == "document" or viewer.role in _SEES_EVERY_PART


def may_use_archive(viewer: Viewer, open_to_anonymous: bool) -> bool:
    """Whether the viewer may use the archive at all (a server may close it to anonymous
    visitors: TESTIMONY_ANONYMOUS=none)."""
    return viewer.signed_in or open_to_anonymous


def may(viewer: Viewer, action: Action) -> bool:
    return viewer.role in _MAY[action]


def require(viewer: Viewer, action: Action) -> str:
    """The name the viewer's action is recorded under; Forbidden if it may not act."""
    if not may(viewer, action):
        raise Forbidden(_REFUSED[action])
    return viewer.name or viewer.role


def scope(viewer: Viewer) -> Scope:
    return Scope(_READS[viewer.role], viewer.role in _SEES_EVERY_PART)


def redact(document: Document, viewer: Viewer) -> Document:
    """The document as this viewer may see it: redacted passages replaced by
    `[redacted]`, witness details reduced to the pseudonym and the dates of the events a
    testimony tells (`incident`) to their years, unless the viewer may see more. The date
    the testimony was recorded stays: citations name it. The record itself is never
    touched; a redacted text carries the sha256 of the text as shown."""
    if may_see(viewer, document.access, "redacted text"):
        return document
    shown = redaction.redacted(document)
    if document.witness and not may_see(viewer, document.access, "witness details"):
        kept = {key: document.witness[key] for key in PUBLIC_WITNESS_FIELDS
                if document.witness.get(key)}  # fmt: skip
        shown = dataclasses.replace(shown, witness=kept or None)
    if document.kind == "testimony" and not may_see(viewer, document.access, "exact dates"):
        shown = dataclasses.replace(shown, incident=_years(document.incident))
    return shown


def _year(date: PartialDate | None) -> PartialDate | None:
    return PartialDate(date.year) if date is not None else None


def _years(incident: Incident | None) -> Incident | None:
    if incident is None:
        return None
    return Incident(_year(incident.start), _year(incident.end))
