"""Group commit (``Store.batch``): several documents per transaction, each all or nothing.

A kill between documents of one batch loses the uncommitted ones whole and a rerun stores them;
a document that fails rolls back alone; readers in another connection see each commit; the time
bound commits; the ledger is the one a document-per-transaction ingest makes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from claimledger.ledger import stories
from claimledger.ledger.store import Store

from .factory import Doc, num
from .test_crash import state

TOWNS = ["Kramatorsk", "Sloviansk", "Kharkiv", "Mykolaiv"]
ROOT = Path(__file__).resolve().parents[2]


def reports(n: int = 9) -> list[tuple]:
    """(DocResult, body) of ``n`` invented reports: pairs of outlets on one strike, so they merge."""
    out = []
    for i in range(n):
        town, day = TOWNS[(i // 2) % len(TOWNS)], f"2022-04-{10 + i // 2:02d}"
        d = Doc(f"group-commit-{i}", day, outlet=f"outlet{i % 3}")
        d.event(date=day, place_name=town).claim(f"{3 + i} people were killed in {town}, the governor said.",
                                                   num(3 + i), source="the governor")
        out.append((d.build(), d.body))
    return out


def ledger(url: str) -> dict:
    """The grouping, every ledger event's tolls and the counts: equal for two ledgers storing the same."""
    s = state(url)
    return {k: s[k] for k in ("documents", "claims", "grouping", "ledger")}


def doc_ids(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = sorted(r[0] for r in conn.execute(text("SELECT id FROM documents")))
    engine.dispose()
    return ids


def ingest_each(url: str, docs: list[tuple]) -> None:
    with Store.open(url) as store:
        for result, body in docs:
            store.ingest(result, body=body)


def test_batch_stores_the_ledger_a_transaction_per_document_stores(db_url, tmp_path):
    docs = reports()
    with Store.open(db_url) as store, store.batch(docs=4, ms=1e9) as batch:
        for result, body in docs:
            store.ingest(result, body=body)
    assert batch.commits == 3          # 4 + 4 + the last one at the block's end
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    ingest_each(clean, docs)
    assert ledger(db_url) == ledger(clean)
    assert len({g[0] for g in state(db_url)["grouping"]}) < len(docs)   # the reports did merge


KILLED = textwrap.dedent("""
    import os, pickle, signal, sys
    from claimledger.ledger.store import Store
    docs = pickle.load(open(sys.argv[2], "rb"))
    store = Store.open(sys.argv[1])
    with store.batch(docs=3, ms=1e9):
        for result, body in docs[:5]:
            store.ingest(result, body=body)
        os.kill(os.getpid(), signal.SIGKILL)   # documents 4 and 5 written, not committed
""")


def test_a_kill_between_documents_of_a_batch_loses_none_after_a_rerun(tmp_path):
    import pickle

    docs = reports()
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    Store.open(url).close()
    with open(tmp_path / "docs.pickle", "wb") as fh:
        pickle.dump(docs, fh)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-P", "-c", KILLED, url, str(tmp_path / "docs.pickle")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    after_kill = state(url)
    assert doc_ids(url) == sorted(r.doc.id for r, _ in docs[:3])   # the first batch, committed
    assert after_kill["incomplete"] == [] and after_kill["orphans"] == 0
    with Store.open(url) as store, store.batch(docs=3, ms=1e9):   # the rerun: what is there is skipped
        skipped = [store.ingest(r, body=b).skipped for r, b in docs]
    assert skipped == [True] * 3 + [False] * 6
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    ingest_each(clean, docs)
    assert ledger(url) == ledger(clean)


def test_a_failing_document_rolls_back_alone(db_url, tmp_path, monkeypatch):
    docs = reports(5)
    bad = docs[2][0].doc.id
    real = stories.assign

    def assign(conn, doc_id, *args, **kw):
        if doc_id == bad:
            raise ValueError("a record the store cannot take")
        return real(conn, doc_id, *args, **kw)

    monkeypatch.setattr(stories, "assign", assign)
    with Store.open(db_url) as store, store.batch(docs=10, ms=1e9):
        for result, body in docs:
            try:
                store.ingest(result, body=body)
            except ValueError:
                store.record_failure("bad.jsonl:3", "could not be stored", doc_id=bad)
    monkeypatch.setattr(stories, "assign", real)
    kept = [d for i, d in enumerate(docs) if i != 2]
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    ingest_each(clean, kept)
    assert ledger(db_url) == ledger(clean)
    with Store.open(db_url) as store:
        assert [f["origin"] for f in store.failures()] == ["bad.jsonl:3"]
        assert store.rebuild() == len({g[0] for g in state(clean)["grouping"]})
    assert ledger(db_url) == ledger(clean)   # the incremental merge after the rollback is a rebuild's


def _seen(path: Path, conn: sqlite3.Connection) -> tuple[int, int, int]:
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    head = conn.execute("SELECT coalesce(max(seq), 0) FROM ledger_changes").fetchone()[0]
    return docs, head, conn.execute("PRAGMA data_version").fetchone()[0]


def test_readers_see_each_commit_and_nothing_before_it(tmp_path):
    path = tmp_path / "read.db"
    docs = reports(4)
    with Store.open(f"sqlite:///{path}") as store:
        reader = sqlite3.connect(path, isolation_level=None)   # as the API's cache watches: its own connection
        start = _seen(path, reader)
        with store.batch(docs=2, ms=1e9) as batch:
            store.ingest(*docs[0])
            assert _seen(path, reader) == start                 # written, not committed: invisible
            assert store.has_document(docs[0][0].doc.id)        # but the writer reads its own batch
            store.ingest(*docs[1])
            first = _seen(path, reader)
            assert first[0] == 2 and first[1] > start[1] and first[2] != start[2]
            store.ingest(*docs[2])
            batch.flush()                                       # what ingest does before waiting on workers
            second = _seen(path, reader)
            assert second[0] == 3 and second[1] > first[1] and second[2] != first[2]
            store.ingest(*docs[3])
        assert _seen(path, reader)[0] == 4                      # the block's end commits the rest
        assert batch.commits == 3
        reader.close()


def test_the_time_bound_commits(sqlite_url):
    with Store.open(sqlite_url) as store, store.batch(docs=1000, ms=0) as batch:
        for result, body in reports(3):
            store.ingest(result, body=body)
        assert batch.commits == 3


def test_a_database_error_abandons_the_batch(sqlite_url):
    docs = reports(3)
    with Store.open(sqlite_url) as store:
        with pytest.raises(RuntimeError), store.batch(docs=10, ms=1e9):
            store.ingest(*docs[0])
            raise RuntimeError("the loop stopped")             # not the database: what is written stays
        assert store.has_document(docs[0][0].doc.id)
        from claimledger.ledger.errors import StoreError

        with pytest.raises(StoreError), store.batch(docs=10, ms=1e9):
            store.ingest(*docs[1])
            raise StoreError("the database failed")             # the database: nothing is trusted
        assert not store.has_document(docs[1][0].doc.id)
        store.ingest(*docs[1])                                  # and the store writes on afterwards
        assert store.has_document(docs[1][0].doc.id)
