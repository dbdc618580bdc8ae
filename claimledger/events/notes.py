"""Coding conventions that ACLED-style event notes state in words.

Short analyst notes are reports too, but they carry their coders' bookkeeping: "Unspecified
fatalities coded as 10", "[38 fatalities split among 10 events]", "(fatalities coded to Kalinovo
event)". Reading these is how a note's own fatality figure is recovered. Singular victims ("killed
the driver", "a woman died") also count in notes, where ACLED records them as 1 each.
"""

from __future__ import annotations

import re

from claimledger.analyse.quantities import parse_number

_NUM = r"\d[\d,]*|[a-z]+"
_FAT = r"fatal\w*"  # coders' typos too: "fatalites", "fatalitie", "fatalaties"
_CODED_AS = re.compile(rf"(?:(?:unspecified|unknown|unclear)\b[^.;]{{0,40}}?)?{_FAT}\b[^.;()]{{0,60}}?\b"
                       rf"coded\s+(?:as|at)\s+(?P<add>additional\s+)?(?:a\s+)?(?:low\s+estimate\s+of\s+)?(?P<n>{_NUM})\b"
                       rf"|coded\s+as\s+(?P<add2>additional\s+)?(?P<n2>\d[\d,]*)\s+{_FAT}"
                       rf"|\btotal\s+(?:of\s+)?(?P<n3>\d[\d,]*)\s+{_FAT}|\btotal\s+{_FAT}\s+(?:coded\s+to\s+)?(?P<n4>\d[\d,]*)"
                       rf"|\bcoded\s+at\s+(?:a\s+)?low\s+estimate\s+of\s+(?P<n5>\d[\d,]*)", re.I)
# "coded as 2 for this event", "Total 6 fatalities coded to this event", "with 1 fatality each": the
# coder's figure for this very row, which no total or split elsewhere in the note overrides
_THIS_EVENT = re.compile(rf"coded\s+as\s+(?P<n>\d[\d,]*)\s+(?:for\s+this\s+event|here)\b"
                         rf"|(?P<n2>\d[\d,]*)\s+(?:[a-z]+\s+){{0,2}}?{_FAT}\s+(?:have\s+been\s+|were\s+)?coded\s+(?:to|for)\s+this\s+event"
                         rf"|(?P<n4>\d[\d,]*)\s+(?:[a-z]+\s+){{0,2}}?{_FAT}\s+coded\s+here\b"
                         rf"|\bwith\s+(?P<n3>\d[\d,]*|[a-z]+)\s+(?:{_FAT}|coded\s+to)\s+each\b"
                         rf"|\b(?P<none>no)\s+{_FAT}\s+(?:were\s+)?coded\s+to\s+this\s+event", re.I)
# a coded figure given out over several rows: "coded as 10 and split between 3 locations"
_SHARED = re.compile(r"^(?:\s*\([^)]{0,40}\))?[^.;]{0,20}?\b(?:split|spread|distributed|divided)(?:\s+up|\s+equally)?\s+(?:over|across|among|between)\s+"
                     r"(?:the\s+)?(?P<k>\d+|[a-z]+)\s+(?:separate\s+)?(?:events|locations)", re.I)
# "Fatalities split between 2 events", "(the deaths have been split over two events)": the note's
# own toll given out over its rows
_TOLL_SHARED = re.compile(r"\b(?:fatal\w*|deaths)\s+(?:are\s+|were\s+|have\s+been\s+)?(?:split|spread|distributed|divided)"
                          r"(?:\s+up|\s+equally)?\s+(?:over|across|among|between)\s+(?:the\s+)?(?P<k>\d+|[a-z]+)\s+(?:separate\s+)?"
                          r"(?:events|locations)|\(\s*split\s+(?:over|across|among|between)\s+(?P<k2>\d+|[a-z]+)\s+events", re.I)
_CODED_TO = re.compile(r"fatalities\s+(?:were\s+)?coded\s+to\s+(?:the\s+)?(?!this\b|that\b|same\b|specific\b|a\b)"
                       r"(?P<place>[A-Z][\w’'. -]{1,40}?)\s+event", re.I)
_SPLIT = re.compile(r"(?P<n>\d[\d,]*)\s+fatalities\s+(?:were\s+)?(?:split|divided|distributed)\s+(?:among|between|across)\s+"
                    r"(?P<k>\d+|two|three|four|five|six|seven|eight|nine|ten|[a-z]+)\s+events", re.I)
