"""Which of a sentence's places and dates say where and when the counted thing happened.

A sentence names places and days for other reasons too: the speaker's title ("Donetsk Oblast Gov.
Pavlo Kyrylenko", "the Defense Ministry in Moscow") and the day a statement was made ("officials
said Friday"). Those are skipped here so that claims and events get the place and day of the
incident, which is what the gold data and ACLED record.
"""

from __future__ import annotations

import re
from functools import cache

from claimledger.analyse.attribution import SPEECH_CUE
from claimledger.analyse.gazetteer import norm
from claimledger.analyse.place_capitals import is_national_capital
from claimledger.analyse.place_tables import tables
from claimledger.data import alternation, load_yaml, pattern
from claimledger.records import Place

_ROLE_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:oblast\s+|regional\s+|region(?:al)?\s+|city\s+|state\s+)?(?:gov\b|governor|mayor|"
    r"(?:military\s+|civil(?:ian)?\s+|regional\s+|city\s+)?administration|head\b|chief|ministry|defen[cs]e\s+ministry|"
    r"officials?|authorities|police|prosecutor|emergency\s+service|presidential|president|prime\s+minister|"
    r"foreign\s+minist|deputy|spokes|council|government|army|general\s+staff|military\b|interior|health\s+ministry|"
    r"state-owned|state\s+railway|national\s+rail|ukrzaliznytsia|embassy|intelligence|border\s+guard|"
    r"armed\s+forces|forces\b|troops|parliament)", re.I)
_ROLE_BEFORE = re.compile(
    r"(?:governor|mayor|head|chief|administration|ministry|officials?|authorities|office|president|"
    r"police|prosecutor|embassy|parliament|council|command)\s+(?:of|in|for)\s+(?:the\s+)?"
    r"(?:(?:[\w-]+\s+){0,2}(?:region|oblast|province|city|town|district|republic)\s+of\s+)?$", re.I)
_STATEMENT_VERBS = alternation("lexicons/speech.yaml", "frame_verbs", "participles", "statement_date_verbs")
_REPORT_VERB_BEFORE = re.compile(
    rf"\b(?:(?:told|telling)\s+[\w’']+(?:\s+[\w’']+)?|{_STATEMENT_VERBS})\s+"
    r"(?:in\s+a\s+statement\s+|(?:on|in|via)\s+(?:[\w’']+\s+){1,3})?(?:on\s+|late\s+|early\s+)?$",
    re.I)


# "Speaking on the phone from Kyiv, the commander said": where the speaker is, not the incident
_WHEREABOUTS_BEFORE = re.compile(r"\b(?:speaking|spoke|talking|calling|phoning|interviewed)\b[^.,;]{0,30}?\bfrom\s+(?:the\s+)?$",
                                 re.I)


def is_speaker_place(text: str, place: Place) -> bool:
    """A place named as part of a speaker's title or institution, or as where the speaker is
    talking from, not as where something happened."""
    before = text[max(0, place.evidence.start - 60):place.evidence.start]
    return is_title_place(text, place) or bool(_WHEREABOUTS_BEFORE.search(before))


def is_title_place(text: str, place: Place) -> bool:
    """A place named in a speaker's title or institution ("Kharkiv governor", "the mayor of
    Skadovsk"): the official's own town or region, unlike where a speaker talks from."""
    after = text[place.evidence.end:place.evidence.end + 40]
    before = text[max(0, place.evidence.start - 40):place.evidence.start]
    return bool(_ROLE_AFTER.match(after) or _ROLE_BEFORE.search(before))


def is_town_office(text: str, place: Place) -> bool:
    """'the mayor of the port city of Mykolaiv', 'Kharkiv's city council': a town named as a town's
    own office, which speaks of what happened in that town (lexicons/incident.yaml town_offices),
    unlike 'officials in Kyiv' or a ministry, which speak for a country."""
    before = text[max(0, place.evidence.start - 50):place.evidence.start]
    after = text[place.evidence.end:place.evidence.end + 30]
    return pattern("lexicons/incident.yaml", "town_offices", bounded=False).search(before) is not None \
        or pattern("lexicons/incident.yaml", "town_offices_after", bounded=False).match(after) is not None


