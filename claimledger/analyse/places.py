"""Place mentions: recognised by gazetteer lookup, resolved to one GeoNames place each.

Why not spaCy NER: the small English model tags front-line towns as PRODUCT or PERSON and costs
more than the rest of the extractor.  Runs of capitalised words (1-4 at a time) looked up in a
name index find more towns, faster; the price is false friends (common words, surnames, weapon
names that are also towns somewhere), which the tables in ``data/places.yaml`` and a few context
rules keep out.

Resolution order for a name shared by many places (Ukraine has dozens of Oleksandrivkas):
an oblast or country written right after the town ("Udy, Kharkiv", "X in Donetsk Oblast",
"KYIV, Ukraine"), then oblasts named in the same sentence or document and nearness to the
document's unambiguous places, then Ukraine and Russia over elsewhere, then population.
See docs/places.md.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from claimledger.analyse import gazetteer as gz
from claimledger.analyse.gazetteer import (
    ADM1,
    ALT,
    CC,
    FULL_COUNTRIES,
    GID,
    KIND,
    KIND_COUNTRY,
    KIND_DISTRICT,
    KIND_STATE,
    LAT,
    LON,
    NAME,
    POP,
    WEAK,
    norm,
)
from claimledger.records import Place, Span

# Scoring weights, in log10-population units (+1 is worth a tenfold population).
COUNTRY_BONUS = {"UA": 1.5, "RU": 0.75, "BY": 0.3, "MD": 0.3}
WEAK_PENALTY = 3.0        # historical or dissimilar alternate name ("Voroshilovgrad")
ALIAS_BONUS = 4.0         # spelled as in the YAML alias table
COUNTRY_KIND_BONUS = 5.0  # "Georgia" the country over towns called Georgia
STATE_SCORE = 5.5         # a US state (no population in the data) over towns of its name,
                          # but not over a city of ~300,000 or more ("Washington" is DC)
DISTRICT_PENALTY = 1.5    # an urban district loses to a town of the same name
REWRITE_PENALTY = 0.5     # found only after rewriting a Russian-style spelling
SAME_SENTENCE_ADMIN1 = 3.0
SAME_DOC_ADMIN1 = 1.5
CONTEXT_CAP = 3.0         # document-level evidence together is worth at most this much
NEXT_TOWN_BONUS = 3.0     # "Podilskyi district of Kyiv", "Bezruky, Derhachi": near the next town
NEAR_KM = 60.0
TOWN_POP = 10_000          # a uniquely named town this big outweighs a contradicting oblast
DISTRICT_KM = 50.0        # an urban district needs a known place this close
THEATRE_KM = 500.0        # a big city this close to the document's places is "in the story"
MAJOR_POP = 100_000       # a town this big is not taken for a surname or a common word
FOREIGN_BARE_POP = 1_000_000  # abroad, only cities this big are named without "in"/"near"
ANCHOR_MARGIN = 2.0       # a mention whose best candidate leads by this much anchors the others

_SUFFIXES = ("-based", "-born", "-bound", "-area")
_LOCATIVE = frozenset({"in", "near", "from", "to", "at", "outside", "of", "around", "into", "toward",
                       "towards", "across", "via", "through", "inside", "between", "nearby", "beyond"})


class _Tables:
    """The YAML tables compiled once per process."""

    def __init__(self) -> None:
        from claimledger.data import load_yaml

        y = load_yaml("places.yaml")

        def keys(name: str) -> frozenset:
            return frozenset(norm(str(x)) for x in y.get(name) or ())

        self.stop = keys("stoplist")
        self.first_names = keys("first_names")
        self.titles = keys("titles")
        self.org_after = keys("org_after")
        self.feature_after = keys("feature_after")
        self.place_after = keys("place_after")
        self.modifiers = keys("modifiers")
        self.admin1_name: dict[tuple, str] = {}
        self.admin1_place: dict[tuple, tuple] = {}   # (cc, code) -> (full, lat, lon, name)
        self.oblast_alias: dict[str, tuple] = {}     # norm alias -> (cc, code)
        alias_words: list[str] = []
        for cc, table in (("UA", y["ua_admin1"]), ("RU", y["ru_admin1"])):
            for code, info in table.items():
                code = str(code)
                self.admin1_name[(cc, code)] = info["name"]
                if info.get("centre"):
                    _, _gid, lat, lon = info["centre"]
                    self.admin1_place[(cc, code)] = (info.get("full") or info["name"], lat, lon, info["name"])
                for a in info.get("aliases") or ():
                    self.oblast_alias.setdefault(norm(a), (cc, code))
                    alias_words.append(a)
        self.aliases: dict[str, tuple[str, str]] = {}
        for a, target in (y.get("aliases") or {}).items():
            if isinstance(target, dict):
                self.aliases[norm(a)] = (norm(target["to"]), target.get("country", "UA"))
            else:
                self.aliases[norm(a)] = (norm(target), "UA")
        self.country_alias = {norm(k): v for k, v in (y.get("country_aliases") or {}).items()}
        self.centroids = {k: tuple(v) for k, v in (y.get("country_centroids") or {}).items()}
        self.rewrite_words = {norm(k): norm(v) for k, v in (y.get("rewrite_words") or {}).items()}
        self.rewrite_endings = sorted(((norm(k), norm(v)) for k, v in (y.get("rewrite_endings") or {}).items()),
                                      key=lambda kv: -len(kv[0]))

        # "<alias>[, alias | and alias] region(s)" -> admin1 mentions.
        alt = "|".join(re.escape(a) for a in sorted(set(alias_words), key=len, reverse=True))
        words = "|".join(re.escape(w) for w in sorted(y["region_words"], key=len, reverse=True))
        # Region words are rare, so find them first and match the names backwards from there.
        self.region_word_re = re.compile(rf"(?<![\w\-])(?i:{words})\b")
        self.region_names_re = re.compile(
            rf"(?<![\w\-])(?P<names>(?:{alt})(?:(?:\s*,\s*|\s*,?\s+and\s+|\s+&\s+)(?:{alt}))*)"
            rf"(?:['’]s)?\s+$")
        self.alias_re = re.compile(rf"(?<![\w\-])(?:{alt})(?![\w])")

        # Named regions (DPR, Donbas, Crimea ...): one regex for all rows, group rN is row N.
        self.special_rows: list[dict] = list(y.get("regions") or ())
        plain, locative = [], []
        for n, row in enumerate(self.special_rows):
            (locative if row.get("locative") else plain).append(f"(?P<r{n}>" + "|".join(row["patterns"]) + ")")
        self.special_re = re.compile(r"(?<![\w\-])(?:" + "|".join(plain) + r")(?![\w])")
        self.special_loc_re = re.compile(
            r"\b(?:[Ii]n|[Ii]nto|[Aa]cross|[Tt]hroughout|[Oo]f|[Ff]rom|[Ii]nside|[Ww]ithin)\s+"
            r"(?:the\s+)?(?:self-proclaimed\s+|so-called\s+)?(?:" + "|".join(locative) + r")\b")


@cache
def _tables() -> _Tables:
    return _Tables()


# A capitalised word, hyphenated parts and apostrophes included ("Ivano-Frankivsk", "Mar'inka").
_TOKEN_RE = re.compile(r"(?<![\w'’\-])(?:St\.|[A-Z\u00C0-\u00DE\u0100-\u017F][\w'’]*(?:[-‐][\w'’]+)*)")
_LOWER_WORD_RE = re.compile(r"(?<![\w'’\-])[a-z][a-z'’\-]*")
_PREV_WORD_RE = re.compile(r"([A-Za-z]+)\W{0,3}$")
_QUAL_RE = re.compile(r"(?:\s+(?P<part>districts?|raions?|rayons?|neighbou?rhoods?|microdistricts?|suburbs?)"
                      r"|\s+(?:area|village|town|city))?"
                      r"(?:\s*,\s*(?:(?:just\s+)?(?:near|outside|close\s+to|(?:north|south|east|west)(?:-?(?:east|west))?"
                      r"\s+of)\s+(?:the\s+(?:city|town)\s+of\s+)?)?|\s+in\s+(?:the\s+)?|\s+of\s+(?:the\s+)?|\s*\(\s*)", re.I)
_FEATURE_AFTER_RE = re.compile(r"\s+(?:river|sea|lake|reservoir|canal|bay|gulf|strait|island|peninsula|"
                               r"mountains|valley|basin|delta|lagoon|spit|forest)\b", re.I)
_UNKNOWN_BEFORE_RE = re.compile(r"([A-Z][\w'’\-]*)(?:\s+[\w'’\-]+){0,2}\s*,\s*$")
_ACTOR_AFTER_RE = re.compile(r"\s+(?:[Rr]ebels?|[Ss]eparatists?|[Mm]ilitants?|[Mm]ilitias?|[Ii]nsurgents?|[Ff]ighters|"
                             r"People['’]s\s+(?:Militia|Army|Police|Council))\b")
_CAPITAL_BEFORE_RE = re.compile(r"[A-Z][\w'’\-]* $")
_MODIFIER_SUFFIX_RE = re.compile(r" (?:occupied|held|controlled|annexed|backed|run|led|allied|installed|appointed)$")
_LIST_RE = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_OPENERS = "\"'“‘([—–- "

_KEY_CACHE: dict[str, str] = {}
_CAND_CACHE: dict[str, list | None] = {}


def _key(tok: str) -> str:
    k = _KEY_CACHE.get(tok)
    if k is None:
        if len(_KEY_CACHE) > 200_000:
            _KEY_CACHE.clear()
        k = _KEY_CACHE[tok] = norm(tok)
    return k


def _base_score(cand: tuple, flags: int) -> float:
    s = math.log10(cand[POP] + 1) + COUNTRY_BONUS.get(cand[CC], 0.0)
    if flags & WEAK:
        s -= WEAK_PENALTY
    kind = cand[KIND]
    if kind == KIND_COUNTRY:
        s += COUNTRY_KIND_BONUS
    elif kind == KIND_STATE:
        s = STATE_SCORE
    elif kind == KIND_DISTRICT:
        s -= DISTRICT_PENALTY
    return s


def _candidates(key: str) -> list | None:
    """Candidates for a normalised name as [(cand, score, flags)], best first; None if unknown."""
    hit = _CAND_CACHE.get(key, ...)
    if hit is not ...:
        return hit
    t = _tables()
    g = gz.get()
    out: dict[int, tuple] = {}
    iso = t.country_alias.get(key)
    if iso:
        for cand, _f in g.lookup(norm(_country_name(iso))):
            if cand[KIND] == KIND_COUNTRY and cand[CC] == iso:
                out[cand[GID]] = (cand, _base_score(cand, 0), 0)
    target = t.aliases.get(key)
    if target:
        for cand, flags in g.lookup(target[0]):
            if cand[CC] == target[1]:
                out[cand[GID]] = (cand, _base_score(cand, flags) + ALIAS_BONUS, flags & WEAK)
    for cand, flags in g.lookup(key):
        if cand[GID] not in out:
            out[cand[GID]] = (cand, _base_score(cand, flags), flags)
    if not out and key.count(" ") <= 2:
        for variant in _rewrites(key, t):
            for cand, flags in g.lookup(variant):
                if cand[CC] == "UA" and cand[GID] not in out and cand[KIND] != KIND_COUNTRY:
                    out[cand[GID]] = (cand, _base_score(cand, flags) - REWRITE_PENALTY, flags | ALT)
    res = sorted(out.values(), key=lambda cs: -cs[1]) if out else None
    if len(_CAND_CACHE) > 100_000:
        _CAND_CACHE.clear()
    _CAND_CACHE[key] = res
    return res


def _rewrites(key: str, t: _Tables) -> list[str]:
    """Ukrainian spellings of a Russian-style name: Novaya Kakhovka -> Nova Kakhovka."""
    words = [t.rewrite_words.get(w, w) for w in key.split()]
    variants = {" ".join(words)}
    last = words[-1]
    for old, new in t.rewrite_endings:
        if last.endswith(old) and len(last) > len(old) + 2:
            variants.add(" ".join(words[:-1] + [last[: -len(old)] + new]))
            break
    variants |= {v.replace("g", "h") for v in variants if "g" in v}
    variants.discard(key)
    return sorted(variants)


@cache
def _country_name(iso: str) -> str:
    for cand in gz.get().cands:
        if cand[KIND] == KIND_COUNTRY and cand[CC] == iso:
            return cand[NAME]
    return iso


@dataclass(slots=True)
class _Tok:
    start: int
    end: int        # end of the name part (possessive / "-based" stripped)
    full_end: int   # end of the written token
    key: str
    cut: bool       # a possessive or suffix ends any name here
    caps: bool      # written all in capitals


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    key: str
    kind: str                       # "town", "admin1", "country", "state"
    cands: list = field(default_factory=list)   # [(cand, score, flags)], best first
    place: Place | None = None       # fixed place of an admin1 mention
    admin1: tuple | None = None      # (cc, code) of an admin1 mention
    qualified: bool = False
    sent: int = 0
    alias_oblast: tuple | None = None  # (cc, code) when the bare word also names an oblast
    near: tuple | None = None          # (lat, lon) of a town written right after this one
    drop: bool = False                 # contradicted by its own qualifier: not output


def _tokens(text: str, claimed: list[tuple[int, int]]) -> list[list[_Tok]]:
    """Runs of capitalised tokens separated by single spaces, outside already-claimed spans."""
    runs: list[list[_Tok]] = []
    run: list[_Tok] = []
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
        t = _Tok(s, end, e, _key(word), cut, word.isupper() and len(word) > 1)
        if run and not (run[-1].full_end + 1 == s and text[s - 1] in " \u00a0" and not run[-1].cut):
            runs.append(run)
            run = []
        run.append(t)
    if run:
        runs.append(run)
    return runs


class _DocScan:
    """Everything one document needs while its mentions are found and resolved."""

    def __init__(self, text: str, sentences: list[Span], query: bool = False):
        self.text = text
        self.t = _tables()
        self.query = query  # a user's search term: no sentence or person heuristics
        self.sent_starts = sorted(s.start for s in sentences) if sentences else [0]
        self._lower: set[str] | None = None
        self.person_keys: set[str] = set()

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
    def regions(self) -> list[_Mention]:
        out: list[_Mention] = []
        t, text = self.t, self.text
        for w in t.region_word_re.finditer(text):
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
        for rx in (t.special_re, t.special_loc_re):
            for m in rx.finditer(text):
                s, e = m.span(m.lastgroup)
                if any(o.start < e and s < o.end for o in out) or _ACTOR_AFTER_RE.match(text, e):
                    continue  # "Donbass People's Militia" is an actor
                if rx is t.special_re and _CAPITAL_BEFORE_RE.search(text, max(0, s - 30), s):
                    continue  # "Staryi Krym" is a town, not Crimea
                out.append(self._special_mention(s, e, t.special_rows[int(m.lastgroup[1:])]))
        return out

    def _admin1_mention(self, s: int, e: int, code: tuple) -> _Mention:
        full, lat, lon, name = self.t.admin1_place[code]
        place = Place(mention=self.text[s:e], name=full, geonameid=None, lat=lat, lon=lon, country=code[0],
                      admin1=name, precision="admin1", evidence=Span(s, e))
        return _Mention(s, e, norm(self.text[s:e]), "admin1", place=place, admin1=code)

    def _special_mention(self, s: int, e: int, row: dict) -> _Mention:
        code = (row["country"], str(row["code"])) if row.get("code") is not None else None
        if code and code in self.t.admin1_place:
            _full, lat, lon, name = self.t.admin1_place[code]
        else:
            lat, lon, name = row.get("lat"), row.get("lon"), None
        place = Place(mention=self.text[s:e], name=row["name"], geonameid=None, lat=lat, lon=lon,
                      country=row["country"], admin1=name, precision="admin1", evidence=Span(s, e))
        return _Mention(s, e, norm(self.text[s:e]), "admin1", place=place, admin1=code)

    # -- towns and countries --------------------------------------------------------------
    def towns(self, claimed: list[tuple[int, int]]) -> list[_Mention]:
        out: list[_Mention] = []
        t = self.t
        for run in _tokens(self.text, claimed):
            i, n_run = 0, len(run)
            prev_other = False  # the previous token of the run is an unknown capitalised word
            while i < n_run:
                found = None
                for n in range(min(4, n_run - i), 0, -1):
                    if any(run[k].cut for k in range(i, i + n - 1)):
                        continue
                    key = run[i].key if n == 1 else " ".join(r.key for r in run[i:i + n])
                    if key in t.stop and not self.query:
                        found = (n, key, None)
                        break
                    if n == 1 and run[i].caps and len(key) <= 3 and key not in t.country_alias:
                        continue  # "UN", "EU", "SMM": acronyms, not towns
                    cands = _candidates(key)
                    if cands:
                        found = (n, key, cands)
                        break
                if found is None:
                    prev_other = self._unknown(run[i])
                    i += 1
                    continue
                n, key, cands = found
                if cands is None or not (self.query or self._accept(run, i, n, key, cands, prev_other)):
                    prev_other = cands is not None
                    i += n
                    continue
                kind = cands[0][0][KIND]
                m = _Mention(run[i].start, run[i + n - 1].end, key,
                             "country" if kind == KIND_COUNTRY else "state" if kind == KIND_STATE else "town",
                             cands=cands)
                if n == 1:
                    m.alias_oblast = t.oblast_alias.get(key)
                out.append(m)
                prev_other = False
                i += n
        if self.person_keys:
            out = [m for m in out if m.key not in self.person_keys]
        return out

    def _unknown(self, tok: _Tok) -> bool:
        """An unknown capitalised word: could be part of a person's or organisation's name."""
        k, t = tok.key, self.t
        if k in t.modifiers or k in t.first_names or k in t.titles or k in t.stop or k in t.place_after:
            return False
        if _MODIFIER_SUFFIX_RE.search(k):
            return False  # "Russian-occupied Berdiansk"
        # A sentence's first word is capitalised anyway ("Later Oleksandrivka was hit"); a first
        # name there is caught by the first-name list instead.
        return not self.sentence_initial(tok.start)

    def _accept(self, run: list[_Tok], i: int, n: int, key: str, cands: list, prev_other: bool) -> bool:
        """Context rules that tell a place from a person, an outlet or a common word."""
        t = self.t
        best, _score, flags = cands[0]
        kind = best[KIND]
        major = best[POP] >= MAJOR_POP or kind in (KIND_COUNTRY, KIND_STATE) or key in t.oblast_alias
        start, end = run[i].start, run[i + n - 1].end
        initial = self.sentence_initial(start)
        foreign = best[CC] not in FULL_COUNTRIES and kind not in (KIND_COUNTRY, KIND_STATE)
        alt = bool(flags & ALT)
        if run[i].key in t.first_names:
            return False  # "Volodymyr", "Karl Marx": a person, whatever town bears the name
        if _ACTOR_AFTER_RE.match(self.text, end):
            return False  # "Donetsk rebel positions": an actor, not where it happened
        if i > 0:
            prev = run[i - 1].key
            if prev in t.first_names or prev in t.titles:
                self.person_keys.add(key)  # a surname: not a place anywhere in this document
                return False
            if prev_other and (foreign or not major or (alt and best[CC] != "UA")):
                return False  # probably a surname or part of a name
        if i + n < len(run):
            nxt = run[i + n].key
            if nxt in t.org_after or nxt in t.feature_after:
                return False
            weak_town = best[POP] < TOWN_POP if best[CC] == "UA" else (foreign or alt or not major)
            if weak_town and n == 1 and not run[i + n].caps and self._unknown(run[i + n]):
                return False  # "Hunter Biden", "Sima Samar": a first name before a surname
        elif _FEATURE_AFTER_RE.match(self.text, end):
            return False  # "the Dnipro river", "Donets river"
        lower = self.lower_words()
        if n == 1 and not major and key in lower:
            return False  # the word is used as a common word in this very document
        if initial and (key in lower or (n == 1 and alt and not major and best[CC] != "UA")):
            return False  # "Grim US rhetoric": an alternate spelling of a Russian village
        needs_locative = flags & WEAK and key not in t.aliases  # "Molotov cocktails": Perm's old name
        if foreign and (best[POP] < FOREIGN_BARE_POP or alt):
            # A town abroad is rarely news in a war report, and many are surnames ("Bolton") or
            # words ("Dining" is an alternate name of Jining): ask for "in X" or "X, Y" unless it
            # is a metropolis under its main name ("Washington said").
            needs_locative = True
        if needs_locative:
            pm = _PREV_WORD_RE.search(self.text, max(0, start - 24), start)
            if not (pm and pm.group(1).lower() in _LOCATIVE) and not re.match(r",\s*[A-Z]", self.text[end:end + 3]):
                return False
        return True

    # -- resolution -----------------------------------------------------------------------
    def resolve(self, mentions: list[_Mention]) -> list[Place]:
        text = self.text
        by_start = {m.start: m for m in mentions}
        for m in mentions:
            m.sent = self.sentence_of(m.start)

        # (a) qualifiers written right after a town: ", Kharkiv", " in Donetsk Oblast", ", Ukraine".
        for m in mentions:
            if m.kind != "town":
                continue
            q = _QUAL_RE.match(text, m.end)
            nxt = by_start.get(q.end()) if q else None
            if nxt is None or nxt is m:
                continue
            sep = q.group().strip()[-1:]
            if nxt.kind == "admin1" and nxt.admin1:
                if not self._restrict(m, lambda c, code=nxt.admin1: (c[CC], c[ADM1]) == code) and not _sure(m):
                    m.drop = True  # no town of that name in that oblast: the gazetteer lacks it
            elif nxt.kind in ("country", "state") and sep in (",", "("):
                top = nxt.cands[0][0]
                if nxt.kind == "country":
                    self._restrict(m, lambda c, iso=top[CC]: c[CC] == iso)
                else:
                    self._restrict(m, lambda c, st=top[ADM1]: c[CC] == "US" and c[ADM1] == st)
            elif nxt.kind == "town" and nxt.alias_oblast and sep in (",", "("):
                code = nxt.alias_oblast
                inside = [cs for cs in m.cands if (cs[0][CC], cs[0][ADM1]) == code]
                listy = self._listy(nxt, by_start)
                if inside:
                    if inside[0] is m.cands[0] and listy:
                        continue  # "Kharkiv, Sumy and Chernihiv": a list of cities
                    self._restrict(m, lambda c, code=code: (c[CC], c[ADM1]) == code)
                elif listy or _sure(m) or m.cands[0][0][CC] != code[0]:
                    continue
                else:
                    m.drop = True  # "Senkivka, Chernihiv" with no Senkivka of Chernihiv known
                self._make_admin1(nxt, code)
            elif nxt.kind == "town":
                top = nxt.cands[0][0]
                if top[LAT] is not None and top[CC] in FULL_COUNTRIES:
                    m.near = (top[LAT], top[LON])
                    if q.group("part") and not self._restrict(
                            m, lambda c, a=top: c[LAT] is not None and _km(c[LAT], c[LON], a[LAT], a[LON]) < NEAR_KM):
                        m.drop = True  # "the Kirov neighbourhood of Mariupol" is not the city of Kirov

        # ACLED's "in <unknown village>, Donetsk.": a bare oblast name after an unrecognised
        # capitalised name is the oblast, not its capital city.
        for m in mentions:
            if m.kind == "town" and m.alias_oblast and not self._listy(m, by_start):
                pm = _UNKNOWN_BEFORE_RE.search(text, max(0, m.start - 60), m.start)
                if pm and not any(o.start <= pm.start() < o.end for o in mentions) \
                        and self._unknown(_Tok(pm.start(), pm.end(), pm.end(), _key(pm.group(1)), False, False)):
                    self._make_admin1(m, m.alias_oblast)

        # (b) context: admin1 units named in the sentence / document, and unambiguous anchors.
        sent_admin1: dict[int, set] = {}
        doc_admin1: set = set()
        for m in mentions:
            if m.kind == "admin1" and m.admin1:
                sent_admin1.setdefault(m.sent, set()).add(m.admin1)
                doc_admin1.add(m.admin1)
        anchors = []
        for m in mentions:
            if m.kind == "town" and not m.drop and (m.qualified or len(m.cands) == 1
                                                    or m.cands[0][1] - m.cands[1][1] >= ANCHOR_MARGIN):
                c = m.cands[0][0]
                if c[CC] in ("UA", "RU") and c[LAT] is not None and c[KIND] != KIND_DISTRICT:
                    anchors.append((c[LAT], c[LON]))
        chosen_by_key: dict[str, tuple] = {}
        for m in mentions:
            if m.kind == "town" and m.qualified:
                chosen_by_key.setdefault(m.key, m.cands[0][0])

        places: list[Place] = []
        for m in mentions:
            if m.drop:
                continue
            if m.place is not None:
                places.append(m.place)
            elif m.kind == "country":
                places.append(self._country_place(m))
            elif m.kind == "state":
                places.append(self._state_place(m))
            else:
                if not m.qualified and m.key in chosen_by_key:
                    c = chosen_by_key[m.key]  # one sense per discourse
                elif m.qualified or len(m.cands) == 1:
                    c = m.cands[0][0]
                else:
                    c = self._choose(m, sent_admin1.get(m.sent, ()), doc_admin1, anchors)
                if c[KIND] == KIND_DISTRICT and not m.qualified and _proximity_km(c, anchors) > DISTRICT_KM \
                        and not (m.near and _km(c[LAT], c[LON], *m.near) < DISTRICT_KM):
                    continue  # "Shevchenkivskyi district": every city has one; which is unknown
                places.append(self._town_place(m, c))
        return places

    def _listy(self, m: _Mention, by_start: dict) -> bool:
        """Is this mention one item of a list of places ("X, Y and Z"), not a qualifier?"""
        lq = _LIST_RE.match(self.text, m.end)
        return bool(lq) and lq.end() in by_start

    def _make_admin1(self, m: _Mention, code: tuple) -> None:
        full, lat, lon, name = self.t.admin1_place[code]
        m.kind, m.admin1 = "admin1", code
        m.place = Place(mention=self.text[m.start:m.end], name=full, geonameid=None, lat=lat, lon=lon,
                        country=code[0], admin1=name, precision="admin1", evidence=Span(m.start, m.end))

    @staticmethod
    def _choose(m: _Mention, sent_admin1, doc_admin1, anchors) -> tuple:
        """(b)-(d): context bonuses on top of population and country.

        Against a big city (the population favourite is a MAJOR_POP town in Ukraine or near the
        document's other places) only an oblast named in the same sentence counts: "Mykolaiv" in
        a story about Donetsk Oblast is still the city, not the Donetsk village whose alternate
        name it is (even in the same sentence: the village's own name is Mykolaivka); but
        "Seversk" near Bakhmut is Siversk, not the Siberian city.
        """
        fav = m.cands[0][0]
        big = fav[POP] >= MAJOR_POP and (fav[CC] == "UA" or fav[POP] >= FOREIGN_BARE_POP
                                         or _proximity_km(fav, anchors) < THEATRE_KM)
        best, best_s = None, -1e9
        for c, s, f in m.cands:
            code = (c[CC], c[ADM1])
            if code in sent_admin1 and not (big and f & ALT and c is not fav):
                s += SAME_SENTENCE_ADMIN1
            elif not big:
                s += min(CONTEXT_CAP, (SAME_DOC_ADMIN1 if code in doc_admin1 else 0.0) + _proximity(c, anchors)
                         + (NEXT_TOWN_BONUS if m.near and _km(c[LAT], c[LON], *m.near) < NEAR_KM else 0.0))
            if s > best_s:
                best, best_s = c, s
        return best

    @staticmethod
    def _restrict(m: _Mention, keep) -> bool:
        inside = [cs for cs in m.cands if keep(cs[0])]
        if inside:
            m.cands = inside
            m.qualified = True
        return bool(inside)

    def _town_place(self, m: _Mention, c: tuple) -> Place:
        return Place(mention=self.text[m.start:m.end], name=c[NAME], geonameid=c[GID], lat=c[LAT], lon=c[LON],
                     country=c[CC], admin1=self.t.admin1_name.get((c[CC], c[ADM1])), precision="point",
                     evidence=Span(m.start, m.end))

    def _country_place(self, m: _Mention) -> Place:
        c = m.cands[0][0]
        lat, lon = self.t.centroids.get(c[CC], (c[LAT], c[LON]))
        return Place(mention=self.text[m.start:m.end], name=c[NAME], geonameid=c[GID], lat=lat, lon=lon,
                     country=c[CC], admin1=None, precision="country", evidence=Span(m.start, m.end))

    def _state_place(self, m: _Mention) -> Place:
        c = m.cands[0][0]
        return Place(mention=self.text[m.start:m.end], name=c[NAME], geonameid=c[GID], lat=None, lon=None,
                     country="US", admin1=c[NAME], precision="admin1", evidence=Span(m.start, m.end))


def _sure(m: _Mention) -> bool:
    """A town too big or too unique to be dropped for disagreeing with its written oblast."""
    top = m.cands[0][0]
    return top[POP] >= MAJOR_POP or (len(m.cands) == 1 and top[POP] >= TOWN_POP)


def _proximity_km(c: tuple, anchors: list[tuple[float, float]]) -> float:
    if not anchors or c[LAT] is None:
        return math.inf
    return min(_km(c[LAT], c[LON], a, b) for a, b in anchors)


def _proximity(c: tuple, anchors: list[tuple[float, float]]) -> float:
    best = _proximity_km(c, anchors)
    if best < 1.0:
        return 0.0  # the anchor is this very place: no bonus for agreeing with itself
    return 2.5 if best < 25 else 1.5 if best < 75 else 0.5 if best < 200 else 0.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _scan(text: str, sentences: list[Span], query: bool = False) -> list[Place]:
    scan = _DocScan(text, sentences, query=query)
    regions = scan.regions()
    claimed = sorted((m.start, m.end) for m in regions)
    mentions = regions + scan.towns(claimed)
    mentions.sort(key=lambda m: m.start)
    return scan.resolve(mentions)


def find_places(text: str, sentences: list[Span] | None = None) -> list[Place]:
    """Every place mention in ``text``, resolved, in text order."""
    if sentences is None:
        from claimledger.analyse.sentences import split_sentences

        sentences = split_sentences(text)
    return _scan(text, sentences)


def place_component(doc) -> None:
    doc.places = find_places(doc.text, doc.sentences or None)


def geocode(name: str) -> Place | None:
    """Best single place for a name typed by a user (``--near Kramatorsk``, ``--near "Kharkiv region"``).

    The whole string is tried as one name first, so a stoplisted word ("Bar") or a town that is
    also a surname still resolves when it is all the user typed.
    """
    name = " ".join((name or "").split())
    if not name:
        return None
    found = _scan(name, [Span(0, len(name))], query=True)
    whole = [p for p in found if p.evidence.start == 0 and p.evidence.end >= len(name.rstrip(".")) - 2]
    return (whole or found or [None])[0]
