"""Collections of excerpts: named lists of places in documents, each user's own.

A place without a character range is stored with characters 0-0, not NULL: NULLs are
distinct in a unique constraint, so NULL would let the same paragraph in twice. Each
item keeps the SHA-256 of the words it held when collected: a later redaction or
correction that changes them is said, not exported as if it were what was collected.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _stamp(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=False)


def upgrade() -> None:
    op.create_table(
        "collections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.UniqueConstraint("owner", "name", name="collections_owner_name"),
    )
    op.create_table(
        "collection_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "collection_id", sa.Integer,
            sa.ForeignKey("collections.id", ondelete="CASCADE"), nullable=False,
        ),  # fmt: skip
        sa.Column("doc", sa.String(100), nullable=False),
        sa.Column("first_para", sa.Integer, nullable=False),
        sa.Column("last_para", sa.Integer, nullable=False),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=False),
        _stamp("added_at"),
        sa.UniqueConstraint(
            "collection_id", "doc", "first_para", "last_para", "char_start", "char_end",
            name="collection_items_place",
        ),  # fmt: skip
    )
    op.create_index(
        "collection_items_order", "collection_items", ["collection_id", "position"]
    )


def downgrade() -> None:
    op.drop_index("collection_items_order", "collection_items")
    op.drop_table("collection_items")
    op.drop_table("collections")
