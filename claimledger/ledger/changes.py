"""Which logged changes can alter an answer: tests on the change log (``ledger_changes``, 0011).

The API's response cache (``outputs/api/cache.py``) keeps an answer across commits that cannot have
changed it. What it asks after a commit is one of these tests, SQL on the log that finds a row
logged after a ``seq`` that could matter: for a list of events (or the map), a logged event row
matching the list's filters, the very conditions the list is read with (``selection.py``), put on
the log's columns; for an event's detail, a row of that event. A row without an id (a review, a
claim or a document changed) matters to every answer.

A filter that reads claims or documents (text search, a source's side or kind, an outlet, the
review state, the conflict in the record's JSON) cannot be put on the log: any logged row counts
for it, so its answers are kept only across commits that change no ledger event (a failure noted,
a feed polled). A test is SQLite's SQL with ``?`` parameters, built once per filter set.

A list page whose filters match a logged row is not always changed beyond its total: a page read
in date order (oldest or newest first) shows the same events while no matching row logged since
sorts at or before its last event (old rows and new rows alike: a row that moved is logged at both
places). With an ingest running nearly every commit adds a matching event, so nearly every list
was made again (91% of list requests in 20 s of the bench's load, 14% without an ingest), though
the page's events rarely move: a new event lands in the first 100 of 10,000 one time in a
hundred. :class:`PageTest` is what the cache asks then: whether the page's window moved, and the
list's total now, so that the answer is the same events with the total counted again
(``outputs/api/cache.py``).
"""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache

from sqlalchemy import Column, and_, bindparam, func, or_, select, true
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.visitors import replacement_traverse

from claimledger.ledger.db import ledger_changes, ledger_events
from claimledger.ledger.selection import Selection, filter_conditions

# the Selection fields that are conditions on ledger_events' own columns (the log has them)
ON_COLUMNS = frozenset(("country", "admin1", "max_deaths", "updated_since"))


class ChangeTest:
    """SQL that finds a logged row after ``seq`` that could change an answer, and its parameters
    (``after`` goes where :meth:`args` puts it)."""

    __slots__ = ("sql", "params", "slot")

    def __init__(self, sql: str, params: tuple, slot: int):
        self.sql, self.params, self.slot = sql, params, slot

    def args(self, after: int) -> tuple:
        out = list(self.params)
        out[self.slot] = after
        return tuple(out)


def _on_log(condition):
    """``condition`` on ledger_events' columns, put on the log's same-named columns."""
    def swap(element):
        if isinstance(element, Column) and element.table is ledger_events:
            return ledger_changes.c[element.name]
        return None
    return replacement_traverse(condition, {}, swap)


def _compiled(conditions: list) -> ChangeTest:
    lc = ledger_changes.c
    stmt = (select(lc.seq).where(lc.seq > bindparam("after", 0), or_(lc.id.is_(None), and_(true(), *conditions)))
            .limit(1))
    compiled = stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True})
    names = list(compiled.positiontup)
    params = tuple(compiled.params[n] for n in names)
    return ChangeTest(compiled.string, params, names.index("after"))


def _plain(selection: Selection | None) -> bool:
    return selection is None or all(getattr(selection, f.name) in (None, "") or f.name in ON_COLUMNS
                                    for f in fields(selection))


@lru_cache(maxsize=512)
def _list_test(since, until, bbox, types, side, initiator_side, target_side, min_deaths, selection) -> ChangeTest:
    if not _plain(selection):
        return _compiled([])          # every logged row counts
    where = filter_conditions(since=since, until=until, bbox=bbox, types=list(types) if types else None, side=side,
                              initiator_side=initiator_side, target_side=target_side, min_deaths=min_deaths,
                              selection=selection)
    return _compiled([_on_log(c) for c in where])


def list_test(*, since=None, until=None, bbox=None, types=None, side=None, initiator_side=None, target_side=None,
              min_deaths=None, selection: Selection | None = None, **_page) -> ChangeTest:
    """The test for a list (or the map) with the filters of ``Store.list_events_json``; the page's
    keywords (limit, offset, order) do not matter: any matching change may move every page."""
    return _list_test(since, until, tuple(bbox) if bbox else None, tuple(types) if types else None, side,
                      initiator_side, target_side, min_deaths, selection)


