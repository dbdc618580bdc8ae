"""Query and path parameters and error responses shared by several routers (one spelling each)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Depends, Query
from fastapi import Path as PathParam

from claimledger import records
from claimledger.analyse.parties import side_values
from claimledger.ledger.selection import Selection
from claimledger.outputs.api import models as m

# any party id of the conflict registry (russia, israel, hamas, saf, rsf...), third_party or unknown
Side = Literal[tuple(side_values())]  # type: ignore[valid-type]
ERRORS = {404: {"model": m.Error}, 422: {"model": m.Error}, 503: {"model": m.Error}}

since_q = Query(description="events starting on or after this date (YYYY-MM-DD)")
until_q = Query(description="events starting on or before this date (YYYY-MM-DD)")
bbox_q = Query(description="min_lon,min_lat,max_lon,max_lat", max_length=200, examples=["22,44,41,53"])
type_q = Query(alias="type", description="ACLED sub-event type; repeat for several", max_length=100)
side_q = Query(description="party involved: the event's initiator or target is this side (a party id of the "
                           "conflict registry, third_party or unknown); source_side and subject_side ask who "
                           "reports and whose losses")
deaths_q = Query(ge=0, le=10**9, description="minimum reconciled best deaths")
limit_q = Query(ge=1, le=1000)
offset_q = Query(ge=0, le=10**9)
id_path = PathParam(min_length=1, max_length=200)


async def selection(
    q: Annotated[str | None, Query(max_length=200, description="text in a place, source, outlet or evidence "
                                   "(case-insensitive substring)")] = None,
    conflict: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{0,60}$",
                                          description="conflict id of the registry (russia_ukraine, sudan...)")] = None,
    source_side: Annotated[Side | None, Query(description="who says it: some claim's source is of this side "
                                              "(on /api/claims: the claim's source)")] = None,
    subject_side: Annotated[Side | None, Query(description="whose losses: some claim counts people or things of "
                                               "this side, e.g. 'Russian soldiers' (on /api/claims: the claim "
                                               "itself)")] = None,
    source_kind: Annotated[Literal[records.SOURCE_KINDS] | None,  # type: ignore[valid-type]
                           Query(description="some claim's source is of this kind")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="some report's outlet contains this")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2")] = None,
    admin1: Annotated[str | None, Query(max_length=200, description="first-level region, exactly")] = None,
    max_deaths: Annotated[int | None, Query(ge=0, le=10**9, description="maximum reconciled best deaths")] = None,
    updated_since: Annotated[dt.datetime | None, Query(
        description="events the ledger added or changed at or after this time (ISO 8601, UTC unless an offset "
                    "is given): what a page polling for new events asks")] = None,
    reviewed: Annotated[bool | None, Query(description="true: some claim of the event has a review; false: none has")] = None,
) -> Selection:
    """The page's filters beyond dates, box, type, party and minimum toll (see ledger/selection.py).
    Async because it does no I/O: a plain function dependency costs a thread-pool hand-off."""
    since = None
    if updated_since is not None:
        if updated_since.tzinfo is not None:
            updated_since = updated_since.astimezone(dt.timezone.utc).replace(tzinfo=None)
        since = updated_since.strftime("%Y-%m-%dT%H:%M:%SZ")
    return Selection(q=(q or "").strip() or None, conflict=conflict, source_side=source_side, subject_side=subject_side,
                     source_kind=source_kind, outlet=(outlet or "").strip() or None,
                     country=country.upper() if country else None, admin1=admin1, max_deaths=max_deaths,
                     updated_since=since, reviewed=reviewed)


Picked = Annotated[Selection, Depends(selection)]
