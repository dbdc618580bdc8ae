"""A trigram index of the claims' searched text: source name, source mention, evidence.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

The page's free-text search is a case-insensitive substring of a few fields (``ledger/selection.py``:
"Kram" finds Kramatorsk), which no word index serves. Without an index, a search read every
claim's 1 KB record, decoding its JSON where the cheap screen could not rule it out: 45-70 ms of
SQL for a page of the claims table over 10,000 claims (docs/performance.md, session 13). A trigram
index finds substrings of three characters or more:

* **SQLite**: ``claims_search``, an FTS5 table with the ``trigram`` tokenizer (SQLite 3.34+), one row
  per claim under the claim's rowid, kept in step by triggers on ``claims`` (so every writer, old or
  new, keeps it right). It holds the three fields through SQLite's ``lower()``, which folds ASCII
  letters only, and matches case-sensitively: SQLite's ``LIKE`` ignores the case of ASCII letters
  only, so a phrase of the search folded the same way matches exactly the claims the ``LIKE``
  conditions find ("Київ" does not find "КИЇВ", "kyiv" finds "Kyiv"), and the search reads no
  claim's record at all.
* **PostgreSQL**: ``pg_trgm`` GIN indexes on the very expressions the search's ``LIKE`` reads
  (``lower(...)``), which the planner uses by itself. Where the extension cannot be made (no
  contrib package, no right to create it), the search reads every row as before.

A claim's rowid is what ties it to its index row: a ``VACUUM`` may renumber the rowids of a table
without an INTEGER PRIMARY KEY, so ``claimledger`` never runs one on a ledger.
"""

from __future__ import annotations

import logging

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

log = logging.getLogger("claimledger.ledger")

# the text each claim is searched by, as SQLite reads it from a claims row (``row`` NEW or OLD), with
# its ASCII letters folded as ``LIKE`` folds them
FIELDS = {"source_name": "lower({row}.source_name)",
          "mention": "lower(json_extract({row}.data, '$.source.mention'))",
          "evidence": "lower(json_extract({row}.data, '$.evidence.text'))"}
TRIGGERS = ("claims_search_insert", "claims_search_delete", "claims_search_update")
# PostgreSQL: the expressions of selection.contains_text / json_text, indexed by pg_trgm
PG_INDEXES = {"ix_claims_search_source": "claims", "ix_claims_search_mention": "claims",
              "ix_claims_search_evidence": "claims", "ix_documents_search_outlet": "documents",
              "ix_documents_search_title": "documents"}
PG_EXPRESSIONS = ("lower(source_name)", "lower(CAST(data AS JSON) #>> '{source,mention}')",
                  "lower(CAST(data AS JSON) #>> '{evidence,text}')", "lower(outlet)", "lower(title)")


def _values(row: str) -> str:
    return ", ".join(expr.format(row=row) for expr in FIELDS.values())


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _upgrade_pg(bind)
        return
    if bind.dialect.name != "sqlite":
        return
    cols = ", ".join(FIELDS)
    op.execute(f"CREATE VIRTUAL TABLE claims_search USING fts5({cols}, tokenize='trigram case_sensitive 1')")
    insert = f"INSERT INTO claims_search (rowid, {cols}) VALUES (NEW.rowid, {_values('NEW')});"
    delete = "DELETE FROM claims_search WHERE rowid = OLD.rowid;"
    op.execute(f"CREATE TRIGGER claims_search_insert AFTER INSERT ON claims BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER claims_search_delete AFTER DELETE ON claims BEGIN {delete} END")
    op.execute(f"CREATE TRIGGER claims_search_update AFTER UPDATE OF source_name, data ON claims "
               f"BEGIN {delete} {insert} END")
    op.execute(f"INSERT INTO claims_search (rowid, {cols}) SELECT rowid, {_values('claims')} FROM claims")


def _upgrade_pg(bind) -> None:
    savepoint = bind.begin_nested()   # a refused extension must not abort the whole migration
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # psycopg raises several kinds (no such extension, permission denied)
        savepoint.rollback()
        log.warning("pg_trgm not available (%s): the text search reads every claim", exc)
        return
    savepoint.commit()
    for (name, table), expr in zip(PG_INDEXES.items(), PG_EXPRESSIONS, strict=True):
        op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expr}) gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        return   # the extension stays: other databases' objects may use it
    if bind.dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS claims_search")
