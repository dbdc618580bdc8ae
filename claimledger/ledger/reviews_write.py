"""Making and undoing reviews: checked values, anchors, and the ledger events to reconcile again.

Every function runs inside the store's write transaction (``Store.write_review``) and returns the
review with the ledger events it touches; the store re-reconciles those in the same transaction,
so a review and the figures it changes commit together or not at all. Values are checked here,
once, for the command line and the API alike; a bad one is a :class:`ReviewError` naming it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from claimledger.ingest.safe import storable
from claimledger.ledger.db import claims, doc_events, reviews
from claimledger.ledger.reviews import (
    EVENT_ACTIONS,
    SET_FIELDS,
    Review,
    ReviewError,
    active,
    changed,
    claim_values,
    get,
    locate,
    of_row,
    state,
    to_row,
)
from claimledger.ledger.reviews_anchor import EventAnchor, Resolver, claim_anchor, doc_keys, event_anchor
from claimledger.records import MEASURES, SOURCE_KINDS, Claim
from claimledger.serialise import from_dict

MAX_REASON = 2000
MAX_NAME = 200


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: str | None, what: str, limit: int, required: bool = False) -> str | None:
    value = storable(" ".join((value or "").split()))
    if required and not value:
        raise ReviewError(f"a review needs a {what}: say why (--reason TEXT)" if what == "reason"
                          else f"{what} must not be empty")
    if len(value) > limit:
        raise ReviewError(f"{what} is {len(value)} characters, over the {limit} a review keeps")
    return value or None


def check_fields(fields: dict[str, Any], sides: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A ``set`` review's values, checked: at least one; a value or a min/max range, not both;
    numbers finite and not negative; a known measure, source kind and side; dates YYYY-MM-DD."""
    out = {k: v for k, v in fields.items() if v is not None}
    unknown = sorted(set(out) - set(SET_FIELDS))
    if unknown:
        raise ReviewError(f"cannot set {', '.join(unknown)} (settable: {', '.join(SET_FIELDS)})")
    if not out:
        raise ReviewError("nothing to set: give at least one of source, kind, side, measure, value, "
                          "min/max, date, place (--source, --value, ... on the command line)")
    if "value" in out and ("min" in out or "max" in out):
        raise ReviewError("give --value N or --min N --max N, not both")
    for k in ("value", "min", "max"):
        if k in out:
            try:
                out[k] = float(out[k])
            except (TypeError, ValueError):
                raise ReviewError(f"{k} must be a number, not {out[k]!r}") from None
            if not math.isfinite(out[k]) or out[k] < 0 or out[k] > 1e12:
                raise ReviewError(f"{k} must be a number from 0 to 10^12, not {out[k]!r}")
            out[k] = int(out[k]) if out[k].is_integer() else out[k]
    if "min" in out and "max" in out and out["min"] > out["max"]:
        raise ReviewError(f"min {out['min']} is above max {out['max']}")
    if "max" in out and "min" not in out:
        raise ReviewError("--max needs --min (a range is min to max)")
    if "measure" in out and out["measure"] not in MEASURES:
        raise ReviewError(f"unknown measure {out['measure']!r} (one of {', '.join(MEASURES)})")
    if "kind" in out and out["kind"] not in SOURCE_KINDS:
        raise ReviewError(f"unknown source kind {out['kind']!r} (one of {', '.join(SOURCE_KINDS)})")
    if "side" in out and sides is not None and out["side"] not in sides:
        raise ReviewError(f"unknown side {out['side']!r} (a party id of the conflict registry, third_party or "
                          "unknown)")
    if "date" in out:
        try:
            out["date"] = dt.date.fromisoformat(str(out["date"])).isoformat()
        except ValueError:
            raise ReviewError(f"date must be YYYY-MM-DD, not {out['date']!r}") from None
    if "source" in out:
        out["source"] = _text(out["source"], "source", MAX_NAME, required=True)
    if "place" in out and not isinstance(out["place"], dict):
        raise ReviewError("place must be resolved to a gazetteer place before it is stored")
    return out


