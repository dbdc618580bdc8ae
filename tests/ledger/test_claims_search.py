"""The claims' trigram index (migration 0013): a search of three characters or more asks it, and
finds exactly what the unindexed ``LIKE`` search finds, for every kind of text (case, non-ASCII,
``%``, ``_``, ``/``, quotes, backslashes); the triggers keep it in step with the claims."""

from __future__ import annotations

import random
import re
import sqlite3

import pytest
from alembic import command

from claimledger.ledger import selection
from claimledger.ledger.selection import Selection
from claimledger.ledger.store import Store

from .factory import Doc, num
from .test_list_order import _statements

TEXTS = [
    ("Regional Governor", "Five people were killed in Kyiv, the regional governor said."),
    ("Генштаб ЗСУ", "Київ: загинули 4 людини, повідомив Генштаб."),
    ("КИЇВСЬКА ОВА", "У Київській області 3 загиблих."),
    ("École Militaire", "L'école a été touchée: 2 morts."),
    ("50% Group", "About 50% of 12 wounded were soldiers, under_score said."),
    ("a/b Monitor", 'The "a/b" monitor counted 7 dead; path a/b/c and 100%_sure.'),
    ("UN mission", "The UN monitoring mission recorded 9 civilian deaths near Odesa."),
    (None, "Unattributed: 6 people were killed, back\\slash noted."),
]
QUERIES = ["governor", "GOVERNOR", "Governor said", "київ", "Київ", "КИЇВ", "иїв", "école", "ÉCOLE", "cole",
           "50%", "0% o", "%", "%_", "_s", "under_score", "r_s", "a/b", "/b/", "a/b/c", "100%_", '"a/b"', '"',
           "UN", "un m", "monitoring", "Odesa", "xyz", "ab", "\\sl", "back\\slash", "  Kyiv  ", "9 c", "e\u0301"]


def _ledger(url: str) -> Store:
    s = Store.open(url)
    for i, (source, text) in enumerate(TEXTS):
        d = Doc(f"search-{i}", f"2022-04-{i + 1:02d}", outlet=f"Outlet {i}").event(date=f"2022-04-{i + 1:02d}",
                                                                                  place_name="Kyiv")
        d.claim(text, num(i + 1), source=source, kind="official")
        s.ingest(d.build(), body=d.body)
    return s


def _answers(s: Store, q: str) -> tuple:
    sel = Selection(q=q)
    claims = s.claim_page(selection=sel, limit=None)
    events = s.list_events_json(selection=sel, limit=None)
    return sorted(r[0] for r in claims[0]), claims[1], sorted(events[0]), events[1]


def _unindexed(monkeypatch) -> None:
    monkeypatch.setattr(selection, "INDEXABLE", re.compile(r"(?!)"))


def test_indexed_search_finds_what_like_finds(db_url, monkeypatch):
    rng = random.Random(4)
    words = [t for pair in TEXTS for t in pair if t]
    queries = QUERIES + [w[(a := rng.randrange(len(w) - 3)):a + rng.randrange(3, 8)] for w in words for _ in range(3)]
    with _ledger(db_url) as s:
        indexed = {q: _answers(s, q) for q in queries}
        _unindexed(monkeypatch)
        plain = {q: _answers(s, q) for q in queries}
    assert indexed == plain
    assert sum(1 for a in plain.values() if a[1]) > len(queries) // 2   # most queries find something


def test_a_search_of_three_characters_asks_the_index_and_a_shorter_one_does_not(sqlite_url):
    with _ledger(sqlite_url) as s:
        long = _statements(s, lambda: s.claim_page(selection=Selection(q="Kyiv"), limit=5))
        short = _statements(s, lambda: s.claim_page(selection=Selection(q="Ky"), limit=5))
    assert any("claims_search MATCH" in sql for sql, _ in long)
    assert not any("claims_search" in sql for sql, _ in short)


def _search_rows(path: str) -> dict:
    db = sqlite3.connect(path)
    try:
        claims = {r[0]: r[1:] for r in db.execute(
            "SELECT rowid, lower(source_name), lower(json_extract(data, '$.source.mention')),"
            " lower(json_extract(data, '$.evidence.text')) FROM claims")}
        index = {r[0]: r[1:] for r in db.execute("SELECT rowid, source_name, mention, evidence FROM claims_search")}
        return {"claims": claims, "index": index}
    finally:
        db.close()


def test_the_triggers_keep_the_index_in_step(sqlite_url):
    path = sqlite_url.removeprefix("sqlite:///")
    with _ledger(sqlite_url) as s:
        rows = _search_rows(path)
        assert rows["claims"] == rows["index"] and len(rows["index"]) == len(TEXTS)
        db = sqlite3.connect(path)
        with db:
            db.execute("UPDATE claims SET source_name = 'Renamed Speaker' WHERE source_name = 'UN mission'")
            db.execute("DELETE FROM claims WHERE source_name = 'École Militaire'")
        db.close()
        rows = _search_rows(path)
        assert rows["claims"] == rows["index"] and len(rows["index"]) == len(TEXTS) - 1
        assert _answers(s, "renamed speak")[1] == 1 and _answers(s, "cole Mil")[1] == 0   # the name, and gone
        s.rebuild()
        rows = _search_rows(path)
        assert rows["claims"] == rows["index"]


def test_0013_builds_the_index_of_existing_claims_and_downgrades(db_url):
    with _ledger(db_url) as s:
        cfg = s._alembic()
        for target, step in (("0012", command.downgrade), ("head", command.upgrade)):
            with s.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                step(cfg, target)
            if target == "0012" and s.engine.dialect.name == "sqlite":
                with s.engine.connect() as conn:
                    assert not conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE name LIKE 'claims_search%'").all()
        assert s.schema_revision() == "0013"
        assert _answers(s, "monitoring")[1] == 1 and _answers(s, "иїв")[1] == 2
        if s.engine.dialect.name == "sqlite":
            rows = _search_rows(db_url.removeprefix("sqlite:///"))
            assert rows["claims"] == rows["index"]


def test_on_postgresql_the_searched_expressions_have_trigram_indexes(pg_url):
    with _ledger(pg_url) as s, s.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT indexname FROM pg_indexes")}
        trgm = conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first()
    if trgm is None:
        pytest.skip("pg_trgm is not installed on this PostgreSQL")
    assert {"ix_claims_search_source", "ix_claims_search_mention", "ix_claims_search_evidence",
            "ix_documents_search_outlet", "ix_documents_search_title"} <= names
