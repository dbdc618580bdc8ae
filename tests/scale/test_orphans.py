"""A kill -9 of the process running the pool leaves no worker behind (they used to live on)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from scale_support import _env, children, survivors

DRIVER = """
import sys
from claimledger.records import Article
from claimledger.scale.local import run_pool
items = [Article(text=f"Report {i}. Blast hit Kharkiv TRAP-SLOW.", id=str(i), origin=f"b:{i}") for i in range(400)]
for o in run_pool(items, workers=2, batch_size=1, factory="claimledger_scale_stub:build"):
    print(o.origin, flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("after", [1.5, 3.0])
def test_workers_die_within_5_seconds_of_a_kill_9_of_their_parent(after):
    proc = subprocess.Popen([sys.executable, "-c", DRIVER], env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout.readline()              # the pool is running
        time.sleep(after)
        workers = children(proc.pid)
        assert len(workers) >= 2, workers
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not survivors(workers)
