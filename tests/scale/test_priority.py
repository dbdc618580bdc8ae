"""Batch commands yield the CPU to the server: ``ingest`` and ``watch`` lower their own priority
(``--nice N``, default 10) before they start a worker, and never raise it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from claimledger.outputs.cli.main import main
from claimledger.scale import priority

pytestmark = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no nice values on this platform")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _child_nice(nice: int, prefix: tuple[str, ...] = ()) -> int:
    """The nice value a fresh process has after ``lower_priority(nice)`` (in a child: a process
    cannot take back a priority it gave up)."""
    code = ("import os; from claimledger.scale.priority import lower_priority; "
            f"lower_priority({nice}); print(os.getpriority(os.PRIO_PROCESS, 0))")
    out = subprocess.run([*prefix, sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=ROOT), timeout=60)
    return int(out.stdout)


def test_lower_priority_lowers_but_never_raises():
    start = os.getpriority(os.PRIO_PROCESS, 0)
    assert _child_nice(max(start, 7)) == max(start, 7)
    assert _child_nice(99) == priority.MAX_NICE
    if start < 15:   # a process started at nice 15 stays there when asked for 7
        assert _child_nice(7, ("nice", "-n", str(15 - start))) == 15


@pytest.fixture
def asked(monkeypatch) -> list[int]:
    seen: list[int] = []
    monkeypatch.setattr(priority, "lower_priority", lambda n: seen.append(n))
    return seen


def test_ingest_runs_at_nice_10_unless_told(tmp_path, asked):
    records = tmp_path / "none.jsonl"
    records.write_text("")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["ingest", "--records", str(records), "--db", db, "--quiet"]) == 0
    assert main(["ingest", "--records", str(records), "--db", db, "--quiet", "--nice", "0"]) == 0
    assert main(["ingest", "--records", str(records), "--db", db, "--quiet", "--nice", "19"]) == 0
    assert asked == [priority.DEFAULT_NICE, 0, 19] and priority.DEFAULT_NICE == 10


def test_watch_runs_at_nice_10_unless_told(tmp_path, asked):
    pytest.importorskip("feedparser")
    pytest.importorskip("httpx")
    folder = tmp_path / "in"
    folder.mkdir()
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["watch", str(folder), "--db", db, "--once"]) == 0
    assert main(["watch", str(folder), "--db", db, "--once", "--nice", "4"]) == 0
    assert asked == [10, 4]


def test_a_nice_value_out_of_range_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ingest", "x.jsonl", "--nice", "20", "--db", f"sqlite:///{tmp_path / 'l.db'}"])
    assert exc.value.code == 2
    assert "not a nice value from 0 to 19" in capsys.readouterr().err