_PERSON = (r"(?:civilian|man|woman|child|boy|girl|teenager|driver|pilot|soldier|serviceman|policeman|police officer|"
           r"journalist|reporter|photographer|volunteer|resident|doctor|nurse|medic|priest|principal|teacher|"
           r"farmer|pensioner|officer|commander|general|colonel|mayor|head|official|worker|guard|paramedic|"
           r"student|citizen|physicist|scientist|elderly man|elderly woman|person|family member|villager|sniper|"
           r"marine|paratrooper|fighter|militant|rebel|separatist|member|prisoner|detainee|hostage|local|mother|father|"
           r"son|daughter|husband|wife|grandmother|grandfather|neighbo(?:u)?r|priest|deputy|businessman|"
           # the victims of notes from every region
           r"tax collector|collector|sorcerer|witch|pharmacist|lawyer|(?:body ?)?guard|rider|motorcyclist|passer-by|"
           r"bystander|suspect|thief|robber|burglar|herder|herdsman|pastoralist|trader|shopkeeper|vendor|merchant|"
           r"militiaman|gunman|attacker|assailant|chief|elder|imam|sheikh|cleric|youth|ranger|gendarme|fisherman|"
           r"tribesman|clansman|engineer|lecturer|councill?or|politician|leader|activist|supporter|agent|informant|"
           r"spy|collaborator|herdsboy|shepherd|trader|customer|passenger|pedestrian|motorist|worker|labourer)")
_ADJ = (r"(?:(?!of\b)[a-z][a-z’'-]*\s+|\d+-year-old\s+|\d+[- ]years?[- ]old\s+){0,4}?")  # "a 64-year-old driver", never "bodies of 132"
_DIED = (r"(?:killed|died|shot dead|murdered|executed|perished|dead|lynched|beheaded|gunned down|found dead|succumbed|"
         r"(?:hacked|stabbed|beaten|burnt|burned|stoned) to death)")
_SINGULAR = re.compile(
    rf"\b(?:a|an|the|one)\s+{_ADJ}{_PERSON}s?\b[^.;,]{{0,40}}?\b(?:was|were|is)?\s*{_DIED}\b"
    rf"|\b(?:killed|killing|shot dead|shooting dead|murdered|executed|shot|lynched|lynching|beheaded|beheading|"
    rf"gunned down)\s+(?:a|an|the)\s+{_ADJ}{_PERSON}\b"
    rf"|\b(?:stabbed|hacked|beat|beaten|stoned|burnt|burned)\s+(?:a|an|the)\s+{_ADJ}{_PERSON}\s+(?:\w+\s+){{0,2}}?to death"
    rf"|\b(?:resulted in|resulting in|leading to|led to)\s+(?:a|one)\s+death\b",
    re.I)


def coded_as(text: str) -> tuple[int, bool] | None:
    """(figure, additional) from "fatalities coded as 10" / "coded as additional 10 fatalities" /
    "Total 5 fatalities"; the last statement wins ("unspecified fatalities coded as 3. Fatalities
    coded as 27 (24 soldiers and 3 militants)"), shared out when the note says it is split."""
    found = None
    for m in _CODED_AS.finditer(text):
        raw = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4") or m.group("n5")
        n = parse_number(raw)
        if n is None:
            continue
        n = int(n)
        shared = _SHARED.match(text[m.end():])
        if shared:
            n = _share(n, shared.group("k"))
            if n is None:
                continue
        found = (n, bool(m.group("add") or m.group("add2")))
    return found


def this_event(text: str) -> int | None:
    """The coder's figure for this very row: "5 fatalities split across 2 events and coded as 2 for
    this event", "Total 6 fatalities coded to this event", "Two events ..., with 1 fatality each"."""
    found = None
    for m in _THIS_EVENT.finditer(text):
        if m.group("none"):
            found = 0
            continue
        n = parse_number(m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"))
        if n is not None:
            found = int(n)
    return found


def toll_share(text: str, toll: int) -> int | None:
    """This row's share of the note's own toll when the note says it is given out over several
    rows and gives no figure of its own ("78 fighters were killed. Fatalities split between 2 events")."""
    m = _TOLL_SHARED.search(text)
    if not m:
        return None
    return _share(toll, m.group("k") or m.group("k2"))


def _share(total: int, parts_word: str) -> int | None:
    """One row's share of a figure split over `parts` rows, ACLED giving the remainder out one by one."""
    parts = parse_number(parts_word)
    if not parts:
        return None
    parts = int(parts)
    share, rest = divmod(total, parts)
    return share + (1 if rest * 2 >= parts and rest else 0)


def coded_elsewhere(text: str, lede: str) -> bool:
    """"(fatalities coded to Kalinovo event)" in a note whose lede is about another place: its deaths
    are counted in that other event."""
    m = _CODED_TO.search(text)
    if not m:
        return False
    return m.group("place").strip().lower() not in lede.lower()


def split_share(text: str) -> int | None:
    """"[38 fatalities split among 10 events]": this event's share, ACLED giving the remainder out one by one."""
    m = _SPLIT.search(text)
    if not m:
        return None
    return _share(int(m.group("n").replace(",", "")), m.group("k"))


def singular_victims(sentence: str) -> int:
    """People killed one by one in words with no number ("killed the driver", "a woman died")."""
    return sum(1 for m in _SINGULAR.finditer(sentence) if not re.search(r"\b(?:no|none|nobody)\b", m.group(0), re.I))
