"""What the merge compares: a document event as the merge sees it (:class:`Node`), when two of them
can be one incident (``compatible``) and how alike they are (``pair_score``), and the place-day index
that finds the candidates near an event without reading the whole ledger (:class:`PlaceDayIndex`).

The canonical pass that turns these pairwise judgements into clusters is ``merge.py``; the numbers
(distance, day window, type groups, site words) are data, in ``claimledger/data/ledger.yaml``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from claimledger.analyse.dates_resolve import parse_iso
from claimledger.data import load_yaml
from claimledger.geo import km


@cache
def config() -> dict:
    return load_yaml("ledger.yaml")


@cache
def _type_groups() -> dict[str, str]:
    groups = {}
    for i, group in enumerate(config()["compatible_types"]):
        for t in group:
            groups[t.lower()] = f"g{i}"
    return groups


def compatible_types(event_type: str) -> list[str]:
    """Every sub-event type spelling that can be the same incident as ``event_type`` (for SQL filters)."""
    g = type_group(event_type)
    same = [t for group in config()["compatible_types"] for t in group if type_group(t) == g]
    return sorted(set(same) | {event_type})


@cache
def _site_join_types() -> frozenset[str]:
    return frozenset(t.lower() for t in config().get("site_joins_types", ()))


def type_group(event_type: str | None) -> str:
    t = (event_type or "").strip().lower()
    return _type_groups().get(t, t)


@cache
def _site_patterns() -> list[tuple[str, re.Pattern]]:
    pats = []
    for site, spellings in config()["sites"].items():
        for s in sorted(spellings, key=len, reverse=True):
            pats.append((site, re.compile(r"\b" + re.escape(s) + r"s?\b", re.IGNORECASE)))
    return pats


@cache
def _any_site() -> re.Pattern:
    """Every spelling at once: most evidence names no site, and one search says so (a text it
    does not match matches none of the patterns one by one)."""
    spellings = sorted({s for ss in config()["sites"].values() for s in ss}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in spellings) + r")s?\b", re.IGNORECASE)


def site_words(texts: Iterable[str]) -> frozenset[str]:
    """Canonical site words named in texts ("railway station" -> station)."""
    found = set()
    for text in texts:
        if not text or not _any_site().search(text):
            continue
        for site, pat in _site_patterns():
            if site not in found and pat.search(text):
                found.add(site)
    return frozenset(found)


def day_number(iso: str | None) -> int | None:
    """The day's ordinal (days compare as integers), None for no or no valid date."""
    day = parse_iso(iso)
    return day.toordinal() if day else None


def ledger_id(founder_event_id: str) -> str:
    """Stable id of the ledger event founded by this document event."""
    return "le-" + hashlib.sha1(founder_event_id.encode("utf-8")).hexdigest()[:12]


def norm_admin(name: str | None) -> str | None:
    """Region names compare without the words that differ between gazetteers ("Donetsk Oblast")."""
    if not name:
        return None
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    words = [w for w in words if w not in ("oblast", "region", "province", "krai", "republic", "people's",
                                           "peoples", "of", "the", "city")]
    return " ".join(words) or None


def known_side(side: str | None) -> str | None:
    # any party of the conflict registry (israel, hamas, saf...) is a known side, as russia and ukraine are
    return side if side is not None and side != "unknown" else None


@dataclass(slots=True)
class Node:
    """A document event as the merge sees it: only what decides "same incident"."""

    id: str
    doc: str
    day: int | None
    pub: int | None
    lat: float | None
    lon: float | None
    admin1: str | None
    country: str | None
    precision: str | None
    type: str
    init: str | None
    target: str | None
    sites: frozenset = field(default_factory=frozenset)
    cluster: str | None = None
    group: str = field(init=False, default="")   # the type's compatibility group, computed once
    cell: tuple[int, int] | None = field(init=False, default=None)   # see grid()
    site_join: bool = field(init=False, default=False)   # may join another type at a shared site (same_site)

    def __post_init__(self) -> None:
        self.group = type_group(self.type)
        if self.lat is not None and self.lon is not None:
            lat_step, lon_step = grid()
            self.cell = (math.floor(self.lat / lat_step), math.floor(self.lon / lon_step))
        self.site_join = bool(self.sites) and self.cell is not None and self.precision not in ("admin1", "country") \
            and (self.type or "").strip().lower() in _site_join_types()

    @property
    def key(self) -> tuple:
        return (self.day if self.day is not None else 10**9, self.id)

    @property
    def imprecise(self) -> bool:
        return self.precision in ("admin1", "admin2")

    @property
    def area(self) -> bool:
        """Near a town ("outside Moscow"): an area of ``near_km`` around the town's point."""
        return self.precision == "admin2" and self.cell is not None


@cache
def grid() -> tuple[float, float]:
    """Cell size of the merge's place index, in degrees (latitude, longitude).

    A cell is at least ``km`` tall, so everything within ``km`` of a point lies in its cell row or
    the rows above and below; across, a cell is twice as wide and the number of neighbouring
    columns to read depends on the latitude (see :func:`lon_reach`)."""
    lat_step = config()["merge"]["km"] / 110.0
    return lat_step, 2 * lat_step


