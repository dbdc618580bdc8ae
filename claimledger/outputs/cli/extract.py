"""``claimledger extract``: reports in, claim records out (JSONL contract or a table for people)."""

from __future__ import annotations

import argparse
import sys

from claimledger.outputs.cli.common import add_input_arguments, iter_outcomes


def register(sub) -> None:
    p = sub.add_parser(
        "extract", help="extract attributed claims and ACLED-typed events from reports",
        description="Read reports and print, for every number in them, a claim with its source, side, stance, "
                    "date, place and evidence span, grouped into ACLED-typed events.",
        epilog="PATH may be a .txt file (first line may be the title), an .html page, a .jsonl batch "
               "({\"id\",\"title\",\"text\",\"published\",...} per line), a folder of these, or - for stdin.\n\n"
               "examples:\n"
               "  claimledger extract report.txt --published 2023-01-02\n"
               "  claimledger extract batch.jsonl --format jsonl > claims.jsonl\n"
               "  curl -s https://... | claimledger extract - --format table",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    p.add_argument("--format", choices=["jsonl", "table"], default=None,
                   help="jsonl: one record per document (the contract); table: a readable summary "
                        "(default when printing to a terminal)")
    p.set_defaults(func=run)


def run(args) -> int:
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    from claimledger.outputs.table import render_document
    from claimledger.serialise import dumps

    failed = 0
    for outcome in iter_outcomes(args):
        if outcome.error:
            failed += 1
            continue
        if fmt == "jsonl":
            sys.stdout.write(dumps(outcome.result) + "\n")
        else:
            sys.stdout.write(render_document(outcome.result) + "\n")
    sys.stdout.flush()
    return 1 if failed else 0
