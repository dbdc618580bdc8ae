"""Fetching feeds and pages politely, and reading RSS 2.0, Atom and JSON Feed into entries.

Why this shape. A monitoring desk polls the same few hosts every few minutes for hours, so every
request is conditional (ETag, Last-Modified: an unchanged feed costs a 304 and no parsing), waits
its turn per host (``delay`` seconds between two requests to one host), retries only what may pass
later (429 with its Retry-After, 5xx, timeouts, dropped connections) with a growing back-off, and
refuses bodies over ``max_bytes`` while streaming, before they fill memory. Before the first request
to a host it reads that host's robots.txt (RFC 9309, Python's ``urllib.robotparser``) and fetches
nothing it disallows; its Crawl-delay, if longer, replaces ``delay`` for that host. XML feeds are
read by feedparser (which also survives most broken feeds); JSON Feed is JSON and read as such.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from claimledger import __version__
from claimledger.days import valid_date

USER_AGENT = f"claimledger/{__version__} (feed watcher; +https://example.invalid/claimledger)"
ROBOTS_AGENT = "claimledger"       # the name a robots.txt group addresses us by
RETRY_STATUS = {429, 500, 502, 503, 504}
ROBOTS_TTL = 24 * 3600.0           # RFC 9309: a robots.txt should not be kept longer than a day
ROBOTS_RETRY = 60.0                # an unreadable robots.txt is asked again after this long
ROBOTS_MAX_BYTES = 512_000         # RFC 9309: at least 500 KiB must be read
MAX_CRAWL_DELAY = 60.0


@dataclass
class Fetched:
    """One GET: the body (None on 304 or failure), the validators to send next time, or why it failed."""

    url: str
    status: int = 0                 # HTTP status; 0 when no response came
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    error: str | None = None
    attempts: int = 1
    refused: bool = False           # not fetched because the host's robots.txt says not to

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Entry:
    """A feed item: its stable key (the guid, else the link), where to read it, and what the feed says."""

    key: str
    link: str | None = None
    title: str | None = None
    published: str | None = None    # YYYY-MM-DD
    content: str | None = None      # HTML or text the feed itself carries (used when there is no link)
    outlet: str | None = None       # the feed's title: the outlet, unless the page names its own


@dataclass
class ParsedFeed:
    entries: list[Entry] = field(default_factory=list)
    title: str | None = None
    error: str | None = None        # the feed could not be read at all
    warning: str | None = None      # read, but the XML was broken (feedparser recovered what it could)


class Fetcher:
    """HTTP GETs with per-host politeness, conditional requests, retries, a size limit and timeouts."""

    def __init__(self, *, timeout: float = 20.0, max_bytes: int = 5_000_000, delay: float = 1.0,
                 retries: int = 3, backoff: float = 1.0, max_wait: float = 60.0, sleep=time.sleep,
                 clock=time.monotonic, robots: bool = True):
        import httpx

        self.timeout, self.max_bytes, self.delay, self.robots = timeout, max_bytes, delay, robots
        self._robots: dict[str, tuple[float, object]] = {}   # host -> (expires, parser | reason it is unreadable)
        self._host_delay: dict[str, float] = {}
        self.retries, self.backoff, self.max_wait = retries, backoff, max_wait
        self._sleep, self._clock = sleep, clock
        self._last: dict[str, float] = {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                                    follow_redirects=True, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The response to a GET of ``url``, after up to ``retries`` retries of what may pass later;
        a URL its host's robots.txt disallows is not requested (``refused``)."""
        if urlsplit(url).scheme not in ("http", "https"):
            return Fetched(url, error="not an http(s) URL")
        if self.robots:
            why, final = self._robots_refusal(url)
            if why:
                return Fetched(url, error=why, refused=final)
        return self._get(url, etag, last_modified)

    def _get(self, url: str, etag: str | None = None, last_modified: str | None = None,
             max_bytes: int | None = None) -> Fetched:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            attempt += 1
            self._wait_turn(url)
            got, retry_after = self._once(url, headers, max_bytes or self.max_bytes)
            got.attempts = attempt
            retryable = got.status in RETRY_STATUS or (got.status == 0 and got.error and "over the" not in got.error)
            if not retryable or attempt > self.retries:
                return got
            wait = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
            self._sleep(min(max(wait, 0.0), self.max_wait))

    def _robots_refusal(self, url: str) -> tuple[str | None, bool]:
        """Why ``url`` may not be fetched (its host's robots.txt), or None; and whether that is final.

        As RFC 9309 says: a robots.txt that is missing or refused (4xx) allows everything; one that
        cannot be read (5xx, 429, timeout) allows nothing until it can, so the items wait and are
        retried rather than fetched against the site's unknown wishes."""
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc.lower()}"
        expires, rules = self._robots.get(host, (0.0, None))
        if self._clock() >= expires:
            robots_url = host + "/robots.txt"
            got = self._get(robots_url, max_bytes=ROBOTS_MAX_BYTES)
            if got.status == 200 and got.body is not None:
                rules = RobotFileParser(robots_url)
                rules.parse(got.body.decode("utf-8", "replace").splitlines())
                delay = rules.crawl_delay(ROBOTS_AGENT)
                if delay:
                    self._host_delay[parts.netloc.lower()] = min(float(delay), MAX_CRAWL_DELAY)
                ttl = ROBOTS_TTL
            elif 400 <= got.status < 500 and got.status != 429:
                rules, ttl = None, ROBOTS_TTL
            else:
                rules = f"its robots.txt could not be read ({got.error or f'HTTP {got.status}'})"
                ttl = ROBOTS_RETRY
            self._robots[host] = (self._clock() + ttl, rules)
        if rules is None:
            return None, False
        if isinstance(rules, str):
            return f"not fetched: {rules}", False
        if not rules.can_fetch(ROBOTS_AGENT, url):
            return f"not fetched: {host}/robots.txt disallows it for {ROBOTS_AGENT}", True
        return None, False

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            gap = max(self.delay, self._host_delay.get(host, 0.0)) - (self._clock() - last)
            if gap > 0:
                self._sleep(gap)
        self._last[host] = self._clock()

    def _once(self, url: str, headers: dict, max_bytes: int) -> tuple[Fetched, float | None]:
        import httpx

        start = self._clock()
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                got = Fetched(url, status=r.status_code, etag=r.headers.get("etag"),
                              last_modified=r.headers.get("last-modified"),
                              content_type=r.headers.get("content-type", ""))
                retry_after = _retry_after(r.headers.get("retry-after"))
                if r.status_code != 200:
                    got.error = None if r.status_code == 304 else f"HTTP {r.status_code} {r.reason_phrase}".strip()
                    return got, retry_after
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    return _too_big(got, int(declared), max_bytes), None
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return _too_big(got, size, max_bytes), None
                    if self._clock() - start > 3 * self.timeout:
                        got.status, got.error = 0, f"too slow: no full body after {3 * self.timeout:g} s"
                        return got, None
                    chunks.append(chunk)
                got.body = b"".join(chunks)
                return got, None
        except httpx.TimeoutException:
            return Fetched(url, error=f"timed out after {self.timeout:g} s"), None
        except httpx.HTTPError as exc:
            return Fetched(url, error=f"{type(exc).__name__}: {exc}"[:300]), None


