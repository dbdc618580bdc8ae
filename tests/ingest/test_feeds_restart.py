"""`claimledger watch` as a subprocess, killed with SIGKILL and restarted five times while items appear.

Every report must end in the ledger exactly once (0 lost, 0 duplicated), and the two items that can
never be read (a page answering 500, an oversize page) must be reported per item and given up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from tests.ingest.feeds_fixture import Server, Site

pytest.importorskip("feedparser")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def query(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).all()
    except Exception:  # the schema may not exist yet
        return []
    finally:
        engine.dispose()


def n_docs(url: str) -> int:
    r = query(url, "SELECT count(*) FROM documents")
    return r[0][0] if r else 0


def watch(feed: str, url: str, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-m", "claimledger.outputs.cli.main", "watch", feed, "--db", url,
                             "--every", "1s", "--delay", "0.01s", "--timeout", "2s", "--retries", "1",
                             "--max-attempts", "2", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])   # 2: extraction on worker processes, killed with the watcher
def test_five_kill_restart_cycles_store_every_item_exactly_once(tmp_path, workers):
    rng = random.Random(16)
    site = Site(30)
    site.items.insert(3, {**site.items[0], "id": "gone", "title": "Broken page"})
    site.items.insert(9, {**site.items[0], "id": "huge", "title": "Oversize page"})
    good = [it["id"] for it in site.items if it["id"] not in ("gone", "huge")]
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    outputs = []
    with Server(site) as server:
        feed = server.url + "/rss.xml"
        visible = 6
        for _cycle in range(5):
            site.visible_override = visible
            before = n_docs(url)
            proc = watch(feed, url, "--max-bytes", "1MB", "--workers", workers)
            deadline = time.monotonic() + 240
            while n_docs(url) <= before and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.2)
            assert proc.poll() is None, proc.communicate()
            assert n_docs(url) > before, "no progress before the deadline"
            time.sleep(rng.uniform(0.0, 1.5))        # somewhere in the middle of the next items
            proc.send_signal(signal.SIGKILL)
            outputs.append(proc.communicate())
            visible += 6
        site.visible_override = len(site.items)
        for _ in range(3):                           # finish: one cycle per run until nothing is open
            final = watch(feed, url, "--max-bytes", "1MB", "--workers", workers, "--once")
            out, err = final.communicate(timeout=300)
            outputs.append((out, err))
            if not query(url, "SELECT 1 FROM feed_items WHERE state IN ('pending', 'failed')"):
                break
    origins = [r.origin for r in query(url, "SELECT origin FROM documents")]
    expected = {f"{server.url}/a/{i}.html" for i in good}
    assert len(origins) == len(set(origins)), "a report was stored twice"
    assert set(origins) == expected, f"lost: {sorted(expected - set(origins))}"
    states = dict((r.key, r.state) for r in query(url, "SELECT key, state FROM feed_items"))
    assert states == {**{i: "done" for i in good}, "gone": "given_up", "huge": "given_up"}
    fails = {r.origin: r.reason for r in query(url, "SELECT origin, reason FROM failures")}
    assert fails[f"{server.url}/a/gone.html"].startswith("HTTP 500")
    assert "byte limit" in fails[f"{server.url}/a/huge.html"]
    err_text = "".join(e for _o, e in outputs)
    assert "/a/gone.html: HTTP 500" in err_text and "given up" in err_text
    cycle_lines = [ln for o, _e in outputs for ln in o.splitlines() if " cycle " in ln]
    assert cycle_lines and all("new items" in ln and "failures" in ln for ln in cycle_lines)
