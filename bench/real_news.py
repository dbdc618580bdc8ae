"""Real-news sanity of the ledger: history, totals and noise that must never become incidents.

Ingests a sample of the news corpus (every fifth article from the fourth, 2,000 by default) into a
throwaway SQLite ledger and counts what issue 10 forbids: ledger events dated more than 60 days
before their first report, events whose best toll is above 10,000, and killed claims of a million
or more; and, for review, events whose best toll is a thousand or more (a city's or a war's total
far more often than one incident's). Prints the offenders so a rule can be written for the construction, not the sentence.

    .venv/bin/python bench/real_news.py [--n 2000] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DEFAULT_CORPUS, corpus_or_exit  # noqa: E402


def sample(corpus: Path, n: int, out: Path) -> int:
    kept = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i % 5 == 3:
                dst.write(line)
                kept += 1
                if kept >= n:
                    break
    return kept


def published_days(path: Path) -> dict[str, dt.date | None]:
    """Each sampled report's publication day, by id: an event's first report is the earliest
    document of it, whether or not that document holds a claim (a report can place an incident and
    count nothing)."""
    days = {}
    with path.open(encoding="utf-8") as src:
        for line in src:
            row = json.loads(line)
            days[str(row.get("id"))] = _day(row.get("published"))
    return days


def _day(value) -> dt.date | None:
    if isinstance(value, dict):
        value = value.get("start")
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=8, help="offenders printed per check")
    args = ap.parse_args()
    corpus_or_exit(args.corpus)
    cl = os.environ.get("CLAIMLEDGER") or str(Path(sys.executable).with_name("claimledger"))
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        n = sample(args.corpus, args.n, tmpd / "s.jsonl")
        db = f"sqlite:///{tmpd / 'l.db'}"
        subprocess.run([cl, "ingest", str(tmpd / "s.jsonl"), "--db", db, "--workers", str(args.workers)],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fmt in ("events-jsonl", "claims-csv"):
            subprocess.run([cl, "export", "--format", fmt, "--db", db, "--out", str(tmpd / fmt)], check=True)
        events = [json.loads(x) for x in (tmpd / "events-jsonl").read_text().splitlines() if x.strip()]
        import csv

        claims = list(csv.DictReader((tmpd / "claims-csv").open(encoding="utf-8")))
        published = published_days(tmpd / "s.jsonl")
    old, big, thousands = [], [], []
    for e in events:
        day = _day(e.get("date"))
        first = min((d for d in (published.get(doc) for doc in e.get("documents", [])) if d), default=None)
        if day and first and (first - day).days > 60:
            old.append(e)
        best = ((e.get("deaths") or {}).get("best")) or 0
        if best > 10_000:
            big.append(e)
        if best >= 1_000:
            thousands.append(e)
    huge = [c for c in claims if c.get("measure") == "killed" and float(c.get("value") or c.get("min") or 0) >= 1e6]
    print(f"{n} articles -> {len(events)} ledger events, {len(claims)} claims")
    print(f"events dated > 60 days before first report: {len(old)} ({100 * len(old) / max(1, len(events)):.1f}%)")
    print(f"events with best toll > 10,000: {len(big)}")
    print(f"killed claims >= 1,000,000: {len(huge)}")
    # no single incident in ACLED's Ukraine or world dev notes has 1,000 dead: each is a total to review
    print(f"events with best toll >= 1,000: {len(thousands)}")
    for title, rows in (("old", old), ("big", big), ("thousands", thousands)):
        for e in rows[: args.show]:
            print(f"  {title}: {e.get('type')} {e.get('date')} {(e.get('place') or {}).get('name')} "
                  f"deaths={e.get('deaths')}")
    for c in huge[: args.show]:
        print(f"  huge: {c.get('value') or c.get('min')} :: {c.get('evidence', '')[:100]}")
    for e in big[: args.show]:
        print("  big reasoning:", "; ".join((e.get("deaths") or {}).get("reasoning", []))[:300])
    return 0


if __name__ == "__main__":
    sys.exit(main())
