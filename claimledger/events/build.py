"""Group a document's claims into events: one per real-world incident the report describes.

An incident is seeded by a sentence that describes one (a strike, a clash, a toll) and keyed by
its place and date; claims join the incident of their own sentence, else the one that shares
their place and date, else the incident under discussion (the last one seeded before them).
Background totals ("since February") join none.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from claimledger.analyse.claims import INCIDENT_MEASURES
from claimledger.analyse.sides import OPPOSITE, attacker_side
from claimledger.events.classify import classify, is_incident_sentence, parent_type
from claimledger.events.deaths import reconcile, split_rule
from claimledger.records import Actor, DateSpan, Event, Place

_FUTURE = re.compile(r"\b(?:will|would|could|might|may|plans? to|threaten\w*|warn\w*|if)\b", re.I)


@dataclass
class _Incident:
    sentence: int
    place: Place | None
    date: DateSpan | None
    texts: list[str] = field(default_factory=list)
    claims: list = field(default_factory=list)   # Candidates
    attacker: str | None = None


def _km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None:
        return 1e9
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a.precision == "country" or b.precision == "country":
        return a.country == b.country and a.precision == b.precision
    return (a.geonameid is not None and a.geonameid == b.geonameid) or _km(a, b) <= 25


def _same_date(a: DateSpan | None, b: DateSpan | None) -> bool:
    sa, sb = (a.start if a else None), (b.start if b else None)
    return sa is None or sb is None or sa == sb


def _sentence_place(doc, span) -> Place | None:
    inside = [p for p in doc.places if span.start <= p.evidence.start < span.end]
    points = [p for p in inside if p.precision in ("point", "admin2")]
    regions = [p for p in inside if p.precision == "admin1"]
    return (points or regions or [None])[0]


def _sentence_date(doc, span) -> DateSpan | None:
    for d in doc.dates:
        if span.start <= d.start < span.end and d.start_date:
            return DateSpan(d.text, d.start_date, d.end_date)
    return None


def event_component(doc) -> None:
    text = doc.text
    incidents: list[_Incident] = []
    claims_by_sentence: dict[int, list] = {}
    for cand in doc.candidates:
        if cand.claim.measure in INCIDENT_MEASURES and not cand.background:
            claims_by_sentence.setdefault(cand.sentence, []).append(cand)
    current: _Incident | None = None
    for si, span in enumerate(doc.sentences):
        sentence = text[span.start:span.end]
        cands = claims_by_sentence.get(si, [])
        if not cands and not (is_incident_sentence(sentence) and not _FUTURE.search(sentence)):
            continue
        place = _sentence_place(doc, span)
        date = _sentence_date(doc, span)
        target = None
        if place is not None or date is not None:
            for inc in incidents:
                if (place is None or inc.place is None or _same_place(inc.place, place)) and _same_date(inc.date, date) \
                        and (place is not None and inc.place is not None or inc is current):
                    target = inc
                    break
        if target is None and place is None and current is not None:
            target = current
        if target is None:
            if place is None and not cands:
                continue
            if place is None and date is None and current is None and not cands:
                continue
            target = _Incident(si, place, date)
            incidents.append(target)
        if target.place is None and place is not None:
            target.place = place
        if target.date is None and date is not None:
            target.date = date
        target.texts.append(sentence)
        target.attacker = target.attacker or attacker_side(sentence)
        target.claims.extend(cands)
        current = target
    doc.events = _to_events(doc, [i for i in incidents if i.place is not None or i.claims])


def _to_events(doc, incidents: list[_Incident]) -> list[Event]:
    events = []
    split = split_rule(doc.text)
    # the main event first: the incident reported earliest (the lede), ties to the one with most claims
    for n, inc in enumerate(incidents, 1):
        sub_type = classify(" ".join(inc.texts[:2])) or classify(" ".join(inc.texts)) or "Other"
        eid = f"{doc.meta.id}:e{n}"
        killed = [(c.claim, c.reading.subcount, c.reading.additive) for c in inc.claims]
        deaths = reconcile(killed, split if n == 1 else None) if killed or (split and n == 1) else None
        attacker = inc.attacker
        target = OPPOSITE.get(attacker) if attacker else None
        for c in inc.claims:
            c.claim.event = eid
            if c.claim.date is None and inc.date is not None:
                c.claim.date = DateSpan(inc.date.text, inc.date.start, inc.date.end)
            if c.claim.place is None and inc.place is not None:
                c.claim.place = inc.place
        events.append(Event(
            id=eid, type=sub_type, event_type=parent_type(sub_type), date=inc.date, place=inc.place,
            initiator=Actor(_forces(attacker), attacker) if attacker else None,
            target=Actor(_forces(target), target) if target else None,
            deaths=deaths, claims=[c.claim.id for c in inc.claims]))
    return events


def _forces(side: str | None) -> str | None:
    return {"russia": "Russian forces", "ukraine": "Ukrainian forces"}.get(side or "")
