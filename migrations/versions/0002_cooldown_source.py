"""arXiv cooldown: why it was set and when, so `status` can say so and the cap holds.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_state") as batch:
        batch.add_column(sa.Column("cooldown_source", sa.String(), nullable=True))
        batch.add_column(sa.Column("cooldown_set_at", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_state") as batch:
        batch.drop_column("cooldown_set_at")
        batch.drop_column("cooldown_source")
