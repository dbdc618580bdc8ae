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
   report's publication (a longer window when it names the cluster's site), preferring the one
   naming the same site ("theatre") and then the nearest date. They never found multi-document clusters among themselves: without a date, two reports
   of "a strike on Mariupol" are not evidence of one incident.

The grouping is a function of the *set* of events, whatever the order they arrived in. Ingest keeps
it up to date incrementally (:func:`assign_dated`): a new event with key ``k`` cannot change
decisions made before ``k``; after it, each day is re-decided only where a change can reach (new
events, members of changed clusters, events near them, and their closure), read on demand from a
(day, type group, cell) and (day, type group, region) index (:class:`PlaceDayIndex`), until no
later day can see a change. So the cost of a document is what lies near it in time and place.

A ledger event's id is derived from its founder, the first member in canonical order, so it does
not depend on arrival order either.

The pairwise judgements (:class:`Node`, ``compatible``, ``pair_score``) and the place-day index live
in ``nodes.py``; they are re-exported here because callers think of them as the merge's vocabulary.
"""

from __future__ import annotations

from collections import defaultdict

from claimledger.ledger.nodes import (  # noqa: F401  (re-exported: the merge's vocabulary, see above)
    Node,
    PlaceDayIndex,
    compatible,
    config,
    day_number,
    known_side,
    ledger_id,
    norm_admin,
    pair_score,
    site_words,
)


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
        self._cands: dict[tuple[str, int], set[str]] = {}

    def begin(self, day: int) -> None:
        self.day = day
        self.today = defaultdict(list)
        self._before = {}
        self._cands = {}

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
        """The open clusters ``n`` could join: of events on the days before this one, near it.

        Remembered for the day (the closure, the components and the day's decision ask it again for
        the same events): what it reads cannot change during a day, as the pass only changes the
        clusters of the day's own events and ``closed`` is fixed for the pass. Not to be mutated."""
        hit = self._cands.get((n.id, days))
        if hit is None:
            hit = self._cands[n.id, days] = self._candidates(n, days)
        return hit

    def _candidates(self, n: Node, days: int) -> set[str]:
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
                hit = memo[key] = (ok, pair_score(x, y) if ok else 0.0)
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
    """Could the undated event ``n`` join the dated cluster ``members``? (window, compatibility, site)

    The window is ``unsited_lookback_days`` before the report's publication, or the longer
    ``undated_lookback_days`` when the report names a landmark the cluster names ("the theatre",
    ``recalled_sites``): a struck landmark is recalled by name for months, a town's shelling, or
    its hospitals and depots, struck again and again, are not."""
    if n.pub is None or not members:
        return False
    rng = cluster_day_range(members)
    sites = frozenset().union(*(m.sites for m in members))
    shared = bool(n.sites & sites)
    landmark = bool(n.sites & sites & frozenset(config()["recalled_sites"]))
    lookback = config()["merge"]["undated_lookback_days" if landmark else "unsited_lookback_days"]
    if rng is None or not (n.pub - lookback <= rng[0] and rng[1] <= n.pub + 1):
        return False
    if not all(compatible(n, m, dated=False) for m in members):
        return False
    return not (n.sites and sites and not shared)


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