def is_metonymy(text: str, place: Place) -> bool:
    """'Kyiv said', 'Moscow claims', 'the Kremlin-backed Kyiv regime': a place standing for its
    government speaks or is spoken of; nothing happened there."""
    after = text[place.evidence.end:place.evidence.end + 60]
    # unbounded: "'s forces" opens on an apostrophe, where no word boundary is
    if pattern("lexicons/incident.yaml", "capital_metonymy_after", bounded=False).match(after.lstrip()) is not None:
        return True
    before = text[max(0, place.evidence.start - 40):place.evidence.start]
    return pattern("lexicons/incident.yaml", "capital_metonymy_before", bounded=False).search(before) is not None


_LOCATOR_TAIL = re.compile(r"(?:the\s+)?(?:[\w’'-]+\s+){0,4}")   # "Ukraine's port city of ", "central "


def describes_unnamed(text: str, start: int, end: int) -> bool:
    """'struck a city in central Ukraine', 'in a coastal town near Odesa': the sentence speaks of
    a settlement it does not name (lexicons/incident.yaml unnamed_settlement)."""
    return pattern("lexicons/incident.yaml", "unnamed_settlement").search(text, start, end) is not None


def is_described_reference(text: str, place: Place) -> bool:
    """'in a coastal town near Ukraine's port city of Odesa', 'a village outside Kharkiv': a place
    named to locate a settlement the sentence has not named; the settlement is somewhere else, and
    usually named a sentence or two later."""
    start = place.evidence.start
    before = text[max(0, start - 90):start]
    return any(_LOCATOR_TAIL.fullmatch(before, m.end()) for m in
               pattern("lexicons/incident.yaml", "unnamed_settlement").finditer(before))


def is_report_date(text: str, start: int) -> bool:
    """'officials said Friday': the day of the statement, not of the incident."""
    return bool(_REPORT_VERB_BEFORE.search(text[max(0, start - 50):start]))


_REFERENCE_POINT = re.compile(
    r"(?:\b(?:miles?|km|kilometers?|kilometres?)\s+(?:\([^)]{0,30}\)\s+)?(?:\w+\s+){0,2}(?:of|from)|"
    r"\b(?:north|south|east|west)(?:east|west)?(?:ern)?\s+of|\boutside\s+of|\bborder\s+with)"
    r"\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}(?:(?:capital|city|town|port),\s+)?$"   # "southwest of the capital, Kyiv"
    # "the town of Bucha, near Kyiv": a town named after another, in apposition, to locate it
    r"|(?-i:(?<![A-Z])[A-Z][a-z][\w’'-]*)\s*[,(]\s*(?:just\s+)?(?:near|outside)\s+"
    r"(?:the\s+(?:city|town|village|capital)\s+(?:of\s+)?)?$", re.I)


_DATELINE_NAME = r"(?:[A-Z][\w.'’-]*\s*){1,3}"   # "Kyiv", "KRAMATORSK", "New York"
_DATELINE_BEFORE = re.compile(rf"\s*\(?(?:{_DATELINE_NAME}(?:,|\s+and)\s*)?")
_DATELINE_AFTER = re.compile(rf"\s*(?:(?:,|\s+and)\s*{_DATELINE_NAME})?\s*(?:\)|--|—|–|\(\w+\)\s*(?:--|—|–))")


def is_dateline(text: str, place: Place) -> bool:
    """'(Kyiv) Russia faces criticism...', 'MOSCOW -- A gunman...', 'Kyiv, Ukraine — A drone blew
    up ... in Crimea': where the report was filed (the city and its country), not where anything
    happened."""
    para_start = text.rfind("\n", 0, place.evidence.start) + 1
    if not _DATELINE_BEFORE.fullmatch(text[para_start:place.evidence.start]):
        return False  # a dateline opens its paragraph
    return bool(_DATELINE_AFTER.match(text[place.evidence.end:place.evidence.end + 40]))


def is_reference_point(text: str, place: Place) -> bool:
    """'about 35 miles east of the port city of Kherson', 'the town of Bucha, near Kyiv': a place
    named to locate another one."""
    return bool(_REFERENCE_POINT.search(text[max(0, place.evidence.start - 80):place.evidence.start]))