def _claim(conn: Connection, claim_id: str) -> tuple[Claim, str, str | None, str | None]:
    """(claim, document id, document event id, ledger event id) of a stored claim."""
    row = conn.execute(select(claims.c.data, claims.c.doc_id, claims.c.doc_event_id)
                       .where(claims.c.id == claim_id)).first()
    if row is None:
        raise ReviewError(f"no claim {claim_id!r} in the ledger (claim ids are shown by `claimledger show "
                          "EVENT_ID` and the API's event detail)", status=404)
    led = None
    if row.doc_event_id:
        hit = conn.execute(select(doc_events.c.ledger_id).where(doc_events.c.id == row.doc_event_id)).first()
        led = hit.ledger_id if hit else None
    return from_dict(Claim, json.loads(row.data)), row.doc_id, row.doc_event_id, led


def _event_anchors(conn: Connection, event_id: str, docs: list[str] | None = None) -> list[list[EventAnchor]]:
    """One group of anchors per report of ledger event ``event_id`` (only ``docs``' reports if given)."""
    rows = conn.execute(select(doc_events.c.id, doc_events.c.doc_id, doc_events.c.ordinal)
                        .where(doc_events.c.ledger_id == event_id).order_by(doc_events.c.doc_id,
                                                                              doc_events.c.ordinal)).all()
    if not rows:
        raise ReviewError(f"no ledger event {event_id!r} (see `claimledger events`)", status=404)
    if docs:
        missing = sorted(set(docs) - {r.doc_id for r in rows})
        if missing:
            raise ReviewError(f"report {missing[0]} is not in event {event_id} (its reports: "
                              f"{', '.join(sorted({r.doc_id for r in rows}))})")
        rows = [r for r in rows if r.doc_id in docs]
    keys = doc_keys(conn, [r.doc_id for r in rows])
    by_event: dict[str, list[Claim]] = {}
    for r in conn.execute(select(claims.c.doc_event_id, claims.c.data)
                          .where(claims.c.doc_event_id.in_([r.id for r in rows]))):
        by_event.setdefault(r.doc_event_id, []).append(from_dict(Claim, json.loads(r.data)))
    groups: dict[str, list[EventAnchor]] = {}
    for r in rows:
        groups.setdefault(r.doc_id, []).append(event_anchor(keys[r.doc_id], r.ordinal, by_event.get(r.id, [])))
    return list(groups.values())


def _insert(conn: Connection, review: Review) -> Review:
    rid = conn.execute(insert(reviews).values(**to_row(review))).inserted_primary_key[0]
    changed(conn)
    return locate(conn, [get(conn, rid)])[0]


def review_claim(conn: Connection, claim_id: str, action: str, *, reason: str, by: str | None = None,
                 fields: dict[str, Any] | None = None, to_event: str | None = None,
                 sides: tuple[str, ...] | None = None) -> tuple[Review, set[str]]:
    """Record a ``reject``, ``set``, ``move`` or ``accept`` of one claim; (the review, ledger events to
    reconcile). An accept changes no value: the claim was checked and is right, and the reasoning says so."""
    reason = _text(reason, "reason", MAX_REASON, required=True)
    by = _text(by, "--by name", MAX_NAME)
    claim, doc_id, _doc_event, led = _claim(conn, claim_id)
    key = doc_keys(conn, [doc_id])[doc_id]
    res = Resolver(conn)
    earlier = [r for r in active(conn, doc_keys=[key], actions=("reject", "set", "move"))
               if (hit := res.claim(r.anchor)) and hit[0].id == claim.id]
    current, rejected, _sets = state(claim, earlier)
    review = Review(id=0, action=action, reason=reason, by=by, at=now(), claim=claim.id, event=led,
                    anchor=claim_anchor(claim, key))
    touched = {led} if led else set()
    if action == "reject":
        if rejected is not None:
            raise ReviewError(f"claim {claim.id} is already rejected by review {rejected.id}", status=409)
        review.replaced = claim_values(current, ("source", "side", "measure", "value"))
    elif action == "set":
        review.fields = check_fields(fields or {}, sides)
        review.replaced = claim_values(current, review.fields)
    elif action == "accept":
        review.replaced = {}
    elif action == "move":
        if not to_event:
            raise ReviewError("move needs the event to move the claim to (--to EVENT_ID)")
        if to_event == led:
            raise ReviewError(f"claim {claim.id} is in event {to_event} already")
        review.targets = _event_anchors(conn, to_event)[:1]
        review.fields, review.replaced = {"to": to_event}, {"event": led}
        touched.add(to_event)
    else:
        raise ReviewError(f"unknown claim review {action!r} (reject, set, move or accept)")
    return _insert(conn, review), touched


