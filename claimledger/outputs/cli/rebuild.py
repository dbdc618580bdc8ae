"""``claimledger rebuild``: recompute every ledger event from the stored reports."""

from __future__ import annotations

import argparse
import sys
import time

from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError


def register(sub) -> None:
    p = sub.add_parser(
        "rebuild", help="recompute every ledger event from the stored reports (after an upgrade)",
        description="Group every stored document event into ledger events again, in one canonical pass, and "
                    "reconcile every ledger event's tolls again. `ingest` keeps the ledger equal to this pass as "
                    "reports arrive; run `rebuild` after upgrading claimledger, when the merge or reconciliation "
                    "rules have changed, to bring a ledger written by the older version up to date. One "
                    "transaction: interrupted, it changes nothing. Documents and claims are not touched.",
        epilog="example:\n  claimledger rebuild --db ledger.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quiet", "-q", action="store_true", help="no summary line")
    add_db_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from claimledger.ledger.errors import StoreError

    store = open_store(args)
    try:
        before = store.summary()
        if not args.quiet:
            print(f"rebuilding {store.safe_url}: {before['document_events']} document events, "
                  f"{before['events']} ledger events ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        after = store.rebuild()
        moved = store.last_rebuild_moved
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    if not args.quiet:
        print(f"ledger {store.safe_url}: {after} ledger events (before: {before['events']}); "
              f"{moved} document events changed ledger event; {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0
