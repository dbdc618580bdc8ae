"""Ledger events: the filtered list, the compact map layer, and one event with its evidence.

The filters of the page (search, conflict, source side and kind, outlet, country, admin1, toll
range, reviewed, changed since) come as one :class:`~claimledger.ledger.selection.Selection`
(:func:`claimledger.outputs.api.params.selection`); a new one is a field there and a condition in
``ledger/selection.py``. The older filters (dates, box, type, sides, minimum toll) are keywords of
``Store.list_events`` that the CLI shares, checked in :func:`event_filters`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from claimledger.ledger.changes import detail_test, list_test, page_test
from claimledger.ledger.selection import EVENT_SORTS
from claimledger.outputs.api import models as m
from claimledger.outputs.api.cache import keep_until
from claimledger.outputs.api.errors import ApiError
from claimledger.outputs.api.ledger import Settings, settings
from claimledger.outputs.api.params import (
    ERRORS,
    Picked,
    Side,
    bbox_q,
    deaths_q,
    id_path,
    limit_q,
    offset_q,
    side_q,
    since_q,
    type_q,
    until_q,
)
from claimledger.records import Claim
from claimledger.serialise import dumps, from_dict, to_dict

router = APIRouter()
Cfg = Annotated[Settings, Depends(settings)]


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise ApiError(422, "bbox must be min_lon,min_lat,max_lon,max_lat (four numbers)")
    try:
        lo1, la1, lo2, la2 = (float(p) for p in parts)
    except ValueError:
        raise ApiError(422, "bbox must be min_lon,min_lat,max_lon,max_lat (four numbers)") from None
    if not all(math.isfinite(v) for v in (lo1, la1, lo2, la2)):
        raise ApiError(422, "bbox values must be finite numbers")
    if not (-180 <= lo1 <= lo2 <= 180 and -90 <= la1 <= la2 <= 90):
        raise ApiError(422, "bbox must satisfy -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90")
    return lo1, la1, lo2, la2


def event_filters(since, until, bbox, type_, side, initiator_side, target_side, min_deaths, sel=None) -> dict:
    """The keywords of ``Store.list_events`` for these query parameters, checked."""
    if since and until and since > until:
        raise ApiError(422, "since is after until")
    if sel is not None and min_deaths is not None and sel.max_deaths is not None and min_deaths > sel.max_deaths:
        raise ApiError(422, "min_deaths is above max_deaths")
    out = {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None,
           "bbox": parse_bbox(bbox), "types": type_ or None, "side": side,
           "initiator_side": initiator_side, "target_side": target_side, "min_deaths": min_deaths}
    if sel is not None and not sel.is_empty():
        out["selection"] = sel
    return out


class EventQuery:
    """Every filter of ``/api/events`` but ``side`` as one dependency (:func:`event_query`), shared by
    the map, the claims and the downloads (``side`` means the source's side in ``/api/claims``: see
    :meth:`with_side`)."""

    def __init__(self, filters: dict):
        self.filters = filters

    def with_side(self, side: str | None) -> dict:
        """The filters with ``side`` (the event's initiator or target)."""
        return {**self.filters, "side": side}


async def event_query(
    sel: Picked,
    since: Annotated[dt.date | None, since_q] = None,
    until: Annotated[dt.date | None, until_q] = None,
    bbox: Annotated[str | None, bbox_q] = None,
    type_: Annotated[list[str] | None, type_q] = None,
    initiator_side: Annotated[Side | None, Query()] = None,
    target_side: Annotated[Side | None, Query()] = None,
    min_deaths: Annotated[int | None, deaths_q] = None,
) -> EventQuery:
    """Async, like every dependency that does no I/O: FastAPI runs a plain function (or a class) on
    its thread pool, a hand-off per dependency per request."""
    return EventQuery(event_filters(since, until, bbox, type_, None, initiator_side, target_side, min_deaths, sel))


Filters = Annotated[EventQuery, Depends(event_query)]


def _sources(rows: list[tuple]) -> list[dict]:
    """Who speaks about the event, in order of first claim: ``rows`` are (claim JSON, doc id, claim
    id, source name, kind, side), as ``Store.event_detail_json`` gives them."""
    grouped: dict[tuple, dict] = {}
    for _data, _doc, claim_id, name, kind, side in rows:
        entry = grouped.setdefault((name, kind, side), {"name": name, "kind": kind, "side": side, "claims": []})
        entry["claims"].append(claim_id)
    return list(grouped.values())


def _review_json(state) -> str:
    """The review keys of one claim of the detail (docs/reviews.md): its status and corrected values."""
    if not state:
        return ""
    status, reviewed = state
    return f', "review_status": {json.dumps(status)}, "reviewed": {dumps(reviewed) if reviewed else "null"}'


def review_detail(conn, event_id: str, rows: list[tuple]):
    """Reviews of the detail's claims (rows as ``Store.event_detail_json`` gives them)."""
    from claimledger.ledger.reviews import any_review
    from claimledger.ledger.reviews_apply import detail

    if not any_review(conn):
        return {}, [], []
    return detail(conn, event_id, [(from_dict(Claim, json.loads(data)), doc) for data, doc, *_ in rows])


@router.get("/api/events", response_model=m.EventPage, responses=ERRORS, tags=["ledger"])
def list_events(
    request: Request,
    cfg: Cfg,
    query: Filters,
    side: Annotated[Side | None, side_q] = None,
    limit: Annotated[int, limit_q] = 100,
    offset: Annotated[int, offset_q] = 0,
    order: Annotated[Literal[EVENT_SORTS], Query(  # type: ignore[valid-type]
        description="date: oldest first; -date: newest first; deaths, place, type, documents, claims, "
                    "updated (last changed): ascending, with - descending; ties by date")] = "date",
) -> dict:
    """Ledger events matching every filter given, by start date (oldest first unless ``order=-date``;
    undated last) or the ``order`` asked, a page at a time. ``since``/``until`` bound the event's
    start date; ``q`` searches places, sources, outlets, titles and evidence."""
    f = query.with_side(side)
    items, total = cfg.ledger.call(lambda s: s.list_events_json(**f, limit=limit, offset=offset, order=order))
    # a remembered page outlives commits that touch no matching event, and (a full page in date order)
    # those that touch none at or before its last event, with its total counted again
    last = json.loads(items[-1])["id"] if limit is not None and len(items) == limit else None
    keep_until(request, list_test(**f), page_test(order, last, **f) if last else None)
    # The stored rows are the contract JSON already (the models' tests validate it): sent as they
    # are, without parsing, re-serialising and validating 100 events per request.
    head = json.dumps({"total": total, "limit": limit, "offset": offset})[:-1] + ', "items": ['
    packer = getattr(request.app.state, "page_packer", None)
    if packer is not None and "gzip" in request.headers.get("accept-encoding", ""):
        # joined from the rows' kept deflate pieces (gzipjoin.PagePacker), not compressed whole by the
        # app's GZipMiddleware, which passes an answer with its Content-Encoding on as it is
        body = packer.gzipped(head, items, "]}")
        if body is not None:
            return Response(body, media_type="application/json",
                            headers={"content-encoding": "gzip", "vary": "Accept-Encoding"})
    return Response(f'{head}{", ".join(items)}]}}', media_type="application/json")


@router.get("/api/map", response_model=m.MapData, responses=ERRORS, tags=["ledger"])
def map_points(request: Request, cfg: Cfg, query: Filters, side: Annotated[Side | None, side_q] = None) -> dict:
    """Every matching event in a compact form (no pagination): what the map page loads."""
    keep_until(request, list_test(**query.with_side(side)))
    # 10,000 rows of plain columns, serialised once per ledger generation by the store (validating
    # each through the model cost more than the query); tests/web check the shape against the model.
    return Response(cfg.ledger.call(lambda s: s.map_json(**query.with_side(side))), media_type="application/json")


@router.get("/api/events/{event_id}", response_model=m.EventDetail, responses=ERRORS, tags=["ledger"])
def get_event(request: Request, cfg: Cfg, event_id: Annotated[str, id_path]) -> dict:
    """One event with its claims, the documents they came from, its sources, revisions and reasoning."""
    def read(s):
        found = s.event_detail_json(event_id, lambda conn, rows: review_detail(conn, event_id, rows))
        if found is None:
            into = s.merged_into(event_id)
            if into is not None:   # an ingest merged its reports into another event since it was listed
                raise ApiError(307, f"ledger event {event_id!r} was merged into {into!r}",
                               headers={"Location": f"/api/events/{into}"}, extra={"merged_into": into})
            raise ApiError(404, f"no ledger event {event_id!r}")
        return found

    found = cfg.ledger.call(read)
    keep_until(request, detail_test(event_id))
    rows = found["claims"]
    statuses, moved_in, history = found["also"]
    rows = rows + [(dumps(c), doc, c.id, c.source.name, c.source.kind, c.source.side) for c, doc in moved_in]
    claims = ", ".join(f'{{"claim": {data}, "doc": {json.dumps(doc)}{_review_json(statuses.get(cid))}}}'
                       for data, doc, cid, *_ in rows)
    rest = json.dumps({"documents": [to_dict(d) for d in found["documents"]], "sources": _sources(rows),
                       "reviews": [to_dict(r) for r in history]}, ensure_ascii=False)
    return Response(f'{{"event": {found["event"]}, "claims": [{claims}], {rest[1:]}', media_type="application/json")
