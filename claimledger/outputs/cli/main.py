"""``claimledger`` command line: one module per subcommand, registered here by name.

Each subcommand module defines ``register(subparsers)`` which adds its parser and sets
``func``. A user error (bad path, bad URL) raises :class:`UserError`: one line on stderr, exit 2,
no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from claimledger import __version__

# Order is the order in `claimledger --help`.
COMMANDS = ["extract", "ingest", "events", "show", "review", "export", "status", "rebuild", "serve", "gazetteer",
            "watch", "feeds"]


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimledger",
        description="Turn war reports into source-attributed, geocoded claims and a reconciled event ledger.",
        epilog="Start with:  claimledger extract article.txt   |   claimledger ingest reports/ && claimledger events\n"
               "Every command has its own --help.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"claimledger {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        modname = f"claimledger.outputs.cli.{name}"
        if importlib.util.find_spec(modname) is None:
            continue
        importlib.import_module(modname).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"claimledger {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("claimledger: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    # `python -m claimledger.outputs.cli.main`: run the package's module, not this `__main__` copy,
    # so that UserError raised by the subcommands is the class caught above
    from claimledger.outputs.cli.main import main as _main

    sys.exit(_main())
