"""Query and path parameters and error responses shared by several routers (one spelling each)."""

from __future__ import annotations

from typing import Literal

from fastapi import Path as PathParam
from fastapi import Query

from claimledger.analyse.parties import side_values
from claimledger.outputs.api import models as m

# any party id of the conflict registry (russia, israel, hamas, saf, rsf...), third_party or unknown
Side = Literal[tuple(side_values())]  # type: ignore[valid-type]
ERRORS = {404: {"model": m.Error}, 422: {"model": m.Error}, 503: {"model": m.Error}}

since_q = Query(description="events starting on or after this date (YYYY-MM-DD)")
until_q = Query(description="events starting on or before this date (YYYY-MM-DD)")
bbox_q = Query(description="min_lon,min_lat,max_lon,max_lat", max_length=200, examples=["22,44,41,53"])
type_q = Query(alias="type", description="ACLED sub-event type; repeat for several", max_length=100)
side_q = Query(description="initiator or target side: a party id of the conflict registry, third_party or unknown")
deaths_q = Query(ge=0, le=10**9, description="minimum reconciled best deaths")
limit_q = Query(ge=1, le=1000)
offset_q = Query(ge=0, le=10**9)
id_path = PathParam(min_length=1, max_length=200)