@cache
def lon_reach(cell_row: int, rows: int = 1) -> int:
    """How many cell columns either side hold every point within ``rows`` times ``km`` of a point in
    this row."""
    lat_step, lon_step = grid()
    far = min(89.9, max(abs(cell_row * lat_step), abs((cell_row + 1) * lat_step)) + rows * lat_step)
    span = rows * config()["merge"]["km"] / (111.19 * math.cos(math.radians(far)))
    return max(1, math.ceil(span / lon_step))


@cache
def area_rows() -> int:
    """Cell rows either side that hold every point within ``near_km`` of a town (see Node.area)."""
    return max(1, math.ceil(config()["merge"]["near_km"] / config()["merge"]["km"]))


def place_compatible(a: Node, b: Node) -> bool:
    """Same place: within ``km``, or one only known to region level and the other inside it.

    A country is not a place for this purpose: "Russia" in two reports says nothing about whether
    they describe one incident, so country-level events never merge."""
    if a.precision == "country" or b.precision == "country":
        return False
    if (a.imprecise and not a.area) or (b.imprecise and not b.area):
        if a.admin1 and a.admin1 == b.admin1 and (not a.country or not b.country or a.country == b.country):
            return True
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    limit = config()["merge"]["near_km" if a.area or b.area else "km"]
    return km(a.lat, a.lon, b.lat, b.lon) <= limit


def same_site(a: Node, b: Node) -> bool:
    """Both name one site (the theatre, the station) at a town's point or area (a region is no one
    town), and both types are ones outlets use for one strike on a site (``site_joins_types``): one
    incident whatever the type."""
    return a.site_join and b.site_join and bool(a.sites & b.sites)


def blame_dispute(a: Node, b: Node) -> bool:
    """Two reports of one struck site in one town on (about) one day that blame different sides
    ("Russian forces fired the missile at the station", "Russia said a Ukrainian missile hit the
    station"): the sides dispute who struck it, the strike is one. Without a shared site, or days
    apart, contradicting sides stay two incidents."""
    if not (a.sites & b.sites) or a.day is None or b.day is None:
        return False
    if abs(a.day - b.day) > config()["merge"]["blame_dispute_days"]:
        return False
    return a.cell is not None and b.cell is not None and not (a.imprecise or b.imprecise)


def sides_compatible(a: Node, b: Node) -> bool:
    """Actors compatible: no side named by both reports differs (unknowns agree with anything)."""
    if a.init and b.init and a.init != b.init:
        return False
    if a.target and b.target and a.target != b.target:
        return False
    return True


def compatible(a: Node, b: Node, dated: bool = True) -> bool:
    if a.doc == b.doc or (a.group != b.group and not same_site(a, b)):
        return False
    if dated:
        if a.day is None or b.day is None or abs(a.day - b.day) > config()["merge"]["days"]:
            return False
    return (sides_compatible(a, b) or blame_dispute(a, b)) and place_compatible(a, b)


def pair_score(a: Node, b: Node) -> float:
    s = 0.0
    if a.type == b.type:
        s += 1.0
    if a.init and a.init == b.init:
        s += 0.5
    if a.target and a.target == b.target:
        s += 0.5
    if a.sites and b.sites:
        s += 1.5 if a.sites & b.sites else -1.5
    if a.day is not None and b.day is not None:
        s -= 0.5 * abs(a.day - b.day)
    if a.lat is not None and b.lat is not None and not (a.imprecise or b.imprecise):
        s -= km(a.lat, a.lon, b.lat, b.lon) / config()["merge"]["km"]
    return s


def affinity(node: Node, members: list[Node]) -> float:
    return sum(pair_score(node, m) for m in members) / len(members)


def _cells(n: Node, both_ways: bool = False) -> tuple[tuple[int, int], ...]:
    """The cells that hold every point ``n`` may be place-compatible with: a point's neighbours, an
    area's every cell within ``near_km``. With ``both_ways`` an area reaches one row and column
    further: the points whose own neighbours reach into the area."""
    return _cells_at(*n.cell, n.area, both_ways)


@cache
def _cells_at(cy: int, cx: int, area: bool, both_ways: bool) -> tuple[tuple[int, int], ...]:
    # remembered: every lookup of the merge asks them, for a few thousand distinct cells
    if not area:
        reach = max(lon_reach(cy + dy) for dy in (-1, 0, 1)) if both_ways else lon_reach(cy)
        return tuple((cy + dy, cx + dx) for dy in (-1, 0, 1) for dx in range(-reach, reach + 1))
    rows = area_rows()
    reach = lon_reach(cy, rows)
    if both_ways:
        rows += 1
        reach += max(lon_reach(cy + dy) for dy in range(-rows, rows + 1))
    return tuple((cy + dy, cx + dx) for dy in range(-rows, rows + 1) for dx in range(-reach, reach + 1))