def _too_big(got: Fetched, size: int, limit: int) -> Fetched:
    got.status, got.body = 0, None
    got.error = f"body is over the {limit:,}-byte limit (at least {size:,} bytes)"
    return got


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number, or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def parse_feed(body: bytes, content_type: str = "") -> ParsedFeed:
    """Entries of an RSS 2.0, Atom or JSON Feed document, newest last (the order to ingest them in)."""
    head = body.lstrip()[:1]
    if head in (b"{", b"[") or "json" in content_type.lower():
        feed = _parse_json_feed(body)
    else:
        feed = _parse_xml_feed(body)
    feed.entries.sort(key=lambda e: (e.published or "", ))
    return feed


def _parse_xml_feed(body: bytes) -> ParsedFeed:
    import feedparser

    parsed = feedparser.parse(body)
    title = parsed.feed.get("title") or None
    entries = []
    for e in parsed.entries:
        link = e.get("link") or None
        key = e.get("id") or link
        if not key:
            continue
        content = None
        if e.get("content"):
            content = e["content"][0].get("value")
        content = content or e.get("summary") or None
        when = e.get("published_parsed") or e.get("updated_parsed")
        published = dt.date(*when[:3]).isoformat() if when else None
        entries.append(Entry(key=str(key)[:1000], link=link, title=e.get("title") or None, published=published,
                             content=content, outlet=title))
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        exc = parsed.get("bozo_exception")
        why = _short(exc) if exc is not None else "no RSS or Atom root element"
        return ParsedFeed(title=title, error=f"not a readable RSS or Atom feed ({why})")
    warning = f"broken XML, {len(entries)} entries recovered ({_short(parsed.get('bozo_exception'))})" \
        if parsed.get("bozo") else None
    return ParsedFeed(entries=entries, title=title, warning=warning)


def _short(exc) -> str:
    text = str(exc) if exc is not None else "unknown error"
    return (text.splitlines() or ["?"])[0][:160]


def _parse_json_feed(body: bytes) -> ParsedFeed:
    from claimledger.ingest.safe import parse_json

    try:
        data = parse_json(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return ParsedFeed(error=f"JSON Feed is not valid UTF-8 (byte {exc.start})")
    if isinstance(data, str):
        return ParsedFeed(error=f"not a readable JSON Feed ({data})")
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return ParsedFeed(error='not a JSON Feed (no "items" list)')
    title = data.get("title") if isinstance(data.get("title"), str) else None
    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") if isinstance(item.get("url"), str) else None
        key = item.get("id") if isinstance(item.get("id"), str | int) else link
        if key is None:
            continue
        content = next((item[k] for k in ("content_html", "content_text") if isinstance(item.get(k), str)), None)
        published = item.get("date_published") if isinstance(item.get("date_published"), str) else None
        entries.append(Entry(key=str(key)[:1000], link=link, title=item.get("title") if isinstance(
            item.get("title"), str) else None, published=valid_date(published), content=content, outlet=title))
    return ParsedFeed(entries=entries, title=title)


def entry_json(e: Entry) -> str:
    return json.dumps({"title": e.title, "published": e.published, "content": e.content, "outlet": e.outlet},
                      ensure_ascii=False)


def entry_from_json(key: str, link: str | None, data: str | None) -> Entry:
    d = json.loads(data) if data else {}
    return Entry(key=key, link=link, title=d.get("title"), published=d.get("published"), content=d.get("content"),
                 outlet=d.get("outlet"))