def as_region(text: str, place: Place) -> Place:
    """'a Donetsk apartment building': a town name used as an adjective names its region when the
    region carries the same name (the oblast centre's coordinates are the region's point)."""
    if place.precision != "point" or not place.admin1 or place.name.split()[0].lower()[:5] != place.admin1.lower()[:5]:
        return place
    before = text[max(0, place.evidence.start - 4):place.evidence.start]
    after = text[place.evidence.end:place.evidence.end + 20]
    if re.search(r"\b(?:a|an)\s+$", before) and re.match(r"\s+[a-z]", after):
        return Place(mention=place.mention, name=place.admin1, geonameid=None, lat=place.lat, lon=place.lon,
                     country=place.country, admin1=place.admin1, precision="admin1", evidence=place.evidence)
    return place


_ACT_VERBS = alternation("lexicons/sides.yaml", "munitions_verbs", "loss_verbs")
_ACTS = re.compile(rf"\s+(?:also\s+|\w+ly\s+)?(?:{_ACT_VERBS})\b", re.I)


def is_actor_country(text: str, place: Place) -> bool:
    """'Since Russia's invasion began', 'Ukraine's defence ministry said', 'the missiles Russia
    fired', 'Russia had lost 190 planes': a country as the party that acts (the firing and losing
    verbs of sides.yaml), not as where the counted thing happened."""
    if place.precision != "country":
        return False
    after = text[place.evidence.end:place.evidence.end + 40]
    if _ACTS.match(after):
        return True
    m = re.match(r"['’]s\s+", after)
    if m is not None:
        return pattern("lexicons/incident.yaml", "actor_possessive_after").match(after[m.end():]) is not None
    # the country's name as an adjective of its forces or people: "US forces conducted an airstrike",
    # "a UK national's home", "Kenya police" (ACLED's notes name a foreign party so, not where)
    m = re.match(r"\s+", after)
    return m is not None and pattern("lexicons/incident.yaml", "actor_adjective_after").match(after[m.end():]) is not None


_POSSESSIVE_NAME = re.compile(r"['’]s\s+((?-i:[A-Z][\w’'-]+)(?:\s+(?-i:[A-Z][\w’'-]+)){0,3})")


@cache
def _place_word_after() -> re.Pattern:
    words = alternation("places.yaml", "place_nouns")
    return re.compile(rf"\s*(?:\([^()]{{0,40}}\)\s*)?(?:{words})\b")


def is_country_of_name(doc, place: Place) -> bool:
    """'Britain's Johnson', 'Russia's Gazprom', 'France's Emmanuel Macron': a country's possessive
    before a name that is not a place is the nationality of a person or a body, not where anything
    happened. A name the gazetteer knows ("Ukraine's Donetsk region") or that a place word ends
    ("Kenya's Laikipia County", "Syria's Idlib Governorate": places.yaml place_after and
    feature_after; "Iran's Sino (Oshnavieh) town": place_nouns) is a place in that country."""
    if place.precision != "country":
        return False
    m = _POSSESSIVE_NAME.match(doc.text, place.evidence.end)
    if m is None or any(p.evidence.start == m.start(1) for p in doc.places):
        return False
    t = tables()
    if any(norm(w) in t.place_after or norm(w) in t.feature_after for w in m.group(1).split()):
        return False
    return _place_word_after().match(doc.text, m.end()) is None   # "Iran's Sino (Oshnavieh) town"


@cache
def _capital_voice() -> tuple[frozenset, frozenset, frozenset, frozenset, frozenset]:
    data = load_yaml("lexicons/incident.yaml")["capital_voice"]
    return tuple(frozenset(data[k]) for k in ("undergoes", "object_verbs", "prepositions", "possessions", "where_before"))


_PREV_WORD = re.compile(r"([\w’'-]+|[,(])\s*$")
_NEXT_WORD = re.compile(r"\s+([a-z][a-z’'-]*)\b")          # a lower-case word: a verb may follow its subject
_POSSESSED = re.compile(r"['’]s\s+([\w-]+)(?:\s+([\w-]+))?")  # "Moscow's hold", "Moscow's invading forces"


