"""Reviews over HTTP: reject, correct or move a claim, split or merge events, list, undo.

Every write needs the bearer token, like ``POST /api/documents`` (checked before the body is
read, so a client without the token learns that first). A write answers with the review and the
ledger events it reconciled again, as they are now, so a page can show the figures change without
a second request. The same checks as ``claimledger review`` apply (ledger/reviews_write.py):
404 for an unknown claim, event or review, 409 when there is nothing to undo, 422 for bad values.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam

from claimledger.ledger.reviews import ReviewError
from claimledger.outputs.api import models as m
from claimledger.outputs.api.errors import ApiError
from claimledger.outputs.api.ledger import Settings, settings
from claimledger.outputs.api.params import ERRORS, id_path, limit_q, offset_q
from claimledger.outputs.api.routes.documents import authorise
from claimledger.serialise import to_dict

router = APIRouter()
Cfg = Annotated[Settings, Depends(settings)]
_WRITE_ERRORS = {code: {"model": m.Error} for code in (401, 403, 404, 409, 413, 422, 503)}


def writer(cfg: Cfg, request: Request) -> Settings:
    """The settings, once the bearer token is checked and the declared body size is within the
    server's limit (a dependency: it runs before the body is parsed)."""
    authorise(cfg, request)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cfg.max_body:
        raise ApiError(413, f"body is {declared} bytes, over the {cfg.max_body}-byte limit")
    return cfg


Writer = Annotated[Settings, Depends(writer)]


def _write(cfg: Settings, fn) -> dict:
    def call(store):
        try:
            (review, touched, *_), alive = store.write_review(fn)
        except ReviewError as exc:
            raise ApiError(exc.status, str(exc)) from None
        ids = sorted(set(alive) | set(touched))
        events = {e: store.get_event(e) for e in ids}
        return {"review": to_dict(review), "events": [to_dict(ev) for ev in events.values() if ev is not None],
                "gone": [e for e, ev in events.items() if ev is None]}

    return cfg.ledger.call(call)


def _place(name: str | None) -> dict | None:
    if name is None:
        return None
    from claimledger.analyse.places import geocode

    found = geocode(name)
    if found is None or found.lat is None:
        raise ApiError(422, f"place {name!r}: no such place in the gazetteer")
    out = to_dict(found)
    out.pop("evidence", None)
    return out


@router.post("/api/claims/{claim_id}/reviews", response_model=m.ReviewResult, status_code=201, tags=["write"],
             responses=_WRITE_ERRORS)
def review_claim(cfg: Writer, claim_id: Annotated[str, id_path], body: m.ClaimReviewRequest) -> dict:
    """Reject, correct (``set``) or move one claim (needs the token). Reconciliation applies the
    review at once and on every rebuild; the answer carries the events as reconciled now."""
    from claimledger.analyse.parties import side_values
    from claimledger.ledger import reviews_write as rw

    fields = None
    if body.action == "set":
        fields = {k: getattr(body, k) for k in ("source", "kind", "side", "measure", "value", "min", "max", "date")}
        fields["place"] = _place(body.place)
    return _write(cfg, lambda conn: rw.review_claim(conn, claim_id, body.action, reason=body.reason, by=body.by,
                                                    fields=fields, to_event=body.to, sides=tuple(side_values())))


@router.post("/api/events/{event_id}/reviews", response_model=m.ReviewResult, status_code=201, tags=["write"],
             responses=_WRITE_ERRORS)
def review_event(cfg: Writer, event_id: Annotated[str, id_path], body: m.EventReviewRequest) -> dict:
    """Move a claim into this event, split this event (every report its own event, or the
    ``documents`` taken out together) or merge ``events`` into it (needs the token)."""
    from claimledger.ledger import reviews_write as rw

    if body.action == "move":
        if not body.claim:
            raise ApiError(422, "move needs the claim to bring into this event (claim)")
        return _write(cfg, lambda conn: rw.review_claim(conn, body.claim, "move", reason=body.reason, by=body.by,
                                                        to_event=event_id))
    ids = [event_id] + list(body.events or []) if body.action == "merge" else [event_id]
    return _write(cfg, lambda conn: rw.review_events(conn, body.action, ids, reason=body.reason, by=body.by,
                                                     documents=body.documents))


@router.get("/api/reviews", response_model=m.ReviewPage, responses=ERRORS, tags=["ledger"])
def list_reviews(
    cfg: Cfg,
    status: Annotated[Literal["active", "undone", "orphaned"] | None, Query(description="only these")] = None,
    claim: Annotated[str | None, Query(max_length=200, description="reviews of this claim")] = None,
    event: Annotated[str | None, Query(max_length=200, description="reviews touching this ledger event")] = None,
    limit: Annotated[int, limit_q] = 100,
    offset: Annotated[int, offset_q] = 0,
) -> dict:
    """Reviews, newest first, each located in the ledger as it is now (``status`` orphaned: its
    claim or events can no longer be found)."""
    from claimledger.ledger.reviews import listing

    found, total = cfg.ledger.call(lambda s: s.read_with(lambda conn: listing(
        conn, status=status, claim=claim, event=event, limit=limit, offset=offset)))
    return {"total": total, "limit": limit, "offset": offset, "items": [to_dict(r) for r in found]}


@router.delete("/api/reviews/{review_id}", response_model=m.ReviewResult, tags=["write"], responses=_WRITE_ERRORS)
def undo_review(cfg: Writer, review_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
                by: Annotated[str | None, Query(max_length=200, description="who undoes it")] = None) -> dict:
    """Undo a review (needs the token): it stays in the history, marked undone, and the events it
    touched are reconciled again without it."""
    from claimledger.ledger import reviews_write as rw

    return _write(cfg, lambda conn: rw.undo(conn, review_id, by=by))
