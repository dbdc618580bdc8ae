"""How a report's sentence names where its incident happened: the towns it says something happened
in, towns set apart in a list, two towns that bound one road or border, a settlement the gazetteer
does not know, and the definite sites ("the station") that lead back to an earlier incident.

Plain functions over the document's text and place layer; events/build.py decides what they mean
for the incidents.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from claimledger.analyse.anchoring import is_near_town, is_reference_point
from claimledger.data import alternation, pattern
from claimledger.records import Place

_LEX = "lexicons/incident.yaml"


_SETTLEMENT = re.compile(r"\b(?:village|town|city|settlement|hamlet|township)\s+of\s+(?-i:[A-Z][\w’'-]+)", re.I)


def unknown_settlement(doc, span) -> bool:
    """'shelling in the village of Shypilovo': a settlement the report names and the gazetteer does
    not know. The incident is somewhere; a later town ("the port city of Mariupol") is not where."""
    for m in _SETTLEMENT.finditer(doc.text, span.start, span.end):
        name_start = m.end() - len(m.group(0).split()[-1])
        if not any(p.evidence.start <= name_start < p.evidence.end for p in doc.places):
            return True
    return False


def site_nouns(sentence: str) -> list[re.Pattern]:
    """The sites a sentence names definitely ("the station", "the theatre"), each as a pattern to
    find it in other sentences; never one named to date another incident by it ("hours before the
    strike on the station, a rocket hit a house")."""
    out = []
    for m in _site().finditer(sentence):
        if re.search(r"\b(?:before|after|since|until|following)\b[^,;]*$", sentence[:m.start()], re.I):
            continue
        out.append(re.compile(r"\b" + re.escape(m.group(1).lower()), re.I))
    return out


def habit_examples(sentence: str) -> int | None:
    """Where the examples of a habit begin ("have repeatedly targeted civilian areas, including
    hospitals and a Mariupol theater"), when they name a site: each is a past incident the report
    recalls. None for any other sentence."""
    if pattern(_LEX, "habits").search(sentence) is None:
        return None
    m = pattern(_LEX, "examples").search(sentence)
    if m is None or _any_site().search(sentence, m.end()) is None:
        return None
    return m.end()


@cache
def _any_site() -> re.Pattern:
    return re.compile(r"\b(?:" + alternation(_LEX, "sites") + r")s?\b", re.I)


@cache
def _site() -> re.Pattern:
    return re.compile(r"\bthe\s+(?:[\w-]+\s+)?(" + alternation(_LEX, "sites") + r")s?\b", re.I)


def incident_points(doc, places: list[Place]) -> list[Place]:
    """The towns a sentence says something happened in. A town named only to locate the place ("the
    Khmelnytskyi region, about 180 miles west of Kyiv") counts only when the sentence names nothing
    else ("30km west of Izium, Kharkiv": the region after the town is the town's, and the town stays)."""
    points = [p for p in places if p.precision in ("point", "admin2")]
    located = [p for p in points if not is_reference_point(doc.text, p)]
    regions = [p for p in places if p.precision == "admin1" and not is_reference_point(doc.text, p)
               and points and p.evidence.start < points[0].evidence.start]
    return located or ([] if regions else points[:1])


def is_objective(text: str, place: Place) -> bool:
    """'faced resistance in its efforts to take the capital city of Kyiv', 'an attempt to encircle
    Sievierodonetsk': a town a force tries to take is the objective of a campaign; 'shells were fired
    from the positions of militants in Avdiivka': a town the fire came from is where it was aimed
    from; 'Bennett, flying to Moscow': a town a visitor travels to. Nothing the sentence reports
    happened there."""
    before = text[max(0, place.evidence.start - 80):place.evidence.start]
    return any(pattern(_LEX, key, bounded=False).search(before) is not None
               for key in ("objective_before", "origin_before", "visit_before"))


def one_site(text: str, points: list[Place]) -> list[Place]:
    """'on the Damboa - Maiduguri road', 'at the border of Isiolo and Garissa counties', 'between
    Izium and Sloviansk': two towns that bound one road, border or stretch name one place, the
    first; any other towns of the sentence are places of their own."""
    ordered = sorted(points, key=lambda p: p.evidence.start)
    out = list(ordered)
    for a, b in zip(ordered, ordered[1:], strict=False):
        gap, before = text[a.evidence.end:b.evidence.start], text[max(0, a.evidence.start - 30):a.evidence.start]
        after = text[b.evidence.end:b.evidence.end + 30]
        route = re.fullmatch(r"\s*[-–—/]\s*", gap) and re.match(r"\s*(?:[\w-]+\s+)?(?:road|highway|route|motorway|railway|axis)\b", after, re.I)
        bounded = re.fullmatch(r"\s*(?:and|,)\s*", gap) and re.search(r"\b(?:between|border(?:s)? of|borders? between)\s+(?:the\s+)?$", before, re.I)
        if (route or bounded) and b in out:
            out.remove(b)
    return out


def near_town(text: str, place: Place | None) -> Place | None:
    """'A car bombing outside Moscow', 'shelling on the outskirts of Kharkiv': an incident near a town,
    not in it, is an area around the town (precision admin2, ACLED's "near a town, coded to a
    representative town"); the ledger takes it as the place of the points around it. Any other place
    as it is."""
    if place is None or place.precision != "point" or place.evidence.end <= place.evidence.start:
        return place
    if not is_near_town(text, place):
        return place
    return replace(place, precision="admin2")


def listed(text: str, points: list[Place]) -> bool:
    """'the cities of Sloviansk and Toretsk', 'in Stoyanka, Moshchun and Irpin': towns coordinated
    in one list are set apart by the report (ACLED codes one event per town); 'Donetsk - Kirovskyi'
    (a city and its district) is not a list."""
    ordered = sorted(points, key=lambda p: p.evidence.start)
    return any(re.fullmatch(r"\s*(?:,|and|or|,\s*and|,\s*or)\s*", text[a.evidence.end:b.evidence.start])
               for a, b in zip(ordered, ordered[1:], strict=False))
