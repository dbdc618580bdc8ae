"""CPU of the ledger's single writer alone: ``Store.ingest`` of already extracted reports.

Why. ``ingest --workers 2`` runs extraction in two processes and stores every document in one:
once extraction is spread over the cores, the writer sets the pace, and a whole-corpus ingest
cannot show what the writer costs (its wall time mixes both, and the machine's neighbours). This
extracts the corpus's first ``--limit`` articles once (``runner.process(for_ledger=True)``, as
ingest's workers do; kept in ``--cache`` for the next run), then stores them in a fresh SQLite
ledger in publication-file order, timing only ``Store.ingest`` in CPU seconds
(``time.process_time``), in one ``Store.batch`` flushed every 8 outcomes as ingest's would be
while it waits on the workers (an older checkout without batches commits each document),
per block of ``--block`` documents, so a cost that grows with the
ledger's size shows as a rising column. ``--compare-root OLD`` stores the same outcomes with the
code in OLD too (a ``git archive`` of another commit), alternating ``--rounds`` times, and checks
that both ledgers hold the same rows (every table, but the clock's columns).

    python bench/writer_cpu.py --limit 3000 --cache /tmp/outcomes.pickle
    python bench/writer_cpu.py --limit 3000 --cache /tmp/outcomes.pickle --compare-root /tmp/old --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the code measured: this checkout, or the --compare-root a child was started for
sys.path.insert(0, os.environ.get("CLAIMLEDGER_BENCH_ROOT", str(ROOT)))
sys.path.insert(0, str(ROOT / "bench"))   # _common, also under python -P

from _common import DEFAULT_CORPUS, corpus_or_exit, load_articles  # noqa: E402


def _outcomes(corpus: Path, limit: int | None, cache: Path | None, workers: int = 2) -> list:
    if cache is not None and cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    from claimledger.scale.local import run

    articles = load_articles(corpus, limit)
    found = []
    for i, o in enumerate(run(articles, workers=workers, for_ledger=True), 1):
        found.append(o)
        if i % 500 == 0:
            print(f"extracted {i}/{len(articles)}", file=sys.stderr)
    if cache is not None:
        with open(cache, "wb") as fh:
            pickle.dump(found, fh)
    return found


def store_all(outcomes: list, db: Path, block: int) -> list[float]:
    """CPU seconds of ``Store.ingest`` per block of documents (what ``ingest``'s loop calls)."""
    from claimledger.ledger.identity import input_hash
    from claimledger.ledger.store import Store

    store = Store.open(f"sqlite:///{db}", create=True)
    blocks, spent = [], 0.0
    # as ingest does: one batch, flushed whenever the writer would wait on the workers, which hand
    # over the outcomes of one batch of articles (``run_pool``'s 8) at a time when they are the
    # slower side; a writer without batches (an older checkout) commits every document
    batch = store.batch() if hasattr(store, "batch") else nullcontext()
    try:
        with batch as group:
            for i, o in enumerate(outcomes, 1):
                t = time.process_time()
                if o.result is not None and o.error is None:
                    a = o.article
                    store.ingest(o.result, body=o.body, origin=o.origin, source_id=a.id if a else None,
                                 input_hash=input_hash(a.text) if a else None, fingerprint=o.fingerprint)
                if group is not None and i % WAIT_EVERY == 0:
                    group.flush()
                spent += time.process_time() - t
                if i % block == 0 or i == len(outcomes):
                    blocks.append(spent)
                    spent = 0.0
    finally:
        store.close()
    return blocks


WAIT_EVERY = 8   # outcomes the writer stores between two waits on the workers (see store_all)
_STAMPS = {"updated_at", "created_at", "ingested_at", "at", "seen_at", "generated_at"}


def _contents(db: Path) -> dict[str, list]:
    """Every table's rows but the clock's columns (and the planner's statistics, which depend on when
    ANALYZE ran): two writers that store the same are equal here."""
    out = {}
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in sorted(tables):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] not in _STAMPS]
            if t in ("alembic_version", "ledger_changes", "ledger_state") or t.startswith("sqlite_") or not cols:
                continue
            out[t] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(), key=repr)
    return out


def _child(root: Path, args, db: Path) -> list[float]:
    cmd = [sys.executable, "-P", str(Path(__file__).resolve()), "--store-only", str(db), "--cache", str(args.cache),
           "--block", str(args.block)]
    env = dict(os.environ, CLAIMLEDGER_BENCH_ROOT=str(root))
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    if done.returncode:
        raise SystemExit(f"{root}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=3000, help="articles (0: the whole corpus)")
    ap.add_argument("--workers", type=int, default=2, help="processes extracting the outcomes (once, then cached)")
    ap.add_argument("--block", type=int, default=500)
    ap.add_argument("--cache", type=Path, help="keep the extracted outcomes here (pickle) for the next run")
    ap.add_argument("--compare-root", type=Path, help="another checkout whose writer stores the same outcomes")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--store-only", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.limit = args.limit or None
    if args.store_only:   # a child: this code's writer on the cached outcomes
        print(json.dumps(store_all(_outcomes(args.corpus, args.limit, args.cache), args.store_only, args.block)))
        return 0
    corpus_or_exit(args.corpus)
    if args.cache is None:
        args.cache = Path(tempfile.gettempdir()) / f"claimledger-writer-{args.limit}.pickle"
    outcomes = _outcomes(args.corpus, args.limit, args.cache, args.workers)
    print(f"{len(outcomes)} outcomes ({sum(o.result is not None for o in outcomes)} stored), blocks of {args.block}")
    roots = ([("old", args.compare_root)] if args.compare_root else []) + [("this", ROOT)]
    totals: dict[str, list[float]] = {name: [] for name, _ in roots}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            dbs = {}
            for name, root in roots:
                db = dbs[name] = Path(tmp) / f"{name}-{r}.db"
                blocks = _child(root, args, db)
                totals[name].append(sum(blocks))
                print(f"round {r + 1} {name:>4}: {sum(blocks):7.1f} CPU s, {1000 * sum(blocks) / len(outcomes):5.2f} ms"
                      f"/doc; per block: {' '.join(f'{b:.1f}' for b in blocks)}  (load {os.getloadavg()[0]:.1f})")
            if len(dbs) == 2:
                a, b = _contents(dbs["old"]), _contents(dbs["this"])
                differ = sorted(t for t in set(a) | set(b) if a.get(t) != b.get(t))
                print(f"round {r + 1}: ledgers {'identical' if not differ else 'DIFFERENT in ' + ', '.join(differ)}"
                      f" ({len(a.get('ledger_events', []))} ledger events)")
    if args.compare_root:
        ratio = sum(totals["this"]) / sum(totals["old"])
        print(f"this/old writer CPU: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
