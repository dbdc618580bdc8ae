"""Build DocResult records for ledger tests without running the extractor.

Articles, sources and numbers here are invented; place coordinates are rounded public gazetteer
points so that distance rules behave as with real extraction output.
"""

from __future__ import annotations

import hashlib

from claimledger.records import (
    Actor,
    Claim,
    DateSpan,
    DocMeta,
    DocResult,
    Event,
    Evidence,
    Place,
    Quantity,
    Source,
    Span,
    Subject,
)

PLACES = {
    # name: (lat, lon, admin1, precision)
    "Kramatorsk": (48.72, 37.56, "Donetsk", "point"),
    "Sloviansk": (48.85, 37.60, "Donetsk", "point"),
    "Mariupol": (47.10, 37.55, "Donetsk", "point"),
    "Chasiv Yar": (48.59, 37.84, "Donetsk", "point"),
    "Makiivka": (48.04, 37.96, "Donetsk", "point"),
    "Donetsk": (48.02, 37.80, "Donetsk", "point"),
    "Donetsk Oblast": (48.00, 37.80, "Donetsk", "admin1"),
    "Kharkiv": (49.99, 36.23, "Kharkiv", "point"),
    "Kyiv": (50.45, 30.52, "Kyiv City", "point"),
    "Odesa": (46.48, 30.73, "Odesa", "point"),
    "Kremenchuk": (49.07, 33.42, "Poltava", "point"),
    "Mykolaiv": (46.97, 31.99, "Mykolaiv", "point"),
    "Ukraine": (49.0, 32.0, None, "country"),
}

FAMILY = {
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Armed clash": "Battles",
    "Peaceful protest": "Protests",
    "Attack": "Violence against civilians",
}


def place(name: str | None) -> Place | None:
    if name is None:
        return None
    lat, lon, admin1, precision = PLACES[name]
    return Place(mention=name, name=name, geonameid=None, lat=lat, lon=lon,
                 country="UA", admin1=admin1, precision=precision, evidence=Span(0, 0))


def doc_id(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def quantity(text: str, value=None, min=None, max=None, approximate=False) -> Quantity:  # noqa: A002
    return Quantity(text=text, value=value, min=min, max=max, approximate=approximate)


def num(n: int, text: str | None = None, at_least: bool = False) -> Quantity:
    return Quantity(text=text or str(n), value=n, min=n, max=None if at_least else n)


class Doc:
    """A fluent builder: ``Doc("abc", "2022-04-08").event(...).claim(...).build()``."""

    def __init__(self, name: str, published: str | None, outlet: str | None = None, title: str | None = None):
        self.id = doc_id(name)
        self.meta = DocMeta(id=self.id, title=title, outlet=outlet or name, published=published)
        self.claims: list[Claim] = []
        self.events: list[Event] = []
        self.body_parts: list[str] = []

    @property
    def body(self) -> str:
        # the report's own id at the end: a ledger knows a document by its text, and two invented
        # reports quoting the same sentences are still two reports
        return "".join(self.body_parts) + f"(report {self.id})"

    def _text(self, text: str) -> Evidence:
        start = len("".join(self.body_parts))
        self.body_parts.append(text + " ")
        return Evidence(text=text, start=start, end=start + len(text))

    def event(self, type: str = "Shelling/artillery/missile attack", date: str | None = None,  # noqa: A002
              place_name: str | None = None, initiator: str | None = "russia", target: str | None = "ukraine"
              ) -> Doc:
        eid = f"{self.id}:e{len(self.events)}"
        self.events.append(Event(
            id=eid, type=type, event_type=FAMILY.get(type, "Explosions/Remote violence"),
            date=DateSpan(text=date, start=date, end=date) if date else None, place=place(place_name),
            initiator=Actor(f"{initiator} forces", initiator) if initiator else None,
            target=Actor(f"{target} forces", target) if target else None, deaths=None, claims=[]))
        return self

    def claim(self, text: str, q: Quantity, measure: str = "killed", source: str | None = None,
              kind: str = "official", side: str = "unknown", subject: str = "people", subject_cat: str = "people",
              subject_side: str = "ukraine", stance: str = "asserted", date: str | None = None,
              place_name: str | None = None, event: int | None = 0) -> Doc:
        """A claim whose evidence ``text`` is appended to the body; linked to event ``event``."""
        cid = f"{self.id}:{len(self.claims)}"
        if source is None:
            kind = "unattributed"
        c = Claim(id=cid, evidence=self._text(text), source=Source(source, source, kind, side),
                  stance=stance, measure=measure, quantity=q, subject=Subject(subject, subject_cat, subject_side),
                  date=DateSpan(text=date, start=date, end=date) if date else None, place=place(place_name),
                  event=self.events[event].id if event is not None else None)
        self.claims.append(c)
        if event is not None:
            self.events[event].claims.append(cid)
        return self

    def build(self) -> DocResult:
        return DocResult(doc=self.meta, claims=list(self.claims), events=list(self.events), places=[])


_TOWNS = [name for name, (*_, precision) in PLACES.items() if precision == "point"]


def random_doc(rng, name: str) -> Doc:
    """A report of one random event in May 2022 (a clash or shelling at a random town, 1-8 killed):
    the change-log tests ingest many, so that some land on the day and town of another and merge."""
    day = f"2022-05-{rng.randrange(1, 15):02d}"
    d = Doc(name, day).event(type=rng.choice(["Armed clash", "Shelling/artillery/missile attack"]), date=day,
                             place_name=rng.choice(_TOWNS), initiator=rng.choice(["russia", "ukraine"]))
    d.claim(f"{rng.randrange(1, 9)} people were killed", num(rng.randrange(1, 9)))
    return d


def ingest_random(store, rng, prefix: str, n: int) -> None:
    """``n`` random reports (``random_doc``) into ``store``."""
    for i in range(n):
        d = random_doc(rng, f"{prefix}-{i}")
        store.ingest(d.build(), body=d.body)
