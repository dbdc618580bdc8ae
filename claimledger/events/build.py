"""Group a document's claims into events: one per real-world incident the report describes.

An incident is seeded by a sentence that describes one (a strike, a clash, a toll) and keyed by
its place and date; claims join the incident of their own sentence, else the one that shares
their place and date, else the incident under discussion (the last one seeded before them).
Background totals ("since February") join none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from claimledger.analyse.anchoring import (
    incident_dates,
    incident_places,
    inside,
    is_actor_country,
    is_country_of_name,
    is_described_reference,
    is_metonymy,
    is_reference_point,
    is_town_office,
    report_date,
    title_places,
)
from claimledger.analyse.claims import INCIDENT_MEASURES, is_period_sentence
from claimledger.analyse.parties import party
from claimledger.analyse.sides import OPPOSITE, attacker_side
from claimledger.analyse.syntax import sentence_parse
from claimledger.data import pattern, setting
from claimledger.days import as_day
from claimledger.events import notes
from claimledger.events.classify import (
    act_type,
    classify,
    dominant_weapon,
    is_incident_sentence,
    parent_type,
)
from claimledger.events.cues import is_caption, is_durative, is_forecast, no_incident
from claimledger.events.dating import date_the_rest, date_the_undated, note_day, too_old
from claimledger.events.deaths import reconcile
from claimledger.events.mentions import (
    habit_examples,
    incident_points,
    is_objective,
    listed,
    near_town,
    one_site,
    site_nouns,
    unknown_settlement,
)
from claimledger.geo import km
from claimledger.records import Actor, DateSpan, Deaths, Event, Place

_NOTE_SENTENCES = 6  # up to this long, a report is a note about one event (ACLED notes, CASE snippets)
_WAR_COUNTRIES = {"UA", "RU", "BY", "MD"}  # a claimless mention elsewhere is diplomacy or background


@dataclass
class _Incident:
    sentence: int
    place: Place | None
    date: DateSpan | None
    texts: list[str] = field(default_factory=list)
    claims: list = field(default_factory=list)   # Candidates
    attacker: str | None = None
    undated: bool = False
    stated: DateSpan | None = None   # the day a statement about it was made, when it has no day of its own
    unresolved: bool = False         # its report names a settlement the gazetteer does not know
    durative: bool = False           # seeded by a stretch of violence ("for weeks"): no event without a claim
    reference: Place | None = None   # its place only locates a settlement not yet named ("a town near Odesa")
    said_only: bool = False          # dated only by the day its statement was made ("officials said Sunday")
    restated: DateSpan | None = None  # that statement's day, once a later sentence gave the incident's own


def _is_note(doc) -> bool:
    """A short report is a note about one event by construction (ACLED notes, CASE snippets): its
    "In another attack, ..." is context, and every figure in it is that event's. So is a longer
    text with no publication date that opens on its full date ("On 5 August 2024, a mob ..."), as a
    coder's note does and a news report, which has a date of its own, does not."""
    if len(doc.sentences) <= _NOTE_SENTENCES:
        return True
    return not doc.meta.published and any(d.start < 40 and d.start_date and d.kind == "absolute" for d in doc.dates) \
        and re.match(r"\W*(?:[\w/ ]+:\s*)?on\b", doc.text, re.I) is not None


def _km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None:
        return 1e9
    return km(a.lat, a.lon, b.lat, b.lon)


def _same_place(a: Place | None, b: Place | None, apart: bool = False) -> bool:
    """Within 25 km, the tolerance for one town resolved or described two ways; ``apart`` when the
    report itself sets two settlements apart ("the cities of Sloviansk and Toretsk", "Separately,
    ... in Pryvillia"): differently named towns are then two places even when neighbours."""
    if a is None or b is None:
        return a is None and b is None
    if a.precision == "country" or b.precision == "country":
        return a.country == b.country and a.precision == b.precision
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if apart and a.precision == b.precision == "point" and a.name != b.name:
        return _km(a, b) <= setting("lexicons/incident.yaml", "limits.distinct_towns_km")
    return _km(a, b) <= setting("lexicons/incident.yaml", "limits.same_town_km")


