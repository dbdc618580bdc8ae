"""Two `claimledger ingest` processes writing to one ledger at the same time (issue: scale-out).

Real processes, overlapping inputs: nothing may be lost, nothing stored twice, and the ledger must
end exactly as one process ingesting everything would leave it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from claimledger.ledger.store import Store

TOWNS = ["Kharkiv", "Izium", "Kramatorsk", "Sloviansk", "Bakhmut", "Mykolaiv", "Kherson", "Nikopol", "Sumy",
         "Chernihiv", "Zaporizhzhia", "Odesa"]
OUTLETS = ["Wire", "Daily", "Herald"]


def _articles() -> list[dict]:
    """Invented reports: each incident told by up to three outlets with different figures."""
    out = []
    for i, town in enumerate(TOWNS * 3):
        day = 1 + (i % 28)
        for k, outlet in enumerate(OUTLETS[: 1 + i % 3]):
            killed = 2 + i % 7 + k
            out.append({"id": f"{outlet.lower()}-{i}", "published": f"2022-05-{day:02d}", "outlet": outlet,
                        "text": f"Russian shelling of {town} on Monday killed {killed} civilians and wounded "
                                f"{killed * 3}, regional officials said. Filed as {outlet}-{i}."})
    # (each report its own text: a ledger knows a document by its text, not by its id)
    return out


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _ingest(db: str, path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    return subprocess.Popen([sys.executable, "-m", "claimledger.outputs.cli.main", "ingest", str(path), "--db", db,
                             "--workers", "1", "-q"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _snapshot(db: str) -> tuple:
    with Store.open(db) as s:
        summary = s.summary()
        events, _ = s.list_events(limit=None)
        grouping = sorted(tuple(sorted(e.documents)) for e in events)
        tolls = sorted((tuple(sorted(e.documents)), e.deaths.low if e.deaths else None,
                        e.deaths.high if e.deaths else None) for e in events)
    return summary["documents"], summary["claims"], grouping, tolls


def test_two_writers_lose_and_duplicate_nothing(db_url, tmp_path):
    rows = _articles()
    half = len(rows) // 2
    a = _write(tmp_path / "a.jsonl", rows[: half + 10])      # the two batches overlap by 20 reports
    b = _write(tmp_path / "b.jsonl", rows[half - 10:])
    procs = [_ingest(db_url, a), _ingest(db_url, b)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()[-2000:]

    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    one = _ingest(reference, _write(tmp_path / "all.jsonl", rows))
    _, err = one.communicate(timeout=600)
    assert one.returncode == 0, err.decode()[-2000:]

    docs, claims, grouping, tolls = _snapshot(db_url)
    assert docs == len(rows)                        # nothing lost, the overlap stored once
    assert (docs, claims, grouping, tolls) == _snapshot(reference)
    assert any(len(g) > 1 for g in grouping)        # the test really merged reports across writers
