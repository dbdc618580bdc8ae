"""Settlements the text names and the gazetteer does not know: kept as unresolved places.

A report that says "shelling in the village of Zzyzxivka, Kharkiv" says where, even when no
gazetteer has Zzyzxivka: dropping the name loses what the text says, and moving the incident to
Kharkiv city or to the next town named puts it somewhere it was not.  Such a mention becomes a
``Place`` with ``unresolved=True``: its own text as mention and name, no geonameid, and the area
that holds it (an oblast or raion named with it) for
country, admin1, precision and coordinates.  Three constructions make a mention a settlement:

* a town name its own qualifier contradicts ("X, Kharkiv" with no X in Kharkiv Oblast; "X, Izium
  district" with none in that raion): the qualifier is the area;
* an unknown capitalised name written with a settlement word or locative before an oblast
  (ACLED's "near Zalyman village, Kharkiv", "in Zalyman (Kharkiv)"): the oblast is the area;
* a settlement word with an unknown capitalised name and no qualifier ("the village of X", "X
  village"): the area is the region of its sentence, else the one region the document names.

See docs/places.md ("Unknown places").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from claimledger.records import Place, Span

# "the village of X", "X village", "the settlement of X", "urban-type settlement X"
_WORD_BEFORE_RE = re.compile(r"\b(?:village|settlement|hamlet|township)\s+(?:of\s+)?(?=[A-Z])")
_WORD_AFTER_RE = re.compile(r"\s+(?:village|settlement|hamlet)\b")
_NAME_RE = re.compile(r"[A-Z\u0400-\u042F][\w'’]*(?:-[\w'’]+)*(?:\s+(?:imeni|na|nad|pid|u)\s+[A-Z][\w'’\-]*"
                      r"|\s+[A-Z\u0400-\u042F][\w'’]*(?:-[\w'’]+)*){0,2}")
# what may follow an unknown name before its oblast: settlement words only ("Zalyman village, ")
_TAIL_RE = re.compile(r"(?:\s+(?:village|settlement|town|hamlet|area))?\s*(?:,|\()\s*$", re.I)
_LOCATIVE_BEFORE_RE = re.compile(r"\b(?:in|near|at|outside|around|towards?|of|into|from|on)\s+(?:the\s+)?$", re.I)
# "shelled X, Donetsk", "occupied X, Mykolaiv": the object of a lower-case verb; not a name after a
# capitalised word ("Denis Pushilin, Donetsk") or after speech ("said Pushilin, Donetsk")
_OBJECT_BEFORE_RE = re.compile(r"(?<![\w'’\-])(?!(?:said|says|told|according|to|by|and|with|spokesman|head|"
                               r"leader|governor|mayor|chief)\b)[a-z][\w'’\-]*\s+$")
_DIVISION_WORDS = frozenset({"raion", "rayon", "district", "oblast", "region", "province", "hromada", "community",
                             "republic", "krai", "territory", "county", "state"})


def area_place(t, text: str, start: int, end: int, area) -> Place | None:
    """An unresolved place for text[start:end] inside ``area``: ("admin1", (cc, code)) or
    ("division", Cand) for a raion or hromada of an imported dump."""
    name = text[start:end]
    kind, value = area
    if kind == "admin1":
        if value not in t.admin1_place:
            return None
        _full, lat, lon, admin1 = t.admin1_place[value]
        return Place(mention=name, name=name, geonameid=None, lat=lat, lon=lon, country=value[0], admin1=admin1,
                     precision="admin1", evidence=Span(start, end), unresolved=True)
    from claimledger.analyse import gazetteer as gz

    d = value
    admin1 = t.admin1_name.get((d.cc, d.adm1)) or gz.get().admin_name(d.cc, d.adm1)
    return Place(mention=name, name=name, geonameid=None, lat=d.lat, lon=d.lon, country=d.cc, admin1=admin1,
                 precision="admin1" if d.kind == gz.KIND_ADMIN1 else "admin2", evidence=Span(start, end),
                 unresolved=True)


def name_before_qualifier(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The unknown settlement's span in ``text[lo:hi]``, the name that ends at an oblast's comma or
    bracket ("near Zalyman village, " -> "Zalyman"), when the writer marks it as a place: a
    locative or a verb's object before it, a settlement word or ACLED's bracket after it.  None
    for anything else ("said Pushilin, ", "Kalmiuskyi raion, ")."""
    tail = _TAIL_RE.search(text, lo, hi)
    if tail is None:
        return None
    for m in _NAME_RE.finditer(text, lo, tail.start()):
        if m.end() != tail.start():
            continue
        words = m.group().split()
        if words[-1].lower() in _DIVISION_WORDS:
            return None   # "Kalmiuskyi raion, Donetsk": a division, not a settlement
        before = text[max(0, m.start() - 20):m.start()]
        marked = tail.group().strip(" ,(") != "" or "(" in tail.group() or _LOCATIVE_BEFORE_RE.search(before) \
            or _OBJECT_BEFORE_RE.search(before)
        return (m.start(), m.end()) if marked else None
    return None


