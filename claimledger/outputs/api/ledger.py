"""The store behind the app, and the settings every router reads (through :func:`settings`)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from claimledger import records
from claimledger.outputs.api.errors import ApiError

log = logging.getLogger("claimledger.api")

MAX_BODY = 2 * 1024 * 1024


class Ledger:
    """The store behind the app, opened on first use and reopened after a failure.

    Writes are serialised by the app (one ingest at a time); the store itself queues SQLite
    writers with ``BEGIN IMMEDIATE`` and never blocks readers.
    """

    def __init__(self, url: str | None, store: Any = None):
        self.url = url
        self._store = store
        self.lock = threading.RLock()
        self.on_open: Callable[[], None] | None = None   # called once the store is open (server.settle_heap)

    def describe(self) -> str:
        return self.url or os.environ.get("CLAIMLEDGER_DB") or "sqlite:///claimledger.db"

    def _open(self, create: bool) -> Any:
        from claimledger.ledger.errors import StoreError
        from claimledger.ledger.store import Store

        try:
            store = Store.open(self.url, create=create)
        except StoreError as exc:
            raise ApiError(503, f"ledger unavailable ({self.describe()}): {exc}") from None
        # list pages are made again after every commit of an ingest: their rows are kept by id
        store.keep_rows()
        return store

    def call(self, fn: Callable[[Any], Any], *, create: bool = False) -> Any:
        """Run ``fn(store)``; a database failure becomes a 503, not a crash.

        The lock only guards opening: the store runs each call in its own connection and
        transaction (SQLite in WAL mode), so reads proceed in parallel on the thread pool.
        """
        from sqlalchemy.exc import SQLAlchemyError

        from claimledger.ledger.errors import StoreError

        with self.lock:
            if self._store is None:
                self._store = self._open(create)
                if self.on_open is not None:
                    self.on_open()
            store = self._store
        try:
            return fn(store)
        except (StoreError, SQLAlchemyError) as exc:
            log.warning("ledger call failed: %s", exc)
            self.reset()
            raise ApiError(503, f"ledger unavailable ({self.describe()}): {exc}") from None

    def reset(self) -> None:
        with self.lock:
            store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except Exception:  # closing a broken connection may fail too; nothing to do about it
                pass


def default_extract(article: records.Article):
    from claimledger.runner import process

    return process(article)


@dataclass
class Settings:
    """What :func:`claimledger.outputs.api.app.create_app` was given, shared by the routers."""

    ledger: Ledger
    token: str | None = None
    tiles: str | None = None
    max_body: int = MAX_BODY
    extract: Callable[[records.Article], Any] = default_extract
    write_lock: threading.Lock = field(default_factory=threading.Lock)


async def settings(request: Request) -> Settings:
    """The app's settings, as a FastAPI dependency (async: no thread-pool hop to read an attribute)."""
    return request.app.state.settings
