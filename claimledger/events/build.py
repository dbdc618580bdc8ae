"""Group a document's claims into events: one per real-world incident the report describes.

An incident is seeded by a sentence that describes one (a strike, a clash, a toll) and keyed by
its place and date; claims join the incident of their own sentence, else the one that shares
their place and date, else the incident under discussion (the last one seeded before them).
Background totals ("since February") join none.
"""

from __future__ import annotations

import re
from functools import partial

from claimledger.analyse.anchoring import (
    incident_dates,
    incident_places,
    inside,
    is_actor_country,
    is_country_of_name,
    is_described_reference,
    is_metonymy,
    is_town_office,
    report_date,
    title_places,
)
from claimledger.analyse.claims import INCIDENT_MEASURES, is_period_sentence
from claimledger.analyse.parties import party
from claimledger.analyse.sides import OPPOSITE, attacker_side
from claimledger.analyse.syntax import sentence_parse
from claimledger.data import pattern
from claimledger.events import notes
from claimledger.events.classify import (
    act_type,
    classify,
    dominant_weapon,
    is_incident_sentence,
    parent_type,
)
from claimledger.events.cues import idle_weapons, is_caption, is_durative, is_forecast, no_incident
from claimledger.events.dating import date_the_rest, date_the_undated, note_day, too_old
from claimledger.events.deaths import reconcile
from claimledger.events.incidents import (
    Incident,
    Told,
    attach,
    home_of,
    named_more_finely,
    refine,
    site_incident,
)
from claimledger.events.mentions import (
    habit_examples,
    incident_points,
    is_objective,
    listed,
    near_town,
    one_site,
    unknown_settlement,
)
from claimledger.records import Actor, DateSpan, Deaths, Event, Place

_NOTE_SENTENCES = 6  # up to this long, a report is a note about one event (ACLED notes, CASE snippets)
_WAR_COUNTRIES = {"UA", "RU", "BY", "MD"}  # a claimless mention elsewhere is diplomacy or background


def _is_note(doc) -> bool:
    """A short report is a note about one event by construction (ACLED notes, CASE snippets): its
    "In another attack, ..." is context, and every figure in it is that event's. So is a longer
    text with no publication date that opens on its full date ("On 5 August 2024, a mob ..."), as a
    coder's note does and a news report, which has a date of its own, does not."""
    if len(doc.sentences) <= _NOTE_SENTENCES:
        return True
    return not doc.meta.published and any(d.start < 40 and d.start_date and d.kind == "absolute" for d in doc.dates) \
        and re.match(r"\W*(?:[\w/ ]+:\s*)?on\b", doc.text, re.I) is not None


