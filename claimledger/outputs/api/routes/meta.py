"""Health, client configuration and the ledger's summary counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from claimledger import __version__
from claimledger.outputs.api import models as m
from claimledger.outputs.api.errors import ApiError
from claimledger.outputs.api.ledger import Settings, settings
from claimledger.outputs.api.params import ERRORS

router = APIRouter()
Cfg = Annotated[Settings, Depends(settings)]


@router.get("/api/health", response_model=m.Health, tags=["meta"])
def health(cfg: Cfg) -> dict:
    """Whether the server is up and the ledger can be opened (always 200: the answer is in the body)."""
    try:
        cfg.ledger.call(lambda s: s.ping())
        state = "ok"
    except ApiError as exc:
        state = exc.message
    return {"status": "ok", "ledger": state}


@router.get("/api/config", response_model=m.Config, tags=["meta"])
def config(cfg: Cfg) -> dict:
    return {"writes": cfg.token is not None, "tiles": cfg.tiles, "version": __version__}


@router.get("/api/summary", response_model=m.Summary, responses={503: ERRORS[503]}, tags=["ledger"])
def summary(cfg: Cfg) -> dict:
    """Counts of documents, claims, events and failures, and the ledger's date range."""
    return cfg.ledger.call(lambda s: dict(s.summary()))
