"""The event ledger: documents, claims and their merged, reconciled events in SQLite or PostgreSQL."""
