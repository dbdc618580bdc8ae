"""The day of each incident a report describes, once its sentences are grouped.

A date is shared by every statement about one incident: the sentence that seeds it gives its day,
statements about it made on other days (a rescue, a toll update) do not move it, and an incident
the report never dates takes the day a statement about it was made, else the day of the report's
main incident, else the report's own day. A coder's note is about one event and opens with that
event's full date ("On 8 November 2025, ..."): its later days ("The clash continued the following
day", "detained 10 days ago", "the July 7 neighbourhood") belong to other events or to places.
"""

from __future__ import annotations

from claimledger.analyse.dates import anchor_date
from claimledger.data import setting
from claimledger.days import as_day
from claimledger.geo import km
from claimledger.records import DateSpan


def date_the_undated(doc, incidents: list) -> None:
    """An incident the report never dates happened on the day a statement about it was made
    ("Zelensky said on Wednesday that the attack..."), else on the day of the report's main
    incident (a news report is about one day's events: "the town also came under fire"), as
    ACLED codes an event known only from a dated report. One the report leaves vague ("earlier
    this month") stays undated."""
    for inc in incidents:
        if inc.date is None and not inc.undated and inc.stated is not None:
            inc.date = inc.stated
    main = next((i.date for i in incidents if i.date is not None and i.claims), None) or next(
        (i.date for i in incidents if i.date is not None), None)
    published = doc.meta.published if doc.meta.published and len(doc.meta.published) == 10 else None
    for inc in incidents:
        if inc.date is None and not inc.undated:
            inc.date = inc.stated or (DateSpan(main.text, main.start, main.end) if main else None)
        if inc.date is None and not inc.undated and published and inc.claims:
            inc.date = DateSpan(None, published, published)  # a report that names no day: its own day


def note_day(doc, incidents: list) -> list:
    """A note (``build._is_note``) with no publication date that opens on its full date is about
    the event of that day: its main incident takes it, whatever later day a sentence names ("The
    clash continued the following day (coded separately)"); the note's other incidents take it
    when they name none."""
    if doc.meta.published or not incidents:
        return incidents
    opening = next((d for d in doc.dates if d.start_date and d.start_date == anchor_date(doc.text, doc.dates)), None)
    if opening is None:
        return incidents
    day = DateSpan(opening.text, opening.start_date, opening.end_date)
    incidents[0].date = day
    for inc in incidents[1:]:
        if inc.date is None or inc.date.start is None:
            inc.date = day
    return incidents


def too_old(doc, inc) -> bool:
    """An incident dated long before its report is history or background ("the 2014 Odesa fire",
    "the March siege" in an August report), never an incident of this report."""
    published = as_day(doc.meta.published)
    day = as_day(inc.date.start if inc.date else None)
    return published is not None and day is not None and (
        (published - day).days > setting("lexicons/incident.yaml", "history.max_event_age_days"))


def date_the_rest(doc) -> None:
    """A figure outside every event that its sentence leaves undated but places in an event's town
    ("Earlier, the governor said 90 people had been sheltering in the building in Bilohorivka, and
    30 were rescued") is about that incident and takes its day, when the report has one incident
    there (a town's, not a region's: an oblast's point is its capital's, and "tens of thousands
    have fled Kherson" is no part of shelling across the Kherson region). A running total ("since February") is background and stays undated, and so does a figure
    whose sentence names a time of its own (only its statement's, or a vague one: left as read)."""
    for cand in doc.candidates:
        c = cand.claim
        if cand.background or c.event is not None or c.date is not None or c.place is None \
                or c.place.precision not in ("point", "admin2") or c.place.lat is None:
            continue
        if any(c.evidence.start <= d.start < c.evidence.end for d in doc.dates):
            continue  # "officials said Wednesday that 30,000 had fled": the sentence dates only its statement
        days = {e.date.start: e.date for e in doc.events if e.date is not None and e.date.start
                and e.place is not None and e.place.lat is not None and e.place.precision in ("point", "admin2")
                and (e.place.geonameid == c.place.geonameid
                     or km(e.place.lat, e.place.lon, c.place.lat, c.place.lon) <= setting("lexicons/incident.yaml", "limits.same_town_km"))}
        if len(days) == 1:
            d = next(iter(days.values()))
            c.date = DateSpan(d.text, d.start, d.end)
