"""The watch loop: poll every source, store each new item once, one summary line per cycle.

Why it is built this way. The loop holds no state a crash could lose: a feed's new entries and its
validators are committed together (``ledger/feedlist.py``), each item's document is committed by
the same ``Store.ingest`` that ``claimledger ingest`` uses (so the text-identity and dedup rules
are the same), and only then is the item marked done. Killed at any instant, the next run re-reads
what is pending and skips, without extracting, any text already stored. One item that cannot be
fetched or read is recorded with its reason (``claimledger status``) and retried on later cycles
up to ``max_attempts``; it never stops the loop.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from claimledger.errors import InputError
from claimledger.ingest import feeds as feedio
from claimledger.ledger import feedlist
from claimledger.records import Article

SETTLE_SECONDS = 2.0   # a file modified this recently may still be being written: next cycle


@dataclass
class CycleReport:
    new: int = 0           # items stored as new documents
    known: int = 0         # items whose text the ledger already had
    claims: int = 0
    events: int = 0
    failed: int = 0        # item attempts that failed this cycle
    feeds_failed: int = 0
    unchanged: int = 0     # feeds that answered 304
    reprints: int = 0      # of the known: another outlet's word-for-word copy, recorded with its story
    notes: list[str] = field(default_factory=list)

    def line(self, n: int, sources: int) -> str:
        from claimledger.ledger.rows import utc_now

        feeds = f"{sources} sources" + (f", {self.unchanged} unchanged" if self.unchanged else "") + \
            (f", {self.feeds_failed} unreadable" if self.feeds_failed else "")
        return (f"{utc_now()} cycle {n}: {self.new} new items, {self.claims} claims, {self.events} events, "
                f"{self.failed} failures" + (f", {self.known} already stored" if self.known else "") +
                (f" ({self.reprints} reprinted by another outlet)" if self.reprints else "") + f" ({feeds})")


@dataclass
class _Open:
    """One item whose articles are being extracted: it is marked when the last comes back."""

    feed: feedlist.Feed
    item: feedlist.Item
    waiting: int = 0
    failures: list[InputError] = field(default_factory=list)
    doc_id: str | None = None
    refused: bool = False    # its host's robots.txt disallows it: given up at once


class Watcher:
    """Polls the ledger's sources; ``cycle()`` does one pass over all of them.

    Fetching and storing stay in this process (one host's requests must be spaced, and the ledger
    has one writer); extraction, the costly part, runs on ``workers`` processes when there are
    more than one, in input order, so the ledger is the same as with one."""

    def __init__(self, store, fetcher: feedio.Fetcher, *, max_attempts: int = 3,
                 log: Callable[[str], None] | None = None, process: Callable | None = None,
                 only: set[int] | None = None, workers: int = 1):
        from claimledger.runner import process as run_one

        self.store, self.fetcher, self.max_attempts = store, fetcher, max_attempts
        self.only = only   # feed ids to watch (None: every source in the ledger)
        self.log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self.process = process or run_one
        self.workers = workers
        self._pool = None   # started on the first cycle with work, kept for the next ones
        self._known = store.known_input_hashes()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def cycle(self) -> CycleReport:
        report = CycleReport()
        owners: deque[_Open] = deque()   # the item of each article sent to extraction, in order
        articles = self._articles(report, owners)
        for outcome in self._extract(articles):
            job = owners.popleft()
            error, doc_id = self._store(outcome, report)
            if error:
                job.failures.append(InputError(outcome.origin, error))
            job.doc_id = doc_id or job.doc_id
            job.waiting -= 1
            if job.waiting == 0:
                self._finish(job, report)
        return report

    def _extract(self, articles):
        if self.workers <= 1:
            return (self.process(a) for a in articles)
        from claimledger.scale import local

        if self._pool is None:
            self._pool = local.start_pool(self.workers)
        return local.run_pool(articles, self.workers, batch_size=1, pool=self._pool)

    def _articles(self, report: CycleReport, owners: deque):
        """Every article still to extract, source by source; an item with nothing to extract (all
        known, or failed before extraction) is marked here."""
        for feed in self.sources():
            try:
                if feed.kind == "folder":
                    self._scan_folder(feed, report)
                else:
                    self._poll_feed(feed, report)
                items = feedlist.open_items(self.store.engine, feed.id, self.max_attempts)
            except Exception as exc:  # a bug on one source must not stop the desk
                report.feeds_failed += 1
                self.log(f"claimledger watch: {feed.url}: source failed ({type(exc).__name__}: {exc})")
                continue
            for item in items:
                job = _Open(feed, item)
                try:
                    arts = self._read_item(job)
                except Exception as exc:  # a reader bug on one item is that item's failure
                    arts = [InputError(item.link or item.key, f"could not be read ({type(exc).__name__}: {exc})")]
                for art in arts:
                    if isinstance(art, InputError):
                        job.failures.append(art)
                    elif not self._already_stored(art, report):
                        job.waiting += 1
                        owners.append(job)
                        yield art
                if job.waiting == 0:
                    self._finish(job, report)

    # ------------------------------------------------------------------ sources

    def sources(self) -> list[feedlist.Feed]:
        return [f for f in feedlist.list_all(self.store.engine) if self.only is None or f.id in self.only]

    def _poll_feed(self, feed: feedlist.Feed, report: CycleReport) -> None:
        got = self.fetcher.get(feed.url, feed.etag, feed.last_modified)
        if got.not_modified:
            report.unchanged += 1
            feedlist.record_fetch(self.store.engine, feed.id, [], etag=None, last_modified=None,
                                  status="304 not modified", keep_validators=True)
            return
        if got.body is None:
            self._feed_failed(feed, report, got.error or f"HTTP {got.status}")
            return
        parsed = feedio.parse_feed(got.body, got.content_type)
        if parsed.error:
            self._feed_failed(feed, report, parsed.error)
            return
        if parsed.warning:
            self.log(f"claimledger watch: {feed.url}: warning: {parsed.warning}")
        known = feedlist.known_keys(self.store.engine, feed.id)
        new = [(e.key, e.link, feedio.entry_json(e)) for e in parsed.entries if e.key not in known]
        feedlist.record_fetch(self.store.engine, feed.id, new, etag=got.etag, last_modified=got.last_modified,
                              status=f"{len(parsed.entries)} entries, {len(new)} new", keep_validators=False)

    def _feed_failed(self, feed: feedlist.Feed, report: CycleReport, reason: str) -> None:
        # validators kept: a feed that failed is fetched in full next time
        report.feeds_failed += 1
        self.log(f"claimledger watch: {feed.url}: feed not read: {reason}")
        feedlist.record_fetch(self.store.engine, feed.id, [], etag=None, last_modified=None,
                              status=f"failed: {reason}", keep_validators=True)

    def _scan_folder(self, feed: feedlist.Feed, report: CycleReport) -> None:
        from claimledger.ingest.readers import READABLE

        if not os.path.isdir(feed.url):
            self._feed_failed(feed, report, "folder not found")
            return
        known = feedlist.known_keys(self.store.engine, feed.id)
        now, new = time.time(), []
        for root, dirs, files in os.walk(feed.url):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, feed.url)
                if name.startswith(".") or not name.lower().endswith(READABLE) or rel in known:
                    continue
                try:
                    if now - os.path.getmtime(path) < SETTLE_SECONDS:
                        continue
                except OSError:
                    continue
                new.append((rel, path, None))
        feedlist.record_fetch(self.store.engine, feed.id, new, etag=None, last_modified=None,
                              status=f"{len(new)} new files", keep_validators=True)

    # ------------------------------------------------------------------ items

    def _finish(self, job: _Open, report: CycleReport) -> None:
        item = job.item
        if not job.failures:
            feedlist.mark(self.store.engine, item, feedlist.DONE, doc_id=job.doc_id, max_attempts=self.max_attempts)
            return
        reason = "; ".join(f.message for f in job.failures)[:900]
        state = feedlist.mark(self.store.engine, item, feedlist.GIVEN_UP if job.refused else feedlist.FAILED,
                              reason=reason, max_attempts=self.max_attempts)
        then = "given up" if state == feedlist.GIVEN_UP else "will retry"
        for f in job.failures:
            self.store.record_failure(f.origin, f.message)
            attempt = "" if job.refused else f"attempt {item.attempts + 1} of {self.max_attempts}, "
            self.log(f"claimledger watch: {f.origin}: {f.message} ({attempt}{then})")
        report.failed += 1

    def _read_item(self, job: _Open) -> list[Article | InputError]:
        from claimledger.ingest.readers import read_blob, read_path

        feed, item = job.feed, job.item
        if feed.kind == "folder":
            return list(read_path(item.link or os.path.join(feed.url, item.key)))
        entry = feedio.entry_from_json(item.key, item.link, item.entry)
        origin = entry.link or f"{feed.url}#{entry.key}"
        if entry.link:
            got = self.fetcher.get(entry.link)
            if got.body is None:
                job.refused = got.refused
                return [InputError(origin, got.error or f"HTTP {got.status}")]
            data, kind = got.body, "html" if "html" in got.content_type.lower() else "text"
        elif entry.content:
            data, kind = entry.content.encode("utf-8"), "html"
        else:
            return [InputError(origin, "feed entry has neither a link nor content")]
        out = []
        for art in read_blob(data, origin, entry.published, kind):
            if isinstance(art, Article):
                art.outlet = art.outlet or entry.outlet
                art.title = art.title or entry.title
                art.url = art.url or entry.link
            out.append(art)
        return out

    def _already_stored(self, article: Article, report: CycleReport) -> bool:
        """A text the ledger has (the same page in two feeds, or a wire text another outlet ran
        word for word) is not extracted again; another outlet's copy is recorded as a reprint."""
        from claimledger.ledger.identity import input_hash

        ihash = input_hash(article.text)
        if ihash not in self._known:
            return False
        report.known += 1
        if self.store.note_reprint(ihash, article.outlet, article.origin, article.url, article.published):
            report.reprints += 1
        return True

    def _store(self, outcome, report: CycleReport) -> tuple[str | None, str | None]:
        """Ingest one extracted article as ``claimledger ingest`` does; (error, doc id)."""
        from claimledger.ledger.errors import StoreError
        from claimledger.ledger.identity import input_hash

        article = outcome.article
        if outcome.error or outcome.result is None:
            return outcome.error or "no result", None
        ihash = input_hash(article.text) if article is not None else None
        try:
            rep = self.store.ingest(outcome.result, body=outcome.body, origin=outcome.origin,
                                    source_id=article.id if article is not None else None, input_hash=ihash)
        except StoreError:
            raise
        except Exception as exc:  # a record the store cannot take: this item's failure
            return f"could not be stored ({type(exc).__name__}: {exc})", None
        if ihash:
            self._known.add(ihash)
        if rep.skipped:
            report.known += 1
            report.reprints += int(rep.reprint)
        else:
            report.new += 1
            report.claims += rep.claims
            report.events += rep.events
        return None, rep.doc_id


def run_forever(watcher: Watcher, every: float, *, cycles: int | None = None,
                out: Callable[[str], None] | None = None, sleep=time.sleep) -> int:
    """Cycles every ``every`` seconds (``cycles``: stop after that many); the number of failed items."""
    out = out or (lambda s: print(s, flush=True))
    n = failed = 0
    while cycles is None or n < cycles:
        n += 1
        start = time.monotonic()
        rep = watcher.cycle()
        failed += rep.failed + rep.feeds_failed
        sources = len(watcher.sources())
        out(rep.line(n, sources))
        if cycles is not None and n >= cycles:
            break
        sleep(max(0.0, every - (time.monotonic() - start)))
    return failed
