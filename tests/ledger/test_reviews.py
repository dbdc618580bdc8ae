"""Reviews as records (issue 13): rejections and corrections survive rebuild, re-ingest and a newer
extractor; moves, splits and merges survive rebuild; orphans are reported, never dropped; two
clients reviewing one claim at once are both recorded. SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading

import pytest

from claimledger.ledger import reviews_write as rw
from claimledger.ledger.reviews import ReviewError, listing
from claimledger.ledger.reviews_anchor import ClaimAnchor, find_claim
from claimledger.ledger.store import Store
from claimledger.records import Evidence

from .factory import Doc, num
from .review_fixtures import docs, forget, newer_extraction

BY = "J. Doe"


@pytest.fixture
def ledger(store):
    a, b, c = docs()
    for d in (a, b, c):
        store.ingest(d.build(), body=d.body)
    return store, a, b, c


def event_of(store: Store, place: str):
    events, _ = store.list_events(limit=None)
    (ev,) = [e for e in events if e.place and e.place.name == place]
    return ev


def toll(store: Store, place: str) -> tuple:
    d = event_of(store, place).deaths
    return (d.low, d.best, d.high) if d else None


def test_reject_and_correct_survive_rebuild_reingest_and_a_newer_extractor(ledger):
    store, a, b, c = ledger
    assert toll(store, "Kramatorsk") == (40, 40, 52)       # the UN's 40 is the credible low and best
    rej, _ = store.write_review(lambda conn: rw.review_claim(conn, a.claims[1].id, "reject", reason="wrong source",
                                                             by=BY))[0]
    assert toll(store, "Kramatorsk") == (50, 52, 52)
    fix, _ = store.write_review(lambda conn: rw.review_claim(
        conn, b.claims[0].id, "set", reason="the police figure is Moscow's", by=BY,
        fields={"source": "Russian defence ministry", "side": "russia"}))[0]
    # now a count of the enemy's dead: it raises high, never low or best
    assert toll(store, "Kramatorsk") == (50, 50, 52)
    reasons = event_of(store, "Kramatorsk").deaths.reasoning
    assert any(r.startswith(f"set aside by review {rej.id}: wrong source, J. Doe, {rej.at[:10]}") for r in reasons)
    assert any(r.startswith(f"corrected by review {fix.id}: the police figure is Moscow's") for r in reasons)

    store.rebuild()
    assert toll(store, "Kramatorsk") == (50, 50, 52)
    for d in (a, b, c):   # re-ingesting the same documents changes nothing
        assert store.ingest(d.build(), body=d.body).skipped
    assert toll(store, "Kramatorsk") == (50, 50, 52)

    forget(store, [a.id, b.id])
    assert [e.place.name for e in store.list_events()[0]] == ["Kyiv"]
    assert {r.status for r in store.read_with(lambda conn: listing(conn))[0]} == {"orphaned"}   # kept
    # the newer extractor's run, in a new process (a process caches parsed claims: stored ones never change)
    with Store.open(store.url) as newer:
        newer.ingest(newer_extraction(a), body=a.body)
        newer.ingest(newer_extraction(b, new_id="b-under-another-id"), body=b.body)
        assert toll(newer, "Kramatorsk") == (50, 50, 52)
        newer.rebuild()
        found = {r.id: r for r in newer.read_with(lambda conn: listing(conn))[0]}
        assert found[rej.id].status == found[fix.id].status == "active"
        assert found[rej.id].now_claim == f"{a.id}:0" != rej.claim            # found again by span, not ordinal
        assert found[fix.id].now_claim == "b-under-another-id:0"
        assert toll(newer, "Kramatorsk") == (50, 50, 52)


def test_undo_brings_the_extractors_reading_back(ledger):
    store, a, _b, _c = ledger
    (rev, _), _ = store.write_review(lambda conn: rw.review_claim(conn, a.claims[1].id, "reject", reason="x", by=BY))
    assert toll(store, "Kramatorsk") == (50, 52, 52)
    (undone, _, regroup), alive = store.write_review(lambda conn: rw.undo(conn, rev.id, by="K. Roe"))
    assert undone.status == "undone" and undone.undone_by == "K. Roe" and not regroup
    assert toll(store, "Kramatorsk") == (40, 40, 52)
    with pytest.raises(ReviewError, match="nothing to undo") as exc:
        store.write_review(lambda conn: rw.undo(conn, rev.id))
    assert exc.value.status == 409
    with pytest.raises(ReviewError, match="no review 999") as exc:
        store.write_review(lambda conn: rw.undo(conn, 999))
    assert exc.value.status == 404
    (kept,), total = store.read_with(lambda conn: listing(conn))
    assert total == 1 and kept.status == "undone"          # undo keeps the record


@pytest.mark.parametrize("fields, message", [
    ({}, "nothing to set"),
    ({"value": 3, "min": 1}, "not both"),
    ({"value": -1}, "from 0"),
    ({"min": 9, "max": 2}, "above max"),
    ({"measure": "eaten"}, "unknown measure"),
    ({"date": "08/04/2022"}, "YYYY-MM-DD"),
    ({"kind": "oracle"}, "unknown source kind"),
])
def test_bad_corrections_are_refused_with_the_field_named(ledger, fields, message):
    store, a, _b, _c = ledger
    with pytest.raises(ReviewError, match=message):
        store.write_review(lambda conn: rw.review_claim(conn, a.claims[0].id, "set", reason="r", fields=fields))
    assert store.read_with(lambda conn: listing(conn))[1] == 0   # nothing half-recorded


def test_a_review_needs_a_reason_and_a_known_claim(ledger):
    store, a, _b, _c = ledger
    with pytest.raises(ReviewError, match="needs a reason"):
        store.write_review(lambda conn: rw.review_claim(conn, a.claims[0].id, "reject", reason="  "))
    with pytest.raises(ReviewError, match="no claim 'nope:1'") as exc:
        store.write_review(lambda conn: rw.review_claim(conn, "nope:1", "reject", reason="r"))
    assert exc.value.status == 404


def test_an_orphaned_review_is_reported_never_dropped(ledger):
    store, _a, _b, c = ledger
    (rev, _), _ = store.write_review(lambda conn: rw.review_claim(conn, c.claims[0].id, "reject", reason="dup", by=BY))
    forget(store, [c.id])
    (found,), total = store.read_with(lambda conn: listing(conn, status="orphaned"))
    assert total == 1 and found.id == rev.id and found.now_claim is None
    assert found.claim == c.claims[0].id and found.anchor.evidence.startswith("Two people")
    with Store.open(store.url) as later:
        later.ingest(c.build(), body=c.body)         # the report comes back: the review applies again
        (found,), _ = later.read_with(lambda conn: listing(conn))
        assert found.status == "active" and event_of(later, "Kyiv").deaths.low is None


def test_a_moved_claim_is_reconciled_in_its_new_event_after_rebuild(ledger):
    store, _a, _b, c = ledger
    kramatorsk = event_of(store, "Kramatorsk").id
    kyiv = event_of(store, "Kyiv").id
    (rev, _), alive = store.write_review(lambda conn: rw.review_claim(
        conn, c.claims[0].id, "move", reason="this toll is Kramatorsk's", by=BY, to_event=kramatorsk))
    assert set(alive) == {kramatorsk, kyiv}
    for _ in range(2):
        k = event_of(store, "Kramatorsk")
        assert c.claims[0].id in k.claims and k.deaths.low == 2
        assert any(r.startswith(f"moved here from {kyiv} by review {rev.id}") for r in k.deaths.reasoning)
        kd = event_of(store, "Kyiv").deaths
        assert kd is None or kd.low is None
        store.rebuild()
    store.write_review(lambda conn: rw.undo(conn, rev.id))
    assert toll(store, "Kramatorsk") == (40, 40, 52) and toll(store, "Kyiv") == (2, 2, 2)


def test_merge_and_split_survive_rebuild_and_undo(ledger):
    store, a, b, _c = ledger
    kramatorsk, kyiv = event_of(store, "Kramatorsk").id, event_of(store, "Kyiv").id
    (merged, _), _ = store.write_review(lambda conn: rw.review_events(conn, "merge", [kramatorsk, kyiv],
                                                                      reason="one attack", by=BY))
    for _ in range(2):
        events, total = store.list_events(limit=None)
        assert total == 1 and events[0].id == kramatorsk and len(events[0].documents) == 3
        store.rebuild()
    store.write_review(lambda conn: rw.undo(conn, merged.id))
    assert store.list_events()[1] == 2

    (split, _), _ = store.write_review(lambda conn: rw.review_events(conn, "split", [kramatorsk], reason="two days",
                                                                     by=BY, documents=[b.id]))
    for _ in range(2):
        events, total = store.list_events(limit=None)
        assert total == 3
        assert sorted(tuple(e.documents) for e in events if e.place.name == "Kramatorsk") == [(a.id,), (b.id,)]
        assert toll(store, "Kyiv") == (2, 2, 2)
        store.rebuild()
    store.write_review(lambda conn: rw.undo(conn, split.id))
    assert store.list_events()[1] == 2 and toll(store, "Kramatorsk") == (40, 40, 52)


def test_event_reviews_refuse_what_cannot_be_done(ledger):
    store, _a, _b, _c = ledger
    kyiv = event_of(store, "Kyiv").id
    with pytest.raises(ReviewError, match="one report: nothing to split"):
        store.write_review(lambda conn: rw.review_events(conn, "split", [kyiv], reason="r"))
    with pytest.raises(ReviewError, match="two or more"):
        store.write_review(lambda conn: rw.review_events(conn, "merge", [kyiv], reason="r"))
    with pytest.raises(ReviewError, match="no ledger event") as exc:
        store.write_review(lambda conn: rw.review_events(conn, "merge", [kyiv, "le-000000000000"], reason="r"))
    assert exc.value.status == 404


def test_ingest_after_reviews_equals_rebuild(ledger):
    store, a, _b, _c = ledger
    store.write_review(lambda conn: rw.review_claim(conn, a.claims[1].id, "reject", reason="r"))
    late = Doc("wire-d", "2022-04-10", "AFP").event(date="2022-04-08", place_name="Kramatorsk")
    late.claim("The UN now says 57 were killed.", num(57), source="UN", kind="intl_org", side="third_party")
    store.ingest(late.build(), body=late.body)
    before = sorted((e.id, e.deaths.low, e.deaths.best, e.deaths.high, tuple(e.deaths.reasoning))
                    for e in store.list_events(limit=None)[0])
    store.rebuild()
    after = sorted((e.id, e.deaths.low, e.deaths.best, e.deaths.high, tuple(e.deaths.reasoning))
                   for e in store.list_events(limit=None)[0])
    assert before == after and event_of(store, "Kramatorsk").deaths.best == 57


def test_two_api_clients_reviewing_one_claim_at_once_are_both_recorded(ledger):
    from fastapi.testclient import TestClient

    from claimledger.outputs.api import create_app

    store, a, _b, _c = ledger
    apps = [create_app(store.url, token="t") for _ in range(2)]   # two servers, one ledger
    barrier = threading.Barrier(2)
    answers = []

    def review(app, n):
        with TestClient(app) as client:
            barrier.wait()
            answers.append(client.post(f"/api/claims/{a.claims[0].id}/reviews", headers={"Authorization": "Bearer t"},
                                       json={"action": "set", "value": 45 + n, "reason": f"client {n}"}))

    threads = [threading.Thread(target=review, args=(app, n)) for n, app in enumerate(apps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [201, 201], [r.text for r in answers]
    found, total = store.read_with(lambda conn: listing(conn, claim=a.claims[0].id))
    assert total == 2 and sorted(r.reason for r in found) == ["client 0", "client 1"]
    last = max(found, key=lambda r: r.id)           # the later review's value is the one applied
    assert event_of(store, "Kramatorsk").deaths.high == max(52, last.fields["value"])


def test_the_anchor_finds_a_claim_by_span_and_never_takes_a_neighbours_figure():
    from claimledger.records import Claim as C
    from claimledger.records import Quantity, Source, Subject

    def claim(cid, start, end, measure, qtext):
        return C(id=cid, evidence=Evidence("3 killed and 5 wounded", start, end), source=Source(None, None),
                 stance="asserted", measure=measure, quantity=Quantity(qtext, None, None, None),
                 subject=Subject(None))

    killed, wounded = claim("d:0", 10, 32, "killed", "3"), claim("d:1", 10, 32, "wounded", "5")
    anchor = ClaimAnchor("d", 10, 32, "3 killed and 5 wounded", "killed", "3")
    assert find_claim(anchor, [wounded, killed]).id == "d:0"
    assert find_claim(anchor, [wounded]) is None                     # gone: orphaned, not re-aimed
    shifted = claim("d:7", 14, 40, "killed", "3")
    assert find_claim(anchor, [shifted]).id == "d:7"                 # a newer extractor's wider span
    assert find_claim(anchor, [claim("d:8", 50, 70, "killed", "3")]) is not None  # same evidence text
    far = C(id="d:9", evidence=Evidence("elsewhere", 50, 59), source=Source(None, None), stance="asserted",
            measure="killed", quantity=Quantity("3", None, None, None), subject=Subject(None))
    assert find_claim(anchor, [far]) is None


@pytest.mark.parametrize("action", ["merge", "split"])
def test_ingest_after_a_split_or_merge_equals_rebuild(ledger, action):
    store, _a, b, _c = ledger
    kramatorsk, kyiv = event_of(store, "Kramatorsk").id, event_of(store, "Kyiv").id
    ids = [kramatorsk, kyiv] if action == "merge" else [kramatorsk]
    store.write_review(lambda conn: rw.review_events(conn, action, ids, reason="r",
                                                     documents=[b.id] if action == "split" else None))
    for name, day, town in (("wire-f", "2022-04-08", "Kramatorsk"), ("wire-g", "2022-06-05", "Kyiv")):
        late = Doc(name, day, "AFP").event(date=day, place_name=town)
        late.claim(f"Nine were killed in {town}.", num(9, "Nine"), source="police", side="ukraine")
        store.ingest(late.build(), body=late.body)

    def snapshot():
        return sorted((tuple(e.documents), e.deaths.low, e.deaths.best, e.deaths.high)
                      for e in store.list_events(limit=None)[0])

    before = snapshot()
    store.rebuild()
    assert snapshot() == before
    assert len(before) == (1 if action == "merge" else 3)
