"""The incremental merge step: where a new document's events go among the ledger's events.

``Store.ingest`` runs it inside the document's write transaction; ``Store.rebuild`` uses the same
pieces for its canonical pass. The decisions themselves (which cluster a report joins) are pure
functions in ``merge.py``; this module reads the working set (``Neighbourhood``), applies the
decisions to ``doc_events`` and rebuilds the touched ledger events' rows (``_refresh``), recording
where emptied ones went (``ledger_moves``). The incremental result must equal a rebuild's; the tests
in tests/ledger/test_merge.py compare the two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from claimledger.ledger import merge, reviews_apply, stories
from claimledger.ledger.db import doc_events, ledger_events, ledger_moves, ledger_state
from claimledger.ledger.neighbourhood import Neighbourhood
from claimledger.ledger.parsed import ParsedRecords
from claimledger.ledger.queries import chunks, generation
from claimledger.ledger.rows import build_event, ledger_row, node_of, utc_now

# Statements built once: building a select and generating its cache key cost more than running it
# (a third of the writer's time went to SQLAlchemy's statement building); ``ids`` expands per call.
_BUMP = update(ledger_state).where(ledger_state.c.id == 1).values(generation=bindparam("gen"))
_MEMBERS = (select(*[c for c in doc_events.c if c.name != "data"])
            .where(doc_events.c.ledger_id.in_(bindparam("ids", expanding=True))))
_DROP = delete(ledger_events).where(ledger_events.c.id.in_(bindparam("ids", expanding=True)))
_ADD = insert(ledger_events)


class IncrementalMerge:
    """The merge step of :class:`claimledger.ledger.store.Store` (which inherits it): the working set
    it keeps between write transactions, and the methods that place events and refresh ledger rows."""

    def __init__(self) -> None:
        self._hood: Neighbourhood | None = None   # the merge's working set, see _neighbourhood
        self._hood_gen: int | None = None
        self._parsed = ParsedRecords()            # members' events and claims, for _refresh

    def _neighbourhood(self, conn: Connection) -> Neighbourhood:
        """The merge's working set, current for this write transaction (which it marks as a write).

        Kept between transactions while the generation counter says nobody else wrote; re-read from
        the database otherwise (another process ingested, or this process's last write failed)."""
        gen = generation(conn)
        if gen is None:
            gen = 0
            conn.execute(insert(ledger_state).values(id=1, generation=0))
        hood = self._hood          # one read: a failing writer in another thread may reset the attribute
        if hood is None or self._hood_gen != gen:
            hood = self._hood = Neighbourhood(self._load_nodes(conn))
        conn.execute(_BUMP, {"gen": gen + 1})
        self._hood_gen = gen + 1
        if conn.dialect.name == "sqlite" and gen + 1 >= 64 and not (gen + 1) & gen:
            # SQLite plans without statistics until ANALYZE has run: a date-range page of the list then
            # sorts every match instead of reading the list-order index (4 ms -> 0.1 ms on 10,000
            # events). Re-analysed at each doubling of the write count, so the cost stays a fraction of
            # the writes' (31 ms at 10,000 events); PostgreSQL's autovacuum does this by itself.
            conn.exec_driver_sql("ANALYZE")
        return hood

    def _bump_generation(self, conn: Connection) -> None:
        """A write that changes ledger events outside the merge (a reprint) moves the generation on, so
        every process makes its remembered counts, map and facets again; the merge's working set (the
        document events, untouched) stays. ``record_failure`` needs none: nothing remembered reads failures."""
        gen = generation(conn)
        if gen is not None:
            conn.execute(_BUMP, {"gen": gen + 1})
            if self._hood_gen == gen:
                self._hood_gen = gen + 1

    def _load_nodes(self, conn: Connection) -> list[merge.Node]:
        rows = conn.execute(select(
            doc_events.c.id, doc_events.c.doc_id, doc_events.c.date_start, doc_events.c.published,
            doc_events.c.lat, doc_events.c.lon, doc_events.c.admin1, doc_events.c.country,
            doc_events.c.precision, doc_events.c.type, doc_events.c.initiator_side, doc_events.c.target_side,
            doc_events.c.sites, doc_events.c.ledger_id))
        return [node_of(r._mapping) for r in rows]

    def _set_clusters(self, conn: Connection, hood: Neighbourhood, changes: dict[str, str]) -> None:
        if changes:
            conn.execute(update(doc_events).where(doc_events.c.id == bindparam("nid"))
                         .values(ledger_id=bindparam("cid")),
                         [{"nid": k, "cid": v} for k, v in sorted(changes.items())])
            for nid, cid in changes.items():
                hood.move(nid, cid)

    def _merge(self, conn: Connection, hood: Neighbourhood, new: list[merge.Node]) -> set[str]:
        """Place a new document's events in the canonical grouping; the ledger ids it touched."""
        lookback = merge.config()["merge"]["undated_lookback_days"]
        touched: set[str] = set()
        changed: list[merge.Node] = []
        dated = [n for n in new if n.day is not None]
        if dated:
            changes = merge.assign_dated(hood, dated)
            for nid, cid in changes.items():
                node = hood.nodes[nid]
                if node.cluster:
                    touched.add(node.cluster)
                touched.add(cid)
                changed.append(node)
            self._set_clusters(conn, hood, changes)

        groups: dict[str, list[merge.Node]] = defaultdict(list)
        for n in new:
            if n.day is None:
                groups[n.doc].append(n)
        touched_now = {cid: ms for cid in sorted(touched) if (ms := hood.members(cid))}  # as they are now
        if touched:
            # undated reports that may now rank a changed cluster first (it is a candidate for
            # them as it is now: near, compatible, dated in their window), those of a changed
            # event's document (a document's events share out clusters), and those already in a
            # changed cluster (it may have grown out of their window)
            hit = {c.doc for c in changed if hood.undated_of(c.doc)}
            hit |= {u.doc for cid in touched for u in hood.members(cid, dated=False) if u.day is None}
            for ms in touched_now.values():
                first, last = merge.cluster_day_range(ms)
                hit |= {u.doc for u in hood.undated_near(ms, last - 1, first + lookback)
                        if u.doc not in hit and merge.undated_candidate(u, ms)}
            for d in sorted(hit - set(groups)):
                groups[d] = hood.undated_of(d)
        # An undated report that chose cluster X before can only move to a cluster this document
        # changed (all others are as they were, and X was the best of them). So a document's
        # undated events are left alone unless one of them is new, its X changed, or a changed
        # cluster now ranks before its X; then they are placed again (a single event by comparing
        # X with the changed clusters, several by a full search, as they share out clusters).
        dated_touched = frozenset(touched)
        und: dict[str, str] = {}
        for _doc, group in sorted(groups.items()):
            full = any(n.cluster is None or n.cluster in dated_touched for n in group)
            if not full:
                better = {n.id: [merge.undated_key(n, cid, ms) for cid, ms in touched_now.items()] for n in group}
                better = {k: [x for x in v if x is not None] for k, v in better.items()}
                if not any(better.values()):
                    continue
                current = {n.cluster: ms for n in group if (ms := hood.members(n.cluster))}
                moved = False
                for n in group:
                    cur = merge.undated_key(n, n.cluster, current[n.cluster]) if current.get(n.cluster) else None
                    if better[n.id] and (cur is None or min(better[n.id]) < cur):
                        moved = True
                if not moved:
                    continue
                if len(group) == 1:
                    choice = merge.assign_undated(group, {**current, **touched_now})
                else:
                    choice = self._assign_group(hood, group)
            else:
                choice = self._assign_group(hood, group)
            for nid, cid in choice.items():
                node = next(n for n in group if n.id == nid)
                if cid != node.cluster:
                    if node.cluster:
                        touched.add(node.cluster)
                    touched.add(cid)
                    und[nid] = cid
        self._set_clusters(conn, hood, und)
        return touched

    def _assign_group(self, hood: Neighbourhood, group: list[merge.Node]) -> dict[str, str]:
        """Clusters for one document's undated events (see merge.assign_undated)."""
        pub = group[0].pub
        lookback = merge.config()["merge"]["undated_lookback_days"]
        if pub is None:
            return merge.assign_undated(group, {})
        ids = {m.cluster for m in hood.dated_around(group, pub - lookback, pub + 1) if m.cluster}
        return merge.assign_undated(group, {cid: hood.members(cid) for cid in sorted(ids)})

    # ------------------------------------------------------------------ ledger events

    def _refresh(self, conn: Connection, touched: Iterable[str]) -> list[str]:
        """Rebuild the rows of these ledger events from their members; the ids that still exist."""
        touched = sorted(set(touched))
        members: dict[str, list[dict]] = defaultdict(list)
        for chunk in chunks(touched):
            for r in conn.execute(_MEMBERS, {"ids": chunk}):
                members[r.ledger_id].append(dict(r._mapping))
        alive = []
        gone = [cid for cid in touched if cid not in members]
        self._record_moves(conn, gone)
        for chunk in chunks(gone):
            conn.execute(_DROP, {"ids": chunk})
        if not members:
            return alive
        member_ids = [m["id"] for ms in members.values() for m in ms]
        self._parsed.load(conn, member_ids)
        # the claims as reviewed (rejected ones set aside, corrected ones corrected); the cache is left as read
        inputs = reviews_apply.overlay(conn, member_ids, {m["doc_id"] for ms in members.values() for m in ms},
                                       self._parsed.inputs)
        now = utc_now()
        rows = []
        copies = stories.refs(conn, [m["doc_id"] for ms in members.values() for m in ms])
        for cid in sorted(members):
            ev = build_event(cid, members[cid], self._parsed.events, inputs, copies)
            alive.append(cid)
            rows.append(ledger_row(ev, members[cid], now))
        for chunk in chunks(sorted(members)):
            conn.execute(_DROP, {"ids": chunk})
        conn.execute(_ADD, rows)
        return alive

    def _record_moves(self, conn: Connection, gone: list[str]) -> None:
        """For each emptied ledger event, the event its founder now belongs to (``ledger_moves``),
        so that a client holding the old id is told where it went instead of a bare 404."""
        moves = []
        for chunk in chunks(gone):
            founders = dict(conn.execute(select(ledger_events.c.id, ledger_events.c.founder)
                                         .where(ledger_events.c.id.in_(chunk))).all())
            if not founders:
                continue
            now_in = dict(conn.execute(select(doc_events.c.id, doc_events.c.ledger_id)
                                       .where(doc_events.c.id.in_(sorted(set(founders.values()))))).all())
            moves += [{"id": cid, "merged_into": now_in[f], "at": utc_now()} for cid, f in sorted(founders.items())
                      if now_in.get(f) and now_in[f] != cid]
        if moves:
            for chunk in chunks([m["id"] for m in moves]):
                conn.execute(delete(ledger_moves).where(ledger_moves.c.id.in_(chunk)))
            conn.execute(insert(ledger_moves), moves)
