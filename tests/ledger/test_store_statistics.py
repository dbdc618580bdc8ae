"""A SQLite ledger keeps planner statistics (ANALYZE at each doubling of its write count), so a
date-range page of the event list reads the list-order index instead of sorting every match."""

from __future__ import annotations

from sqlalchemy import text

from claimledger.ledger.store import Store

from .factory import Doc, num

TOWNS = ["Kramatorsk", "Kharkiv", "Kyiv", "Odesa", "Mykolaiv", "Kremenchuk", "Mariupol", "Sloviansk"]


def _plan(store: Store, sql: str) -> str:
    with store.engine.connect() as conn:
        return " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_statistics_appear_at_64_writes_and_the_date_page_uses_the_order_index(tmp_path):
    page = ("SELECT data FROM ledger_events WHERE date_start >= '2022-03-01' AND date_start <= '2022-03-20' "
            "ORDER BY date_start IS NULL, date_start, id LIMIT 100")
    with Store.open(f"sqlite:///{tmp_path / 'l.db'}") as s:
        for i in range(64):
            d = Doc(f"s{i}", f"2022-03-{1 + i % 28:02d}").event(date=f"2022-03-{1 + i % 28:02d}",
                                                                place_name=TOWNS[i % len(TOWNS)])
            d.claim(f"{i + 1} people were killed", num(i + 1))
            s.ingest(d.build(), body=d.body)
            if i == 62:   # 63 writes: no statistics yet
                with s.engine.connect() as conn:
                    assert not conn.execute(text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
                assert "TEMP B-TREE" in _plan(s, page)        # the sort SQLite plans without them
        with s.engine.connect() as conn:
            generation = conn.execute(text("SELECT generation FROM ledger_state")).scalar_one()
            stats = conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'ledger_events'")).scalar_one()
        assert generation == 64 and stats > 0
        plan = _plan(s, page)
        assert "ix_ledger_events_order" in plan and "TEMP B-TREE" not in plan, plan
        events, total = s.list_events(since="2022-03-01", until="2022-03-20")
        assert total == len(events) > 0 and [e.date.start for e in events] == sorted(e.date.start for e in events)
