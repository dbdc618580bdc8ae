"""The page's API: search and every filter on /api/events, /api/map and /api/claims, sorting and
server paging, facets, the changed-since filter, and "download this selection" through the
exporters (file content checked against ``claimledger export``)."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from page_fixtures import page_documents, ua_place
from web_fixtures import SHELLING, Doc, build_ledger

from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app
from claimledger.outputs.export import acled, claims_csv

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # tests/: the store tests' PostgreSQL fixtures
from ledger.conftest import pg_server_url, pg_url  # noqa: E402, F401


@pytest.fixture(scope="module")
def page_url(tmp_path_factory) -> str:
    return build_ledger(tmp_path_factory.mktemp("page") / "ledger.db", page_documents())


@pytest.fixture(scope="module")
def client(page_url):
    with TestClient(create_app(page_url), raise_server_exceptions=False) as c:
        yield c


def places(client, path="/api/events", **params) -> list[str]:
    body = client.get(path, params={"limit": 1000, **params} if path == "/api/events" else params).json()
    assert "items" in body, body
    if path == "/api/map":
        return sorted(r["place"] for r in body["items"])
    return sorted(e["place"]["name"] for e in body["items"])


@pytest.mark.parametrize("params, expect", [
    ({"q": "khartoum"}, ["Khartoum"]),                       # a place
    ({"q": "EMERGENCY lawyers"}, ["Khartoum"]),              # a source, any case
    ({"q": "black sea"}, ["Odesa"]),                         # an outlet
    ({"q": "falling debris"}, ["Kyiv"]),                     # evidence
    ({"q": "nothing like this"}, []),
    ({"conflict": "sudan"}, ["Khartoum"]),
    ({"source_side": "russia"}, ["Bakhmut", "Kharkiv"]),
    ({"source_kind": "ngo"}, ["Khartoum"]),
    ({"source_kind": "military"}, ["Bakhmut"]),
    ({"outlet": "sudan tribune"}, ["Khartoum"]),
    ({"country": "sd"}, ["Khartoum"]),
    ({"admin1": "Kherson"}, ["Kherson"]),
    ({"min_deaths": 3, "max_deaths": 5}, ["Kharkiv", "Kherson"]),
    ({"initiator_side": "rsf"}, ["Khartoum"]),
    ({"q": "odesa", "type": "Shelling/artillery/missile attack"}, ["Odesa", "Odesa"]),
    ({"reviewed": "false", "country": "SD"}, ["Khartoum"]),
])
def test_each_filter_on_events_and_map(client, params, expect):
    assert places(client, **params) == expect
    assert places(client, "/api/map", **params) == expect


def test_map_rows_keep_the_models_shape(client):
    from claimledger.outputs.api import models as m

    body = client.get("/api/map", params={"country": "UA"}).json()
    assert m.MapData.model_validate(body).total == len(body["items"]) == 7
    assert set(body["items"][0]) == set(m.MapPoint.model_fields)


def test_bad_filters_are_422(client):
    for params in ({"country": "Ukraine"}, {"conflict": "Not An Id"}, {"source_kind": "wizard"},
                   {"min_deaths": 9, "max_deaths": 2}, {"order": "colour"}, {"updated_since": "yesterday"}):
        r = client.get("/api/events", params=params)
        assert r.status_code == 422, params
        assert r.json()["error"]


@pytest.mark.parametrize("order, key, reverse", [
    ("deaths", lambda e: e["deaths"]["best"] if e["deaths"] else None, False),
    ("-deaths", lambda e: e["deaths"]["best"] if e["deaths"] else None, True),
    ("place", lambda e: e["place"]["name"], False),
    ("-documents", lambda e: len(e["documents"]), True),
])
def test_sorting_and_server_paging(client, order, key, reverse):
    pages, offset = [], 0
    while True:
        body = client.get("/api/events", params={"order": order, "limit": 3, "offset": offset}).json()
        pages += body["items"]
        offset += 3
        if offset >= body["total"]:
            break
    assert len(pages) == body["total"] == 8 and len({e["id"] for e in pages}) == 8
    values = [key(e) for e in pages]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=reverse)
    assert values[len(known):] == [None] * (len(values) - len(known))   # unknown last, either way


def test_claims_table_filters_sorts_and_names_event_and_report(client):
    body = client.get("/api/claims", params={"order": "-value", "limit": 4}).json()
    values = [c["quantity"]["value"] for c in body["items"]]
    assert values == sorted(values, reverse=True) and values[0] == 60
    assert body["total"] == 12 and len(body["events"]) == 4
    assert all(e.startswith("le-") for e in body["events"])
    assert {c["id"].split(":")[0] for c in body["items"]} <= set(body["documents"])
    # an event-level filter keeps that event's claims; claim-level ones narrow the claims themselves
    sd = client.get("/api/claims", params={"country": "SD"}).json()
    assert [c["source"]["name"] for c in sd["items"]] == ["Emergency Lawyers"]
    kh = client.get("/api/claims", params={"q": "kharkiv", "source_side": "ukraine"}).json()
    assert {c["source"]["name"] for c in kh["items"]} == {"Kharkiv regional governor"}
    one = client.get("/api/claims", params={"event": body["events"][0]}).json()
    assert one["total"] >= 1 and set(one["events"]) == {body["events"][0]}


def test_facets_list_what_each_filter_can_take(client):
    f = client.get("/api/facets").json()
    assert dict(f["countries"]) == {"UA": 7, "SD": 1}
    assert dict(f["conflicts"]) == {"sudan": 1}
    assert dict(f["outlets"])["Example Wire"] == 6 and dict(f["outlets"])["Black Sea News"] == 1
    assert "ngo" in dict(f["source_kinds"]) and "rsf" in dict(f["initiators"])


def test_changed_since_finds_what_a_later_ingest_touched(page_url, client):
    everything = client.get("/api/events", params={"limit": 1000}).json()["total"]
    time.sleep(1.1)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    assert client.get("/api/map", params={"updated_since": stamp}).json()["items"] == []
    d = Doc("Two people were killed in Kherson by shelling on Friday, officials said.", "2023-06-03", "Kherson again")
    c = d.claim("Two people were killed in Kherson by shelling on Friday", "Two", source="Kherson officials",
                side="ukraine", value=2, day="2023-06-02")
    d.event(SHELLING, "2023-06-02", ua_place("Kherson"), (2, 2, 2), [c])
    with Store.open(page_url) as s:
        s.ingest(*d.result())
    fresh = client.get("/api/map", params={"updated_since": stamp}).json()["items"]
    assert [r["date"] for r in fresh] == ["2023-06-02"]
    assert client.get("/api/events", params={"limit": 1000}).json()["total"] == everything + 1


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_download_this_selection_is_the_exporters_output(page_url, client):
    r = client.get("/api/export", params={"format": "acled-csv", "country": "UA", "min_deaths": 3})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and r.headers["x-rows"] == "2"
    got = _rows(r.text)
    assert sorted(g["location"] for g in got) == ["Kharkiv", "Kherson"]
    # the same rows `claimledger export` writes, column for column (data_id and timestamp aside)
    full = io.StringIO()
    with Store.open(page_url, create=False) as s:
        acled.write(s, full)
    by_id = {row["event_id_cnty"]: row for row in _rows(full.getvalue())}
    for g in got:
        ref = by_id[g["event_id_cnty"]]
        assert {k: v for k, v in g.items() if k not in ("data_id", "event_id_no_cnty", "timestamp")} == \
               {k: v for k, v in ref.items() if k not in ("data_id", "event_id_no_cnty", "timestamp")}

    geo = client.get("/api/export", params={"format": "geojson", "q": "khartoum"})
    fc = json.loads(geo.text)
    assert [f["properties"]["place"] for f in fc["features"]] == ["Khartoum"]
    assert fc["features"][0]["geometry"]["coordinates"] == [32.5324, 15.5518]

    claims = client.get("/api/export", params={"format": "claims-csv", "source_side": "russia"})
    rows = _rows(claims.text)
    assert list(rows[0]) == claims_csv.COLUMNS
    assert {r["source_name"] for r in rows} == {"Russian Ministry of Defence"} and len(rows) == 2


def test_an_empty_selection_downloads_a_header_only(client):
    r = client.get("/api/export", params={"format": "acled-csv", "q": "no such thing"})
    assert r.status_code == 200 and r.headers["x-rows"] == "0"
    assert r.text.splitlines() == [",".join(acled.COLUMNS)]


def test_the_same_answers_on_postgresql(pg_url, tmp_path):  # noqa: F811
    """Every filter, sort and download above gives PostgreSQL's answer too (ILIKE, NULL order...)."""
    with Store.open(pg_url) as s:
        for result, body in page_documents():
            s.ingest(result, body=body, origin="fixture")
    sqlite = build_ledger(tmp_path / "same.db", page_documents())   # not the module's: a test adds to that one
    with TestClient(create_app(pg_url), raise_server_exceptions=False) as pg, \
            TestClient(create_app(sqlite), raise_server_exceptions=False) as client:
        for params in ({"q": "EMERGENCY lawyers"}, {"q": "black sea"}, {"q": "falling debris"}, {"conflict": "sudan"},
                       {"source_side": "russia"}, {"source_kind": "ngo"}, {"outlet": "sudan tribune"},
                       {"country": "sd"}, {"admin1": "Kherson"}, {"min_deaths": 3, "max_deaths": 5},
                       {"reviewed": "false", "country": "SD"}):
            assert places(pg, **params) == places(client, **params), params
            assert places(pg, "/api/map", **params) == places(client, "/api/map", **params), params
        for order in ("deaths", "-deaths", "place", "-documents", "-updated"):
            got = [e["place"]["name"] for e in pg.get("/api/events", params={"order": order}).json()["items"]]
            want = [e["place"]["name"] for e in client.get("/api/events", params={"order": order}).json()["items"]]
            if order != "-updated":   # ingest times differ between the two ledgers
                assert got == want, order
        for order in ("-value", "source", "published"):
            got = pg.get("/api/claims", params={"order": order, "country": "UA"}).json()
            want = client.get("/api/claims", params={"order": order, "country": "UA"}).json()
            assert [c["quantity"]["text"] for c in got["items"]] == [c["quantity"]["text"] for c in want["items"]], order
        assert pg.get("/api/facets").json() == client.get("/api/facets").json()
        a = _rows(pg.get("/api/export", params={"format": "claims-csv", "source_side": "russia"}).text)
        b = _rows(client.get("/api/export", params={"format": "claims-csv", "source_side": "russia"}).text)
        assert [r["evidence"] for r in a] == [r["evidence"] for r in b]