DETAIL_SQL = "SELECT seq FROM ledger_changes WHERE seq > ? AND (id IS NULL OR id = ?) LIMIT 1"


def detail_test(event_id: str) -> ChangeTest:
    """The test for one event's detail (its row, claims, reports and reviews): a logged row of it."""
    return ChangeTest(DETAIL_SQL, (0, event_id), 0)


# the list orders a page's window can be tested for on the log's columns (``selection.event_order``)
WINDOW_ORDERS = ("date", "-date")


class PageTest:
    """For a full list page read in date order: ``window`` finds a logged row after ``seq`` that
    could move or change the page's events (matching the filters and sorting at or before the
    page's last event, ``last``; a row without an id or of ``last`` itself), and ``count`` counts the
    list's matches now (the store's count: the same conditions). Both run on the cache's own
    connection, in one read transaction (``outputs/api/cache.py``)."""

    __slots__ = ("window", "count", "count_params", "last")

    def __init__(self, window: ChangeTest, count: str, count_params: tuple, last: str):
        self.window, self.count, self.count_params, self.last = window, count, count_params, last

    def window_args(self, after: int) -> tuple:
        out = list(self.window.args(after))
        return tuple(self.last if p is _LAST else p for p in out)


_LAST = object()   # where the page's last event id goes in the window test's parameters


def _sorts_before(order: str):
    """The log row sorts at or before the page's last event ``:last`` in ``order`` (ties by id;
    undated events last, as :func:`~claimledger.ledger.selection.event_order` sorts them)."""
    lc = ledger_changes.c
    last = bindparam("last", "", type_=lc.id.type)
    key = select(ledger_events.c.date_start).where(ledger_events.c.id == last).scalar_subquery()
    earlier = lc.date_start > key if order == "-date" else lc.date_start < key
    dated_last = and_(key.is_not(None), lc.date_start.is_not(None),
                      or_(earlier, and_(lc.date_start == key, lc.id <= last)))
    undated_last = and_(key.is_(None), or_(lc.date_start.is_not(None), lc.id <= last))
    return or_(lc.id == last, dated_last, undated_last)


def _compile(stmt) -> tuple[str, list, tuple]:
    compiled = stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True})
    names = list(compiled.positiontup)
    return compiled.string, names, tuple(compiled.params[n] for n in names)


@lru_cache(maxsize=512)
def _page_test(order, since, until, bbox, types, side, initiator_side, target_side, min_deaths, selection):
    where = filter_conditions(since=since, until=until, bbox=bbox, types=list(types) if types else None, side=side,
                              initiator_side=initiator_side, target_side=target_side, min_deaths=min_deaths,
                              selection=selection)
    lc = ledger_changes.c
    logged = [_on_log(c) for c in where]
    window = (select(lc.seq).where(lc.seq > bindparam("after", 0),
                                   or_(lc.id.is_(None), and_(_sorts_before(order), *logged))).limit(1))
    sql, names, params = _compile(window)
    params = tuple(_LAST if n == "last" else p for n, p in zip(names, params, strict=True))
    count_sql, _names, count_params = _compile(select(func.count()).select_from(ledger_events).where(*where))
    return ChangeTest(sql, params, names.index("after")), count_sql, count_params


def page_test(order: str, last: str, *, since=None, until=None, bbox=None, types=None, side=None,
              initiator_side=None, target_side=None, min_deaths=None, selection: Selection | None = None,
              **_page) -> PageTest | None:
    """The :class:`PageTest` of a full page of a list (the filters of ``Store.list_events_json``)
    ending at event ``last``, or None when its window cannot be tested on the log: another order,
    or a filter on claims or documents (:func:`list_test` tests those on every logged row)."""
    if order not in WINDOW_ORDERS or not _plain(selection):
        return None
    window, count, count_params = _page_test(order, since, until, tuple(bbox) if bbox else None,
                                             tuple(types) if types else None, side, initiator_side, target_side,
                                             min_deaths, selection)
    return PageTest(window, count, count_params, last)
