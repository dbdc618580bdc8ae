"""kill -9 series (issue 14): ``claimledger ingest`` and ``claimledger rebuild`` killed at random
moments, on SQLite and on PostgreSQL, checked each time for

* **0 lost or half-written documents**: right after the kill every stored document has all its
  claims and events and every document event belongs to a ledger event; after a rerun all N are
  there;
* **the identical ledger**: after the rerun, the grouping (which document event is in which ledger
  event) and every ledger event's tolls equal those of one clean, uninterrupted ingest;
* **no orphan workers**: every worker process of the killed ingest has exited within 5 s.

A run: ingest N invented reports (``--workers 2``, real extraction) into a fresh ledger and kill it
at a random moment of its expected duration; check; rerun to completion; check; then start
``rebuild`` and kill it at a random moment of its duration too; check; rerun ``rebuild``; check.
The kill moments come from ``--seed``, so a series can be repeated.

Usage::

    python bench/kill_series.py                       # 10 runs per store, 400 reports
    python bench/kill_series.py --runs 3 --docs 200   # quicker
    python bench/kill_series.py --pg-url postgresql://postgres@127.0.0.1:5432/postgres

PostgreSQL runs need a server (``--pg-url`` or ``$CLAIMLEDGER_TEST_PG_URL``; each run creates and
drops its own database there); without one the PostgreSQL rows are skipped with a message. The
helpers (the reports, the ledger's state, the worker watch) are the crash and orphan tests' own.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "scale")]

from ledger.test_crash import count, ingest_cmd, state, write_articles  # noqa: E402
from scale_support import children, survivors  # noqa: E402

from claimledger.ledger.engine import short_error  # noqa: E402


@dataclass
class Tally:
    store: str
    runs: int = 0
    kills: int = 0                    # kills that landed while the command was still running
    mid_ingest_docs: list[int] = field(default_factory=list)   # documents stored when ingest died
    half_written: int = 0             # documents missing claims or events, or events with no ledger event
    lost: int = 0                     # documents missing after the rerun
    different: int = 0                # reruns whose ledger differs from the clean one
    orphans: int = 0                  # workers alive 5 s after the kill
    workers_seen: int = 0


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimledger.outputs.cli.main", *args]


def ingest(articles: Path, url: str) -> list[str]:
    """The crash test's ingest command with a pool of two workers (so there are workers to orphan)."""
    cmd = ingest_cmd(articles, url)
    cmd[cmd.index("--workers") + 1] = "2"
    return cmd


def clean_ingest(cmd: list[str], url: str, env: dict) -> tuple[float, float]:
    """Run an uninterrupted ingest; (seconds until its first document is stored, seconds in all)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    first = None
    while proc.poll() is None:
        if first is None and count(url, "SELECT count(*) FROM documents"):
            first = time.monotonic() - t0
        time.sleep(0.05)
    if proc.returncode != 0:
        raise SystemExit(f"the clean ingest failed (exit {proc.returncode}): {' '.join(cmd)}")
    total = time.monotonic() - t0
    return (first if first is not None else total), total


def clean_rebuild(url: str, env: dict) -> float:
    """Run an uninterrupted rebuild; the seconds its transaction took (its own summary line)."""
    done = subprocess.run(cli("rebuild", "--db", url), check=True, capture_output=True, env=env, timeout=1800)
    return float(re.search(r"; ([\d.]+) s$", done.stderr.decode().strip()).group(1))


def kill_ingest(cmd: list[str], url: str, env: dict, after: float) -> tuple[bool, set[int]]:
    """Start ``cmd``; once its first document is stored, SIGKILL it ``after`` seconds later.
    (It was still running then, its worker processes.)"""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    workers: set[int] = set()
    while proc.poll() is None and not count(url, "SELECT count(*) FROM documents"):
        workers |= children(proc.pid)
        time.sleep(0.05)
    deadline = time.monotonic() + after
    while time.monotonic() < deadline and proc.poll() is None:
        workers |= children(proc.pid)
        time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
    return _kill(proc, workers)


def kill_rebuild(url: str, env: dict, after: float) -> bool:
    """Start ``rebuild``; once it says it is rebuilding (its transaction begins), SIGKILL it ``after``
    seconds later. Whether it was still running then."""
    proc = subprocess.Popen(cli("rebuild", "--db", url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    line = proc.stderr.readline()
    if line.startswith(b"rebuilding"):
        time.sleep(after)
    return _kill(proc, set())[0]


def _kill(proc: subprocess.Popen, workers: set[int]) -> tuple[bool, set[int]]:
    running = proc.poll() is None
    if running:
        workers |= children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return running, {w for w in workers if w != proc.pid}


def orphans_after(workers: set[int], grace: float = 5.0) -> int:
    alive = survivors(workers, grace)
    for w in alive:        # do not leave them running on a shared machine
        try:
            os.kill(w, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(alive)


def comparable(s: dict) -> tuple:
    return s["grouping"], s["ledger"], s["claims"]


class PgDatabases:
    """A fresh database per run on one PostgreSQL server, dropped afterwards."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.base = make_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")

    def create(self, name: str) -> str:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def one_run(i: int, url: str, articles: Path, env: dict, clean: tuple, n: int, times: dict, rng: random.Random,
            tally: Tally) -> None:
    tally.runs += 1
    after = rng.uniform(0.0, 0.9) * (times["ingest"] - times["first"])
    running, workers = kill_ingest(ingest(articles, url), url, env, after)
    tally.kills += running
    tally.workers_seen += len(workers)
    tally.orphans += orphans_after(workers)
    killed = state(url) if count(url, "SELECT count(*) FROM documents") else None
    if killed is not None:
        tally.mid_ingest_docs.append(killed["documents"])
        tally.half_written += len(killed["incomplete"]) + killed["orphans"]
    else:
        tally.mid_ingest_docs.append(0)
    subprocess.run(ingest(articles, url), check=True, capture_output=True, env=env, timeout=1800)
    resumed = state(url)
    tally.lost += n - resumed["documents"]
    tally.half_written += len(resumed["incomplete"]) + resumed["orphans"]
    tally.different += comparable(resumed) != clean

    after = rng.uniform(0.0, 0.9) * times["rebuild"]
    running = kill_rebuild(url, env, after)
    tally.kills += running
    killed = state(url)   # one transaction: as before the rebuild, which equals the clean ledger
    tally.half_written += len(killed["incomplete"]) + killed["orphans"]
    tally.different += comparable(killed) != clean
    subprocess.run(cli("rebuild", "--quiet", "--db", url), check=True, capture_output=True, env=env, timeout=1800)
    rebuilt = state(url)
    tally.lost += n - rebuilt["documents"]
    tally.different += comparable(rebuilt) != clean
    print(f"  {tally.store} run {i + 1}: ingest killed with {tally.mid_ingest_docs[-1]} documents stored, "
          f"{len(workers)} workers; rebuild killed {'mid-transaction' if running else 'too late: it had finished'}",
          flush=True)