def review_events(conn: Connection, action: str, event_ids: list[str], *, reason: str, by: str | None = None,
                  documents: list[str] | None = None) -> tuple[Review, set[str]]:
    """Record a ``split`` (of one event; into one event per report, or ``documents`` taken out
    together) or a ``merge`` (of two or more events into the first)."""
    reason = _text(reason, "reason", MAX_REASON, required=True)
    by = _text(by, "--by name", MAX_NAME)
    event_ids = list(dict.fromkeys(event_ids))
    if action == "merge":
        if len(event_ids) < 2:
            raise ReviewError("merge needs two or more events (review merge EVENT_ID EVENT_ID...)")
        targets = [[a for g in _event_anchors(conn, e) for a in g] for e in event_ids]
        fields: dict[str, Any] = {"events": event_ids}
    elif action == "split":
        if len(event_ids) != 1:
            raise ReviewError("split takes one event (review split EVENT_ID [--doc DOC_ID ...])")
        groups = _event_anchors(conn, event_ids[0])
        if len(groups) < 2 and not documents:
            raise ReviewError(f"event {event_ids[0]} has one report: nothing to split")
        targets = [[a for g in _event_anchors(conn, event_ids[0], documents) for a in g]] if documents else groups
        if documents and len(targets[0]) == sum(len(g) for g in groups):
            raise ReviewError("--doc names every report of the event: nothing would be left to split from")
        fields = {"documents": sorted(documents)} if documents else {}
    else:
        raise ReviewError(f"unknown event review {action!r} (split or merge)")
    review = Review(id=0, action=action, reason=reason, by=by, at=now(), event=event_ids[0], fields=fields,
                    replaced={"events": event_ids}, targets=targets)
    return _insert(conn, review), set(event_ids)


def undo(conn: Connection, review_id: int, by: str | None = None) -> tuple[Review, set[str], bool]:
    """Mark a review undone; (it, ledger events to reconcile, whether the grouping must be rebuilt:
    an undone split or merge gives the merge its say again)."""
    found = get(conn, review_id)
    if found is None:
        raise ReviewError(f"no review {review_id} (see `claimledger review list`)", status=404)
    if found.undone_at:
        who = f" by {found.undone_by}" if found.undone_by else ""
        raise ReviewError(f"review {review_id} was undone already ({found.undone_at}{who}): nothing to undo",
                          status=409)
    res = Resolver(conn)
    (found,) = locate(conn, [found], res)
    touched = {e for e in (found.event, found.now_event, found.fields.get("to")) if e}
    if found.action == "move":   # where the claim is reconciled now: the target event as it is named now
        hits = [h for g in found.targets for t in g if (h := res.doc_event(t))]
        touched |= {led for h in hits[:1] if (led := res.ledger_of(h))}
    conn.execute(update(reviews).where(reviews.c.id == review_id)
                 .values(undone_at=now(), undone_by=_text(by, "--by name", MAX_NAME)))
    changed(conn)
    row = conn.execute(select(reviews).where(reviews.c.id == review_id)).first()
    undone = of_row(row)
    undone.now_claim, undone.now_event = found.now_claim, found.now_event
    return undone, touched, found.action in EVENT_ACTIONS
