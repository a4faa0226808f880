"""Who may see and change what: the one place where access is decided.

A `Viewer` is whoever asks: an anonymous visitor, or a user with a role. The command
line's viewer is an explicit administrator (whoever runs it holds the archive's files
anyway). Adapters never compare access levels themselves: they pass their viewer to the
service, which asks this module whether a document may be read, which of its fields may
be shown and whether its tags may be changed. A document that may not be read does not
exist for that viewer: not in results, totals, facet counts or error messages.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from .errors import Forbidden
from .models import ACCESS_LEVELS, Access, Document

Role = Literal["anonymous", "researcher", "editor", "admin"]
ROLES: tuple[Role, ...] = ("anonymous", "researcher", "editor", "admin")
Readable = frozenset[Access]  # the access levels a viewer may read

_READS: dict[Role, Readable] = {
    "anonymous": frozenset({"public"}),
    "researcher": frozenset(ACCESS_LEVELS),
    "editor": frozenset(ACCESS_LEVELS),
    "admin": frozenset(ACCESS_LEVELS),
}
_EDITS_TAGS: frozenset[Role] = frozenset({"editor", "admin"})
# Witness details other than the pseudonym (age, gender, community) can identify a
# witness: only an administrator sees them (and the export, which is an administrator's).
_SEES_WITNESS_DETAILS: frozenset[Role] = frozenset({"admin"})
PUBLIC_WITNESS_FIELDS = ("pseudonym",)


@dataclass(frozen=True)
class Viewer:
    role: Role = "anonymous"
    name: str | None = None  # whom changes are recorded under
    # A server started with TESTIMONY_EDITING=1 lets every visitor edit tags, under the
    # server's TESTIMONY_EDITOR name: the interim switch until accounts exist.
    open_editing: bool = False

    @classmethod
    def anonymous(cls, open_editing_as: str | None = None) -> Viewer:
        if open_editing_as is None:
            return cls()
        return cls(name=open_editing_as, open_editing=True)

    @classmethod
    def administrator(cls, name: str) -> Viewer:
        return cls(role="admin", name=name)


ANONYMOUS = Viewer()


def readable(viewer: Viewer) -> Readable:
    """The access levels of the documents this viewer may read."""
    return _READS[viewer.role]


def may_read(viewer: Viewer, access: str) -> bool:
    return access in readable(viewer)


def may_edit_tags(viewer: Viewer) -> bool:
    return viewer.role in _EDITS_TAGS or viewer.open_editing


def require_tag_editing(viewer: Viewer) -> str:
    """The name a viewer's tag changes are recorded under; Forbidden if it may not edit."""
    if not may_edit_tags(viewer):
        raise Forbidden("Tag editing is switched off on this server (TESTIMONY_EDITING=1).")
    return viewer.name or "editor"


def redact(document: Document, viewer: Viewer) -> Document:
    """The document as this viewer may see it: witness details reduced to the pseudonym
    unless the viewer may see more. The text and its sha256 are never touched."""
    if viewer.role in _SEES_WITNESS_DETAILS or not document.witness:
        return document
    shown = {
        key: document.witness[key] for key in PUBLIC_WITNESS_FIELDS if document.witness.get(key)
    }
    if shown == document.witness:
        return document
    return dataclasses.replace(document, witness=shown or None)
