"""Venue sources: each source's answer per paper, OpenReview accepted lists per venue-year,
and each run's venue coverage.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("venues", sa.String(), nullable=True))
    op.create_table(
        "venue_answers",
        sa.Column("arxiv_id", sa.String(), primary_key=True),
        sa.Column("source", sa.String(), primary_key=True),
        sa.Column("asked_at", TS, nullable=False),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "venue_listings",
        sa.Column("venue_id", sa.String(), primary_key=True),
        sa.Column("fetched_at", TS, nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("records", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("venue_listings")
    op.drop_table("venue_answers")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("venues")
