"""sign-in hardening: failed sign-ins in a row, account lock, password change required

Five failed sign-ins in a row lock an account for 15 minutes (``failed_logins``, ``locked_until``);
a password an administrator set (a reset, a new account) must be replaced by its owner at the next
sign-in (``must_change_password``). Existing users start with no failures, no lock and no forced
change.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), server_default=sa.text("false"),
                                   nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
