"""Does the ledger's merge stay linear? Ingest time per document as the ledger grows.

Two synthetic theatres (invented reports, written here, so this runs anywhere), each ingested at
growing sizes into a fresh SQLite ledger, timing the last 1,000 documents of each run:

* **spread**: the number of towns grows with the number of reports (20 reports per town over 60
  days), so each town-day is as busy at every size. With the merge indexed by date *and* place the
  cost per document stays flat; indexed by date alone it would grow with the size (quadratic).
* **crowded**: 50 towns whatever the size, so every town-day gets busier. Here the events a report
  can really be the same incident as do grow with the size, and so does the cost per document;
  the ratio shows by how much.

Ratios are against the smallest size of the same run (machines here are shared and noisy).
With ``--corpus`` (default: the shared 2022 news corpus, skipped when absent) the real corpus is
extracted once and ingested, with the seconds of every 1,000th document.

    python bench/merge_scaling.py                  # both theatres at 2k, 4k, 8k, and the corpus
    python bench/merge_scaling.py --sizes 1000,2000 --no-corpus
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_CORPUS, machine, peak_rss_mb  # noqa: E402

from claimledger.records import (  # noqa: E402
    Actor,
    Claim,
    DateSpan,
    DocMeta,
    DocResult,
    Event,
    Evidence,
    Place,
    Quantity,
    Source,
    Span,
    Subject,
)

TYPES = [("Shelling/artillery/missile attack", "Explosions/Remote violence"),
         ("Air/drone strike", "Explosions/Remote violence"),
         ("Armed clash", "Battles"),
         ("Attack", "Violence against civilians")]
SIDES = [("russia", "ukraine"), ("ukraine", "russia"), (None, None)]
DAYS = 60
START = dt.date(2022, 3, 1)


def _town(i: int) -> tuple[float, float, str]:
    """Town ``i`` of a grid 0.6 degrees apart (farther than the merge distance), 25 to a region."""
    row, col = divmod(i, 40)
    return 44.0 + 0.6 * (row % 20), 22.0 + 0.6 * col + 24.0 * (row // 20), f"region {i // 25}"


def theatre(n_docs: int, n_towns: int, seed: int) -> list[DocResult]:
    """``n_docs`` reports of incidents at ``n_towns`` towns over 60 days: each incident is told by
    one to five outlets, some a day off, some without a date (and published a few days later)."""
    rng = random.Random(seed)
    docs: list[DocResult] = []
    k = 0
    while len(docs) < n_docs:
        lat, lon, region = _town(rng.randrange(n_towns))
        day = rng.randrange(DAYS)
        etype, family = rng.choice(TYPES)
        init, target = rng.choice(SIDES)
        toll = rng.randint(1, 40)
        for _ in range(rng.randint(1, 5)):
            k += 1
            dated = rng.random() < 0.6
            event_day = START + dt.timedelta(days=day + rng.choice((0, 0, 0, 1, -1)))
            published = event_day + dt.timedelta(days=rng.randint(0, 3))
            did = f"syn-{seed}-{k:07d}"
            place = Place(mention="town", name=f"town {lat:.1f} {lon:.1f}", geonameid=None, lat=lat, lon=lon,
                          country="UA", admin1=region, precision="point", evidence=Span(0, 4))
            text = f"{toll} people were killed"
            claim = Claim(id=f"{did}:0", evidence=Evidence(text=text, start=0, end=len(text)),
                          source=Source("officials", "officials", "official", "ukraine"), stance="asserted",
                          measure="killed", quantity=Quantity(text=str(toll), value=toll, min=toll, max=toll),
                          subject=Subject("people", "people", "ukraine"),
                          date=DateSpan(None, event_day.isoformat(), event_day.isoformat()) if dated else None,
                          place=place, event=f"{did}:e0")
            event = Event(id=f"{did}:e0", type=etype, event_type=family,
                          date=DateSpan(None, event_day.isoformat(), event_day.isoformat()) if dated else None,
                          place=place, initiator=Actor(f"{init} forces", init) if init else None,
                          target=Actor(f"{target} forces", target) if target else None, deaths=None,
                          claims=[claim.id])
            docs.append(DocResult(doc=DocMeta(id=did, outlet=f"outlet {k % 7}", published=published.isoformat()),
                                  claims=[claim], events=[event], places=[place]))
    docs = docs[:n_docs]
    rng.shuffle(docs)        # outlets' reports arrive in no particular order
    return docs


def ingest_timed(docs: list[DocResult], bodies: list[str | None] | None = None, every: int = 1000) -> dict:
    """Ingest into a fresh SQLite ledger; seconds for each block of ``every`` documents."""
    from claimledger.ledger.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = Store.open(f"sqlite:///{db}")
        blocks, t0 = [], time.perf_counter()
        start = t0
        for i, d in enumerate(docs, 1):
            store.ingest(d, body=bodies[i - 1] if bodies else None)
            if i % every == 0 or i == len(docs):
                now = time.perf_counter()
                blocks.append(now - t0)
                t0 = now
        total = time.perf_counter() - start
        summary = store.summary()
        store.close()
        return {"docs": len(docs), "total": total, "blocks": blocks, "events": summary.get("events"),
                "db_mb": db.stat().st_size / 1e6}


def section_synthetic(sizes: list[int]) -> list[dict]:
    rows = []
    for name, towns_for in (("spread", lambda n: max(1, n // 20)), ("crowded", lambda n: 50)):
        print(f"\n{name}: {'docs':>7}{'towns':>7}{'ingest s':>10}{'last 1k s':>11}{'ms/doc':>8}"
              f"{'ratio':>7}{'events':>8}")
        base = None
        for n in sizes:
            r = ingest_timed(theatre(n, towns_for(n), seed=n))
            last = r["blocks"][-1] / (n - 1000 * (len(r["blocks"]) - 1)) * 1000
            base = base or last
            row = {"theatre": name, "towns": towns_for(n), **r, "last_ms_per_doc": last, "ratio": last / base}
            rows.append(row)
            print(f"{'':8}{n:7,}{row['towns']:7,}{r['total']:10.1f}{r['blocks'][-1]:11.2f}{last:8.2f}"
                  f"{row['ratio']:6.2f}x{r['events']:8,}", flush=True)
    return rows


def section_corpus(path: Path, workers: int) -> dict | None:
    if not path.exists():
        print(f"\ncorpus: skipped ({path} not found)")
        return None
    from claimledger.ingest.readers import read_path
    from claimledger.runner import Outcome
    from claimledger.scale.local import run

    t = time.perf_counter()
    outcomes = [o for o in run(read_path(str(path)), workers=workers) if isinstance(o, Outcome) and o.result]
    extract = time.perf_counter() - t
    r = ingest_timed([o.result for o in outcomes], [o.body for o in outcomes])
    first, last = r["blocks"][0], r["blocks"][-1] / (r["docs"] - 1000 * (len(r["blocks"]) - 1)) * 1000
    print(f"\ncorpus {path.name}: {r['docs']:,} documents extracted in {extract:.1f} s, ingested in "
          f"{r['total']:.1f} s into {r['db_mb']:.0f} MB, {r['events']:,} ledger events")
    print("  s per 1,000 documents, in arrival order: " + " ".join(f"{b:.1f}" for b in r["blocks"]))
    print(f"  first 1k {first:.1f} s, last 1k {last:.1f} s: ratio {last / first:.2f}x")
    return {"extract": extract, **r}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="2000,4000,8000", help="synthetic ledger sizes (default 2000,4000,8000)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--workers", type=int, default=2, help="extraction workers for the corpus (default 2)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    print(machine())
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if any(s < 1000 for s in sizes):
        ap.error("sizes must be at least 1000 (the last 1,000 documents are timed)")
    out = {"synthetic": section_synthetic(sizes)}
    if not args.no_corpus:
        out["corpus"] = section_corpus(args.corpus, args.workers)
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