def is_capital_voice(doc, place: Place) -> bool:
    """'Moscow wanted to take civilians hostage', 'accused Moscow of shelling', 'considered by
    Moscow', "Moscow's hold on the territory": a national capital standing for its government
    (words in incident.yaml ``capital_voice``). A capital hit, entered or named as where ("struck
    Kyiv", "Kyiv was shelled", "in Moscow", "Kyiv came under attack", "Kyiv's outskirts") stays a
    place. The words around the name settle most mentions ("in Kyiv", "Moscow's demands", "by
    Moscow"); the sentence is parsed only for a subject or an object. Other towns never stand for a
    government."""
    if not is_national_capital(place):
        return False
    undergoes, object_verbs, prepositions, possessions, where_before = _capital_voice()
    text, start, end = doc.text, place.evidence.start, place.evidence.end
    prev = _PREV_WORD.search(text, max(0, start - 20), start)
    before = prev.group(1).lower() if prev is not None else ""
    if before in (",", "(") or before in where_before:
        return False   # "Integrity Centre, Nairobi", "in Kyiv", "In Tripoli and Sidon combined": where
    if before in prepositions:
        return True    # "considered by Moscow", "talks with Kyiv"
    owned = _POSSESSED.match(text, end)
    if owned is not None:
        return any(w.lower() in possessions for w in owned.group(1, 2) if w)   # "Moscow's hold", not "Kyiv's outskirts"
    after = _NEXT_WORD.match(text, end)
    subject = after is not None and after.group(1) not in ("and", "or")
    if not subject and not before.isalpha():
        return False   # "Kyiv, the capital", "Kyiv.": neither subject nor object of anything
    from claimledger.analyse.syntax import lemma, sentence_parse, token_at

    parse = sentence_parse(doc, doc.sentence_index(start))
    tok = token_at(parse, start)
    if tok is None:
        return False
    while tok.dep_ == "compound" and tok.head.i != tok.i and tok.head.pos_ == "PROPN":
        tok = tok.head   # "Kyiv" of "Kyiv City": the name's head
    if tok.dep_ == "nsubj":
        return lemma(tok.head).lower() not in undergoes
    if tok.dep_ == "dobj":
        return lemma(tok.head).lower() in object_verbs
    return False


def incident_places(doc, start: int, end: int) -> list[Place]:
    """Places in text[start:end] that can be where something happened, best first: towns before
    regions before countries, and within a rank the earliest."""
    rank = {"point": 0, "admin2": 1, "admin1": 2, "country": 3}
    # titles only hide a place when somebody in the sentence speaks ("the mayor of Skadovsk said"),
    # not when the titled person is the one things happened to ("abducted the mayor of Skadovsk")
    speaks = SPEECH_CUE.search(doc.text, start, end) is not None
    found = [as_region(doc.text, p) for p in doc.places if start <= p.evidence.start < end
             and not (speaks and is_speaker_place(doc.text, p))
             and not is_actor_country(doc.text, p) and not is_metonymy(doc.text, p)
             and not is_country_of_name(doc, p) and not is_capital_voice(doc, p)]
    # the filing city is where things happened only when the sentence names nowhere else
    # ("Bucha, Ukraine — Zelenskyy spoke ... killed civilians"; not "Kyiv, Ukraine — ... in Crimea")
    # or only its country and places named to locate it ("Lviv, Ukraine — ... Ukraine's border with Poland")
    # ("CHICAGO (CBS) -- ... have fled Ukraine": another country is somewhere else)
    filed = {id(p) for p in found if is_dateline(doc.text, p)}
    if filed:
        named = [p for p in found if id(p) not in filed]
        home = {p.country for p in found if id(p) in filed}
        # ("Kyiv, Ukraine — Russian missiles struck a city in central Ukraine": a city the sentence
        # leaves unnamed is not the filing city)
        if describes_unnamed(doc.text, start, end) or any(
                not is_reference_point(doc.text, p) and (p.precision != "country" or p.country not in home)
                for p in named):
            found = named
    # a reference point ("west of Izium") is where things happened only when nothing closer is named
    return sorted(found, key=lambda p: (is_reference_point(doc.text, p), id(p) in filed,
                                        rank.get(p.precision, 4), p.evidence.start))


