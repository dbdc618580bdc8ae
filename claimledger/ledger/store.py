"""The ledger store: documents, claims and reconciled events in any SQLAlchemy database.

Contract: docs/ledger-api.md. This module opens, migrates and writes a ledger (ingest, rebuild);
the incremental merge step is ``incremental.py`` and the read queries are ``queries.py``, both
inherited by :class:`Store`. Design points:

* **Each document all or nothing.** The document, its claims, places and events, the merge that
  moves document events between ledger events, and the re-reconciliation of every touched ledger
  event commit together or not at all, so a ``kill -9`` leaves whole documents only, and a rerun
  skips what is there (a document is known by ``doc.id``, the hash of its cleaned body). One
  transaction per document, or, inside :meth:`Store.batch` (``ingest``), one savepoint per document
  in a transaction that commits several (``group.py``).
* **Writers are serialised**: SQLite takes its write lock at ``BEGIN IMMEDIATE``; PostgreSQL takes
  a transaction-scoped advisory lock. The merge reads a neighbourhood and rewrites it, which must
  not interleave with another writer's.
* **Schema by Alembic**, run on open inside one transaction; a database stamped with a revision this
  code does not know (written by a newer claimledger) is refused, never "upgraded" backwards.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from claimledger.clean.fingerprint import Fingerprint
from claimledger.ingest.safe import storable, storable_record
from claimledger.ledger import group, identity, merge, stories
from claimledger.ledger.db import (
    claims,
    doc_events,
    doc_places,
    documents,
    failures,
    ledger_events,
)
from claimledger.ledger.engine import (  # noqa: F401 (resolve_url, DEFAULT_URL: the store's public face)
    DEFAULT_URL,
    PG_LOCK,
    looks_readonly,
    make_engine,
    resolve_url,
    short_error,
    sqlite_file,
)
from claimledger.ledger.errors import StoreError
from claimledger.ledger.incremental import IncrementalMerge
from claimledger.ledger.listing import PageReads
from claimledger.ledger.queries import LedgerQueries
from claimledger.ledger.reviews_store import ReviewDesk
from claimledger.ledger.rows import document_rows, node_of, utc_now
from claimledger.records import DocResult

HERE = Path(__file__).parent
# The writer's statements, built once: building one and its cache key per document cost more than running it
_SAME_TEXT = select(documents.c.id).where(documents.c.text_hash == bindparam("hash"))
_HASH_OF = select(documents.c.text_hash).where(documents.c.id == bindparam("id"))
_INSERT = {t.name: insert(t) for t in (documents, claims, doc_places, doc_events)}
_CLEAR_FAILURE = delete(failures).where(failures.c.origin == bindparam("origin"))


@dataclass
class IngestReport:
    doc_id: str
    skipped: bool = False            # the document was already in the ledger: nothing changed
    claims: int = 0
    events: int = 0                  # document events stored
    ledger_events: list[str] = field(default_factory=list)  # ledger events created or updated
    same_text_as: str | None = None  # skipped: the stored document with this very text (another id)
    id_taken: str | None = None      # the caller's id already named another text: stored as doc_id
    reprint: bool = False            # skipped, and its outlet recorded as one more that printed the text


class Store(IncrementalMerge, ReviewDesk, LedgerQueries, PageReads):
    """A ledger in one database. Open with :meth:`open`; every method is one transaction.

    Writing (open, migrate, ingest, rebuild) is here; the merge step comes from
    :class:`IncrementalMerge` and the read queries from :class:`LedgerQueries`."""

    def __init__(self, engine: Engine, url: str):
        LedgerQueries.__init__(self, engine, url)
        IncrementalMerge.__init__(self)
        self.last_rebuild_moved = 0                # document events that rebuild() moved
        self.readonly = False                      # opened read-only (a ledger on read-only media)
        self._group: group.Batch | None = None     # the open batch of batch(), its thread's only

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
    def batch(self, docs: int = group.DOCS, ms: float = group.MS) -> Iterator[group.Batch]:
        """Group commit for this thread's writes: a transaction committed every ``docs`` documents or
        ``ms`` milliseconds, and at ``flush()``; each document in a savepoint (see ``group.py``).
        What is held when the block ends is committed, unless the database failed."""
        if self._group is not None:
            raise RuntimeError("a batch is open already")
        b = self._group = group.Batch(self, docs, ms)
        try:
            yield b
        except BaseException as exc:
            if isinstance(exc, DBAPIError | StoreError):
                b.abandon()
            else:   # an interrupted loop: the documents written are whole, keep them
                self._flush(b)
            raise
        else:
            self._flush(b)
        finally:
            self._group = None

    def _flush(self, b: group.Batch) -> None:
        try:
            b.flush()
        except DBAPIError as exc:
            b.abandon()
            raise group.store_error(self, exc, "write to") from None

    def _batch_here(self) -> group.Batch | None:
        b = self._group
        return b if b is not None and b.thread == threading.get_ident() else None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        b = self._batch_here()
        if b is None:
            with LedgerQueries._read(self) as conn:
                yield conn
            return
        try:
            with b.read() as conn:
                yield conn
        except DBAPIError as exc:
            raise group.store_error(self, exc, "read") from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        b = self._batch_here()
        if b is not None:
            try:
                with b.write() as conn:
                    yield conn
            except DBAPIError as exc:
                raise group.store_error(self, exc, "write to") from None
            return
        try:
            with self.engine.connect() as conn:
                conn.execution_options(claimledger_write=True)
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK})")
                    yield conn
        except BaseException as exc:
            self._hood = None   # it may hold changes of the transaction that was just rolled back
            if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
                raise StoreError(f"cannot write to the ledger {self.safe_url}: {short_error(exc)}") from None
            raise

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
            same = conn.execute(_SAME_TEXT, {"hash": th}).first()
            if same is not None:
                return result, IngestReport(same.id, skipped=True, same_text_as=same.id if same.id != doc.id else None)
        taken = conn.execute(_HASH_OF, {"id": doc.id}).first()
        if taken is None:
            return result, None
        if th is None or taken.text_hash is None or th == doc.id:
            return result, IngestReport(doc.id, skipped=True)
        if conn.execute(_HASH_OF, {"id": th}).first():
            return result, IngestReport(th, skipped=True)
        return identity.rekey(result, th), None

    def ingest(self, result: DocResult, body: str | None = None, origin: str | None = None,
               source_id: str | None = None, input_hash: str | None = None,
               fingerprint: Fingerprint | None = None) -> IngestReport:
        """Store one document in one transaction. ``fingerprint``: the body's, computed where it was
        extracted (``runner.Outcome.fingerprint``); used only when it is this very body's, else the
        writer computes it."""
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
                    known.reprint = self._reprint(conn, known.doc_id, doc.outlet, origin, doc.url, doc.published)
                    return known
                taken = doc.id if stored.doc.id != doc.id else None
                result, doc = stored, stored.doc
                hood = self._neighbourhood(conn)   # read before this document's rows go in
                rows = document_rows(result, body, origin, source_id or taken, input_hash)
                conn.execute(_INSERT[documents.name], [rows["document"]])
                for table in (claims, doc_places, doc_events):
                    if rows[table.name]:
                        conn.execute(_INSERT[table.name], rows[table.name])
                nodes = [node_of(r) for r in rows["doc_events"]]
                for n in nodes:
                    hood.add(n)
                copies = stories.assign(conn, doc.id, body, doc.outlet, fingerprint)   # its syndicated story
                touched = self._merge(conn, hood, nodes) | stories.ledger_ids(conn, copies)
                touched |= self._review_groups(conn, hood, touched)   # analysts' splits and merges stand
                alive = self._refresh(conn, touched)
                if origin:
                    conn.execute(_CLEAR_FAILURE, {"origin": origin[:1000]})
                return IngestReport(doc.id, claims=len(rows["claims"]), events=len(nodes), ledger_events=alive,
                                    id_taken=taken)
        except IntegrityError as exc:
            if self.has_document(doc.id):  # another writer stored it first
                return IngestReport(doc.id, skipped=True)
            raise StoreError(f"document {doc.id} could not be stored: {short_error(exc)}") from None

    def note_reprint(self, input_hash: str, outlet: str | None, origin: str | None = None, url: str | None = None,
                     published: str | None = None) -> bool:
        """An input whose text is stored already (skipped before extraction): its outlet is one more
        that printed the story (``stories.add_reprint``); whether that was news."""
        if not (outlet or "").strip():
            return False
        with self._read() as conn:   # a rerun of a whole folder: mostly the same outlet, no write needed
            row = conn.execute(select(documents.c.id).where(documents.c.input_hash == input_hash)).first()
            if row is None or not stories.is_new_reprint(conn, row.id, outlet):
                return False
        with self._write() as conn:
            return self._reprint(conn, row.id, outlet, origin, url, published)

    def _reprint(self, conn: Connection, doc_id: str, outlet, origin, url, published) -> bool:
        if not stories.add_reprint(conn, doc_id, outlet, at=utc_now(), origin=origin, url=url, published=published):
            return False
        self._refresh(conn, stories.ledger_ids(conn, [doc_id]))   # its events now list the outlet
        self._bump_generation(conn)
        return True

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
            stories.backfill(conn)   # documents stored before fingerprints existed
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
            touched = set(changes.values()) | set(und.values()) | self._review_groups(conn, hood)
            alive = len(self._refresh(conn, touched))
        self.last_rebuild_moved = sum(1 for nid, n in hood.nodes.items() if stored.get(nid) != n.cluster)
        return alive
