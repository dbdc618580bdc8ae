"""Answers remembered until the ledger changes, with ETags for clients that revalidate.

Every read the page makes (a list page, an event's detail, the map, the facets) is a function of
the ledger's content and the request alone, and visitors ask the same ones over and over: the first
page of the list, the filters a link opens, the events people click. :class:`ResponseCache` keeps
each such answer as sent (headers and gzipped body) and sends it again while the ledger is
unchanged, without routing, parameter checks, SQL or compression: about a tenth of the CPU of
computing it (docs/performance.md, "API under load").

*Unchanged* is what the database says, not a guess: :class:`SqliteVersion` asks SQLite's
``PRAGMA data_version`` on a connection of its own, which changes whenever any other connection, in
this process or another (``claimledger ingest``, a review, a reprint, a failure noted), commits to
the file. After a commit, an answer is kept only if the ledger's change log (``ledger_changes``,
filled by triggers, migration 0011) holds no row since the answer was made that could change it
(``ledger/changes.py``: a list's filters, a detail's event; other answers are made again): with an
ingest running, a report from Kharkiv leaves the detail of an event in Odesa as it was. The
version and the log's head are read *before* an answer is computed, so an answer is never older
than what it is filed under; a commit after that read moves the version on and the next request
checks the log. A full list page in date order whose filters a logged row matches but whose window
no logged row reaches (``changes.PageTest``) is the same events with a new total: the total is
moved by the logged rows since its last count (``changes.total_moved``; counted again the first
time) on the cache's connection and put in the remembered body (compressed again if it was), a
tenth of the CPU of making the page (docs/performance.md, sessions 14 and 16). A ledger file replaced by another (a new inode), or a schema change, forgets
everything. On other databases (PostgreSQL) nothing is remembered: there is no equally cheap and
complete change signal there.

Each remembered answer carries an ``ETag`` (a hash of its bytes, so equal on every worker of
``serve --workers N``) and ``Cache-Control: no-cache`` (a browser may keep it but must ask again):
a request whose ``If-None-Match`` names the answer's current ETag gets ``304 Not Modified``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import sqlite3
import time
import zlib
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from claimledger.ledger.changes import HEAD_SQL, LOGGED_IDS_SQL, ChangeTest, PageTest, total_moved
from claimledger.outputs.api.gzipjoin import Rest, deflated, gzip_joined

log = logging.getLogger("claimledger.api")

# GET paths whose answers depend on the ledger's content and the query only (not on time, the token or
# the server's settings); "/api/events/" covers an event's detail, "/api/documents/" a report's
CACHED_PATHS = frozenset(("/api/events", "/api/map", "/api/claims", "/api/facets", "/api/places", "/api/summary",
                          "/api/reviews"))
CACHED_PREFIXES = ("/api/events/", "/api/documents/")
MAX_ENTRY = 8 * 1024 * 1024     # bytes; a bigger answer (a whole ledger's map) is sent but not kept
MAX_TOTAL = 64 * 1024 * 1024    # bytes kept in all; past it the cache starts again empty
MAX_FOLLOWED = 4096             # log rows read at one version at most; past them the ids are followed anew
MAX_IDS = 50_000                # event ids followed at most; past them too
RETRY_OPEN = 1.0                # seconds between attempts to open a ledger file that is not there yet
TEST_KEY = "claimledger.changes"   # request.state key: the ChangeTest an endpoint gives its answer
PAGE_KEY = "claimledger.page"      # request.state key: the PageTest of a list page, if any
TOTAL = re.compile(rb'\{"total": (\d+), ')   # how a list page's body begins (routes/events.list_events)


def keep_until(request, test: ChangeTest, page: PageTest | None = None) -> None:
    """For an endpoint: its answer stays good until the change log holds a row ``test`` finds; with
    ``page``, a list page's events stay good until a row ``page.window`` finds (only its total moves)."""
    setattr(request.state, TEST_KEY, test)   # Starlette keeps request.state in the scope's "state"
    if page is not None:
        setattr(request.state, PAGE_KEY, page)


