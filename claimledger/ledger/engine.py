"""Opening a ledger database: the URL, the SQLAlchemy engine and SQLite's settings.

Kept apart from the store so the store reads as what it does with a ledger; everything about how
a database is reached (a bare path, psycopg 3 for PostgreSQL, WAL and ``BEGIN IMMEDIATE`` for
SQLite writers, read-only media) is here.
"""

from __future__ import annotations

import os
import sqlite3
import time

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from claimledger.ledger.errors import StoreError

DEFAULT_URL = "sqlite:///claimledger.db"
PG_LOCK = 0x434C4C47  # "CLLG": the advisory lock all claimledger writers take on PostgreSQL


def resolve_url(url: str | None) -> str:
    """The URL to open: the argument, ``$CLAIMLEDGER_DB``, or ``claimledger.db`` here.

    A bare path means a SQLite file; ``postgresql://`` means psycopg 3 (SQLAlchemy's default
    PostgreSQL driver is psycopg2, which claimledger does not install).
    """
    url = url or os.environ.get("CLAIMLEDGER_DB") or DEFAULT_URL
    if "://" not in url:
        url = "sqlite:///" + os.path.abspath(os.path.expanduser(url))
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def short_error(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def sqlite_file(url: str) -> bool:
    try:
        u = make_url(url)
    except ArgumentError:
        return False
    return u.get_backend_name() == "sqlite" and (u.database or "") not in ("", ":memory:")


def looks_readonly(message: str) -> bool:
    return any(m in message for m in ("unable to open database file", "readonly database", "read-only"))


def _readonly_engine(path: str) -> Engine:
    """SQLite opened read-only; ``immutable`` when the folder is not writable either, since WAL
    readers otherwise need to create the ``-shm`` file beside the database."""
    from urllib.parse import quote

    folder_writable = os.access(os.path.dirname(path), os.W_OK) and _can_create_in(os.path.dirname(path))
    uri = f"file:{quote(path)}?mode=ro" + ("" if folder_writable else "&immutable=1")
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=60,
                                                                       check_same_thread=False))
    _sqlite_setup(engine, wal=False)
    return engine


def _can_create_in(folder: str) -> bool:
    """os.access says yes to root on a read-only mount; trying says the truth."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def make_engine(url: str, create: bool, readonly: bool = False) -> Engine:
    try:
        u = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (try sqlite:///ledger.db or "
                         "postgresql://user@host/dbname)") from None
    backend = u.get_backend_name()
    if backend == "sqlite":
        db = u.database or ""
        memory = db in ("", ":memory:") or "mode=memory" in db
        if readonly:
            return _readonly_engine(os.path.abspath(db))
        if not memory:
            path = os.path.abspath(db)
            folder = os.path.dirname(path)
            if os.path.isdir(path):
                raise StoreError(f"the ledger path {path} is a folder, not a database file")
            if not os.path.exists(path):
                if not create:
                    raise StoreError(f"no ledger at {path}: run `claimledger ingest` first, or pass --db")
                if not os.path.isdir(folder):
                    raise StoreError(f"cannot create the ledger {path}: folder {folder} does not exist")
                if not os.access(folder, os.W_OK):
                    raise StoreError(f"cannot create the ledger {path}: folder {folder} is not writable")
            elif create and not os.access(path, os.W_OK):
                raise StoreError(f"the ledger {path} is not writable")
        # a pool as large as the API's thread pool can use at once: opening a SQLite connection
        # (and its pragmas) for every request past the default 5 cost more than the query
        kw = {"poolclass": StaticPool} if memory else {"pool_size": 20, "max_overflow": 20}
        engine = create_engine(u, connect_args={"timeout": 60, "check_same_thread": False}, **kw)
        _sqlite_setup(engine, wal=not memory)
        return engine
    try:
        return create_engine(u, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"no database driver for {u.drivername!r} ({short_error(exc)}); "
                         "PostgreSQL needs: pip install 'claimledger[postgres]'") from None


def _sqlite_setup(engine: Engine, wal: bool) -> None:
    """Transactions under our control (pysqlite's own BEGIN handling would make DDL and the write
    lock timing implicit): ``BEGIN IMMEDIATE`` for writers so two ingests queue instead of
    deadlocking; WAL so readers (``claimledger events`` during an ingest) are never blocked."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        if wal:
            # switching a new file to WAL takes an exclusive lock that SQLite's busy handler does not
            # wait for: two ingests creating one ledger at the same moment must take turns here too
            for attempt in range(300):
                try:
                    cur.execute("PRAGMA journal_mode=WAL")
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or attempt == 299:
                        raise
                    time.sleep(0.1)
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("claimledger_write") else "BEGIN")
