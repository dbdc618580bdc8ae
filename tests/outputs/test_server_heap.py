"""A serving process leaves its long-lived objects out of the collector's full passes
(``server.settle_heap``, ``gc.freeze``): at startup and again once the ledger is open, so that a
full collection does not stop the event loop for the whole heap (75-360 ms under the bench's load)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ledger.factory import Doc, num

from claimledger.ledger.store import Store

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
from fastapi.testclient import TestClient
from claimledger.outputs.api import app_from_env
before = gc.get_freeze_count()
app = app_from_env()
settled = gc.get_freeze_count()
with TestClient(app) as c:
    assert c.get("/api/events").status_code == 200
    opened = gc.get_freeze_count()
    assert c.get("/api/events?limit=1").status_code == 200
print(before, settled, opened, gc.get_freeze_count())
"""


def test_a_served_app_freezes_its_heap_at_start_and_when_the_ledger_opens(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    d = Doc("heap", "2022-05-01").event(date="2022-05-01", place_name="Kyiv")
    d.claim("3 people were killed", num(3))
    with Store.open(url) as s:
        s.ingest(d.build(), body=d.body)
    env = dict(os.environ, CLAIMLEDGER_DB=url, PYTHONPATH=str(ROOT))
    env.pop("CLAIMLEDGER_SERVE_SUPERVISOR", None)
    out = subprocess.run([sys.executable, "-P", "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    before, settled, opened, after = (int(x) for x in out.stdout.split())
    assert before == 0 < settled < opened, out.stdout   # the store's objects frozen once it opened
    assert after <= opened                              # once: not at every request (some die)
