"""Heartbeats: which process runs a check (pid, host, last beat), and live daemons.

A check killed by a signal or a timeout left its run "running" forever;
with a heartbeat, ``status`` and the next check can tell it is dead and
mark it ``abandoned``.  ``daemons`` says whether a daemon is alive, so
``status`` shows a next run only when something will make it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("host", sa.String(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", TS, nullable=True))
    op.create_table(
        "daemons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("list_path", sa.String(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("heartbeat_at", TS, nullable=False),
        sa.Column("next_run_at", TS, nullable=True),
        sa.Column("stopped_at", TS, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("daemons")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("host")
        batch.drop_column("pid")
