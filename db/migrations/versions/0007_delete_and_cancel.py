"""deleting a session or task logged by mistake, cancelling a task (DESIGN section 2)

A session or task is deleted with a reason, by the mentor who logged it or an administrator: the
reason is written to the row just before it is deleted, so the audit log keeps it with the deleted
values. A task is cancelled with its day, a reason and who did it; it is then overdue on no later day.
On PostgreSQL the mentor group may now DELETE its current mentees' sessions and tasks (row-level
security as for UPDATE): db/security.py is installed again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentoring_sessions") as batch:
        batch.add_column(sa.Column("delete_reason", sa.String(200), nullable=True))
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.String(200), nullable=True))
        batch.add_column(sa.Column("cancelled_by", sa.String(60), nullable=True))
        batch.add_column(sa.Column("delete_reason", sa.String(200), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from db import security

        security.install(bind)


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        for column in ("delete_reason", "cancelled_by", "cancel_reason", "cancelled_on"):
            batch.drop_column(column)
    with op.batch_alter_table("mentoring_sessions") as batch:
        batch.drop_column("delete_reason")