class SqliteVersion:
    """A value that changes whenever the SQLite ledger file's content may have changed.

    ``(epoch, PRAGMA data_version)`` on a connection of its own that never writes: SQLite changes
    ``data_version`` on a connection whenever another connection commits. ``epoch`` moves when the
    path names another file (the ledger was deleted and made again): the open connection would go on
    reading the old one. Used from the event loop's thread only."""

    def __init__(self, path: str):
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._inode: tuple[int, int] | None = None
        self._epoch = 0
        self._next_try = 0.0
        self._data: int | None = None      # data_version when schema_version was last read
        self._schema: int | None = None

    def __call__(self) -> tuple[int, int] | None:
        """The version now, or None when the file cannot be read (nothing is remembered then)."""
        try:
            st = os.stat(self.path)
        except OSError:
            self._close()
            return None
        if self._conn is None or self._inode != (st.st_dev, st.st_ino):
            self._close()
            if time.monotonic() < self._next_try or not self._open((st.st_dev, st.st_ino)):
                return None
        try:   # the schema can change only in a commit, which moves data_version: asked only then
            data = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if data != self._data:
                self._schema = self._conn.execute("PRAGMA schema_version").fetchone()[0]
                self._data = data
            return self._epoch, self._schema, data
        except sqlite3.Error:
            self._close()
            return None

    def head(self, after: int | None = None) -> tuple[int | None, int, list | None] | None:
        """(oldest, newest) ``seq`` of the change log, and with ``after`` the ``(seq, id)`` of every row
        logged after it up to the newest, in seq order (None when rows after it were pruned, or too
        many to follow); None without a log (an older schema). One read transaction."""
        conn = self._conn
        try:
            if after is None:
                lo, hi = conn.execute(HEAD_SQL).fetchone()
                return lo, hi or 0, None
            conn.execute("BEGIN")
            try:
                lo, hi = conn.execute(HEAD_SQL).fetchone()
                hi = hi or 0
                if hi <= after or (lo is not None and lo > after + 1) or hi - after > MAX_FOLLOWED:
                    return lo, hi, [] if hi == after else None
                return lo, hi, conn.execute(LOGGED_IDS_SQL, (after, hi)).fetchall()
            finally:
                conn.execute("COMMIT")
        except (sqlite3.Error, AttributeError):
            return None

    def changed(self, test: ChangeTest, after: int) -> bool:
        """Whether the log holds a row after ``after`` that ``test`` says may change the answer."""
        try:
            return self._conn.execute(test.sql, test.args(after)).fetchone() is not None
        except (sqlite3.Error, AttributeError):
            return True

    def recount(self, page: PageTest, after: int, total: int | None = None) -> tuple[int, int] | None:
        """(the log's head, the list's total) when no row logged after ``after`` moves ``page``'s
        window, else None; in one read transaction, so that the total is the head's. ``total``, the
        list's total at ``after`` if known, is moved by the logged rows (``changes.total_moved``)
        instead of counted again."""
        conn = self._conn
        try:
            conn.execute("BEGIN")
            try:
                lo, hi = conn.execute(HEAD_SQL).fetchone()
                if hi is None or (lo is not None and lo > after + 1) or \
                        conn.execute(page.window.sql, page.window_args(after)).fetchone() is not None:
                    return None
                moved = None if total is None else total_moved(conn, page.logged, after)
                if moved is not None:
                    return hi, total + moved
                return hi, conn.execute(page.count, page.count_params).fetchone()[0]
            finally:
                conn.execute("COMMIT")
        except (sqlite3.Error, AttributeError):
            return None

    def _open(self, inode: tuple[int, int]) -> bool:
        try:   # mode=rw: never create the file (the server does not create a ledger by reading it)
            self._conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, isolation_level=None,
                                         check_same_thread=False)
        except sqlite3.Error as exc:
            log.info("response cache off for %s: %s", self.path, exc)
            self._next_try = time.monotonic() + RETRY_OPEN
            return False
        self._inode = inode
        self._epoch += 1
        self._data = self._schema = None
        return True

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def version_source(url: str) -> Callable[[], Any] | None:
    """The change signal for the ledger at ``url``: a :class:`SqliteVersion` for a SQLite file, None
    (remember nothing) otherwise."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:" \
            or parsed.database.startswith("file:"):
        return None
    return SqliteVersion(os.path.abspath(parsed.database))


def cacheable(scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    path = scope["path"]
    return path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)


def _header(scope, name: bytes) -> str:
    for k, v in scope["headers"]:
        if k == name:
            return v.decode("latin-1")
    return ""


class Entry:
    """One remembered answer; ``at`` the version it is known good at, ``seq`` the change log's head
    then, ``test`` what in the log would change it (None: any commit does); for a list page,
    ``counted`` is its total at ``seq`` when known (after a recount, not for an answer just made: its
    read may have seen commits after ``seq``)."""

    __slots__ = ("status", "headers", "body", "etag", "at", "seq", "test", "page", "counted", "rest")

    def __init__(self, status: int, headers: list, body: bytes):
        self.status, self.body = status, body
        self.etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        self.headers = [h for h in headers if h[0].lower() not in (b"etag", b"cache-control")]
        self.headers += [(b"etag", self.etag.encode()), (b"cache-control", b"no-cache")]
        self.at: Any = None
        self.seq: int | None = None
        self.test: ChangeTest | None = None
        self.page: PageTest | None = None
        self.counted: int | None = None
        self.rest: tuple[bytes, bytes] | None = None   # a list page's body after its total: plain, deflated

    def with_total(self, total: int) -> Entry | None:
        """This list page's answer with ``total`` in place of its own (None if the body is not one).

        A kept page gets a new total at nearly every commit of an ingest, in each server worker, and
        compressing the whole page again was most of that cost. Everything after the total never
        changes, so it is deflated once (``rest``, with its CRC-32) and each new total writes only the
        page's head before it, as a stored block: a gzip stream whose decoded bytes are the page's,
        with its own ETag. Taking the CRC of the whole page again (20 us for 95 KB) was most of what
        was left: the kept CRC of the rest is combined with the head's (``gzipjoin.py``)."""
        zipped = any(k.lower() == b"content-encoding" and v == b"gzip" for k, v in self.headers)
        rest = self.rest
        if rest is None:
            body = zlib.decompress(self.body, 31) if zipped else self.body
            found = TOTAL.match(body)
            if found is None:
                return None
            if int(found.group(1)) == total:
                return self
            plain = body[found.end():]
            rest = Rest(b"", deflated(plain), zlib.crc32(plain), len(plain)) if zipped else Rest(plain, b"", 0, 0)
        elif self.counted == total:
            return self
        head = b'{"total": %d, ' % total
        body = gzip_joined(head, rest) if zipped else head + rest.plain
        headers = [(k, str(len(body)).encode()) if k.lower() == b"content-length" else (k, v)
                   for k, v in self.headers]
        fresh = Entry(self.status, headers, body)
        fresh.test, fresh.page, fresh.rest = self.test, self.page, rest
        return fresh

    @property
    def size(self) -> int:
        """Bytes this answer keeps: its body, and a list page's rest when it has one."""
        return len(self.body) + (len(self.rest.plain) + len(self.rest.deflated) if self.rest is not None else 0)

    def matches(self, if_none_match: str) -> bool:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return self.etag in tags or "*" in tags


