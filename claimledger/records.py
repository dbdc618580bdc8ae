"""Typed records of the contract in ``shared/spec/claims-schema.md``.

Every stage passes these dataclasses around; only :mod:`claimledger.serialise` turns them into
JSON, so the field order and spelling of the contract live in one place (here).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# A side is a party id of the conflict registry (data/conflicts/*.yaml, listed by
# analyse.parties.side_values()), or third_party / unknown. These four were the only values before
# the registry and stay valid; records stay free of the registry so that they import nothing.
SIDES = ("russia", "ukraine", "third_party", "unknown")
SOURCE_KINDS = ("government", "military", "official", "person", "media", "ngo", "intl_org",
                "social_media", "unattributed")
STANCES = ("asserted", "confirmed", "denied", "disputed", "unconfirmed")
MEASURES = ("killed", "wounded", "casualties", "missing", "captured", "evacuated", "fired", "hit",
            "intercepted", "destroyed", "damaged", "destroyed_or_damaged", "explosions", "territory", "money")
CATEGORIES = ("military", "civilians", "mercenaries", "people", "equipment", "drones", "missiles", "aircraft",
              "buildings", "territory", "money", "other")
PRECISIONS = ("point", "admin2", "admin1", "country")


def doc_id(text: str) -> str:
    """A document's identity: a hash of its cleaned body, so one text is one document whatever id
    or file name it arrives under (the caller's id is kept as a label, ``source_id``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One input report, before cleaning. ``origin`` names where it came from for error messages."""

    text: str
    id: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str = "en"
    origin: str = "<input>"
    title_in_text: bool = False  # a .txt file whose first line may be the title


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Evidence:
    text: str
    start: int
    end: int


@dataclass
class Source:
    mention: str | None
    name: str | None
    kind: str = "unattributed"
    side: str = "unknown"


@dataclass
class Quantity:
    text: str
    value: float | None
    min: float | None
    max: float | None
    approximate: bool = False


@dataclass
class Subject:
    text: str | None
    category: str = "other"
    side: str = "unknown"


@dataclass
class DateSpan:
    text: str | None
    start: str | None
    end: str | None


@dataclass
class Place:
    """A place mention. ``unresolved`` marks a settlement the text names ("the village of X", "X,
    Kharkiv") that no gazetteer entry resolves: ``mention``/``name`` keep its text, ``geonameid`` is
    None, and country/admin1/precision/coordinates are those of the best known area around it (an
    oblast or raion named with it or in its sentence), never of another town. Written
    only when true (``serialise.OMIT_WHEN_DEFAULT``), so a resolved place's JSON is unchanged."""

    mention: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    precision: str = "point"
    evidence: Span = field(default_factory=lambda: Span(0, 0))
    unresolved: bool = False


@dataclass
class Actor:
    name: str | None
    side: str = "unknown"


@dataclass
class Deaths:
    low: int | None
    best: int | None
    high: int | None
    reasoning: list[str] | None = None


@dataclass
class Claim:
    id: str
    evidence: Evidence
    source: Source
    stance: str
    measure: str
    quantity: Quantity
    subject: Subject
    unit: str | None = None
    date: DateSpan | None = None
    place: Place | None = None
    event: str | None = None
    conflict: str | None = None   # registry conflict id, or None when the report is about no known war


@dataclass
class Event:
    id: str
    type: str
    event_type: str
    date: DateSpan | None
    place: Place | None
    initiator: Actor | None
    target: Actor | None
    deaths: Deaths | None
    claims: list[str] = field(default_factory=list)
    conflict: str | None = None   # registry conflict id, or None


@dataclass
class DocMeta:
    id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str = "en"
    dateline: str | None = None


@dataclass
class DocResult:
    """What ``claimledger extract`` prints for one document."""

    doc: DocMeta
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


@dataclass
class Revision:
    source: str
    measure: str
    from_: float | None
    to: float | None
    doc: str


@dataclass
class LedgerEvent:
    id: str
    type: str
    event_type: str
    date: DateSpan | None
    place: Place | None
    initiator: Actor | None
    target: Actor | None
    deaths: Deaths | None
    documents: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    wounded: Deaths | None = None
    conflict: str | None = None   # registry conflict id: the members' most common, or None
