"""The analyst's page with 10,000 events: page load, and table pages (sorted, filtered, searched).

    .venv/bin/python bench/page_load.py                    # build a 10,000-event ledger in a temp dir
    .venv/bin/python bench/page_load.py --db /tmp/l.db     # keep (or reuse) the ledger file
    .venv/bin/python bench/page_load.py --events 2000 --requests 50 --runs 3
    .venv/bin/python bench/page_load.py --db /tmp/l.db --compare http://127.0.0.1:8871   # A/B page loads
    .venv/bin/python bench/page_load.py --db /tmp/l.db --tables-only --compare-root OLD --rounds 3   # A/B tables

Targets (issue 13): page load < 1.5 s, a table page < 100 ms (p95). The ledger is the synthetic one
of bench/api_latency.py (synthetic reports through ``Store.ingest``). Measured against a real
uvicorn server on 127.0.0.1:

* **page load**: headless Chromium, navigation until the page is ready (map rows loaded, every
  marker made and clustered, legend, timeline, facets asked) plus two animation frames; plain and
  with the events table open (``?table=events``); with when the base map was painted (the page's
  ``claimledger-basemap`` mark, before the markers are made) and the renderer's main-thread task
  time (CDP ``TaskDuration``: the browser's CPU for the load, steadier than wall time here);
  ``--compare URL`` loads another server's page (``claimledger serve`` of an older checkout on the
  same ledger) in turn with this one, the same-run baseline for the page;
* **table pages**: p50/p95 of ``GET /api/events`` and ``GET /api/claims`` pages of 50 as the table
  asks them, from a server without its response cache (every answer computed, as for the first
  visitor to ask it): sorted by each column, deep pages, with filters, with the three kinds of side and with
  a substring search (one that the whole-record ``LIKE`` screens, and a non-ASCII one that reads
  every claim's JSON);
* ``--compare-root OLD --rounds N`` (with ``--tables-only``): the table pages of the code in OLD
  (``git archive`` of a commit) and of this checkout, alternately, N rounds, each side in its own
  process on its own copy of the ledger (taken down to OLD's schema for OLD), medians reported;
* **baseline in the same run**: the map layer as the page loaded it before (every event decoded
  from its stored JSON, ``Store.list_events``) against the column read it uses now
  (``Store.map_rows``), in process, so the ratio does not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# the code measured: this checkout's, or (--compare-root) another's, chosen by the parent process
sys.path.insert(0, os.environ.get("CLAIMLEDGER_BENCH_CODE") or str(HERE.parent))
sys.path.insert(0, str(HERE))

from api_latency import CHROMIUM, Server, build, pct  # noqa: E402

PAGE = 50
cpu: dict[str, float] = {}   # CPU ms per request, by table query (filled by measure_tables)


def table_requests(rng: random.Random, total: int) -> dict:
    deep = lambda: rng.randrange(0, max(1, total - PAGE))  # noqa: E731
    return {
        "events: first page (baseline)": ("/api/events", lambda: {}),
        "events: by deaths, desc": ("/api/events", lambda: {"order": "-deaths"}),
        "events: by place, deep page": ("/api/events", lambda: {"order": "place", "offset": deep()}),
        "events: by date desc, deep page": ("/api/events", lambda: {"order": "-date", "offset": deep()}),
        "events: by reports": ("/api/events", lambda: {"order": "-documents"}),
        "events: source kind + deaths range": ("/api/events", lambda: {"source_kind": "intl_org", "min_deaths": 2,
                                                                       "max_deaths": 20}),
        "events: search 'UN monitoring'": ("/api/events", lambda: {"q": "UN monitoring"}),
        "events: search + sort by deaths": ("/api/events", lambda: {"q": "governor", "order": "-deaths"}),
        "claims: first page": ("/api/claims", lambda: {}),
        "claims: by figure, desc": ("/api/claims", lambda: {"order": "-value"}),
        "claims: by source, deep page": ("/api/claims", lambda: {"order": "source", "offset": deep()}),
        "claims: search 'General Staff'": ("/api/claims", lambda: {"q": "General Staff"}),
        "events: substring 'eneral Sta'": ("/api/events", lambda: {"q": "eneral Sta"}),
        "claims: substring 'oint 4' + sort by source": ("/api/claims", lambda: {"q": "oint 4", "order": "source"}),
        "claims: non-ASCII search 'Київ' (no screen)": ("/api/claims", lambda: {"q": "Київ"}),
        "events: whose losses + party involved": ("/api/events", lambda: {"subject_side": "unknown", "side": "russia"}),
        "claims: who says it + party involved": ("/api/claims", lambda: {"source_side": "ukraine",
                                                                         "event_side": "russia"}),
    }


def measure_tables(base: str, requests: int, total: int, rng: random.Random) -> dict:
    import httpx

    out = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get("/api/events")   # open the ledger
        for name, (path, params) in table_requests(rng, total).items():
            times = []
            cpu0 = time.process_time()   # server and client share this process: CPU, unlike wall time,
            for _ in range(requests):     # barely moves with the other jobs on the machine
                q = {"limit": PAGE, **params()}
                t0 = time.perf_counter()
                r = client.get(path, params=q)
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
            out[name] = times
            cpu[name] = (time.process_time() - cpu0) * 1000 / requests
    return out


def measure_page(bases: dict[str, str], runs: int, query: str = "") -> dict[str, list[tuple]] | None:
    """Page loads of each server in turn (after one warm-up round): (ms until ready, ms until the
    base map was painted or None, main-thread task ms) per load; None without Chromium."""
    if not os.path.exists(CHROMIUM):
        print(f"  page load: skipped ({CHROMIUM} missing)", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    out: dict[str, list[tuple]] = {name: [] for name in bases}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for run in range(runs + 1):
            for name, base in bases.items():
                context = browser.new_context(viewport={"width": 1400, "height": 860})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(base + "/" + query)
                page.wait_for_selector("body[data-ready='1']", timeout=120000)
                if "table=" in query:
                    page.wait_for_selector("#table-body table", timeout=120000)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                ready = page.evaluate("() => performance.now()")
                marks = dict(page.evaluate("() => performance.getEntriesByType('mark').map(m => [m.name, m.startTime])"))
                busy = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}["TaskDuration"]
                if run:   # the first round warms every server (and the ledger's page cache)
                    out[name].append((ready, marks.get("claimledger-basemap"), busy * 1000))
                context.close()
        browser.close()
    return out


def map_baseline(url: str, runs: int) -> tuple[list[float], list[float]]:
    """The map layer the old way (decode every event's JSON) and the new way (columns), in process."""
    from claimledger.ledger.store import Store

    old, new = [], []
    for _ in range(runs):
        with Store.open(url, create=False) as store:   # a new store each time: nothing remembered
            t0 = time.perf_counter()
            store.list_events(limit=None, offset=0)
            old.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            store.map_rows()
            new.append((time.perf_counter() - t0) * 1000)
    return old, new


def report(tables: dict, loads: dict, old: list[float], new: list[float], events: int) -> None:
    print(f"\nledger: {events} events\n")
    base = cpu[next(iter(tables))]
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| request (page of 50) | p50 ms | p95 ms | CPU ms / request | CPU vs first page |")
    print("|---|---|---|---|---|")
    for name, times in tables.items():
        print(f"| `{name}` | {pct(times, 0.5):.0f} | {pct(times, 0.95):.0f} | {cpu[name]:.1f} | x{cpu[name] / base:.1f} |")
    worst = max(pct(t, 0.95) for t in tables.values())
    print(f"\nworst table p95: {worst:.0f} ms (target < 100 ms)")
    for view, by_server in loads.items():
        for server, rows in (by_server or {}).items():
            ready = [r[0] for r in rows]
            painted = [r[1] for r in rows if r[1] is not None]
            print(f"page load {view}, {server}: median {statistics.median(ready):.0f} ms, max {max(ready):.0f} ms "
                  f"over {len(rows)} runs (target < 1500 ms); base map painted "
                  f"{f'{statistics.median(painted):.0f} ms' if painted else 'with the markers'}; "
                  f"main-thread tasks {statistics.median(r[2] for r in rows):.0f} ms")
    if old and new:
        print(f"map layer in process, not remembered: decoding every event {statistics.median(old):.0f} ms, "
              f"columns {statistics.median(new):.0f} ms (x{statistics.median(old) / statistics.median(new):.1f})")


def compare_tables(db: Path, old_root: Path, rounds: int, requests: int) -> None:
    """The table pages of ``old_root``'s code and of this checkout, alternately, each in a process of
    its own on a copy of ``db`` (the old side's at its schema), and a table of the medians."""
    import json
    import subprocess

    from api_latency import fresh_copy

    runs: dict[str, list[dict]] = {"old": [], "new": []}
    for _ in range(rounds):
        for side, root in (("old", old_root.resolve()), ("new", HERE.parent)):
            with fresh_copy(db, True, root) as copy, tempfile.NamedTemporaryFile(suffix=".json") as out:
                env = dict(os.environ, CLAIMLEDGER_BENCH_CODE=str(root), PYTHONPATH=str(root))
                subprocess.run([sys.executable, str(Path(__file__).resolve()), "--db", str(copy), "--tables-only",
                                "--requests", str(requests), "--json", out.name], env=env, check=True,
                               stdout=subprocess.DEVNULL)
                runs[side].append(json.loads(Path(out.name).read_text()))
                assert runs[side][-1].pop("code") == str(root / "claimledger" / "__init__.py"), "measured the wrong code"
    print(f"\nold: {old_root}, new: {HERE.parent}; {rounds} rounds, medians; load average at the end "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| request (page of 50) | old p50 / p95 ms | new p50 / p95 ms | old CPU ms | new CPU ms |")
    print("|---|---|---|---|---|")
    for name in runs["new"][0]:
        med = {side: {k: statistics.median(r[name][k] for r in rs if name in r) for k in ("p50", "p95", "cpu")}
               for side, rs in runs.items() if any(name in r for r in rs)}
        old = med.get("old", {"p50": float("nan"), "p95": float("nan"), "cpu": float("nan")})
        new = med["new"]
        print(f"| `{name}` | {old['p50']:.0f} / {old['p95']:.0f} | {new['p50']:.0f} / {new['p95']:.0f} "
              f"| {old['cpu']:.1f} | {new['cpu']:.1f} |")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLite file to build or reuse (default: a temporary one)")
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=100, help="requests per table query (default %(default)s)")
    ap.add_argument("--runs", type=int, default=7, help="page loads per variant (default %(default)s)")
    ap.add_argument("--tables-only", action="store_true",
                    help="the table pages alone (no browser, no map baseline): the API's share, quickly")
    ap.add_argument("--compare", metavar="URL", help="another server of the same ledger whose page is loaded in turn")
    ap.add_argument("--compare-root", type=Path, metavar="DIR",
                    help="with --tables-only and --db: the table pages of the code in DIR and of this checkout, in turn")
    ap.add_argument("--rounds", type=int, default=3, help="--compare-root rounds (default %(default)s)")
    ap.add_argument("--json", help="--tables-only: also write the table figures here")
    args = ap.parse_args(argv)
    if args.compare_root:
        if not (args.db and args.tables_only):
            ap.error("--compare-root needs --db and --tables-only")
        compare_tables(Path(args.db), args.compare_root, args.rounds, args.requests)
        return 0

    from claimledger.outputs.api import create_app

    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="claimledger-page-")
        path = Path(tmp.name) / "ledger.db"
    url = f"sqlite:///{path}"
    print(f"building {url} to {args.events} events...", file=sys.stderr)
    events = build(url, args.events)
    rng = random.Random(13)
    port = free_port()
    # the table pages as a first visitor's: the response cache (outputs/api/cache.py) would answer
    # 59 of 60 repeats of a request from memory, so these servers compute every answer
    with Server(create_app(url, response_cache=False), port):
        tables = measure_tables(f"http://127.0.0.1:{port}", args.requests, events, rng)
    if args.tables_only:
        report(tables, {}, [], [], events)
        if args.json:
            import json

            import claimledger

            figures = {name: {"p50": pct(t, 0.5), "p95": pct(t, 0.95), "cpu": cpu[name]} for name, t in tables.items()}
            Path(args.json).write_text(json.dumps({**figures, "code": claimledger.__file__}))
        return 0
    port = free_port()
    with Server(create_app(url), port):   # page loads as served: after a warm-up round, answers remembered
        bases = {"this code": f"http://127.0.0.1:{port}", **({"compared": args.compare.rstrip("/")} if args.compare else {})}
        loads = {"(map)": measure_page(bases, args.runs), "(map + events table)": measure_page(bases, args.runs, "?table=events")}
    old, new = map_baseline(url, 5)
    report(tables, loads, old, new, events)
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
