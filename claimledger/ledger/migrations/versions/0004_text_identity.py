"""Documents known by their text; where a merged-away ledger event went.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

* ``documents.text_hash``: the hash of the cleaned body (``records.doc_id``). The caller's id was
  the document's identity, so one text under two ids was stored twice and counted as two
  sources confirming each other, and two texts under one id lost the second. The id stays the
  label; the text is the identity. Existing rows are filled in from their stored body.
* ``documents.input_hash``: the hash of the input text as it arrived, so a rerun skips an input
  already stored without extracting it again, whatever id or file name it carries.
* ``ledger_moves``: when a merge empties a ledger event (its reports joined another), its id
  points at the event they went to, so an id listed a moment ago still answers.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text_hash", sa.String(16)))
        batch.add_column(sa.Column("input_hash", sa.String(16)))
    docs = sa.table("documents", sa.column("id", sa.String), sa.column("body", sa.Text),
                    sa.column("text_hash", sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(docs.c.id, docs.c.body).where(docs.c.body.is_not(None))).all()
    if rows:
        conn.execute(docs.update().where(docs.c.id == sa.bindparam("did")).values(text_hash=sa.bindparam("h")),
                     [{"did": r.id, "h": hashlib.sha256(r.body.encode("utf-8")).hexdigest()[:16]} for r in rows])
    op.create_index("ix_documents_text_hash", "documents", ["text_hash"])
    op.create_index("ix_documents_input_hash", "documents", ["input_hash"])
    op.create_table(
        "ledger_moves",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("merged_into", sa.String(40), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ledger_moves")
    op.drop_index("ix_documents_input_hash", "documents")
    op.drop_index("ix_documents_text_hash", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("input_hash")
        batch.drop_column("text_hash")
