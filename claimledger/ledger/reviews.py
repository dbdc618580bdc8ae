"""Reviews as records: an analyst's "this claim is wrong, here is why", remembered by the ledger.

A review is a row of its own (table ``reviews``, migration 0007) with who, when and why, the
values it set and the values they replaced. It is never applied to the stored claim: claims are
the extractor's record and stay as read. Every reconciliation applies the active reviews on top
(:mod:`claimledger.ledger.reviews_apply`), so a review outlives ``rebuild``, re-ingest and a newer
extractor, as long as its anchor (:mod:`claimledger.ledger.reviews_anchor`) still finds the claim;
when it does not, the review is *orphaned*: reported by ``claimledger status``, never dropped.

The actions:

* ``reject``: the claim takes no part in reconciliation ("set aside by review 12: ...").
* ``set``: the claim takes part with corrected values (source, kind, side, measure, value or
  min/max, date, place).
* ``move``: the claim is reconciled in another ledger event.
* ``split``: reports of a ledger event are taken out into events of their own.
* ``merge``: ledger events become one.

``undo`` marks a review undone (with who and when); the record stays.

This module holds the record, its row mapping and the reads; writing is
:mod:`claimledger.ledger.reviews_write`.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from claimledger.ingest.safe import storable
from claimledger.ledger.db import reviews
from claimledger.ledger.reviews_anchor import ClaimAnchor, EventAnchor, Resolver
from claimledger.records import Claim, DateSpan, Place, Quantity, Source, Span

ACTIONS = ("reject", "set", "move", "accept", "split", "merge")
CLAIM_ACTIONS = ("reject", "set", "move", "accept")  # accept: checked and right, values unchanged
EVENT_ACTIONS = ("split", "merge")
SET_FIELDS = ("source", "kind", "side", "measure", "value", "min", "max", "date", "place")
STATUSES = ("active", "undone", "orphaned")


class ReviewError(ValueError):
    """A review that cannot be made or undone, with the HTTP status the API answers it with
    (404 unknown claim, event or review; 409 nothing to undo; 422 bad values)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class Review:
    """One review. ``claim`` and ``event`` are the ids when it was made; ``now_claim`` and
    ``now_event`` where its anchor points in the ledger as it is (filled by :func:`locate`)."""

    id: int
    action: str
    reason: str
    by: str | None
    at: str
    claim: str | None = None
    event: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    replaced: dict[str, Any] = field(default_factory=dict)
    anchor: ClaimAnchor | None = None
    targets: list[list[EventAnchor]] = field(default_factory=list)
    undone_at: str | None = None
    undone_by: str | None = None
    status: str = "active"
    now_claim: str | None = None
    now_event: str | None = None

    @property
    def day(self) -> str:
        return self.at[:10]

    def note(self) -> str:
        """``review 12: wrong source, J. Doe, 2026-12-02``: how reasoning lines cite it."""
        who = f", {self.by}" if self.by else ""
        return f"review {self.id}: {self.reason}{who}, {self.day}"


def to_row(r: Review) -> dict:
    """The review as a row; every text made storable (NUL and lone surrogates replaced, see
    ``ingest.safe.storable``) so SQLite and PostgreSQL take the same reviews."""
    return {k: storable(v) if isinstance(v, str) else v for k, v in _row(r).items()}


def _row(r: Review) -> dict:
    a = r.anchor
    return {"action": r.action, "claim_id": r.claim, "event_id": r.event,
            "doc_key": a.document if a else None, "ev_start": a.start if a else None,
            "ev_end": a.end if a else None, "evidence": a.evidence if a else None,
            "measure": a.measure if a else None, "quantity": a.quantity if a else None,
            "targets": json.dumps([[dataclasses.asdict(t) for t in g] for g in r.targets], ensure_ascii=False),
            "fields": json.dumps(r.fields, ensure_ascii=False, sort_keys=True),
            "replaced": json.dumps(r.replaced, ensure_ascii=False, sort_keys=True),
            "reason": r.reason, "by": r.by, "at": r.at, "undone_at": r.undone_at, "undone_by": r.undone_by}