def event_component(doc) -> None:
    text = doc.text
    incidents: list[Incident] = []
    claims_by_sentence: dict[int, list] = {}
    for cand in doc.candidates:
        if cand.claim.measure in INCIDENT_MEASURES and not cand.background:
            claims_by_sentence.setdefault(cand.sentence, []).append(cand)
    counted = {doc.sentence_index(q.core_start) for q in doc.quantities}
    note = _is_note(doc)
    current: Incident | None = None
    for si, span in enumerate(doc.sentences):
        sentence = text[span.start:span.end]
        cands = claims_by_sentence.get(si, [])
        # a note is about one event by construction: its "In another attack, ..." is context
        shift = not note and pattern(
            "lexicons/incident.yaml", "topic_shift").match(sentence.lstrip()) is not None
        if shift:
            current = None  # "Meanwhile, ...": another incident, which inherits nothing from this one
        if current is not None and refine(doc, current, si, span, sentence) and not cands:
            continue
        # a deed told before a fear is read on the parse only when the sentence says where or when
        if not cands and not (is_incident_sentence(sentence) and not is_forecast(
                sentence, partial(sentence_parse, doc, si) if _anchored(doc, span) else None)) \
                or not cands and is_caption(text, span.start, span.end) \
                or not cands and idle_weapons(sentence, partial(sentence_parse, doc, si)):
            continue
        examples = None if cands or note else habit_examples(sentence)
        if not cands and examples is None and (no_incident(sentence, doc.meta.published)
                                               or (si in counted and is_period_sentence(sentence))):
            continue  # a running total ("shot down 80 drones since January") describes no incident
        start = span.start + (examples or 0)   # a habit's examples: only the towns they name
        places = _sentence_places(doc, start, span.end, current is None)
        date, reported, vague = _sentence_day(doc, span, cands, current)
        points = incident_points(doc, places)
        attacker = attacker_side(sentence)
        aftermath = pattern("lexicons/incident.yaml", "aftermath").search(sentence) is not None
        in_list = listed(text, points)
        site = site_incident(incidents, current, sentence) if not points and date is None else None
        if site is not None:
            current = site
        recalled = not note and not cands and date is None and (examples is not None or pattern(
            "lexicons/incident.yaml", "retrospective").search(sentence) is not None)
        targets = []
        for place in ((points[:1] if note else one_site(text, points)) or places[:1] or [None]):  # a note: one event
            inc = attach(incidents, current, si, place, date, bool(cands), aftermath, apart=shift or in_list,
                          inherit=not (recalled or vague))
            if inc is not None and inc not in targets:
                targets.append(inc)
                if not inc.texts and place is not None and place.precision in ("point", "admin2") \
                        and is_described_reference(text, place):
                    inc.reference = place
        if not targets:
            continue
        unknown = unknown_settlement(doc, span)
        recalled = recalled and all(not inc.texts for inc in targets)   # else it speaks of a known one
        durative = not cands and not note and examples is None and date is None and is_durative(sentence)
        told = Told(sentence, si, date, reported, vague, aftermath, attacker, unknown, recalled, durative)
        for inc in targets:
            inc.take(told)
        national = bool(places) and all(p.precision == "country" for p in places) \
            or pattern("lexicons/incident.yaml", "nationwide").search(sentence) is not None
        for cand in cands:
            home = home_of(incidents, targets, cand, si, sentence, attacker, points, split=len(cands) > 1 and not note)
            if national and (home.place is None or home.place.precision != "country"):
                continue  # "1,351 of its troops were killed in Ukraine": a national figure, not this town's toll
            home.claims.append(cand)
        if not recalled:   # a past incident recalled in passing is not the one under discussion
            current = targets[0]
    date_the_undated(doc, incidents)
    kept = _kept(doc, incidents)
    doc.events = _to_events(doc, note_day(doc, kept) if note else kept)
    _place_the_rest(doc)
    date_the_rest(doc)


def _anchored(doc, span) -> bool:
    """Whether a sentence names a place or a day of its own."""
    return any(span.start <= p.evidence.start < span.end for p in doc.places) or bool(
        incident_dates(doc, span.start, span.end))


def _sentence_places(doc, start: int, end: int, fresh: bool) -> list[Place]:
    """The places a sentence says its incident happened in; when no incident is under discussion
    yet (``fresh``), a speaker's town stands in for the town a sentence does not name."""
    text = doc.text
    places = [p for p in incident_places(doc, start, end) if not is_metonymy(text, p) and not is_objective(text, p)]
    if fresh and places and all(p.precision == "country" for p in places):
        # "Elsewhere in Ukraine, the mayor of the port city of Mykolaiv said shelling killed ...":
        # a mayor's town is where, when the sentence names no other town (not "officials in Kyiv")
        return [p for p in title_places(doc, start, end) if is_town_office(text, p)] or places
    if fresh and not places:
        return title_places(doc, start, end)
    return places


def _sentence_day(doc, span, cands: list, current: Incident | None):
    """The day a sentence gives its incident, the day its statement was made, and whether it leaves
    the day vague ("earlier this month")."""
    all_dates = incident_dates(doc, span.start, span.end)
    dates = [d for d in all_dates if d.start_date]
    vague = not dates and any(d.start_date is None for d in all_dates)
    reported = report_date(doc, span.start, span.end) if not dates else None
    if not dates and (cands or current is None):
        dates = [reported] if reported is not None else []
    own = next((c.claim.date for c in cands if c.claim.date is not None and c.claim.date.start), None)
    if own is not None:
        return DateSpan(own.text, own.start, own.end), reported, vague  # the toll's day, not the rescuers'
    date = DateSpan(dates[0].text, dates[0].start_date, dates[0].end_date) if dates else None
    return date, reported, vague


