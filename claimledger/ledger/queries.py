"""The ledger's read side: every query the CLI, the API and the exports ask of a ledger.

Kept apart from the writers (``store.py``) and the incremental merge (``incremental.py``) so a reader
can see the whole read contract in one place. Every method is one read transaction; events come back
as their stored contract JSON where the API sends them on as is.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from claimledger.geo import km
from claimledger.ledger.changes import HEAD_SQL, LOGGED_IDS_SQL, ChangeTest, logged_test, total_moved
from claimledger.ledger.db import (
    claims,
    doc_events,
    doc_places,
    documents,
    failures,
    ledger_events,
    ledger_moves,
    ledger_state,
)
from claimledger.ledger.engine import short_error
from claimledger.ledger.errors import StoreError
from claimledger.ledger.rows import meta_of
from claimledger.ledger.selection import Selection, event_conditions, event_order, filter_conditions
from claimledger.records import Claim, DocMeta, DocResult, Event, LedgerEvent, Place
from claimledger.serialise import from_dict

META_COLS = (documents.c.id, documents.c.title, documents.c.url, documents.c.outlet, documents.c.published,
             documents.c.language, documents.c.dateline)


def chunks(items: list, n: int = 500) -> Iterator[list]:
    """``items`` in slices small enough for an ``IN (...)`` on every database (SQLite's bound-parameter
    limit is the tightest)."""
    for i in range(0, len(items), n):
        yield items[i:i + n]


@cache
def _generation_statement():
    return select(ledger_state.c.generation).where(ledger_state.c.id == 1)


def generation(conn: Connection) -> int | None:
    """The ledger's generation counter (every writer bumps it; None before the first write), read with
    a statement built once (building it cost more than running it)."""
    return conn.execute(_generation_statement()).scalar()


@cache
def _detail_statements():
    """The two statements of :meth:`LedgerQueries.event_detail_json`, built once: making a statement
    of this size costs about 0.17 ms a request, running it 0.03 ms."""
    ev_ids = select(doc_events.c.id).where(doc_events.c.ledger_id == bindparam("event_id"))
    event_claims = (select(claims.c.data.label("claim"), claims.c.id.label("claim_id"), claims.c.source_name,
                           claims.c.source_kind, claims.c.source_side, *META_COLS)
                    .join(documents, documents.c.id == claims.c.doc_id).where(claims.c.doc_event_id.in_(ev_ids))
                    .order_by(documents.c.published, documents.c.id, claims.c.ordinal))
    return select(ledger_events.c.data).where(ledger_events.c.id == bindparam("event_id")), event_claims


class KeptRows:
    """Events' stored JSON by id, good at the change log's ``seq`` ``at`` (SQLite): what a list page
    made again takes its rows from, reading only the page's ids off the list-order index.

    With an ingest running, a page at a random offset in date order moves whenever an event lands
    before it, and is made again; reading its 100 rows' JSON (1 KB each, from pages SQLite dropped at
    the commit) cost 0.26 ms, its ids alone off the covering index 0.065 ms (docs/performance.md,
    session 20). A row stays good until the log holds a row of its id: every insert, update and
    delete of a ledger event is logged with the id (triggers, migration 0011); rows without an id
    (claims, reports, reviews) do not change an event's JSON. Used from the server's threads at
    once: a reader whose read transaction is older or newer than the kept rows' seq brings them to
    its own when newer, and reads every row itself when older."""

    MAX_ROWS = 50_000     # past it the rows start again empty (about 1 KB each)
    MAX_FOLLOWED = 4096   # log rows read to bring the rows forward at once; past them they start again

    def __init__(self, path: str | None):
        self.path = path
        self.lock = threading.Lock()
        self.rows: dict[str, str] = {}
        self.at: int | None = None
        self.file: tuple[int, int] | None = None
        self.used = self.read = 0   # rows taken from here, and read from the ledger (for tests, operators)

    def at_head(self, raw) -> int | None:
        """The seq of ``raw``'s read transaction (sqlite3, open) when the kept rows are good at it,
        brought forward by the ids logged since if need be; None: read every row from the ledger."""
        try:
            st = os.stat(self.path) if self.path else None
        except OSError:
            return None
        lo, hi = raw.execute(HEAD_SQL).fetchone()
        hi = hi or 0
        with self.lock:
            file = (st.st_dev, st.st_ino) if st is not None else None
            if file != self.file or self.at is None or (lo is not None and lo > self.at + 1) \
                    or hi - self.at > self.MAX_FOLLOWED:
                self.rows.clear()
                self.file, self.at = file, hi
                return hi
            if hi < self.at:
                return None                # an older read than the rows' (another thread moved them on)
            if hi > self.at:
                for _seq, event_id in raw.execute(LOGGED_IDS_SQL, (self.at, hi)):
                    if event_id is not None:
                        self.rows.pop(event_id, None)
                self.at = hi
            return hi

    def page(self, conn: Connection, ids: list[str], at: int) -> list[str]:
        """The JSON of ``ids`` (in order) in ``conn``'s read transaction, whose log head is ``at``: kept
        rows, and the others read and kept."""
        rows = self.rows
        with self.lock:
            found = {i: rows[i] for i in ids if i in rows} if self.at == at else {}
        missing = [i for i in ids if i not in found]
        if missing:
            le = ledger_events.c
            read = {}
            for chunk in chunks(missing):
                read.update(conn.execute(select(le.id, le.data).where(le.id.in_(chunk))).all())
            with self.lock:
                if self.at == at:
                    if len(rows) + len(read) > self.MAX_ROWS:
                        rows.clear()
                    rows.update(read)
            found.update(read)
        self.used += len(ids) - len(missing)
        self.read += len(missing)
        return [found[i] for i in ids]


class LedgerQueries:
    """The read queries of :class:`claimledger.ledger.store.Store` (which inherits them)."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.dialect = engine.dialect.name
        self._counts: dict[tuple, tuple] = {}      # list counts by query, with the generation they saw
        self._kept: KeptRows | None = None          # list rows by id (keep_rows), for a server

    def keep_rows(self) -> None:
        """Keep the events' JSON that list pages read, until the change log says they changed (SQLite
        only; :class:`KeptRows`): for a server, whose pages are made again after every commit of an
        ingest. Commands that read a list once gain nothing from it."""
        if self.dialect == "sqlite" and self._kept is None:
            self._kept = KeptRows(self.engine.url.database if self.engine.url.database not in (None, "", ":memory:")
                                  else None)

    def _kept_at(self, conn: Connection) -> int | None:
        """The kept rows' seq when good in ``conn``'s read transaction (:meth:`KeptRows.at_head`), else
        None; never inside a group commit (its rows and seqs are gone again if it is abandoned)."""
        if self._kept is None or getattr(self, "_group", None) is not None:
            return None
        try:
            return self._kept.at_head(conn.connection.driver_connection)
        except Exception:   # sqlite3.Error: no log (an older schema) and the like; read the rows then
            return None

    @property
    def safe_url(self) -> str:
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return "<url>"

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(f"cannot read the ledger {self.safe_url}: {short_error(exc)}") from None

    def ping(self) -> None:
        """One cheap read that fails as any read would (no ledger, a broken file, an older schema):
        what ``/api/health`` asks, which monitors poll, instead of the summary's counts (20 ms of
        CPU on 10,000 events)."""
        with self._read() as conn:
            generation(conn)

    def merged_into(self, event_id: str) -> str | None:
        """The live ledger event that an emptied one's reports went into (following later merges),
        or None when ``event_id`` never existed or its reports are gone."""
        with self._read() as conn:
            seen = {event_id}
            current = event_id
            for _ in range(50):
                row = conn.execute(select(ledger_moves.c.merged_into).where(ledger_moves.c.id == current)).first()
                if row is None or row.merged_into in seen:
                    return None
                current = row.merged_into
                seen.add(current)
                if conn.execute(select(ledger_events.c.id).where(ledger_events.c.id == current)).first():
                    return current
        return None

    def list_events(self, **filters) -> tuple[list[LedgerEvent], int]:
        """Ledger events matching every filter given (see :meth:`list_events_json`), and how many
        match in all."""
        rows, total = self.list_events_json(**filters)
        return [from_dict(LedgerEvent, json.loads(r)) for r in rows], total

    def list_events_json(self, *, since: str | None = None, until: str | None = None,
                    bbox: tuple[float, float, float, float] | None = None,
                    near: tuple[float, float, float] | None = None,
                    types: list[str] | None = None, side: str | None = None,
                    initiator_side: str | None = None, target_side: str | None = None,
                    min_deaths: int | None = None, limit: int | None = 100, offset: int = 0,
                    order: str = "date", selection: Selection | None = None) -> tuple[list[str], int]:
        """Ledger events matching every filter given, oldest first (``order="-date"``: newest first;
        any key of ``selection.EVENT_SORTS``),
        undated events last, as their stored contract JSON (what the API sends as is: parsing and
        re-serialising 100 events cost more than the query); and how many match in all."""
        le = ledger_events.c
        base = {"since": since, "until": until, "bbox": bbox, "types": types, "side": side,
                "initiator_side": initiator_side, "target_side": target_side, "min_deaths": min_deaths}
        box = []
        if near:
            lat, lon, radius = near
            dlat = radius / 111.0
            dlon = radius / max(1e-6, 111.0 * math.cos(math.radians(lat)))
            box = [le.lat.between(lat - dlat, lat + dlat), le.lon.between(lon - dlon, lon + dlon)]
        order_by = event_order(order)
        with self._read() as conn:
            reviewed = self.reviewed_claims(conn) if selection is not None else None

            def conditions(in_list_order: bool = False) -> list:
                # built only when used: a page whose count is remembered builds one set, not two
                extra = [] if selection is None else event_conditions(selection, reviewed, correlated=in_list_order)
                return filter_conditions(**base, in_list_order=in_list_order) + box + extra

            if near:
                rows = conn.execute(select(le.data, le.lat, le.lon).where(*conditions()).order_by(*order_by)).all()
                rows = [r for r in rows if km(lat, lon, r.lat, r.lon) <= radius]
                page = rows[offset:offset + limit if limit is not None else None]
                return [r.data for r in page], len(rows)
            key = ("events", since, until, bbox, tuple(types or ()), side, initiator_side, target_side,
                   min_deaths, repr(selection))
            gen = generation(conn)   # once for both counts
            total = self._count(conn, lambda: select(func.count()).select_from(ledger_events).where(*conditions()), key,
                                gen, logged_test(**base, selection=selection) if self.dialect == "sqlite" else None)
            if limit is None:
                return conn.execute(select(le.data).where(*conditions()).order_by(*order_by)
                                    .offset(offset)).scalars().all(), total
            # dates and sides alone: the list-order index serves them; a box, type, toll or page filter
            # may match so few events that sorting them beats reading the list until the page is full
            chosen = bool(bbox or types) or min_deaths is not None or selection is not None
            at = self._kept_at(conn)
            if order in ("date", "-date") and (not chosen or self._dense(conn, total, offset + limit, gen)):
                # read off the list-order index (0005), stopping at the page's last row
                q = select(le.id if at is not None else le.data).where(*conditions(in_list_order=True)) \
                    .order_by(*order_by).offset(offset).limit(limit)
                if at is not None:   # the page's ids off the index, its rows kept (KeptRows)
                    return self._kept.page(conn, conn.execute(q).scalars().all(), at), total
                return conn.execute(q).scalars().all(), total
            # sort the narrow columns (through the filters' indexes) for the page's ids, then read only
            # those rows' JSON, not every match's 1 KB; one statement
            page = select(le.id).where(*conditions()).order_by(*order_by).offset(offset).limit(limit)
            if at is not None:
                return self._kept.page(conn, conn.execute(page).scalars().all(), at), total
            return conn.execute(select(le.data).where(le.id.in_(page)).order_by(*order_by)).scalars().all(), total

    def _dense(self, conn: Connection, matching: int, rows_to_page_end: int, gen: int | None = None) -> bool:
        """Whether reading the list in order finds a page's rows sooner than sorting every match: in
        order, the database reads about ``rows_to_page_end`` x all / ``matching`` events (the matches
        spread through the list), against ``matching`` through a filter's index."""
        every = self._count(conn, lambda: select(func.count()).select_from(ledger_events), ("events-all",), gen,
                            logged_test() if self.dialect == "sqlite" else None)
        return rows_to_page_end * every <= matching * matching

    def reviewed_claims(self, conn: Connection):
        """Claim ids with a review, as a selectable, or None on a ledger without reviews."""
        return None

    def _count(self, conn: Connection, stmt, key: tuple | None = None, gen: int | None = None,
               logged: ChangeTest | None = None) -> int:
        """``stmt``'s count, remembered until the ledger changes (the generation counter every
        writer bumps in its transaction): a filtered count scans the table, and a client paging
        through results asks the same count on every page. ``key``: what determines ``stmt`` (the
        filters), which spares compiling it to make one (1.3 ms a list request on 10,000 events);
        with a key, ``stmt`` may be a function making the statement, called only when not remembered;
        ``gen``: the generation, when the caller read it in this transaction already.

        ``logged`` (SQLite; the filters are on the ledger events' own columns, ``changes.logged_test``):
        after a commit the remembered count is moved by the rows the change log holds since it was
        taken (``changes.total_moved``), not counted again. An ingest commits several times a second,
        and each page made between commits counted its list again: 0.1-0.2 ms of a list request's CPU
        on 10,000 events (docs/performance.md, session 19)."""
        if gen is None:
            gen = generation(conn)
        if key is None:
            compiled = stmt.compile(dialect=conn.dialect)
            key = (str(compiled), repr(sorted(compiled.params.items())))
        hit = self._counts.get(key)
        if hit is not None and gen is not None and hit[0] == gen:
            return hit[1]
        # not inside a group commit (Store.batch): its rows and seqs are gone again if it is abandoned
        raw = conn.connection.driver_connection if logged is not None and getattr(self, "_group", None) is None \
            else None
        seq = None
        if raw is not None:   # the log's head in this read transaction: the count below is the head's
            lo, seq = raw.execute(HEAD_SQL).fetchone()
            if hit is not None and hit[2] is not None and seq is not None and (lo is None or lo <= hit[2] + 1):
                moved = total_moved(raw, logged, hit[2])
                if moved is not None:
                    self._counts[key] = (gen, hit[1] + moved, seq)
                    return hit[1] + moved
        total = conn.execute(stmt() if callable(stmt) else stmt).scalar_one()
        if len(self._counts) > 1000:
            self._counts.clear()
        self._counts[key] = (gen, total, seq)
        return total

    def event_detail_json(self, event_id: str, also: Callable[[Connection, list[tuple]], Any] | None = None
                          ) -> dict | None:
        """One event for the API in one read transaction, as stored JSON: ``event`` (a JSON string),
        ``claims`` (claim JSON, document id, claim id, source name, kind and side; in report order) and
        ``documents`` (DocMeta of each report with a claim, in that order); ``also``: what
        ``also(conn, claims)`` returns, read in the same transaction (the API's reviews of the claims)."""
        event_row, event_claims = _detail_statements()
        with self._read() as conn:
            row = conn.execute(event_row, {"event_id": event_id}).first()
            if row is None:
                return None
            rows = conn.execute(event_claims, {"event_id": event_id}).all()
            found = [(r.claim, r.id, r.claim_id, r.source_name, r.source_kind, r.source_side) for r in rows]
            extra = also(conn, found) if also is not None else None
        docs: dict[str, DocMeta] = {}
        for r in rows:
            if r.id not in docs:
                docs[r.id] = meta_of(r)
        return {"event": row.data, "claims": found, "documents": list(docs.values()), "also": extra}

    def get_event(self, event_id: str) -> LedgerEvent | None:
        with self._read() as conn:
            row = conn.execute(select(ledger_events.c.data).where(ledger_events.c.id == event_id)).first()
        return from_dict(LedgerEvent, json.loads(row.data)) if row else None

    def countries(self) -> set[str]:
        """The countries the ledger's events are placed in (``events --near`` names a place among them)."""
        with self._read() as conn:
            return {r[0] for r in conn.execute(select(ledger_events.c.country).distinct()
                                               .where(ledger_events.c.country.is_not(None)))}

    def find_event_ids(self, prefix: str, limit: int = 5) -> list[str]:
        """Ledger ids starting with ``prefix`` (so people can type the first few characters)."""
        with self._read() as conn:
            return [r[0] for r in conn.execute(select(ledger_events.c.id).where(
                ledger_events.c.id.startswith(prefix, autoescape=True)).order_by(ledger_events.c.id).limit(limit))]

    def event_documents(self, event_id: str) -> list[DocMeta]:
        with self._read() as conn:
            ids = select(doc_events.c.doc_id).where(doc_events.c.ledger_id == event_id)
            rows = conn.execute(select(*META_COLS).where(documents.c.id.in_(ids))
                                .order_by(documents.c.published, documents.c.id)).all()
        return [meta_of(r) for r in rows]

    def event_claims(self, event_id: str) -> list[tuple[Claim, DocMeta]]:
        with self._read() as conn:
            ev_ids = select(doc_events.c.id).where(doc_events.c.ledger_id == event_id)
            rows = conn.execute(
                select(claims.c.data, *META_COLS).join(documents, documents.c.id == claims.c.doc_id)
                .where(claims.c.doc_event_id.in_(ev_ids))
                .order_by(documents.c.published, documents.c.id, claims.c.ordinal)).all()
        return [(from_dict(Claim, json.loads(r.data)), meta_of(r)) for r in rows]

    def get_document(self, doc_id: str) -> tuple[DocMeta, str | None] | None:
        with self._read() as conn:
            row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
        return (meta_of(row), row.body) if row else None

    def document_result(self, doc_id: str) -> DocResult | None:
        """The stored extraction of one document, as ``claimledger extract`` printed it."""
        with self._read() as conn:
            row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
            if row is None:
                return None
            cl = conn.execute(select(claims.c.data).where(claims.c.doc_id == doc_id).order_by(claims.c.ordinal))
            evs = conn.execute(select(doc_events.c.data).where(doc_events.c.doc_id == doc_id)
                               .order_by(doc_events.c.ordinal))
            pls = conn.execute(select(doc_places.c.data).where(doc_places.c.doc_id == doc_id)
                               .order_by(doc_places.c.ordinal))
            return DocResult(doc=meta_of(row), claims=[from_dict(Claim, json.loads(r.data)) for r in cl],
                             events=[from_dict(Event, json.loads(r.data)) for r in evs],
                             places=[from_dict(Place, json.loads(r.data)) for r in pls])

    def list_claims(self, *, source: str | None = None, side: str | None = None, measure: str | None = None,
                    limit: int | None = 100, offset: int = 0) -> tuple[list[Claim], int]:
        """Claims by source name (case-insensitive substring), source side and measure."""
        c = claims.c
        where = []
        if source:
            where.append(func.lower(c.source_name).contains(source.lower(), autoescape=True))
        if side:
            where.append(c.source_side == side)
        if measure:
            where.append(c.measure == measure)
        with self._read() as conn:
            total = conn.execute(select(func.count()).select_from(claims).where(*where)).scalar_one()
            q = select(c.data).where(*where).order_by(c.doc_id, c.ordinal).offset(offset)
            if limit is not None:
                q = q.limit(limit)
            rows = conn.execute(q).all()
        return [from_dict(Claim, json.loads(r.data)) for r in rows], total

    def iter_claims(self, measures: list[str] | None = None) -> Iterator[tuple[Claim, DocMeta, str | None]]:
        """Every claim (of these measures) with its document and ledger event id, in a stable order;
        for exports, which stream instead of paging."""
        with self._read() as conn:
            q = (select(claims.c.data, doc_events.c.ledger_id, *META_COLS)
                 .join(documents, documents.c.id == claims.c.doc_id)
                 .outerjoin(doc_events, doc_events.c.id == claims.c.doc_event_id)
                 .order_by(documents.c.published, documents.c.id, claims.c.ordinal))
            if measures:
                q = q.where(claims.c.measure.in_(measures))
            for r in conn.execute(q):
                yield from_dict(Claim, json.loads(r.data)), meta_of(r), r.ledger_id

    def iter_events(self) -> Iterator[LedgerEvent]:
        """Every ledger event in date order, for exports; streams instead of paging."""
        le = ledger_events.c
        with self._read() as conn:
            for r in conn.execute(select(le.data).order_by(le.date_start.is_(None), le.date_start, le.id)):
                yield from_dict(LedgerEvent, json.loads(r.data))

    def documents_meta(self, doc_ids: Iterable[str]) -> dict[str, DocMeta]:
        out = {}
        ids = sorted(set(doc_ids))
        with self._read() as conn:
            for chunk in chunks(ids):
                for r in conn.execute(select(*META_COLS).where(documents.c.id.in_(chunk))):
                    out[r.id] = meta_of(r)
        return out

    def short_bodies(self, doc_ids: Iterable[str], limit: int) -> dict[str, str]:
        """The texts of those documents no longer than ``limit`` characters (notes, not articles):
        a note is about its one event throughout, an article is not."""
        out = {}
        with self._read() as conn:
            for chunk in chunks(sorted(set(doc_ids))):
                q = select(documents.c.id, documents.c.body).where(
                    documents.c.id.in_(chunk), func.length(documents.c.body) <= limit)
                out.update({r.id: r.body for r in conn.execute(q)})
        return out

    def list_places(self) -> list[tuple[Place, int]]:
        with self._read() as conn:
            rows = conn.execute(select(ledger_events.c.place, func.count()).where(ledger_events.c.place.is_not(None))
                                .group_by(ledger_events.c.place)).all()
        out = [(from_dict(Place, json.loads(p)), n) for p, n in rows]
        out.sort(key=lambda pn: (-pn[1], pn[0].name or ""))
        return out

    def summary(self) -> dict:
        le = ledger_events.c
        with self._read() as conn:
            count = lambda t: conn.execute(select(func.count()).select_from(t)).scalar_one()  # noqa: E731
            first, last = conn.execute(select(func.min(le.date_start), func.max(le.date_start))).one()
            by_type = dict(conn.execute(select(le.type, func.count()).group_by(le.type)).all())
            by_event_type = dict(conn.execute(select(le.event_type, func.count()).group_by(le.event_type)).all())
            multi = conn.execute(select(func.count()).where(le.n_documents > 1)).scalar_one()
            with_deaths = conn.execute(select(func.count()).where(
                or_(le.deaths_low > 0, le.deaths_best > 0, le.deaths_high > 0))).scalar_one()
            out = {"documents": count(documents), "claims": count(claims), "events": count(ledger_events),
                   "document_events": count(doc_events), "failures": count(failures),
                   "first_date": first, "last_date": last, "multi_document_events": multi,
                   "events_with_deaths": with_deaths,
                   "by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1])),
                   "by_event_type": dict(sorted(((k or "?"), v) for k, v in by_event_type.items()))}
        return out

    def failures(self) -> list[dict]:
        with self._read() as conn:
            rows = conn.execute(select(failures.c.origin, failures.c.reason, failures.c.doc_id, failures.c.at)
                                .order_by(failures.c.at, failures.c.id)).all()
        return [dict(r._mapping) for r in rows]
