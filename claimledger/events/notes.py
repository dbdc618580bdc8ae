"""Coding conventions that ACLED-style event notes state in words.

Short analyst notes are reports too, but they carry their coders' bookkeeping: "Unspecified
fatalities coded as 10", "[38 fatalities split among 10 events]", "(fatalities coded to Kalinovo
event)". Reading these is how a note's own fatality figure is recovered. Singular victims ("killed
the driver", "a woman died") also count in notes, where ACLED records them as 1 each.
"""

from __future__ import annotations

import re
from functools import cache, partial

from claimledger.analyse.quantities import parse_number
from claimledger.data import alternation, pattern

_NUM = r"\d[\d,]*|[a-z]+"
_FAT = r"fatal\w*"  # coders' typos too: "fatalites", "fatalitie", "fatalaties"
_CODED_AS = re.compile(rf"(?:(?:unspecified|unknown|unclear)\b[^.;]{{0,40}}?)?{_FAT}\b[^.;()]{{0,60}}?\b"
                       rf"coded\s+(?:as|at)\s+(?P<add>additional\s+)?(?:a\s+)?(?:low\s+estimate\s+of\s+)?(?P<n>{_NUM})\b"
                       rf"|coded\s+as\s+(?P<add2>additional\s+)?(?P<n2>\d[\d,]*)\s+{_FAT}"
                       rf"|\btotal\s+(?:of\s+)?(?P<n3>\d[\d,]*)\s+{_FAT}|\btotal\s+{_FAT}\s+(?:coded\s+to\s+)?(?P<n4>\d[\d,]*)"
                       rf"|\bcoded\s+at\s+(?:a\s+)?low\s+estimate\s+of\s+(?P<n5>\d[\d,]*)", re.I)
# "coded as 2 for this event", "Total 6 fatalities coded to this event", "with 1 fatality each": the
# coder's figure for this very row, which no total or split elsewhere in the note overrides; "Fatalities
# are split across 3 events (4)": the bracketed figure is this row's share
_THIS_EVENT = re.compile(rf"coded\s+as\s+(?P<n>\d[\d,]*)\s+(?:for\s+this\s+event|here)\b"
                         rf"|(?P<n2>\d[\d,]*)\s+(?:[a-z]+\s+){{0,2}}?{_FAT}\s+(?:have\s+been\s+|were\s+)?coded\s+(?:to|for)\s+this\s+event"
                         rf"|(?P<n4>\d[\d,]*)\s+(?:[a-z]+\s+){{0,2}}?{_FAT}\s+coded\s+here\b"
                         rf"|\bwith\s+(?P<n3>\d[\d,]*|[a-z]+)\s+(?:{_FAT}|coded\s+to)\s+each\b"
                         rf"|\b(?P<none>no)\s+{_FAT}\s+(?:were\s+)?coded\s+to\s+this\s+event"
                         rf"|\b(?:split|spread|divided|distributed)\s+(?:over|across|among|between)\s+(?:the\s+)?(?:\d+|[a-z]+)\s+"
                         rf"(?:separate\s+)?events\s*\((?P<n5>\d[\d,]*)\)", re.I)
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


