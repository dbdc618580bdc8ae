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


@pytest.mark.parametrize("selection", [Selection(subject_side="ukraine"), Selection(source_side="unknown"),
                                       Selection(source_kind="unattributed"), Selection(outlet="o")])
def test_a_dense_claim_or_outlet_filter_reads_the_page_in_list_order(store, selection):
    """ "Whose losses", "who says it", a source kind or an outlet that nearly every event matches: the
    page reads the list in order and asks each event's claims (or reports), stopping at the page's
    end. An uncorrelated sub-query first listed the events of every matching claim in the ledger
    (and on 10,000 events SQLite then looked each one up by id and sorted them all: 71 ms for a first
    page, 0.3 ms in order)."""
    run = _statements(store, lambda: store.list_events_json(limit=10, side="russia", selection=selection))
    pages = [(sql, p) for sql, p in run if "ledger_events.data" in sql]
    assert len(pages) == 1
    plan = _plan(store, *pages[0])
    assert "SCAN ledger_events USING INDEX ix_ledger_events_order" in plan and "TEMP B-TREE" not in plan, plan
    assert "CORRELATED" in plan and "LIST SUBQUERY" not in plan, plan


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
    {"side": "russia", "selection": Selection(subject_side="ukraine")}, {"selection": Selection(source_side="unknown")},
    {"selection": Selection(outlet="o1")}, {"min_deaths": 2, "selection": Selection(source_kind="unattributed")},
    {"selection": Selection(subject_side="russia")},
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


def _count_and_ids_plans(store: Store, call) -> list[str]:
    """Plans of the statements that count the list or sort its ids (not the page's JSON)."""
    run = _statements(store, call)
    return [_plan(store, sql, p) for sql, p in run
            if "ledger_events" in sql and "ledger_events.data" not in sql and "ledger_state" not in sql]


@pytest.mark.parametrize("filters", [{"side": "russia"}, {"side": "russia", "min_deaths": 2}, {"min_deaths": 3},
                                     {"selection": Selection(country="UA")}, {"types": TYPES[:2]},
                                     {"initiator_side": "russia", "selection": Selection(max_deaths=4)}])
def test_a_filtered_total_reads_the_filter_index_not_the_rows(store, filters):
    """Totals are counted again after every write: scanning 10,000 rows of 1 KB for one cost 6-9 ms."""
    store._counts.clear()
    plans = _count_and_ids_plans(store, lambda: store.list_events_json(limit=5, **filters))
    assert plans
    for plan in plans:
        assert "USING COVERING INDEX" in plan, plan


@pytest.mark.parametrize("order", ["deaths", "-deaths", "place", "-place", "type", "-documents", "claims", "-updated"])
def test_a_page_in_another_order_sorts_the_index_not_the_rows(store, order):
    run = _statements(store, lambda: store.list_events_json(limit=5, order=order))
    pages = [_plan(store, sql, p) for sql, p in run if "ledger_events.data" in sql]
    assert len(pages) == 1
    assert "SCAN ledger_events USING COVERING INDEX ix_ledger_events_filters" in pages[0], pages[0]


@pytest.mark.parametrize("order", ["deaths", "-deaths", "place", "-place", "type", "-type", "documents", "-claims",
                                   "updated", "-updated"])
def test_a_page_in_another_order_holds_the_rows_of_the_whole_sorted_list(store, order):
    every, total = store.list_events_json(limit=None, order=order)
    assert total == len(every) > 10
    for offset in (0, 4, total - 3):
        assert store.list_events_json(limit=5, offset=offset, order=order)[0] == every[offset:offset + 5]


def test_on_postgresql_the_filter_index_leaves_free_text_out(pg_url):
    """PostgreSQL limits a B-tree entry to about 2.7 KB: a very long place name must still ingest."""
    import dataclasses

    from sqlalchemy import inspect

    with Store.open(pg_url) as s:
        indexes = {ix["name"]: ix["column_names"] for ix in inspect(s.engine).get_indexes("ledger_events")}
        assert "ix_ledger_events_deaths_best" not in indexes
        assert indexes["ix_ledger_events_filters"][:3] == ["deaths_best", "initiator_side", "target_side"]
        assert "place_name" not in indexes["ix_ledger_events_filters"]
        d = Doc("long-name", "2022-03-01").event(date="2022-03-01", place_name="Kyiv")
        d.claim("3 people were killed", num(3))
        result = d.build()
        long_place = dataclasses.replace(result.events[0].place, name="Kyiv " + "x" * 9000,
                                         admin1="Kyiv " + "y" * 9000)
        result = dataclasses.replace(result, events=[dataclasses.replace(result.events[0], place=long_place)])
        s.ingest(result, body=d.body)
        rows, total = s.list_events_json(order="place", min_deaths=1)
        assert total == 1 and "x" * 9000 in rows[0]
