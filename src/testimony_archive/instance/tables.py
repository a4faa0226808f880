"""The instance database's tables, declared once (SQLAlchemy Core).

Instance data is what the archive files do not hold: who may sign in, their sessions,
the audit trail, the history of tag changes and each user's collections of excerpts.
Times are ISO 8601 strings in UTC with microseconds (`clock.stamp`), so that they sort
as text and hash the same on every engine.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
    Column("changed_at", String(32), nullable=False),
    # The second factor: a TOTP secret once enrolled; the one being enrolled, by which
    # session (the key of its token) and since when; the last time step accepted (a code
    # is never accepted twice).
    Column("totp_secret", String(64)),
    Column("totp_pending", String(64)),
    Column("totp_pending_for", String(64)),
    Column("totp_pending_at", String(32)),
    Column("totp_last_step", Integer),
)

recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("used_at", String(32)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's token
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("stage", String(16), nullable=False),  # "second-factor" until it is given
    Column("created_at", String(32), nullable=False),
    Column("seen_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("address", String(64), nullable=False),
    Column("revoked_at", String(32)),
)
Index("sessions_user", sessions.c.user_id)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("account", String(64), nullable=False),
    Column("address", String(64), nullable=False),
)
Index("sign_in_failures_account", sign_in_failures.c.account, sign_in_failures.c.at)
Index("sign_in_failures_address", sign_in_failures.c.address, sign_in_failures.c.at)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("address", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(200), nullable=False),
    Column("detail", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("audit_entries_actor", audit_entries.c.actor, audit_entries.c.seq)

tag_changes = Table(
    "tag_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("editor", Text, nullable=False),
    Column("doc", Text, nullable=False),
    Column("para", Integer),
    Column("field", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("before", Text, nullable=False),  # JSON lists
    Column("after", Text, nullable=False),
    Column("origin", Text, nullable=False),
)
Index("tag_changes_doc", tag_changes.c.doc, tag_changes.c.id)

collections = Table(
    "collections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String(64), nullable=False),  # the user's name
    Column("name", String(120), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("owner", "name", name="collections_owner_name"),
)

collection_items = Table(
    "collection_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
    ),  # fmt: skip
    Column("doc", String(100), nullable=False),
    Column("first_para", Integer, nullable=False),
    Column("last_para", Integer, nullable=False),
    # 0-0 for a place without a character range: NULLs would be distinct in the unique
    # constraint and let the same paragraph in twice.
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("note", Text, nullable=False),
    # The SHA-256 of the words at the place when it was collected ("" if not known).
    Column("sha256", String(64), nullable=False, server_default=""),
    Column("position", Integer, nullable=False),  # 1-based, no gaps
    Column("added_at", String(32), nullable=False),
    UniqueConstraint(
        "collection_id", "doc", "first_para", "last_para", "char_start", "char_end",
        name="collection_items_place",
    ),  # fmt: skip
)
Index("collection_items_order", collection_items.c.collection_id, collection_items.c.position)
