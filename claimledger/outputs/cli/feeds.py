"""``claimledger feeds add|list|remove``: the sources ``claimledger watch`` polls, kept in the ledger.

Also where a SOURCE argument is understood (shared with ``watch``): a feed URL, a file listing feed
URLs one a line (``#`` comments), or a folder whose new files are read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError


def resolve_sources(values: list[str]) -> list[tuple[str, str]]:
    """(url or absolute folder path, kind) for each SOURCE; a SOURCE that is none of them is a UserError."""
    out: list[tuple[str, str]] = []
    for value in values:
        if value.lower().startswith(("http://", "https://")):
            out.append((value, "feed"))
        elif os.path.isdir(value):
            out.append((os.path.abspath(value), "folder"))
        elif os.path.isfile(value):
            out += _url_file(value)
        else:
            raise UserError(f"{value}: not a feed URL (http:// or https://), a file of URLs or a folder")
    return out


def _url_file(path: str) -> list[tuple[str, str]]:
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the list of feed URLs ({exc})") from None
    urls = []
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        if not line.lower().startswith(("http://", "https://")):
            raise UserError(f"{path}:{n}: {line[:80]!r} is not a feed URL (one http(s) URL a line, # comments)")
        urls.append((line, "feed"))
    if not urls:
        raise UserError(f"{path}: no feed URLs in the file (one http(s) URL a line)")
    return urls


def register(sub) -> None:
    p = sub.add_parser(
        "feeds", help="add, list or remove the feeds and folders that `claimledger watch` polls",
        description="Manage the sources `claimledger watch` polls, kept in the ledger with their cursors "
                    "(what has been read, the feed's ETag and Last-Modified). Removing a source forgets its "
                    "cursor; the documents it brought stay in the ledger.",
        epilog="examples:\n"
               "  claimledger feeds add https://example.org/world/rss.xml feeds.txt incoming/\n"
               "  claimledger feeds list\n"
               "  claimledger feeds remove https://example.org/world/rss.xml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    fsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = fsub.add_parser("add", help="add feed URLs, files of URLs or folders")
    add.add_argument("sources", nargs="+", metavar="SOURCE")
    rm = fsub.add_parser("remove", help="remove sources and their cursors")
    rm.add_argument("sources", nargs="+", metavar="SOURCE")
    ls = fsub.add_parser("list", help="the sources, their last fetch and how many items each has brought")
    ls.add_argument("--format", choices=["text", "json"], default="text")
    for q in (add, rm, ls):
        add_db_argument(q)
    p.set_defaults(func=run)


def run(args) -> int:
    from claimledger.ledger import feedlist

    store = open_store(args, create=args.action == "add")
    try:
        if args.action == "list":
            _print_list(feedlist.list_all(store.engine), args.format)
            return 0
        if args.action == "add":
            for url, kind in resolve_sources(args.sources):
                _feed, added = feedlist.add(store.engine, url, kind)
                print(f"{'added' if added else 'already watched'}: {url} ({kind})", file=sys.stderr)
            return 0
        missing = 0
        for value in args.sources:
            url = os.path.abspath(value) if os.path.isdir(value) else value
            if feedlist.remove(store.engine, url):
                print(f"removed: {url}", file=sys.stderr)
            else:
                print(f"claimledger feeds: {value}: not in the list (see `claimledger feeds list`)", file=sys.stderr)
                missing += 1
        return 1 if missing else 0
    finally:
        store.close()


def _print_list(feeds, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps([f.__dict__ for f in feeds], ensure_ascii=False, indent=2) + "\n")
        return
    if not feeds:
        print("no sources; add some with `claimledger feeds add URL|FILE|FOLDER`")
        return
    for f in feeds:
        print(f"{f.url}  ({f.kind}) {f.done} stored, {f.waiting} waiting, {f.given_up} given up; "
              f"last checked {f.checked_at or 'never'}: {f.status or '-'}")
