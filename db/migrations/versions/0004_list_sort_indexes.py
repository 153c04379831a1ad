"""list sort indexes: enrolments by term

The enrolments list (300,000 rows at ten-year scale) is sorted by term, newest first, by default.
With an index on ``enrolments.term_id`` the first page is read by walking the terms in order and
each term's enrolments through the index, instead of joining and sorting every enrolment.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_enrolments_term", "enrolments", ["term_id"])


def downgrade() -> None:
    op.drop_index("ix_enrolments_term", table_name="enrolments")
