"""Side columns wide enough for every party id of the conflict registry.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Sides were 16 characters when they were four words (russia, ukraine, third_party, unknown). The
registry's party ids are longer ("syrian_opposition", "baloch_separatists"), and a report naming
such a party could not be stored at all: ingesting the 2022 news corpus refused 7 of 11,549
reports. 64 characters; ``tests/analyse/test_parties.py`` keeps every registry id within it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_COLUMNS = {"claims": ("source_side", "subject_side"),
            "doc_events": ("initiator_side", "target_side"),
            "ledger_events": ("initiator_side", "target_side")}


# the expression indexes of 0005, which SQLite's batch mode (a table rebuilt) cannot carry over
_ORDER = {"ix_ledger_events_order": [sa.text("(date_start IS NULL)"), "date_start", "id"],
          "ix_ledger_events_order_desc": [sa.text("(date_start IS NULL)"), sa.text("date_start DESC"), "id"]}


def _resize(old: int, new: int) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in _ORDER:
            op.drop_index(name, "ledger_events")
    for table, names in _COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.alter_column(name, type_=sa.String(new), existing_type=sa.String(old), existing_nullable=True)
    if sqlite:
        for name, columns in _ORDER.items():
            op.create_index(name, "ledger_events", columns)


def upgrade() -> None:
    _resize(16, 64)


def downgrade() -> None:
    _resize(64, 16)