def series(store: str, urls, articles: Path, env: dict, n: int, runs: int, rng: random.Random) -> Tally:
    """``urls(i)`` gives run i a fresh ledger URL (i = -1: the clean reference)."""
    ref = urls(-1)
    first, total = clean_ingest(ingest(articles, ref), ref, env)
    times = {"first": first, "ingest": total, "rebuild": clean_rebuild(ref, env)}
    clean = comparable(state(ref))
    print(f"  {store}: clean ingest of {n} reports {total:.1f} s (first document after {first:.1f} s), "
          f"rebuild transaction {times['rebuild']:.1f} s", flush=True)
    tally = Tally(store)
    for i in range(runs):
        one_run(i, urls(i), articles, env, clean, n, times, rng, tally)
    return tally


def table(tallies: list[Tally], n: int) -> str:
    head = ("| store | runs | kills mid-command | documents stored at the ingest kill (min-max) | "
            "half-written | lost after rerun | ledger different from a clean run | workers seen | "
            "workers alive 5 s after the kill |")
    rows = [head, "|" + "---|" * 9]
    for t in tallies:
        docs = f"{min(t.mid_ingest_docs)}-{max(t.mid_ingest_docs)} of {n}" if t.mid_ingest_docs else "-"
        rows.append(f"| {t.store} | {t.runs} | {t.kills} of {2 * t.runs} | {docs} | {t.half_written} | {t.lost} | "
                    f"{t.different} | {t.workers_seen} | {t.orphans} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10, help="runs per store (default 10)")
    ap.add_argument("--docs", type=int, default=400, help="reports per ingest (default 400)")
    ap.add_argument("--seed", type=int, default=14, help="seed of the kill moments (default 14)")
    ap.add_argument("--pg-url", default=os.environ.get("CLAIMLEDGER_TEST_PG_URL"),
                    help="PostgreSQL server to create throwaway databases on (default $CLAIMLEDGER_TEST_PG_URL)")
    ap.add_argument("--stores", default="sqlite,postgresql", help="comma-separated (default sqlite,postgresql)")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("CLAIMLEDGER_DB", None)
    tallies = []
    with TemporaryDirectory(prefix="kill-series-") as tmp:
        articles = Path(tmp) / "articles.jsonl"
        write_articles(articles, args.docs)
        stores = args.stores.split(",")
        print(f"kill -9 series: {args.runs} runs per store, {args.docs} reports, seed {args.seed}", flush=True)
        if "sqlite" in stores:
            tallies.append(series("SQLite", lambda i: f"sqlite:///{tmp}/run{i}.db", articles, env, args.docs,
                                  args.runs, rng))
        if "postgresql" in stores:
            if not args.pg_url:
                print("  PostgreSQL: skipped (no --pg-url and no $CLAIMLEDGER_TEST_PG_URL)")
            else:
                try:
                    pg = PgDatabases(args.pg_url)
                    names: list[str] = []

                    def url(i: int) -> str:
                        names.append(f"kill_series_{os.getpid()}_{i + 1}")
                        return pg.create(names[-1])

                    try:
                        tallies.append(series("PostgreSQL", url, articles, env, args.docs, args.runs, rng))
                    finally:
                        for name in names:
                            pg.drop(name)
                except Exception as exc:  # a server that went away: report, keep the SQLite figures
                    print(f"  PostgreSQL: failed: {short_error(exc)}")
    if tallies:
        print()
        print(table(tallies, args.docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
