"""The write and read API under hostile input: a JSON 4xx naming the problem, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from claimledger.outputs.api import create_app
from claimledger.records import (
    Actor,
    Claim,
    DateSpan,
    DocMeta,
    DocResult,
    Event,
    Evidence,
    Place,
    Quantity,
    Source,
    Span,
    Subject,
    doc_id,
)
from claimledger.runner import Outcome

TOKEN = "t" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}
KRAMATORSK = Place(mention="Kramatorsk", name="Kramatorsk", geonameid=None, lat=48.72, lon=37.56, country="UA",
                   admin1="Donetsk", precision="point", evidence=Span(0, 0))


def fake_extract(article):
    """A stand-in extractor: one killed claim dated by the article, placed in Kramatorsk."""
    body = article.text
    did = article.id or doc_id(body)
    day = article.published or "2022-04-08"
    claim = Claim(id=f"{did}:0", evidence=Evidence(body[:40], 0, min(40, len(body))),
                  source=Source("officials", "officials", "official", "ukraine"), stance="asserted",
                  measure="killed", quantity=Quantity("5", 5, 5, 5), subject=Subject("people", "people", "ukraine"),
                  date=DateSpan(day, day, day), place=KRAMATORSK, event=f"{did}:e0")
    event = Event(id=f"{did}:e0", type="Shelling/artillery/missile attack", event_type="Explosions/Remote violence",
                  date=DateSpan(day, day, day), place=KRAMATORSK, initiator=Actor("russia", "russia"),
                  target=Actor("ukraine", "ukraine"), deaths=None, claims=[claim.id])
    result = DocResult(doc=DocMeta(id=did, title=article.title, published=day), claims=[claim], events=[event])
    return Outcome(origin=article.origin, result=result, article=article, body=body)


@pytest.fixture(params=["sqlite", "postgresql"])
def client(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    app = create_app(url, token=TOKEN, extract=fake_extract)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("body, needle", [
    (b"[" * 100_000, "nested too deeply"),
    (b'{"text": "a", "n": ' + b"1" * 5000 + b"}", "out of range"),
    (b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested too deeply"),
])
def test_hostile_json_bodies_are_422_json(client, body, needle):
    r = client.post("/api/documents", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422 and needle in r.json()["error"]


def test_nul_and_surrogates_through_the_api_are_stored(client):
    r = client.post("/api/documents",
                    content=b'{"text": "Five people were killed\\u0000 in Kramatorsk \\ud800today."}',
                    headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    doc = client.get(f"/api/documents/{r.json()['doc']['id']}").json()
    assert doc["text"] == "Five people were killed\ufffd in Kramatorsk \ufffdtoday."


def test_the_same_text_under_two_ids_is_one_document(client):
    text = "Five people were killed in Kramatorsk on Friday, officials said."
    assert client.post("/api/documents", json={"text": text, "id": "a"}, headers=AUTH).status_code == 201
    r = client.post("/api/documents", json={"text": text, "id": "b"}, headers=AUTH)
    assert r.status_code == 201 and r.json()["report"]["skipped"] and r.json()["report"]["same_text_as"] == "a"
    assert client.get("/api/summary").json()["documents"] == 1


def test_an_over_long_id_is_422(client):
    r = client.post("/api/documents", json={"text": "Five people were killed.", "id": "x" * 100}, headers=AUTH)
    assert r.status_code == 422 and "over the 64" in r.json()["error"]


def test_an_event_merged_away_answers_with_where_it_went(client):
    r = client.post("/api/documents", json={"text": "Five were killed in Kramatorsk.", "published": "2022-04-09"},
                    headers=AUTH)
    [old] = r.json()["report"]["ledger_events"]
    client.post("/api/documents", json={"text": "Five were killed in Kramatorsk yesterday.",
                                        "published": "2022-04-08"}, headers=AUTH)
    [new] = [e["id"] for e in client.get("/api/events").json()["items"]]
    assert new != old
    r = client.get(f"/api/events/{old}", follow_redirects=False)
    assert r.status_code == 307 and r.json()["merged_into"] == new and r.headers["location"] == f"/api/events/{new}"
    assert client.get(f"/api/events/{old}").json()["event"]["id"] == new
    assert client.get("/api/events/le-none").status_code == 404
