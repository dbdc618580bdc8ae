"""Fixtures for the scale tests: invented JSONL batches, a CLI runner, a real Dask cluster.

The cluster is two processes started here with Dask's own commands (``dask scheduler`` and
``dask worker``), as an operator would on a real cluster, not an in-process LocalCluster.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from fixture_articles import write_jsonl  # noqa: E402
from scale_support import ROOT, STUB, VENV_BIN, _env, _free_port, _stop, claimledger_lines, run_cli  # noqa: E402,F401


@pytest.fixture(scope="session")
def batch_jsonl(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("scale") / "batch.jsonl", 40)


@pytest.fixture(scope="session")
def broken_jsonl(tmp_path_factory) -> Path:
    # Broken lines in the middle of different batches, so a worker's batch holds an error.
    return write_jsonl(tmp_path_factory.mktemp("scale") / "broken.jsonl", 40, broken_at=(13, 14, 27))


@pytest.fixture
def dask_cluster(tmp_path_factory):
    """``dask scheduler`` + one ``dask worker`` (1 process, 1 thread) on free ports; its address.

    One per test: a worker that outlived an edit of the code would rightly be refused.
    """
    pytest.importorskip("distributed")
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []

    def start(name: str, argv: list[str]) -> None:
        out = open(logs / f"{name}.log", "wb")  # the child keeps its own descriptor
        procs.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=logs, env=_env(),
                                      start_new_session=True))
        out.close()

    try:
        start("scheduler", [str(VENV_BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                            "--no-dashboard"])
        start("worker", [str(VENV_BIN / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1",
                         "--no-dashboard", "--local-directory", str(logs), "--name", "scale-test-worker"])
        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout=5, set_as_default=False) as client:
                    client.wait_for_workers(1, timeout=max(1, deadline - time.monotonic()))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    text = "\n".join((logs / f).read_text(errors="replace")[-2000:]
                                     for f in ("scheduler.log", "worker.log"))
                    pytest.fail(f"the test Dask cluster did not start:\n{text}")
                time.sleep(0.5)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)