def settlement_spans(text: str, taken: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names written with a settlement word ("the village of X", "X village") that no mention
    covers, as (start, end) spans in text order."""
    taken = sorted(taken)

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    out = []
    for w in _WORD_BEFORE_RE.finditer(text):
        m = _NAME_RE.match(text, w.end())
        if m and free(m.start(), m.end()) and m.group().split()[-1].lower() not in _DIVISION_WORDS:
            out.append((m.start(), m.end()))
    for w in _WORD_AFTER_RE.finditer(text):
        m = re.search(r"([A-Z][\w'’]*(?:-[\w'’]+)*)$", text[max(0, w.start() - 40):w.start()])
        if m is None:
            continue
        s = w.start() - len(m.group(1))
        if free(s, w.start()) and (s, w.start()) not in out:
            out.append((s, w.start()))
    return sorted(out)


def settlements(res, places: list[Place]) -> list[Place]:
    """"the village of X", "X village" with X unknown, for a :class:`Resolver` ``res`` whose
    ``places`` are emitted: unresolved places in the region of their sentence (a raion or oblast
    named there, else the one oblast of its towns), else in the one region the document names
    when that agrees with the countries of the parties it names.  A country alone is no area
    ("Israel's recognition of Somaliland" in a Somali note does not put its village in Israel):
    such a name gets no place, and its incident stays unplaced as before."""
    from claimledger.analyse.place_capitals import is_demonym
    from claimledger.analyse.place_lookup import key_of
    from claimledger.analyse.place_recognition import Tok, party_countries

    taken = [(m.start, m.end) for m in res.mentions] + [(p.evidence.start, p.evidence.end) for p in places]
    code_of = {(code[0], name): code for code, name in res.t.admin1_name.items()}
    named = [p for p in places if p.precision != "point" and not p.unresolved]
    homes: set | None = None
    out = []
    for s, e in settlement_spans(res.text, taken):
        first = res.text[s:e].split()[0]
        if not res.scan._unknown(Tok(s, e, e, key_of(first), False, False)) or is_demonym(first):
            continue   # "The village", "Ukrainian village", "the eastern Polish village": no name
        sent = res.scan.sentence_of(s)
        area = _area(res, [p for p in places if res.scan.sentence_of(p.evidence.start) == sent], code_of)
        if area is None:   # "the governor of Luhansk region" elsewhere in a report about Luhansk
            homes = party_countries(res.text) if homes is None else homes
            area = _area(res, named, code_of)
            if area is not None and homes and (area[1].cc if area[0] == "division" else area[1][0]) not in homes:
                area = None
        p = area_place(res.t, res.text, s, e, area) if area is not None else None
        if p is not None:
            out.append(p)
    return out


def _area(res, places: list[Place], code_of: dict):
    """The one region these places name or lie in: a raion mention, else one oblast."""
    starts = {p.evidence.start for p in places}
    for m in res.mentions:
        if m.kind == "division" and m.division is not None and not m.drop and m.start in starts:
            return ("division", m.division)
    codes = {code_of.get((p.country, p.admin1)) for p in places if p.precision != "country" and not p.unresolved}
    codes.discard(None)
    return ("admin1", codes.pop()) if len(codes) == 1 else None
