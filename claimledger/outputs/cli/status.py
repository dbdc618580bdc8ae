"""``claimledger status``: what the ledger holds, and which inputs failed and why."""

from __future__ import annotations

import argparse
import json
import sys

from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError


def register(sub) -> None:
    p = sub.add_parser(
        "status", help="counts of documents, claims and events, and the inputs that failed with their reasons",
        description="Summarise the ledger: documents, claims, document events and ledger events, the date range, "
                    "events by type, and every input that could not be extracted or stored, with its reason.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--failures", type=int, default=20, metavar="N",
                   help="failed inputs to list (default %(default)s; 0 = all)")
    add_db_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from claimledger.ledger.errors import StoreError
    from claimledger.ledger.reviews import listing
    from claimledger.outputs.cli.review import describe
    from claimledger.serialise import to_dict

    store = open_store(args)
    try:
        s = store.summary()
        fails = store.failures()
        revision = store.schema_revision()
        found, _ = store.read_with(lambda conn: listing(conn, limit=None))
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    counts = {k: sum(1 for r in found if r.status == k) for k in ("active", "undone", "orphaned")}
    orphaned = [r for r in found if r.status == "orphaned"]
    if args.format == "json":
        sys.stdout.write(json.dumps(dict(s, url=store.safe_url, schema=revision, failed=fails, reviews=counts,
                                         orphaned_reviews=[to_dict(r) for r in orphaned]),
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = [f"ledger {store.safe_url} (schema {revision})",
             f"  {s['documents']} documents, {s['claims']} claims, {s['document_events']} document events",
             f"  {s['events']} ledger events ({s['multi_document_events']} from several reports, "
             f"{s['events_with_deaths']} with deaths), dated {s['first_date'] or '-'} to {s['last_date'] or '-'}"]
    if s["by_type"]:
        lines.append("  by type:")
        for t, n in s["by_type"].items():
            lines.append(f"    {n:6}  {t}")
    lines.append(f"  {len(fails)} failed inputs" + (":" if fails else ""))
    shown = fails if not args.failures else fails[:args.failures]
    for f in shown:
        lines.append(f"    {f['origin']}: {f['reason']}")
    if len(shown) < len(fails):
        lines.append(f"    ... {len(fails) - len(shown)} more (--failures 0 lists all)")
    lines.append(f"  {len(found)} reviews ({counts['active']} applied, {counts['undone']} undone, "
                 f"{counts['orphaned']} orphaned)" + (": their claim or event is no longer found, kept as records "
                                                     "(claimledger review list --status orphaned):" if orphaned else ""))
    for r in orphaned:
        lines.append(f"    {describe(r)}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
