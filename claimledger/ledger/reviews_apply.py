"""Active reviews applied on top of the extractor's record, every time a ledger event is built.

Two hooks, both called by the store inside its write transaction:

* :func:`overlay` gives reconciliation each member's claims as reviewed: a rejected claim is kept
  only to be set aside with its reason ("set aside by review 12: wrong source, J. Doe,
  2026-12-02"), a corrected one takes part with its corrected values and says so, a moved one
  leaves its event and joins the one it was moved to. The parsed-claims cache is never changed:
  reviews can be undone, and the cache holds the extractor's record.
* :func:`event_changes` re-applies split and merge reviews, oldest first, to the grouping the
  merge has just computed (after an ingest or in ``rebuild``), so an analyst's grouping survives
  every recomputation.

Why on top rather than editing the stored rows: the stored claims are the evidence as read, a
review can be undone, and a newer extractor's claims must receive the same reviews (the anchor
finds them again, :mod:`claimledger.ledger.reviews_anchor`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from claimledger.ledger import merge
from claimledger.ledger.db import doc_events, documents
from claimledger.ledger.db import reviews as table
from claimledger.ledger.reconcile import ClaimInput, number_context
from claimledger.ledger.reviews import (
    CLAIM_ACTIONS,
    EVENT_ACTIONS,
    Review,
    active,
    any_active,
    any_review,
    locate,
    of_row,
    state,
)
from claimledger.ledger.reviews_anchor import Resolver, doc_keys
from claimledger.records import Claim

_COUNTED = ("killed", "wounded")


def _values(fields: dict) -> str:
    return "; ".join(f"{k} {v}" for k, v in sorted(fields.items()) if k != "place") + \
        (f"; place {fields['place']['name']}" if fields.get("place") else "")


def _with_reviews(item: ClaimInput, found: list[Review], moved_from: str | None = None) -> ClaimInput:
    """The item as reviewed: corrected values, and the note reconciliation writes for it."""
    claim, rejected, sets = state(item.claim, found)
    notes = []
    if moved_from:
        move = next(r for r in found if r.action == "move")
        notes.append(f"moved here from {moved_from} by {move.note()}")
    notes += [f"corrected by {r.note()} ({_values(r.fields)})" for r in sets]
    notes += [f"checked and accepted by {r.note()}" for r in found if r.action == "accept"]
    item = dataclasses.replace(item, claim=claim, review="; ".join(notes) or None)
    if rejected is not None:
        item = dataclasses.replace(item, set_aside=f"set aside by {rejected.note()}")
    return item


def _claim_reviews(conn: Connection, doc_ids: Iterable[str], res: Resolver) -> dict[str, list[Review]]:
    """Active claim reviews of these documents, by the claim id their anchor finds now."""
    keys = doc_keys(conn, doc_ids)
    out: dict[str, list[Review]] = defaultdict(list)
    for r in active(conn, doc_keys=list(keys.values()), actions=CLAIM_ACTIONS):
        hit = res.claim(r.anchor) if r.anchor else None
        if hit is not None:
            out[hit[0].id].append(r)
    return out


def _move_target(r: Review, res: Resolver) -> str | None:
    """The document event a move review sends its claim to, as the ledger is now."""
    for group in r.targets:
        for t in group:
            hit = res.doc_event(t)
            if hit is not None:
                return hit
    return None


def _moved_in(conn: Connection, res: Resolver, targets: dict[int, str | None], wanted: set[str]
              ) -> dict[str, list[tuple[ClaimInput, str | None]]]:
    """Claims moved into these document events: (the claim's input, the ledger event it left)."""
    out: dict[str, list[tuple[ClaimInput, str | None]]] = defaultdict(list)
    moves = [r for r in active(conn, actions=("move",)) if targets.get(r.id) in wanted]
    for r in moves:
        hit = res.claim(r.anchor) if r.anchor else None
        if hit is None:
            continue
        claim, home = hit
        doc_id = res.docs[r.anchor.document]
        d = conn.execute(select(documents.c.published, documents.c.outlet, documents.c.body)
                         .where(documents.c.id == doc_id)).first()
        before, after = number_context(claim, d.body) if claim.measure in _COUNTED else ("", "")
        item = ClaimInput(claim, doc_id, d.published, d.outlet, before, after)
        out[targets[r.id]].append((item, res.ledger_of(home) if home else None))
    return out


def overlay(conn: Connection, member_ids: list[str], doc_ids: Iterable[str],
            inputs: dict[str, list[ClaimInput]]) -> dict[str, list[ClaimInput]]:
    """Reconciliation's inputs for these document events with every active review applied;
    ``inputs`` itself (the parsed cache) is returned untouched when no review concerns them."""
    if not any_active(conn):
        return inputs
    res = Resolver(conn)
    by_claim = _claim_reviews(conn, doc_ids, res)
    moves = active(conn, actions=("move",))
    targets = {r.id: _move_target(r, res) for r in moves}
    moved_in = _moved_in(conn, res, targets, set(member_ids)) if moves else {}
    if not by_claim and not moved_in:
        return inputs
    out = {}
    for eid in member_ids:
        items = []
        for item in inputs.get(eid, []):
            found = by_claim.get(item.claim.id)
            if not found:
                items.append(item)
            elif not any(r.action == "move" and targets.get(r.id) not in (None, eid) for r in found):
                items.append(_with_reviews(item, found))
        for item, home in moved_in.get(eid, []):
            items.append(_with_reviews(item, by_claim.get(item.claim.id) or _reviews_of(conn, item, res), home))
        out[eid] = items
    return out


def _reviews_of(conn: Connection, item: ClaimInput, res: Resolver) -> list[Review]:
    return _claim_reviews(conn, [item.doc_id], res).get(item.claim.id, [])


def reviewed_claims(conn: Connection, pairs: list[tuple[Claim, str]]) -> list[tuple[Claim, str, list[Review]]]:
    """(claim as reviewed, review status, the claim's active reviews) for (claim, document id)
    pairs: what ``show``, the API and the claims export print."""
    res = Resolver(conn)
    by_claim = _claim_reviews(conn, {d for _, d in pairs}, res)
    out = []
    for claim, _doc in pairs:
        found = by_claim.get(claim.id, [])
        reviewed, rejected, sets = state(claim, found)
        out.append((reviewed, "rejected" if rejected else ("corrected" if sets else ""), found))
    return out


def event_changes(conn: Connection, move: Callable[[dict[str, str]], None],
                  cluster_of: Callable[[str], str | None] | None = None,
                  members_of: Callable[[str], list[str]] | None = None,
                  touched: set[str] | None = None) -> set[str]:
    """Apply active split and merge reviews, oldest first, to the grouping as it stands in this
    transaction; ``move(changes)`` re-files document events (the store's, which keeps its in-memory
    working set in step; ``cluster_of`` and ``members_of`` read that set). With ``touched`` (the
    ledger events an ingest's merge changed), only reviews of those events are re-applied: the
    others' grouping is as they left it. Returns the ledger events touched."""
    found = active(conn, actions=EVENT_ACTIONS)
    if not found:
        return set()
    res = Resolver(conn, cluster_of)
    if members_of is None:
        def members_of(cid: str) -> list[str]:
            return [r.id for r in conn.execute(select(doc_events.c.id).where(doc_events.c.ledger_id == cid))]
    watch = None if touched is None else set(touched)
    out: set[str] = set()
    for r in found:
        groups = [sorted({d for t in g if (d := res.doc_event(t))}) for g in r.targets]
        groups = [g for g in groups if g]
        clusters = list(dict.fromkeys(c for g in groups for d in g if (c := res.ledger_of(d))))
        if watch is not None and not watch.intersection(clusters):
            continue
        changes: dict[str, str] = {}
        if r.action == "merge":
            changes = {d: clusters[0] for c in clusters[1:] for d in members_of(c)}
        else:
            for g in groups:
                new = merge.ledger_id(f"{g[0]}#review-{r.id}")
                changes.update({d: new for d in g if res.ledger_of(d) != new})
        if changes:
            moved = {c for d in changes if (c := res.ledger_of(d))} | set(changes.values())
            out |= moved
            if watch is not None:
                watch |= moved
            move(changes)
    return out


def _history(conn: Connection, keys: list[str], claim_ids: set[str], event_id: str, res: Resolver) -> list[Review]:
    """Every review (active, undone or orphaned) of these claims and of this event, oldest first."""
    rows = []
    for i in range(0, len(keys), 500):
        rows += conn.execute(select(table).where(table.c.doc_key.in_(keys[i:i + 500]))).all()
    rows += conn.execute(select(table).where(table.c.action.in_(EVENT_ACTIONS + ("move",)))).all()
    seen, found = set(), []
    for row in rows:
        if row.id not in seen:
            seen.add(row.id)
            found.append(of_row(row))
    located = locate(conn, sorted(found, key=lambda r: r.id), res)
    return [r for r in located if (r.now_claim or r.claim) in claim_ids or event_id in
            (r.event, r.now_event, r.fields.get("to"), *r.fields.get("events", []))]


def detail(conn: Connection, event_id: str, pairs: list[tuple[Claim, str]]
           ) -> tuple[dict[str, tuple[str | None, Claim | None]], list[tuple[Claim, str]], list[Review]]:
    """What an event's detail shows of its reviews: for each claim (its review status and the
    claim as corrected), the claims moved into the event (claim, document id), and the history."""
    if not any_review(conn):
        return {}, [], []
    res = Resolver(conn)
    moves = active(conn, actions=("move",))
    targets = {r.id: _move_target(r, res) for r in moves}
    moved_in = []
    for r in moves:
        target = targets[r.id]
        if target and res.ledger_of(target) == event_id and r.anchor and (hit := res.claim(r.anchor)):
            if all(hit[0].id != c.id for c, _ in pairs):
                moved_in.append((hit[0], res.docs[r.anchor.document]))
    every = pairs + moved_in
    by_claim = _claim_reviews(conn, {d for _, d in every}, res)
    out: dict[str, tuple[str | None, Claim | None]] = {}
    for claim, _doc in every:
        found = by_claim.get(claim.id, [])
        reviewed, rejected, sets = state(claim, found)
        away = any(r.action == "move" and targets.get(r.id) and res.ledger_of(targets[r.id]) != event_id
                   for r in found)
        status = "rejected" if rejected else ("moved" if away else ("corrected" if sets else None))
        out[claim.id] = (status, reviewed if sets else None)
    keys = sorted(set(doc_keys(conn, {d for _, d in every}).values()))
    return out, moved_in, _history(conn, keys, {c.id for c, _ in every}, event_id, res)


def claim_states(conn: Connection) -> dict[str, tuple[Claim, str, str | None]]:
    """Every claim an active review touches: (the claim as reviewed, its review status for the
    claims CSV, the ledger event it is reconciled in when moved, else None)."""
    if not any_active(conn):
        return {}
    res = Resolver(conn)
    found = active(conn, actions=CLAIM_ACTIONS)
    res.prepare([r.anchor.document for r in found if r.anchor])
    by_claim: dict[str, list[Review]] = defaultdict(list)
    stored: dict[str, Claim] = {}
    for r in found:
        hit = res.claim(r.anchor) if r.anchor else None
        if hit is not None:
            by_claim[hit[0].id].append(r)
            stored[hit[0].id] = hit[0]
    out = {}
    for cid, rs in by_claim.items():
        reviewed, rejected, sets = state(stored[cid], rs)
        moved = [t for r in rs if r.action == "move" and (t := _move_target(r, res))]
        led = res.ledger_of(moved[-1]) if moved else None
        status = "rejected" if rejected else ("corrected" if sets or led else "")
        out[cid] = (reviewed, status, led)
    return out


def reviewed_claims_iter(store, measures: list[str] | None = None):
    """``store.iter_claims`` as reviewed: (claim with corrected values, document, ledger event it is
    reconciled in, review status: rejected, corrected or empty). What every export reads."""
    states = store.read_with(claim_states)
    for claim, meta, ledger_id in store.iter_claims(measures=None if states else measures):
        status = ""
        if claim.id in states:
            claim, status, moved_to = states[claim.id]
            ledger_id = moved_to or ledger_id
        if measures and claim.measure not in measures:
            continue
        yield claim, meta, ledger_id, status
