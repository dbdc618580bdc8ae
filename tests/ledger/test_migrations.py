"""Migration 0012: the claims' indexes for the "whose losses" filter and the claims table's sorts,
on SQLite and PostgreSQL, there after an upgrade from 0011 and gone after a downgrade; the queries
read them alone, not the claims' rows."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from claimledger.ledger.selection import Selection
from claimledger.ledger.store import Store

from .factory import Doc, num
from .test_list_order import _statements


def _indexes(store: Store) -> dict[str, list[str]]:
    return {ix["name"]: ix["column_names"] for ix in inspect(store.engine).get_indexes("claims")}


def _to(store: Store, revision: str, upgrade: bool) -> None:
    cfg = store._alembic()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.upgrade if upgrade else command.downgrade)(cfg, revision)


def test_0012_indexes_whose_losses_and_downgrades(db_url):
    with Store.open(db_url) as s:
        d = Doc("m1", "2022-03-01").event(date="2022-03-01", place_name="Kyiv")
        d.claim("3 soldiers were killed", num(3), subject_side="russia")
        s.ingest(d.build(), body=d.body)
        assert _indexes(s)["ix_claims_subject_side"] == ["subject_side", "doc_event_id"]
        assert _indexes(s)["ix_claims_sorts"][:3] == ["doc_id", "ordinal", "id"]
        _to(s, "0011", upgrade=False)
        assert not {"ix_claims_subject_side", "ix_claims_sorts"} & set(_indexes(s))
        _to(s, "head", upgrade=True)
        assert s.schema_revision() == "0013" and {"ix_claims_subject_side", "ix_claims_sorts"} <= set(_indexes(s))
        assert s.list_events_json(selection=Selection(subject_side="russia"))[1] == 1
        assert s.list_events_json(selection=Selection(subject_side="ukraine"))[1] == 0


def _plans(store: Store, call) -> list[str]:
    seen = [(sql, p) for sql, p in _statements(store, call) if "claims" in sql and "claims.data" not in sql]
    with store.engine.connect() as conn:
        return [" | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, p)) for sql, p in seen]


def test_whose_losses_and_the_claims_table_read_indexes_not_claims_rows(sqlite_url):
    """Each claim's row carries its 1 KB record: a query reading one column of every claim read them all."""
    with Store.open(sqlite_url) as s:
        for i in range(3):
            d = Doc(f"m{i}", "2022-03-01").event(date="2022-03-01", place_name="Kyiv")
            d.claim(f"{i + 2} soldiers were killed", num(i + 2), subject_side="russia", side="ukraine")
            s.ingest(d.build(), body=d.body)
        whose = _plans(s, lambda: s.list_events_json(selection=Selection(subject_side="russia"), order="-deaths"))
        assert whose and all("COVERING INDEX ix_claims_subject_side" in p for p in whose), whose
        for order in ("value", "-value", "measure", "side"):
            for plan in _plans(s, lambda o=order: s.claim_page(order=o, limit=2)):
                assert "claims USING COVERING INDEX ix_claims_sorts" in plan, plan
