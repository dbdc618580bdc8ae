"""``GET /api/export``: "download this selection": the ledger's own exporters run on the events
(or claims) the page's filters select, so a download is byte for byte what ``claimledger export``
writes for those rows, never a second CSV writer that could drift from it.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator
from importlib import import_module
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from claimledger import records
from claimledger.outputs.api.ledger import Settings, settings
from claimledger.outputs.api.params import ERRORS, Side, side_q
from claimledger.outputs.api.routes.events import Filters
from claimledger.outputs.export import FORMATS

router = APIRouter()
Cfg = Annotated[Settings, Depends(settings)]
MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "jsonl": "application/x-ndjson"}
SPOOL = 8 * 1024 * 1024   # exports up to this size stay in memory; larger ones go to a temporary file


class SelectedLedger:
    """A store seen through a selection: the exporters' three reads (``iter_events``,
    ``iter_claims``, ``documents_meta``) keep only the chosen events or claims; anything else an
    exporter asks is the store's own."""

    def __init__(self, store: Any, events: Iterable[str], claims: Iterable[str] | None = None):
        self._store = store
        self.events = set(events)
        self.claims = set(claims) if claims is not None else None

    def iter_events(self) -> Iterator:
        return (e for e in self._store.iter_events() if e.id in self.events)

    def iter_claims(self, measures: list[str] | None = None) -> Iterator:
        for claim, meta, ledger_id in self._store.iter_claims(measures=measures):
            keep = claim.id in self.claims if self.claims is not None else ledger_id in self.events
            if keep:
                yield claim, meta, ledger_id

    def documents_meta(self, doc_ids: Iterable[str]) -> dict:
        return self._store.documents_meta(doc_ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _write(store: Any, fmt: str, filters: dict, claim_args: dict | None) -> tuple[Any, int]:
    events = store.event_ids(**filters)
    # claims-csv: the claims /api/claims lists for these parameters
    claims = store.claim_ids(events=filters, **claim_args) if claim_args is not None else None
    raw = tempfile.SpooledTemporaryFile(max_size=SPOOL)
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    n = import_module(FORMATS[fmt]).write(SelectedLedger(store, events, claims), text)
    text.flush()
    text.detach()
    raw.seek(0)
    return raw, n


def _chunks(raw) -> Iterator[bytes]:
    try:
        while block := raw.read(64 * 1024):
            yield block
    finally:
        raw.close()


@router.get("/api/export", responses={**ERRORS, 200: {"content": {v: {} for v in MEDIA.values()},
                                                      "description": "the export file"}},
            response_class=StreamingResponse, tags=["ledger"])
def export_selection(
    cfg: Cfg,
    query: Filters,
    format: Annotated[Literal[tuple(FORMATS)], Query(  # type: ignore[valid-type]
        description="acled-csv, geojson, ucdp-csv, events-jsonl: one row per selected event; "
                    "claims-csv: one row per claim of the selected events, as /api/claims selects them")],
    side: Annotated[Side | None, side_q] = None,
    source: Annotated[str | None, Query(max_length=300, description="claims-csv: source name")] = None,
    measure: Annotated[Literal[records.MEASURES] | None, Query(  # type: ignore[valid-type]
        description="claims-csv: this measure only")] = None,
) -> StreamingResponse:
    """The selected events (every filter of ``/api/events``) written by ``claimledger export``'s
    own exporter, as a file download; the ``X-Rows`` header says how many rows it holds.
    ``claims-csv`` keeps the claims ``/api/claims`` would list for the same parameters."""
    f = query.with_side(side)
    claim_args = None
    if format == "claims-csv":   # the claim-level filters (search, source side and kind...) apply to claims
        claim_args = {"source": source, "measure": measure, "selection": f.pop("selection", None)}
    raw, n = cfg.ledger.call(lambda s: _write(s, format, f, claim_args))
    ext = {"acled-csv": "csv", "ucdp-csv": "csv", "claims-csv": "csv", "geojson": "geojson",
           "events-jsonl": "jsonl"}[format]
    name = f"claimledger-{format}-{dt.date.today().isoformat()}.{ext}"
    return StreamingResponse(_chunks(raw), media_type=MEDIA[ext], headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Rows": str(n)})


