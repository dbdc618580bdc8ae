"""API latency and page load time over a ledger of 10,000 synthetic events.

    .venv/bin/python bench/api_latency.py                 # build a ledger in a temp dir, measure
    .venv/bin/python bench/api_latency.py --db /tmp/l.db  # keep (or reuse) the ledger file
    .venv/bin/python bench/api_latency.py --events 2000 --requests 100 --no-browser
    .venv/bin/python bench/api_latency.py --db /tmp/l.db --clients 20 --duration 60 [--with-ingest]
    .venv/bin/python bench/api_latency.py --db /tmp/l.db --clients 20 --compare-root OLD --serve-args "--workers 2"
    .venv/bin/python bench/api_latency.py --db /tmp/l.db --clients 20 --compare-root OLD --rounds 3 --client httpx

The ledger is built the way real data arrives: synthetic DocResults (each document reports
several events, every claim pointing at a real span of its body) through ``Store.ingest``, so
merging and reconciliation run as usual. Events fall at random points of Ukraine over three years,
so a few merge; documents are added until the ledger holds the requested number of events.

Measured against a real uvicorn server on 127.0.0.1: p50/p95 of ``GET /api/events`` (one page,
with and without filters), of ``GET /api/map`` (every event, what the page loads) and, in
headless Chromium, the time from navigation to the page having drawn every marker.

``--clients N --duration S`` is the load test instead: ``claimledger serve`` in its own process
(as deployed), N concurrent clients for S seconds, each request an events list (a random filter
and page) or an event's detail (a random id), half and half; p50/p95/p99 of each, requests per
second, errors, and the CPU the server and the load generator each spent per request (what the
code costs, whatever else the machine runs). ``--with-ingest`` runs an ingest of synthetic reports
into the same ledger meanwhile, in another process, at the CPU priority the served code's
``claimledger ingest`` takes by default (``--ingest-nice N`` to choose it). ``--compare-root OLD`` serves the code in OLD
first and this checkout second, ``--rounds N`` alternating them N times (medians reported);
``--also-uncached`` adds this checkout with its response cache off (``serve --no-response-cache``).
With ``--with-ingest`` each run serves a fresh copy of the built ledger, so every run starts from
the same 10,000 events whatever the runs before it ingested. ``--ingest-ratio`` runs each side
without and then with an ingest in every round and reports each side's p95 ratio (issue 14: "p95 at
most doubled" with an ingest running), the two runs minutes apart on the same machine.
``--ingest-elsewhere`` runs the same writer into another copy of the ledger than the one served (with
``--ingest-ratio``, a third run of each side): what the ingest costs the server through the machine
alone (CPU, caches, scheduling), against what it costs through the ledger changing under it. The
load generator is a minimal asyncio HTTP/1.1 client (``--client raw``, :class:`RawClient`) unless
``--client httpx``: on a two-core machine, the generator's CPU is taken from the server's.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the code measured: this checkout's, or the one bench/page_load.py --compare-root chose for its process
sys.path.insert(0, os.environ.get("CLAIMLEDGER_BENCH_CODE") or str(ROOT))

from claimledger.records import (  # noqa: E402
    Actor,
    Claim,
    DateSpan,
    Deaths,
    DocMeta,
    DocResult,
    Event,
    Evidence,
    Place,
    Quantity,
    Source,
    Span,
    Subject,
    doc_id,
)

TYPES = [("Shelling/artillery/missile attack", "Explosions/Remote violence"),
         ("Air/drone strike", "Explosions/Remote violence"),
         ("Armed clash", "Battles"),
         ("Remote explosive/landmine/IED", "Explosions/Remote violence"),
         ("Attack", "Violence against civilians")]
SOURCES = [("Ukrainian General Staff", "military", "ukraine"), ("Russian Ministry of Defence", "government", "russia"),
           ("regional governor", "official", "ukraine"), ("UN monitoring mission", "intl_org", "third_party"),
           (None, "unattributed", "unknown")]
START = dt.date(2022, 2, 24)
CHROMIUM = "/usr/bin/chromium"


def synthetic_document(rng: random.Random, n_events: int, serial: int) -> tuple[DocResult, str]:
    sentences, pending = [], []
    for i in range(n_events):
        day = (START + dt.timedelta(days=rng.randrange(1100))).isoformat()
        lat, lon = rng.uniform(45.5, 51.5), rng.uniform(23.5, 39.5)
        killed = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 40])
        src = rng.choice(SOURCES)
        sentence = (f"Report {serial}-{i}: {killed} people were killed near point {lat:.3f},{lon:.3f} "
                    f"on {day}, {src[0] or 'the outlet'} said.")
        sentences.append(sentence)
        pending.append((day, lat, lon, killed, src, sentence))
    body = " ".join(sentences)
    meta = DocMeta(id=doc_id(body), title=f"Synthetic report {serial}", outlet="Bench Wire",
                   published=max(p[0] for p in pending))
    claims, events, places, pos = [], [], [], 0
    for i, (day, lat, lon, killed, src, sentence) in enumerate(pending):
        start = body.index(sentence, pos)
        pos = start + len(sentence)
        place = Place(mention=f"{lat:.3f},{lon:.3f}", name=f"Point {serial}-{i}", geonameid=None, lat=round(lat, 4),
                      lon=round(lon, 4), country="UA", admin1=None, precision="point", evidence=Span(start, start))
        ev_id = f"{meta.id}:e{i}"
        claim = Claim(id=f"{meta.id}:{i}", evidence=Evidence(sentence, start, pos),
                      source=Source(src[0], src[0], src[1], src[2]), stance="asserted", measure="killed",
                      quantity=Quantity(str(killed), killed, killed, killed, False),
                      subject=Subject("people", "people", "unknown"), date=DateSpan(None, day, day), place=place,
                      event=ev_id)
        kind = rng.choice(TYPES)
        sides = rng.choice([("russia", "ukraine"), ("ukraine", "russia"), (None, "ukraine")])
        events.append(Event(id=ev_id, type=kind[0], event_type=kind[1], date=DateSpan(None, day, day), place=place,
                            initiator=Actor(None, sides[0]) if sides[0] else None, target=Actor(None, sides[1]),
                            deaths=Deaths(killed, killed, killed) if killed else None, claims=[claim.id]))
        claims.append(claim)
        places.append(place)
    return DocResult(doc=meta, claims=claims, events=events, places=places), body


def build(url: str, target: int, seed: int = 7, per_doc: int = 10) -> int:
    from claimledger.ledger.store import Store

    store = Store.open(url)
    rng = random.Random(seed)
    try:
        serial = store.summary().get("documents", 0)
        t0 = time.perf_counter()
        while (have := store.summary()["events"]) < target:
            for _ in range(max(1, min(100, (target - have) // per_doc + 1))):
                result, body = synthetic_document(rng, per_doc, serial)
                store.ingest(result, body=body, origin="bench")
                serial += 1
            print(f"  ledger: {store.summary()['events']} events ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        return store.summary()["events"]
    finally:
        store.close()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure_api(base: str, requests: int, rng: random.Random) -> dict:
    import httpx

    kinds = {
        "events (no filter)": lambda: {},
        "events (page 20)": lambda: {"offset": 2000},
        "events (type)": lambda: {"type": rng.choice(TYPES)[0]},
        "events (date range)": lambda: {"since": "2023-01-01", "until": "2023-03-31"},
        "events (bbox)": lambda: {"bbox": "30,46,36,50"},
        "events (side+deaths)": lambda: {"side": "russia", "min_deaths": 5},
    }
    out = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get("/api/events")  # warm up: open the ledger
        for name, params in kinds.items():
            times = []
            for _ in range(requests):
                t0 = time.perf_counter()
                r = client.get("/api/events", params=params())
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
            out[name] = times
        times = []
        for _ in range(max(5, requests // 10)):
            t0 = time.perf_counter()
            r = client.get("/api/map", headers={"Accept-Encoding": "gzip"})
            times.append((time.perf_counter() - t0) * 1000)
            r.raise_for_status()
        out["map (all events)"] = times
        out["_map_bytes"] = len(r.content)
        out["_map_wire"] = r.num_bytes_downloaded
        out["_map_rows"] = len(r.json()["items"])
    return out


def measure_page(base: str, runs: int, query: str = "") -> list[float] | None:
    """Milliseconds from navigation until the page has drawn its data (and its table, when the
    query opens one), in headless Chromium; None when Chromium is not installed."""
    if not os.path.exists(CHROMIUM):
        print(f"  page load: skipped ({CHROMIUM} missing)", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.goto(base + "/" + query)
            page.wait_for_selector("body[data-ready='1']", timeout=120000)
            if "table=" in query:
                page.wait_for_selector("#table-body table", timeout=120000)
            # ready = data loaded, markers made and handed to the cluster layer, first draw queued
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            times.append(page.evaluate("() => performance.now()"))
            page.close()
        browser.close()
    return times


class Server:
    def __init__(self, app, port: int):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


def keep_ingesting(url: str, seconds: float, seed: int = 99, batch: bool = False) -> int:
    """Ingest synthetic reports into ``url`` for ``seconds`` (the concurrent writer of the load test),
    one transaction per report, or with ``batch`` in the group commits ``claimledger ingest`` makes
    (``Store.batch``, when the code has it)."""
    from claimledger.ledger.store import Store

    rng = random.Random(seed)
    n = 0
    end = time.monotonic() + seconds
    with Store.open(url) as store:
        serial = 10_000_000 + seed * 100_000
        grouped = store.batch() if batch and hasattr(store, "batch") else contextlib.nullcontext()
        with grouped:
            while time.monotonic() < end:
                result, body = synthetic_document(rng, 3, serial + n)
                store.ingest(result, body=body, origin="bench-ingest")
                n += 1
    return n


def ingest_priority(nice: int | None) -> None:
    """The concurrent writer's CPU priority: ``nice``, or (None) what ``claimledger ingest`` of the
    code on ``sys.path`` runs at by default (``--nice``, claimledger/scale/priority.py; older code
    has no such option and ran at the priority it was started with)."""
    if nice is not None:
        os.setpriority(os.PRIO_PROCESS, 0, max(os.getpriority(os.PRIO_PROCESS, 0), nice))
        return
    try:
        from claimledger.scale.priority import DEFAULT_NICE, lower_priority
    except ImportError:
        return
    lower_priority(DEFAULT_NICE)


def _event_params(rng: random.Random) -> dict:
    return rng.choice([
        lambda: {},
        lambda: {"offset": rng.randrange(0, 5000)},
        lambda: {"type": rng.choice(TYPES)[0]},
        lambda: {"since": "2023-01-01", "until": "2023-03-31"},
        lambda: {"bbox": "30,46,36,50"},
        lambda: {"side": "russia", "min_deaths": 5},
        lambda: {"order": "-date", "limit": 50},
    ])()


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams, for the load test.

    httpx's async client costs 1.2-1.5 ms of CPU a request, as much as the server's work, and the
    load generator shares the machine's two cores with the server: every millisecond it spends is
    one the server cannot. This one asks with ``Accept-Encoding: gzip`` like a browser (so the
    server compresses as it would) and reads the body's bytes without decompressing them.
    """

    def __init__(self, host: str, port: int, timeout: float = 30):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader = self.writer = None

    async def get(self, target: str) -> tuple[int, bytes]:
        import asyncio

        for attempt in (0, 1):   # a kept-alive connection the server closed meanwhile: one retry
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n"
                                  "Accept-Encoding: gzip\r\n\r\n".encode())
                return await asyncio.wait_for(self._response(), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = b""
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                body += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        else:
            body = await self.reader.read()
        if headers.get("connection") == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def _load(base: str, clients: int, seconds: float, ids: list[str], seed: int, client_kind: str = "raw") -> dict:
    import asyncio
    from urllib.parse import urlencode, urlsplit

    import httpx

    times: dict[str, list[float]] = {"events list": [], "event detail": []}
    sizes: dict[str, int] = {"events list": 0, "event detail": 0}   # body bytes as sent (gzipped)
    errors: list[str] = []
    end = time.monotonic() + seconds
    where = urlsplit(base)

    async def client(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        async with httpx.AsyncClient(base_url=base, timeout=30) as hc:
            raw = RawClient(where.hostname, where.port)
            while time.monotonic() < end:
                if rng.random() < 0.5:
                    kind, target = "events list", "/api/events?" + urlencode(_event_params(rng), doseq=True)
                else:
                    kind, target = "event detail", f"/api/events/{rng.choice(ids)}"
                t0 = time.perf_counter()
                try:
                    if client_kind == "raw":
                        status, body = await raw.get(target)
                    else:
                        r = await hc.get(target)
                        status, body = r.status_code, r.content
                    sizes[kind] += len(body)
                    ok = status == 200 or (kind == "event detail" and status == 307)
                    if not ok:
                        errors.append(f"{status} {body[:100]!r}")
                except (httpx.HTTPError, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
                    errors.append(type(exc).__name__)
                times[kind].append((time.perf_counter() - t0) * 1000)
            await raw.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    wall = time.perf_counter() - t0
    return {"times": times, "errors": errors, "wall": wall, "sizes": sizes}


def _cpu_seconds(pid: int) -> float:
    """CPU seconds of ``pid`` and of its live child processes (``serve --workers N``'s workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


ELSEWHERE = "elsewhere"   # a load test's writer ingesting into another copy of the ledger (--ingest-elsewhere)


class ServerGone(RuntimeError):
    """The server never answered, or stopped answering, before the load started (on a machine other
    jobs share, something may stop it): the run is made again."""


def measure_load(url: str, clients: int, seconds: float, with_ingest: bool, serve_args: list[str] = (),
                 code_root: Path = ROOT, client_kind: str = "raw", ingest_nice: int | None = None,
                 ingest_url: str | None = None, ingest_batch: bool = False) -> dict:
    """The load test against ``claimledger serve`` (run from the code in ``code_root``, with
    ``serve_args``) in a subprocess; figures as a dict. ``ingest_url``: the writer's ledger when it is
    not the one served (``--ingest-elsewhere``)."""
    import asyncio
    import socket
    import subprocess

    import httpx

    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    exe = Path(sys.executable).parent / "claimledger"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(code_root), os.environ.get("PYTHONPATH", "")]))
    server = subprocess.Popen([str(exe), "serve", "--db", url, "--port", str(port), *serve_args],
                              stdout=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    writer = None
    res: dict = {}
    try:
        deadline = time.monotonic() + 120   # a loaded machine, a migration on first open: startup can be slow
        while time.monotonic() < deadline and server.poll() is None:
            try:
                httpx.get(base + "/api/health", timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        try:
            ids = [e["id"] for e in httpx.get(base + "/api/events", params={"limit": 1000}, timeout=60).json()["items"]]
        except httpx.HTTPError as exc:
            raise ServerGone(f"the server did not answer before the load test ({exc}; exit code {server.poll()})") \
                from None
        if with_ingest:
            code = (f"import sys; sys.path[:0] = [{str(code_root)!r}, {str(ROOT / 'bench')!r}]; import claimledger; "
                    f"import api_latency as b; b.ingest_priority({ingest_nice!r}); "
                    f"print(b.keep_ingesting({ingest_url or url!r}, {seconds + 5}, batch={ingest_batch!r}))")
            # the writer runs the served code too: its schema (an older one refuses a newer ledger), its triggers
            writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
            time.sleep(2)
        cpu0, own0 = _cpu_seconds(server.pid), time.process_time()
        res = asyncio.run(_load(base, clients, seconds, ids, seed=3, client_kind=client_kind))
        res["server_cpu"] = _cpu_seconds(server.pid) - cpu0
        res["client_cpu"] = time.process_time() - own0
    finally:
        if writer is not None:
            if "wall" not in res:
                writer.kill()
            res["ingested"] = int((writer.communicate(timeout=120)[0] or "0").strip() or 0)
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    out = {"code": str(code_root), "serve_args": " ".join(serve_args), "client": client_kind,
           "load_average": round(os.getloadavg()[0], 1),
           "clients": clients, "seconds": round(res["wall"], 1), "errors": len(res["errors"]),
           "error_samples": res["errors"][:5], "with_ingest": with_ingest, "latency_ms": {}}
    if with_ingest:
        out["ingest_nice"] = "default" if ingest_nice is None else ingest_nice
        out["ingest_into"] = "another ledger" if ingest_url else "the served ledger"
        out["ingest_commits"] = "grouped" if ingest_batch else "one per report"
    total = sum(len(t) for t in res["times"].values())
    out["requests"] = total
    out["requests_per_s"] = round(total / res["wall"], 1)
    # the server's own CPU per request: what the code costs, whatever else the machine runs
    out["server_cpu_ms_per_request"] = round(res["server_cpu"] * 1000 / max(1, total), 2)
    # the load generator's own CPU: on a small shared machine it can be what limits requests/s
    out["client_cpu_ms_per_request"] = round(res["client_cpu"] * 1000 / max(1, total), 2)
    for kind, t in res["times"].items():
        out["latency_ms"][kind] = {"n": len(t), "p50": round(pct(t, 0.5), 1), "p95": round(pct(t, 0.95), 1),
                                   "p99": round(pct(t, 0.99), 1)}
    # what the answers weigh on the wire: a faster compression must not make them much bigger
    out["bytes_per_response"] = {kind: round(res["sizes"][kind] / max(1, len(t))) for kind, t in res["times"].items()}
    if "ingested" in res:
        out["documents_ingested_meanwhile"] = res["ingested"]
    return out


def median_run(runs: list[dict]) -> dict:
    """One run's figures as the median of several runs' (each figure on its own); ``runs`` kept."""
    if len(runs) == 1:
        return runs[0]
    out = dict(runs[0], rounds=runs)
    for key in ("requests_per_s", "server_cpu_ms_per_request", "client_cpu_ms_per_request", "load_average"):
        out[key] = statistics.median(r[key] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    out["latency_ms"] = {kind: {p: round(statistics.median(r["latency_ms"][kind][p] for r in runs), 1)
                                for p in ("n", "p50", "p95", "p99")} for kind in runs[0]["latency_ms"]}
    if all("bytes_per_response" in r for r in runs):
        out["bytes_per_response"] = {kind: statistics.median(r["bytes_per_response"][kind] for r in runs)
                                     for kind in runs[0]["bytes_per_response"]}
    return out


def load_comparison(before: dict, others: list[dict]) -> str:
    """The first run and the others as a table, with ratios to the first (one run, one machine, one
    ledger)."""
    def figures(run: dict) -> list:
        row = [run["requests_per_s"], run["server_cpu_ms_per_request"], run["client_cpu_ms_per_request"]]
        row += [run["latency_ms"][kind][p] for kind in before["latency_ms"] for p in ("p50", "p95", "p99")]
        return row + [run["errors"], run["load_average"]]
    names = ["requests/s", "server CPU ms/request", "client CPU ms/request"]
    names += [f"{kind} {p} ms" for kind in before["latency_ms"] for p in ("p50", "p95", "p99")]
    names += ["errors", "load average"]
    heads = "".join(f" {r['code'].rsplit('/', 1)[-1]} {r['serve_args']} | / first |" for r in others)
    out = [f"| {'':24} | {before['code'].rsplit('/', 1)[-1]} {before['serve_args']} |{heads}",
           "|---|---|" + "---|---|" * len(others)]
    first = figures(before)
    for i, name in enumerate(names):
        cells = "".join(f" {o[i]} | {o[i] / first[i]:.2f} |" if first[i] else f" {o[i]} | - |"
                        for o in (figures(r) for r in others))
        out.append(f"| {name:24} | {first[i]} |{cells}")
    return "\n".join(out)


def _schema_for(code_root: Path, db: Path) -> None:
    """Take the ledger ``db`` down to the newest schema the code in ``code_root`` knows (an older
    checkout refuses a ledger of a newer schema), with this checkout's migrations."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from claimledger.ledger.store import Store

    with Store.open(f"sqlite:///{db}") as store:
        cfg = store._alembic()
        known = ScriptDirectory(str(code_root / "claimledger" / "ledger" / "migrations")).get_heads()
        if store.schema_revision() not in known:
            with store.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, known[0])


@contextlib.contextmanager
def fresh_copy(path: Path, copy: bool, code_root: Path = ROOT, name: str = "-run"):
    """``path``, or with ``copy`` a copy of it made for one run (at the schema of the code in
    ``code_root``, named ``name`` after ``path``) and removed after: a run with an ingest adds thousands
    of events, a newer server migrates the ledger it opens, and the next run (the other code) must start
    from the same ledger."""
    if not copy:
        yield path
        return
    import sqlite3

    target = path.with_name(path.stem + name + ".db")
    with contextlib.closing(sqlite3.connect(path)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    if code_root != ROOT:
        _schema_for(code_root, target)
    try:
        yield target
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)


def ingest_ratios(runs: list[dict], names: list[str]) -> str:
    """For ``--ingest-ratio``: each code's runs with an ingest (into the served ledger, and with
    ``--ingest-elsewhere`` into another) against its run without, in one table."""
    out = ["| code | requests/s quiet / ingest | server CPU ms/request quiet / ingest | list p95 ms quiet / ingest "
           "(ratio) | detail p95 ms quiet / ingest (ratio) |", "|---|---|---|---|---|"]
    quiet = None
    for run, name in zip(runs, names, strict=True):
        if name.endswith(" quiet"):
            quiet = run
            continue
        cells = [f"{quiet['requests_per_s']} / {run['requests_per_s']}",
                 f"{quiet['server_cpu_ms_per_request']} / {run['server_cpu_ms_per_request']}"]
        for kind in ("events list", "event detail"):
            a, b = quiet["latency_ms"][kind]["p95"], run["latency_ms"][kind]["p95"]
            cells.append(f"{a:g} / {b:g} ({b / a:.2f})" if a else f"{a} / {b}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def load_test(args, path: Path) -> int:
    """The load test (``--clients N``): each side (old code, this checkout, uncached), with or without an
    ingest, or with ``--ingest-ratio`` both, one after the other in each round; medians, tables."""
    serve_args = args.serve_args.split()

    def one(root: Path, extra: list[str], ingest: bool | str) -> dict:
        elsewhere = ingest == ELSEWHERE
        for attempt in (1, 2, 3):
            try:
                with fresh_copy(path, bool(ingest) or len(sides) > 1, root) as served, \
                        fresh_copy(path, elsewhere, root, "-elsewhere") as other:
                    r = measure_load(f"sqlite:///{served}", args.clients, args.duration, bool(ingest),
                                     [*serve_args, *extra], root, args.client, args.ingest_nice,
                                     f"sqlite:///{other}" if elsewhere else None, args.ingest_batch)
                break
            except ServerGone as exc:   # the run is discarded whole, and made again
                print(f"  {root}: {exc} (attempt {attempt})", file=sys.stderr)
        else:
            raise SystemExit("the server kept going away before the load test started")
        mode = {False: "", True: " ingest", ELSEWHERE: " ingest elsewhere"}[ingest]
        print(f"  {root} {' '.join(extra)}{mode}: {r['requests_per_s']} req/s, server CPU "
              f"{r['server_cpu_ms_per_request']} ms/request, load average {r['load_average']}", file=sys.stderr)
        return r
    codes = [(ROOT, [], "after")]
    if args.compare_root:
        codes.insert(0, (args.compare_root.resolve(), [], "before"))
    if args.also_uncached:
        codes.append((ROOT, ["--no-response-cache"], "uncached"))
    if args.ingest_ratio:
        modes = [(False, " quiet"), (True, " ingest")] + ([(ELSEWHERE, " elsewhere")] if args.ingest_elsewhere else [])
    else:
        modes = [(ELSEWHERE if args.ingest_elsewhere else args.with_ingest, "")]
    sides = [(root, extra, ingest, name + suffix) for root, extra, name in codes for ingest, suffix in modes]
    rounds: list[list[dict]] = [[] for _ in sides]
    for k in range(max(1, args.rounds) if len(sides) > 1 else 1):
        order = list(range(len(sides)))
        if k % 2 and len(modes) > 2:   # the two ingests of a code in the other order every other round
            order = [j for i in range(0, len(sides), len(modes)) for j in [i, *reversed(range(i + 1, i + len(modes)))]]
        for j in order:
            root, extra, ingest, _name = sides[j]
            rounds[j].append(one(root, extra, ingest))
    runs = [median_run(r) for r in rounds]
    names = [name for *_, name in sides]
    load = runs[-1] if len(runs) == 1 else dict(zip(names, runs, strict=True))
    print(json.dumps(load, indent=2))
    if len(runs) > 1:
        print(load_comparison(runs[0], runs[1:]))
    if args.ingest_ratio:
        print(ingest_ratios(runs, names))
    if args.json:
        Path(args.json).write_text(json.dumps(load, indent=2) + "\n")
    return 0 if all(r["errors"] == 0 for r in runs) else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLite file to build or reuse (default: a temporary one)")
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=100, help="requests per query kind")
    ap.add_argument("--page-runs", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--clients", type=int, help="load test: this many concurrent clients (see the docstring)")
    ap.add_argument("--duration", type=float, default=60, help="load test length in seconds")
    ap.add_argument("--with-ingest", action="store_true", help="load test with an ingest running meanwhile")
    ap.add_argument("--ingest-ratio", action="store_true",
                    help="load test: each side without and then with an ingest, in each round (the same machine "
                         "state for both), and each side's p95 with an ingest over its p95 without")
    ap.add_argument("--ingest-elsewhere", action="store_true",
                    help="load test: the same writer, but into another copy of the ledger than the one served "
                         "(what the ingest costs the server through the machine alone); with --ingest-ratio, a "
                         "third run of each side")
    ap.add_argument("--ingest-batch", action="store_true",
                    help="load test: the writer commits in groups as `claimledger ingest` does (Store.batch: every "
                         "50 reports or 250 ms), not once per report (the default, the harder case: every commit "
                         "makes the server check its remembered answers again)")
    ap.add_argument("--ingest-nice", type=int, metavar="N",
                    help="load test with --with-ingest: run the writer at this nice value (default: what the "
                         "served code's `claimledger ingest` runs at, its --nice default; 0 before session 13)")
    ap.add_argument("--serve-args", default="", help="load test: extra `claimledger serve` arguments (--workers 2)")
    ap.add_argument("--compare-root", type=Path, metavar="DIR",
                    help="load test: first serve with the code in DIR (e.g. `git archive` of an older commit, "
                         "the same --serve-args), then with this checkout: before and after in one run")
    ap.add_argument("--rounds", type=int, default=1,
                    help="load test with --compare-root: alternate old and new this many times (the machine's "
                         "other jobs come and go; the figures are each side's median)")
    ap.add_argument("--also-uncached", action="store_true",
                    help="load test: also serve this checkout with `serve --no-response-cache` (each round): what "
                         "a request costs when nothing is remembered (a mix of requests that never repeat)")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load generator: raw (a minimal asyncio HTTP/1.1 client, ~0.3 ms CPU a request) or httpx "
                         "(1.2-1.5 ms, as the first runs used); it shares the machine with the server")
    args = ap.parse_args(argv)

    from claimledger.outputs.api import create_app

    tmp = None
    if args.db:
        path = Path(args.db).resolve()
    else:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.db"
    url = f"sqlite:///{path}"
    t0 = time.perf_counter()
    n = build(url, args.events)
    build_s = time.perf_counter() - t0
    print(f"ledger: {n} events at {path} (built in {build_s:.1f} s)")
    if args.clients:
        return load_test(args, path)

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with Server(create_app(url), port):
        api = measure_api(base, args.requests, random.Random(1))
        page = None if args.no_browser else measure_page(base, args.page_runs)

    report = {"events": n, "build_seconds": round(build_s, 1), "latency_ms": {}}
    print(f"\n{'request':<24} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}")
    for name, times in api.items():
        if name.startswith("_"):
            continue
        p50, p95 = pct(times, 0.5), pct(times, 0.95)
        report["latency_ms"][name] = {"n": len(times), "p50": round(p50, 1), "p95": round(p95, 1)}
        print(f"{name:<24} {len(times):>4} {p50:>8.1f} {p95:>8.1f}")
    print(f"/api/map body: {api['_map_rows']} rows, {api['_map_bytes'] / 1e6:.2f} MB JSON, "
          f"{api['_map_wire'] / 1e6:.2f} MB gzipped on the wire")
    report["map_bytes"] = {"json": api["_map_bytes"], "wire": api["_map_wire"]}
    if page:
        report["page_load_ms"] = [round(t) for t in page]
        print(f"page load with {n} events: median {statistics.median(page):.0f} ms "
              f"(runs: {', '.join(f'{t:.0f}' for t in page)})")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
