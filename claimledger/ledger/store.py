"""The ledger store: documents, claims and reconciled events in any SQLAlchemy database.

Contract: docs/ledger-api.md. Design points:

* **One transaction per document.** The document, its claims, places and events, the merge that
  moves document events between ledger events, and the re-reconciliation of every touched ledger
  event commit together or not at all, so a ``kill -9`` leaves whole documents only, and a rerun
  skips what is there (a document is known by ``doc.id``, the hash of its cleaned body).
* **Writers are serialised**: SQLite takes its write lock at ``BEGIN IMMEDIATE``; PostgreSQL takes
  a transaction-scoped advisory lock. The merge reads a neighbourhood and rewrites it, which must
  not interleave with another writer's.
* **Schema by Alembic**, run on open inside one transaction; a database stamped with a revision this
  code does not know (written by a newer claimledger) is refused, never "upgraded" backwards.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import (
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError

from claimledger.ingest.safe import storable, storable_record
from claimledger.ledger import identity, merge
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
from claimledger.ledger.engine import (  # noqa: F401 (resolve_url, DEFAULT_URL: the store's public face)
    DEFAULT_URL,
    looks_readonly,
    make_engine,
    resolve_url,
    short_error,
    sqlite_file,
)
from claimledger.ledger.errors import StoreError
from claimledger.ledger.neighbourhood import Neighbourhood
from claimledger.ledger.parsed import ParsedRecords
from claimledger.ledger.rows import (
    build_event,
    document_rows,
    ledger_row,
    meta_of,
    node_of,
    utc_now,
)
from claimledger.records import (
    Claim,
    DocMeta,
    DocResult,
    Event,
    LedgerEvent,
    Place,
)
from claimledger.serialise import from_dict

HERE = Path(__file__).parent
_PG_LOCK = 0x434C4C47  # "CLLG": the advisory lock all claimledger writers take on PostgreSQL
_META_COLS = (documents.c.id, documents.c.title, documents.c.url, documents.c.outlet, documents.c.published,
              documents.c.language, documents.c.dateline)


@dataclass
class IngestReport:
    doc_id: str
    skipped: bool = False            # the document was already in the ledger: nothing changed
    claims: int = 0
    events: int = 0                  # document events stored
    ledger_events: list[str] = field(default_factory=list)  # ledger events created or updated
    same_text_as: str | None = None  # skipped: the stored document with this very text (another id)
    id_taken: str | None = None      # the caller's id already named another text: stored as doc_id








def _iso_day(day: int) -> str:
    return dt.date.fromordinal(max(1, day)).isoformat()




def _chunks(items: list, n: int = 500) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


class Store:
    """A ledger in one database. Open with :meth:`open`; every method is one transaction."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.dialect = engine.dialect.name
        self._hood: Neighbourhood | None = None   # the merge's working set, see _neighbourhood
        self._hood_gen: int | None = None
        self._parsed = ParsedRecords()            # members' events and claims, for _refresh
        self.last_rebuild_moved = 0                # document events that rebuild() moved
        self.readonly = False                      # opened read-only (a ledger on read-only media)
        self._counts: dict[tuple, tuple] = {}      # list counts by query, with the generation they saw

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True) -> Store:
        """The ledger at ``url``, at the newest schema. ``create=False`` (the reading commands)
        also opens a SQLite ledger on read-only media, read-only, when it is at the newest schema."""
        url = resolve_url(url)
        try:
            return cls._open(url, create, readonly=False)
        except StoreError as exc:
            if create or not sqlite_file(url) or not looks_readonly(str(exc)):
                raise
        return cls._open(url, create, readonly=True)

    @classmethod
    def _open(cls, url: str, create: bool, readonly: bool) -> Store:
        engine = make_engine(url, create, readonly)
        store = cls(engine, url)
        store.readonly = readonly
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except DBAPIError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the ledger {store.safe_url}: {short_error(exc)}") from None
        try:
            store._check_schema() if readonly else store._migrate()
        except StoreError:
            engine.dispose()
            raise
        except DBAPIError as exc:
            engine.dispose()
            raise StoreError(f"cannot prepare the ledger {store.safe_url}: {short_error(exc)}") from None
        return store

    def _check_schema(self) -> None:
        """A read-only ledger cannot be migrated: readable only at this code's schema."""
        from alembic.script import ScriptDirectory

        heads = set(ScriptDirectory.from_config(self._alembic()).get_heads())
        current = set((self.schema_revision() or "").split(",")) - {""}
        if current != heads:
            raise StoreError(f"the ledger {self.safe_url} is read-only and at schema {', '.join(sorted(current)) or 'none'}"
                             f", not {', '.join(sorted(heads))}; open it once where it is writable to upgrade it")

    @property
    def safe_url(self) -> str:
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return "<url>"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _alembic(self):
        from alembic.config import Config

        cfg = Config(str(HERE / "alembic.ini"))
        cfg.set_main_option("script_location", str(HERE / "migrations"))
        return cfg

    def _migrate(self) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = self._alembic()
        script = ScriptDirectory.from_config(cfg)
        heads = set(script.get_heads())
        with self._write() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            unknown = []
            for rev in sorted(current):
                try:
                    if script.get_revision(rev) is None:
                        unknown.append(rev)
                except Exception:  # alembic raises several kinds for "no such revision"
                    unknown.append(rev)
            if unknown:
                raise StoreError(
                    f"the ledger {self.safe_url} has schema revision {', '.join(unknown)}, newer than this "
                    f"claimledger knows (up to {', '.join(sorted(heads))}); upgrade claimledger to use it")
            if current != heads:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")

    def schema_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            heads = MigrationContext.configure(conn).get_current_heads()
        return ",".join(heads) or None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(claimledger_write=True)
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
                    yield conn
        except BaseException as exc:
            self._hood = None   # it may hold changes of the transaction that was just rolled back
            if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
                raise StoreError(f"cannot write to the ledger {self.safe_url}: {short_error(exc)}") from None
            raise

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(f"cannot read the ledger {self.safe_url}: {short_error(exc)}") from None

    # ------------------------------------------------------------------ writing

    def has_document(self, doc_id: str) -> bool:
        with self._read() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first() is not None

    def known_input_hashes(self) -> set[str]:
        """Hashes of the input texts already stored (``identity.input_hash``): lets a rerun skip
        extracting them again, whatever id or file name they come under."""
        with self._read() as conn:
            return {r[0] for r in conn.execute(select(documents.c.input_hash).where(documents.c.input_hash.is_not(None)))}

    def _identify(self, conn: Connection, result: DocResult, body: str | None) -> tuple[DocResult, IngestReport | None]:
        """The document as it will be stored, or the report saying it is already there.

        Same text (any id): already there. Same id, other text: stored under its text's hash,
        reported as ``id_taken``. Same id and no text to compare (an extract record): already there.
        """
        doc, th = result.doc, identity.text_hash(body)
        if th is not None:
            same = conn.execute(select(documents.c.id).where(documents.c.text_hash == th)).first()
            if same is not None:
                return result, IngestReport(same.id, skipped=True, same_text_as=same.id if same.id != doc.id else None)
        taken = conn.execute(select(documents.c.text_hash).where(documents.c.id == doc.id)).first()
        if taken is None:
            return result, None
        if th is None or taken.text_hash is None or th == doc.id:
            return result, IngestReport(doc.id, skipped=True)
        if conn.execute(select(documents.c.id).where(documents.c.id == th)).first():
            return result, IngestReport(th, skipped=True)
        return identity.rekey(result, th), None

    def ingest(self, result: DocResult, body: str | None = None, origin: str | None = None,
               source_id: str | None = None, input_hash: str | None = None) -> IngestReport:
        doc = result.doc
        if doc is None or not doc.id:
            raise ValueError("a DocResult without doc.id cannot be stored")
        if storable(doc.id) != doc.id:
            result = identity.rekey(result, storable(doc.id))
        result = storable_record(result)
        doc = result.doc
        origin = storable(origin) if origin else origin
        body = storable(body) if body else body
        try:
            with self._write() as conn:
                stored, known = self._identify(conn, result, body)
                if known is not None:
                    return known
                taken = doc.id if stored.doc.id != doc.id else None
                result, doc = stored, stored.doc
                hood = self._neighbourhood(conn)   # read before this document's rows go in
                rows = document_rows(result, body, origin, source_id or taken, input_hash)
                conn.execute(insert(documents), [rows["document"]])
                for table in (claims, doc_places, doc_events):
                    if rows[table.name]:
                        conn.execute(insert(table), rows[table.name])
                nodes = [node_of(r) for r in rows["doc_events"]]
                for n in nodes:
                    hood.add(n)
                touched = self._merge(conn, hood, nodes)
                alive = self._refresh(conn, touched)
                if origin:
                    conn.execute(delete(failures).where(failures.c.origin == origin[:1000]))
                return IngestReport(doc.id, claims=len(rows["claims"]), events=len(nodes), ledger_events=alive,
                                    id_taken=taken)
        except IntegrityError as exc:
            if self.has_document(doc.id):  # another writer stored it first
                return IngestReport(doc.id, skipped=True)
            raise StoreError(f"document {doc.id} could not be stored: {short_error(exc)}") from None

    def record_failure(self, origin: str, reason: str, doc_id: str | None = None) -> None:
        origin = storable((origin or "<input>")[:1000])
        with self._write() as conn:
            conn.execute(delete(failures).where(failures.c.origin == origin))
            conn.execute(insert(failures).values(origin=storable(origin), reason=storable(reason), doc_id=doc_id,
                                                 at=utc_now()))

    def rebuild(self) -> int:
        """Recompute every ledger event from the stored document events in one canonical pass.

        The incremental merge is designed to give exactly this result; the tests compare the two.
        Also the way to apply changed merge or reconciliation rules to an existing ledger.
        """
        with self._write() as conn:
            stored = {r.id: r.ledger_id for r in conn.execute(select(doc_events.c.id, doc_events.c.ledger_id))}
            conn.execute(update(doc_events).values(ledger_id=None))
            conn.execute(delete(ledger_events))
            self._hood = None
            hood = self._neighbourhood(conn)
            dated = [n for n in hood.nodes.values() if n.day is not None]
            changes: dict[str, str] = {}
            if dated:
                changes = merge.assign_dated(hood, dated)
                self._set_clusters(conn, hood, changes)
            groups: dict[str, list[merge.Node]] = defaultdict(list)
            for n in hood.nodes.values():
                if n.day is None:
                    groups[n.doc].append(n)
            und = {}
            for doc in sorted(groups):
                und.update(self._assign_group(hood, groups[doc]))
            self._set_clusters(conn, hood, und)
            touched = set(changes.values()) | set(und.values())
            alive = len(self._refresh(conn, touched))
        self.last_rebuild_moved = sum(1 for nid, cid in {**changes, **und}.items() if stored.get(nid) != cid)
        return alive

    # ------------------------------------------------------------------ merge

    def _neighbourhood(self, conn: Connection) -> Neighbourhood:
        """The merge's working set, current for this write transaction (which it marks as a write).

        Kept between transactions while the generation counter says nobody else wrote; re-read from
        the database otherwise (another process ingested, or this process's last write failed)."""
        gen = conn.execute(select(ledger_state.c.generation).where(ledger_state.c.id == 1)).scalar()
        if gen is None:
            gen = 0
            conn.execute(insert(ledger_state).values(id=1, generation=0))
        hood = self._hood          # one read: a failing writer in another thread may reset the attribute
        if hood is None or self._hood_gen != gen:
            hood = self._hood = Neighbourhood(self._load_nodes(conn))
        conn.execute(update(ledger_state).where(ledger_state.c.id == 1).values(generation=gen + 1))
        self._hood_gen = gen + 1
        return hood

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
        for chunk in _chunks(touched):
            for r in conn.execute(select(*[c for c in doc_events.c if c.name != "data"])
                                  .where(doc_events.c.ledger_id.in_(chunk))):
                members[r.ledger_id].append(dict(r._mapping))
        alive = []
        gone = [cid for cid in touched if cid not in members]
        self._record_moves(conn, gone)
        for chunk in _chunks(gone):
            conn.execute(delete(ledger_events).where(ledger_events.c.id.in_(chunk)))
        if not members:
            return alive
        self._parsed.load(conn, [m["id"] for ms in members.values() for m in ms])
        now = utc_now()
        rows = []
        for cid in sorted(members):
            ev = build_event(cid, members[cid], self._parsed.events, self._parsed.inputs)
            alive.append(cid)
            rows.append(ledger_row(ev, members[cid], now))
        for chunk in _chunks(sorted(members)):
            conn.execute(delete(ledger_events).where(ledger_events.c.id.in_(chunk)))
        conn.execute(insert(ledger_events), rows)
        return alive

    def _record_moves(self, conn: Connection, gone: list[str]) -> None:
        """For each emptied ledger event, the event its founder now belongs to (``ledger_moves``),
        so that a client holding the old id is told where it went instead of a bare 404."""
        moves = []
        for chunk in _chunks(gone):
            founders = dict(conn.execute(select(ledger_events.c.id, ledger_events.c.founder)
                                         .where(ledger_events.c.id.in_(chunk))).all())
            if not founders:
                continue
            now_in = dict(conn.execute(select(doc_events.c.id, doc_events.c.ledger_id)
                                       .where(doc_events.c.id.in_(sorted(set(founders.values()))))).all())
            moves += [{"id": cid, "merged_into": now_in[f], "at": utc_now()} for cid, f in sorted(founders.items())
                      if now_in.get(f) and now_in[f] != cid]
        if moves:
            for chunk in _chunks([m["id"] for m in moves]):
                conn.execute(delete(ledger_moves).where(ledger_moves.c.id.in_(chunk)))
            conn.execute(insert(ledger_moves), moves)

    # ------------------------------------------------------------------ reading

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
                    order: str = "date") -> tuple[list[str], int]:
        """Ledger events matching every filter given, oldest first (``order="-date"``: newest first),
        undated events last, as their stored contract JSON (what the API sends as is: parsing and
        re-serialising 100 events cost more than the query); and how many match in all."""
        le = ledger_events.c
        where = []
        if since:
            where.append(le.date_start >= since)
        if until:
            where.append(le.date_start <= until)
        if bbox:
            min_lon, min_lat, max_lon, max_lat = bbox
            where += [le.lat.between(min_lat, max_lat), le.lon.between(min_lon, max_lon)]
        if near:
            lat, lon, radius = near
            dlat = radius / 111.0
            dlon = radius / max(1e-6, 111.0 * math.cos(math.radians(lat)))
            where += [le.lat.between(lat - dlat, lat + dlat), le.lon.between(lon - dlon, lon + dlon)]
        if types:
            where.append(or_(le.type.in_(types), le.event_type.in_(types)))
        if side:
            where.append(or_(le.initiator_side == side, le.target_side == side))
        if initiator_side:
            where.append(le.initiator_side == initiator_side)
        if target_side:
            where.append(le.target_side == target_side)
        if min_deaths is not None:
            where.append(le.deaths_best >= min_deaths)
        order_by = [le.date_start.is_(None), le.date_start.desc() if order == "-date" else le.date_start, le.id]
        with self._read() as conn:
            if near:
                rows = conn.execute(select(le.data, le.lat, le.lon).where(*where).order_by(*order_by)).all()
                rows = [r for r in rows if merge.km(lat, lon, r.lat, r.lon) <= radius]
                total = len(rows)
                rows = rows[offset:offset + limit if limit is not None else None]
            else:
                total = self._count(conn, select(func.count()).select_from(ledger_events).where(*where))
                q = select(le.data).where(*where).order_by(*order_by).offset(offset)
                if limit is not None:
                    q = q.limit(limit)
                rows = conn.execute(q).all()
        return [r.data for r in rows], total

    def _count(self, conn: Connection, stmt) -> int:
        """``stmt``'s count, remembered until the ledger changes (the generation counter every
        writer bumps in its transaction): a filtered count scans the table, and a client paging
        through results asks the same count on every page."""
        gen = conn.execute(select(ledger_state.c.generation).where(ledger_state.c.id == 1)).scalar()
        compiled = stmt.compile(dialect=conn.dialect)
        key = (str(compiled), repr(sorted(compiled.params.items())))
        hit = self._counts.get(key)
        if hit is not None and gen is not None and hit[0] == gen:
            return hit[1]
        total = conn.execute(stmt).scalar_one()
        if len(self._counts) > 1000:
            self._counts.clear()
        self._counts[key] = (gen, total)
        return total

    def event_detail_json(self, event_id: str) -> dict | None:
        """One event for the API in one read transaction, as stored JSON: ``event`` (a JSON string),
        ``claims`` (claim JSON, document id, claim id, source name, kind and side; in report order) and
        ``documents`` (DocMeta of each report with a claim, in that order)."""
        with self._read() as conn:
            row = conn.execute(select(ledger_events.c.data).where(ledger_events.c.id == event_id)).first()
            if row is None:
                return None
            ev_ids = select(doc_events.c.id).where(doc_events.c.ledger_id == event_id)
            rows = conn.execute(
                select(claims.c.data.label("claim"), claims.c.id.label("claim_id"), claims.c.source_name, claims.c.source_kind, claims.c.source_side,
                       *_META_COLS).join(documents, documents.c.id == claims.c.doc_id)
                .where(claims.c.doc_event_id.in_(ev_ids))
                .order_by(documents.c.published, documents.c.id, claims.c.ordinal)).all()
        docs: dict[str, DocMeta] = {}
        for r in rows:
            if r.id not in docs:
                docs[r.id] = meta_of(r)
        return {"event": row.data,
                "claims": [(r.claim, r.id, r.claim_id, r.source_name, r.source_kind, r.source_side) for r in rows],
                "documents": list(docs.values())}

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
            rows = conn.execute(select(*_META_COLS).where(documents.c.id.in_(ids))
                                .order_by(documents.c.published, documents.c.id)).all()
        return [meta_of(r) for r in rows]

    def event_claims(self, event_id: str) -> list[tuple[Claim, DocMeta]]:
        with self._read() as conn:
            ev_ids = select(doc_events.c.id).where(doc_events.c.ledger_id == event_id)
            rows = conn.execute(
                select(claims.c.data, *_META_COLS).join(documents, documents.c.id == claims.c.doc_id)
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
            q = (select(claims.c.data, doc_events.c.ledger_id, *_META_COLS)
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
            for chunk in _chunks(ids):
                for r in conn.execute(select(*_META_COLS).where(documents.c.id.in_(chunk))):
                    out[r.id] = meta_of(r)
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
