"""Invented reports for the review tests (ledger and CLI), and what a newer extractor's run does."""

from __future__ import annotations

import dataclasses

from sqlalchemy import delete, update

from claimledger.ledger import identity, reviews_anchor
from claimledger.ledger.db import claims, doc_events, doc_places, documents, ledger_state
from claimledger.ledger.store import Store
from claimledger.records import DocResult, Evidence

from .factory import Doc, num


def docs() -> tuple[Doc, Doc, Doc]:
    a = Doc("wire-a", "2022-04-08", "Reuters").event(date="2022-04-08", place_name="Kramatorsk")
    a.claim("Officials said 50 people were killed.", num(50), source="regional governor", side="ukraine")
    a.claim("The UN said 40 people were killed.", num(40), source="UN", kind="intl_org", side="third_party")
    b = Doc("wire-b", "2022-04-09", "AP").event(date="2022-04-08", place_name="Kramatorsk")
    b.claim("At least 52 were killed, police said.", num(52), source="police", side="ukraine")
    c = Doc("wire-c", "2022-06-05", "Kyiv Post").event(date="2022-06-05", place_name="Kyiv")
    c.claim("Two people were killed, the mayor said.", num(2, "Two"), source="Vitali Klitschko", side="ukraine")
    return a, b, c


def forget(store: Store, doc_ids: list[str]) -> None:
    """What a newer extractor's run needs first: the documents' old extraction gone (claims, events,
    the document row), as a ledger rebuilt from the same texts would not have it."""
    with store.engine.begin() as conn:
        for t in (claims, doc_places, doc_events):
            conn.execute(delete(t).where(t.c.doc_id.in_(doc_ids)))
        conn.execute(delete(documents).where(documents.c.id.in_(doc_ids)))
        conn.execute(update(ledger_state).values(generation=ledger_state.c.generation + 1))
    reviews_anchor.forget(store.engine)      # this process remembered the deleted documents' claims
    store.rebuild()


def newer_extraction(d: Doc, new_id: str | None = None) -> DocResult:
    """The same text read by a "newer extractor": claims in another order (so other ordinals and
    ids), every evidence span starting four characters later; optionally under another document id."""
    old = d.build()
    moved = []
    for i, c in enumerate(reversed(old.claims)):
        ev = c.evidence
        moved.append(dataclasses.replace(c, id=f"{old.doc.id}:{i}", evidence=Evidence(ev.text[4:], ev.start + 4,
                                                                                      ev.end)))
    events = [dataclasses.replace(e, claims=[c.id for c in moved]) for e in old.events]
    result = DocResult(doc=old.doc, claims=moved, events=events, places=[])
    return identity.rekey(result, new_id) if new_id else result
