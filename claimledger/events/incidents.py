"""An article's incidents as its sentences tell them: each one's place and day, refined sentence by
sentence (a town named after a loose description, a day told after the statement's), and which
incident a sentence or a claim speaks of.

events/build.py walks the sentences and decides what becomes an event; this module holds the
incident record and the rules that attach a sentence's town and day to one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimledger.analyse.anchoring import (
    incident_dates,
    incident_places,
    inside,
    is_metonymy,
    is_reference_point,
    report_date,
)
from claimledger.data import pattern, setting
from claimledger.days import as_day
from claimledger.events.mentions import site_nouns
from claimledger.geo import km
from claimledger.records import DateSpan, Place


@dataclass
class Incident:
    """One real-world incident an article describes, as its sentences have told it so far."""

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

    @property
    def awaits_name(self) -> bool:
        """Its place is still the one that located a settlement its report has not named yet."""
        return self.reference is not None and self.place is self.reference

    def take(self, told: Told) -> None:
        """What one more sentence about the incident tells of it: its day when it had none, or its
        own day when only a statement's was known; whether it is undated, durative or in a place
        the gazetteer lacks, when the sentence is its first."""
        first = not self.texts
        if self.place is None and told.unknown and first:
            self.unresolved = True  # "in the village of Shypilovo": somewhere, not the next town named
        if (told.vague or told.recalled) and first:
            self.undated = True  # "earlier this month", "the bombing of the theatre": no day given
        if told.durative and first:
            self.durative = True  # "Mariupol has been shelled for weeks": an event only if a claim joins
        if self.date is None and told.date is not None and not self.undated:
            self.date = told.date
        reported = told.reported
        if first:
            self.said_only = told.date is not None and reported is not None and self.date is told.date \
                and told.date.start == reported.start_date
        elif self.said_only and reported is None and not (told.vague or told.aftermath) \
                and day_before(told.date, self.date) \
                and told.si - self.sentence <= setting("lexicons/incident.yaml", "limits.own_day_sentences"):
            # "... killed, officials said Sunday. The Saturday night rocket assault ...": its own day
            self.restated, self.date, self.said_only = self.date, told.date, False
        if self.stated is None and reported is not None and reported.start_date:
            self.stated = DateSpan(reported.text, reported.start_date, reported.end_date)
        self.texts.append(told.sentence)
        self.attacker = self.attacker or told.attacker


@dataclass(frozen=True)
class Told:
    """What one sentence says of the incidents it speaks of (events/build.py reads it)."""
    sentence: str
    si: int
    date: DateSpan | None
    reported: DateSpan | None       # the day its statement was made, when it names no incident day
    vague: bool                     # it leaves the day vague ("earlier this month")
    aftermath: bool                 # rescue work or a toll update
    attacker: str | None
    unknown: bool                   # it names a settlement the gazetteer does not know
    recalled: bool                  # it recalls a past incident in passing
    durative: bool                  # it tells a stretch of violence ("for weeks")


def _km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None:
        return 1e9
    return km(a.lat, a.lon, b.lat, b.lon)


def same_place(a: Place | None, b: Place | None, apart: bool = False) -> bool:
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


def same_date(a: DateSpan | None, b: DateSpan | None) -> bool:
    sa, sb = (a.start if a else None), (b.start if b else None)
    return sa is None or sb is None or sa == sb


def attach(incidents: list[Incident], current: Incident | None, si: int, place: Place | None,
            date: DateSpan | None, has_claims: bool, aftermath: bool = False, apart: bool = False,
            inherit: bool = True) -> Incident | None:
    """The incident a sentence speaks of: same town and day as a known one, else the one under
    discussion when the sentence names no town, else a new one. Rescue work and toll updates
    ("nine wounded people were rescued ... earlier in the day") belong to the incident at their
    town whatever day they name; a new incident the sentence leaves undated happened when the
    one under discussion did (a report's breakdown of a toll continues its period). A list of towns
    inside the region under discussion names new incidents, never the region's own town. A past
    incident the sentence recalls ("the bombing of a theatre in Mariupol") or dates only vaguely
    ("attacks on a theater in Mariupol in March") does not ``inherit``."""
    def same_day(inc: Incident) -> bool:
        # an incident its report leaves undated ("earlier this month") takes no dated sentence
        return same_date(inc.date, date) and not (inc.undated and date is not None)

    def new(place_: Place | None) -> Incident:
        # a tally's window ("over 24 hours") continues into its breakdown (a town inside the tally's
        # region or country), not into the next region a roundup names
        inherited = current.date if inherit and date is None and current is not None and not current.undated \
            and (current.date is None or current.date.start == current.date.end or (
                place_ is not None and current.place is not None and inside(place_, current.place))) else None
        inc_ = Incident(si, place_, date or inherited)
        incidents.append(inc_)
        return inc_

    if place is not None and place.precision in ("point", "admin2"):
        for inc in incidents:
            if inc.place is not None and inc.place.precision in ("point", "admin2") and same_place(inc.place, place, apart) \
                    and (same_day(inc) or (aftermath and not inc.undated)):
                return inc
        if current is not None and current.place is None and same_day(current) and not current.unresolved:
            current.place = place
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
            current.place is None or same_place(current.place, place)
            or (current.place.precision in ("point", "admin2") and inside(current.place, place))):
        return current
    if place is not None or has_claims:
        return new(place)
    return None


def _names_described(inc: Incident, place: Place, si: int) -> bool:
    """Whether a town a sentence names is the settlement its incident's first sentence described
    without naming ("in a coastal town near Odesa"): close to the place that located it, named
    within a few sentences."""
    limits = setting("lexicons/incident.yaml", "limits")
    return inc.awaits_name and place.country == inc.reference.country \
        and si - inc.sentence <= limits["described_town_sentences"] \
        and _km(inc.reference, place) <= limits["described_town_km"]


def day_before(day: DateSpan | None, stated: DateSpan | None) -> bool:
    """Whether ``day`` can be the day of an incident first known only from a statement made on
    ``stated``: that day or up to two days before (a night's attack told the next morning)."""
    a, b = as_day(day.start) if day else None, as_day(stated.start) if stated else None
    return a is not None and b is not None and 0 <= (b - a).days <= 2


def refine(doc, current: Incident, si: int, span, sentence: str) -> bool:
    """A place first described loosely ("a school in east Ukraine") and named later through a
    definite reference to the incident ("sheltering in the building in Bilohorivka") is refined;
    so is a settlement described without its name ("a coastal town near Odesa") by the town named
    next to that place ("the small town of Serhiivka"), whatever the sentence says of it."""
    described = current.awaits_name
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


def named_more_finely(inc: Incident, kept: list[Incident]) -> bool:
    """A claimless region-level incident on the day of a town-level one inside that region is the
    town's region named again ("the town of Chaplyne in the Dnipropetrovsk region"), not an event."""
    if inc.place is None or inc.place.precision not in ("admin1", "country") or inc.place.unresolved:
        return False
    return any(o is not inc and o.place is not None and o.place.precision in ("point", "admin2")
               and inside(o.place, inc.place) and same_date(o.date, inc.date) for o in kept)


def site_incident(incidents: list[Incident], current: Incident | None, sentence: str) -> Incident | None:
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


def home_of(incidents: list[Incident], targets: list[Incident], cand, si: int, sentence: str,
          attacker: str | None, points: list[Place], split: bool) -> Incident:
    """The incident a claim of the sentence belongs to: the target at its own place, else, when a
    clause of its own names another place ("19 died in Kremenchuk in late June and 21 were killed in
    the Odesa region"), that place's incident, else the sentence's first target."""
    own = cand.claim.place
    home = next((inc for inc in targets if own is not None and inc.place is not None
                 and same_place(inc.place, own)), None)
    if home is None and split and own is not None and own.precision != "country" and cand.placed_here \
            and not any(own is p for p in points):
        home = next((inc for inc in incidents if inc.place is not None and same_place(inc.place, own)
                     and same_date(inc.date, cand.claim.date)), None) \
            or attach(incidents, None, si, own, cand.claim.date, True, apart=True)
        if sentence not in home.texts:
            home.texts.append(sentence)
        home.attacker = home.attacker or attacker
    return home or targets[0]
