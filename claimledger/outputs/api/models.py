"""Pydantic response models generated from :mod:`claimledger.records`, not written twice.

The exports and the API must agree on every field, so the record dataclasses stay the single
definition: :func:`model_for` walks a dataclass's fields and type hints and builds a Pydantic
model with the same names, the same optionality and the wire spellings of
:mod:`claimledger.serialise` (``Revision.from_`` is ``from``). Responses are produced with
:func:`claimledger.serialise.to_dict` and validated against these models on the way out, so a
record that drifted from its schema fails loudly in tests instead of reaching a client.

Only the envelopes (pages, the event detail bundle, errors) are API-specific and written here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, create_model

from claimledger import records
from claimledger.serialise import WIRE_NAMES


def _whole(value: Any) -> Any:
    # serialise.to_dict writes 63, not 63.0; Pydantic's float would undo that on the way out.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


Number = Annotated[float, PlainSerializer(_whole, return_type=Any), WithJsonSchema({"type": "number"})]


def _field_type(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = tuple(_field_type(a) for a in typing.get_args(tp))
        out = args[0]
        for a in args[1:]:
            out = out | a
        return out
    if origin is list:
        (inner,) = typing.get_args(tp)
        return list[_field_type(inner)]
    if tp is float:
        return Number
    if dataclasses.is_dataclass(tp):
        return model_for(tp)
    return tp


@cache
def model_for(cls: type) -> type[BaseModel]:
    """The Pydantic twin of a record dataclass (cached: one model class per record)."""
    hints = typing.get_type_hints(cls, vars(records))
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        tp = _field_type(hints[f.name])
        spec: dict[str, Any] = {}
        if f.default is not dataclasses.MISSING:
            spec["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            spec["default_factory"] = f.default_factory
        if f.name in WIRE_NAMES:
            spec["alias"] = WIRE_NAMES[f.name]
        default = Field(**spec)
        fields[f.name] = (tp, default)
    doc = (cls.__doc__ or "").strip()
    if doc.startswith(cls.__name__ + "("):  # dataclass's generated signature says nothing to an API reader
        doc = f"The {cls.__name__} record of the claim schema (shared/spec/claims-schema.md)."
    return create_model(cls.__name__, __config__=ConfigDict(populate_by_name=True), __doc__=doc, **fields)


LedgerEvent = model_for(records.LedgerEvent)
Claim = model_for(records.Claim)
DocMeta = model_for(records.DocMeta)
Place = model_for(records.Place)
Source = model_for(records.Source)


class Error(BaseModel):
    """Every failure, whatever its status: a message a person can act on, never a traceback."""

    error: str
    status: int
    detail: list[dict[str, Any]] | None = None


class EventPage(BaseModel):
    total: int = Field(description="events matching the filters, over all pages")
    limit: int
    offset: int
    items: list[LedgerEvent]  # type: ignore[valid-type]


class ClaimPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Claim]  # type: ignore[valid-type]
    events: list[str | None] = Field(default_factory=list, description="each item's ledger event id, in order")
    documents: dict[str, DocMeta] = Field(default_factory=dict,  # type: ignore[valid-type]
                                          description="the items' reports, by document id")


class Facets(BaseModel):
    """The values each filter of the page can take in this ledger, as [value, count] pairs, most
    frequent first (events; claims for source kinds, source sides and subject sides)."""

    types: list[tuple[str, int]]
    countries: list[tuple[str, int]]
    admin1: list[tuple[str, int]]
    outlets: list[tuple[str, int]]
    source_kinds: list[tuple[str, int]]
    source_sides: list[tuple[str, int]]
    subject_sides: list[tuple[str, int]]   # whose losses the claims count
    initiators: list[tuple[str, int]]
    targets: list[tuple[str, int]]
    conflicts: list[tuple[str, int]]


class EventClaim(BaseModel):
    claim: Claim  # type: ignore[valid-type]
    doc: str = Field(description="id of the document the claim was read from")
    review_status: Literal["rejected", "corrected", "moved"] | None = Field(
        None, description="what active reviews did to the claim (docs/reviews.md)")
    reviewed: Claim | None = Field(None, description="the claim with its corrected values, when corrected")  # type: ignore[valid-type]


class SourceSummary(BaseModel):
    """One source as it speaks about this event: who, which side, and which claims are theirs."""

    name: str | None
    kind: str
    side: str
    claims: list[str]


class EventDetail(BaseModel):
    event: LedgerEvent  # type: ignore[valid-type]
    claims: list[EventClaim]
    documents: list[DocMeta]  # type: ignore[valid-type]
    sources: list[SourceSummary]
    reviews: list[Review] = Field(default_factory=list, description="reviews of this event and its claims")


class Document(BaseModel):
    doc: DocMeta  # type: ignore[valid-type]
    text: str | None = Field(description="the cleaned body that claim evidence offsets index (null if not stored)")


class PlaceCount(BaseModel):
    place: Place  # type: ignore[valid-type]
    events: int


class MapPoint(BaseModel):
    """One ledger event reduced to what the map and the timeline draw (10,000 of these load at once)."""

    id: str
    lat: float | None
    lon: float | None
    date: str | None = Field(description="start date, YYYY-MM-DD")
    end: str | None = Field(description="end date, YYYY-MM-DD")
    type: str
    deaths: int | None = Field(description="reconciled best deaths estimate")
    high: int | None = Field(description="reconciled high deaths estimate")
    initiator: str | None = Field(description="initiator side")
    target: str | None = Field(description="target side")
    place: str | None = Field(description="place name")


class MapData(BaseModel):
    total: int
    items: list[MapPoint]


class Summary(BaseModel):
    """Counts over the whole ledger; extra keys from the store (by type, by side...) are passed on."""

    model_config = ConfigDict(extra="allow")

    documents: int = 0
    claims: int = 0
    events: int = 0
    failures: int = 0
    first_date: str | None = None
    last_date: str | None = None


class Config(BaseModel):
    writes: bool = Field(description="whether POST /api/documents is enabled (a token is configured)")
    tiles: str | None = Field(description="tile URL template for a background map, or null for the offline map")
    version: str


class Health(BaseModel):
    status: str
    ledger: str


class IngestResult(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc: DocMeta  # type: ignore[valid-type]
    claims: int
    events: int = Field(description="events extracted from the document")
    warnings: list[str] = []
    report: dict[str, Any] | None = Field(None, description="what the store changed (ledger events touched, ...)")


# ---------------------------------------------------------------------- reviews (docs/reviews.md)

ReviewAction = Literal["reject", "set", "move", "accept", "split", "merge"]


class ReviewAnchor(BaseModel):
    """Where a claim review points: the document's text identity and the evidence span."""

    document: str = Field(description="the document's text hash (its id when stored without a body)")
    start: int
    end: int
    evidence: str
    measure: str
    quantity: str


