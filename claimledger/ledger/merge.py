"""Which documents' events are one real-world incident: deterministic, order-independent clustering.

Why this shape. A greedy "join the first match" merge depends on arrival order; connected
components of "could be the same" chain day-by-day shelling of one city into one year-long event.
So the ledger defines the grouping as the result of one canonical pass:

1. *Dated* document events are visited in the canonical order ``(date, event id)``. Each joins the
   best-scoring existing cluster whose every member it is compatible with (complete linkage, so no
   chaining), or founds a new cluster. Two events of one document never share a cluster (the
   extractor already decided they are different incidents).
2. *Undated* document events (``date`` null) then join, each on its own, the best dated cluster
   that is compatible in type, place and sides, dated within ``undated_lookback_days`` before the
   report's publication, preferring the one naming the same site ("theatre") and then the nearest
   date. They never found multi-document clusters among themselves: without a date, two reports
   of "a strike on Mariupol" are not evidence of one incident.

The grouping is a function of the *set* of events, whatever the order they arrived in. Ingest keeps
it up to date incrementally (:func:`assign_dated`): a new event with key ``k`` cannot change
decisions made before ``k``; after it, each day is re-decided only where a change can reach (new
events, members of changed clusters, events near them, and their closure), read on demand from a
(day, type group, cell) and (day, type group, region) index (:class:`PlaceDayIndex`), until no
later day can see a change. So the cost of a document is what lies near it in time and place.

A ledger event's id is derived from its founder, the first member in canonical order, so it does
not depend on arrival order either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from claimledger.data import load_yaml
from claimledger.geo import km  # noqa: F401  (reconcile and store import it from here)

BELLIGERENT_OR_KNOWN = ("russia", "ukraine", "third_party")


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


def site_words(texts: Iterable[str]) -> frozenset[str]:
    """Canonical site words named in texts ("railway station" -> station)."""
    found = set()
    for text in texts:
        if not text:
            continue
        for site, pat in _site_patterns():
            if site not in found and pat.search(text):
                found.add(site)
    return frozenset(found)


def day_number(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


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

    def __post_init__(self) -> None:
        self.group = type_group(self.type)
        if self.lat is not None and self.lon is not None:
            lat_step, lon_step = grid()
            self.cell = (math.floor(self.lat / lat_step), math.floor(self.lon / lon_step))

    @property
    def key(self) -> tuple:
        return (self.day if self.day is not None else 10**9, self.id)

    @property
    def imprecise(self) -> bool:
        return self.precision in ("admin1", "admin2")


@cache
def grid() -> tuple[float, float]:
    """Cell size of the merge's place index, in degrees (latitude, longitude).

    A cell is at least ``km`` tall, so everything within ``km`` of a point lies in its cell row or
    the rows above and below; across, a cell is twice as wide and the number of neighbouring
    columns to read depends on the latitude (see :func:`lon_reach`)."""
    lat_step = config()["merge"]["km"] / 110.0
    return lat_step, 2 * lat_step


@cache
def lon_reach(cell_row: int) -> int:
    """How many cell columns either side hold every point within ``km`` of a point in this row."""
    lat_step, lon_step = grid()
    far = min(89.9, max(abs(cell_row * lat_step), abs((cell_row + 1) * lat_step)) + lat_step)
    span = config()["merge"]["km"] / (111.19 * math.cos(math.radians(far)))
    return max(1, math.ceil(span / lon_step))


def place_compatible(a: Node, b: Node) -> bool:
    """Same place: within ``km``, or one only known to region level and the other inside it.

    A country is not a place for this purpose: "Russia" in two reports says nothing about whether
    they describe one incident, so country-level events never merge."""
    if a.precision == "country" or b.precision == "country":
        return False
    if a.imprecise or b.imprecise:
        if a.admin1 and a.admin1 == b.admin1 and (not a.country or not b.country or a.country == b.country):
            return True
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return km(a.lat, a.lon, b.lat, b.lon) <= config()["merge"]["km"]


def sides_compatible(a: Node, b: Node) -> bool:
    """Actors compatible: no side named by both reports differs (unknowns agree with anything)."""
    if a.init and b.init and a.init != b.init:
        return False
    if a.target and b.target and a.target != b.target:
        return False
    return True


def compatible(a: Node, b: Node, dated: bool = True) -> bool:
    if a.doc == b.doc or a.group != b.group:
        return False
    if dated:
        if a.day is None or b.day is None or abs(a.day - b.day) > config()["merge"]["days"]:
            return False
    return sides_compatible(a, b) and place_compatible(a, b)


def _pair_score(a: Node, b: Node) -> float:
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
    return sum(_pair_score(node, m) for m in members) / len(members)


def _keys(n: Node, day: int) -> list[tuple]:
    """Where a node is filed on ``day`` (or slot): its cell, its region, and its region again as "vague" when
    it is only known to region level (such a node is near everything in its region)."""
    if n.precision == "country":      # never place-compatible with anything
        return []
    keys = []
    if n.cell is not None:
        keys.append(("c", day, n.group, *n.cell))
    if n.admin1:
        keys.append(("a", day, n.group, n.admin1))
        if n.imprecise:
            keys.append(("v", day, n.group, n.admin1))
    return keys


def _probes(n: Node, day0: int, day1: int, both_ways: bool) -> Iterator[tuple]:
    """The keys under which everything ``n`` may be compatible with (same type group, within the
    merge distance or sharing a region with a region-level side) is filed, on days (or slots)
    day0..day1.

    ``both_ways`` widens the columns so that the result also holds every node that has ``n`` among
    *its* probes (the column reach depends on the latitude of the probing node)."""
    if n.precision == "country":
        return
    if n.cell is not None:
        cy, cx = n.cell
        reach = max(lon_reach(cy + dy) for dy in (-1, 0, 1)) if both_ways else lon_reach(cy)
        for d in range(day0, day1 + 1):
            for dy in (-1, 0, 1):
                for dx in range(-reach, reach + 1):
                    yield ("c", d, n.group, cy + dy, cx + dx)
    if n.admin1:
        kind = "a" if n.imprecise else "v"
        for d in range(day0, day1 + 1):
            yield (kind, d, n.group, n.admin1)


class PlaceDayIndex:
    """Items filed by (day, type group, cell) and (day, type group, region).

    A lookup returns a superset of the items whose node is compatible with the probe, never missing
    one. Keyed this finely so that a dense day of shelling in one oblast is not one tangle of
    "could be the same" with every air strike and every town of the region. With ``bucket`` > 1
    days are filed in slots of that many days (for lookups that span weeks), and a lookup may also
    return items of the other days of its first and last slot: the caller checks dates."""

    def __init__(self, bucket: int = 1) -> None:
        self.bucket = bucket
        self.table: dict[tuple, list] = defaultdict(list)

    def add(self, item, n: Node, day: int | None = None) -> None:
        """File ``item`` where ``n`` lies, on ``day`` (default: the node's own date)."""
        for k in _keys(n, (n.day if day is None else day) // self.bucket):
            self.table[k].append(item)

    def near(self, nodes: Node | Iterable[Node], day0: int, day1: int, both_ways: bool = False) -> Iterator:
        """Items filed near any of ``nodes`` on days day0..day1 (an item may come more than once)."""
        if isinstance(nodes, Node):
            keys: Iterable[tuple] = _probes(nodes, day0 // self.bucket, day1 // self.bucket, both_ways)
        else:
            keys = {k for n in nodes for k in _probes(n, day0 // self.bucket, day1 // self.bucket, both_ways)}
        for k in keys:
            hit = self.table.get(k)
            if hit:
                yield from hit


def _same_day(block: list[Node]) -> dict[str, set[str]]:
    """For each event of one day, the other events of the day it could pair with (a superset)."""
    places = PlaceDayIndex()
    for n in block:
        places.add(n.id, n)
    return {n.id: {m for m in places.near(n, n.day, n.day) if m != n.id} for n in block}


class _PassIndex:
    """The clusters as the canonical pass has them when it reaches a day: every document event of an
    earlier day in its cluster (as stored, or as changed by this pass), plus what the pass itself
    has placed on the day so far. Read from the neighbourhood on demand, so a pass costs what the
    places and days it touches hold, not what the whole date window holds."""

    def __init__(self, hood, changes: dict[str, str], moved_in: dict[str, list[Node]], window_start: int):
        self.hood = hood
        self.changes = changes
        self.moved_in = moved_in
        self.window_start = window_start
        self.day = window_start
        self.today: dict[str, list[Node]] = defaultdict(list)
        self._before: dict[str, list[Node]] = {}
        self._closed: dict[str, bool] = {}

    def begin(self, day: int) -> None:
        self.day = day
        self.today = defaultdict(list)
        self._before = {}

    def cluster_of(self, m: Node) -> str | None:
        return self.changes.get(m.id, m.cluster)

    def closed(self, cid: str) -> bool:
        """A cluster with a member before the window: no event on or after the first new day can join."""
        hit = self._closed.get(cid)
        if hit is None:
            first = self.hood.earliest_day(cid)
            hit = self._closed[cid] = first is not None and first < self.window_start
        return hit

    def candidates(self, n: Node, days: int) -> set[str]:
        out: set[str] = set()
        for m in self.hood.near(n, n.day - days, min(n.day + days, self.day - 1)):
            c = self.cluster_of(m)
            if c and c not in out and not self.closed(c):
                out.add(c)
        return out

    def members_of(self, cid: str) -> list[Node]:
        before = self._before.get(cid)
        if before is None:
            before = [m for m in self.hood.members(cid) if m.day < self.day and m.id not in self.changes]
            before += [m for m in self.moved_in.get(cid, ()) if m.day < self.day]
            before.sort(key=lambda m: m.key)
            self._before[cid] = before
        return before + self.today[cid] if cid in self.today else before

    def add(self, cid: str, n: Node) -> None:
        self.today[cid].append(n)


def _link(a: list[Node], b: list[Node], memo: dict) -> float | None:
    """Average pair score of two groups, or None unless every pair is compatible (complete linkage).

    ``memo`` keeps each pair's (compatible, score) for the whole pass: dense days re-link the same
    events many times as groups grow."""
    total = 0.0
    for x in a:
        for y in b:
            key = (x.id, y.id) if x.id < y.id else (y.id, x.id)
            hit = memo.get(key)
            if hit is None:
                ok = compatible(x, y)
                hit = memo[key] = (ok, _pair_score(x, y) if ok else 0.0)
            if not hit[0]:
                return None
            total += hit[1]
    return total / (len(a) * len(b))


def _components(block: list[Node], index: _PassIndex, days: int) -> list[tuple[list[Node], set[str]]]:
    """The day's events split into groups that cannot influence each other's decisions: linked when
    they could pair (same day, nearby) or could join the same existing cluster. Each with the
    existing clusters its events could join."""
    near = _same_day(block)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    cands = {n.id: index.candidates(n, days) for n in block}
    for n in block:
        for m in near[n.id]:
            union(n.id, m)
        for cid in cands[n.id]:
            union(n.id, "\x00" + cid)
    comps: dict[str, list[Node]] = defaultdict(list)
    for n in block:
        comps[find(n.id)].append(n)
    return [(ms, set().union(*(cands[n.id] for n in ms))) for _, ms in sorted(comps.items())]


def _decide_day(block: list[Node], index: _PassIndex, days: int, memo: dict) -> dict[str, str]:
    """Clusters for all dated events of one day, given the clusters of the days before.

    Best-first agglomeration over the day's events and the existing clusters near them: the most
    alike pair is joined first, so an event waits for its same-day twin from another outlet
    instead of taking the first compatible cluster from yesterday. Existing clusters never merge
    with each other here (that was decided on their own days). Ties go to the smallest ids.
    """
    groups: dict[str, list[Node]] = {n.id: [n] for n in block}   # open groups of the day's events
    owner: dict[str, str] = {n.id: n.id for n in block}
    near = _same_day(block)
    # Existing clusters a group could join. Fixed for the day: a cluster only gains members that are
    # compatible with all of its members, so no new cluster becomes reachable while we merge.
    old: dict[str, set[str]] = {n.id: index.candidates(n, days) for n in block}
    pairs: dict[tuple[str, str, str], float] = {}

    def add_pairs(g: str) -> None:
        mates = {owner[m] for n in groups[g] for m in near[n.id]} - {g}
        for h in mates:
            if h in groups:
                score = _link(groups[g], groups[h], memo)
                if score is not None:
                    pairs[(min(g, h), "new", max(g, h))] = score
        for cid in set().union(*(old[n.id] for n in groups[g])):
            score = _link(groups[g], index.members_of(cid), memo)
            if score is not None:
                pairs[(g, "old", cid)] = score

    for g in sorted(groups):
        add_pairs(g)
    joined: dict[str, str] = {}
    while pairs:
        g, kind, p = min(pairs, key=lambda k: (-pairs[k], k))
        if kind == "old":
            for n in groups.pop(g):
                index.add(p, n)
                joined[n.id] = p
            for k in [k for k in pairs if k[0] == g or k[2] == g]:
                del pairs[k]
            for k in [k for k in pairs if k[1] == "old" and k[2] == p]:
                score = _link(groups[k[0]], index.members_of(p), memo)   # p has grown: who can still join
                if score is None:
                    del pairs[k]
                else:
                    pairs[k] = score
        else:
            merged = groups.pop(g) + groups.pop(p)
            for k in [k for k in pairs if k[0] in (g, p) or (k[1] == "new" and k[2] in (g, p))]:
                del pairs[k]
            groups[g] = merged            # g < p: the merged group keeps the smaller key
            for n in merged:
                owner[n.id] = g
            add_pairs(g)
    out = dict(joined)
    for _key, members in sorted(groups.items()):
        cid = ledger_id(min(members, key=lambda n: n.key).id)
        for n in members:
            index.add(cid, n)
            out[n.id] = cid
    return out


def _closure(seeds: dict[str, Node], hood, index: _PassIndex, days: int) -> dict[str, Node]:
    """The day's events that can influence the seeds' decisions or be influenced by them: closed
    under "could pair" (near on the day) and "could join the same cluster" (near one of its
    members). A superset is harmless: parts that cannot see a change are kept as stored."""
    day = index.day
    out = dict(seeds)
    frontier = list(seeds.values())
    seen: set[str] = set()

    def reach(x: Node) -> None:
        for y in hood.near(x, day, day, both_ways=True):
            if y.id not in out:
                out[y.id] = y
                frontier.append(y)

    while frontier:
        x = frontier.pop()
        reach(x)
        for c in index.candidates(x, days):
            if c not in seen:
                seen.add(c)
                for m in index.members_of(c):
                    reach(m)
    return out


def assign_dated(hood, new: list[Node]) -> dict[str, str]:
    """Re-make the canonical decisions that new dated events can change; the events whose cluster
    changed, with their new cluster.

    ``hood`` holds every document event with its stored cluster, the new ones included (cluster
    None). The pass walks the days from the first new event on, but on each day looks only at the
    events that a change can reach: new events, members of clusters that changed ("dirty"), events
    near a dirty cluster's members, and the closure of those. Everything else stands as stored, so
    it is never read. It stops when no later day can see a change: ``days`` after the last event
    placed in a dirty cluster, and past the last stored member of every dirty cluster.
    """
    days = config()["merge"]["days"]
    new = sorted(new, key=lambda n: n.key)
    start_day = new[0].day
    changes: dict[str, str] = {}
    moved_in: dict[str, list[Node]] = defaultdict(list)
    index = _PassIndex(hood, changes, moved_in, start_day - days)
    new_by_day: dict[int, list[Node]] = defaultdict(list)
    for n in new:
        new_by_day[n.day].append(n)
    dirty: set[str] = set()          # clusters whose members differ from the stored grouping so far
    memo: dict = {}
    horizon = new[-1].day
    day: int | None = start_day
    while day is not None and day <= horizon:
        index.begin(day)
        seeds = {n.id: n for n in new_by_day.get(day, ())}
        for c in sorted(dirty):
            for m in hood.members(c):
                if m.day == day and m.id not in changes:
                    seeds[m.id] = m
            for m in index.members_of(c):
                if m.day >= day - days:
                    for y in hood.near(m, day, day, both_ways=True):
                        seeds.setdefault(y.id, y)
        if seeds:
            block = sorted(_closure(seeds, hood, index, days).values(), key=lambda n: n.id)
            for comp, cands in _components(block, index, days):
                # A part of the day with no new event (new ones have no cluster yet), whose clusters
                # (stored or reachable) are all as they were, would decide as it did: it stays.
                if not any(n.cluster is None or n.cluster in dirty for n in comp) and not (cands & dirty):
                    continue
                decided = _decide_day(comp, index, days, memo)
                for n in comp:
                    cid = decided[n.id]
                    if cid != n.cluster:
                        changes[n.id] = cid
                        moved_in[cid].append(n)
                        for c in (n.cluster, cid):
                            if c and c not in dirty:
                                dirty.add(c)
                                later = [m.day for m in hood.members(c)]
                                horizon = max([horizon, day + days, *later])
                    if cid in dirty:
                        horizon = max(horizon, day + days)
        day = hood.next_day(day)
    return changes


def cluster_day_range(members: list[Node]) -> tuple[int, int] | None:
    days = [m.day for m in members if m.day is not None]
    return (min(days), max(days)) if days else None


def undated_candidate(n: Node, members: list[Node]) -> bool:
    """Could the undated event ``n`` join the dated cluster ``members``? (window, compatibility, site)"""
    if n.pub is None or not members:
        return False
    rng = cluster_day_range(members)
    lookback = config()["merge"]["undated_lookback_days"]
    if rng is None or not (n.pub - lookback <= rng[0] and rng[1] <= n.pub + 1):
        return False
    if not all(compatible(n, m, dated=False) for m in members):
        return False
    sites = frozenset().union(*(m.sites for m in members))
    return not (n.sites and sites and not (n.sites & sites))


def undated_key(n: Node, cid: str, members: list[Node]) -> tuple | None:
    """How good the dated cluster is for the undated event (smaller is better), None if no candidate:
    a cluster naming the report's site first, then the one dated nearest before publication."""
    if not undated_candidate(n, members):
        return None
    sites = frozenset().union(*(m.sites for m in members))
    rank = 0 if (n.sites and n.sites & sites) else 1
    return (rank, abs(n.pub - cluster_day_range(members)[1]), cid)


def assign_undated(group: list[Node], clusters: dict[str, list[Node]]) -> dict[str, str]:
    """Clusters for one document's undated events, given the dated clusters around them.

    Events are taken in id order so that two of them never land in one cluster; a cluster that
    already holds a dated event of the same document is not a candidate either.
    """
    out: dict[str, str] = {}
    taken = {cid for cid, ms in clusters.items() if any(m.doc == group[0].doc for m in ms)}
    for n in sorted(group, key=lambda n: n.id):
        choice = None
        if n.pub is not None:
            best_key = None
            for cid, members in clusters.items():
                key = None if cid in taken else undated_key(n, cid, members)
                if key is not None and (best_key is None or key < best_key):
                    choice, best_key = cid, key
        cid = choice or ledger_id(n.id)
        taken.add(cid)
        out[n.id] = cid
    return out
