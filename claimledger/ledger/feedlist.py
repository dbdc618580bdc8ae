"""The watched sources and their cursors, kept in the ledger (tables ``feeds`` and ``feed_items``).

Why in the ledger: the cursor must survive a ``kill -9`` together with what it points at. A feed's
new entries are written as ``pending`` in the same transaction as the validators (ETag,
Last-Modified) that would hide them on the next fetch, so a crash after that commit loses nothing:
the next run finds them pending. An item becomes ``done`` after its document is committed; a crash
between the two commits fetches it once more, and the ledger's text identity stores it once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from claimledger.ingest.safe import storable
from claimledger.ledger.db import feed_items, feeds
from claimledger.ledger.rows import utc_now

PENDING, FAILED, DONE, GIVEN_UP = "pending", "failed", "done", "given_up"


@dataclass
class Feed:
    id: int
    url: str
    kind: str
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str | None = None
    status: str | None = None
    done: int = 0
    waiting: int = 0
    given_up: int = 0


@dataclass
class Item:
    feed_id: int
    key: str
    link: str | None
    entry: str | None
    state: str
    attempts: int


def add(engine: Engine, url: str, kind: str) -> tuple[Feed, bool]:
    """The feed for ``url``, added if new; and whether it was added."""
    url = storable(url)
    with engine.begin() as conn:
        row = conn.execute(select(feeds).where(feeds.c.url == url)).first()
        if row is None:
            conn.execute(insert(feeds).values(url=url, kind=kind, added_at=utc_now()))
    return get(engine, url), row is None


def get(engine: Engine, url: str) -> Feed | None:
    return next((f for f in list_all(engine) if f.url == url), None)


def list_all(engine: Engine) -> list[Feed]:
    with engine.connect() as conn:
        rows = conn.execute(select(feeds).order_by(feeds.c.id)).all()
        counts: dict[tuple[int, str], int] = {}
        for fid, state in conn.execute(select(feed_items.c.feed_id, feed_items.c.state)):
            counts[(fid, state)] = counts.get((fid, state), 0) + 1
    return [Feed(r.id, r.url, r.kind, r.etag, r.last_modified, r.checked_at, r.status,
                 done=counts.get((r.id, DONE), 0),
                 waiting=counts.get((r.id, PENDING), 0) + counts.get((r.id, FAILED), 0),
                 given_up=counts.get((r.id, GIVEN_UP), 0)) for r in rows]


def remove(engine: Engine, url: str) -> bool:
    """Forget a feed and its cursor (its stored documents stay in the ledger)."""
    with engine.begin() as conn:
        row = conn.execute(select(feeds.c.id).where(feeds.c.url == url)).first()
        if row is None:
            return False
        conn.execute(delete(feed_items).where(feed_items.c.feed_id == row.id))
        conn.execute(delete(feeds).where(feeds.c.id == row.id))
    return True


def known_keys(engine: Engine, feed_id: int) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(select(feed_items.c.key).where(feed_items.c.feed_id == feed_id))}


def record_fetch(engine: Engine, feed_id: int, new: list[tuple[str, str | None, str | None]], *,
                 etag: str | None, last_modified: str | None, status: str, keep_validators: bool) -> None:
    """In one transaction: the new entries (key, link, entry JSON) as pending, and the validators."""
    now = utc_now()
    values = {"checked_at": now, "status": storable(status)[:500]}
    if not keep_validators:
        values.update(etag=etag, last_modified=last_modified)
    with engine.begin() as conn:
        have = {r[0] for r in conn.execute(select(feed_items.c.key).where(feed_items.c.feed_id == feed_id))}
        rows = [{"feed_id": feed_id, "key": storable(k), "link": link and storable(link),
                 "entry": entry and storable(entry), "state": PENDING, "attempts": 0, "seen_at": now}
                for k, link, entry in new if storable(k) not in have]
        if rows:
            conn.execute(insert(feed_items), rows)
        conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))


def open_items(engine: Engine, feed_id: int, max_attempts: int) -> list[Item]:
    """Items still to store, in the order they were seen."""
    with engine.connect() as conn:
        rows = conn.execute(select(feed_items).where(feed_items.c.feed_id == feed_id,
                                                     feed_items.c.state.in_([PENDING, FAILED]),
                                                     feed_items.c.attempts < max_attempts)
                            .order_by(feed_items.c.seen_at, feed_items.c.key)).all()
    return [Item(r.feed_id, r.key, r.link, r.entry, r.state, r.attempts) for r in rows]


def mark(engine: Engine, item: Item, state: str, *, doc_id: str | None = None, reason: str | None = None,
         max_attempts: int = 3) -> str:
    """Record an attempt's outcome; a failure on the last allowed attempt is ``given_up``."""
    attempts = item.attempts + 1
    if state == FAILED and attempts >= max_attempts:
        state = GIVEN_UP
    with engine.begin() as conn:
        conn.execute(update(feed_items).where(feed_items.c.feed_id == item.feed_id, feed_items.c.key == item.key)
                     .values(state=state, attempts=attempts, doc_id=doc_id,
                             reason=reason and storable(reason)[:1000]))
    return state
