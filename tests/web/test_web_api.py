"""The HTTP API over a real ledger (Store.open on a temporary SQLite file + Store.ingest)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_fixtures import TOKEN, XSS_SOURCE, build_ledger, documents

from claimledger.outputs.api import create_app


@pytest.fixture(scope="module")
def client(ledger_url):
    with TestClient(create_app(ledger_url), raise_server_exceptions=False) as c:
        yield c


def _all_events(client) -> list[dict]:
    body = client.get("/api/events", params={"limit": 1000}).json()
    assert body["total"] == len(body["items"])
    return body["items"]


def _event_at(client, place: str) -> dict:
    return next(e for e in _all_events(client) if e["place"] and e["place"]["name"] == place)


# ------------------------------------------------------------------------------------------ reads

def test_summary_counts_what_was_ingested(client):
    body = client.get("/api/summary").json()
    docs = documents()
    assert body["documents"] == len(docs)
    assert body["claims"] == sum(len(r.claims) for r, _ in docs)
    assert body["events"] == len(_all_events(client))


def test_the_two_kharkiv_reports_are_one_ledger_event(client):
    events = _all_events(client)
    kharkiv = [e for e in events if e["place"] and e["place"]["name"] == "Kharkiv"]
    assert len(kharkiv) == 1
    assert len(kharkiv[0]["documents"]) == 2
    assert len(events) == 6


def test_events_are_paginated_without_overlap(client):
    total = client.get("/api/events").json()["total"]
    first = client.get("/api/events", params={"limit": 4}).json()
    second = client.get("/api/events", params={"limit": 4, "offset": 4}).json()
    assert first["total"] == second["total"] == total
    ids = [e["id"] for e in first["items"]] + [e["id"] for e in second["items"]]
    assert len(ids) == total == len(set(ids))


@pytest.mark.parametrize("params, places", [
    ({"type": "Air/drone strike"}, {"Kyiv", "Lviv"}),
    ({"type": ["Air/drone strike", "Armed clash"]}, {"Kyiv", "Lviv", "Bakhmut"}),
    ({"since": "2023-02-01", "until": "2023-02-28"}, {"Kyiv", "Odesa"}),
    ({"bbox": "29,45,34,47.5"}, {"Odesa", "Kherson"}),
    ({"min_deaths": 4}, {"Kharkiv", "Kherson"}),  # Bakhmut: only enemy counts, best unknown
    ({"initiator_side": "russia", "type": "Air/drone strike"}, {"Kyiv", "Lviv"}),
])
def test_event_filters(client, params, places):
    body = client.get("/api/events", params=params).json()
    assert {e["place"]["name"] for e in body["items"]} == places
    assert body["total"] == len(places)


def test_map_rows_match_events(client):
    rows = client.get("/api/map").json()["items"]
    events = {e["id"]: e for e in _all_events(client)}
    assert {r["id"] for r in rows} == set(events)
    for r in rows:
        e = events[r["id"]]
        assert (r["lat"], r["lon"], r["type"]) == (e["place"]["lat"], e["place"]["lon"], e["type"])
        assert r["deaths"] == (e["deaths"]["best"] if e["deaths"] else None)


def test_event_detail_carries_claims_documents_sources_and_reasoning(client):
    kharkiv = _event_at(client, "Kharkiv")
    detail = client.get(f"/api/events/{kharkiv['id']}").json()
    assert detail["event"]["id"] == kharkiv["id"]
    assert len(detail["claims"]) == 3
    assert {d["id"] for d in detail["documents"]} == set(kharkiv["documents"])
    names = {s["name"] for s in detail["sources"]}
    assert names == {"Kharkiv regional governor", "Russian Ministry of Defence"}
    deaths = detail["event"]["deaths"]
    assert deaths["reasoning"], "reconciliation reasoning must reach the client"
    assert all(isinstance(line, str) for line in deaths["reasoning"])
    for rev in detail["event"]["revisions"]:
        assert set(rev) == {"source", "measure", "from", "to", "doc"}  # the wire spelling, not from_


def test_document_text_holds_each_claims_evidence(client):
    detail = client.get(f"/api/events/{_event_at(client, 'Bakhmut')['id']}").json()
    for item in detail["claims"]:
        doc = client.get(f"/api/documents/{item['doc']}").json()
        ev = item["claim"]["evidence"]
        assert doc["text"][ev["start"]:ev["end"]] == ev["text"]


def test_whole_numbers_stay_integers_on_the_wire(client):
    detail = client.get(f"/api/events/{_event_at(client, 'Odesa')['id']}").text
    assert '"value":2,' in detail.replace(" ", "")


@pytest.mark.parametrize("params, expect", [
    ({"measure": "intercepted"}, 2),
    ({"side": "russia"}, 2),
    ({"source": "Russian Ministry of Defence"}, 2),
    ({"source": "Russian Ministry of Defence", "measure": "intercepted"}, 0),
])
def test_claim_filters(client, params, expect):
    body = client.get("/api/claims", params=params).json()
    assert body["total"] == expect == len(body["items"])
    for c in body["items"]:
        if "measure" in params:
            assert c["measure"] == params["measure"]
        if "side" in params:
            assert c["source"]["side"] == params["side"]


def test_places_count_events(client):
    rows = client.get("/api/places").json()
    by_name = {r["place"]["name"]: r["events"] for r in rows}
    assert by_name["Kharkiv"] == 1
    assert set(by_name) >= {"Kyiv", "Odesa", "Bakhmut", "Lviv", "Kherson"}


# ------------------------------------------------------------------------------------------ bad input

@pytest.mark.parametrize("url", [
    "/api/events?bbox=1,2,3", "/api/events?bbox=a,b,c,d", "/api/events?bbox=10,10,5,5",
    "/api/events?bbox=nan,1,2,3", "/api/events?since=yesterday", "/api/events?since=2023-05-01&until=2023-01-01",
    "/api/events?limit=0", "/api/events?limit=100000", "/api/events?offset=-1", "/api/events?side=martians",
    "/api/events?min_deaths=-3", "/api/events?min_deaths=1e99", "/api/claims?measure=vibes",
    "/api/map?bbox=200,0,210,1",
])
def test_bad_parameters_are_422_json(client, url):
    r = client.get(url)
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422 and body["error"]


@pytest.mark.parametrize("url", ["/api/events/no-such-event", "/api/documents/0000000000000000", "/api/nothing",
                                 "/static/../pyproject.toml", "/static/nope.js"])
def test_unknown_things_are_404_json(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert r.json()["status"] == 404


def test_every_response_carries_security_headers(client):
    for url in ["/", "/api/summary", "/api/events/nope", "/static/app.js"]:
        h = client.get(url).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"


def test_page_has_no_inline_script_or_handlers(client):
    import re

    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> would be blocked by the CSP"
    assert not re.search(r"\son[a-z]+\s*=", html)


def test_empty_ledger_answers(tmp_path):
    url = build_ledger(tmp_path / "empty.db", [])
    with TestClient(create_app(url), raise_server_exceptions=False) as c:
        assert c.get("/api/events").json() == {"total": 0, "limit": 100, "offset": 0, "items": []}
        assert c.get("/api/map").json() == {"total": 0, "items": []}
        assert c.get("/api/summary").json()["events"] == 0
        assert c.get("/api/places").json() == []
        assert c.get("/").status_code == 200


def test_missing_database_is_503_and_server_recovers(tmp_path):
    path = tmp_path / "later.db"
    with TestClient(create_app(f"sqlite:///{path}"), raise_server_exceptions=False) as c:
        for _ in range(2):  # and again: the server stays up
            r = c.get("/api/events")
            assert r.status_code == 503
            assert "ledger unavailable" in r.json()["error"]
            assert "Traceback" not in r.text
        assert c.get("/api/health").json()["status"] == "ok"
        assert c.get("/").status_code == 200
        assert not path.exists(), "reading must not create a ledger"
        build_ledger(path, documents()[:2])
        assert c.get("/api/events").json()["total"] == 1


def test_unreachable_database_url_is_503(tmp_path):
    with TestClient(create_app(f"sqlite:///{tmp_path}/no/such/dir/x.db"), raise_server_exceptions=False) as c:
        r = c.get("/api/summary")
        assert r.status_code == 503 and r.json()["error"]


# ------------------------------------------------------------------------------------------ writes

ARTICLE = {"text": "Two people were killed when a missile hit a school in Kharkiv on Monday, the regional "
                   "governor said. Five more were wounded.",
           "title": "Missile hits Kharkiv school", "published": "2023-05-09"}


@pytest.fixture
def writable(tmp_path):
    url = build_ledger(tmp_path / "w.db", [])
    with TestClient(create_app(url, token=TOKEN, max_body=4096), raise_server_exceptions=False) as c:
        yield c


def test_writes_are_off_without_a_token(client):
    r = client.post("/api/documents", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403
    assert "disabled" in r.json()["error"]
    assert client.get("/api/config").json()["writes"] is False


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x",
                                    f"bearer {TOKEN[:-1]}"])
def test_writes_need_the_right_bearer_token(writable, header):
    headers = {} if header is None else {"Authorization": header}
    r = writable.post("/api/documents", json=ARTICLE, headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json()["error"] == "missing or wrong bearer token"
    assert writable.get("/api/summary").json()["documents"] == 0


def test_auth_is_checked_before_the_body_is_read(writable):
    r = writable.post("/api/documents", content=b"x" * 10_000, headers={"Content-Type": "text/plain"})
    assert r.status_code == 401


def test_oversize_body_is_413(writable):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    r = writable.post("/api/documents", content=b"word " * 2000, headers=auth)
    assert r.status_code == 413 and "limit" in r.json()["error"]

    def chunks():  # no Content-Length: the limit must hold on the stream too
        for _ in range(10):
            yield b"word " * 200

    r = writable.post("/api/documents", content=chunks(), headers=auth)
    assert r.status_code == 413


@pytest.mark.parametrize("content, ctype, status", [
    (b"\x00\x01\x02binary\x00" * 20, "text/plain", 422),
    (b"\xff\xfe\xfa not utf-8", "text/plain", 422),
    (b"{not json", "application/json", 422),
    (b'{"title": "no text"}', "application/json", 422),
    (b"[1, 2]", "application/json", 422),
    (b'{"text": "Two people were killed in Kyiv.", "url": []}', "application/json", 422),
    (b'{"text": "Two people were killed in Kyiv.", "published": 20230101}', "application/json", 422),
    (b"GIF89a....", "image/gif", 415),
    (b"   ", "text/plain", 422),
])
def test_bad_uploads_are_4xx_json(writable, content, ctype, status):
    r = writable.post("/api/documents", content=content,
                      headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": ctype})
    assert r.status_code == status
    assert r.json()["error"] and "Traceback" not in r.text


def test_posting_an_article_extracts_and_ingests_it(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.post("/api/documents", json=ARTICLE, headers=auth)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["claims"] >= 1
    assert writable.get("/api/summary").json()["documents"] == 1
    doc = writable.get(f"/api/documents/{body['doc']['id']}").json()
    assert "missile hit a school" in doc["text"]
    again = writable.post("/api/documents", json=ARTICLE, headers=auth)  # same text: same doc id, no change
    assert again.status_code == 201
    assert writable.get("/api/summary").json()["documents"] == 1


def test_posting_plain_text_and_html(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.post("/api/documents", params={"published": "2023-06-01"},
                      content="Shelling in Kherson\n\nThree civilians were killed in Kherson on Sunday, officials said.",
                      headers={**auth, "Content-Type": "text/plain; charset=utf-8"})
    assert r.status_code == 201, r.text
    html = ("<html><head><title>Odesa strike</title></head><body><article><p>A drone strike killed one "
            "person in Odesa on Friday, the regional governor said.</p></article></body></html>")
    r = writable.post("/api/documents", params={"published": "2023-06-03"}, content=html,
                      headers={**auth, "Content-Type": "text/html"})
    assert r.status_code == 201, r.text
    assert writable.get("/api/summary").json()["documents"] == 2


def test_hostile_strings_come_back_as_data(tmp_path):
    """The API returns injection attempts verbatim as JSON strings; escaping is the page's job."""
    from web_fixtures import hostile_document

    url = build_ledger(tmp_path / "h.db", [hostile_document()])
    with TestClient(create_app(url)) as c:
        r = c.get("/api/claims")
        assert r.headers["content-type"].startswith("application/json")
        assert r.json()["items"][0]["source"]["name"] == XSS_SOURCE
