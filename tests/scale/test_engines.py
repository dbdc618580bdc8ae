"""Both engines keep input order, contain per-article failures and survive a dying worker.

These run a small stub pipeline (real cleaning and sentences plus traps) so they stay fast and
independent of the extractor's progress; ``test_cli_parallel.py`` runs the real one.
"""

from __future__ import annotations

import pytest
from claimledger_scale_stub import DIE, RAISE
from scale_support import STUB

from claimledger.errors import InputError
from claimledger.records import Article
from claimledger.scale.batches import PipelineUnavailable, WorkersKeepDying
from claimledger.scale.local import run_pool


def _items(n: int = 37, traps: dict[int, str] | None = None) -> list:
    items: list = []
    for i in range(n):
        # Lengths vary a lot so that later batches can finish before earlier ones.
        # (distinct sentences: cleaning drops repeated ones)
        text = f"Report {i}. " + " ".join(f"Blast {j} hit Kharkiv, officials said." for j in range((i * 13) % 40))
        items.append(Article(text=text, id=f"a{i}", origin=f"batch.jsonl:{i + 1}"))
    for i, trap in (traps or {}).items():
        items[i] = Article(text=f"Report {i} {trap}.", id=f"a{i}", origin=f"batch.jsonl:{i + 1}")
    if n > 5:
        items[5] = InputError("batch.jsonl:6", "malformed JSON (Expecting value at column 1)")
    return items


def _summary(outcomes) -> list[tuple]:
    return [(o.origin, o.error, o.result.doc.id if o.result else None, o.words) for o in outcomes]


def _serial(items, monkeypatch) -> list:
    from claimledger import runner
    from claimledger.scale.batches import load_factory
    from claimledger.scale.local import run

    monkeypatch.setattr(runner, "_PIPE", None)   # restored after the test
    runner.warm(load_factory(STUB)())
    return list(run(items, workers=1))


def test_local_pool_matches_serial_order_and_errors(monkeypatch):
    items = _items(traps={20: RAISE})
    expected = _summary(_serial(items, monkeypatch))
    got = list(run_pool(items, workers=2, batch_size=3, factory=STUB))
    assert _summary(got) == expected
    assert [o.origin for o in got if o.error] == ["batch.jsonl:6", "batch.jsonl:21"]
    assert got[0].article is items[0]  # the client's own article is restored, not shipped back


def test_local_pool_survives_a_dying_worker():
    items = _items(traps={9: DIE})
    got = list(run_pool(items, workers=2, batch_size=4, factory=STUB))
    assert [o.origin for o in got] == [i.origin for i in items]
    failed = {o.origin: o.error for o in got if o.error}
    assert set(failed) == {"batch.jsonl:6", "batch.jsonl:10"}
    assert "worker process died" in failed["batch.jsonl:10"]


def test_local_pool_stops_when_workers_die_on_everything():
    items = [Article(text=f"{DIE} {i}.", origin=f"x:{i}") for i in range(12)]
    with pytest.raises(WorkersKeepDying):
        list(run_pool(items, workers=2, batch_size=2, factory=STUB))


def test_local_pool_reports_a_pipeline_that_cannot_be_built():
    with pytest.raises(PipelineUnavailable, match="lexicon missing"):
        list(run_pool(_items(9), workers=2, factory="claimledger_scale_stub:broken"))


dask_engine = pytest.importorskip("claimledger.scale.dask_engine")


def test_dask_local_cluster_matches_serial_with_errors_and_a_dying_worker(monkeypatch):
    items = _items(traps={20: RAISE, 30: DIE})
    survivable = items[:30] + items[31:]  # in this process, the DIE trap would end the test run
    expected = _summary(_serial(survivable, monkeypatch))
    got = list(dask_engine.run_dask(survivable, None, 2, batch_size=3, factory=STUB))
    assert _summary(got) == expected
    got = list(dask_engine.run_dask(items, None, 2, batch_size=3, factory=STUB))
    assert [o.origin for o in got] == [i.origin for i in items]
    assert [o.origin for o in got if o.error] == ["batch.jsonl:6", "batch.jsonl:21", "batch.jsonl:31"]
    assert "worker process died" in got[30].error


def test_dask_external_cluster_matches_serial(dask_cluster, monkeypatch):
    items = _items(traps={20: RAISE})
    expected = _summary(_serial(items, monkeypatch))
    got = list(dask_engine.run_dask(items, dask_cluster, 1, batch_size=5, factory=STUB))
    assert _summary(got) == expected


def test_dask_refuses_workers_running_other_code(dask_cluster, monkeypatch):
    from claimledger.scale import batches

    monkeypatch.setattr(batches, "code_fingerprint", lambda files: "0" * 16)
    with pytest.raises(dask_engine.DaskEngineError, match="different claimledger code"):
        list(dask_engine.run_dask(_items(3), dask_cluster, 1, factory=STUB))


def test_dask_reports_an_unreachable_scheduler():
    from scale_support import _free_port

    with pytest.raises(dask_engine.DaskEngineError, match="cannot reach"):
        list(dask_engine.run_dask(_items(3), f"tcp://127.0.0.1:{_free_port()}", 1, timeout=2))


def test_a_task_refuses_to_run_on_other_code():
    # The start-up check only sees the workers present then; each task carries the client's
    # fingerprint for workers that join later.
    from claimledger.scale import batches

    with pytest.raises(PipelineUnavailable, match="different claimledger code"):
        batches.process_batch(_items(2), fingerprint="f" * 16)


def test_local_pool_fingerprints_bodies_for_a_ledger():
    import numpy as np

    from claimledger.clean.fingerprint import fingerprint

    items = _items(12)
    got = [o for o in run_pool(items, workers=2, batch_size=3, factory=STUB, for_ledger=True) if o.body]
    computed = 0
    for o in got:
        want = fingerprint(o.body)
        if want is None:
            assert o.fingerprint is None
            continue
        computed += 1
        assert (o.fingerprint.bands, o.fingerprint.of) == (want.bands, want.of)
        assert np.array_equal(o.fingerprint.signature, want.signature)
    assert computed >= 5
    assert all(o.fingerprint is None for o in run_pool(items, workers=2, batch_size=3, factory=STUB))


def test_local_pool_calls_idle_before_it_waits_and_only_then():
    """``idle`` (ingest: commit the open batch) runs when the next batch is not back yet, at most
    once per batch, and changes nothing in the outcomes."""
    import time

    items = _items(24)
    expected = _summary(run_pool(items, workers=2, batch_size=3, factory=STUB))
    calls: list[float] = []
    got = []
    for o in run_pool(items, workers=2, batch_size=3, factory=STUB, idle=lambda: calls.append(time.monotonic())):
        got.append(o)
    assert _summary(got) == expected
    assert calls, "the consumer was never told the pool was waiting"
    assert len(calls) <= len(range(0, len(items), 3))   # at most once per batch collected
