"""What reviews cost the ledger: ingest and rebuild with and without reviews, as ratios in one run.

Every reconciliation applies the active reviews (ledger/reviews_apply.py): a ledger without
reviews pays one indexed probe per ingest; one with reviews resolves the anchors of the reviews of
the documents it reconciles, and every move, split and merge review on every ingest. This measures
both on the invented theatre of bench/merge_scaling.py (written here, runs anywhere): a SQLite
ledger of ``--docs`` reports, then ``--block`` more ingested and a rebuild, first with no review,
then after ``--claims`` claim reviews (rejections and corrections) and ``--events`` move and merge
reviews. Ratios are against the no-review figures of the same run (machines here are shared).

    python bench/review_overhead.py                       # 2,000 reports, 200 claim and 20 event reviews
    python bench/review_overhead.py --docs 4000 --claims 1000 --events 50
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402
from merge_scaling import theatre  # noqa: E402

from claimledger.ledger import reviews_write as rw  # noqa: E402
from claimledger.ledger.store import Store  # noqa: E402


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _add_reviews(store: Store, docs, n_claims: int, n_events: int, seed: int) -> None:
    rng = random.Random(seed)
    for d in rng.sample(docs, n_claims):
        cid = d.claims[0].id
        if rng.random() < 0.5:
            store.write_review(lambda conn, cid=cid: rw.review_claim(conn, cid, "reject", reason="bench"))
        else:
            store.write_review(lambda conn, cid=cid: rw.review_claim(conn, cid, "set", reason="bench",
                                                                     fields={"value": rng.randint(1, 50)}))
    events = [e.id for e in store.list_events(limit=None)[0]]
    for i in range(n_events):
        a, b = rng.sample(events, 2)
        if i % 2:
            store.write_review(lambda conn, a=a, b=b: rw.review_events(conn, "merge", [a, b], reason="bench"))
        else:
            cid = rng.choice(docs).claims[0].id
            try:
                store.write_review(lambda conn, cid=cid, b=b: rw.review_claim(conn, cid, "move", reason="bench",
                                                                              to_event=b))
            except ValueError:   # the claim is in that event already, or it merged away: another time
                continue
        events = [e.id for e in store.list_events(limit=None)[0]]


def run(n_docs: int, block: int, n_claims: int, n_events: int) -> dict:
    docs = theatre(n_docs + 2 * block, max(1, n_docs // 20), seed=7)
    base, first, second = docs[:n_docs], docs[n_docs:n_docs + block], docs[n_docs + block:]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        for d in base:
            store.ingest(d)
        plain_ingest = _timed(lambda: [store.ingest(d) for d in first])
        plain_rebuild = _timed(store.rebuild)
        adding = _timed(lambda: _add_reviews(store, base, n_claims, n_events, seed=11))
        n_reviews = n_claims + n_events
        reviewed_ingest = _timed(lambda: [store.ingest(d) for d in second])
        reviewed_rebuild = _timed(store.rebuild)
        store.close()
    return {"docs": n_docs, "block": block, "reviews": n_reviews, "ingest_ms_per_doc": plain_ingest / block * 1000,
            "reviewed_ingest_ms_per_doc": reviewed_ingest / block * 1000, "rebuild_s": plain_rebuild,
            "reviewed_rebuild_s": reviewed_rebuild, "ms_per_review": adding / max(1, n_reviews) * 1000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--block", type=int, default=500, help="reports ingested after the ledger is built")
    ap.add_argument("--claims", type=int, default=200, help="claim reviews (half rejections, half corrections)")
    ap.add_argument("--events", type=int, default=20, help="event reviews (half moves, half merges)")
    args = ap.parse_args()
    print(machine())
    r = run(args.docs, args.block, args.claims, args.events)
    print(f"{r['docs']:,} reports, then {r['block']} more; {r['reviews']} reviews "
          f"({r['ms_per_review']:.0f} ms to make each, its re-reconciliation included)")
    print(f"  ingest  {r['ingest_ms_per_doc']:7.2f} ms/doc without reviews, {r['reviewed_ingest_ms_per_doc']:7.2f} with: "
          f"{r['reviewed_ingest_ms_per_doc'] / r['ingest_ms_per_doc']:.2f}x")
    print(f"  rebuild {r['rebuild_s']:7.2f} s without reviews, {r['reviewed_rebuild_s']:7.2f} s with: "
          f"{r['reviewed_rebuild_s'] / r['rebuild_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
