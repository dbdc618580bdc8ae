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
from typing import Annotated, Any

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
    frequent first (events; claims for source kinds and sides)."""

    types: list[tuple[str, int]]
    countries: list[tuple[str, int]]
    admin1: list[tuple[str, int]]
    outlets: list[tuple[str, int]]
    source_kinds: list[tuple[str, int]]
    source_sides: list[tuple[str, int]]
    initiators: list[tuple[str, int]]
    targets: list[tuple[str, int]]
    conflicts: list[tuple[str, int]]


class EventClaim(BaseModel):
    claim: Claim  # type: ignore[valid-type]
    doc: str = Field(description="id of the document the claim was read from")


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
