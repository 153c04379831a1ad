"""open assignments by mentor: the mentors list's load column

The mentors list shows each mentor's active mentees (assignments without an end). Counted through
``ix_mentor_assignments_mentor_role`` every one of a mentor's assignments, ended ones included, was
read from the table (at ten-year scale about 70 a mentor, 13,000 table pages for a page of 200
mentors); a partial index on the open ones answers the count from the index alone.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_mentor_assignments_open_mentor", "mentor_assignments", ["mentor_id"],
                    sqlite_where=sa.text("end_on IS NULL"), postgresql_where=sa.text("end_on IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_mentor_assignments_open_mentor", table_name="mentor_assignments")