class ResponseCache:
    """What is remembered, for one ledger: ``{key: Entry}`` (see the module's docstring). ``hits``
    (of which ``kept``: across a commit, by the change log), ``misses`` and ``not_modified`` count
    requests, for tests and operators. Used from the event loop's thread only (no lock needed)."""

    def __init__(self, version: Callable[[], Any] | None):
        self.version = version
        self.entries: dict[tuple, Entry] = {}
        self._at: Any = None
        self._head: Any = None
        self._ids: dict[str, int] = {}         # event id -> the newest seq logged of it, after _since
        self._null = -1                         # the newest seq logged without an id, after _since
        self._since: int | None = None          # rows after this seq are all in _ids (None: none followed)
        self._followed: int | None = None       # and up to this one
        self._bytes = 0
        self.hits = self.kept = self.recounted = self.misses = self.not_modified = 0

    def current(self) -> Any:
        """The ledger's version now (None: do not remember); a new file or schema forgets everything."""
        if self.version is None:
            return None
        now = self.version()
        if now != self._at:
            if now is None or self._at is None or now[:2] != self._at[:2]:
                self._clear()
            self._at, self._head = now, None
        return now

    def head(self) -> int | None:
        """The change log's newest ``seq`` at this version (read once per version, with the ids logged
        since the last: :meth:`_follow`), None without a log."""
        if self._head is None:
            self._head = self.version.head(self._followed) or False
            self._follow()
        return self._head[1] if self._head else None

    def _follow(self) -> None:
        """Note the ids of the rows logged since the last version (``_head``'s third part): an event's
        detail is then kept or not by a look-up here, not by a query of the log per kept detail per
        commit (with the bench's ingest, half the requests asked one: docs/performance.md, session 19)."""
        rows = self._head[2] if self._head else None
        if rows is None or len(self._ids) > MAX_IDS:
            self._ids.clear()
            self._null = -1
            self._followed = self._since = self._head[1] if self._head else None
            return
        for seq, event_id in rows:
            if event_id is None:
                self._null = seq
            else:
                self._ids[event_id] = seq
        self._followed = self._head[1]

    def _detail_changed(self, event_id: str, after: int) -> bool:
        """Whether a row of ``event_id`` (or one without an id) was logged after ``after``, from the ids
        followed; True when they do not reach back that far (the caller asks the log then)."""
        return self._since is None or after < self._since or \
            max(self._ids.get(event_id, -1), self._null) > after

    def get(self, key: tuple, at: Any) -> Entry | None:
        entry = self.entries.get(key) if at is not None else None
        if entry is None:
            return None
        if entry.at != at:
            if self._still_good(entry):
                entry.at, entry.seq = at, self.head()
            else:
                entry = self._recounted(key, entry, at)
                if entry is None:
                    return None
            self.kept += 1
        self.hits += 1
        return entry

    def _still_good(self, entry: Entry) -> bool:
        """Whether no change logged since ``entry`` was made can have changed it."""
        if entry.test is None or entry.seq is None or self.head() is None:
            return False
        lo = self._head[0]
        if entry.seq == self._head[1]:
            return True                      # the commits since changed no ledger event
        if lo is not None and lo > entry.seq + 1:
            return False                     # the rows after it were pruned: unknown
        if entry.test.event_id is not None and not self._detail_changed(entry.test.event_id, entry.seq):
            return True
        return not self.version.changed(entry.test, entry.seq)

    def _recounted(self, key: tuple, entry: Entry, at: Any) -> Entry | None:
        """A list page whose window no change reached, with its total counted again (and kept in
        ``entry``'s place); None (and ``entry`` forgotten) otherwise."""
        found = None
        if entry.page is not None and entry.seq is not None and self.head() is not None:
            found = self.version.recount(entry.page, entry.seq, entry.counted)
        fresh = entry if found is None else entry.with_total(found[1])
        if found is None or fresh is None:
            self._drop(key)
            return None
        fresh.at, fresh.seq, fresh.counted = at, found[0], found[1]
        if fresh is not entry:
            self.put(key, fresh)
        self.recounted += 1
        return fresh

    def put(self, key: tuple, entry: Entry) -> None:
        if self._bytes + entry.size > MAX_TOTAL:
            self._clear()
        self._drop(key)
        self.entries[key] = entry
        self._bytes += entry.size

    def _drop(self, key: tuple) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self._bytes -= old.size

    def _clear(self) -> None:
        self.entries.clear()
        self._bytes = 0
        self._ids.clear()
        self._null, self._since, self._followed = -1, None, None