class ReviewEventAnchor(BaseModel):
    """One report's part of a reviewed ledger event: its document, event ordinal and claim spans."""

    document: str
    ordinal: int
    spans: list[list[int]]


class Review(BaseModel):
    """An analyst's review: who, when, why, the values set and the values they replaced."""

    id: int
    action: ReviewAction
    reason: str
    by: str | None
    at: str = Field(description="when, UTC ISO 8601")
    claim: str | None = Field(description="the claim's id when reviewed")
    event: str | None = Field(description="the ledger event's id when reviewed")
    fields: dict[str, Any] = Field(description="set: the corrected values; move: to; split: documents; merge: events")
    replaced: dict[str, Any] = Field(description="the values the review replaced")
    anchor: ReviewAnchor | None
    targets: list[list[ReviewEventAnchor]]
    undone_at: str | None
    undone_by: str | None
    status: Literal["active", "undone", "orphaned"]
    now_claim: str | None = Field(description="the claim the anchor finds in the ledger now (null: orphaned)")
    now_event: str | None = Field(description="the ledger event it is in now")


class ReviewPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Review]


class ReviewResult(BaseModel):
    review: Review
    events: list[LedgerEvent] = Field(description="the ledger events reconciled again, as they are now")  # type: ignore[valid-type]
    gone: list[str] = Field(description="ledger event ids that no longer exist (merged or split away)")


class _ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, description="why: shown in the reasoning and history")
    by: str | None = Field(None, max_length=200, description="who reviews")


class ClaimReviewRequest(_ReviewBody):
    """Reject, correct (set), move or accept one claim. ``set`` takes at least one value; ``value`` or
    ``min``/``max``, not both. ``move`` takes ``to``; ``accept`` (checked and right) changes nothing."""

    action: Literal["reject", "set", "move", "accept"]
    source: str | None = Field(None, max_length=200)
    kind: Literal[records.SOURCE_KINDS] | None = None  # type: ignore[valid-type]
    side: str | None = Field(None, max_length=40, description="a party id of the conflict registry, third_party or unknown")
    measure: Literal[records.MEASURES] | None = None  # type: ignore[valid-type]
    value: float | None = Field(None, ge=0, le=1e12)
    min: float | None = Field(None, ge=0, le=1e12)
    max: float | None = Field(None, ge=0, le=1e12)
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    place: str | None = Field(None, max_length=200, description="a place name the gazetteer knows")
    to: str | None = Field(None, max_length=200, description="move: the ledger event to move the claim to")


class EventReviewRequest(_ReviewBody):
    """Move a claim into this event, split this event, or merge other events into it."""

    action: Literal["move", "split", "merge"]
    claim: str | None = Field(None, max_length=200, description="move: the claim to bring into this event")
    documents: list[str] | None = Field(None, max_length=500, description="split: reports to take out together "
                                                                          "(omitted: every report its own event)")
    events: list[str] | None = Field(None, max_length=100, description="merge: the other events to merge into this one")


EventDetail.model_rebuild()
