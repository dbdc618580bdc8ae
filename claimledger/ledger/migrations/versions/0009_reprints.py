"""Reprints: the outlets that printed a stored text word for word.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The ledger stores one text once, so an outlet running a wire text unchanged (same body, byte for
byte) had no trace in the ledger: the event did not list it among the outlets that carried the
story. One row per (document, outlet) keeps it (``ledger/stories.py``); its claims are the stored
document's, so no toll changes, but the event and ACLED's ``source`` column name that outlet.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "doc_reprints",
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("outlet", sa.String(200), primary_key=True),
        sa.Column("origin", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("seen_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("doc_reprints")
