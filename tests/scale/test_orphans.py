"""A kill -9 of the process running the pool leaves no worker behind (they used to live on)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scale_support import _env

DRIVER = """
import sys
from claimledger.records import Article
from claimledger.scale.local import run_pool
items = [Article(text=f"Report {i}. Blast hit Kharkiv TRAP-SLOW.", id=str(i), origin=f"b:{i}") for i in range(400)]
for o in run_pool(items, workers=2, batch_size=1, factory="claimledger_scale_stub:build"):
    print(o.origin, flush=True)
"""


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("after", [1.5, 3.0])
def test_workers_die_within_5_seconds_of_a_kill_9_of_their_parent(after):
    proc = subprocess.Popen([sys.executable, "-c", DRIVER], env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout.readline()              # the pool is running
        time.sleep(after)
        workers = _children(proc.pid)
        assert len(workers) >= 2, workers
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
