"""A page of the event list with a box, type or toll filter: read off the list-order index when
matches are dense (SQLite took the (lat, lon) index and sorted every match with its JSON), through
the filter's index when they are few; the same rows either way as the plain query."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from claimledger.ledger.selection import Selection
from claimledger.ledger.store import Store

from .factory import FAMILY, Doc, num

TOWNS = ["Kramatorsk", "Kharkiv", "Kyiv", "Odesa", "Mykolaiv", "Kremenchuk", "Mariupol", "Sloviansk"]
TYPES = list(FAMILY)
WHOLE_BOX = (22.0, 44.0, 41.0, 53.0)     # every town
KYIV_BOX = (30.0, 50.0, 31.0, 51.0)      # one town of eight


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("order") / "l.db"
    with Store.open(f"sqlite:///{path}") as s:
        for i in range(72):   # past 64 writes: the ledger has planner statistics
            day = f"2022-{3 + i // 28:02d}-{1 + i % 28:02d}"
            d = Doc(f"o{i}", day).event(date=day, place_name=TOWNS[i % len(TOWNS)], type=TYPES[i % len(TYPES)])
            d.claim(f"{i % 9} people were killed", num(i % 9))
            s.ingest(d.build(), body=d.body)
        yield s


def _statements(store: Store, call) -> list[tuple[str, tuple]]:
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))
    event.listen(store.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return seen


def _plan(store: Store, statement: str, parameters) -> str:
    with store.engine.connect() as conn:
        return " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))


@pytest.mark.parametrize("filters", [{"bbox": WHOLE_BOX}, {"types": TYPES[:3]}, {"min_deaths": 1},
                                     {"bbox": WHOLE_BOX, "order": "-date"}])
def test_a_dense_filter_reads_the_page_in_list_order(store, filters):
    run = _statements(store, lambda: store.list_events_json(limit=10, **filters))
    pages = [(sql, p) for sql, p in run if "ledger_events.data" in sql]
    assert len(pages) == 1
    plan = _plan(store, *pages[0])
    assert "ix_ledger_events_order" in plan and "TEMP B-TREE" not in plan, plan


def test_a_sparse_box_sorts_only_its_matches_ids(store):
    run = _statements(store, lambda: store.list_events_json(bbox=KYIV_BOX, limit=10))
    pages = [(sql, p) for sql, p in run if "ledger_events.data" in sql]
    assert len(pages) == 1
    assert "ix_ledger_events_lat_lon" in _plan(store, *pages[0])


@pytest.mark.parametrize("filters", [
    {"bbox": WHOLE_BOX}, {"bbox": KYIV_BOX}, {"bbox": (36.0, 48.5, 38.0, 50.5)}, {"types": TYPES[:2]},
    {"types": ["Battles"]}, {"min_deaths": 4}, {"min_deaths": 0, "bbox": KYIV_BOX},
    {"bbox": WHOLE_BOX, "since": "2022-03-10", "until": "2022-04-05"}, {"side": "russia", "min_deaths": 1},
    {"bbox": WHOLE_BOX, "selection": Selection(q="killed")}, {"bbox": KYIV_BOX, "selection": Selection(country="UA")},
])
@pytest.mark.parametrize("order", ["date", "-date"])
def test_every_page_holds_the_rows_of_the_plain_query(store, filters, order):
    every, total = store.list_events_json(limit=None, order=order, **filters)
    assert total == len(every)
    for offset in (0, 3, 7, total - 2, total + 5):
        offset = max(0, offset)
        page, n = store.list_events_json(limit=5, offset=offset, order=order, **filters)
        assert n == total
        assert page == every[offset:offset + 5]


def test_the_filters_do_select(store):
    total = store.list_events_json(limit=1)[1]
    kyiv = store.list_events_json(bbox=KYIV_BOX, limit=None)[0]
    assert 0 < len(kyiv) < total and all('"name": "Kyiv"' in row for row in kyiv)
    assert 0 < store.list_events_json(types=TYPES[:1], limit=1)[1] < total
