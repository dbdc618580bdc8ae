"""``claimledger watch``: poll feeds and folders until stopped, storing each new item once."""

from __future__ import annotations

import argparse
import re
import sys

from claimledger.outputs.cli.common import add_nice_argument, lower_priority
from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError

_UNITS = {"s": 1, "m": 60, "h": 3600}


def duration(value: str) -> float:
    """Seconds from ``1s``, ``30s``, ``5m``, ``2h`` or a bare number of seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", value.lower())
    if not m or float(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a duration such as 1s, 30s, 5m or 2h")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def size(value: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([kmg]?)b?\s*", value.lower())
    if not m or int(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size such as 500k or 5MB")
    return int(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}[m.group(2)]


def register(sub) -> None:
    p = sub.add_parser(
        "watch", help="poll RSS/Atom/JSON feeds and folders until stopped; store each new report once",
        description="Watch sources continuously: every --every, fetch each feed (conditionally: an unchanged "
                    "feed costs a 304), read each new item's page (main text by trafilatura, as `extract` does "
                    "for HTML) and store it as `claimledger ingest` does: merged, reconciled, syndicated copies "
                    "of one wire story grouped. A SOURCE is an RSS 2.0, Atom or JSON Feed URL, a file of such "
                    "URLs (one a line) or a folder whose new files are read. Sources are added to the ledger's "
                    "list (`claimledger feeds`); with no SOURCE every listed source is watched. The cursor of "
                    "each source is kept in the ledger, so the watcher can be stopped or killed at any moment "
                    "and resumes without duplicates or gaps. One line is printed per cycle; an item that fails "
                    "is reported with its reason and retried on later cycles (--max-attempts), never stopping "
                    "the loop.",
        epilog="examples:\n"
               "  claimledger watch https://example.org/world/rss.xml --every 5m\n"
               "  claimledger watch feeds.txt incoming/ --db postgresql://me@localhost/ledger\n"
               "  claimledger watch --once            # one pass over every listed source, then exit",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="feed URL, file of feed URLs, or folder")
    p.add_argument("--every", type=duration, default=300.0, metavar="DURATION",
                   help="time between the starts of two cycles (1s, 30s, 5m; default 5m)")
    p.add_argument("--once", action="store_true", help="run one cycle and exit (exit 1 if anything failed)")
    p.add_argument("--delay", type=duration, default=1.0, metavar="DURATION",
                   help="least time between two requests to one host (default 1s)")
    p.add_argument("--timeout", type=duration, default=20.0, metavar="DURATION",
                   help="network timeout of one request (default 20s)")
    p.add_argument("--max-bytes", type=size, default=5_000_000, metavar="SIZE",
                   help="largest feed or page read (default 5MB); larger ones fail as that item's error")
    p.add_argument("--retries", type=int, default=3, metavar="N",
                   help="retries of a request answered 429 or 5xx, or timed out, with growing back-off "
                        "(default %(default)s)")
    p.add_argument("--max-attempts", type=int, default=3, metavar="N",
                   help="cycles an item is tried in before it is given up (default %(default)s)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="processes to extract with (default 1: a desk's few new items a cycle do not pay for "
                        "more; use 2-4 for a backlog). Fetching and storing stay in one process, so the ledger "
                        "is identical for any N; the workers live for the whole run")
    p.add_argument("--ignore-robots", action="store_true",
                   help="fetch pages even where the host's robots.txt disallows it (only for sites that gave "
                        "you permission; by default a disallowed item is logged and given up)")
    add_db_argument(p)
    add_nice_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        import feedparser  # noqa: F401
        import httpx  # noqa: F401
    except ImportError as exc:
        raise UserError(f"watch needs the watch extra: pip install 'claimledger[watch]' ({exc})") from None
    from claimledger.ingest.feeds import Fetcher
    from claimledger.ingest.watch import Watcher, run_forever
    from claimledger.ledger import feedlist
    from claimledger.ledger.errors import StoreError
    from claimledger.outputs.cli.feeds import resolve_sources

    if args.retries < 0 or args.max_attempts < 1 or args.workers < 1:
        raise UserError("--retries must be 0 or more, --max-attempts and --workers at least 1")
    sources = resolve_sources(args.sources)
    lower_priority(args)
    store = open_store(args, create=True)
    fetcher = Fetcher(timeout=args.timeout, max_bytes=args.max_bytes, delay=args.delay, retries=args.retries,
                      robots=not args.ignore_robots)
    watcher = None
    try:
        only = {feedlist.add(store.engine, url, kind)[0].id for url, kind in sources} if sources else None
        watcher = Watcher(store, fetcher, max_attempts=args.max_attempts, only=only, workers=args.workers)
        if not watcher.sources():
            raise UserError("nothing to watch: give a SOURCE, or add sources with `claimledger feeds add`")
        print(f"claimledger watch: {len(watcher.sources())} sources into {store.safe_url}, every "
              f"{args.every:g} s{'' if not args.once else ' (one cycle)'}"
              f"{f', extracting on {args.workers} processes' if args.workers > 1 else ''}; stop with Ctrl-C",
              file=sys.stderr,
              flush=True)
        failed = run_forever(watcher, args.every, cycles=1 if args.once else None)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        if watcher is not None:
            watcher.close()
        fetcher.close()
        store.close()
    return 1 if failed else 0
