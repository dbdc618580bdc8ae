"""Arguments and the input loop shared by ``extract`` and ``ingest``."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterator

from claimledger.outputs.cli.main import UserError


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    from claimledger.runner import default_workers

    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or - for stdin")
    p.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                   help="publication date for inputs that carry none (resolves 'Monday', 'yesterday', ...)")
    p.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                   help="processes to extract with (default: all cores, %(default)s here); output is identical "
                        "for any N")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local processes, or a Dask cluster (needs the [dask] extra)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (default: start a LocalCluster)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary line")


def add_nice_argument(p: argparse.ArgumentParser) -> None:
    """``--nice N`` of the batch commands (``ingest``, ``watch``): see :mod:`claimledger.scale.priority`."""
    from claimledger.scale.priority import DEFAULT_NICE, MAX_NICE

    def nice(value: str) -> int:
        if not value.lstrip("-").isdigit() or not 0 <= int(value) <= MAX_NICE:
            raise argparse.ArgumentTypeError(f"{value!r} is not a nice value from 0 to {MAX_NICE}")
        return int(value)
    p.add_argument("--nice", type=nice, default=DEFAULT_NICE, metavar="N",
                   help="run at this CPU priority (nice value, 0-19; default %(default)s) with its workers, so "
                        "that a server reading the ledger meanwhile answers first: reads are interactive, this "
                        "is batch work. Costs nothing on an idle machine; 0 keeps the priority it was started with")


def lower_priority(args) -> None:
    """Apply ``--nice`` (before any worker starts: they inherit it)."""
    from claimledger.scale.priority import lower_priority as lower

    lower(getattr(args, "nice", 0))


def iter_outcomes(args, progress=None, skip: Callable | None = None, for_ledger: bool = False,
                  idle: Callable | None = None) -> Iterator:
    """Outcomes in input order, with each failure reported as one line naming its input.

    ``skip(article)`` drops an article before extraction (ingest: already in the ledger);
    ``for_ledger`` (ingest): the local workers fingerprint each body for the store as well;
    ``idle()`` is called before waiting on the local workers (ingest commits its batch then)."""
    from claimledger.ingest.readers import read_paths
    from claimledger.outputs.cli.progress import Progress
    from claimledger.records import Article

    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    items = read_paths(args.paths, args.published)
    if skip is not None:
        items = (it for it in items if not (isinstance(it, Article) and skip(it)))
    if args.engine == "dask":
        try:
            from claimledger.scale.dask_engine import run_dask
        except ImportError as exc:
            raise UserError(f"--engine dask needs the dask extra: pip install 'claimledger[dask]' ({exc})") from None
        outcomes = run_dask(items, scheduler=args.scheduler, workers=args.workers)
    else:
        from claimledger.scale.local import run

        outcomes = run(items, workers=args.workers, for_ledger=for_ledger, idle=idle)
    own = progress is None
    progress = progress or Progress(quiet=args.quiet, paths=args.paths)
    try:
        for outcome in outcomes:
            progress.update(outcome)
            for w in outcome.warnings:
                progress.report(f"claimledger: {outcome.origin}: warning: {w}")
            if outcome.error:
                progress.report(f"claimledger: {outcome.origin}: {outcome.error}")
            elif outcome.result is not None and not outcome.result.claims and not args.quiet \
                    and not outcome.origin.rsplit(":", 1)[-1].isdigit():
                # a whole file with no counted measure is worth a word; a batch line without one is routine
                progress.report(f"claimledger: {outcome.origin}: no claims found (no counted measure in the text)")
            yield outcome
    finally:
        if own:
            progress.close()