def _kept(doc, incidents: list[Incident]) -> list[Incident]:
    """The incidents that become events: recent ones with a toll and a day or a town, or a town of
    the war's countries with violence named; else the report's lede."""
    incidents = [i for i in incidents if not too_old(doc, i)]
    kept = [i for i in incidents if (i.claims and (i.date is not None or (
        i.place is not None and i.place.precision != "country"))) or (
        i.place is not None and i.place.precision != "country" and i.place.country in _WAR_COUNTRIES
        and classify(" ".join(i.texts)) is not None)]
    kept = [i for i in kept if i.claims or not (i.durative or named_more_finely(i, kept))]
    if not kept:
        lede = _lede_incident(doc)
        kept = [lede] if lede is not None and not too_old(doc, lede) else []
    return kept


def _place_the_rest(doc) -> None:
    """Claims outside any incident: national totals and money sit in the report's country, local
    figures ("people fled the city", over weeks too if no place is named) at the main event's place."""
    named = [p for p in doc.places if p.precision == "country" and not is_metonymy(doc.text, p)  # not "Poland said"
             and not is_country_of_name(doc, p) and not is_actor_country(doc.text, p)]   # nor "Britain's Johnson", "Russia fired"
    country = next((p for p in named if p.country == "UA"), None) or next(iter(named), None)
    main = doc.events[0].place if doc.events and doc.events[0].place is not None else None
    for cand in doc.candidates:
        c = cand.claim
        if c.place is not None or c.event is not None:
            continue
        fled_here = c.measure == "evacuated" and not any(c.evidence.start <= p.evidence.start < c.evidence.end
                                                         for p in doc.places)
        national = (cand.background and not fled_here) or c.measure in ("territory", "money") \
            or pattern("lexicons/incident.yaml", "nationwide").search(c.evidence.text) or re.search(
            r"\b(?:ukrainians|russians|troops|servicem[ae]n|service members|servicemembers|soldiers)\b",
            c.subject.text or "", re.I)
        c.place = cand.pointed or (country if national else (main or country))


def _lede_incident(doc) -> Incident | None:
    """A short report with no incident words is still a report of something (an ACLED note about a
    march, a monitor's count of shots): its first sentence with a place is the event. A long article
    without any (sport, markets, politics) is not an event report at all."""
    if not _is_note(doc):
        return None
    if all(no_incident(doc.text[sp.start:sp.end], None, history=False) for sp in doc.sentences):
        return None
    for si, span in enumerate(doc.sentences[:3]):
        places = incident_places(doc, span.start, span.end)
        if not places or no_incident(doc.text[span.start:span.end], None, history=False):
            continue
        dates = [d for d in incident_dates(doc, 0, span.end) if d.start_date] or _reported(doc, span.end)
        date = DateSpan(dates[0].text, dates[0].start_date, dates[0].end_date) if dates else None
        inc = Incident(si, places[0], date)
        # the note is one event: its later sentences ("A woman was killed by a stray bullet") are this event's
        inc.texts.extend(doc.text[sp.start:sp.end] for sp in [span] + [sp for sj, sp in enumerate(doc.sentences) if sj != si])
        inc.claims = _note_claims(doc)
        return inc
    if doc.sentences and (classify(doc.text) is not None or _note_claims(doc) or notes.singular_victims(doc.text)):
        # a short snippet naming no place we know ("Police fired tear gas at protesters") is still one event
        dates = [d for d in incident_dates(doc, 0, len(doc.text)) if d.start_date] or _reported(doc, len(doc.text))
        inc = Incident(0, None, DateSpan(dates[0].text, dates[0].start_date, dates[0].end_date) if dates else None)
        inc.texts.append(doc.text)
        inc.claims = _note_claims(doc)
        return inc
    return None


def _to_events(doc, incidents: list[Incident]) -> list[Event]:
    events = []
    note = _is_note(doc)
    # a short note describes its events as a whole: its later sentences ("No information on
    # whether fighting took place", "Three civilians were killed") speak of each town it names
    short = len(doc.sentences) <= 4
    for inc in incidents:
        _situate_claims(inc)
        sub_type = (classify(doc.text) if short else None) or act_type(inc.texts, one_event=note)
        if sub_type is None and not (note and not doc.meta.published):
            # no act of violence, protest or arrest named ("In 24 hours, 34 civilians were killed in the
            # region", a dated news brief unlike a coder's undated note): no incident; claims stay claims
            continue
        if not note and (inc.place is None or inc.place.precision == "country"):
            # "shelling over the past 24 hours killed 16 civilians" across a country: a tally with no
            # place of one incident (ACLED codes an event at a location); its claims keep its day
            continue
        sub_type = dominant_weapon(sub_type or "Other", " ".join(inc.texts))
        eid = f"{doc.meta.id}:e{len(events) + 1}"
        deaths = _deaths(doc, inc, main=not events)
        attacker = inc.attacker
        target = OPPOSITE.get(attacker) if attacker else None
        for c in inc.claims:
            c.claim.event = eid
        events.append(Event(
            id=eid, type=sub_type, event_type=parent_type(sub_type), date=inc.date,
            place=near_town(doc.text, inc.place),
            initiator=Actor(_forces(attacker), attacker) if attacker else None,
            target=Actor(_forces(target), target) if target else None,
            deaths=deaths, claims=[c.claim.id for c in inc.claims]))
    return events


