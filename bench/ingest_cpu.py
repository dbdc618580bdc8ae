"""CPU seconds of ``claimledger ingest --workers N``: this checkout against another, alternating.

Why. The speed target is a wall time on two free cores, but the machine these run on is shared:
wall time measures the neighbours as much as the code. CPU seconds (user + system of the command
and its worker processes) do not depend on the load, so this runs the same ingest with the code in
``--compare-root OLD`` (e.g. ``git archive main | tar -x -C /tmp/old``) and with this checkout, in
turn, ``--rounds`` times each, each into a fresh SQLite file, and prints both; then checks that the
two ledgers hold the same ledger events, claims and stories.

    python bench/ingest_cpu.py --compare-root /tmp/old --limit 1500 --rounds 2
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))   # also under `python -P`, as the other benches
from _common import DEFAULT_CORPUS, corpus_or_exit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_STAMPS = {"updated_at", "created_at", "ingested_at", "at", "seen_at", "generated_at"}


def _subset(corpus: Path, limit: int | None, out: Path) -> Path:
    """The corpus's first ``limit`` lines as a file of their own (the whole corpus: itself)."""
    if limit is None:
        return corpus
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as fh, open(out, "w", encoding="utf-8") as dst:
        dst.writelines(islice(fh, limit))
    return out


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([sys.executable, "-P", "-m", "claimledger", *args], env=env, cwd=tempfile.gettempdir(),
                          capture_output=True, text=True)


def _run(root: Path, data: Path, workers: int, db: Path) -> dict:
    db.unlink(missing_ok=True)
    before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = _cli(root, "ingest", str(data), "--workers", str(workers), "--quiet", "--db", f"sqlite:///{db}")
    wall, after = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):   # 1: some inputs failed, recorded in the ledger
        raise SystemExit(f"ingest with {root} failed ({done.returncode}): {done.stderr[-500:]}")
    return {"wall": wall, "user": after.ru_utime - before.ru_utime, "sys": after.ru_stime - before.ru_stime,
            "load": os.getloadavg()[0]}


def _ledger(root: Path, db: Path) -> tuple:
    """What the two runs must agree on: the ledger events (export, timestamps left out), every
    claim (claims-csv) and every document's story and signature (``doc_fingerprints``)."""
    def export(fmt: str) -> str:
        out = db.with_suffix(f".{fmt}")
        done = _cli(root, "export", "--format", fmt, "--db", f"sqlite:///{db}", "--out", str(out))
        if done.returncode != 0:
            raise SystemExit(f"export failed: {done.stderr[-500:]}")
        return out.read_text(encoding="utf-8")

    def strip(v):
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if k not in _STAMPS}
        return [strip(x) for x in v] if isinstance(v, list) else v

    events = [strip(json.loads(line)) for line in export("events-jsonl").splitlines()]
    with sqlite3.connect(db) as conn:
        stories = conn.execute("SELECT doc_id, story_id, similarity, wire, signature FROM doc_fingerprints "
                               "ORDER BY doc_id").fetchall()
    return events, export("claims-csv"), stories


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare-root", type=Path, required=True, metavar="DIR", help="the other code to run")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=1500, help="the corpus's first N lines (0: all of it)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    corpus_or_exit(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="claimledger-ingest-cpu-"))
    data = _subset(args.corpus, args.limit or None, work / "subset.jsonl")
    roots = {"old": args.compare_root.resolve(), "new": ROOT}
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    for r in range(args.rounds):
        for name, root in roots.items():
            runs[name].append(_run(root, data, args.workers, work / f"{name}.db"))
            m = runs[name][-1]
            print(f"round {r + 1} {name}: {m['user'] + m['sys']:7.1f} CPU s ({m['user']:.1f} user + {m['sys']:.1f} "
                  f"sys), {m['wall']:6.1f} s wall, load average {m['load']:.1f}", flush=True)
    cpu = {n: [m["user"] + m["sys"] for m in ms] for n, ms in runs.items()}
    ratio = sum(cpu["new"]) / sum(cpu["old"])
    print(f"CPU s old {' / '.join(f'{c:.1f}' for c in cpu['old'])}, new {' / '.join(f'{c:.1f}' for c in cpu['new'])}:"
          f" new/old {ratio:.3f}")
    old, new = _ledger(roots["old"], work / "old.db"), _ledger(ROOT, work / "new.db")
    for what, a, b in zip(("ledger events", "claims", "stories"), old, new, strict=True):
        print(f"{what} identical: {a == b} ({len(b.splitlines()) if isinstance(b, str) else len(b)} rows)")
    return 0 if old == new else 1


if __name__ == "__main__":
    sys.exit(main())
