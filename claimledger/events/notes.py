"""Coding conventions that ACLED-style event notes state in words.

Short analyst notes are reports too, but they carry their coders' bookkeeping: "Unspecified
fatalities coded as 10", "[38 fatalities split among 10 events]", "(fatalities coded to Kalinovo
event)". Reading these is how a note's own fatality figure is recovered. Singular victims ("killed
the driver", "a woman died") also count in notes, where ACLED records them as 1 each.
"""

from __future__ import annotations

import re

from claimledger.analyse.quantities import parse_number

_CODED_AS = re.compile(r"(?:unspecified|unknown)?\s*(?:number of\s+)?fatalities\b[^.;]{0,60}?\bcoded\s+as\s+"
                       r"(?P<add>additional\s+)?(?P<n>\d[\d,]*|[a-z]+)\b|coded\s+as\s+(?P<add2>additional\s+)?"
                       r"(?P<n2>\d[\d,]*)\s+fatalities", re.I)
_CODED_TO = re.compile(r"fatalities\s+(?:were\s+)?coded\s+to\s+(?:the\s+)?(?P<place>[A-Z][\w’'. -]{1,40}?)\s+event", re.I)
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
    """(figure, additional) from "fatalities coded as 10" / "coded as additional 10 fatalities"."""
    m = _CODED_AS.search(text)
    if not m:
        return None
    raw = m.group("n") or m.group("n2")
    n = parse_number(raw)
    if n is None:
        return None
    return int(n), bool(m.group("add") or m.group("add2"))


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
    total = int(m.group("n").replace(",", ""))
    parts = parse_number(m.group("k"))
    if not parts:
        return None
    parts = int(parts)
    share, rest = divmod(total, parts)
    return share + (1 if rest * 2 >= parts and rest else 0)


def singular_victims(sentence: str) -> int:
    """People killed one by one in words with no number ("killed the driver", "a woman died")."""
    return sum(1 for m in _SINGULAR.finditer(sentence) if not re.search(r"\b(?:no|none|nobody)\b", m.group(0), re.I))
