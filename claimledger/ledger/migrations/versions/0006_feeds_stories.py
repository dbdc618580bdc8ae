"""Watched feeds with their cursors, and syndicated stories (near-duplicate documents).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

``claimledger watch`` keeps, per feed, the validators of its last fetch (ETag, Last-Modified) and
one row per item it has seen, so a restart resumes where the last run stopped: an item is fetched
again only while it has not been stored (``done``) or given up. Every document with enough text
gets a MinHash signature and its 32 LSH band hashes; documents whose signatures agree above the
threshold share a story (see ``ledger/stories.py``), and reconciliation counts a story's copies as
one report.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("checked_at", sa.String(32)),
        sa.Column("status", sa.Text),
    )
    op.create_table(
        "feed_items",
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(1000), primary_key=True),
        sa.Column("link", sa.Text),
        sa.Column("entry", sa.Text),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("doc_id", sa.String(64)),
        sa.Column("reason", sa.Text),
        sa.Column("seen_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "doc_fingerprints",
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.String(64), nullable=False, index=True),
        sa.Column("similarity", sa.Float),
        sa.Column("wire", sa.String(32)),
        sa.Column("signature", sa.Text, nullable=False),
    )
    op.create_table(
        "doc_bands",
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("band", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.String(16), nullable=False),
    )
    op.create_index("ix_doc_bands_band_hash", "doc_bands", ["band", "hash"])
    op.create_index("ix_ledger_events_updated_at", "ledger_events", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_ledger_events_updated_at", "ledger_events")
    op.drop_index("ix_doc_bands_band_hash", "doc_bands")
    op.drop_table("doc_bands")
    op.drop_table("doc_fingerprints")
    op.drop_table("feed_items")
    op.drop_table("feeds")
