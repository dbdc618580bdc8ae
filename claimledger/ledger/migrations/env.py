"""Alembic environment: uses the connection the store hands over, or ``-x url=...`` from a shell.

The store opens one transaction, checks the revision and upgrades inside it, so a failed
migration leaves the database as it was.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from claimledger.ledger.db import metadata

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass the database: alembic -x url=sqlite:///ledger.db ...")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        engine = create_engine(url)
        with engine.begin() as conn:
            _run(conn)
