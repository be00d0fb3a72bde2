"""Every list a daemon watches, so one daemon per database and list holds for each of
them, not only its first (``daemons.list_path`` stays the first, for ``status``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("daemons") as batch:
        batch.add_column(sa.Column("lists", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("daemons") as batch:
        batch.drop_column("lists")