def _situate_claims(inc: Incident) -> None:
    """A claim its sentence leaves undated or placed only loosely takes its incident's day and town."""
    for c in inc.claims:
        if inc.date is not None and c.claim.date is not None and c.claim.date.start != inc.date.start \
                and pattern("lexicons/incident.yaml", "aftermath").search(c.claim.evidence.text):
            c.claim.date = None  # the day of the rescue work or the update, not of the incident
        if c.claim.date is None and inc.date is not None or (
                inc.restated is not None and c.claim.date is not None and c.claim.date.start == inc.restated.start):
            c.claim.date = DateSpan(inc.date.text, inc.date.start, inc.date.end)
        own = c.claim.place
        if inc.reference is not None and not inc.awaits_name and own is not None \
                and own.geonameid == inc.reference.geonameid:
            own = c.claim.place = inc.place   # the settlement named after the place that located it
        if inc.place is not None and (own is None or (own.precision in ("admin1", "country")
                                                      and (inc.place.precision in ("point", "admin2")
                                                           or (inc.place.unresolved and not own.unresolved))
                                                      and inside(inc.place, own))):
            c.claim.place = inc.place   # the incident's town, or the unknown village in the region it names


def _deaths(doc, inc: Incident, main: bool) -> Deaths | None:
    """The incident's killed claims reconciled, with the note conventions of ACLED-style reports."""
    killed = [(c.claim, c.reading.subcount, c.reading.additive) for c in inc.claims]
    text = doc.text
    own = notes.this_event(text)
    if own is not None:
        return Deaths(own, own, own) if main else None  # "coded as 2 for this event": the row's figure
    if main:
        share = notes.split_share(text)
        if share is not None:
            return Deaths(share, share, share)
    lede = text[doc.sentences[0].start:doc.sentences[0].end] if doc.sentences else ""
    if notes.coded_elsewhere(text, lede):
        return None
    deaths = reconcile(killed, note=_is_note(doc))
    coded = notes.coded_as(text)
    if coded is not None and not main:
        return None  # "Dozens of fatalities coded as 12": the note's figure is its main event's
    if main:
        if coded is not None:
            n, additional = coded
            base = deaths.low if (deaths and additional) else 0
            return Deaths(base + n, base + n, max(base + n, deaths.high if deaths else 0))
    if all(c.claim.source.kind == "unattributed" for c in inc.claims):
        counted = {c.claim.evidence.text for c in inc.claims if c.claim.measure == "killed"}
        singles = notes.singular_victims(" ".join(t for t in inc.texts if t not in counted), deaths.low if deaths else 0)
        if singles:
            low = (deaths.low if deaths else 0) + singles
            deaths = Deaths(low, low, max(low, deaths.high if deaths else 0))
    if main and deaths is not None:
        share = notes.toll_share(text, deaths.low)
        if share is not None:
            return Deaths(share, share, max(share, deaths.high))  # "78 fighters were killed. Fatalities split between 2 events"
    return deaths


def _reported(doc, end: int) -> list:
    """A note's "As reported on 2 May 2020, ..." is its event's day when it gives no other."""
    return [d for d in doc.dates if d.start < end and d.start_date]


def _note_claims(doc) -> list:
    """A short note is one event: its incident claims ("5 militants were killed.") are that event's,
    even when the sentence that holds them names no place or day of its own."""
    return [c for c in doc.candidates if c.claim.measure in INCIDENT_MEASURES and not c.background]


def _forces(side: str | None) -> str | None:
    p = party(side)  # the conflict registry's display name: "Russian forces", "Rapid Support Forces"
    return p.name if p else None
