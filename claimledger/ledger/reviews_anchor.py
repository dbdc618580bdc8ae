"""Where a review points, and finding it again after ``rebuild``, re-ingest or a newer extractor.

Why not the claim id. A claim's id is ``<document id>:<ordinal>``: a newer extractor that finds one
more figure earlier in the report renumbers every claim after it, and a document stored under its
caller's id has another id in a ledger built again from the same texts. What stays is the
document's text (its hash, ``documents.text_hash``, see migration 0004) and where in that text the
figure was read. So a claim review keeps the document's text identity, the evidence span (offsets
and text), the measure and the quantity as written; a claim is found again among the document's
claims as the one whose evidence overlaps the span and that reads the same quantity or measure,
the closest if several do. An event review keeps, for each report of the event, the report's
document and the spans of that report's claims, and finds the document event again the same way.

Nothing here writes: :mod:`claimledger.ledger.reviews` records anchors, :mod:`reviews_apply`
resolves them on every reconciliation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from claimledger.ledger.db import claims, doc_events, documents
from claimledger.records import Claim
from claimledger.serialise import from_dict

_CHUNK = 500


@dataclass
class ClaimAnchor:
    """A claim as a place in a text: the document's identity, the evidence span and what it counts."""

    document: str          # documents.text_hash, or the document id when it was stored without a body
    start: int
    end: int
    evidence: str
    measure: str
    quantity: str


@dataclass
class EventAnchor:
    """One report's part of a ledger event: the document, its event's ordinal then, and the spans
    of the claims that event held (the ordinal is only the fallback: it is what a newer extractor
    changes)."""

    document: str
    ordinal: int
    spans: list[list[int]] = field(default_factory=list)


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def claim_anchor(claim: Claim, document: str) -> ClaimAnchor:
    ev = claim.evidence
    return ClaimAnchor(document, ev.start, ev.end, ev.text or "", claim.measure, claim.quantity.text or "")


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def find_claim(anchor: ClaimAnchor, candidates: Iterable[Claim]) -> Claim | None:
    """The claim of ``candidates`` (one document's) that the anchor names, or None (orphaned).

    It must overlap the anchored span (or quote the same evidence) and read the same quantity or
    the same measure: "3 killed and 5 wounded" is two claims on one span, and a review of the first
    must never land on the second when a newer extractor drops it."""
    best, best_key = None, None
    quantity, evidence = _norm(anchor.quantity), _norm(anchor.evidence)
    for c in candidates:
        ev = c.evidence
        overlap = _overlap(anchor.start, anchor.end, ev.start, ev.end)
        text = _norm(ev.text)
        same_text = bool(evidence) and bool(text) and (evidence in text or text in evidence)
        if overlap <= 0 and not same_text:
            continue
        same_q = bool(quantity) and _norm(c.quantity.text) == quantity
        same_m = c.measure == anchor.measure
        if not (same_q or same_m):
            continue
        key = (same_q, same_m, max(overlap, 0), -abs(ev.start - anchor.start), c.id)
        if best_key is None or key > best_key:
            best, best_key = c, key
    return best


def event_anchor(document: str, ordinal: int, event_claims: Iterable[Claim]) -> EventAnchor:
    return EventAnchor(document, ordinal, sorted([c.evidence.start, c.evidence.end] for c in event_claims))


def find_doc_event(anchor: EventAnchor, events: list[tuple[str, int, list[Claim]]]) -> str | None:
    """The document event of ``events`` (id, ordinal, claims; one document's) the anchor names: the
    one whose claims cover most of the anchored spans, else the one at the anchored ordinal."""
    best, best_key = None, None
    for eid, ordinal, cl in events:
        cover = sum(max(0, _overlap(s, e, c.evidence.start, c.evidence.end)) for s, e in anchor.spans for c in cl)
        key = (cover, ordinal == anchor.ordinal, -abs(ordinal - anchor.ordinal), eid)
        if cover > 0 and (best_key is None or key > best_key):
            best, best_key = eid, key
    if best is not None:
        return best
    return next((eid for eid, ordinal, _ in events if ordinal == anchor.ordinal), None)


# ---------------------------------------------------------------------- reading the ledger


def doc_keys(conn: Connection, doc_ids: Iterable[str]) -> dict[str, str]:
    """Document id -> its anchor key (text hash, else the id)."""
    ids = sorted(set(doc_ids))
    out = {}
    for i in range(0, len(ids), _CHUNK):
        for r in conn.execute(select(documents.c.id, documents.c.text_hash)
                              .where(documents.c.id.in_(ids[i:i + _CHUNK]))):
            out[r.id] = r.text_hash or r.id
    return out


