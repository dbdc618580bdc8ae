"""List pages made from kept rows (``Store.keep_rows``, ``queries.KeptRows``: the page's ids off the
index, each event's JSON kept by id until the change log holds a row of it): after every write,
whatever it was (new events, reports merged into old ones, a rewrite of an event's JSON by another
writer, a pruned log), every page equals the page a store that keeps nothing reads."""

from __future__ import annotations

import random
import sqlite3

from claimledger.ledger import queries
from claimledger.ledger.store import Store

from .factory import ingest_random, random_doc

PAGES = [({}, 0), ({}, 3), ({"order": "-date"}, 2), ({"since": "2022-05-04"}, 1), ({"bbox": (30.0, 46.0, 34.0, 51.0)}, 0),
         ({"min_deaths": 4}, 0), ({"types": ["Armed clash"]}, 1), ({"side": "ukraine"}, 0), ({"order": "deaths"}, 2)]



def _fresh(path: str, f: dict, offset: int) -> list[str]:
    with Store.open(f"sqlite:///{path}") as fresh:
        return fresh.list_events_json(**f, limit=4, offset=offset)[0]


def _pages(reader: Store, path: str, where) -> None:
    for f, offset in PAGES:
        assert reader.list_events_json(**f, limit=4, offset=offset)[0] == _fresh(path, f, offset), (where, f, offset)


def test_pages_of_kept_rows_equal_pages_read_afresh(tmp_path):
    path = str(tmp_path / "l.db")
    rng = random.Random(5)
    with Store.open(f"sqlite:///{path}") as writer:
        ingest_random(writer, rng, "first", 14)
        with Store.open(f"sqlite:///{path}") as reader:
            reader.keep_rows()
            _pages(reader, path, "start")
            for step in range(12):
                ingest_random(writer, rng, f"step-{step}", rng.randrange(1, 4))   # new events, and reports of old ones (merged)
                if step == 4:   # another writer rewrites the JSON of every event on the first page
                    with sqlite3.connect(path) as db:
                        db.execute("UPDATE ledger_events SET data = replace(data, '\"deaths\": ', "
                                   "'\"deaths\":  ') WHERE id IN (SELECT id FROM ledger_events "
                                   "ORDER BY date_start IS NULL, date_start, id LIMIT 6)")
                        db.execute("UPDATE ledger_state SET generation = generation + 1")
                _pages(reader, path, step)
            kept = reader._kept
            assert kept.used > 0 and kept.read > 0


def test_a_pruned_log_forgets_the_kept_rows(tmp_path, monkeypatch):
    """(Past ``MAX_FOLLOWED`` rows the kept rows start again anyway: raised here, so that the pruning
    is what is found.)"""
    monkeypatch.setattr(queries.KeptRows, "MAX_FOLLOWED", 10**6)
    path = str(tmp_path / "l.db")
    rng = random.Random(3)
    with Store.open(f"sqlite:///{path}") as writer:
        ingest_random(writer, rng, "one", 6)
        with Store.open(f"sqlite:///{path}") as reader:
            reader.keep_rows()
            _pages(reader, path, "start")
            with sqlite3.connect(path) as db:
                # a rewrite, then 5,000 logged rows: the triggers keep the newest 4,096 or so, the
                # rewrite's row is pruned with the rest
                db.execute("UPDATE ledger_events SET data = replace(data, '\"deaths\": ', '\"deaths\":  ')")
                db.executemany("INSERT INTO ledger_changes (id) VALUES (?)", [("x",)] * 5000)
            _pages(reader, path, "pruned")


def test_a_store_that_does_not_keep_rows_reads_them(tmp_path):
    path = str(tmp_path / "l.db")
    with Store.open(f"sqlite:///{path}") as writer:
        d = random_doc(random.Random(1), "one")
        writer.ingest(d.build(), body=d.body)
        assert writer._kept is None and writer.list_events_json(limit=1)[1] == 1