def of_row(row) -> Review:
    m = row._mapping
    anchor = None
    if m["doc_key"] is not None:
        anchor = ClaimAnchor(m["doc_key"], m["ev_start"], m["ev_end"], m["evidence"] or "", m["measure"] or "",
                             m["quantity"] or "")
    targets = [[EventAnchor(**t) for t in g] for g in json.loads(m["targets"] or "[]")]
    return Review(id=m["id"], action=m["action"], reason=m["reason"], by=m["by"], at=m["at"], claim=m["claim_id"],
                  event=m["event_id"], fields=json.loads(m["fields"] or "{}"),
                  replaced=json.loads(m["replaced"] or "{}"), anchor=anchor, targets=targets,
                  undone_at=m["undone_at"], undone_by=m["undone_by"],
                  status="undone" if m["undone_at"] else "active")


_ACTIVE: WeakKeyDictionary = WeakKeyDictionary()   # engine -> (signature of the table, its active reviews)


_SIG = "claimledger.reviews.signature"


_SIGNATURE = select(func.count(), func.max(reviews.c.id), func.count(reviews.c.undone_at), func.max(reviews.c.at),
                    func.sum(func.length(reviews.c.reason)))   # built once: it runs in every write transaction


def _signature(conn: Connection) -> tuple:
    """Changes whenever a review is added, undone or rolled back (count, newest id, undone count,
    newest time, reasons' length): one aggregate over a small table, asked once per transaction
    (a write of the reviews table calls :func:`changed`)."""
    txn = conn.get_transaction()
    seen = conn.info.get(_SIG)
    if txn is not None and seen is not None and seen[0] is txn:
        return seen[1]
    sig = tuple(conn.execute(_SIGNATURE).one())
    conn.info[_SIG] = (txn, sig)
    return sig


def changed(conn: Connection) -> None:
    """This transaction wrote the reviews table: the next read asks for its signature again."""
    conn.info.pop(_SIG, None)


def active(conn: Connection, *, doc_keys: list[str] | None = None, actions: tuple[str, ...] | None = None
           ) -> list[Review]:
    """Reviews not undone (of claims in these documents, of these actions), oldest first.

    Every reconciliation asks, so the parsed reviews are kept per ledger until the table's
    signature changes; the records returned are shared: read them, never change them."""
    sig = _signature(conn)
    hit = _ACTIVE.get(conn.engine)
    if hit is None or hit[0] != sig:
        found = [of_row(r) for r in conn.execute(select(reviews).where(reviews.c.undone_at.is_(None))
                                                 .order_by(reviews.c.id))]
        hit = _ACTIVE[conn.engine] = (sig, found)
    keys = None if doc_keys is None else set(doc_keys)
    return [r for r in hit[1] if (actions is None or r.action in actions)
            and (keys is None or (r.anchor is not None and r.anchor.document in keys))]


def any_active(conn: Connection) -> bool:
    """Whether any review is active: the table's signature (one small aggregate per transaction), so a
    ledger without reviews pays nothing more."""
    count, _newest, undone, *_ = _signature(conn)
    return count - undone > 0


def any_review(conn: Connection) -> bool:
    """Whether the ledger holds any review at all (active or undone)."""
    return conn.execute(select(reviews.c.id).limit(1)).first() is not None


def get(conn: Connection, review_id: int) -> Review | None:
    row = conn.execute(select(reviews).where(reviews.c.id == review_id)).first()
    return of_row(row) if row else None


def locate(conn: Connection, found: list[Review], resolver: Resolver | None = None) -> list[Review]:
    """Fill ``now_claim``/``now_event`` and mark active reviews whose claim or events are gone
    as ``orphaned`` (an undone review keeps its status)."""
    res = resolver or Resolver(conn)
    res.prepare([r.anchor.document for r in found if r.anchor] +
                [t.document for r in found for g in r.targets for t in g])
    for r in found:
        hit = res.claim(r.anchor) if r.anchor else None
        if hit is not None:
            r.now_claim = hit[0].id
            r.now_event = res.ledger_of(hit[1]) if hit[1] else None
        targets = [res.doc_event(t) for g in r.targets for t in g]
        if r.action in EVENT_ACTIONS:
            r.now_event = next((res.ledger_of(t) for t in targets if t), None)
        lost = (r.anchor is not None and hit is None) or (bool(r.targets) and not any(targets))
        if lost and r.status == "active":
            r.status = "orphaned"
    return found


