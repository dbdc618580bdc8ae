"""``claimledger export``: the ledger as events JSONL, ACLED CSV, UCDP GED CSV, GeoJSON or claims CSV."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile

from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError
from claimledger.outputs.export import FORMATS


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="write the ledger as events JSONL, ACLED CSV, UCDP GED CSV, GeoJSON or claims CSV",
        description="Write every ledger event (or every claim) in one format:\n"
                    "  events-jsonl  one ledger event per line, the claims schema's LEDGER EVENT\n"
                    "  acled-csv     ACLED's 31 columns; fatalities = the conservative (low) figure\n"
                    "  ucdp-csv      UCDP GED's columns with best/low/high; events with deaths only\n"
                    "  geojson       an RFC 7946 FeatureCollection of points (QGIS, geojson.io)\n"
                    "  claims-csv    every claim with its source, evidence and ledger event",
        epilog="examples:\n"
               "  claimledger export --format acled-csv --out ledger-acled.csv\n"
               "  claimledger export --format geojson --db postgresql://me@localhost/ledger > events.geojson",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", required=True, choices=list(FORMATS))
    p.add_argument("--out", metavar="FILE", help="write here (replaced only once complete); default stdout")
    add_db_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from claimledger.ledger.errors import StoreError

    writer = importlib.import_module(FORMATS[args.format])
    tmp = None
    if args.out:
        folder = os.path.dirname(os.path.abspath(args.out))
        if not os.path.isdir(folder):
            raise UserError(f"--out {args.out}: folder {folder} does not exist")
    store = open_store(args)
    if args.out:
        try:
            fd, tmp = tempfile.mkstemp(prefix=".claimledger-export-", dir=folder)
        except OSError as exc:
            store.close()
            raise UserError(f"--out {args.out}: cannot write in {folder} ({exc.strerror})") from None
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would make the export private
    try:
        if tmp:
            # Written beside the target and renamed at the end: a failed export leaves no half file.
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                n = writer.write(store, fh)
            os.replace(tmp, args.out)
            tmp = None
        else:
            n = writer.write(store, sys.stdout)
            sys.stdout.flush()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise UserError(f"cannot write {args.out or 'stdout'} ({exc.strerror})") from None
    finally:
        store.close()
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
    if args.out:
        print(f"claimledger export: {n} rows to {args.out}", file=sys.stderr)
    return 0
