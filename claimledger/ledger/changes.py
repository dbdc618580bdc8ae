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

from collections import Counter
from dataclasses import fields
from functools import lru_cache

from sqlalchemy import Column, and_, bindparam, case, func, or_, select, true
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.visitors import replacement_traverse

from claimledger.ledger.db import ledger_changes, ledger_events
from claimledger.ledger.selection import Selection, filter_conditions

# the Selection fields that are conditions on ledger_events' own columns (the log has them)
ON_COLUMNS = frozenset(("country", "admin1", "max_deaths", "updated_since"))


class ChangeTest:
    """SQL that finds a logged row after ``seq`` that could change an answer, and its parameters
    (``after`` goes where :meth:`args` puts it); ``event_id``, for an event's detail, the one id whose
    rows (or a row without an id) change it, for a caller that follows the logged ids itself."""

    __slots__ = ("sql", "params", "slot", "event_id")

    def __init__(self, sql: str, params: tuple, slot: int, event_id: str | None = None):
        self.sql, self.params, self.slot, self.event_id = sql, params, slot, event_id

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

# (oldest, newest) seq of the log, asked after every commit. Two subqueries, not ``min(seq), max(seq)``
# in one select: SQLite looks a lone min() or max() up at the end of the key, but two together scan the
# whole log (4,000-4,600 rows: 0.83 ms, against 0.005 ms)
HEAD_SQL = "SELECT (SELECT min(seq) FROM ledger_changes), (SELECT max(seq) FROM ledger_changes)"


def detail_test(event_id: str) -> ChangeTest:
    """The test for one event's detail (its row, claims, reports and reviews): a logged row of it."""
    return ChangeTest(DETAIL_SQL, (0, event_id), 0, event_id)


# the rows logged after a seq, up to another, in order: what the cache follows of the log at each version
LOGGED_IDS_SQL = "SELECT seq, id FROM ledger_changes WHERE seq > ? AND seq <= ? ORDER BY seq"


# the list orders a page's window can be tested for on the log's columns (``selection.event_order``)
WINDOW_ORDERS = ("date", "-date")


class PageTest:
    """For a full list page read in date order: ``window`` finds a logged row after ``seq`` that
    could move or change the page's events (matching the filters and sorting at or before the
    page's last event, ``last``; a row without an id or of ``last`` itself), and ``count`` counts the
    list's matches now (the store's count: the same conditions); ``logged`` lists the rows logged
    after ``seq``, each with whether it matches the filters (:func:`total_moved`). All run on the
    cache's own connection, in one read transaction (``outputs/api/cache.py``)."""

    __slots__ = ("window", "count", "count_params", "logged", "last")

    def __init__(self, window: ChangeTest, count: str, count_params: tuple, last: str, logged: ChangeTest):
        self.window, self.count, self.count_params, self.last = window, count, count_params, last
        self.logged = logged

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
    rows = (select(lc.seq, lc.id, case((and_(true(), *logged), 1), else_=0)).where(lc.seq > bindparam("after", 0))
            .order_by(lc.seq))
    rows_sql, rows_names, rows_params = _compile(rows)
    return (ChangeTest(sql, params, names.index("after")), count_sql, count_params,
            ChangeTest(rows_sql, rows_params, rows_names.index("after")))


def page_test(order: str, last: str, *, since=None, until=None, bbox=None, types=None, side=None,
              initiator_side=None, target_side=None, min_deaths=None, selection: Selection | None = None,
              **_page) -> PageTest | None:
    """The :class:`PageTest` of a full page of a list (the filters of ``Store.list_events_json``)
    ending at event ``last``, or None when its window cannot be tested on the log: another order,
    or a filter on claims or documents (:func:`list_test` tests those on every logged row)."""
    if order not in WINDOW_ORDERS or not _plain(selection):
        return None
    window, count, count_params, logged = _page_test(order, since, until, tuple(bbox) if bbox else None,
                                                     tuple(types) if types else None, side, initiator_side,
                                                     target_side, min_deaths, selection)
    return PageTest(window, count, count_params, last, logged)


def logged_test(*, since=None, until=None, bbox=None, types=None, side=None, initiator_side=None, target_side=None,
                min_deaths=None, selection: Selection | None = None, **_page) -> ChangeTest | None:
    """The rows logged after a seq, each with whether it matches these filters (:func:`total_moved`),
    for the store's own remembered counts; None when a filter reads claims or documents."""
    if not _plain(selection):
        return None
    return _page_test("date", since, until, tuple(bbox) if bbox else None, tuple(types) if types else None, side,
                      initiator_side, target_side, min_deaths, selection)[3]


MAX_ADDED = 512   # logged rows added up at most; past them the total is counted (an answer long unasked)


def total_moved(conn, logged: ChangeTest, after: int) -> int | None:
    """How far the rows logged after ``after`` moved a list's total (None: count it instead), on
    ``conn`` (sqlite3), in the caller's read transaction; ``logged``: the list's rows test
    (``PageTest.logged``, :func:`logged_test`).

    With an ingest running the total of a kept page moves at nearly every commit, and counting it
    again cost a ``count(*)`` of the list per kept page per commit (0.3-1 ms on 10,000 events, the
    largest part of the cache's work then: docs/performance.md, session 16). The log says as much:
    a matching row logged on insert is one more, one logged on delete one fewer. The log does not say
    which a row was, but its rows of one id alternate (an id is inserted, then deleted, then inserted
    again; an update logs the old row, then the new), and the last of them is an insert exactly when
    the event is in the ledger now: a row with an even number of rows of its id logged after it
    entered the ledger if the event is there now, and left it otherwise."""
    rows = conn.execute(logged.sql, logged.args(after)).fetchmany(MAX_ADDED + 1)
    if len(rows) > MAX_ADDED:
        return None
    later: Counter = Counter()   # rows of each id logged after the one in hand
    matched = []
    for _seq, event_id, matches in reversed(rows):
        if event_id is None:
            return None           # a review, a claim or a document changed: not a count of rows
        if matches:
            matched.append((event_id, later[event_id]))
        later[event_id] += 1
    if not matched:
        return 0
    ids = sorted({event_id for event_id, _n in matched})
    here = {r[0] for r in conn.execute(f"SELECT id FROM ledger_events WHERE id IN ({', '.join('?' * len(ids))})",
                                       ids)}
    return sum(1 if (n % 2 == 0) == (event_id in here) else -1 for event_id, n in matched)
