"""Claims across the ledger (by source, side, measure, search, and the events they belong to) and
the ledger's places."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from claimledger import records
from claimledger.ledger.selection import CLAIM_SORTS
from claimledger.outputs.api import models as m
from claimledger.outputs.api.ledger import Settings, settings
from claimledger.outputs.api.params import ERRORS, Side, limit_q, offset_q
from claimledger.outputs.api.routes.events import Filters
from claimledger.serialise import to_dict

router = APIRouter()
Cfg = Annotated[Settings, Depends(settings)]


@router.get("/api/claims", response_model=m.ClaimPage, responses=ERRORS, tags=["ledger"])
def list_claims(
    cfg: Cfg,
    query: Filters,
    source: Annotated[str | None, Query(max_length=300, description="source name")] = None,
    side: Annotated[Side | None, Query(description="who says it: the claim's source is of this side (the "
                                       "same as source_side; on /api/events side is the party involved)")] = None,
    event_side: Annotated[Side | None, Query(description="party involved: claims of events whose initiator or "
                                             "target is this side (what side means on /api/events)")] = None,
    measure: Annotated[Literal[records.MEASURES] | None, Query()] = None,  # type: ignore[valid-type]
    event: Annotated[str | None, Query(max_length=200, description="claims of this ledger event only")] = None,
    limit: Annotated[int, limit_q] = 100,
    offset: Annotated[int, offset_q] = 0,
    order: Annotated[Literal[CLAIM_SORTS] | None, Query(  # type: ignore[valid-type]
        description="published (report date), source, value, measure or side; - for descending; "
                    "default: report by report, in text order")] = None,
) -> dict:
    """Claims filtered by source, the source's side and measure, a page at a time.

    The search (``q``), ``source_side``, ``subject_side``, ``source_kind``, ``outlet`` and
    ``reviewed`` apply to each claim; every other filter of ``/api/events`` keeps the claims of
    the events it matches, ``event_side`` standing for its ``side`` (here ``side`` is, as it has
    always been, the side of the claim's source). Each
    page also names, item by item, the ledger event of each claim (``events``) and the reports
    (``documents``, by id)."""
    f = query.with_side(event_side)
    sel = f.pop("selection", None)
    rows, total = cfg.ledger.call(lambda s: s.claim_page(
        source=source, side=side, measure=measure, limit=limit, offset=offset, selection=sel, events=f,
        event=event, order=order))
    # the stored claims are the contract JSON already (as /api/events sends its events): sent as they are
    head = json.dumps({"total": total, "limit": limit, "offset": offset})[:-1]
    tail = json.dumps({"events": [ledger_id for _, _, ledger_id in rows],
                       "documents": {meta.id: to_dict(meta) for _, meta, _ in rows}}, ensure_ascii=False)
    return Response(f'{head}, "items": [{", ".join(c for c, _, _ in rows)}], {tail[1:]}', media_type="application/json")


@router.get("/api/places", response_model=list[m.PlaceCount], responses={503: ERRORS[503]}, tags=["ledger"])
def list_places(cfg: Cfg) -> list:
    """Distinct places of the ledger with how many events each holds."""
    return [{"place": to_dict(p), "events": n} for p, n in cfg.ledger.call(lambda s: s.list_places())]


@router.get("/api/facets", response_model=m.Facets, responses={503: ERRORS[503]}, tags=["ledger"])
def facets(cfg: Cfg) -> dict:
    """What each filter of the page can be set to here: types, countries, regions, outlets, source
    kinds and sides, initiators, targets and conflicts, with their counts."""
    return cfg.ledger.call(lambda s: s.facets())
