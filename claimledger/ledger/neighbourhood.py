"""The merge's working set in memory: every document event as a :class:`merge.Node`, indexed by day,
by ledger event, and by (week, 1-degree cell) and (week, region).

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
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator

from claimledger.ledger.merge import Node, PlaceDayIndex

BUCKET_DAYS = 8   # the place indexes are per 8-day bucket: a query reads a few buckets, not the year


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat), math.floor(lon))


class _PlaceBuckets:
    """Nodes by (bucket, cell) and (bucket, region), for "near this place, within these days"."""

    def __init__(self) -> None:
        self.by_cell: dict[tuple, list[Node]] = defaultdict(list)
        self.by_admin: dict[tuple, list[Node]] = defaultdict(list)

    def add(self, n: Node, day: int) -> None:
        b = day // BUCKET_DAYS
        if n.lat is not None and n.lon is not None:
            self.by_cell[(b, *_cell(n.lat, n.lon))].append(n)
        if n.admin1:
            self.by_admin[(b, n.admin1)].append(n)

    def near(self, day0: int, day1: int, anchors: Iterable[Node], dlat: float, dlon: float,
             attr: str) -> Iterator[Node]:
        """Nodes whose ``attr`` day lies in [day0, day1] and that lie in the box ``dlat`` x ``dlon``
        around an anchor's point or in an anchor's region (each node once)."""
        seen: set[str] = set()
        buckets = range(day0 // BUCKET_DAYS, day1 // BUCKET_DAYS + 1)
        for a in anchors:
            lists = []
            if a.lat is not None and a.lon is not None:
                y0, x0 = _cell(a.lat - dlat, a.lon - dlon)
                y1, x1 = _cell(a.lat + dlat, a.lon + dlon)
                lists += [self.by_cell.get((b, y, x), ()) for b in buckets
                          for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
            if a.admin1:
                lists += [self.by_admin.get((b, a.admin1), ()) for b in buckets]
            for nodes in lists:
                for n in nodes:
                    d = getattr(n, attr)
                    if n.id not in seen and d is not None and day0 <= d <= day1:
                        seen.add(n.id)
                        yield n


class Neighbourhood:
    """All document events of one ledger, with their current ledger event (``Node.cluster``).

    Only the store changes it, inside its write transaction, through :meth:`add` and :meth:`move`;
    a failed transaction must drop the whole object (the store does), as the nodes are not rolled
    back with the database.
    """

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        self.nodes: dict[str, Node] = {}
        self._by_day: dict[int, list[Node]] = defaultdict(list)
        self._days: list[int] = []                       # sorted days that have dated nodes
        self._clusters: dict[str, dict[str, Node]] = defaultdict(dict)
        self._by_doc: dict[str, list[Node]] = defaultdict(list)
        self._near = PlaceDayIndex()                     # dated nodes, as the merge compares them
        self._dated_places = _PlaceBuckets()             # dated nodes, by their date (coarse)
        self._undated_places = _PlaceBuckets()           # undated nodes, by publication date
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
            if n.day not in self._by_day:
                bisect.insort(self._days, n.day)
            self._by_day[n.day].append(n)
            self._near.add(n, n)
            self._dated_places.add(n, n.day)
        elif n.pub is not None:
            self._undated_places.add(n, n.pub)

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

    def dated_near(self, day0: int, day1: int, anchors: Iterable[Node], dlat: float, dlon: float
                   ) -> Iterator[Node]:
        """Dated nodes in [day0, day1] near an anchor (box or same region)."""
        return self._dated_places.near(day0, day1, anchors, dlat, dlon, "day")

    def undated_near(self, pub0: int, pub1: int, anchors: Iterable[Node], dlat: float, dlon: float
                     ) -> Iterator[Node]:
        """Undated nodes published in [pub0, pub1] near an anchor (box or same region)."""
        return self._undated_places.near(pub0, pub1, anchors, dlat, dlon, "pub")