def _same_date(a: DateSpan | None, b: DateSpan | None) -> bool:
    sa, sb = (a.start if a else None), (b.start if b else None)
    return sa is None or sb is None or sa == sb


def _attach(incidents: list[_Incident], current: _Incident | None, si: int, place: Place | None,
            date: DateSpan | None, has_claims: bool, aftermath: bool = False, apart: bool = False,
            inherit: bool = True) -> _Incident | None:
    """The incident a sentence speaks of: same town and day as a known one, else the one under
    discussion when the sentence names no town, else a new one. Rescue work and toll updates
    ("nine wounded people were rescued ... earlier in the day") belong to the incident at their
    town whatever day they name; a new incident the sentence leaves undated happened when the
    one under discussion did (a report's breakdown of a toll continues its period). A list of towns
    inside the region under discussion names new incidents, never the region's own town. A past
    incident the sentence recalls ("the bombing of a theatre in Mariupol") or dates only vaguely
    ("attacks on a theater in Mariupol in March") does not ``inherit``."""
    def same_day(inc: _Incident) -> bool:
        # an incident its report leaves undated ("earlier this month") takes no dated sentence
        return _same_date(inc.date, date) and not (inc.undated and date is not None)

    def new(place_: Place | None) -> _Incident:
        # a tally's window ("over 24 hours") continues into its breakdown (a town inside the tally's
        # region or country), not into the next region a roundup names
        inherited = current.date if inherit and date is None and current is not None and not current.undated \
            and (current.date is None or current.date.start == current.date.end or (
                place_ is not None and current.place is not None and inside(place_, current.place))) else None
        inc_ = _Incident(si, place_, date or inherited)
        incidents.append(inc_)
        return inc_

    if place is not None and place.precision in ("point", "admin2"):
        for inc in incidents:
            if inc.place is not None and inc.place.precision in ("point", "admin2") and _same_place(inc.place, place, apart) \
                    and (same_day(inc) or (aftermath and not inc.undated)):
                return inc
        if current is not None and current.place is None and same_day(current) and not current.unresolved:
            current.place = place
            return current
        if current is not None and _names_described(current, place, si) and same_day(current) and not apart:
            current.place = place   # "a coastal town near Odesa" ... "the small town of Serhiivka"
            return current
        if current is not None and current.place is not None and current.place.precision in ("admin1", "country") \
                and not current.place.unresolved and inside(place, current.place) and same_day(current) and not apart:
            current.place = place
            return current
        return new(place)
    if current is not None and (place is None or place.precision == "country"):
        # no town named (a country is no town: "Russia denies..."): the incident under discussion,
        # whose day this sentence may give as a rescue or report day
        return current
    if current is not None and same_day(current) and (
            current.place is None or _same_place(current.place, place)
            or (current.place.precision in ("point", "admin2") and inside(current.place, place))):
        return current
    if place is not None or has_claims:
        return new(place)
    return None


def _names_described(inc: _Incident, place: Place, si: int) -> bool:
    """Whether a town a sentence names is the settlement its incident's first sentence described
    without naming ("in a coastal town near Odesa"): close to the place that located it, named
    within a few sentences."""
    limits = setting("lexicons/incident.yaml", "limits")
    return inc.reference is not None and inc.place is inc.reference and place.country == inc.reference.country \
        and si - inc.sentence <= limits["described_town_sentences"] \
        and _km(inc.reference, place) <= limits["described_town_km"]