def title_places(doc, start: int, end: int) -> list[Place]:
    """The towns and regions that only a speaker's title names in text[start:end] ("Kharkiv governor
    Oleh Synehubov said shelling hit the city centre"): where an official who names no other place
    speaks of, when no incident is under discussion yet (else the sentence speaks of that one)."""
    if SPEECH_CUE.search(doc.text, start, end) is None:
        return []
    return [as_region(doc.text, p) for p in doc.places if start <= p.evidence.start < end
            and p.precision != "country" and is_title_place(doc.text, p)
            and not is_actor_country(doc.text, p) and not is_metonymy(doc.text, p)]


def is_comparison_date(text: str, start: int) -> bool:
    """'the deadliest attack since April': a day named to compare the incident with earlier ones."""
    before = text[max(0, start - 80):start].rstrip()
    if text[start:start + 6].lower() == "since ":
        pass  # the mention itself opens with "since"
    elif before.lower().endswith("since"):
        before = before[:-5]
    else:
        return False
    return pattern("lexicons/incident.yaml", "comparison_before_period", bounded=False).search(
        before.rstrip() + " ") is not None


def incident_dates(doc, start: int, end: int) -> list:
    """The days text[start:end] gives for what happened: not a statement's day, not a comparison's,
    and never one after the report was published ("a day after the crash" read forward from the
    publication day, "talks next week"): what a report tells as done had happened by then."""
    published = doc.meta.published
    return [d for d in doc.dates if start <= d.start < end and not is_report_date(doc.text, d.start)
            and not is_comparison_date(doc.text, d.start)
            and not (published and d.start_date and d.start_date > published)]


def inside(fine: Place, coarse: Place) -> bool:
    """A town lies within a region or country named more coarsely (same country, same oblast)."""
    if coarse.precision == "country":
        return fine.country == coarse.country
    if coarse.precision == "admin1":
        return fine.country == coarse.country and bool(fine.admin1) and fine.admin1 == coarse.admin1
    return False


def report_date(doc, start: int, end: int):
    """The day a statement in text[start:end] was made, when the sentence gives no other day.

    Tolls are usually announced the day they happen ("the territorial defense claimed on
    Saturday"); a sentence that also holds a vague date ("earlier this month") is left undated.
    """
    inside_ = [d for d in doc.dates if start <= d.start < end]
    if any(d.start_date is None for d in inside_):
        return None
    reported = [d for d in inside_ if d.start_date and is_report_date(doc.text, d.start)]
    return reported[0] if reported else None


def is_near_town(text: str, place: Place) -> bool:
    """'outside Moscow', 'on the outskirts of Kharkiv', 'near the city of Izium': the place is named
    as what something lies near, not in (lexicons/incident.yaml near_town)."""
    before = text[max(0, place.evidence.start - 60):place.evidence.start]
    return pattern("lexicons/incident.yaml", "near_town", bounded=False).search(before) is not None


def _locates(text: str, place: Place) -> bool:
    """'a village outside Kharkiv', 'a coastal town near Odesa': a town named to say where another
    place lies, not the place itself."""
    return is_near_town(text, place) or is_described_reference(text, place)


def earlier_town(doc, si: int) -> Place | None:
    """The town a sentence that names no place points back to ("killed there alone", "from the
    steel plant", "to hit the city") and names no place at all: the last town named in the three
    sentences before it, within its paragraph. A report names the city once and goes on about it; the country is no answer."""
    span = doc.sentences[si]
    if pattern("lexicons/incident.yaml", "place_anaphora").search(doc.text, span.start, span.end) is None:
        return None
    if any(span.start <= p.evidence.start < span.end for p in doc.places):
        return None  # "Mariupol authorities said ... left the city", "Moscow officials": its own place decides
    for sj in range(si - 1, max(-1, si - 4), -1):
        prev = doc.sentences[sj]
        if "\n" in doc.text[prev.end:span.start]:
            return None  # another paragraph
        towns = [p for p in incident_places(doc, prev.start, prev.end)
                 if p.precision in ("point", "admin2") and not is_reference_point(doc.text, p)]
        # "Yakovlivka, a small farming village outside Kharkiv": the town outside which it lies only locates it
        towns = [p for p in towns if not _locates(doc.text, p)] or towns
        if towns:
            return max(towns, key=lambda p: p.evidence.start)
    return None