def listing(conn: Connection, *, status: str | None = None, claim: str | None = None, event: str | None = None,
            limit: int | None = 100, offset: int = 0) -> tuple[list[Review], int]:
    """Reviews, newest first, located in the ledger as it is; filtered by status (active, undone,
    orphaned), by claim (as reviewed or as found now) and by ledger event."""
    q = select(reviews).order_by(reviews.c.id.desc())
    if status == "undone":
        q = q.where(reviews.c.undone_at.is_not(None))
    elif status in ("active", "orphaned"):
        q = q.where(reviews.c.undone_at.is_(None))
    if status is None and claim is None and event is None:
        total = conn.execute(select(func.count()).select_from(reviews)).scalar_one()
        q = q.offset(offset)
        rows = conn.execute(q.limit(limit) if limit is not None else q).all()
        return locate(conn, [of_row(r) for r in rows]), total
    found = locate(conn, [of_row(r) for r in conn.execute(q)])
    if status in STATUSES:
        found = [r for r in found if r.status == status]
    if claim:
        found = [r for r in found if claim in (r.claim, r.now_claim)]
    if event:
        found = [r for r in found if event in (r.event, r.now_event, r.fields.get("to"))
                 or event in r.fields.get("events", [])]
    return found[offset:offset + limit if limit is not None else None], len(found)


# ---------------------------------------------------------------------- a claim as reviewed


def corrected(claim: Claim, fields: dict[str, Any]) -> Claim:
    """``claim`` with a ``set`` review's values (the stored claim is never changed)."""
    c = claim
    if "source" in fields or "kind" in fields or "side" in fields:
        s = c.source
        name = fields.get("source", s.name)
        kind = fields.get("kind") or (("official" if s.kind == "unattributed" else s.kind)
                                      if "source" in fields else s.kind)
        c = dataclasses.replace(c, source=Source(mention=name if "source" in fields else s.mention, name=name,
                                                 kind=kind, side=fields.get("side", s.side)))
    if "measure" in fields:
        c = dataclasses.replace(c, measure=fields["measure"])
    if any(k in fields for k in ("value", "min", "max")):
        v, lo, hi = fields.get("value"), fields.get("min"), fields.get("max")
        if v is not None:
            q = Quantity(text=_num(v), value=float(v), min=float(v), max=float(v))
        else:
            q = Quantity(text=f"{_num(lo)}-{_num(hi)}" if hi is not None else f"at least {_num(lo)}", value=None,
                         min=None if lo is None else float(lo), max=None if hi is None else float(hi))
        c = dataclasses.replace(c, quantity=q)
    if "date" in fields:
        d = fields["date"]
        c = dataclasses.replace(c, date=DateSpan(text=d, start=d, end=d) if d else None)
    if "place" in fields:
        p = fields["place"]
        c = dataclasses.replace(c, place=Place(**{**p, "evidence": Span(0, 0)}) if p else None)
    return c


def _num(v) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"


def claim_values(claim: Claim, keys) -> dict[str, Any]:
    """The values of a claim that a ``set`` of these keys replaces (what the review keeps)."""
    q, p = claim.quantity, claim.place
    every = {"source": claim.source.name or claim.source.mention, "kind": claim.source.kind,
             "side": claim.source.side, "measure": claim.measure, "value": q.value, "min": q.min, "max": q.max,
             "quantity": q.text, "date": claim.date.start if claim.date else None,
             "place": p.name if p else None}
    if any(k in keys for k in ("value", "min", "max")):
        keys = set(keys) | {"value", "min", "max", "quantity"}
    return {k: _plain(every[k]) for k in every if k in keys}


def _plain(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def state(claim: Claim, found: list[Review]) -> tuple[Claim, Review | None, list[Review]]:
    """(the claim as reviewed, the review rejecting it if any, the reviews correcting it), applying
    ``found`` (active reviews anchored to this claim) oldest first: a later ``set`` of a field wins."""
    rejected, sets = None, []
    for r in sorted(found, key=lambda r: r.id):
        if r.action == "reject":
            rejected = rejected or r
        elif r.action == "set":
            claim = corrected(claim, r.fields)
            sets.append(r)
    return claim, rejected, sets


def review_status(rejected: Review | None, sets: list[Review]) -> str:
    """The claims CSV's ``review_status``: rejected, corrected or empty."""
    return "rejected" if rejected else ("corrected" if sets else "")
