"""The page's search and side filters through the API, on SQLite and on PostgreSQL: the search
finds any substring of a place, a source, an outlet, a title or the evidence ("Kram", "Reuter", a
quoted phrase) and nothing else (not the keys and codes of the stored JSON); the three kinds of
side (party involved, who says it, whose losses) each filter events and claims as documented in
docs/web.md, and the claims table agrees with its download."""

from __future__ import annotations

import csv
import io
import sys
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from page_fixtures import QUOTED, page_documents, search_documents
from web_fixtures import build_ledger

from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # tests/: the store tests' PostgreSQL fixtures
from ledger.conftest import pg_server_url  # noqa: E402, F401


def _pg_database(server_url: str):
    """A fresh database on the test server for this module (pg_url is one per test)."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = "cl_" + uuid.uuid4().hex[:12]
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False), conninfo, name


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request, tmp_path_factory):
    docs = page_documents() + search_documents()
    if request.param == "sqlite":
        url, drop = build_ledger(tmp_path_factory.mktemp("search") / "ledger.db", docs), None
    else:
        url, conninfo, name = _pg_database(request.getfixturevalue("pg_server_url"))
        with Store.open(url) as s:
            for result, body in docs:
                s.ingest(result, body=body, origin="fixture")
        drop = (conninfo, name)
    with TestClient(create_app(url), raise_server_exceptions=False) as c:
        yield c
    if drop:
        import psycopg

        with psycopg.connect(drop[0], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{drop[1]}" WITH (FORCE)')


def events(client, path="/api/events", **params) -> list[str]:
    body = client.get(path, params={"limit": 1000, **params} if path == "/api/events" else params).json()
    assert "items" in body, body
    return sorted(r["place"] if path == "/api/map" else r["place"]["name"] for r in body["items"])


def claims(client, **params) -> list[dict]:
    body = client.get("/api/claims", params={"limit": 1000, **params}).json()
    assert "items" in body, body
    assert body["total"] == len(body["items"])
    return body["items"]


def sources(client, **params) -> list[str]:
    return sorted(c["source"]["name"] or "-" for c in claims(client, **params))


SUBSTRINGS = [
    ("Kram", ["Kramatorsk"]),                    # the start of a place
    ("ramatorsk", ["Kramatorsk"]),               # inside a place's name
    ("Reuter", ["Kramatorsk"]),                  # an outlet, cut short
    ("ailway stat", ["Kramatorsk"]),             # across words of the evidence
    ("torsk’s rail", ["Kramatorsk"]),            # not ASCII (a curly apostrophe)
    ("REGIONAL GOV", ["Kharkiv", "Kramatorsk", "Odesa"]),  # a source, any case
    ("eneral Sta", ["Bakhmut", "Sloviansk"]),    # inside a source's name
    ("ine Dige", ["Sloviansk"]),                 # inside an outlet
    ("near Slov", ["Sloviansk"]),                # a report's title
    (QUOTED[:18], ["Sloviansk"]),                # a phrase with quotes, inside evidence
    ("50%", []), ("_", []),                      # LIKE's wildcards are plain characters
]


def test_search_finds_any_substring_of_the_fields_it_names(client):
    for q, expect in SUBSTRINGS:   # one test: what an analyst types, all of it, is the contract
        assert events(client, q=q) == expect, q
        assert events(client, "/api/map", q=q) == expect, q


@pytest.mark.parametrize("q", ["quantity", "mention", "approximate", "null", "asserted", "evidence", '": "'])
def test_search_never_matches_the_stored_records_keys_and_codes(client, q):
    assert events(client, q=q) == [] and claims(client, q=q) == []


def test_claims_search_reaches_the_claims_event_place_report_and_evidence(client):
    # a claim is found by its event's place (the clash's claims say nothing of Sloviansk)
    assert sources(client, q="slov") == ["Russian Ministry of Defence", "Ukrainian General Staff"]
    assert sources(client, q=QUOTED) == ["Russian Ministry of Defence"]
    assert sources(client, q="reuter") == ["Donetsk regional governor"]


def test_three_kinds_of_side_on_events_and_map(client):
    # party involved: the event's initiator or target
    assert events(client, side="rsf") == ["Khartoum"]
    # who says it: some claim's source is of this side
    assert events(client, source_side="russia") == ["Bakhmut", "Kharkiv", "Sloviansk"]
    # whose losses: some claim counts people or things of this side
    assert events(client, subject_side="russia") == ["Bakhmut", "Kyiv", "Lviv", "Sloviansk"]
    assert events(client, "/api/map", subject_side="russia") == ["Bakhmut", "Kyiv", "Lviv", "Sloviansk"]
    assert events(client, subject_side="unknown") == ["Khartoum"]
    assert events(client, source_side="russia", subject_side="russia") == ["Bakhmut", "Sloviansk"]


def test_three_kinds_of_side_on_claims(client):
    # each claim's own source side and subject side...
    assert sources(client, source_side="russia") == ["Russian Ministry of Defence"] * 3
    assert sources(client, side="russia") == sources(client, source_side="russia")   # side: the source's, as always
    lost = claims(client, subject_side="russia")
    assert len(lost) == 4 and {c["subject"]["side"] for c in lost} == {"russia"}
    assert sources(client, source_side="russia", subject_side="ukraine") == ["Russian Ministry of Defence"] * 3
    # ...and the party involved in the claim's event, /api/events' side
    assert sources(client, event_side="rsf") == ["Emergency Lawyers"]
    both = sources(client, event_side="ukraine")
    assert "Emergency Lawyers" not in both and len(both) == len(claims(client)) - 3   # Khartoum, Bakhmut: no parties


def test_the_claims_table_and_its_download_select_the_same_claims(client):
    for party in ("rsf", "ukraine"):
        listed = {c["id"] for c in claims(client, event_side=party, subject_side="russia")}
        r = client.get("/api/export", params={"format": "claims-csv", "side": party, "subject_side": "russia"})
        assert r.status_code == 200
        got = {row["claim_id"] for row in csv.DictReader(io.StringIO(r.text))}
        assert got == listed and r.headers["x-rows"] == str(len(listed)), party


def test_facets_offer_the_sides_claims_count(client):
    f = client.get("/api/facets").json()
    assert dict(f["subject_sides"]) == {"ukraine": 10, "russia": 4, "unknown": 1}
