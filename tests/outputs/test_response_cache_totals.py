"""A kept list page's total moved by the change log (``changes.total_moved``) instead of counted
again at every commit, and the log's head looked up instead of scanned: the totals equal a count of
the ledger after inserts, rewrites, moves out of a filter and deletions, and a page recounted after
each of several ingests runs its ``count(*)`` once."""

from __future__ import annotations

import random
import sqlite3

from fastapi.testclient import TestClient

from claimledger.ledger.changes import HEAD_SQL, page_test, total_moved
from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app

from .test_response_cache_pages import TYPES, _report


def _ledger(tmp_path, n: int = 8) -> str:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    rng = random.Random(11)
    with Store.open(url) as s:
        for i in range(n):
            d = _report(rng, i)
            s.ingest(d.build(), body=d.body)
    return url


def test_the_logs_head_is_looked_up_not_scanned(tmp_path):
    _ledger(tmp_path)
    db = sqlite3.connect(tmp_path / "l.db")
    plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + HEAD_SQL))
    assert "SCAN ledger_changes" not in plan and "SEARCH ledger_changes" in plan
    assert db.execute(HEAD_SQL).fetchone() == db.execute("SELECT min(seq), max(seq) FROM ledger_changes").fetchone()


def _count(db, test) -> int:
    return db.execute(test.count, test.count_params).fetchone()[0]


def test_the_logged_rows_move_a_total_as_a_count_would(tmp_path):
    """Raw writes, as any writer may make them: a new event, one rewritten out of the filter and back,
    one deleted, one deleted and inserted again, one whose id changes."""
    _ledger(tmp_path)
    db = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    ids = [r[0] for r in db.execute("SELECT id FROM ledger_events ORDER BY id")]
    tests = [page_test("date", ids[0]), page_test("-date", ids[0], types=[TYPES[0]]),
             page_test("date", ids[0], since="2022-06-01", side="russia")]
    steps = [
        "INSERT INTO ledger_events SELECT 'new-1', {cols} FROM ledger_events WHERE id = '{a}'",
        f"UPDATE ledger_events SET type = 'Armed clash', event_type = 'Battles' WHERE id = '{ids[1]}'",
        f"UPDATE ledger_events SET type = '{TYPES[0]}', date_start = '2022-12-01' WHERE id = '{ids[1]}'",
        f"DELETE FROM ledger_events WHERE id = '{ids[2]}'",
        "INSERT INTO ledger_events SELECT 'new-2', {cols} FROM ledger_events WHERE id = '{b}'",
        "DELETE FROM ledger_events WHERE id = 'new-2'",
        "INSERT INTO ledger_events SELECT 'new-2', {cols} FROM ledger_events WHERE id = '{a}'",
        f"UPDATE ledger_events SET id = 'renamed', initiator_side = 'russia' WHERE id = '{ids[3]}'",
    ]
    cols = ", ".join(r[1] for r in db.execute("PRAGMA table_info(ledger_events)") if r[1] != "id")
    for upto in range(1, len(steps) + 1):
        for test in tests:
            start = db.execute("SELECT max(seq) FROM ledger_changes").fetchone()[0]
            db.execute("SAVEPOINT s")
            before = _count(db, test)
            for step in steps[:upto]:
                db.execute(step.format(cols=cols, a=ids[4], b=ids[5]))
            assert before + total_moved(db, test.logged, start) == _count(db, test), (upto, test.count)
            db.execute("ROLLBACK TO s")
            db.execute("RELEASE s")


def test_a_page_kept_across_ingests_is_counted_once(tmp_path):
    url = _ledger(tmp_path, 6)
    rng = random.Random(3)
    page = {"limit": 2, "since": "2022-01-01"}
    with TestClient(create_app(url)) as cached, TestClient(create_app(url, response_cache=False)) as fresh:
        cached.get("/api/events", params=page)
        cache = cached.app.state.response_cache
        cache.current()
        counts: list[str] = []
        cache.version._conn.set_trace_callback(lambda sql: counts.append(sql) if "count(" in sql else None)
        for n in range(100, 106):
            with Store.open(url) as s:   # late dates: after the page's window, and matching
                d = _report(rng, n, day=f"2022-12-{n - 99:02d}")
                s.ingest(d.build(), body=d.body)
            got = cached.get("/api/events", params=page)
            assert got.content == fresh.get("/api/events", params=page).content
        assert cache.recounted == 6 and cache.misses == 1
        assert len(counts) == 1, counts    # the first recount counts; the next five move its total
