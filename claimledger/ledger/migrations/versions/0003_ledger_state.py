"""A generation counter that every writer bumps.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

The merge keeps the ledger's document events in memory between documents (see
``ledger/neighbourhood.py``). A writer compares the counter with the one it saw at its last commit:
equal means no other process wrote in between and its copy is current; different means re-read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "ledger_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table("ledger_state")
