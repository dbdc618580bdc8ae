"""Claims across the ledger (by source, side, measure) and the ledger's places."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from claimledger import records
from claimledger.outputs.api import models as m
from claimledger.outputs.api.ledger import Settings, settings
from claimledger.outputs.api.params import ERRORS, Side, limit_q, offset_q
from claimledger.serialise import to_dict

router = APIRouter()
Cfg = Annotated[Settings, Depends(settings)]


@router.get("/api/claims", response_model=m.ClaimPage, responses=ERRORS, tags=["ledger"])
def list_claims(
    cfg: Cfg,
    source: Annotated[str | None, Query(max_length=300, description="source name")] = None,
    side: Annotated[Side | None, Query(description="side of the source")] = None,
    measure: Annotated[Literal[records.MEASURES] | None, Query()] = None,  # type: ignore[valid-type]
    limit: Annotated[int, limit_q] = 100,
    offset: Annotated[int, offset_q] = 0,
) -> dict:
    """Claims filtered by source, the source's side and measure, a page at a time."""
    items, total = cfg.ledger.call(lambda s: s.list_claims(source=source, side=side, measure=measure,
                                                          limit=limit, offset=offset))
    return {"total": total, "limit": limit, "offset": offset, "items": [to_dict(c) for c in items]}


@router.get("/api/places", response_model=list[m.PlaceCount], responses={503: ERRORS[503]}, tags=["ledger"])
def list_places(cfg: Cfg) -> list:
    """Distinct places of the ledger with how many events each holds."""
    return [{"place": to_dict(p), "events": n} for p, n in cfg.ledger.call(lambda s: s.list_places())]
