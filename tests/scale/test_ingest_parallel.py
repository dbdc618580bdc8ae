"""``claimledger ingest`` builds the same ledger whatever the engine and the number of workers.

Outcomes reach the single writer in input order, so merging and reconciliation see documents in
the same sequence; the exported ledger (events and claims) must match byte for byte.
"""

from __future__ import annotations

import pytest
from scale_support import claimledger_lines, run_cli

pytest.importorskip("claimledger.ledger.store")

ENGINES = {
    "local-1": ["--workers", "1"],
    "local-2": ["--workers", "2"],
    "dask-localcluster-2": ["--engine", "dask", "--workers", "2"],
}


@pytest.fixture(scope="module")
def ledgers(broken_jsonl, tmp_path_factory):
    out = {}
    for name, extra in ENGINES.items():
        db = tmp_path_factory.mktemp(name) / "ledger.db"
        proc = run_cli("ingest", str(broken_jsonl), "--db", str(db), "--quiet", *extra)
        assert proc.returncode in (0, 1), proc.stderr.decode()[-3000:]
        exports = {fmt: run_cli("export", "--format", fmt, "--db", str(db)) for fmt in ("events-jsonl", "claims-csv")}
        for fmt, exp in exports.items():
            assert exp.returncode == 0, (fmt, exp.stderr.decode()[-2000:])
        out[name] = (proc, {fmt: exp.stdout for fmt, exp in exports.items()})
    return out


def test_reference_ledger_is_not_empty(ledgers):
    proc, exports = ledgers["local-1"]
    assert len(exports["events-jsonl"].splitlines()) > 10
    assert len(exports["claims-csv"].splitlines()) > 20
    assert [ln.split(":")[2] for ln in claimledger_lines(proc.stderr)] == ["13", "14", "27"]


@pytest.mark.parametrize("engine", ["local-2", "dask-localcluster-2"])
def test_ledger_is_identical_to_one_worker(engine, ledgers):
    ref_proc, ref = ledgers["local-1"]
    proc, got = ledgers[engine]
    assert proc.returncode == ref_proc.returncode
    assert claimledger_lines(proc.stderr) == claimledger_lines(ref_proc.stderr)
    assert got["events-jsonl"] == ref["events-jsonl"]
    assert got["claims-csv"] == ref["claims-csv"]
