"""``claimledger ingest``: extract reports and add them to the ledger, merged and reconciled.

Also home of the two helpers every ledger command shares (``--db`` and opening the store), so
that the option reads the same in ``ingest``, ``events``, ``show``, ``export`` and ``status``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys

from claimledger.outputs.cli.common import add_input_arguments, iter_outcomes
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
    p.set_defaults(func=run)


def _read_records(paths: list[str]):
    """(origin, DocResult or error) for each line of extract-output files."""
    from claimledger.records import DocResult
    from claimledger.serialise import from_dict

    for path in paths:
        try:
            fh = gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else \
                (sys.stdin if path == "-" else open(path, encoding="utf-8"))
        except OSError as exc:
            yield path, f"cannot read ({exc.strerror})"
            continue
        with fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                origin = f"{path}:{n}"
                try:
                    data = json.loads(line)
                    if not isinstance(data, dict) or not isinstance(data.get("doc"), dict):
                        raise ValueError('no "doc" object')
                    result = from_dict(DocResult, data)
                    if result.doc is None or not result.doc.id:
                        raise ValueError("no doc.id")
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    yield origin, f"not a claimledger extract record ({exc})"
                    continue
                yield origin, result


def run(args) -> int:
    from claimledger.ledger.errors import StoreError

    store = open_store(args, create=True)
    added = skipped = failed = 0
    try:
        if args.records:
            stream = _read_records(args.paths)
        else:
            known = store.known_source_ids()
            already = [0]

            def stored(article) -> bool:
                # a rerun after a crash skips, without extracting, the inputs stored last time
                if article.id is not None and article.id in known:
                    already[0] += 1
                    return True
                return False

            stream = ((o.origin, o) for o in iter_outcomes(args, skip=stored))
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
                source_id = item.article.id if getattr(item, "article", None) is not None else None
            else:
                result, body, source_id = item, None, None
            try:
                report = store.ingest(result, body=body, origin=origin, source_id=source_id)
            except StoreError:
                raise
            except Exception as exc:  # a record the store cannot take: recorded, the batch goes on
                store.record_failure(origin, f"could not be stored ({type(exc).__name__}: {exc})",
                                     doc_id=result.doc.id if result.doc else None)
                print(f"claimledger: {origin}: could not be stored ({type(exc).__name__}: {exc})", file=sys.stderr)
                failed += 1
                continue
            if report.skipped:
                skipped += 1
            else:
                added += 1
        if not args.records:
            skipped += already[0]
        summary = store.summary()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    if not getattr(args, "quiet", False):
        more = "; see `claimledger status`" if failed else ""
        print(f"ledger {store.safe_url}: {added} documents added, {skipped} already there, {failed} failed{more}; "
              f"{summary['events']} ledger events from {summary['documents']} documents", file=sys.stderr)
    # Failures are recorded data, not a crash: exit 1 only when nothing at all could be stored.
    return 1 if failed and not (added or skipped) else 0