def docs_of_keys(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    """Anchor key -> the document id it names in this ledger now (absent: the document is gone)."""
    keys = sorted(set(keys))
    out: dict[str, str] = {}
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        rows = conn.execute(select(documents.c.id, documents.c.text_hash)
                            .where(or_(documents.c.text_hash.in_(chunk), documents.c.id.in_(chunk))))
        for r in rows:
            if r.text_hash in chunk:
                out[r.text_hash] = r.id
            elif r.id in chunk:
                out.setdefault(r.id, r.id)
    return out


def claims_of(conn: Connection, doc_ids: Iterable[str]) -> dict[str, list[tuple[Claim, str | None]]]:
    """Each document's claims (with their document event id), in report order."""
    ids = sorted(set(doc_ids))
    out: dict[str, list[tuple[Claim, str | None]]] = {d: [] for d in ids}
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(select(claims.c.doc_id, claims.c.doc_event_id, claims.c.data)
                            .where(claims.c.doc_id.in_(ids[i:i + _CHUNK])).order_by(claims.c.doc_id, claims.c.ordinal))
        for r in rows:
            out[r.doc_id].append((from_dict(Claim, json.loads(r.data)), r.doc_event_id))
    return out


def events_of(conn: Connection, doc_ids: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
    """Each document's events: (id, ordinal)."""
    ids = sorted(set(doc_ids))
    out: dict[str, list[tuple[str, int]]] = {d: [] for d in ids}
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(select(doc_events.c.doc_id, doc_events.c.id, doc_events.c.ordinal)
                            .where(doc_events.c.doc_id.in_(ids[i:i + _CHUNK])).order_by(doc_events.c.ordinal))
        for r in rows:
            out[r.doc_id].append((r.id, r.ordinal))
    return out


class _Known:
    """What resolution has read of one ledger: documents by anchor key, their claims and events.
    Stored documents, claims and events never change (nothing updates or deletes them), so this is
    kept per engine for the process, like the parsed-claims cache; a key not found is not kept (the
    document may arrive later). Which ledger event a document event is in does change: never kept."""

    def __init__(self) -> None:
        self.docs: dict[str, str] = {}
        self.claims: dict[str, list[tuple[Claim, str | None]]] = {}
        self.events: dict[str, list[tuple[str, int]]] = {}


_KNOWN: WeakKeyDictionary = WeakKeyDictionary()
_LIMIT = 20_000   # documents remembered per ledger before starting afresh


def forget(engine) -> None:
    """Drop what this process remembers of a ledger's documents (for a tool that deleted documents
    behind the store's back; claimledger itself never does)."""
    _KNOWN.pop(engine, None)


class Resolver:
    """Anchors resolved against the ledger as it is inside one transaction. ``cluster_of`` (the
    store's in-memory working set, during a write) answers which ledger event a document event is in
    without a query."""

    def __init__(self, conn: Connection, cluster_of: Callable[[str], str | None] | None = None):
        self.conn = conn
        self.cluster_of = cluster_of
        known = _KNOWN.get(conn.engine)
        if known is None or len(known.docs) > _LIMIT:
            known = _KNOWN[conn.engine] = _Known()
        self.docs, self.claims, self.events = known.docs, known.claims, known.events

    def prepare(self, keys: Iterable[str]) -> None:
        keys = sorted({k for k in keys if k and k not in self.docs})
        if not keys:
            return
        found = docs_of_keys(self.conn, keys)
        ids = sorted(set(found.values()) - set(self.claims))
        self.claims.update(claims_of(self.conn, ids))
        self.events.update(events_of(self.conn, ids))
        self.docs.update(found)     # last: a document is known only with its claims and events

    def claim(self, anchor: ClaimAnchor) -> tuple[Claim, str | None] | None:
        """The claim the anchor names now, with its document event id; None when orphaned."""
        self.prepare([anchor.document])
        doc = self.docs.get(anchor.document)
        if doc is None:
            return None
        pairs = self.claims.get(doc, [])
        found = find_claim(anchor, [c for c, _ in pairs])
        return next(((c, e) for c, e in pairs if found is not None and c.id == found.id), None)

    def doc_event(self, anchor: EventAnchor) -> str | None:
        """The document event the anchor names now; None when gone."""
        self.prepare([anchor.document])
        doc = self.docs.get(anchor.document)
        if doc is None:
            return None
        by_event: dict[str, list[Claim]] = {}
        for c, e in self.claims.get(doc, []):
            if e:
                by_event.setdefault(e, []).append(c)
        return find_doc_event(anchor, [(i, o, by_event.get(i, [])) for i, o in self.events.get(doc, [])])

    def ledger_of(self, doc_event_id: str) -> str | None:
        """A document event's ledger event as it is now (after this transaction's moves)."""
        if self.cluster_of is not None:
            return self.cluster_of(doc_event_id)
        row = self.conn.execute(select(doc_events.c.ledger_id).where(doc_events.c.id == doc_event_id)).first()
        return row.ledger_id if row else None
