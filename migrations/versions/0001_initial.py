"""Initial schema: papers and their history, lists and entries, findings, runs, arXiv pacing.

Revision ID: 0001
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Written out rather than imported from diffsync.store.tables: a migration is a
# frozen snapshot, the models move on.
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "papers",
        sa.Column("arxiv_id", sa.String(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("published", TS, nullable=False),
        sa.Column("updated", TS, nullable=False),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("journal_ref", sa.String(), nullable=True),
        sa.Column("doi", sa.String(), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", TS, nullable=False),
    )
    op.create_index("ix_papers_fetched_at", "papers", ["fetched_at"])

    op.create_table(
        "paper_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("arxiv_id", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("old", sa.String(), nullable=True),
        sa.Column("new", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
    )
    op.create_index("ix_paper_history_arxiv_id", "paper_history", ["arxiv_id"])

    op.create_table(
        "missing_papers",
        sa.Column("arxiv_id", sa.String(), primary_key=True),
        sa.Column("checked_at", TS, nullable=False),
    )
    op.create_index("ix_missing_papers_checked_at", "missing_papers", ["checked_at"])

    op.create_table(
        "search_cache",
        sa.Column("fingerprint", sa.String(), primary_key=True),
        sa.Column("query_title", sa.String(), nullable=False),
        sa.Column("match_id", sa.String(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("searched_at", TS, nullable=False),
    )

    op.create_table(
        "lists",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("path", sa.Text(), nullable=False, unique=True),
        sa.Column("sha256", sa.String(), nullable=True),
        sa.Column("parsed_at", TS, nullable=True),
    )

    op.create_table(
        "entries",
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("lists.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(), nullable=False),
        sa.Column("section", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("venue", sa.String(), nullable=True),
        sa.Column("arxiv_id", sa.String(), nullable=True),
        sa.Column("arxiv_version", sa.Integer(), nullable=True),
        sa.Column("listed_date", sa.Date(), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=False),
    )
    op.create_index("ix_entries_entry_key", "entries", ["entry_key"])
    op.create_index("ix_entries_arxiv_id", "entries", ["arxiv_id"])

    op.create_table(
        "findings",
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("lists.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("finding_id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(), nullable=False),
        sa.Column("arxiv_id", sa.String(), nullable=True),
        sa.Column("listed", sa.String(), nullable=True),
        sa.Column("arxiv", sa.String(), nullable=True),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("suggestion", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("first_seen_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("resolved_at", TS, nullable=True),
    )
    op.create_index("ix_findings_kind", "findings", ["kind"])
    op.create_index("ix_findings_status", "findings", ["status"])

    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("list_path", sa.String(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("papers", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("open", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])

    op.create_table(
        "api_state",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("last_request_at", sa.Float(), nullable=True),
        sa.Column("cooldown_until", sa.Float(), nullable=True),
    )


def downgrade() -> None:
    for table in ("api_state", "runs", "findings", "entries", "lists", "search_cache",
                  "missing_papers", "paper_history", "papers"):
        op.drop_table(table)
