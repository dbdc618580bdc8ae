"""Group commit: several documents in one write transaction, each document in a savepoint of it.

Why. One transaction per document made every document a commit: about 15 a second during an
ingest, and each commit makes every server worker recount its kept list pages. Grouping was first
meant to save the writer's commit CPU, which it did not measurably do (session 18: writer CPU
new/old 0.995 on the corpus); what it measurably does is shorten the API's answers under an ingest
(list p95 -12%, detail -11%, server CPU a request -10%, alternating runs; docs/performance.md).
A batch commits every ``docs`` documents or ``ms``
milliseconds after its first write, whichever comes first, and whenever its owner is about to wait
(``flush``: the ingest loop calls it before blocking on the extraction workers), so the write lock
is never held while nothing is being written.

What a ``kill -9`` can do stays what it was: each document's rows are written inside a savepoint
of the batch, so a document is in a committed batch whole or not at all; a killed batch loses its
uncommitted documents whole, and as a rerun skips only the input texts that are stored
(``Store.known_input_hashes``), it stores them again. A document that fails (a record the store
cannot take) rolls back to its savepoint alone and the batch goes on. Readers in other processes
see each commit as before (SQLite's ``data_version``, the change log, the generation counter):
a commit just carries several documents.

A batch belongs to the thread that opened it: the store's reads and writes from that thread go
through the batch's connection (it sees its own uncommitted documents); other threads keep their
own transactions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from claimledger.ledger.engine import PG_LOCK, short_error
from claimledger.ledger.errors import StoreError

DOCS = 50        # documents per commit at most: what a kill -9 can make a rerun redo
MS = 250.0       # and at most this long after the batch's first write


class Batch:
    """The open transaction of :meth:`Store.batch`; ``flush()`` commits what it holds."""

    def __init__(self, store, docs: int = DOCS, ms: float = MS) -> None:
        if docs < 1 or ms < 0:
            raise ValueError("a batch commits after at least one document and a non-negative time")
        self.store, self.docs, self.ms = store, docs, ms
        self.thread = threading.get_ident()
        self.commits = 0              # transactions committed (what the tests and the bench count)
        self._conn: Connection | None = None
        self._trans = None
        self._held = 0                # documents written since the last commit
        self._opened = 0.0            # monotonic time of the transaction's first write

    def _begin(self) -> Connection:
        if self._conn is None:
            conn = self.store.engine.connect()
            try:
                conn.execution_options(claimledger_write=True)
                self._trans = conn.begin()
                if self.store.dialect == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK})")
            except BaseException:
                conn.close()
                self._trans = None
                raise
            self._conn, self._held, self._opened = conn, 0, time.monotonic()
        return self._conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One document's (or one failure's) writes, all or nothing, in the open transaction."""
        conn = self._begin()
        savepoint = conn.begin_nested()
        try:
            yield conn
        except BaseException:
            self.store._hood = None   # it may hold the rolled-back document's changes
            if savepoint.is_active:
                savepoint.rollback()
            raise
        savepoint.commit()
        self._held += 1
        if self._held >= self.docs or 1000 * (time.monotonic() - self._opened) >= self.ms:
            self.flush()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """Reads see the batch's own uncommitted documents (a rerun's skip test, a reprint's lookup)."""
        if self._conn is None:
            with self.store.engine.connect() as conn, conn.begin():
                yield conn
            return
        yield self._conn

    def flush(self) -> None:
        """Commit the documents written so far (nothing to do when none are)."""
        conn, trans = self._conn, self._trans
        if conn is None:
            return
        self._conn = self._trans = None
        try:
            trans.commit()
            self.commits += 1
        except BaseException:
            self.store._hood = None
            raise
        finally:
            conn.close()

    def abandon(self) -> None:
        """Roll back what was not committed (the owner failed): as a kill would, less the kill."""
        conn, trans = self._conn, self._trans
        self._conn = self._trans = None
        if conn is not None:
            self.store._hood = None
            try:
                trans.rollback()
            finally:
                conn.close()


def store_error(store, exc: BaseException, doing: str) -> BaseException:
    """A database error as the store reports it (IntegrityError stays: the caller decides)."""
    if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
        return StoreError(f"cannot {doing} the ledger {store.safe_url}: {short_error(exc)}")
    return exc
