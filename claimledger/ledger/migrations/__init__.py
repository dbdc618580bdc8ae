"""Alembic environment and revisions of the ledger schema (shipped so a store can upgrade itself)."""
