"""The store's remembered list totals moved by the change log after a commit (``queries._count`` with
``changes.logged_test``) instead of counted again: after every write, whatever it was (a new event, a
merge into an old one, a rewrite by another writer), each total equals a count."""

from __future__ import annotations

import random
import sqlite3

import pytest

from claimledger.ledger import queries
from claimledger.ledger.store import Store

from .factory import ingest_random, random_doc

FILTERS = [{}, {"since": "2022-05-10"}, {"until": "2022-05-06"}, {"bbox": (30.0, 46.0, 34.0, 51.0)},
           {"min_deaths": 4}, {"types": ["Armed clash"]}, {"side": "ukraine"}, {"initiator_side": "russia"}]



def _counted(path: str, f: dict) -> int:
    """The list's total as a plain count through a store that remembers nothing yet."""
    with Store.open(f"sqlite:///{path}") as fresh:
        return fresh.list_events_json(**f, limit=1)[1]


@pytest.fixture
def moved(monkeypatch):
    calls = []
    real = queries.total_moved

    def counting(*a):
        calls.append(real(*a))
        return calls[-1]
    monkeypatch.setattr(queries, "total_moved", counting)
    return calls


def test_remembered_totals_moved_by_the_log_equal_a_count(tmp_path, moved):
    path = str(tmp_path / "l.db")
    rng = random.Random(11)
    with Store.open(f"sqlite:///{path}") as writer:
        ingest_random(writer, rng, "first", 12)
        with Store.open(f"sqlite:///{path}") as reader:
            for f in FILTERS:
                reader.list_events_json(**f, limit=1)
            for step in range(10):
                ingest_random(writer, rng, f"step-{step}", rng.randrange(1, 4))   # new events, and reports of old ones (merged)
                if step == 5:   # another writer rewrites an event's toll behind the store
                    with sqlite3.connect(path) as db:
                        db.execute("UPDATE ledger_events SET deaths_best = 7 WHERE id = "
                                   "(SELECT id FROM ledger_events ORDER BY id LIMIT 1)")
                        db.execute("UPDATE ledger_state SET generation = generation + 1")
                for f in FILTERS:
                    assert reader.list_events_json(**f, limit=1)[1] == _counted(path, f), (step, f)
    assert len(moved) >= 10 * len(FILTERS) and any(m for m in moved)


def test_a_total_past_the_pruned_log_is_counted(tmp_path, moved):
    path = str(tmp_path / "l.db")
    rng = random.Random(2)
    with Store.open(f"sqlite:///{path}") as writer:
        d = random_doc(rng, "one")
        writer.ingest(d.build(), body=d.body)
        with Store.open(f"sqlite:///{path}") as reader:
            assert reader.list_events_json(limit=1)[1] == 1
            with sqlite3.connect(path) as db:   # 5,000 logged rows: the triggers keep the newest 4,096 or so
                db.executemany("INSERT INTO ledger_changes (id) VALUES (?)", [("x",)] * 5000)
            d = random_doc(rng, "two")
            writer.ingest(d.build(), body=d.body)
            assert reader.list_events_json(limit=1)[1] == _counted(path, {})
    assert moved == []
