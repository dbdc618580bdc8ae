"""Two narrow indexes on claims: the page's "whose losses" filter, and the claims table's sorts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

A claim's row carries its whole record (``data``, about 1 KB), so a query that reads one short
column of every claim reads them all (bench/page_load.py, 10,000 claims; docs/performance.md,
"Session 13"):

* ``ix_claims_subject_side``: ``subject_side=S`` (whose losses) keeps the events with a claim of
  side S, one sub-query over the claims, which scanned every row without an index (a total of a
  side few claims count: 24 -> 3 ms). The index holds the side and the claim's document event, all
  the sub-query reads.
* ``ix_claims_sorts``: the claims table joins each report to its claims and sorts or counts them
  by value, measure or source side; through this index, led by the report, the join reads no
  claim row (by figure 15 -> 4.5 ms, "who says it" with a party involved 30 -> 8 ms, the whole
  table's total 11 -> 6 ms). The source's name, free text, stays out (on PostgreSQL a B-tree
  entry is limited to about 2.7 KB).
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = {"ix_claims_subject_side": ["subject_side", "doc_event_id"],
           "ix_claims_sorts": ["doc_id", "ordinal", "id", "doc_event_id", "value", "measure", "source_side",
                               "subject_side", "source_kind"]}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "claims", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "claims")
