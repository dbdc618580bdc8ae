"""Place resolution: which gazetteer entry each recognised mention is.

Ukraine has dozens of Oleksandrivkas, and an imported country dump six times more places than
cities500, so the order of evidence matters:

(a) a qualifier written right after the town: an oblast ("Udy, Kharkiv", "X in Donetsk Oblast",
    ACLED's "X (Kharkiv)"), a raion ("Novoselivka, Izium district"), a country ("KYIV, Ukraine"),
    or the next town ("Bezruky, Derhachi");
(b) oblasts and raions named in the same sentence or document, and nearness to the document's
    unambiguous places (the nearest cluster), the document's own country;
(c) feature rank (a raion seat over a hamlet), population and the country bonus.

A tiny unpopulated entry (a hamlet of an imported dump, or a village named like a common word)
needs evidence from (a) or (b): without it the mention is not output, since "Druzhba" or
"Peremoha" in a story are far more often a word than a hamlet.  See docs/places.md.
"""

from __future__ import annotations

import math
import re

from claimledger.analyse.gazetteer import ALT, FULL_COUNTRIES, KIND_DISTRICT, Cand
from claimledger.analyse.place_lookup import (
    FOREIGN_BARE_POP,
    MAJOR_POP,
    TOWN_POP,
    candidates,
    key_of,
    respelled,
)
from claimledger.analyse.place_recognition import (
    LIST_RE,
    QUAL_RE,
    UNKNOWN_BEFORE_RE,
    DocScan,
    Mention,
    Tok,
    home_countries,
    home_votes,
)
from claimledger.analyse.place_unresolved import area_place, name_before_qualifier, settlements
from claimledger.geo import km, km_to_line
from claimledger.records import Place, Span

SAME_SENTENCE_ADMIN1 = 3.0
SAME_DOC_ADMIN1 = 1.5
SAME_SENTENCE_RAION = 3.5   # "Novoselivka ... in the Izium district": the raion is more precise
SAME_DOC_RAION = 2.0
DOC_COUNTRY_BONUS = 2.0     # a homonym abroad loses to the document's own country
CONTEXT_CAP = 3.0         # document-level evidence together is worth at most this much
NEXT_TOWN_BONUS = 3.0     # "Podilskyi district of Kyiv", "Bezruky, Derhachi": near the next town
NEAR_KM = 60.0
RAION_KM = 40.0           # a historical raion (no code) holds the places this close to its centre
DISTRICT_KM = 50.0        # an urban district needs a known place this close
THEATRE_KM = 500.0        # a big city this close to the document's places is "in the story"
ANCHOR_MARGIN = 2.0       # a mention whose best candidate leads by this much anchors the others
TINY_POP = 1              # below this (no population recorded) a dump entry needs context
# "near X", "the village of X", "outskirts of X": the writer says it is a place.
_LOCATIVE_BEFORE_RE = re.compile(r"\b(?:in|near|at|outside|around|towards?|village\s+of|settlement\s+of|outskirts\s+of|"
                                 r"direction\s+of)\s+(?:the\s+)?$", re.I)
_COMMA_RE = re.compile(r"\s*,\s*")
_LAST_WORD_BEFORE_RE = re.compile(r"(?<![\w'’\-])([A-Z][\w'’\-]*)\s*[,(]\s*$")
_PLACE_WORD_RE = re.compile(r"\s+(?:village|settlement|town|hamlet)\b|(?:village|settlement|town|hamlet)\s+of\s+$",
                            re.I)