class CacheMiddleware:
    """ASGI middleware (outermost, so it keeps the answer with its security headers and gzipped):
    sends a remembered answer, or a 304, or lets the app answer and remembers a 200."""

    def __init__(self, app, cache: ResponseCache):
        self.app = app
        self.cache = cache
        self.making: dict[tuple, asyncio.Event] = {}   # answers being made now, by key

    async def __call__(self, scope, receive, send):
        if not cacheable(scope):
            return await self.app(scope, receive, send)
        at = self.cache.current()
        if at is None:
            return await self.app(scope, receive, send)
        key = (scope["path"], scope["query_string"], "gzip" in _header(scope, b"accept-encoding"))
        inm = _header(scope, b"if-none-match")
        entry = self.cache.get(key, at)
        if entry is None and key in self.making:
            # the same answer is being made for another request: wait for it rather than make it twice
            # (after a commit, the clients asking the first page all missed at once)
            await self.making[key].wait()
            at = self.cache.current()
            if at is None:
                return await self.app(scope, receive, send)
            entry = self.cache.get(key, at)
        if entry is None:
            self.cache.misses += 1
            seq = self.cache.head()   # before the answer is made: it is at least this new
            state = scope.setdefault("state", {})
            done = self.making.setdefault(key, asyncio.Event())

            def release() -> None:   # the waiting requests go on: with this answer, or making their own
                if self.making.get(key) is done:
                    del self.making[key]
                    done.set()
            try:
                entry = await self._compute(scope, receive, send, release)
                if entry is None:
                    return            # answered already, not remembered (not a 200, or too big)
                entry.at, entry.seq, entry.test, entry.page = at, seq, state.get(TEST_KEY), state.get(PAGE_KEY)
                self.cache.put(key, entry)
            finally:
                release()
        await self._send(entry, inm, send)

    async def _send(self, entry: Entry, if_none_match: str, send) -> None:
        if if_none_match and entry.matches(if_none_match):
            self.cache.not_modified += 1
            keep = (b"etag", b"cache-control", b"vary", b"content-security-policy", b"x-content-type-options")
            await send({"type": "http.response.start", "status": 304,
                        "headers": [h for h in entry.headers if h[0].lower() in keep]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
        await send({"type": "http.response.body", "body": entry.body})

    async def _compute(self, scope, receive, send, release: Callable[[], None]) -> Entry | None:
        """Run the app, holding back a 200's answer to make its Entry; anything else (or an answer
        past ``MAX_ENTRY``) goes to the client as it comes, and None is returned (``release`` called
        first: no request waits on this client's download for an answer that will not be kept)."""
        start: dict | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False

        async def hold(message):
            nonlocal start, size, passing
            if passing:
                return await send(message)
            if message["type"] == "http.response.start":
                start = message
                passing = message["status"] != 200
                if passing:
                    release()
                return await send(message) if passing else None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_ENTRY:
                passing = True
                release()
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks),
                            "more_body": message.get("more_body", False)})

        await self.app(scope, receive, hold)
        if passing or start is None:
            return None
        return Entry(start["status"], list(start.get("headers", [])), b"".join(chunks))
