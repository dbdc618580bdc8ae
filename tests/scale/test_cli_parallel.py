"""``claimledger extract`` prints the same bytes whatever the engine and the number of workers.

Real subprocesses of the installed command on invented batches, with the real pipeline: the
reference is ``--workers 1``; every other engine must match its stdout byte for byte, its
per-input stderr messages line for line, and its exit code.
"""

from __future__ import annotations

import pytest
from scale_support import claimledger_lines, run_cli

ENGINES = {
    "local-2": ["--workers", "2"],
    "dask-localcluster-2": ["--engine", "dask", "--workers", "2"],
}


def _extract(path, *extra: str):
    return run_cli("extract", str(path), "--format", "jsonl", *extra)


@pytest.fixture(scope="module")
def reference(batch_jsonl, broken_jsonl):
    out = {}
    for name, path in (("batch", batch_jsonl), ("broken", broken_jsonl)):
        proc = _extract(path, "--workers", "1")
        assert proc.returncode in (0, 1), proc.stderr.decode()[-3000:]
        out[name] = proc
    return out


def _engines(dask_cluster=None):
    engines = dict(ENGINES)
    if dask_cluster:
        engines["dask-scheduler"] = ["--engine", "dask", "--scheduler", dask_cluster]
    return engines


def test_reference_output_is_one_record_per_article(reference):
    lines = reference["batch"].stdout.decode().splitlines()
    assert len(lines) == 40
    assert all(line.startswith('{"doc": {"id": "fixture-') for line in lines)
    assert reference["batch"].returncode == 0


@pytest.mark.parametrize("engine", ["local-2", "dask-localcluster-2", "dask-scheduler"])
def test_output_is_byte_identical_to_one_worker(engine, reference, batch_jsonl, request):
    cluster = request.getfixturevalue("dask_cluster") if engine == "dask-scheduler" else None
    proc = _extract(batch_jsonl, *_engines(cluster)[engine])
    assert proc.returncode == reference["batch"].returncode, proc.stderr.decode()[-3000:]
    assert proc.stdout == reference["batch"].stdout
    assert claimledger_lines(proc.stderr) == claimledger_lines(reference["batch"].stderr)


@pytest.mark.parametrize("engine", ["local-2", "dask-localcluster-2", "dask-scheduler"])
def test_broken_lines_fail_alone_in_the_same_order(engine, reference, broken_jsonl, request):
    ref = reference["broken"]
    errors = [ln for ln in claimledger_lines(ref.stderr) if "malformed JSON" in ln]
    assert [ln.split(":")[2] for ln in errors] == ["13", "14", "27"]
    assert ref.returncode == 1
    assert len(ref.stdout.decode().splitlines()) == 37

    cluster = request.getfixturevalue("dask_cluster") if engine == "dask-scheduler" else None
    proc = _extract(broken_jsonl, *_engines(cluster)[engine])
    assert proc.returncode == ref.returncode
    assert proc.stdout == ref.stdout
    assert claimledger_lines(proc.stderr) == claimledger_lines(ref.stderr)


def test_unreachable_scheduler_is_a_one_line_user_error(batch_jsonl):
    from scale_support import _free_port

    proc = _extract(batch_jsonl, "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{_free_port()}")
    assert proc.returncode == 2
    err = proc.stderr.decode().strip().splitlines()
    assert err[-1].startswith("claimledger extract: cannot reach the Dask scheduler at tcp://127.0.0.1:")
    assert "Traceback" not in proc.stderr.decode()
