"""One narrow index over the list's filter and sort columns.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

A ledger event's row carries its whole record (``data``, about 1 KB), so a query SQLite answers by
scanning the table reads every event's record: a list total filtered by side or country (6-7 ms on
10,000 events), by side and minimum toll (the toll's index, then every match's row: 7-9 ms), or a
page sorted by anything but date (6 ms). Those totals are counted again after every write, so an
ingest running beside the API made them most of a list request's cost (docs/performance.md).
This index holds the columns those filters and sorts read, led by the toll (it replaces the toll's
own index, ``ix_ledger_events_deaths_best``), so the same queries scan or search the index alone:
0.3-1 ms for the totals, 1.2-2.4 ms for a sorted page (about 170 bytes an event).

On PostgreSQL the free-text columns (place name, region) stay out: a B-tree entry there is limited
to about 2.7 KB, and an index must not make an unusually long place name fail an ingest.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NAME = "ix_ledger_events_filters"


def columns(dialect: str) -> list[str]:
    """The index's columns on ``dialect`` (``db.py`` declares SQLite's; see the module's docstring)."""
    text = ["place_name", "admin1"] if dialect == "sqlite" else []
    return ["deaths_best", "initiator_side", "target_side", "type", "event_type", "country", *text,
            "date_start", "lat", "lon", "n_documents", "n_claims", "updated_at", "id"]


def upgrade() -> None:
    op.drop_index("ix_ledger_events_deaths_best", "ledger_events")
    op.create_index(NAME, "ledger_events", columns(op.get_bind().dialect.name))


def downgrade() -> None:
    op.drop_index(NAME, "ledger_events")
    op.create_index("ix_ledger_events_deaths_best", "ledger_events", ["deaths_best"])
