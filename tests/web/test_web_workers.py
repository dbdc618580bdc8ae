"""``claimledger serve --workers N``: N processes answer on one port with the same settings, and a
``kill -9`` of ``serve`` takes its workers with it (none is left holding the port)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from web_fixtures import TOKEN, free_port

CLI = str(Path(sys.executable).parent / "claimledger")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scale"))
from scale_support import children, survivors  # noqa: E402  (the scale tests' /proc readers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_two_workers_answer_with_the_settings_and_die_with_serve(ledger_url):
    import httpx

    port = free_port()
    proc = subprocess.Popen([CLI, "serve", "--db", ledger_url, "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "CLAIMLEDGER_TOKEN": TOKEN})
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/config", timeout=5)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "serve --workers 2 never answered"
                time.sleep(0.2)
        assert r.json()["writes"] is True                          # the token reached the workers
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as c:
            assert all(c.get("/api/summary").json()["events"] == 6 for _ in range(10))
        workers = {w for w in children(proc.pid) if "spawn_main" in Path(f"/proc/{w}/cmdline").read_text()}
        assert len(workers) == 2, workers
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    left = survivors(workers)
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived a kill -9 of serve"


def test_workers_must_be_at_least_one(ledger_url):
    done = subprocess.run([CLI, "serve", "--db", ledger_url, "--workers", "0"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("claimledger serve: --workers 0")
