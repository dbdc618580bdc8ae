"""The store on SQLite and PostgreSQL: schema, ingest, idempotence, atomicity, queries, errors."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import create_engine, text

from claimledger.ledger.errors import StoreError
from claimledger.ledger.store import Store, resolve_url
from claimledger.records import Claim, DocResult
from claimledger.serialise import to_dict

from .factory import Doc, num, quantity

PG_SEARCH_INDEXES = set(importlib.import_module("claimledger.ledger.migrations.versions.0013_claims_search").PG_INDEXES)


def kramatorsk_docs() -> list[Doc]:
    a = Doc("abc", "2022-04-08", "ABC", title="Rocket attack on station").event(date="2022-04-08",
                                                                                place_name="Kramatorsk")
    a.claim("At least 50 people, including five children, were killed", num(50, "At least 50", True),
            source="Ukrainian authorities", side="ukraine", date="2022-04-08", place_name="Kramatorsk")
    a.claim("around 100 injured", quantity("around 100", 100, None, None, True), measure="wounded",
            source="Ukrainian authorities", side="ukraine")
    b = Doc("bbc", "2022-04-09", "BBC").event(date="2022-04-08", place_name="Kramatorsk")
    b.event(type="Air/drone strike", date=None, place_name="Mariupol")
    b.claim("Scores of people have been killed at the railway station", quantity("Scores of", None, 40, 199, True))
    b.claim("the death toll had risen to 50", num(50), source="Pavlo Kyrylenko", side="ukraine")
    c = Doc("cbs", "2022-04-08", "CBS").event(date="2022-04-08", place_name="Kramatorsk")
    c.claim("At least 52 people were killed", num(52, "At least 52", True), source="Ukrainian officials",
            side="ukraine")
    d = Doc("cbs-theatre", "2022-03-16", "CBS").event(type="Air/drone strike", date="2022-03-16",
                                                      place_name="Mariupol")
    d.claim("the drama theatre was hit", num(1, "one"), measure="hit")
    e = Doc("kyiv", "2022-06-05", "Reuters").event(date="2022-06-05", place_name="Kyiv")
    e.claim("one person was injured", num(1, "one"), measure="wounded", source="Vitali Klitschko", side="ukraine")
    return [a, b, c, d, e]


def ingest_all(store: Store, docs: list[Doc]):
    return [store.ingest(d.build(), body=d.body, origin=f"test:{d.meta.outlet}") for d in docs]


def dump(url: str) -> dict:
    """Every row of every table, for before/after comparisons."""
    engine = create_engine(resolve_url(url))
    out = {}
    with engine.connect() as conn:
        for t in ("documents", "claims", "doc_places", "doc_events", "ledger_events", "failures", "alembic_version"):
            out[t] = sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}")))
    engine.dispose()
    return out


def test_open_creates_schema_at_head_and_reopens(db_url):
    with Store.open(db_url) as s:
        assert s.schema_revision() == "0013"
        assert s.summary()["documents"] == 0
    with Store.open(db_url, create=False) as s:
        assert s.schema_revision() == "0013"


def test_migrations_match_the_table_definitions(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from claimledger.ledger.db import metadata

    with Store.open(db_url) as s, s.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    if db_url.startswith("postgresql"):   # 0010 leaves the free-text columns out of this index there
        diff = [d for d in diff if not (d[0] in ("add_index", "remove_index") and d[1].name == "ix_ledger_events_filters")]
    # 0013's search index is no table definition: SQLite's FTS5 table (and its shadow tables), PostgreSQL's
    # trigram indexes
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("claims_search"))
            and not (d[0] == "remove_index" and d[1].name in PG_SEARCH_INDEXES)]
    assert diff == []


def test_ingest_stores_everything_and_reads_it_back(store):
    docs = kramatorsk_docs()
    reports = ingest_all(store, docs)
    assert all(not r.skipped for r in reports)
    s = store.summary()
    assert (s["documents"], s["claims"], s["document_events"]) == (5, 7, 6)
    meta, body = store.get_document(docs[0].id)
    assert meta.outlet == "ABC" and body == docs[0].body
    again = store.document_result(docs[0].id)
    assert to_dict(again) == to_dict(docs[0].build())
    for c in again.claims:  # evidence offsets index the stored body
        assert body[c.evidence.start:c.evidence.end] == c.evidence.text


def test_kramatorsk_reports_merge_into_one_reconciled_event(store):
    ingest_all(store, kramatorsk_docs())
    events, total = store.list_events(near=(48.72, 37.56, 10))
    assert total == 1
    ev = events[0]
    assert len(ev.documents) == 3 and ev.type == "Shelling/artillery/missile attack"
    assert (ev.deaths.low, ev.deaths.high) == (50, 52)
    assert ev.wounded.best == 100
    assert ev.deaths.reasoning and all(isinstance(x, str) for x in ev.deaths.reasoning)
    pairs = store.event_claims(ev.id)
    assert {m.outlet for _, m in pairs} == {"ABC", "BBC", "CBS"}
    assert all(isinstance(c, Claim) for c, _ in pairs)
    assert store.get_event(ev.id) == ev
    assert store.find_event_ids(ev.id[:7]) == [ev.id]


def test_undated_report_joins_the_dated_incident(store):
    ingest_all(store, kramatorsk_docs())
    events, total = store.list_events(types=["Air/drone strike"])
    assert total == 1 and len(events[0].documents) == 2     # BBC's undated Mariupol strike joined CBS's


def test_reingest_changes_nothing(store, db_url):
    docs = kramatorsk_docs()
    ingest_all(store, docs)
    before = dump(db_url)
    reports = ingest_all(store, docs)
    assert all(r.skipped for r in reports)
    assert dump(db_url) == before


def test_failed_document_writes_nothing(store, db_url):
    ingest_all(store, kramatorsk_docs()[:1])
    before = dump(db_url)
    bad = Doc("broken", "2022-04-10").event(date="2022-04-10", place_name="Kramatorsk")
    bad.claim("two killed", num(2))
    bad.claim("three killed", num(3))
    result = bad.build()
    result.claims[1].id = result.claims[0].id        # duplicate key: fails after the first rows went in
    with pytest.raises(StoreError):
        store.ingest(result, body=bad.body)
    assert dump(db_url) == before


def test_failures_are_recorded_upserted_and_cleared_on_success(store):
    store.record_failure("batch.jsonl:3", "no body text left after removing boilerplate")
    store.record_failure("batch.jsonl:3", "malformed JSON")
    store.record_failure("batch.jsonl:4", "empty input")
    assert [(f["origin"], f["reason"]) for f in store.failures()] == [
        ("batch.jsonl:3", "malformed JSON"), ("batch.jsonl:4", "empty input")]
    d = kramatorsk_docs()[0]
    store.ingest(d.build(), body=d.body, origin="batch.jsonl:3")
    assert [f["origin"] for f in store.failures()] == ["batch.jsonl:4"]
    assert store.summary()["failures"] == 1


def test_list_events_filters_and_pages(store):
    ingest_all(store, kramatorsk_docs())
    all_events, total = store.list_events()
    assert total == 3 and [e.date.start for e in all_events] == ["2022-03-16", "2022-04-08", "2022-06-05"]
    assert store.list_events(since="2022-04-01", until="2022-04-30")[1] == 1
    assert store.list_events(bbox=(30.0, 50.0, 31.0, 51.0))[0][0].place.name == "Kyiv"
    assert store.list_events(near=(48.72, 37.56, 25))[1] == 1
    assert store.list_events(near=(50.45, 30.52, 5))[1] == 1
    assert store.list_events(near=(46.0, 25.0, 50))[1] == 0
    assert store.list_events(types=["Explosions/Remote violence"])[1] == 3
    assert store.list_events(side="ukraine")[1] == 3 and store.list_events(side="third_party")[1] == 0
    assert store.list_events(initiator_side="russia", target_side="ukraine")[1] == 3
    assert store.list_events(min_deaths=50)[1] == 1
    page, total = store.list_events(limit=1, offset=1)
    assert total == 3 and [e.date.start for e in page] == ["2022-04-08"]
    newest, _ = store.list_events(order="-date", limit=1)
    assert newest[0].date.start == "2022-06-05"


def test_claims_places_and_summary(store):
    ingest_all(store, kramatorsk_docs())
    claims, total = store.list_claims(source="kyrylenko")
    assert total == 1 and claims[0].quantity.value == 50
    assert store.list_claims(measure="wounded")[1] == 2
    assert store.list_claims(side="ukraine", measure="killed")[1] == 3
    places = dict((p.name, n) for p, n in store.list_places())
    assert places == {"Kramatorsk": 1, "Mariupol": 1, "Kyiv": 1}
    s = store.summary()
    assert s["events"] == 3 and s["multi_document_events"] == 2 and s["events_with_deaths"] == 1
    assert s["first_date"] == "2022-03-16" and s["last_date"] == "2022-06-05"
    assert s["by_type"]["Shelling/artillery/missile attack"] == 2


def test_rebuild_gives_the_incremental_result(store):
    ingest_all(store, kramatorsk_docs())
    before = store.list_events(limit=None)[0]
    store.rebuild()
    assert store.list_events(limit=None)[0] == before


def test_newer_schema_is_refused(db_url):
    Store.open(db_url).close()
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this claimledger"):
        Store.open(db_url)


@pytest.mark.parametrize("url, message", [
    ("nosuchdb://x/y", "no database driver|not a database URL"),
    ("sqlite:////nonexistent-folder-claimledger/l.db", "does not exist"),
])
def test_bad_urls_give_one_line_errors(url, message):
    with pytest.raises(StoreError, match=message) as info:
        Store.open(url)
    assert "\n" not in str(info.value)


def test_path_inside_a_file_and_missing_ledger(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(f"sqlite:///{f}/ledger.db")
    with pytest.raises(StoreError, match="no ledger at"):
        Store.open(str(tmp_path / "absent.db"), create=False)
    assert not (tmp_path / "absent.db").exists()


def test_unreachable_postgresql_is_a_clear_error():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError, match="cannot open the ledger") as info:
        Store.open(f"postgresql://nobody:secret@127.0.0.1:{port}/nothing")
    assert "secret" not in str(info.value) and "\n" not in str(info.value)


def test_bare_path_and_env_default(tmp_path, monkeypatch):
    assert resolve_url(str(tmp_path / "l.db")) == f"sqlite:///{tmp_path / 'l.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("CLAIMLEDGER_DB", "sqlite:///x.db")
    assert resolve_url(None) == "sqlite:///x.db"
    monkeypatch.delenv("CLAIMLEDGER_DB")
    monkeypatch.chdir(tmp_path)
    with Store.open() as s:
        assert s.summary()["documents"] == 0
    assert (tmp_path / "claimledger.db").exists()


def test_document_without_events_or_claims(store):
    r = store.ingest(DocResult(doc=Doc("empty", "2022-01-01").meta), body="Nothing counted here.")
    assert not r.skipped and r.events == 0
    assert store.summary()["documents"] == 1 and store.summary()["events"] == 0


def test_a_ledger_at_0001_is_upgraded_in_place_and_keeps_its_data(db_url):
    from alembic import command

    with Store.open(db_url) as s, s.engine.begin() as conn:
        cfg = s._alembic()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    a = kramatorsk_docs()[0]
    with Store.open(db_url) as s:  # opening upgrades to head before anything is written
        assert s.schema_revision() == "0013"
        s.ingest(a.build(), body=a.body)
        assert s.summary()["documents"] == 1


def test_a_toll_beyond_32_bits_is_stored(db_url):
    big = Doc("huge", "2022-05-01").event(date="2022-05-01", place_name="Kyiv")
    big.claim("3,000,000,000 people were killed", num(3_000_000_000), source="Someone", side="ukraine")
    with Store.open(db_url) as s:
        s.ingest(big.build(), body=big.body)
        (event,) = s.list_events()[0]
        assert event.deaths.high == 3_000_000_000


def test_parsed_records_forget_past_their_limit_and_read_again(tmp_path):
    from claimledger.ledger.parsed import ParsedRecords

    docs = [Doc(f"p{i}", "2022-04-08").event(date="2022-04-08", place_name="Kramatorsk") for i in range(3)]
    for d in docs:
        d.claim("killed at the station", num(5))
    with Store.open(f"sqlite:///{tmp_path / 'l.db'}") as s:
        for d in docs:
            s.ingest(d.build(), body=d.body)
        cache = ParsedRecords(limit=2)
        with s.engine.connect() as conn:
            cache.load(conn, [docs[0].events[0].id, docs[1].events[0].id])
            assert len(cache.events) == 2 and cache.inputs[docs[0].events[0].id][0].claim.quantity.value == 5
            cache.load(conn, [docs[2].events[0].id])            # over the limit: starts again
            assert set(cache.events) == {docs[2].events[0].id}
            assert [i.claim.id for i in cache.inputs[docs[2].events[0].id]] == [docs[2].claims[0].id]
