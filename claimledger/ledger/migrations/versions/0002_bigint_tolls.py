"""Tolls as 64-bit integers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

A report can state a figure beyond 2**31 (a misread sum, a population), and PostgreSQL refuses it
in an INTEGER column ("integer out of range"), failing the whole document. SQLite never noticed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = ("deaths_low", "deaths_best", "deaths_high")


def upgrade() -> None:
    with op.batch_alter_table("ledger_events") as batch:
        for name in _COLUMNS:
            batch.alter_column(name, type_=sa.BigInteger, existing_type=sa.Integer, existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("ledger_events") as batch:
        for name in _COLUMNS:
            batch.alter_column(name, type_=sa.Integer, existing_type=sa.BigInteger, existing_nullable=True)
