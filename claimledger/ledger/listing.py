"""The page's reads on one connection: event ids of a selection, compact map rows, claims with
their report and ledger event, and the values each filter can take (facets).

The store opens the connection and its transaction (``Store.event_ids``, ``Store.map_rows``...);
these functions only build and run the queries, from the conditions of
:mod:`claimledger.ledger.selection`, so that every list the page shows agrees on a filter.
Map rows are read from columns, never from the stored JSON: 10,000 of them load with the page,
and decoding every event's record cost most of that load's time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from claimledger.ledger.db import claims, doc_events, documents, ledger_events
from claimledger.ledger.queries import META_COLS, chunks, generation
from claimledger.ledger.rows import meta_of
from claimledger.ledger.selection import (
    Selection,
    claim_conditions,
    claim_order,
    event_level,
    filter_conditions,
)

CONFLICT = re.compile(r'"conflict": "([a-z0-9_]+)"')
FACET_LIMIT = 500   # distinct outlets or regions offered in a filter list; rarer ones are still searchable


def event_ids(conn: Connection, where: list) -> list[str]:
    le = ledger_events.c
    q = select(le.id).where(*where).order_by(le.date_start.is_(None), le.date_start, le.id)
    return [r[0] for r in conn.execute(q)]


def map_rows(conn: Connection, where: list) -> list[dict]:
    """What the map and the timeline draw, for every matching event, from columns only."""
    le = ledger_events.c
    q = (select(le.id, le.lat, le.lon, le.date_start, le.date_end, le.type, le.deaths_best, le.deaths_high,
                le.initiator_side, le.target_side, le.place_name)
         .where(*where).order_by(le.date_start.is_(None), le.date_start, le.id))
    return [{"id": r.id, "lat": r.lat, "lon": r.lon, "date": r.date_start, "end": r.date_end or r.date_start,
             "type": r.type, "deaths": r.deaths_best, "high": r.deaths_high, "initiator": r.initiator_side,
             "target": r.target_side, "place": r.place_name} for r in conn.execute(q)]


def _claim_where(source: str | None, side: str | None, measure: str | None, selection: Selection | None,
                 events: dict | None, event: str | None, reviewed_claims=None) -> list:
    c = claims.c
    sel = selection or Selection()
    where = []
    if source:
        where.append(func.lower(c.source_name).contains(source.lower(), autoescape=True))
    if side:
        where.append(c.source_side == side)
    ev_where = filter_conditions(**(events or {}), selection=event_level(sel))
    ids = select(ledger_events.c.id).where(*ev_where) if ev_where else None
    if event:
        ids = select(ledger_events.c.id).where(ledger_events.c.id == event, *ev_where)
    where += claim_conditions(sel, measure=measure, event_ids=ids, reviewed_claims=reviewed_claims)
    return where


def _claims_query(cols, where: list):
    return (select(*cols).select_from(claims).join(documents, documents.c.id == claims.c.doc_id)
            .outerjoin(doc_events, doc_events.c.id == claims.c.doc_event_id).where(*where))


def claim_rows(conn: Connection, count: Callable, *, source: str | None = None, side: str | None = None,
               measure: str | None = None, selection: Selection | None = None, events: dict | None = None,
               event: str | None = None, order: str | None = None, limit: int | None = 100, offset: int = 0,
               reviewed_claims=None) -> tuple[list[tuple], int]:
    """Claims with their report's metadata and ledger event id, a page at a time, and how many in
    all (``count`` is the store's remembered count). The default order is report by report. Each
    claim is its stored contract JSON (a string), what the API sends as is: decoding 50 claims into
    records and encoding them again, then FastAPI's validation of the page, cost 16 of a first
    page's 33 ms of CPU (bench/page_load.py), as for the events list and an event's claims."""
    where = _claim_where(source, side, measure, selection, events, event, reviewed_claims)
    total = count(conn, _claims_query([func.count()], where))
    order_by = claim_order(order) if order else [documents.c.published, documents.c.id, claims.c.ordinal]
    # sort the narrow columns for the page's ids, then read those claims' JSON and reports
    q = _claims_query([claims.c.id], where).order_by(*order_by).offset(offset)
    ids = [r.id for r in conn.execute(q.limit(limit) if limit is not None else q)]
    found = {}
    for chunk in chunks(ids):
        for r in conn.execute(_claims_query([claims.c.id.label("claim_id"), claims.c.data, doc_events.c.ledger_id,
                                             *META_COLS], [claims.c.id.in_(chunk)])):
            found[r.claim_id] = (r.data, meta_of(r), r.ledger_id)
    return [found[i] for i in ids], total


def claim_ids(conn: Connection, *, source: str | None = None, side: str | None = None, measure: str | None = None,
              selection: Selection | None = None, events: dict | None = None, reviewed_claims=None) -> list[str]:
    where = _claim_where(source, side, measure, selection, events, None, reviewed_claims)
    return [r[0] for r in conn.execute(_claims_query([claims.c.id], where))]


def facets(conn: Connection) -> dict:
    """The values the page's filter lists offer, each with its count of events (claims for source
    kinds and sides and the sides claims count), most frequent first."""
    le = ledger_events.c

    def counted(col, table=ledger_events, *, distinct_events=None):
        n = func.count(func.distinct(distinct_events)) if distinct_events is not None else func.count()
        q = select(col, n).select_from(table).where(col.is_not(None)).group_by(col)
        rows = conn.execute(q.order_by(n.desc(), col).limit(FACET_LIMIT)).all()
        return [[v, k] for v, k in rows if v != ""]

    with_docs = doc_events.join(documents, documents.c.id == doc_events.c.doc_id)
    conflicts: dict[str, int] = {}
    for (data,) in conn.execute(select(le.data).where(le.data.contains('"conflict": "'))):
        hit = CONFLICT.search(data)   # the key selection.py filters on; no JSON decode of every event
        if hit:
            conflicts[hit.group(1)] = conflicts.get(hit.group(1), 0) + 1
    return {
        "types": counted(le.type), "countries": counted(le.country), "admin1": counted(le.admin1),
        "outlets": counted(documents.c.outlet, with_docs, distinct_events=doc_events.c.ledger_id),
        "source_kinds": counted(claims.c.source_kind, claims), "source_sides": counted(claims.c.source_side, claims),
        "subject_sides": counted(claims.c.subject_side, claims),
        "initiators": counted(le.initiator_side), "targets": counted(le.target_side),
        "conflicts": sorted(([k, v] for k, v in conflicts.items()), key=lambda kv: (-kv[1], kv[0])),
    }


class PageReads:
    """The page's reads as methods of the Store (a mixin: :class:`~claimledger.ledger.queries.LedgerQueries`
    gives ``_read``, ``_count`` and ``reviewed_claims``)."""

    _read: Callable[[], AbstractContextManager[Connection]]
    _count: Callable
    reviewed_claims: Callable

    def event_ids(self, *, selection: Selection | None = None, **filters) -> list[str]:
        """Ids of the events matching the filters of ``list_events`` (without ``near``), by date."""
        with self._read() as conn:
            where = filter_conditions(**filters, selection=selection, reviewed_claims=self.reviewed_claims(conn))
            return event_ids(conn, where)

    def _remembered(self, conn: Connection, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered until the ledger changes (the generation counter every writer
        bumps): every visitor's page load asks the same map rows and facets."""
        gen = generation(conn)
        cache = self.__dict__.setdefault("_page_cache", {})
        hit = cache.get(key)
        if hit is not None and gen is not None and hit[0] == gen:
            return hit[1]
        value = compute()
        if len(cache) > 32:
            cache.clear()
        cache[key] = (gen, value)
        return value

    def map_rows(self, *, selection: Selection | None = None, **filters) -> list[dict]:
        """The map layer of these filters (a list shared between callers: do not change it)."""
        with self._read() as conn:
            where = filter_conditions(**filters, selection=selection, reviewed_claims=self.reviewed_claims(conn))
            key = ("map", repr(selection), repr(sorted(filters.items())))
            return self._remembered(conn, key, lambda: map_rows(conn, where))

    def map_json(self, *, selection: Selection | None = None, **filters) -> str:
        """``{"total", "items"}`` of :meth:`map_rows` as JSON text, remembered like the rows: what
        ``/api/map`` sends (10,000 rows cost tens of milliseconds to serialise on every page load)."""
        with self._read() as conn:
            where = filter_conditions(**filters, selection=selection, reviewed_claims=self.reviewed_claims(conn))
            key = ("map-json", repr(selection), repr(sorted(filters.items())))

            def compute() -> str:
                rows = map_rows(conn, where)
                return json.dumps({"total": len(rows), "items": rows}, ensure_ascii=False, separators=(",", ":"))
            return self._remembered(conn, key, compute)

    def claim_page(self, **kw) -> tuple[list[tuple], int]:
        """(claim JSON, DocMeta, ledger id) rows and the total; keywords as :func:`claim_rows`."""
        with self._read() as conn:
            return claim_rows(conn, self._count, reviewed_claims=self.reviewed_claims(conn), **kw)

    def claim_ids(self, **kw) -> list[str]:
        with self._read() as conn:
            return claim_ids(conn, reviewed_claims=self.reviewed_claims(conn), **kw)

    def facets(self) -> dict:
        with self._read() as conn:
            return self._remembered(conn, ("facets",), lambda: facets(conn))