def _keys(n: Node, day: int) -> list[tuple[tuple, object]]:
    """Where a node is filed on ``day`` (or slot), as (shelf, place): its cell (an area: each of its
    cells), its region, and its region again as "vague" when it is only known to region level (such
    a node is near everything in its region); a node that may join another type at its site, by site
    and cell too."""
    if n.precision == "country":      # never place-compatible with anything
        return []
    keys: list[tuple[tuple, object]] = []
    if n.cell is not None:
        cells = _cells(n) if n.area else (n.cell,)
        keys.extend((("c", day, n.group), c) for c in cells)
        keys.extend((("s", day, site), c) for site in sorted(n.sites) if n.site_join for c in cells)
    if n.admin1:
        keys.append((("a", day, n.group), n.admin1))
        if n.imprecise:
            keys.append((("v", day, n.group), n.admin1))
    return keys


def _probes(n: Node, day0: int, day1: int, both_ways: bool) -> Iterator[tuple[tuple, object]]:
    """The (shelf, place) keys under which everything ``n`` may be compatible with (same type group,
    within the merge distance or sharing a region with a region-level side) is filed, on days (or
    slots) day0..day1.

    ``both_ways`` widens the columns so that the result also holds every node that has ``n`` among
    *its* probes (the column reach depends on the latitude of the probing node)."""
    if n.precision == "country":
        return
    if n.cell is not None:
        cells = _cells(n, both_ways)
        sites = sorted(n.sites) if n.site_join else []
        for d in range(day0, day1 + 1):
            for c in cells:
                yield ("c", d, n.group), c
                for site in sites:
                    yield ("s", d, site), c
    if n.admin1:
        kind = "a" if n.imprecise else "v"
        for d in range(day0, day1 + 1):
            yield (kind, d, n.group), n.admin1


def _probe_shape(n: Node) -> tuple:
    """What ``_probes`` reads of a node: two nodes of one shape have the same probes."""
    return (n.precision == "country", n.cell, n.area, n.group, n.site_join and n.sites, n.admin1, n.imprecise)


class PlaceDayIndex:
    """Items filed by (day, type group, cell) and (day, type group, region).

    A lookup returns a superset of the items whose node is compatible with the probe, never missing
    one. Keyed this finely so that a dense day of shelling in one oblast is not one tangle of
    "could be the same" with every air strike and every town of the region. With ``bucket`` > 1
    days are filed in slots of that many days (for lookups that span weeks), and a lookup may also
    return items of the other days of its first and last slot: the caller checks dates.

    Filed in two levels, a shelf per (kind, day, type group or site) holding the places: a lookup
    asks the day's shelf once and then the dozen cells around the probe, instead of building and
    hashing a key per cell and day (the merge's candidate search was a tenth of the writer's time)."""

    def __init__(self, bucket: int = 1) -> None:
        self.bucket = bucket
        self.table: dict[tuple, dict] = {}

    def add(self, item, n: Node, day: int | None = None) -> None:
        """File ``item`` where ``n`` lies, on ``day`` (default: the node's own date)."""
        table = self.table
        for shelf, where in _keys(n, (n.day if day is None else day) // self.bucket):
            places = table.get(shelf)
            if places is None:
                places = table[shelf] = {}
            hit = places.get(where)
            if hit is None:
                places[where] = [item]
            else:
                hit.append(item)

    def near(self, nodes: Node | Iterable[Node], day0: int, day1: int, both_ways: bool = False) -> Iterator:
        """Items filed near any of ``nodes`` on days day0..day1 (an item may come more than once)."""
        if isinstance(nodes, Node):
            return self._near_one(nodes, day0 // self.bucket, day1 // self.bucket, both_ways)
        # the members of a busy event mostly share a place: their probes are one set of keys
        alike = {_probe_shape(n): n for n in nodes}
        keys = {k for n in alike.values() for k in _probes(n, day0 // self.bucket, day1 // self.bucket, both_ways)}
        return self._filed(keys)

    def _filed(self, keys: Iterable[tuple[tuple, object]]) -> Iterator:
        table = self.table
        for shelf, where in keys:
            places = table.get(shelf)
            if places is not None:
                hit = places.get(where)
                if hit:
                    yield from hit

    def _near_one(self, n: Node, d0: int, d1: int, both_ways: bool) -> Iterator:
        """``_filed(_probes(n, ...))``, in the same order, with one shelf lookup per day."""
        if n.precision == "country":
            return
        table = self.table
        if n.cell is not None:
            cells = _cells(n, both_ways)
            sites = sorted(n.sites) if n.site_join else ()
            for d in range(d0, d1 + 1):
                by_cell = table.get(("c", d, n.group))
                by_site = [t for site in sites if (t := table.get(("s", d, site))) is not None]
                if by_cell is None and not by_site:
                    continue
                for c in cells:
                    if by_cell is not None:
                        hit = by_cell.get(c)
                        if hit:
                            yield from hit
                    for t in by_site:
                        hit = t.get(c)
                        if hit:
                            yield from hit
        if n.admin1:
            kind = "a" if n.imprecise else "v"
            for d in range(d0, d1 + 1):
                places = table.get((kind, d, n.group))
                if places is not None:
                    hit = places.get(n.admin1)
                    if hit:
                        yield from hit
