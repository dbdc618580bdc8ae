"""Reviews: an analyst's rejections and corrections, kept as records.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A review says who, when and why, and the value it replaced. It is anchored to the document's text
identity (``documents.text_hash``, see 0004) and the evidence span (offsets, text, measure and
quantity), not to the claim's id or ordinal, which a newer extractor may renumber: every
reconciliation finds the claim again by document, overlapping span and measure
(``ledger/reviews_anchor.py``). Undo marks a review undone; no review is ever deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("claim_id", sa.String(96)),
        sa.Column("event_id", sa.String(40)),
        sa.Column("doc_key", sa.String(64)),
        sa.Column("ev_start", sa.Integer),
        sa.Column("ev_end", sa.Integer),
        sa.Column("evidence", sa.Text),
        sa.Column("measure", sa.String(32)),
        sa.Column("quantity", sa.Text),
        sa.Column("targets", sa.Text, nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("replaced", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(200)),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("undone_at", sa.String(32)),
        sa.Column("undone_by", sa.String(200)),
    )
    op.create_index("ix_reviews_doc_key", "reviews", ["doc_key"])


def downgrade() -> None:
    op.drop_index("ix_reviews_doc_key", "reviews")
    op.drop_table("reviews")
