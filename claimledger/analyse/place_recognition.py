"""Place recognition: which spans of a document name a place, with their candidate entries.

Why not spaCy NER: the small English model tags front-line towns as PRODUCT or PERSON and costs
more than the rest of the extractor.  Runs of capitalised words (1-4 at a time, Latin or
Cyrillic) looked up in a name index find more towns, faster; the price is false friends (common
words, surnames, weapon names that are also towns somewhere), which the tables in
``data/places.yaml`` and a few context rules keep out.  Region phrases ("Kharkiv region",
"Izium district", "Kalmiuskyi raion") are found first and claim their words.  Which candidate a
mention is, is decided afterwards by :mod:`claimledger.analyse.place_resolution`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from claimledger.analyse import gazetteer as gz
from claimledger.analyse import parties
from claimledger.analyse.gazetteer import (
    ALT,
    FULL_COUNTRIES,
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_ADMIN3,
    KIND_COUNTRY,
    KIND_STATE,
    WEAK,
    Cand,
    division_keys,
    norm,
)
from claimledger.analyse.place_lookup import FOREIGN_BARE_POP, MAJOR_POP, TOWN_POP, candidates, key_of
from claimledger.analyse.place_tables import tables
from claimledger.analyse.regex_starts import Starts
from claimledger.records import Place, Span

_SUFFIXES = ("-based", "-born", "-bound", "-area")
FOREIGN = "foreign"
TOWN_ABROAD_POP = 15_000
_LOCATIVE = frozenset({"in", "near", "from", "to", "at", "outside", "of", "around", "into", "toward",
                       "towards", "across", "via", "through", "inside", "between", "nearby", "beyond"})


# A capitalised word, hyphenated parts and apostrophes included ("Ivano-Frankivsk", "Mar'inka").
# (written to open with the capital it starts with, so that re's search skips to the capitals: the
# same matches as "(?<![\w'’\-])(?:St\.|[A-Z...][\w'’]*(?:[-‐][\w'’]+)*)", tests/analyse/test_scan_shortcuts.py)
_TOKEN_RE = re.compile(r"[A-Z\u00C0-\u00DE\u0100-\u017F\u0400-\u042F\u0490](?<![\w'’\-].)(?:(?<=S)t\.|[\w'’]*(?:[-‐][\w'’]+)*)")
_LOWER_WORD_RE = re.compile(r"(?<![\w'’\-])[a-z][a-z'’\-]*")
_PREV_WORD_RE = re.compile(r"([A-Za-z]+)\W{0,3}$")
QUAL_RE = re.compile(r"(?:\s+(?P<part>districts?|raions?|rayons?|neighbou?rhoods?|microdistricts?|suburbs?)"
                      r"|\s+(?:area|village|town|city))?"
                      r"(?:\s*,\s*(?:(?:just\s+)?(?:near|outside|close\s+to|(?:north|south|east|west)(?:-?(?:east|west))?"
                      r"\s+of)\s+(?:the\s+(?:city|town)\s+of\s+)?)?|\s+in\s+(?:the\s+)?|\s+of\s+(?:the\s+)?|\s*\(\s*)", re.I)
_FEATURE_AFTER_RE = re.compile(r"\s+(?:river|sea|lake|reservoir|canal|bay|gulf|strait|island|peninsula|"
                               r"mountains|valley|basin|delta|lagoon|spit|forest)\b", re.I)
# "across the Dnipro", "along the Oskil", "the banks of the Inhulets": rivers named like a town on
# them; a town takes no article (not "along the Kharkiv front", "along the Dhaka - Chattogram highway",
# "along the Afgooye corridor")
_RIVER_BEFORE_RE = re.compile(r"\b(?:across|along|crossing|crossed|cross|beyond|downstream|upstream|"
                              r"(?:banks?|side|mouth|bend)\s+of|bridges?\s+(?:over|across))\s+the\s+$", re.I)
_PLACE_NOUN_AFTER_RE = re.compile(r"\s*[-–—/]|\s+(?:region|oblast|province|district|area|city|town|front|direction|"
                                  r"axis|sector|suburbs?|outskirts|road|highway|corridor|route|railway|motorway|"
                                  r"line|border|frontier)\b", re.I)
UNKNOWN_BEFORE_RE = re.compile(r"([A-Z][\w'’\-]*)(?:\s+[\w'’\-]+){0,2}\s*[,(]\s*$")  # "X village, " / "X ("
_ACTOR_AFTER_RE = re.compile(r"\s+(?:[Rr]ebels?|[Ss]eparatists?|[Mm]ilitants?|[Mm]ilitias?|[Ii]nsurgents?|[Ff]ighters|"
                             r"People['’]s\s+(?:Militia|Army|Police|Council))\b")
_CAPITAL_BEFORE_RE = re.compile(r"[A-Z][\w'’\-]* $")
_MODIFIER_SUFFIX_RE = re.compile(r" (?:occupied|held|controlled|annexed|backed|run|led|allied|installed|appointed)$")
LIST_RE = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_OPENERS = "\"'“‘([—–- "
_DIVISION_RE = re.compile(r"(?<![\w'’\-])(?P<name>[A-Z\u0400-\u042F][\w'’\-]*(?:\s[A-Z\u0400-\u042F][\w'’\-]*){0,2})"
                          r"\s+(?P<word>(?i:raions?|rayons?|districts?|hromadas?|communit(?:y|ies)|"
                          r"provinces?|governorates?|states?|regions?))\b")
# "X, Y" / "X (Y, Z)" / "X town (Y)": a place written with its qualifier, ACLED's style everywhere.
_QUALIFIED_AFTER_RE = re.compile(r"(?:\s+(?:town|village|city|district|area|camp|market|neighbou?rhood|"
                                 r"sub-?county|county|locality))?\s*[,(]\s*[A-Z][a-z]")  # not "Mook, CEO of", "Red Cross (ICRC)"
_OF_TOWN_RE = re.compile(r"\s+of\s+(?:the\s+(?:city|town)\s+of\s+)?[A-Z]")
# Which division kinds a division word may name, preferred first.
_DIVISION_WANT = {"raion": (KIND_ADMIN2,), "rayon": (KIND_ADMIN2,), "district": (KIND_ADMIN2, KIND_ADMIN3),
                  "hromada": (KIND_ADMIN3,), "community": (KIND_ADMIN3,), "communitie": (KIND_ADMIN3,),
                  "province": (KIND_ADMIN1,), "governorate": (KIND_ADMIN1,), "state": (KIND_ADMIN1,),
                  "region": (KIND_ADMIN1,)}  # "Kramatorsk region" is the city's area, not its raion

@dataclass(slots=True)
class Tok:
    start: int
    end: int        # end of the name part (possessive / "-based" stripped)
    full_end: int   # end of the written token
    key: str
    cut: bool       # a possessive or suffix ends any name here
    caps: bool      # written all in capitals


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    key: str
    kind: str                       # "town", "admin1", "division", "country", "state"
    cands: list = field(default_factory=list)   # [Scored], best first
    place: Place | None = None       # fixed place of an admin1 mention
    admin1: tuple | None = None      # (cc, code) of an admin1 mention
    qualified: bool = False
    sent: int = 0
    alias_oblast: tuple | None = None  # (cc, code) when the bare word also names an oblast
    near: tuple | None = None          # (lat, lon) of a town written right after this one
    drop: bool = False                 # contradicted by its own qualifier: not output
    division: Cand | None = None       # the raion / hromada / foreign admin1 of a "division" mention
    lacks: tuple | None = None         # dropped, but its qualifier says where: ("admin1", code) / ("division", Cand)


def tokens(text: str, claimed: list[tuple[int, int]]) -> list[list[Tok]]:
    """Runs of capitalised tokens separated by single spaces, outside already-claimed spans."""
    runs: list[list[Tok]] = []
    run: list[Tok] = []
    ci = 0
    for m in _TOKEN_RE.finditer(text):
        s, e = m.span()
        if not text[s].isupper():
            continue
        while ci < len(claimed) and claimed[ci][1] <= s:
            ci += 1
        if ci < len(claimed) and claimed[ci][0] < e:
            if run:
                runs.append(run)
                run = []
            continue
        tok = m.group()
        end, cut = e, False
        if tok.endswith(("'s", "’s")):
            end, cut = e - 2, True
        elif "-" in tok:
            low = tok.lower()
            for suf in _SUFFIXES:
                if low.endswith(suf) and len(tok) > len(suf) + 1:
                    end, cut = e - len(suf), True
                    break
        word = text[s:end]
        t = Tok(s, end, e, key_of(word), cut, word.isupper() and len(word) > 1)
        if run and not (run[-1].full_end + 1 == s and text[s - 1] in " \u00a0" and not run[-1].cut):
            runs.append(run)
            run = []
        run.append(t)
    if run:
        runs.append(run)
    return _possessive_names(text, runs)


def _possessive_names(text: str, runs: list[list[Tok]]) -> list[list[Tok]]:
    """"Cox's Bazar", "Martyr's Square": a possessive inside a gazetteer name does not end it."""
    out: list[list[Tok]] = []
    for run in runs:
        prev = out[-1] if out else None
        if prev and prev[-1].cut and prev[-1].end + 2 == prev[-1].full_end \
                and run[0].start == prev[-1].full_end + 1:
            for n in range(min(3, len(run)), 0, -1):
                key = key_of(text[prev[-1].start:run[n - 1].end])
                if " " in key and candidates(key):
                    last = run[n - 1]
                    prev[-1] = Tok(prev[-1].start, last.end, last.full_end, key, last.cut, False)
                    prev.extend(run[n:])
                    break
            else:
                out.append(run)
            continue
        out.append(run)
    return out


class DocScan:
    """Everything one document needs while its mentions are found and resolved."""

    def __init__(self, text: str, sentences: list[Span], query: bool = False, day: str | None = None):
        self.text = text
        self.day = day      # the document's date (ISO), for priors that hold for a period (front lines)
        self.t = tables()
        self.query = query  # a user's search term: no sentence or person heuristics
        self.sent_starts = sorted(s.start for s in sentences) if sentences else [0]
        self._lower: set[str] | None = None
        self.person_keys: set[str] = set()
        self.imported = gz.get().imported  # countries whose every village is indexed

    def lower_words(self) -> set[str]:
        """Words written in lower case somewhere in the document, as lookup keys."""
        if self._lower is None:
            self._lower = {w.replace("'", "").replace("’", "").replace("-", " ")
                           for w in _LOWER_WORD_RE.findall(self.text)}
        return self._lower

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect_right(self.sent_starts, offset) - 1)

    def sentence_initial(self, offset: int) -> bool:
        s = self.sent_starts[self.sentence_of(offset)]
        return offset - s < 6 and all(ch in _OPENERS for ch in self.text[s:offset])

    # -- regions --------------------------------------------------------------------------
    def regions(self) -> list[Mention]:
        out: list[Mention] = []
        t, text = self.t, self.text
        region_words, special, special_loc = _region_scans()
        for w in region_words.finditer(text):
            lo = max(0, w.start() - 120)
            m = t.region_names_re.search(text[lo:w.start()])
            if m is None:
                continue
            names = list(t.alias_re.finditer(text, lo + m.start("names"), lo + m.end("names")))
            if not w.group().lower().endswith("s"):
                names = names[-1:]  # "Kharkiv, Donetsk region": only Donetsk is a region
            for k, n in enumerate(names):
                code = t.oblast_alias.get(norm(n.group()))
                if code is None or code not in t.admin1_place:
                    continue
                end = w.end() if k == len(names) - 1 else n.end()
                out.append(self._admin1_mention(n.start(), end, code))
        for scan in (special, special_loc):
            for m in scan.finditer(text):
                s, e = m.span(m.lastgroup)
                if any(o.start < e and s < o.end for o in out) or _ACTOR_AFTER_RE.match(text, e):
                    continue  # "Donbass People's Militia" is an actor
                if scan is special and _CAPITAL_BEFORE_RE.search(text, max(0, s - 30), s):
                    continue  # "Staryi Krym" is a town, not Crimea
                out.append(self._special_mention(s, e, t.special_rows[int(m.lastgroup[1:])]))
        return out

    def _admin1_mention(self, s: int, e: int, code: tuple) -> Mention:
        full, lat, lon, name = self.t.admin1_place[code]
        place = Place(mention=self.text[s:e], name=full, geonameid=None, lat=lat, lon=lon, country=code[0],
                      admin1=name, precision="admin1", evidence=Span(s, e))
        return Mention(s, e, norm(self.text[s:e]), "admin1", place=place, admin1=code)

    def _special_mention(self, s: int, e: int, row: dict) -> Mention:
        code = (row["country"], str(row["code"])) if row.get("code") is not None else None
        if code and code in self.t.admin1_place:
            _full, lat, lon, name = self.t.admin1_place[code]
        else:
            lat, lon, name = row.get("lat"), row.get("lon"), None
        place = Place(mention=self.text[s:e], name=row["name"], geonameid=None, lat=lat, lon=lon,
                      country=row["country"], admin1=name, precision="admin1", evidence=Span(s, e))
        return Mention(s, e, norm(self.text[s:e]), "admin1", place=place, admin1=code)

    # -- raions, hromadas, foreign provinces (from imported dumps) ---------------------------
    def divisions(self, claimed: list[tuple[int, int]]) -> list[Mention]:
        """"Izium district", "Kalmiuskyi raion", "Synelnykivskyi district", "Sool region".

        Only divisions an imported dump knows; Ukrainian and Russian oblasts come from the YAML
        (ACLED's spelling).  "Podilskyi district of Kyiv" is a city district, left to the towns.
        """
        g = gz.get()
        if not g.divisions:
            return []
        out: list[Mention] = []
        for w in _DIVISION_RE.finditer(self.text):
            s, e = w.span()
            if any(a < e and s < b for a, b in claimed) or _OF_TOWN_RE.match(self.text, e):
                continue
            word = w.group("word").lower()
            want = _DIVISION_WANT.get(word.rstrip("s"), (KIND_ADMIN2,))
            found = self._division(w.group("name"), want)
            if found is None:
                continue
            c, name_start = found
            s = w.start("name") + name_start
            kind = "admin1" if c.kind == KIND_ADMIN1 else "division"
            precision = "admin1" if c.kind == KIND_ADMIN1 else "admin2"
            admin1 = self.t.admin1_name.get((c.cc, c.adm1)) or g.admin_name(c.cc, c.adm1)
            place = Place(mention=self.text[s:e], name=c.name, geonameid=c.gid, lat=c.lat, lon=c.lon,
                          country=c.cc, admin1=admin1, precision=precision, evidence=Span(s, e))
            out.append(Mention(s, e, norm(self.text[s:e]), kind, place=place, admin1=(c.cc, c.adm1), division=c))
        return out

    def _division(self, name: str, want: tuple) -> tuple[Cand, int] | None:
        """The division a run of names before a division word means; longest tail first."""
        g = gz.get()
        words = [m for m in re.finditer(r"\S+", name)]
        for k in range(len(words)):
            tail = name[words[k].start():]
            if norm(tail) in self.t.stop:
                continue
            found = [c for key in division_keys(tail) for c in g.division(key) if c.kind in want]
            if found:
                # A current raion (with a code) over the historical one of the same name.
                found.sort(key=lambda c: (want.index(c.kind), not c.adm2, -c.pop))
                return found[0], words[k].start()
        return None

    # -- towns and countries --------------------------------------------------------------
    def towns(self, claimed: list[tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
        deferred: list[Mention] = []  # bare town names abroad (see _accept)
        for run in tokens(self.text, claimed):
            i, n_run = 0, len(run)
            prev_other = False  # the previous token of the run is an unknown capitalised word
            while i < n_run:
                found = self._window(run, i)
                if found is None:
                    prev_other = self._unknown(run[i])
                    i += 1
                    continue
                n, key, cands = found
                verdict = True if self.query or cands is None else self._accept(run, i, n, key, cands, prev_other)
                if cands is None or not verdict:
                    prev_other = cands is not None
                    i += n
                    continue
                kind = cands[0].cand.kind
                m = Mention(run[i].start, run[i + n - 1].end, key,
                            "country" if kind == KIND_COUNTRY else "state" if kind == KIND_STATE else "town",
                            cands=cands)
                if n == 1:
                    m.alias_oblast = self.t.oblast_alias.get(key)
                (deferred if verdict == FOREIGN else out).append(m)
                prev_other = False
                i += n
        known = self.imported | FULL_COUNTRIES
        if deferred or any(m.kind == "town" and m.cands[0].cand.cc not in known for m in out):
            # The countries the document is about, from what it says rather than from its towns:
            # the countries it names and those of the parties it names ("Al Shabaab", "Awami
            # League", "the Houthis"). A homonym abroad ("Gedo" of Ethiopia in a note about
            # Somalia, "Bari" of Italy) loses to them.
            strong = party_countries(self.text)
            votes = home_votes(out)
            if strong or votes:
                out = [m for m in out if self._at_home(m, strong, votes, known)]
        if deferred:
            # "Caynabo" in a note about Somalia: the document's own country is no foreign land.
            home = strong or home_countries(out)
            # A report with no place of the war's countries is about somewhere else: its bare
            # town names are places there when they are towns of some size.
            abroad = not any(m.cands[0].cand.cc in FULL_COUNTRIES for m in out)
            for m in deferred:
                # In a war report "the US" or "Poland" are actors, not where it happened: their
                # small towns still need "in X" there ("Red Cross", "Mook" are no places).
                inside = [cs for cs in m.cands if cs.cand.cc in home] if abroad else []
                if not inside and abroad and not home:
                    inside = [cs for cs in m.cands if cs.cand.pop >= TOWN_ABROAD_POP]
                if inside:
                    m.cands = inside
                    out.append(m)
            out.sort(key=lambda m: m.start)
        if self.person_keys:
            out = [m for m in out if m.key not in self.person_keys]
        return out

    @staticmethod
    def _at_home(m: Mention, strong: set, votes: dict, known: frozenset) -> bool:
        """Keep only a town's candidates in the countries of the parties named; False: drop it.

        Countries named are no such evidence ("refugees from Syria", "the US dollar"), parties
        are.  A small town abroad reached only through an alternate spelling ("Bihar" for a
        Romanian Biharia) is dropped when the document is about another country; a town under
        its main name is not: "Islamic State" fights in more countries than the registry lists.
        """
        if m.kind != "town":
            return True
        inside = [cs for cs in m.cands if cs.cand.cc in strong]
        if inside:
            m.cands = inside
            return True
        best, _s, flags = m.cands[0]
        if not flags & ALT or best.cc in known or best.pop >= MAJOR_POP:
            return True
        # the document's other places: this mention's own vote does not count
        own = best.cc if _unambiguous(m) else None
        return votes.get(best.cc, 0) - (best.cc == own) > 0 or not (strong or votes.keys() - {own})

    def _window(self, run: list[Tok], i: int) -> tuple | None:
        """The longest name (4..1 tokens) starting at run[i]: (n, key, candidates or None if stoplisted)."""
        t = self.t
        for n in range(min(4, len(run) - i), 0, -1):
            if any(run[k].cut for k in range(i, i + n - 1)):
                continue
            key = run[i].key if n == 1 else " ".join(r.key for r in run[i:i + n])
            if key in t.stop and not self.query:
                return n, key, None
            if n == 1 and run[i].caps and len(key) <= 3 and key not in t.country_alias:
                continue  # "UN", "EU", "SMM": acronyms, not towns
            cands = candidates(key)
            if cands:
                return n, key, cands
        return None

    def _unknown(self, tok: Tok) -> bool:
        """An unknown capitalised word: could be part of a person's or organisation's name."""
        k, t = tok.key, self.t
        if k in t.modifiers or k in t.first_names or k in t.titles or k in t.stop or k in t.place_after:
            return False
        if _MODIFIER_SUFFIX_RE.search(k):
            return False  # "Russian-occupied Berdiansk"
        # A sentence's first word is capitalised anyway ("Later Oleksandrivka was hit"); a first
        # name there is caught by the first-name list instead.
        return not self.sentence_initial(tok.start)

    def _accept(self, run: list[Tok], i: int, n: int, key: str, cands: list, prev_other: bool) -> bool | str:
        """Context rules that tell a place from a person, an outlet or a common word.

        True or False, or FOREIGN: a bare town name abroad, a place only if the document names
        its country.
        """
        t = self.t
        best, _score, flags = cands[0]
        kind = best.kind
        major = best.pop >= MAJOR_POP or kind in (KIND_COUNTRY, KIND_STATE) or key in t.oblast_alias
        start, end = run[i].start, run[i + n - 1].end
        initial = self.sentence_initial(start)
        foreign = best.cc not in FULL_COUNTRIES and best.cc not in self.imported \
            and kind not in (KIND_COUNTRY, KIND_STATE)
        alt = bool(flags & ALT)
        if run[i].key in t.first_names:
            return False  # "Volodymyr", "Karl Marx": a person, whatever town bears the name
        if n == 1 and run[i].key in t.public_surnames:
            return False  # "Putin's troops": a public figure, not Putyatintsy
        if foreign and n == 1 and run[i].caps and best.pop < FOREIGN_BARE_POP:
            return False  # "NATO", "OSCE": an acronym abroad, not a small town
        if _ACTOR_AFTER_RE.match(self.text, end):
            return False  # "Donetsk rebel positions": an actor, not where it happened
        if t.vessel_before and (t.vessel_before.search(self.text, max(0, start - 30), start)
                                or t.vessel_after.match(self.text, end)):
            return False  # "the cruiser Moskva": a ship named after a city
        if _RIVER_BEFORE_RE.search(self.text, max(0, start - 30), start) and not _PLACE_NOUN_AFTER_RE.match(self.text, end):
            return False  # "pushed back across the Dnipro": the river
        if i > 0:
            prev = run[i - 1].key
            if prev in t.first_names or prev in t.titles:
                self.person_keys.add(key)  # a surname: not a place anywhere in this document
                return False
            if prev_other and (foreign or not major or (alt and best.cc != "UA")):
                return False  # probably a surname or part of a name
        if i + n < len(run):
            nxt = run[i + n].key
            if nxt in t.org_after or nxt in t.feature_after:
                return False
            weak_town = best.pop < TOWN_POP if best.cc == "UA" else (foreign or alt or not major)
            if weak_town and n == 1 and not run[i + n].caps and self._unknown(run[i + n]):
                return False  # "Hunter Biden", "Sima Samar": a first name before a surname
        elif _FEATURE_AFTER_RE.match(self.text, end):
            return False  # "the Dnipro river", "Donets river"
        lower = self.lower_words()
        if n == 1 and not major and key in lower:
            return False  # the word is used as a common word in this very document
        if initial and (key in lower or (n == 1 and alt and not major and (best.cc != "UA" or best.src))):
            return False  # "Grim US rhetoric": an alternate spelling of a Russian village
        needs_locative = flags & WEAK and key not in t.aliases  # "Molotov cocktails": Perm's old name
        if foreign and (best.pop < FOREIGN_BARE_POP or alt):
            # A town abroad is rarely news in a war report, and many are surnames ("Bolton") or
            # words ("Dining" is an alternate name of Jining): ask for "in X" or "X, Y" unless it
            # is a metropolis under its main name ("Washington said").
            needs_locative = True
        if needs_locative:
            pm = _PREV_WORD_RE.search(self.text, max(0, start - 24), start)
            if not (pm and pm.group(1).lower() in _LOCATIVE) and not _QUALIFIED_AFTER_RE.match(self.text, end):
                # A town abroad may still be in the document's own country: decided once all
                # country names of the document are known (see towns()).
                return FOREIGN if foreign and not flags & WEAK else False
        return True


@cache
def _region_scans() -> tuple[Starts, Starts, Starts]:
    """The region words and the named regions (rows of ``places.yaml``) searched through selectors
    (``regex_starts``: re's own matches, group names included) over every document's whole text."""
    t = tables()
    return Starts(t.region_word_re), Starts(t.special_re), Starts(t.special_loc_re)


def party_countries(text: str) -> set[str]:
    """Countries of the conflicts whose parties the text names, and of the political parties it names."""
    reg = parties.registry()
    named = {pid for _pos, pid in parties.parties_in(text)}
    out = {c for pid in named if (c := reg.parties[pid].state)}
    for conflict in reg.conflicts:
        if any(pid in named for pid, _camp in conflict.camps):
            out.update(conflict.countries)
    # "AL" is the Awami League, "Al" the article of "Bir Al-Abd": a short name counts in capitals
    if parties.names_political_party(text):
        out.update(pp.country for pp in reg.political
                   if any(len(m.group()) > 3 or m.group().isupper() for m in pp.names.finditer(text)))
    return out


def _unambiguous(m: Mention) -> bool:
    return m.kind == "town" and len({cs.cand.cc for cs in m.cands}) == 1 and m.cands[0].cand.cc not in FULL_COUNTRIES


def home_votes(mentions: list[Mention]) -> dict[str, int]:
    """How many mentions point to each country: the countries named and of unambiguous towns abroad."""
    votes: dict[str, int] = {}
    for m in mentions:
        if m.kind == "country" or _unambiguous(m):
            cc = m.cands[0].cand.cc
            votes[cc] = votes.get(cc, 0) + 1
    return votes


def home_countries(mentions: list[Mention]) -> set[str]:
    """Countries the document is about: those it names, and those of its unambiguous towns abroad."""
    return set(home_votes(mentions))