@cache
def _victims() -> re.Pattern:
    """One victim named with no number, in the ways notes tell it (lexicons/measures.yaml note_victims)."""
    alt = partial(alternation, "lexicons/measures.yaml")
    person = rf"(?:{alt('note_victims.persons')})"
    adj = r"(?:(?!(?:of|and|or|was|were|is|are|had|has|have|a|an|the|in|on|at|by|with|from|to|for|after|before|during|who|that|which|while|when)\b)[a-z][a-z’'-]*\s+|\d+[- ]years?[- ]old\s+|\d+-year-old\s+){0,4}"  # greedy: the head is the last noun

    det = r"(?:a|an|one|another|his|her|their)"

    def both(k: str) -> str:  # "a farmer and a herder": two victims of one verb
        return (rf"(?P<det{k}>a|an|the|one|another|his|her|their)\s+{adj}{person}s?\b"
                rf"(?P<more{k}>(?:\s*,\s*{det}\s+{adj}{person}\b)*\s*,?\s+and\s+{det}\s+{adj}{person}\b)?")
    return re.compile(
        rf"\b{both('1')}[^.;,]{{0,40}}?(?:\b(?:was|were|is|are|has been|have been|had been|got|being)\s+(?:\w+\s+)?"
        rf"(?:{alt('note_victims.passive')})|\b(?:later\s+|subsequently\s+|reportedly\s+)?(?:{alt('note_victims.intransitive')}))\b"
        rf"|\b(?:{alt('note_victims.killing')}|(?P<shot>shot))\s+(?:by\s+\w+\s+)?{both('2')}"
        rf"|\b(?:{alt('note_victims.to_death')})\s+(?:(?P<det3>a|an|the)\s+{adj}{person}|(?P<pron>him|her))\s+(?:\w+\s+){{0,2}}?to death"
        rf"|\b(?:{alt('note_victims.body')})\s+(?P<det5>a|an)\s+{adj}{person}\b[^.;]{{0,80}}?\b(?:found|discovered|recovered)\b"
        rf"|\b(?P<det6>a|an)\s+{adj}{person}['’]s\s+body\b[^.;]{{0,60}}?\b(?:found|discovered|recovered)\b"
        rf"|\b(?:a|one)\s+(?:dead\s+)?body\s+(?:was|is|has\s+been|had\s+been)\s+(?:\w+\s+)?(?:found|discovered|recovered)\b"
        rf"|\b(?:{alt('note_victims.outcome')})\s+(?:in\s+)?(?:the\s+)?(?:(?:a|one)\s+(?:death|fatality)\b|death\s+of\s+(?P<det4>a|an|the)\s+{adj}{person}\b)",
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
        n = parse_number(m.group("n") or m.group("n2") or m.group("n3") or m.group("n4") or m.group("n5"))
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


@cache
def _set_apart() -> tuple[re.Pattern, re.Pattern]:
    """(what a death must follow closely to be a grievance or a victim's past, what makes it no violence)."""
    alt = partial(alternation, "lexicons/measures.yaml")
    before = re.compile(rf"(?:\b(?:{alt('note_victims.grievance_protest')})\b[^.;]{{0,80}}?\b(?:{alt('note_victims.grievance_link')})"
                        rf"|\b(?:{alt('note_victims.background')}))\b[^,;.]{{0,45}}$", re.I)
    return before, pattern("lexicons/measures.yaml", "note_victims.no_violence")


def not_this_events(sentence: str, at: int) -> bool:
    """A death a sentence tells of that is not this event's: the one a protest is about ("marched
    after a child died"), a victim's own crime ("accused of killing a man"), or one with no violence
    ("killed in a road accident", "died from coronavirus")."""
    before, no_violence = _set_apart()
    return bool(before.search(sentence[:at]) or no_violence.search(sentence))


def singular_victims(text: str, known: int = 0) -> int:
    """People killed one by one in words with no number ("killed the driver", "a woman died", "a
    farmer and a herder were killed"). A victim named again ("killing the man", "burned him to
    death" after "captured a burglar") is the one already counted, and a death a protest is about
    ("demonstrated after a child died") or a victim's own crime ("accused of killing a man") is no
    death of this event. ``known`` is how many deaths the note's numbers already count ("Three officers
    were killed ... killing the officers"); a bare "shot a civilian" is a death unless the note says
    the victim was wounded."""
    wounded = pattern("lexicons/measures.yaml", "note_victims.wounded")
    count = 0
    for sentence in re.split(r"(?<=[.;])\s+", text):
        for m in _victims().finditer(sentence):
            if re.search(r"\b(?:no|none|nobody)\b", m.group(0), re.I) or not_this_events(sentence, m.start()):
                continue
            if m.group("shot") and wounded.search(sentence[m.end():]):
                continue  # "shot a fisherman, wounding him in the thigh"
            det = next((m.group(g) for g in ("det1", "det2", "det3", "det4", "det5", "det6") if m.group(g)), "")
            if (det.lower() == "the" or m.group("pron")) and (count or known):
                continue  # the victim already told of
            more = m.group("more1") or m.group("more2") or ""
            count += 1 + len(re.findall(r",(?!\s*and\b)|\band\b", more))  # "a boy, a woman and a demonstrator"
    return count
