"""Indexes in the order the API lists events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

``GET /api/events`` orders by (undated last, date, id), oldest or newest first. Without an index
in that order SQLite and PostgreSQL sorted every ledger event for every page (a scan and a
temporary B-tree of 10,000 rows of about 1 KB); with one, a page is read straight off the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ledger_events_order", "ledger_events",
                    [sa.text("(date_start IS NULL)"), "date_start", "id"])
    op.create_index("ix_ledger_events_order_desc", "ledger_events",
                    [sa.text("(date_start IS NULL)"), sa.text("date_start DESC"), "id"])


def downgrade() -> None:
    op.drop_index("ix_ledger_events_order_desc", "ledger_events")
    op.drop_index("ix_ledger_events_order", "ledger_events")
