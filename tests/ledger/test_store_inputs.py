"""What the store accepts is the same on SQLite and PostgreSQL, and a document is its text."""

from __future__ import annotations

import dataclasses

import pytest

from claimledger.ledger import merge
from claimledger.records import DocResult

from .factory import Doc, num


def _doc(name: str, day: str = "2022-04-08", town: str = "Kramatorsk", killed: int = 5) -> Doc:
    d = Doc(name, day, name.upper()).event(date=day, place_name=town)
    d.claim(f"{killed} people were killed in {town}", num(killed), source="officials", side="ukraine")
    return d


def _relabel(result: DocResult, new_id: str) -> DocResult:
    """The same extraction as a caller sending it under another id would get (ids are labels)."""
    from claimledger.ledger.identity import rekey

    return rekey(result, new_id)


def test_nul_and_surrogates_are_stored_alike_on_both_stores(store):
    d = _doc("nul")
    result = d.build()
    result.doc.title = "Strike\u0000 on \ud800Kramatorsk"
    result.claims[0].source.name = "offi\u0000cials"
    report = store.ingest(result, body=d.body.replace("people", "peo\u0000le"), origin="batch.jsonl:\u00001")
    assert not report.skipped and report.claims == 1
    meta, body = store.get_document(report.doc_id)
    assert meta.title == "Strike\ufffd on \ufffdKramatorsk" and "peo\ufffdle" in body
    [(claim, _)] = store.event_claims(report.ledger_events[0])
    assert claim.source.name == "offi\ufffdcials"
    store.record_failure("bad\u0000.txt", "reason with \u0000 and \udfff")
    assert store.failures()[0]["origin"] == "bad\ufffd.txt"


def test_one_text_under_a_new_id_is_one_document(store):
    d = _doc("first")
    first = store.ingest(d.build(), body=d.body, source_id="first")
    again = store.ingest(_relabel(d.build(), "0123456789abcdef"), body=d.body, source_id="renamed")
    assert again.skipped and again.same_text_as == first.doc_id
    s = store.summary()
    assert s["documents"] == 1 and s["events"] == 1
    [ev], _ = store.list_events()
    assert len(ev.documents) == 1     # not a second source confirming the first


def test_two_texts_under_one_id_are_two_documents_and_the_collision_is_reported(store):
    a, b = _doc("same-id", killed=5), _doc("other", day="2022-05-01", town="Odesa", killed=7)
    first = store.ingest(a.build(), body=a.body)
    clash = dataclasses.replace(b.build(), doc=dataclasses.replace(b.meta, id=a.id))
    second = store.ingest(_relabel(b.build(), a.id), body=b.body)
    assert clash.doc.id == a.id and not second.skipped
    assert second.id_taken == a.id and second.doc_id != first.doc_id
    assert store.summary()["documents"] == 2
    result = store.document_result(second.doc_id)
    assert all(c.id.startswith(second.doc_id + ":") for c in result.claims)
    assert result.events[0].claims == [c.id for c in result.claims]


def test_an_over_long_id_is_this_document_s_error_on_both_stores(store):
    d = _doc("long")
    with pytest.raises(ValueError, match="over the 64"):
        store.ingest(_relabel(d.build(), "x" * 65), body=d.body)
    ok = _doc("fine")
    assert not store.ingest(ok.build(), body=ok.body).skipped   # the store is still usable


def test_an_event_merged_away_points_at_the_event_it_went_into(store):
    later = _doc("later", day="2022-04-09")
    report = store.ingest(later.build(), body=later.body)
    [old] = report.ledger_events
    earlier = _doc("earlier", day="2022-04-08", killed=6)   # the same incident, a day before: the new founder
    store.ingest(earlier.build(), body=earlier.body)
    [ev], _ = store.list_events()
    assert ev.id == merge.ledger_id(earlier.events[0].id) != old
    assert store.get_event(old) is None and store.merged_into(old) == ev.id
    assert store.merged_into("le-nothing") is None



def test_a_long_party_id_is_stored(store):
    """'syrian_opposition' (17 characters) was refused by 16-character side columns, on both stores."""
    d = _doc("longside")
    result = d.build()
    result.claims[0].source.side = "syrian_opposition"
    result.claims[0].subject.side = "baloch_separatists"
    report = store.ingest(result, body=d.body)
    assert not report.skipped and report.claims == 1
    [(claim, _)] = store.event_claims(report.ledger_events[0])
    assert (claim.source.side, claim.subject.side) == ("syrian_opposition", "baloch_separatists")
