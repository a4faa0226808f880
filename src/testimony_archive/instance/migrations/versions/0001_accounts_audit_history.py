"""Users, sessions, sign-in failures, the audit trail; tag history adopted.

Tag history lived in a `tag_changes` table that `history.py` created itself, in the same
SQLite file. Its rows stay where they are: the table is created only where it is missing,
and its index is made if the old one is absent.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _stamp(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        _stamp("created_at"),
        _stamp("changed_at"),
        sa.Column("totp_secret", sa.String(64)),
        sa.Column("totp_pending", sa.String(64)),
        sa.Column("totp_last_step", sa.Integer),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.String(32)),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("stage", sa.String(16), nullable=False),
        _stamp("created_at"),
        _stamp("seen_at"),
        _stamp("expires_at"),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("revoked_at", sa.String(32)),
    )
    op.create_index("sessions_user", "sessions", ["user_id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        _stamp("at"),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.create_index("sign_in_failures_account", "sign_in_failures", ["account", "at"])
    op.create_index("sign_in_failures_address", "sign_in_failures", ["address", "at"])
    op.create_table(
        "audit_entries",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        _stamp("at"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("audit_entries_actor", "audit_entries", ["actor", "seq"])

    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("tag_changes"):
        op.create_table(
            "tag_changes",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("at", sa.Text, nullable=False),
            sa.Column("editor", sa.Text, nullable=False),
            sa.Column("doc", sa.Text, nullable=False),
            sa.Column("para", sa.Integer),
            sa.Column("field", sa.Text, nullable=False),
            sa.Column("action", sa.Text, nullable=False),
            sa.Column("value", sa.Text, nullable=False),
            sa.Column("before", sa.Text, nullable=False),
            sa.Column("after", sa.Text, nullable=False),
            sa.Column("origin", sa.Text, nullable=False),
        )
    indexes = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("tag_changes")}
    if "tag_changes_doc" not in indexes:
        op.create_index("tag_changes_doc", "tag_changes", ["doc", "id"])


def downgrade() -> None:
    for name in ("audit_entries", "sign_in_failures", "sessions", "recovery_codes", "users"):
        op.drop_table(name)
