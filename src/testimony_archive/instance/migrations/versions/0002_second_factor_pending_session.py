"""A second factor being set up belongs to the session that began it, for a while.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("totp_pending_for", sa.String(64)))
        table.add_column(sa.Column("totp_pending_at", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.drop_column("totp_pending_at")
        table.drop_column("totp_pending_for")