class Resolver:
    """Resolves the mentions of one scanned document; see the module docstring for the order."""

    def __init__(self, scan: DocScan, mentions: list[Mention]):
        self.scan, self.text, self.t = scan, scan.text, scan.t
        self.mentions = mentions
        self.by_start = {m.start: m for m in mentions}
        for m in mentions:
            m.sent = scan.sentence_of(m.start)

    def run(self) -> list[Place]:
        for m in self.mentions:
            if m.kind == "town":
                self._qualifier(m)
        self._oblast_after_unknown()
        self._oblast_after_division()
        self._context()
        return self._emit()

    # -- (a) qualifiers ------------------------------------------------------------------------
    def _qualifier(self, m: Mention) -> None:
        """", Kharkiv", " in Donetsk Oblast", ", Izium district", ", Ukraine" right after a town."""
        q = QUAL_RE.match(self.text, m.end)
        nxt = self.by_start.get(q.end()) if q else None
        if nxt is None or nxt is m:
            return
        sep = q.group().strip()[-1:]
        if nxt.kind == "division" and nxt.division is not None:
            if not _restrict_or_respell(m, lambda c, d=nxt.division: _in_division(c, d)) and not _sure(m):
                m.drop, m.lacks = True, ("division", nxt.division)  # no village of that name in that raion
        elif nxt.kind == "admin1" and nxt.admin1:
            if not _restrict_or_respell(m, lambda c, code=nxt.admin1: (c.cc, c.adm1) == code) and not _sure(m):
                m.drop, m.lacks = True, ("admin1", nxt.admin1)  # no town of that name in that oblast
        elif nxt.kind in ("country", "state") and sep in (",", "("):
            top = nxt.cands[0].cand
            if nxt.kind == "country":
                _restrict(m, lambda c, iso=top.cc: c.cc == iso)
            else:
                _restrict(m, lambda c, st=top.adm1: c.cc == "US" and c.adm1 == st)
        elif nxt.kind == "town" and nxt.alias_oblast and sep in (",", "("):
            self._oblast_qualifier(m, nxt)
        elif nxt.kind == "town" and self._abroad_qualifier(m, nxt, q):
            pass
        elif nxt.kind == "town":
            top = nxt.cands[0].cand
            if top.lat is not None and (top.cc in FULL_COUNTRIES or top.cc in self.scan.imported):
                m.near = (top.lat, top.lon)
                if q.group("part") and not _restrict(
                        m, lambda c, a=top: c.lat is not None and km(c.lat, c.lon, a.lat, a.lon) < NEAR_KM):
                    m.drop = True  # "the Kirov neighbourhood of Mariupol" is not the city of Kirov

    def _abroad_qualifier(self, m: Mention, nxt: Mention, q) -> bool:
        """"X, Y" / "X (Y, Z)" / "X neighbourhood in Y" with Y a town abroad: X is in Y's country.

        Outside the war's and the imported countries the gazetteer has no divisions, but the
        district or province ACLED writes after a village is usually named like its main town.
        When the two disagree on the country, the smaller is a homonym ("Gulistan area, Dhaka
        city": not Guliston of Uzbekistan; "Baardheere, Gedo": not Gedo of Ethiopia) and is
        dropped.  True when handled here.
        """
        top = nxt.cands[0].cand
        if top.cc in FULL_COUNTRIES or top.cc in self.scan.imported or top.lat is None:
            return False
        part = (q.group("part") or "").lower()
        if part and not part.startswith(("district", "raion", "rayon")) and q.group().strip()[-1:] not in (",", "("):
            # "the Odweyne neighbourhood in Mogadishu": near that town, or not known ("Tangail
            # district (Dhaka)" is a district of the province named after Dhaka, not of the city)
            if not _restrict(m, lambda c, a=top: c.lat is not None and km(c.lat, c.lon, a.lat, a.lon) < NEAR_KM):
                m.drop = True
            return True
        if q.group().strip()[-1:] not in (",", "(") or self._listy(nxt):
            return True
        mine = m.cands[0].cand
        if mine.cc == top.cc or _restrict(m, lambda c, cc=top.cc: c.cc == cc):
            return True
        if max(mine.pop, top.pop) < MAJOR_POP or mine.pop < MAJOR_POP <= top.pop:
            (m if mine.pop < top.pop else nxt).drop = True
        return True

    def _oblast_qualifier(self, m: Mention, nxt: Mention) -> None:
        """"X, Kharkiv" / "X (Kharkiv)": Kharkiv is the oblast, unless it is a list of cities."""
        code = nxt.alias_oblast
        inside = [cs for cs in m.cands if (cs.cand.cc, cs.cand.adm1) == code]
        listy = self._listy(nxt)
        if not inside and not listy and _respell(m, lambda c: (c.cc, c.adm1) == code):
            inside = m.cands
        if inside:
            if inside[0] is m.cands[0] and listy:
                return  # "Kharkiv, Sumy and Chernihiv": a list of cities
            _restrict(m, lambda c, code=code: (c.cc, c.adm1) == code)
        elif listy or _sure(m) or m.cands[0].cand.cc != code[0]:
            return
        else:
            m.drop, m.lacks = True, ("admin1", code)  # "Senkivka, Chernihiv" with no Senkivka of Chernihiv known
        self._make_admin1(nxt, code)

    def _oblast_after_unknown(self) -> None:
        """ACLED's "in <unknown village>, Donetsk.": the oblast, not its capital city; the village
        itself an unresolved place in it when the writer marks it as a settlement."""
        self.unknown_spans: list[tuple[int, int, tuple]] = []
        for m in self.mentions:
            if m.kind == "town" and m.alias_oblast and not self._listy(m):
                for rx in (UNKNOWN_BEFORE_RE, _LAST_WORD_BEFORE_RE):  # "Zalyman village, ", "Shakhta imeni Izotova, "
                    pm = rx.search(self.text, max(0, m.start - 60), m.start)
                    closed = pm is not None and (pm.group().rstrip()[-1] == "," or self.text.startswith(")", m.end))
                    if closed and not any(o.start <= pm.start() < o.end for o in self.mentions) \
                            and self.scan._unknown(Tok(pm.start(), pm.end(), pm.end(), key_of(pm.group(1)), False, False)):
                        self._make_admin1(m, m.alias_oblast)
                        span = name_before_qualifier(self.text, max(0, m.start - 60), m.start)
                        if span is not None:
                            self.unknown_spans.append((*span, ("admin1", m.alias_oblast)))
                        break

    def _oblast_after_division(self) -> None:
        """"Polohy district, Zaporizhia": the raion's oblast, not the city."""
        for m in self.mentions:
            if m.kind != "division":
                continue
            q = _COMMA_RE.match(self.text, m.end)
            nxt = self.by_start.get(q.end()) if q else None
            if nxt is not None and nxt.kind == "town" and nxt.alias_oblast and not self._listy(nxt) \
                    and m.admin1 in (None, nxt.alias_oblast) and nxt.alias_oblast in self.t.admin1_place:
                self._make_admin1(nxt, nxt.alias_oblast)

    def _listy(self, m: Mention) -> bool:
        """Is this mention one item of a list of places ("X, Y and Z"), not a qualifier?"""
        lq = LIST_RE.match(self.text, m.end)
        return bool(lq) and lq.end() in self.by_start

    def _make_admin1(self, m: Mention, code: tuple) -> None:
        full, lat, lon, name = self.t.admin1_place[code]
        m.kind, m.admin1 = "admin1", code
        m.place = Place(mention=self.text[m.start:m.end], name=full, geonameid=None, lat=lat, lon=lon,
                        country=code[0], admin1=name, precision="admin1", evidence=Span(m.start, m.end))

    # -- (b) context -----------------------------------------------------------------------------
    def _context(self) -> None:
        """Oblasts and raions named per sentence and document, anchors, the document's countries."""
        self.sent_admin1: dict[int, set] = {}
        self.doc_admin1: set = set()
        self.sent_div: dict[int, list] = {}
        self.doc_div: list[Cand] = []
        self.home = home_countries([m for m in self.mentions if not m.drop])
        for m in self.mentions:
            if m.kind in ("admin1", "division") and m.admin1:
                self.sent_admin1.setdefault(m.sent, set()).add(m.admin1)
                self.doc_admin1.add(m.admin1)
            if m.kind == "division" and m.division is not None:
                self.sent_div.setdefault(m.sent, []).append(m.division)
                self.doc_div.append(m.division)
        # "the OSCE SMM observed explosions near X": X lies in the oblasts the phrase implies
        for rx, codes in self.t.context_admin1 if self.t.any_context_admin1.search(self.text) else ():
            for hit in rx.finditer(self.text):
                self.sent_admin1.setdefault(self.scan.sentence_of(hit.start()), set()).update(codes)
                self.doc_admin1.update(codes)
        at_home = FULL_COUNTRIES | self.scan.imported | self.home
        self.fronts = [f for f in self.t.front_lines if f.holds_on(self.scan.day)]   # the fronts of its day
        self.anchors: list[tuple[float, float]] = []
        self.anchor_of: dict[int, tuple[float, float]] = {}   # a qualified mention's start -> its anchor
        for m in self.mentions:
            if m.kind == "town" and not m.drop and (m.qualified or len(m.cands) == 1
                                                    or m.cands[0].score - m.cands[1].score >= ANCHOR_MARGIN):
                c = m.cands[0].cand
                if c.cc in at_home and c.lat is not None and c.kind != KIND_DISTRICT \
                        and (m.qualified or not _tiny(c)):
                    self.anchors.append(point := (c.lat, c.lon))
                    if m.qualified:
                        self.anchor_of[m.start] = point
        self.chosen_by_key: dict[str, Cand] = {}
        for m in self.mentions:
            if m.kind == "town" and m.qualified:
                self.chosen_by_key.setdefault(m.key, self._choose_qualified(m))

    def _choose_qualified(self, m: Mention) -> Cand:
        """"X, Donetsk" with several X in Donetsk Oblast: the context decides among those, as for
        a bare name (the qualifier has already narrowed the candidates to its oblast)."""
        return m.cands[0].cand if len(m.cands) == 1 else self._choose(m)

    def _choose(self, m: Mention) -> Cand:
        """(b)-(c): context bonuses on top of rank, population and country.

        Against a big city (the population favourite is a MAJOR_POP town in Ukraine or near the
        document's other places) only an oblast named in the same sentence counts: "Mykolaiv" in
        a story about Donetsk Oblast is still the city, not the Donetsk village whose alternate
        name it is (even in the same sentence: the village's own name is Mykolaivka); but
        "Seversk" near Bakhmut is Siversk, not the Siberian city.
        """
        fav = m.cands[0].cand
        # "X, Donetsk" with several X there anchors the others at its favourite, a guess: not for itself
        own = self.anchor_of.get(m.start)
        anchors = [a for a in self.anchors if a is not own] if own else self.anchors
        big = fav.pop >= MAJOR_POP and (fav.cc == "UA" or fav.pop >= FOREIGN_BARE_POP
                                        or _proximity_km(fav, anchors) < THEATRE_KM)
        sent_admin1 = self.sent_admin1.get(m.sent, ())
        sent_div = self.sent_div.get(m.sent, ())
        best, best_s = fav, -1e9
        for c, s, f in m.cands:
            code = (c.cc, c.adm1)
            if c.cc in self.home and c.cc not in FULL_COUNTRIES:
                s += DOC_COUNTRY_BONUS  # the war's countries have their own bonus (place_lookup)
            in_raion = any(_in_division(c, d) for d in sent_div)
            named = in_raion or (code in sent_admin1 and not (big and f & ALT and c is not fav))
            s += SAME_SENTENCE_RAION if in_raion else SAME_SENTENCE_ADMIN1 if named else 0.0
            if not big:
                # the document's evidence beyond the sentence: among namesakes of the sentence's own
                # oblast too ("X, Donetsk" has several X: the one near the report's other towns)
                raion = SAME_DOC_RAION if not in_raion and any(_in_division(c, d) for d in self.doc_div) else 0.0
                s += min(CONTEXT_CAP, (SAME_DOC_ADMIN1 if code in self.doc_admin1 and not named else 0.0) + raion
                         + _proximity(c, anchors) + _front_bonus(c, fav, self.fronts)
                         + (NEXT_TOWN_BONUS if m.near and km(c.lat, c.lon, *m.near) < NEAR_KM else 0.0))
            if s > best_s:
                best, best_s = c, s
        return best

    def _elsewhere(self, m: Mention) -> bool:
        """A small town none of whose entries is in the country of the oblast its sentence names."""
        countries = {code[0] for code in self.sent_admin1.get(m.sent, ())}
        return bool(countries) and not _sure(m) and not any(cs.cand.cc in countries for cs in m.cands)

    def _placed_by_others(self, m: Mention, c: Cand) -> bool:
        """The document itself puts this entry there: a qualifier, its oblast or raion named, or a
        known place nearby."""
        if m.qualified or (c.cc, c.adm1) in self.doc_admin1 or any(_in_division(c, d) for d in self.doc_div):
            return True
        if m.near and c.lat is not None and km(c.lat, c.lon, *m.near) < NEAR_KM:
            return True
        return 1.0 <= _proximity_km(c, self.anchors) < NEAR_KM

    def _foreign_village(self, m: Mention, c: Cand) -> bool:
        """A village of an imported dump far from every sure place of a document about other countries
        ("in the Bazar area of Adraskan district, Herat" is no Ukrainian Bazar): only the document's
        own evidence places it."""
        if c.src != 1 or c.lat is None or c.pop >= TOWN_POP:
            return False
        away = [km(c.lat, c.lon, a, b) for a, b in self.anchors]
        away = [d for d in away if d >= 1.0]   # not the entry itself
        if not away or min(away) <= THEATRE_KM or self._placed_by_others(m, c):
            return False
        others = home_votes([o for o in self.mentions if not o.drop and o.key != m.key])
        return c.cc not in others   # the name's own entry is no evidence of its country

    def _has_context(self, m: Mention, c: Cand) -> bool:
        """Evidence beyond the name itself that this small entry is the place meant."""
        if self._placed_by_others(m, c):
            return True
        if m.key in self.t.needs_context:
            return False  # "Ramadan": a locative is not enough
        return bool(_PLACE_WORD_RE.match(self.text, m.end) or _LOCATIVE_BEFORE_RE.search(self.text, max(0, m.start - 30),
                                                                                       m.start))

    # -- output -----------------------------------------------------------------------------------
    def _emit(self) -> list[Place]:
        places: list[Place] = []
        for m in self.mentions:
            if m.drop:
                if m.lacks is not None and not self.scan.query:
                    places.extend(self._unresolved([(m.start, m.end, m.lacks)]))
                continue
            if m.place is not None:
                places.append(m.place)
            elif m.kind == "country":
                places.append(self._country_place(m))
            elif m.kind == "state":
                places.append(self._state_place(m))
            else:
                if not m.qualified and self._elsewhere(m):
                    continue  # "Shakhta [imeni Izotova], Donetsk": not a Russian village Shakhta
                if m.qualified:
                    c = self._choose_qualified(m)
                elif m.key in self.chosen_by_key:
                    c = self.chosen_by_key[m.key]  # one sense per discourse
                elif len(m.cands) == 1:
                    c = m.cands[0].cand
                else:
                    c = self._choose(m)
                if c.kind == KIND_DISTRICT and not m.qualified and _proximity_km(c, self.anchors) > DISTRICT_KM \
                        and (c.cc in FULL_COUNTRIES or c.cc in self.scan.imported) \
                        and not (m.near and km(c.lat, c.lon, *m.near) < DISTRICT_KM) \
                        and (not c.src or len(m.cands) > 1):
                    # "Shevchenkivskyi district": every city has one; which is unknown.  A dump's
                    # named section with a name of its own ("Velyka Verhunka" of Luhansk) is kept.
                    continue
                if (_tiny(c) or m.key in self.t.needs_context) and not self.scan.query \
                        and not self._has_context(m, c):
                    continue  # "Peremoha", "Druzhba": a word far more often than a hamlet
                if not self.scan.query and self._foreign_village(m, c):
                    continue
                places.append(self._town_place(m, c))
        if not self.scan.query:
            # "Shakhta imeni Izotova, Donetsk": not where a mention ("Shakhta") is a place already
            places.extend(p for p in self._unresolved(self.unknown_spans)
                          if not any(o.evidence.start < p.evidence.end and p.evidence.start < o.evidence.end
                                     for o in places))
            places.extend(settlements(self, places))
            places.sort(key=lambda p: p.evidence.start)
        return places

    # -- settlements the gazetteer lacks (place_unresolved) -----------------------------------------
    def _unresolved(self, spans) -> list[Place]:
        out = [area_place(self.t, self.text, s, e, area) for s, e, area in spans]
        return [p for p in out if p is not None]

    def _town_place(self, m: Mention, c: Cand) -> Place:
        from claimledger.analyse import gazetteer as gz

        admin1 = self.t.admin1_name.get((c.cc, c.adm1)) or gz.get().admin_name(c.cc, c.adm1)
        return Place(mention=self.text[m.start:m.end], name=c.name, geonameid=c.gid, lat=c.lat, lon=c.lon,
                     country=c.cc, admin1=admin1, precision="point", evidence=Span(m.start, m.end))

    def _country_place(self, m: Mention) -> Place:
        c = m.cands[0].cand
        lat, lon = self.t.centroids.get(c.cc, (c.lat, c.lon))
        return Place(mention=self.text[m.start:m.end], name=c.name, geonameid=c.gid, lat=lat, lon=lon,
                     country=c.cc, admin1=None, precision="country", evidence=Span(m.start, m.end))

    def _state_place(self, m: Mention) -> Place:
        c = m.cands[0].cand
        return Place(mention=self.text[m.start:m.end], name=c.name, geonameid=c.gid, lat=None, lon=None,
                     country="US", admin1=c.name, precision="admin1", evidence=Span(m.start, m.end))