def event_component(doc) -> None:
    text = doc.text
    incidents: list[_Incident] = []
    claims_by_sentence: dict[int, list] = {}
    for cand in doc.candidates:
        if cand.claim.measure in INCIDENT_MEASURES and not cand.background:
            claims_by_sentence.setdefault(cand.sentence, []).append(cand)
    counted = {doc.sentence_index(q.core_start) for q in doc.quantities}
    note = _is_note(doc)
    current: _Incident | None = None
    for si, span in enumerate(doc.sentences):
        sentence = text[span.start:span.end]
        cands = claims_by_sentence.get(si, [])
        # a note is about one event by construction: its "In another attack, ..." is context
        shift = not note and pattern(
            "lexicons/incident.yaml", "topic_shift").match(sentence.lstrip()) is not None
        if shift:
            current = None  # "Meanwhile, ...": another incident, which inherits nothing from this one
        if current is not None and _refine(doc, current, si, span, sentence) and not cands:
            continue
        # a deed told before a fear is read on the parse only when the sentence says where or when
        if not cands and not (is_incident_sentence(sentence) and not is_forecast(
                sentence, partial(sentence_parse, doc, si) if _anchored(doc, span) else None)) \
                or not cands and is_caption(text, span.start, span.end):
            continue
        examples = None if cands or note else habit_examples(sentence)
        if not cands and examples is None and (no_incident(sentence, doc.meta.published)
                                               or (si in counted and is_period_sentence(sentence))):
            continue  # a running total ("shot down 80 drones since January") describes no incident
        start = span.start + (examples or 0)   # a habit's examples: only the towns they name
        places = [p for p in incident_places(doc, start, span.end) if not is_metonymy(text, p)
                  and not is_objective(text, p)]
        if current is None and places and all(p.precision == "country" for p in places):
            # "Elsewhere in Ukraine, the mayor of the port city of Mykolaiv said shelling killed ...":
            # a mayor's town is where, when the sentence names no other town (not "officials in Kyiv")
            places = [p for p in title_places(doc, start, span.end) if is_town_office(text, p)] or places
        elif not places and current is None:
            places = title_places(doc, start, span.end)
        date, reported, vague = _sentence_day(doc, span, cands, current)
        said_only = date is not None and reported is not None and date.start == reported.start_date
        points = incident_points(doc, places)
        attacker = attacker_side(sentence)
        aftermath = pattern("lexicons/incident.yaml", "aftermath").search(sentence) is not None
        in_list = listed(text, points)
        site = _site_incident(incidents, current, sentence) if not points and date is None else None
        if site is not None:
            current = site
        recalled = not note and not cands and date is None and (examples is not None or pattern(
            "lexicons/incident.yaml", "retrospective").search(sentence) is not None)
        targets = []
        for place in ((points[:1] if note else one_site(text, points)) or places[:1] or [None]):  # a note: one event
            inc = _attach(incidents, current, si, place, date, bool(cands), aftermath, apart=shift or in_list,
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
        for inc in targets:
            if inc.place is None and unknown and not inc.texts:
                inc.unresolved = True  # "in the village of Shypilovo": somewhere, not the next town named
            if (vague or recalled) and not inc.texts:
                inc.undated = True  # "earlier this month", "the bombing of the theatre": no day given
            if durative and not inc.texts:
                inc.durative = True  # "Mariupol has been shelled for weeks": an event only if a claim joins
            if inc.date is None and date is not None and not inc.undated:
                inc.date = date
            if not inc.texts:
                inc.said_only = said_only and inc.date is date
            elif inc.said_only and reported is None and not (vague or aftermath) and _day_before(date, inc.date) \
                    and si - inc.sentence <= setting("lexicons/incident.yaml", "limits.own_day_sentences"):
                # "... killed, officials said Sunday. The Saturday night rocket assault ...": its own day
                inc.restated, inc.date, inc.said_only = inc.date, date, False
            if inc.stated is None and reported is not None and reported.start_date:
                inc.stated = DateSpan(reported.text, reported.start_date, reported.end_date)
            inc.texts.append(sentence)
            inc.attacker = inc.attacker or attacker
        national = bool(places) and all(p.precision == "country" for p in places) \
            or pattern("lexicons/incident.yaml", "nationwide").search(sentence) is not None
        for cand in cands:
            home = _home(incidents, targets, cand, si, sentence, attacker, points, split=len(cands) > 1 and not note)
            if national and home.place is not None and home.place.precision != "country":
                continue  # "1,351 of its troops were killed in Ukraine": a national figure, not this town's toll
            home.claims.append(cand)
        if not recalled:   # a past incident recalled in passing is not the one under discussion
            current = targets[0]
    date_the_undated(doc, incidents)
    kept = _kept(doc, incidents)
    doc.events = _to_events(doc, note_day(doc, kept) if note else kept)
    _place_the_rest(doc)
    date_the_rest(doc)


def _day_before(day: DateSpan | None, stated: DateSpan | None) -> bool:
    """Whether ``day`` can be the day of an incident first known only from a statement made on
    ``stated``: that day or up to two days before (a night's attack told the next morning)."""
    a, b = as_day(day.start) if day else None, as_day(stated.start) if stated else None
    return a is not None and b is not None and 0 <= (b - a).days <= 2


def _anchored(doc, span) -> bool:
    """Whether a sentence names a place or a day of its own."""
    return any(span.start <= p.evidence.start < span.end for p in doc.places) or bool(
        incident_dates(doc, span.start, span.end))


def _sentence_day(doc, span, cands: list, current: _Incident | None):
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


def _site_incident(incidents: list[_Incident], current: _Incident | None, sentence: str) -> _Incident | None:
    """An earlier incident a sentence returns to through its site: "Two missiles struck the station"
    after a paragraph about the city's first days of war speaks of the strike that named the station,
    not of the background under discussion. Only a site the incident under discussion never named."""
    for noun in site_nouns(sentence):
        if current is not None and any(noun.search(t) for t in current.texts):
            return None
        for inc in reversed(incidents):
            if inc is not current and inc.claims and any(noun.search(t) for t in inc.texts):
                return inc
    return None


def _home(incidents: list[_Incident], targets: list[_Incident], cand, si: int, sentence: str,
          attacker: str | None, points: list[Place], split: bool) -> _Incident:
    """The incident a claim of the sentence belongs to: the target at its own place, else, when a
    clause of its own names another place ("19 died in Kremenchuk in late June and 21 were killed in
    the Odesa region"), that place's incident, else the sentence's first target."""
    own = cand.claim.place
    home = next((inc for inc in targets if own is not None and inc.place is not None
                 and _same_place(inc.place, own)), None)
    if home is None and split and own is not None and own.precision != "country" and cand.placed_here \
            and not any(own is p for p in points):
        home = next((inc for inc in incidents if inc.place is not None and _same_place(inc.place, own)
                     and _same_date(inc.date, cand.claim.date)), None) \
            or _attach(incidents, None, si, own, cand.claim.date, True, apart=True)
        if sentence not in home.texts:
            home.texts.append(sentence)
        home.attacker = home.attacker or attacker
    return home or targets[0]


def _kept(doc, incidents: list[_Incident]) -> list[_Incident]:
    """The incidents that become events: recent ones with a toll and a day or a town, or a town of
    the war's countries with violence named; else the report's lede."""
    incidents = [i for i in incidents if not too_old(doc, i)]
    kept = [i for i in incidents if (i.claims and (i.date is not None or (
        i.place is not None and i.place.precision != "country"))) or (
        i.place is not None and i.place.precision != "country" and i.place.country in _WAR_COUNTRIES
        and classify(" ".join(i.texts)) is not None)]
    kept = [i for i in kept if i.claims or not (i.durative or _named_more_finely(i, kept))]
    if not kept:
        lede = _lede_incident(doc)
        kept = [lede] if lede is not None and not too_old(doc, lede) else []
    return kept


def _refine(doc, current: _Incident, si: int, span, sentence: str) -> bool:
    """A place first described loosely ("a school in east Ukraine") and named later through a
    definite reference to the incident ("sheltering in the building in Bilohorivka") is refined;
    so is a settlement described without its name ("a coastal town near Odesa") by the town named
    next to that place ("the small town of Serhiivka"), whatever the sentence says of it."""
    described = current.reference is not None and current.place is current.reference
    if not described and current.place is not None and (
            current.place.precision not in ("admin1", "country") or current.place.unresolved):
        return False  # a settlement the gazetteer lacks is named already: a town named later is another place
    if not described and not pattern("lexicons/incident.yaml", "incident_anaphora").search(sentence):
        return False
    for p in incident_places(doc, span.start, span.end):
        if p.precision in ("point", "admin2") and not is_metonymy(doc.text, p) and not is_reference_point(doc.text, p) \
                and (_names_described(current, p, si) if described
                     else current.place is None or inside(p, current.place)):
            current.place = p
            current.texts.append(sentence)
            own = [d for d in incident_dates(doc, span.start, span.end) if d.start_date]
            if current.date is None and not current.undated and own:
                # "The Russian attack occurred overnight Saturday in Chasiv Yar": its day as well
                current.date = DateSpan(own[0].text, own[0].start_date, own[0].end_date)
            stated = report_date(doc, span.start, span.end)
            if current.stated is None and stated is not None and stated.start_date:
                current.stated = DateSpan(stated.text, stated.start_date, stated.end_date)
            return True
    return False


def _named_more_finely(inc: _Incident, kept: list[_Incident]) -> bool:
    """A claimless region-level incident on the day of a town-level one inside that region is the
    town's region named again ("the town of Chaplyne in the Dnipropetrovsk region"), not an event."""
    if inc.place is None or inc.place.precision not in ("admin1", "country") or inc.place.unresolved:
        return False
    return any(o is not inc and o.place is not None and o.place.precision in ("point", "admin2")
               and inside(o.place, inc.place) and _same_date(o.date, inc.date) for o in kept)


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


def _lede_incident(doc) -> _Incident | None:
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
        inc = _Incident(si, places[0], date)
        # the note is one event: its later sentences ("A woman was killed by a stray bullet") are this event's
        inc.texts.extend(doc.text[sp.start:sp.end] for sp in [span] + [sp for sj, sp in enumerate(doc.sentences) if sj != si])
        inc.claims = _note_claims(doc)
        return inc
    if doc.sentences and (classify(doc.text) is not None or _note_claims(doc) or notes.singular_victims(doc.text)):
        # a short snippet naming no place we know ("Police fired tear gas at protesters") is still one event
        dates = [d for d in incident_dates(doc, 0, len(doc.text)) if d.start_date] or _reported(doc, len(doc.text))
        inc = _Incident(0, None, DateSpan(dates[0].text, dates[0].start_date, dates[0].end_date) if dates else None)
        inc.texts.append(doc.text)
        inc.claims = _note_claims(doc)
        return inc
    return None


def _to_events(doc, incidents: list[_Incident]) -> list[Event]:
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


def _situate_claims(inc: _Incident) -> None:
    """A claim its sentence leaves undated or placed only loosely takes its incident's day and town."""
    for c in inc.claims:
        if inc.date is not None and c.claim.date is not None and c.claim.date.start != inc.date.start \
                and pattern("lexicons/incident.yaml", "aftermath").search(c.claim.evidence.text):
            c.claim.date = None  # the day of the rescue work or the update, not of the incident
        if c.claim.date is None and inc.date is not None or (
                inc.restated is not None and c.claim.date is not None and c.claim.date.start == inc.restated.start):
            c.claim.date = DateSpan(inc.date.text, inc.date.start, inc.date.end)
        own = c.claim.place
        if inc.reference is not None and inc.place is not inc.reference and own is not None \
                and own.geonameid == inc.reference.geonameid:
            own = c.claim.place = inc.place   # the settlement named after the place that located it
        if inc.place is not None and (own is None or (own.precision in ("admin1", "country")
                                                      and (inc.place.precision in ("point", "admin2")
                                                           or (inc.place.unresolved and not own.unresolved))
                                                      and inside(inc.place, own))):
            c.claim.place = inc.place   # the incident's town, or the unknown village in the region it names


def _deaths(doc, inc: _Incident, main: bool) -> Deaths | None:
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
