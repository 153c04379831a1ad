"""the shared server enforces who may read and change what (PostgreSQL only)

Group roles per TalentDesk role, their privileges, row-level security on every table holding a
student's data, audit triggers naming the login, and the SECURITY DEFINER functions for the access
log and user management: see db/security.py. Nothing changes on SQLite, where whoever holds the file
holds the data.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from db import security

    security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from db import security

    security.uninstall(bind)