def _tiny(c: Cand) -> bool:
    """An imported hamlet with no population and no administrative rank."""
    return c.src == 1 and c.pop < TINY_POP and c.rank >= 5


def _in_division(c: Cand, d: Cand) -> bool:
    """Is place ``c`` inside raion/hromada/province ``d``? By code when both have one, else by distance."""
    if c.cc != d.cc or (d.adm1 and c.adm1 != d.adm1):
        return False
    if d.kind == "A":
        return True
    if d.adm2 and c.adm2:
        return c.adm2 == d.adm2
    return c.lat is not None and d.lat is not None and km(c.lat, c.lon, d.lat, d.lon) < RAION_KM


def _respell(m: Mention, keep) -> bool:
    """The qualifier's division holds the name in the other romanisation: take those entries."""
    for variant in respelled(m.key):
        inside = [cs for cs in candidates(variant) or () if keep(cs.cand)]
        if inside:
            m.cands = inside
            return True
    return False


def _restrict_or_respell(m: Mention, keep) -> bool:
    if _restrict(m, keep):
        return True
    if _respell(m, keep):
        m.qualified = True
        return True
    return False


def _restrict(m: Mention, keep) -> bool:
    inside = [cs for cs in m.cands if keep(cs.cand)]
    if inside:
        m.cands = inside
        m.qualified = True
    return bool(inside)


