"""Syndication on the 2022 news corpus: stories, precision of the near-duplicate pairs, cost, tolls.

What it measures (docs/monitoring.md quotes the figures):

1. **Stories.** Every article is fingerprinted and assigned to a story by the ledger's own code
   (``ledger/stories.assign`` on an in-memory SQLite ledger, in publication order): how many
   stories of two or more copies the 11,549 articles form, how many articles they hold, and how
   many span several outlets.
2. **Precision** of the near-duplicate pairs on samples labelled by reading both texts (the label
   files hold pair ids and verdicts only, never the text): ``syndication_labels.json``, every
   pair found at a single threshold of 0.5 (each document with the copy it matched), on which the
   0.5 / 0.6 rule was then chosen (in sample); ``syndication_labels_fresh.json``, every other pair
   of documents the rule puts in one story (all pairs within each story, with stories joined),
   labelled after that rule was fixed (out of sample for it; the opening test for one outlet's
   pairs was then designed after reading them); ``syndication_labels_band.json``, the pairs in the
   band below the threshold (0.3 to 0.5, found by comparing every signature with every other) that
   the current rule would join, labelled after the rule was fixed (out of sample for it).
   ``--sample N --show`` prints pairs to label; ``--show-unlabelled`` the story pairs no file has,
   ``--show-band`` the band pairs the band file lacks.
3. **Cost**: fingerprinting per document against full extraction per document (``runner.process``)
   on the same articles in the same run, as a ratio.
4. **Tolls**: the dev gold reports (``../shared/gold/dev/*.txt`` but the five kept unread), and the corpus reports naming
   ``--case`` (Chaplyne: the station strike AP, CBS and NBC carried), each ingested twice through
   ``Store.ingest``, without and with stories; every ledger event whose toll changed, with the
   reasoning line the stories added.

    python bench/syndication.py                  # everything
    python bench/syndication.py --sample 40 --show > /tmp/pairs.txt   # a sample to label by reading
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_CORPUS, corpus_or_exit, load_articles  # noqa: E402

HERE = Path(__file__).resolve().parent
LABELS = HERE / "syndication_labels.json"
FRESH = HERE / "syndication_labels_fresh.json"
BAND = HERE / "syndication_labels_band.json"
GOLD_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev"
# the dev articles kept unread (their scores only, from ../shared/eval): left out of the per-event detail
HOLD_OUT = {"cnn-7ba987d77a667bea", "fox-c1ab476822446408", "huffpost-70b0559712a49c3f", "mirror-8de633d002f29436",
            "cbs-3829c146f7c47012"}


def memory_ledger():
    from sqlalchemy import create_engine

    from claimledger.ledger.db import metadata

    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return engine


def form_stories(articles) -> tuple[dict, list[tuple[str, str, float]], float, object]:
    """story id by article id, the matched pairs (doc, matched doc, similarity), seconds spent, and
    the in-memory ledger (the cost measure adds to it)."""
    from sqlalchemy import insert, select

    from claimledger.ledger import stories
    from claimledger.ledger.db import doc_fingerprints, documents

    engine = memory_ledger()
    order = sorted(articles, key=lambda a: (a.published or "", a.id))
    start = time.perf_counter()
    with engine.begin() as conn:
        for a in order:
            conn.execute(insert(documents).values(id=a.id, outlet=a.outlet, published=(a.published or "")[:10] or None,
                                                  body=a.text, n_claims=0, n_events=0, n_places=0, ingested_at="x"))
            stories.assign(conn, a.id, a.text, a.outlet)
    took = time.perf_counter() - start
    with engine.connect() as conn:
        rows = conn.execute(select(doc_fingerprints.c.doc_id, doc_fingerprints.c.story_id,
                                   doc_fingerprints.c.similarity, doc_fingerprints.c.signature)).all()
    story_of = {r.doc_id: r.story_id for r in rows}
    pairs = _pairs(rows)
    return story_of, pairs, took, engine


def _pairs(rows) -> list[tuple[str, str, float]]:
    """Each story member but its first with the other member it is most similar to."""
    from claimledger.clean.fingerprint import decode, similarity

    by_story: dict[str, list] = {}
    for r in rows:
        by_story.setdefault(r.story_id, []).append(r)
    out = []
    for sid, ms in by_story.items():
        if len(ms) < 2:
            continue
        for m in ms:
            if m.doc_id != sid:
                sims = [(similarity(decode(m.signature), decode(x.signature)), x.doc_id) for x in ms
                        if x.doc_id != m.doc_id]
                s, other = max(sims)
                out.append((m.doc_id, other, s))
    return sorted(out)


def report_stories(articles, story_of: dict, took: float) -> dict:
    outlet = {a.id: a.outlet for a in articles}
    members: dict[str, list[str]] = {}
    for d, s in story_of.items():
        members.setdefault(s, []).append(d)
    multi = {s: ms for s, ms in members.items() if len(ms) > 1}
    cross = sum(1 for ms in multi.values() if len({outlet[d] for d in ms}) > 1)
    sizes = Counter(len(ms) for ms in multi.values())
    return {"articles": len(articles), "fingerprinted": len(story_of),
            "stories_of_2_or_more": len(multi), "articles_in_them": sum(len(ms) for ms in multi.values()),
            "cross_outlet_stories": cross, "largest": max((len(ms) for ms in multi.values()), default=0),
            "sizes": dict(sorted(sizes.items())), "assign_ms_per_article": round(1000 * took / len(articles), 2)}


def story_pairs(story_of: dict, articles) -> list[tuple[str, str, float]]:
    """Every pair of documents in one story (what reconciliation counts once), with its similarity."""
    from itertools import combinations

    from claimledger.clean.fingerprint import fingerprint, similarity

    text = {a.id: a.text for a in articles}
    members: dict[str, list[str]] = {}
    for d, s in story_of.items():
        members.setdefault(s, []).append(d)
    sig: dict[str, object] = {}
    out = []
    for ms in members.values():
        for a, b in combinations(sorted(ms), 2):
            for d in (a, b):
                if d not in sig:
                    sig[d] = fingerprint(text[d]).signature
            out.append((a, b, similarity(sig[a], sig[b])))
    return sorted(out)


def scan(engine, articles, low: float) -> list[tuple[str, str, float, bool, bool]]:
    """Every pair of fingerprinted documents with a similarity of ``low`` or more, found by comparing
    each signature with every other (the LSH bands are tuned to the threshold and miss most pairs
    below it): (doc, doc, similarity, same outlet, open the same way)."""
    import numpy as np
    from sqlalchemy import select

    from claimledger.clean.fingerprint import decode, same_opening
    from claimledger.ledger.db import doc_fingerprints

    art = {a.id: a for a in articles}
    with engine.connect() as conn:
        rows = conn.execute(select(doc_fingerprints.c.doc_id, doc_fingerprints.c.signature)
                            .where(doc_fingerprints.c.doc_id.in_(list(art)))).all()
    ids = [r.doc_id for r in rows]
    sig = np.stack([decode(r.signature) for r in rows])
    out = []
    for i in range(len(ids) - 1):
        sims = np.count_nonzero(sig[i + 1:] == sig[i], axis=1) / sig.shape[1]
        for j in np.nonzero(sims >= low)[0]:
            a, b = art[ids[i]], art[ids[i + 1 + j]]
            same = (a.outlet or "").strip().lower() == (b.outlet or "").strip().lower()
            out.append((a.id, b.id, float(sims[j]), same, same_opening(a.text, b.text)))
    return out


def band(scanned: list, low: float) -> dict:
    """What the rule does around its threshold: the same-outlet pairs above it that the opening test
    turns away (an outlet's successive reports on one body), and the pairs in [low, threshold) that
    the rule would join if they reached the threshold (different outlets, or one outlet opening the
    same way), scored on ``syndication_labels_band.json`` (labelled after the rule was fixed)."""
    from claimledger.clean.fingerprint import settings

    t = settings()["stories"]["threshold"]
    above = [p for p in scanned if p[2] >= t]
    below = [p for p in scanned if low <= p[2] < t and (not p[3] or p[4])]
    labels = _labels(BAND)
    return {"pairs_at_or_above_threshold": len(above),
            "same_outlet_above_turned_away": sum(1 for p in above if p[3] and not p[4]),
            f"accepted_by_rule_in_{low}_{t}": len(below),
            "band_out_of_sample": _score([labels[frozenset(p[:2])] for p in below if frozenset(p[:2]) in labels]),
            "band_unlabelled": sum(1 for p in below if frozenset(p[:2]) not in labels),
            "band_two_outlets": _score([labels[frozenset(p[:2])] for p in below
                                        if not p[3] and frozenset(p[:2]) in labels]),
            "band_one_outlet": _score([labels[frozenset(p[:2])] for p in below
                                       if p[3] and frozenset(p[:2]) in labels])}


def _labels(path: Path) -> dict[frozenset, str]:
    if not path.exists():
        return {}
    return {frozenset((p["a"], p["b"])): p["verdict"] for p in json.loads(path.read_text())["pairs"]}


def _score(judged: list[str]) -> dict:
    v, n = Counter(judged), len(judged)
    return {"pairs": n, "verdicts": dict(v),
            "precision_strict": round(v["copy"] / n, 3) if n else None,
            "strict_95": wilson(v["copy"], n),
            "precision_claims": round((v["copy"] + v["appended"]) / n, 3) if n else None}


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float] | None:
    """The 95% Wilson score interval of k right out of n (sound at small n and at 0 or n right)."""
    if not n:
        return None
    p, d = k / n, 1 + z * z / n
    mid, half = (p + z * z / (2 * n)) / d, z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return round(mid - half, 3), round(mid + half, 3)


def precision(pairs: list[tuple[str, str, float]], within: list[tuple[str, str, float]], articles) -> dict:
    """Precision, strict (only copies count as right) and for counting claims once (a whole article
    appended counts too), each unordered pair once: on the in-sample labels this run still finds,
    on the fresh out-of-sample labels, and on every pair within a story; by outlet pairing too."""
    outlet = {a.id: a.outlet for a in articles}
    old, fresh = _labels(LABELS), _labels(FRESH)
    found = {frozenset((a, b)) for a, b, _s in pairs}
    inside = {frozenset((a, b)) for a, b, _s in within}
    both = {**old, **fresh}
    out = {"in_sample_matched_pairs": _score([old[p] for p in found if p in old]),
           "out_of_sample_story_pairs": _score([fresh[p] for p in inside if p in fresh]),
           "all_story_pairs": _score([both[p] for p in inside if p in both]),
           "story_pairs_unlabelled": len([p for p in inside if p not in both])}
    for name, keep in (("one_outlet", True), ("two_outlets", False)):
        same = [p for p in inside if p in fresh and (len({outlet[d] for d in p}) == 1) is keep]
        out[f"out_of_sample_{name}"] = _score([fresh[p] for p in same])
    return out


def show_sample(articles, pairs, n: int, seed: int) -> None:
    rng = random.Random(seed)
    show_pairs(articles, rng.sample(pairs, min(n, len(pairs))))


def show_pairs(articles, pairs) -> None:
    """Both texts' heads and tails, and how much of each the other's shingles cover (an appended
    article covers the other almost whole while the other covers half of it)."""
    from claimledger.clean.fingerprint import shingles

    text = {a.id: a for a in articles}
    for a, b, s in pairs:
        sa, sb = shingles(text[a].text), shingles(text[b].text)
        shared = len(sa & sb)
        print(f"=== {a} {b} sim {s:.2f}; shared 5-word runs cover {shared / max(1, len(sa)):.2f} of the first, "
              f"{shared / max(1, len(sb)):.2f} of the second")
        for d in (a, b):
            art = text[d]
            print(f"--- {d} {art.outlet} {art.published} {art.title}")
            print(art.text[:700].replace("\n", " "))
            print("   ...", art.text[-300:].replace("\n", " "))


def cost(articles, n: int, engine, rounds: int = 3) -> dict:
    """Per document, in the same run and in alternating rounds (the machine is shared): full
    extraction, the fingerprint alone, and the whole story assignment as ingest runs it (fingerprint,
    LSH look-up in a ledger already holding the corpus, storing signature and bands)."""
    from statistics import median

    from sqlalchemy import delete, insert

    from claimledger.clean.fingerprint import fingerprint
    from claimledger.ledger import stories
    from claimledger.ledger.db import doc_bands, doc_fingerprints, documents
    from claimledger.runner import process, warm

    sample = articles[:n]
    warm()
    times: dict[str, list[float]] = {"extract": [], "fingerprint": [], "assign": []}
    for r in range(rounds):
        t = time.perf_counter()
        for a in sample:
            process(a)
        times["extract"].append(time.perf_counter() - t)
        t = time.perf_counter()
        for a in sample:
            fingerprint(a.text)
        times["fingerprint"].append(time.perf_counter() - t)
        ids = [f"{a.id}-again{r}" for a in sample]
        with engine.begin() as conn:
            conn.execute(insert(documents), [dict(id=i, outlet=a.outlet, published=(a.published or "")[:10] or None,
                                                  body=a.text, n_claims=0, n_events=0, n_places=0, ingested_at="x")
                                             for i, a in zip(ids, sample, strict=True)])
            t = time.perf_counter()
            for i, a in zip(ids, sample, strict=True):
                stories.assign(conn, i, a.text, a.outlet)
            times["assign"].append(time.perf_counter() - t)
            for table in (doc_bands, doc_fingerprints, documents):   # leave the corpus ledger as it was
                conn.execute(delete(table).where((table.c.doc_id if table is not documents else table.c.id).in_(ids)))
    ms = {k: 1000 * median(v) / len(sample) for k, v in times.items()}
    return {"articles": len(sample), "rounds": rounds, "extract_ms_per_doc": round(ms["extract"], 1),
            "fingerprint_ms_per_doc": round(ms["fingerprint"], 2), "assign_ms_per_doc": round(ms["assign"], 2),
            "fingerprint_share_of_extraction": f"{100 * ms['fingerprint'] / ms['extract']:.1f}%",
            "assign_share_of_extraction": f"{100 * ms['assign'] / ms['extract']:.1f}%"}


def gold_articles(gold_dir: Path) -> list:
    from claimledger.ingest.readers import read_path
    from claimledger.records import Article

    return [a for p in sorted(gold_dir.glob("*.txt")) if p.stem not in HOLD_OUT
            for a in read_path(str(p)) if isinstance(a, Article)]


def tolls(articles: list) -> dict:
    """Ledger events of these reports, without and with stories; those whose toll changed."""
    from claimledger.clean import fingerprint

    before = _ledger_tolls(articles, threshold=2.0)   # no two documents are ever this similar
    after = _ledger_tolls(articles, threshold=fingerprint.settings()["stories"]["threshold"])
    changed = []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        if (b and b[0]) != (a and a[0]):
            changed.append({"event": key, "before": b and b[0], "after": a and a[0],
                            "note": next((r for r in (a[1] if a else []) if "copies of one" in r), None)})
    noted = [next(r for r in v[1] if "copies of one" in r) for v in after.values()
             if any("copies of one" in r for r in v[1])]
    return {"reports": len(articles), "events": len(after), "events_with_copies": len(noted), "notes": noted,
            "tolls_changed": changed}


def _ledger_tolls(articles: list, threshold: float) -> dict:
    """(low, best, high) and reasoning of every ledger event, keyed by date, place and type."""
    from claimledger.clean import fingerprint
    from claimledger.ledger.identity import input_hash
    from claimledger.ledger.store import Store
    from claimledger.runner import process

    cfg = fingerprint.settings()["stories"]
    old = dict(cfg)
    if threshold > 1:    # stories off: no pair is ever this similar
        cfg.update(threshold=threshold)
    try:
        store = Store.open("sqlite://")
        for art in articles:
            o = process(art)
            if o.result is not None:
                store.ingest(o.result, body=o.body, origin=art.origin, input_hash=input_hash(art.text))
        out = {}
        for ev in store.iter_events():
            d = ev.deaths
            out[f"{ev.date.start if ev.date else '-'} {ev.place.name if ev.place else '-'} {ev.type}"] = (
                (d.low, d.best, d.high) if d else None, (d.reasoning or []) if d else [])
        store.close()
        return out
    finally:
        cfg.update(old)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sample", type=int, default=40, help="pairs to print with --show")
    ap.add_argument("--show", action="store_true", help="print a sample of pairs to label, then stop")
    ap.add_argument("--show-unlabelled", action="store_true",
                    help="print the pairs within stories that no label file has, then stop")
    ap.add_argument("--show-band", action="store_true",
                    help="print the pairs below the threshold the rule would join that the band label file lacks")
    ap.add_argument("--band-low", type=float, default=0.3,
                    help="lower end of the similarity band checked below the threshold (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--cost-n", type=int, default=100, help="articles for the cost comparison")
    ap.add_argument("--skip-tolls", action="store_true")
    ap.add_argument("--case", default="Chaplyne",
                    help="also compare tolls on the corpus reports naming this word (default: %(default)s, "
                         "the station strike CBS, NBC and AP carried)")
    args = ap.parse_args()
    corpus_or_exit(args.corpus)
    articles = load_articles(args.corpus, None)
    for i, a in enumerate(articles):
        a.id = a.id or f"line{i}"
    story_of, pairs, took, engine = form_stories(articles)
    if args.show:
        show_sample(articles, pairs, args.sample, args.seed)
        return 0
    scanned = scan(engine, articles, args.band_low)
    if args.show_band:
        from claimledger.clean.fingerprint import settings

        t, known = settings()["stories"]["threshold"], _labels(BAND)
        show_pairs(articles, [p[:3] for p in scanned if args.band_low <= p[2] < t and (not p[3] or p[4])
                              and frozenset(p[:2]) not in known])
        return 0
    within = story_pairs(story_of, articles)
    if args.show_unlabelled:
        known = {**_labels(LABELS), **_labels(FRESH)}
        show_pairs(articles, [p for p in within if frozenset(p[:2]) not in known])
        return 0
    out = {"stories": report_stories(articles, story_of, took), "matched_pairs": len(pairs),
           "story_pairs": len(within), "precision": precision(pairs, within, articles),
           "around_threshold": band(scanned, args.band_low),
           "cost": cost(articles, args.cost_n, engine)}
    if not args.skip_tolls:
        if GOLD_DEV.exists():
            out["dev_gold_tolls"] = tolls(gold_articles(GOLD_DEV))
        case = [a for a in articles if args.case.lower() in a.text.lower()]
        out[f"corpus_case_{args.case}"] = tolls(case)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
