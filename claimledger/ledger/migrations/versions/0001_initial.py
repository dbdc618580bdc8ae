"""The first ledger schema: documents, claims, places, document events, ledger events, failures.

Revision ID: 0001
Revises:
Create Date: 2024-01-01

Written out by hand (not from ``db.metadata``) so that this revision keeps creating exactly this
schema after ``db.py`` moves on; ``tests/ledger/test_store.py`` checks that head equals ``db.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("language", sa.String(16)),
        sa.Column("dateline", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("origin", sa.Text),
        sa.Column("source_id", sa.Text),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("n_places", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_documents_published", "documents", ["published"])

    op.create_table(
        "claims",
        sa.Column("id", sa.String(96), primary_key=True),
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("doc_event_id", sa.String(96)),
        sa.Column("measure", sa.String(32), nullable=False),
        sa.Column("source_name", sa.Text),
        sa.Column("source_kind", sa.String(32)),
        sa.Column("source_side", sa.String(16)),
        sa.Column("subject_category", sa.String(32)),
        sa.Column("subject_side", sa.String(16)),
        sa.Column("stance", sa.String(16)),
        sa.Column("value", sa.Float),
        sa.Column("min", sa.Float),
        sa.Column("max", sa.Float),
        sa.Column("date_start", sa.String(10)),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_claims_doc_id", "claims", ["doc_id"])
    op.create_index("ix_claims_doc_event_id", "claims", ["doc_event_id"])
    op.create_index("ix_claims_measure", "claims", ["measure"])
    op.create_index("ix_claims_source_side", "claims", ["source_side"])

    op.create_table(
        "doc_places",
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("ordinal", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("geonameid", sa.Integer),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("precision", sa.String(16)),
        sa.Column("data", sa.Text, nullable=False),
    )

    op.create_table(
        "doc_events",
        sa.Column("id", sa.String(96), primary_key=True),
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("published", sa.String(10)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("precision", sa.String(16)),
        sa.Column("initiator_side", sa.String(16)),
        sa.Column("target_side", sa.String(16)),
        sa.Column("sites", sa.Text),
        sa.Column("ledger_id", sa.String(40)),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_doc_events_doc_id", "doc_events", ["doc_id"])
    op.create_index("ix_doc_events_ledger_id", "doc_events", ["ledger_id"])
    op.create_index("ix_doc_events_date_start", "doc_events", ["date_start"])
    op.create_index("ix_doc_events_published", "doc_events", ["published"])
    op.create_index("ix_doc_events_lat", "doc_events", ["lat"])

    op.create_table(
        "ledger_events",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("founder", sa.String(96), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("date_min", sa.String(10)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("place_name", sa.Text),
        sa.Column("place", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("country", sa.String(8)),
        sa.Column("initiator_side", sa.String(16)),
        sa.Column("target_side", sa.String(16)),
        sa.Column("deaths_low", sa.Integer),
        sa.Column("deaths_best", sa.Integer),
        sa.Column("deaths_high", sa.Integer),
        sa.Column("n_documents", sa.Integer, nullable=False),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_ledger_events_date_start", "ledger_events", ["date_start"])
    op.create_index("ix_ledger_events_lat_lon", "ledger_events", ["lat", "lon"])
    op.create_index("ix_ledger_events_type", "ledger_events", ["type"])
    op.create_index("ix_ledger_events_deaths_best", "ledger_events", ["deaths_best"])

    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("origin", sa.String(1000), nullable=False, unique=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("doc_id", sa.String(64)),
        sa.Column("at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("failures", "ledger_events", "doc_events", "doc_places", "claims", "documents"):
        op.drop_table(table)
