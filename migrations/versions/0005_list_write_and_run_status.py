"""Export records a list rewrite database first; runs are found by status through an index.

``lists.pending_write`` holds the intent of a rewrite begun and not yet
recorded (old and new sha256, the findings it applies and moves), so a crash
between the database and the file is repaired by the next command.
``ix_runs_status``: the running-run lookup every check makes stays fast at
hundreds of thousands of runs.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lists") as batch:
        batch.add_column(sa.Column("pending_write", sa.JSON(), nullable=True))
    op.create_index("ix_runs_status", "runs", ["status"])


def downgrade() -> None:
    op.drop_index("ix_runs_status", table_name="runs")
    with op.batch_alter_table("lists") as batch:
        batch.drop_column("pending_write")