def _sure(m: Mention) -> bool:
    """A town too big or too unique to be dropped for disagreeing with its written oblast."""
    top = m.cands[0].cand
    return top.pop >= MAJOR_POP or (len(m.cands) == 1 and top.pop >= TOWN_POP)


def _proximity_km(c: Cand, anchors: list[tuple[float, float]]) -> float:
    if not anchors or c.lat is None:
        return math.inf
    return min(km(c.lat, c.lon, a, b) for a, b in anchors)


def _proximity(c: Cand, anchors: list[tuple[float, float]]) -> float:
    best = _proximity_km(c, anchors)
    if best < 1.0:
        return 0.0  # the anchor is this very place: no bonus for agreeing with itself
    return 2.5 if best < 25 else 1.5 if best < 75 else 0.5 if best < 200 else 0.0


def _front_bonus(c: Cand, fav: Cand, fronts) -> float:
    """A namesake on a war's front (``front_lines`` of its conflict file, those of the document's
    day): where the reports are.  Not against a town of 10,000 people of that name in the front's
    oblasts: a town is named more often than a hamlet, front or not."""
    if c.lat is None:
        return 0.0
    return sum(f.bonus for f in fronts if (c.cc, c.adm1) in f.admin1 and km_to_line(c.lat, c.lon, f.line) < f.km
               and not (fav.pop >= TOWN_POP and fav is not c and (fav.cc, fav.adm1) in f.admin1))

