"""A log of the ledger events that changed, kept by SQLite triggers (SQLite only).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

The API remembers its answers until the ledger changes (``outputs/api/cache.py``). With an ingest
running, the ledger changes dozens of times a second, and forgetting every answer at every commit
meant computing nearly every request again. Most commits leave most answers as they were: a report
from Kharkiv does not change the detail of an event in Odesa, nor a list filtered to last winter.

So every row written to or deleted from ``ledger_events`` leaves its filter columns here (the old
row's when deleted, the new row's when inserted; the store rewrites an event by deleting and
inserting it), with a rising ``seq``. A remembered list page stays valid while no logged row since
it was made matches its filters (the same conditions, on this table), an event's detail while no
logged row has its id. A change to the reviews, or an update or deletion of a claim or a document,
logs a row without an id: every answer made before it is made again. The triggers keep the newest
4,096 rows or so; an answer older than the oldest row left is made again too.

Written by triggers, not by the store's writer, so that no writer (an older claimledger, a rebuild,
a review, a script) can change the ledger without a trace. On PostgreSQL the table is made but no
trigger writes it: the API remembers nothing there (``outputs/api/cache.py``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = ("id", "type", "event_type", "date_start", "lat", "lon", "initiator_side", "target_side", "deaths_best",
           "country", "admin1", "updated_at")
KEEP = 4096        # rows kept, about; pruned every 512 rows
MARKED = (("reviews", "INSERT"), ("reviews", "UPDATE"), ("reviews", "DELETE"), ("claims", "UPDATE"),
          ("claims", "DELETE"), ("documents", "UPDATE"), ("documents", "DELETE"))


def upgrade() -> None:
    op.create_table(
        "ledger_changes",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(40)),
        sa.Column("type", sa.Text), sa.Column("event_type", sa.Text), sa.Column("date_start", sa.String(10)),
        sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
        sa.Column("initiator_side", sa.String(64)), sa.Column("target_side", sa.String(64)),
        sa.Column("deaths_best", sa.BigInteger), sa.Column("country", sa.String(8)), sa.Column("admin1", sa.Text),
        sa.Column("updated_at", sa.String(32)),
        sqlite_autoincrement=True,   # seq never reused, even after the oldest rows are pruned
    )
    if op.get_bind().dialect.name != "sqlite":
        return
    cols = ", ".join(COLUMNS)
    for op_name, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        values = ", ".join(f"{row}.{c}" for c in COLUMNS)
        op.execute(f"CREATE TRIGGER ledger_events_{op_name.lower()}_logged AFTER {op_name} ON ledger_events "
                   f"BEGIN INSERT INTO ledger_changes ({cols}) VALUES ({values}); END")
    old, new = (", ".join(f"{row}.{c}" for c in COLUMNS) for row in ("OLD", "NEW"))
    op.execute(f"CREATE TRIGGER ledger_events_update_logged AFTER UPDATE ON ledger_events "
               f"BEGIN INSERT INTO ledger_changes ({cols}) VALUES ({old}); "
               f"INSERT INTO ledger_changes ({cols}) VALUES ({new}); END")
    for table, op_name in MARKED:
        op.execute(f"CREATE TRIGGER {table}_{op_name.lower()}_logged AFTER {op_name} ON {table} "
                   "BEGIN INSERT INTO ledger_changes (id) VALUES (NULL); END")
    op.execute(f"CREATE TRIGGER ledger_changes_pruned AFTER INSERT ON ledger_changes WHEN NEW.seq % 512 = 0 "
               f"BEGIN DELETE FROM ledger_changes WHERE seq <= NEW.seq - {KEEP}; END")


def downgrade() -> None:
    names = ["ledger_events_insert_logged", "ledger_events_delete_logged", "ledger_events_update_logged",
             "ledger_changes_pruned", *(f"{t}_{o.lower()}_logged" for t, o in MARKED)]
    if op.get_bind().dialect.name == "sqlite":
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("ledger_changes")
