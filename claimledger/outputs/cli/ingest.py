"""``claimledger ingest``: extract reports and add them to the ledger, merged and reconciled.

Also home of the two helpers every ledger command shares (``--db`` and opening the store), so
that the option reads the same in ``ingest``, ``events``, ``show``, ``export`` and ``status``.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import zlib

from claimledger.outputs.cli.common import (
    add_input_arguments,
    add_nice_argument,
    iter_outcomes,
    lower_priority,
)
from claimledger.outputs.cli.main import UserError


def add_db_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL",
                   help="the ledger: a SQLAlchemy URL (sqlite:///ledger.db, postgresql://user@host/db) or a file "
                        "path; default $CLAIMLEDGER_DB, else claimledger.db in this folder")


def open_store(args, create: bool = False):
    """The store named by ``--db``; a bad URL, unwritable path or newer schema is a UserError."""
    from claimledger.ledger.errors import StoreError
    from claimledger.ledger.store import Store

    try:
        return Store.open(getattr(args, "db", None), create=create)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def register(sub) -> None:
    p = sub.add_parser(
        "ingest", help="extract reports and add them to the event ledger (merged across outlets, reconciled)",
        description="Extract claims and events from reports and store them in the ledger: documents, claims, "
                    "places and events, with each report's events merged into ledger events across outlets and "
                    "their tolls reconciled (low/best/high with reasons). One transaction per document: an "
                    "interrupted ingest keeps every finished document, and running it again adds the rest "
                    "(documents already stored are skipped). Reports that cannot be extracted are recorded "
                    "with their reason (see `claimledger status`).",
        epilog="examples:\n"
               "  claimledger ingest reports/\n"
               "  claimledger ingest news.jsonl.gz --db postgresql://me@localhost/ledger --workers 4\n"
               "  claimledger extract a.txt --format jsonl > a.jsonl && claimledger ingest --records a.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    add_db_argument(p)
    p.add_argument("--records", action="store_true",
                   help="PATHs hold `claimledger extract --format jsonl` records: store them without extracting "
                        "again (no bodies are stored then)")
    add_nice_argument(p)
    p.set_defaults(func=run)


def _read_records(paths: list[str]):
    """(origin, DocResult or error) for each line of extract-output files.

    Read as bytes and decoded line by line, so a bad byte, a corrupt .gz or a line nested 100,000
    deep fails that line (or the rest of that file) with its origin, never the batch."""
    from claimledger.ingest.safe import parse_json
    from claimledger.records import DocResult
    from claimledger.serialise import from_dict

    for path in paths:
        try:
            fh = gzip.open(path, "rb") if path.endswith(".gz") else \
                (sys.stdin.buffer if path == "-" else open(path, "rb"))
        except OSError as exc:
            yield path, f"cannot read ({exc.strerror})"
            continue
        n = 0
        try:
            with fh:
                for n, raw in enumerate(fh, 1):
                    if raw.strip():
                        yield f"{path}:{n}", _record(raw, parse_json, from_dict, DocResult)
        except (OSError, EOFError, zlib.error) as exc:
            yield f"{path}:{n + 1}", f"cannot read the rest of the file ({getattr(exc, 'strerror', None) or exc or type(exc).__name__})"


def _record(raw: bytes, parse_json, from_dict, doc_result):
    try:
        data = parse_json(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return f"not a claimledger extract record (not valid UTF-8 at byte {exc.start})"
    if isinstance(data, str):
        return f"not a claimledger extract record ({data})"
    try:
        if not isinstance(data, dict) or not isinstance(data.get("doc"), dict):
            raise ValueError('no "doc" object')
        result = from_dict(doc_result, data)
        if result.doc is None or not result.doc.id or not isinstance(result.doc.id, str):
            raise ValueError("no doc.id")
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        return f"not a claimledger extract record ({type(exc).__name__ if isinstance(exc, RecursionError) else exc})"
    return result


def run(args) -> int:
    from claimledger.ledger.errors import StoreError

    lower_priority(args)
    store = open_store(args, create=True)
    added = skipped = failed = 0
    try:
        with store.batch() as batch:   # group commit; flushed before waiting on the workers
            added, skipped, failed = _store_all(args, store, batch)
        summary = store.summary()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    if not getattr(args, "quiet", False):
        more = "; see `claimledger status`" if failed else ""
        print(f"ledger {store.safe_url}: {added} documents added, {skipped} already there, {failed} failed{more}; "
              f"{summary['events']} ledger events from {summary['documents']} documents", file=sys.stderr)
    # As extract and the README: 1 when any input failed (each is recorded, the rest is stored).
    return 1 if failed else 0


def _store_all(args, store, batch) -> tuple[int, int, int]:
    """Store every input; (added, skipped, failed)."""
    from claimledger.ledger.errors import StoreError
    from claimledger.ledger.identity import input_hash

    added = skipped = failed = 0
    if args.records:
        stream = _read_records(args.paths)
    else:
        known = store.known_input_hashes()
        already = [0]

        def stored(article) -> bool:
            # a rerun (after a crash, or of the same folder) skips, without extracting, every
            # input whose text is stored already, whatever id or file name it has now
            h = input_hash(article.text)
            if h in known:
                already[0] += 1
                # another outlet's word-for-word copy: that outlet carried the story too
                store.note_reprint(h, article.outlet, article.origin, article.url, article.published)
                return True
            return False

        stream = ((o.origin, o) for o in iter_outcomes(args, skip=stored, for_ledger=True, idle=batch.flush))
    for origin, item in stream:
        if isinstance(item, str):
            store.record_failure(origin, item)
            print(f"claimledger: {origin}: {item}", file=sys.stderr)
            failed += 1
            continue
        if hasattr(item, "result"):   # an Outcome of extraction
            if item.error or item.result is None:
                store.record_failure(origin, item.error or "no result")
                failed += 1
                continue
            result, body = item.result, getattr(item, "body", None)
            article = getattr(item, "article", None)
            source_id = article.id if article is not None else None
            ihash = input_hash(article.text) if article is not None else None
        else:
            result, body, source_id, ihash = item, None, None, None
        try:
            report = store.ingest(result, body=body, origin=origin, source_id=source_id, input_hash=ihash,
                                  fingerprint=getattr(item, "fingerprint", None))
        except StoreError:
            raise
        except Exception as exc:  # a record the store cannot take: recorded, the batch goes on
            store.record_failure(origin, f"could not be stored ({type(exc).__name__}: {exc})",
                                 doc_id=result.doc.id if result.doc else None)
            print(f"claimledger: {origin}: could not be stored ({type(exc).__name__}: {exc})", file=sys.stderr)
            failed += 1
            continue
        if report.id_taken:
            print(f"claimledger: {origin}: warning: id {report.id_taken!r} already names another text in the "
                  f"ledger; stored as document {report.doc_id}", file=sys.stderr)
        if report.same_text_as:
            print(f"claimledger: {origin}: same text as document {report.same_text_as} already in the ledger; "
                  "not counted again", file=sys.stderr)
        if report.skipped:
            skipped += 1
        else:
            added += 1
    if not args.records:
        skipped += already[0]
    return added, skipped, failed
