"""The reviews API (issue 13): token-guarded writes, the answers' shapes (validated against the
OpenAPI models), the event detail's review history, list, undo and every error as JSON. SQLite and
PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from ledger.review_fixtures import docs

from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app
from claimledger.outputs.api import models as m

TOKEN = "review-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    a, b, c = docs()
    with Store.open(url) as s:
        for d in (a, b, c):
            s.ingest(d.build(), body=d.body)
        ids = {e.place.name: e.id for e in s.list_events()[0]}
    with TestClient(create_app(url, token=TOKEN), raise_server_exceptions=False) as client:
        yield client, a, b, c, ids


def deaths(client, event_id):
    d = client.get(f"/api/events/{event_id}").json()["event"]["deaths"]
    return d["low"], d["best"], d["high"]


def test_writes_need_the_token_before_the_body_is_looked_at(desk, tmp_path):
    client, a, *_ = desk
    url = f"/api/claims/{a.claims[0].id}/reviews"
    r = client.post(url, json={"nonsense": True})
    assert r.status_code == 401 and r.json()["error"] == "missing or wrong bearer token"
    assert client.delete("/api/reviews/1", headers={"Authorization": "Bearer wrong"}).status_code == 401
    with TestClient(create_app(f"sqlite:///{tmp_path / 'x.db'}"), raise_server_exceptions=False) as closed:
        r = closed.post(url, json={"action": "reject", "reason": "r"}, headers=AUTH)
        assert r.status_code == 403 and "writes are disabled" in r.json()["error"]


def test_reject_and_correct_change_the_figures_and_show_in_the_detail(desk):
    client, a, b, _c, ids = desk
    k = ids["Kramatorsk"]
    assert deaths(client, k) == (40, 40, 52)
    r = client.post(f"/api/claims/{a.claims[1].id}/reviews", headers=AUTH,
                    json={"action": "reject", "reason": "wrong source", "by": "J. Doe"})
    assert r.status_code == 201, r.text
    body = m.ReviewResult.model_validate(r.json())
    assert body.review.status == "active" and body.review.now_claim == a.claims[1].id
    assert [(e.id, e.deaths.low, e.deaths.best) for e in body.events] == [(k, 50, 52)]
    r = client.post(f"/api/claims/{b.claims[0].id}/reviews", headers=AUTH,
                    json={"action": "set", "source": "Russian defence ministry", "side": "russia", "reason": "Moscow's"})
    assert r.status_code == 201, r.text
    assert r.json()["review"]["replaced"] == {"side": "ukraine", "source": "police"}
    assert deaths(client, k) == (50, 50, 52)
    detail = client.get(f"/api/events/{k}").json()
    m.EventDetail.model_validate(detail)
    status = {x["claim"]["id"]: (x.get("review_status"), x.get("reviewed")) for x in detail["claims"]}
    assert status[a.claims[1].id] == ("rejected", None)
    assert status[b.claims[0].id][0] == "corrected" and status[b.claims[0].id][1]["source"]["side"] == "russia"
    assert status[a.claims[0].id] == (None, None)
    assert [x["action"] for x in detail["reviews"]] == ["reject", "set"]
    assert any(line.startswith("set aside by review 1: wrong source, J. Doe, ")
               for line in detail["event"]["deaths"]["reasoning"])

    page = client.get("/api/reviews").json()
    m.ReviewPage.model_validate(page)
    assert page["total"] == 2 and [x["id"] for x in page["items"]] == [2, 1]
    assert client.get(f"/api/reviews?claim={a.claims[1].id}").json()["total"] == 1
    assert client.get(f"/api/reviews?event={k}").json()["total"] == 2

    r = client.delete("/api/reviews/1?by=K.%20Roe", headers=AUTH)
    assert r.status_code == 200 and r.json()["review"]["status"] == "undone" and r.json()["review"]["undone_by"] == "K. Roe"
    assert deaths(client, k) == (40, 40, 52)
    r = client.delete("/api/reviews/1", headers=AUTH)
    assert r.status_code == 409 and "nothing to undo" in r.json()["error"]
    assert client.get("/api/reviews?status=undone").json()["total"] == 1


def test_event_reviews_move_merge_and_split(desk):
    client, _a, b, c, ids = desk
    k, kyiv = ids["Kramatorsk"], ids["Kyiv"]
    r = client.post(f"/api/events/{k}/reviews", headers=AUTH,
                    json={"action": "move", "claim": c.claims[0].id, "reason": "same strike"})
    assert r.status_code == 201, r.text
    assert deaths(client, k)[0] == 2
    moved = [x for x in client.get(f"/api/events/{k}").json()["claims"] if x["claim"]["id"] == c.claims[0].id]
    assert moved and moved[0]["doc"] == c.id
    assert [x.get("review_status") for x in client.get(f"/api/events/{kyiv}").json()["claims"]] == ["moved"]
    assert client.delete("/api/reviews/1", headers=AUTH).status_code == 200

    r = client.post(f"/api/events/{k}/reviews", headers=AUTH, json={"action": "merge", "events": [kyiv], "reason": "one"})
    assert r.status_code == 201 and r.json()["gone"] == [kyiv]
    assert client.get("/api/events").json()["total"] == 1
    assert client.delete("/api/reviews/2", headers=AUTH).status_code == 200
    assert client.get("/api/events").json()["total"] == 2

    r = client.post(f"/api/events/{k}/reviews", headers=AUTH,
                    json={"action": "split", "documents": [b.id], "reason": "two days"})
    assert r.status_code == 201, r.text
    assert client.get("/api/events").json()["total"] == 3


@pytest.mark.parametrize("path, body, status, needle", [
    ("/api/claims/nope:1/reviews", {"action": "reject", "reason": "r"}, 404, "no claim"),
    ("/api/claims/{a0}/reviews", {"action": "reject"}, 422, "reason"),
    ("/api/claims/{a0}/reviews", {"action": "eat", "reason": "r"}, 422, "action"),
    ("/api/claims/{a0}/reviews", {"action": "set", "value": -4, "reason": "r"}, 422, "value"),
    ("/api/claims/{a0}/reviews", {"action": "set", "date": "yesterday", "reason": "r"}, 422, "date"),
    ("/api/claims/{a0}/reviews", {"action": "set", "reason": "r", "colour": "red"}, 422, "colour"),
    ("/api/claims/{a0}/reviews", {"action": "set", "reason": "r"}, 422, "nothing to set"),
    ("/api/claims/{a0}/reviews", {"action": "set", "side": "martians", "reason": "r"}, 422, "unknown side"),
    ("/api/claims/{a0}/reviews", {"action": "move", "to": "le-nothing", "reason": "r"}, 404, "no ledger event"),
    ("/api/events/le-nothing/reviews", {"action": "split", "reason": "r"}, 404, "no ledger event"),
    ("/api/events/{k}/reviews", {"action": "move", "reason": "r"}, 422, "needs the claim"),
])
def test_bad_reviews_are_json_errors(desk, path, body, status, needle):
    client, a, _b, _c, ids = desk
    r = client.post(path.format(a0=a.claims[0].id, k=ids["Kramatorsk"]), json=body, headers=AUTH)
    assert r.status_code == status, r.text
    assert needle in r.text and r.json()["status"] == status
    assert client.get("/api/reviews").json()["total"] == 0


def test_unknown_review_is_404_and_the_schema_documents_the_routes(desk):
    client, *_ = desk
    r = client.delete("/api/reviews/42", headers=AUTH)
    assert r.status_code == 404 and "no review 42" in r.json()["error"]
    assert client.delete("/api/reviews/zero", headers=AUTH).status_code == 422
    schema = client.get("/api/openapi.json").json()
    assert {"/api/claims/{claim_id}/reviews", "/api/events/{event_id}/reviews", "/api/reviews",
            "/api/reviews/{review_id}"} <= set(schema["paths"])
    assert {"ClaimReviewRequest", "EventReviewRequest", "Review", "ReviewResult", "ReviewPage"} <= \
        set(schema["components"]["schemas"])


def test_the_reviewed_filter_follows_the_reviews(desk):
    client, a, _b, _c, ids = desk
    assert client.get("/api/events?reviewed=true").json()["total"] == 0
    client.post(f"/api/claims/{a.claims[1].id}/reviews", headers=AUTH, json={"action": "reject", "reason": "r"})
    assert [e["id"] for e in client.get("/api/events?reviewed=true").json()["items"]] == [ids["Kramatorsk"]]
    assert [e["id"] for e in client.get("/api/events?reviewed=false").json()["items"]] == [ids["Kyiv"]]
    assert [c["id"] for c in client.get("/api/claims?reviewed=true").json()["items"]] == [a.claims[1].id]
    client.delete("/api/reviews/1", headers=AUTH)
    assert client.get("/api/events?reviewed=true").json()["total"] == 0


def test_an_accepted_claim_keeps_its_figures_and_counts_as_reviewed(desk):
    client, a, _b, _c, ids = desk
    k = ids["Kramatorsk"]
    r = client.post(f"/api/claims/{a.claims[0].id}/reviews", headers=AUTH,
                    json={"action": "accept", "reason": "checked against the post", "by": "J. Doe"})
    assert r.status_code == 201, r.text
    assert r.json()["review"]["action"] == "accept" and r.json()["review"]["replaced"] == {}
    assert deaths(client, k) == (40, 40, 52)
    assert [c["id"] for c in client.get("/api/claims?reviewed=true").json()["items"]] == [a.claims[0].id]
    detail = client.get(f"/api/events/{k}").json()
    assert [x["action"] for x in detail["reviews"]] == ["accept"]
    assert "checked and accepted by review 1" in json.dumps(detail["event"]["deaths"])


def test_an_oversize_review_body_is_413(desk):
    client, a, *_ = desk
    r = client.post(f"/api/claims/{a.claims[0].id}/reviews", headers=AUTH,
                    json={"action": "reject", "reason": "x" * (3 * 1024 * 1024)})
    assert r.status_code == 413 and "limit" in r.json()["error"]


def test_hostile_text_in_a_review_is_stored_alike_on_both_stores(desk):
    client, a, *_ = desk
    url, headers = f"/api/claims/{a.claims[0].id}/reviews", {**AUTH, "Content-Type": "application/json"}
    body = json.dumps({"action": "set", "source": "Min\u0000istry", "reason": "<script>x</script>\u0000", "by": "\u0000"})
    r = client.post(url, content=body, headers=headers)         # NUL as a JSON escape: PostgreSQL refuses it raw
    assert r.status_code == 201, r.text
    review = r.json()["review"]
    assert review["reason"] == "<script>x</script>\ufffd" and review["by"] == "\ufffd"
    assert review["fields"]["source"] == "Min\ufffdistry"
    assert client.delete("/api/reviews/1?by=%00", headers=AUTH).json()["review"]["undone_by"] == "\ufffd"
    lone = json.dumps({"action": "reject", "reason": "\ud800"})     # a lone surrogate: no store takes it
    r = client.post(url, content=lone, headers=headers)
    assert r.status_code == 422 and "reason" in r.json()["error"]
