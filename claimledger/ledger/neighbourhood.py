"""The merge's working set in memory: every document event as a :class:`merge.Node`, indexed by
ledger event, by document, and by place and day (dated events by their date, undated ones by their
publication date; see :class:`merge.PlaceDayIndex`).

Why. Each new report is grouped against the events of the days around it, and an undated report
against the incidents of the 60 days before its publication near its place. Reading those from the
database for every document cost more than the merge itself (a whole-corpus ingest built 3 million
``Node`` objects from SQL rows), and the region-wide queries grew with the ledger. The store keeps
one :class:`Neighbourhood` per process and checks it against a generation counter that every
writer bumps in its transaction (``ledger_state``), so a ledger written by another process at the
same time is re-read, never trusted stale.

Lookups by place return a superset (whole cells, whole regions); the merge's own compatibility
test decides.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator

from claimledger.ledger.merge import Node, PlaceDayIndex

WEEK = 7   # slot of the indexes read over weeks (an undated report looks 60 days back)


class Neighbourhood:
    """All document events of one ledger, with their current ledger event (``Node.cluster``).

    Only the store changes it, inside its write transaction, through :meth:`add` and :meth:`move`;
    a failed transaction must drop the whole object (the store does), as the nodes are not rolled
    back with the database.
    """

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        self.nodes: dict[str, Node] = {}
        self._days: list[int] = []                       # sorted days that have dated nodes
        self._day_set: set[int] = set()
        self._clusters: dict[str, dict[str, Node]] = defaultdict(dict)
        self._by_doc: dict[str, list[Node]] = defaultdict(list)
        self._near = PlaceDayIndex()                     # dated nodes, filed by their date
        self._near_weeks = PlaceDayIndex(WEEK)           # the same, for lookups over weeks
        self._undated = PlaceDayIndex(WEEK)              # undated nodes, filed by publication date
        for n in nodes:
            self.add(n)

    def __len__(self) -> int:
        return len(self.nodes)

    def add(self, n: Node) -> None:
        if n.id in self.nodes:
            raise ValueError(f"document event {n.id} is already in the neighbourhood")
        self.nodes[n.id] = n
        self._by_doc[n.doc].append(n)
        if n.cluster:
            self._clusters[n.cluster][n.id] = n
        if n.day is not None:
            if n.day not in self._day_set:
                self._day_set.add(n.day)
                bisect.insort(self._days, n.day)
            self._near.add(n, n)
            self._near_weeks.add(n, n)
        elif n.pub is not None:
            self._undated.add(n, n, n.pub)

    def move(self, node_id: str, cluster: str) -> None:
        n = self.nodes[node_id]
        if n.cluster:
            members = self._clusters[n.cluster]
            members.pop(n.id, None)
            if not members:
                del self._clusters[n.cluster]
        n.cluster = cluster
        self._clusters[cluster][n.id] = n

    # ------------------------------------------------------------------ lookups

    def next_day(self, day: int) -> int | None:
        """The first day after ``day`` that has dated events."""
        i = bisect.bisect_right(self._days, day)
        return self._days[i] if i < len(self._days) else None

    def near(self, n: Node, day0: int, day1: int, both_ways: bool = False) -> Iterator[Node]:
        """Dated events on days day0..day1 that ``n`` may be compatible with (see PlaceDayIndex)."""
        return self._near.near(n, day0, day1, both_ways)

    def members(self, cluster: str, dated: bool = True) -> list[Node]:
        """The cluster's members (only the dated ones unless ``dated`` is False), in id order."""
        ms = self._clusters.get(cluster, {})
        return sorted((n for n in ms.values() if n.day is not None or not dated), key=lambda n: n.id)

    def earliest_day(self, cluster: str) -> int | None:
        days = [n.day for n in self._clusters.get(cluster, {}).values() if n.day is not None]
        return min(days) if days else None

    def undated_of(self, doc: str) -> list[Node]:
        return [n for n in self._by_doc.get(doc, ()) if n.day is None]

    def dated_around(self, nodes: Iterable[Node], day0: int, day1: int) -> Iterator[Node]:
        """Dated events that may be compatible with any of ``nodes``, dated in [day0, day1]."""
        return (m for m in self._near_weeks.near(nodes, day0, day1) if day0 <= m.day <= day1)

    def undated_near(self, nodes: Iterable[Node], pub0: int, pub1: int) -> Iterator[Node]:
        """Undated events published in [pub0, pub1] that may be compatible with any of ``nodes``."""
        return (u for u in self._undated.near(nodes, pub0, pub1, both_ways=True) if pub0 <= u.pub <= pub1)
