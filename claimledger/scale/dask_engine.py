"""Extraction on a Dask cluster, results streamed back to the client in input order.

The client reads the input, submits batches of articles, and yields outcomes in input order, so
the one process that writes the ledger (or stdout) sees exactly the sequence a single process
would. Each worker builds the pipeline once, when it joins (a :class:`PipelinePlugin`), not per
task. Without a scheduler address a :class:`~distributed.LocalCluster` of ``workers`` processes
is started for the run and torn down after it.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections import deque
from collections.abc import Iterable, Iterator

from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin

from claimledger.outputs.cli.main import UserError
from claimledger.runner import Outcome
from claimledger.scale import batches as _b

PLUGIN_NAME = "claimledger-pipeline"
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler; a running one answers at once


class DaskEngineError(UserError):
    """The cluster cannot run the extractor (unreachable, no workers, different code)."""


class PipelinePlugin(WorkerPlugin):
    """Builds the extraction pipeline in every worker that joins, once.

    ``factory`` (``"module:function"``) replaces the default pipeline; tests use it to run a
    small one.
    """

    def __init__(self, factory: str | None = None):
        self.factory = factory

    def setup(self, worker) -> None:
        _b.warm(self.factory)


def _worker_state() -> dict:
    fingerprint, files = _b.worker_code()
    from claimledger.analyse import gazetteer

    # The worker's own $CLAIMLEDGER_HOME decides its gazetteer (imported country dumps or not).
    return {"fingerprint": fingerprint, "files": files, "warm_error": _b._WARM_ERROR,
            "gazetteer": gazetteer.identity()}


def _connect(scheduler: str | None, workers: int, timeout: float):
    if scheduler:
        try:
            client = Client(scheduler, timeout=min(timeout, CONNECT_TIMEOUT), set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise DaskEngineError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        return client, None
    with _workers_ignore_ctrl_c():
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    return Client(cluster, set_as_default=False), cluster


@contextlib.contextmanager
def _workers_ignore_ctrl_c():
    """Worker processes started in here inherit an ignored SIGINT.

    Ctrl-C reaches the whole process group; the client alone should handle it (close the
    cluster, exit 130), not every worker with a KeyboardInterrupt traceback.
    """
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_workers(client: Client, timeout: float) -> tuple[int, str]:
    """Wait for a worker, then refuse to run if any worker's code differs from the client's.

    Returns the worker threads and the client's code fingerprint (each task checks it too, for
    workers that join later).
    """
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise DaskEngineError(f"the Dask scheduler has no workers after {timeout:.0f}s; start some with "
                              f"`dask worker {client.scheduler.address}`") from None
    states = client.run(_worker_state)
    expected = None
    for address, state in sorted(states.items()):
        if state["warm_error"]:
            raise DaskEngineError(f"worker {address} cannot build the pipeline: {state['warm_error']}")
        mine = _b.code_fingerprint(tuple(state["files"]))
        expected = expected or mine
        if state["fingerprint"] != mine:
            raise DaskEngineError(f"worker {address} runs different claimledger code or data than this client "
                                  f"({state['fingerprint']} vs {mine}); install the same version there and "
                                  "restart the workers")
        from claimledger.analyse import gazetteer

        if state.get("gazetteer") != gazetteer.identity():
            raise DaskEngineError(f"worker {address} geocodes with another gazetteer ({state.get('gazetteer')}) than "
                                  f"this client ({gazetteer.identity()}); import the same dumps there with "
                                  "`claimledger gazetteer import` (see `claimledger gazetteer status`)")
    if expected is None:
        raise DaskEngineError("the Dask cluster lost all its workers before the run started")
    return sum(client.nthreads().values()), expected


def run_dask(items: Iterable, scheduler: str | None = None, workers: int = 1, *, batch_size: int = 8,
             window: int | None = None, factory: str | None = None, timeout: float = 60.0) -> Iterator[Outcome]:
    """Outcomes in input order from a Dask cluster (``scheduler`` address) or a LocalCluster.

    With an address, ``workers`` is ignored: the cluster is whatever ``dask worker`` processes
    joined it; ``timeout`` bounds the wait for the first of them. At most ``window`` batches are in flight (default four per worker thread), so the
    client's memory stays flat for any input length.
    """
    client, cluster = _connect(scheduler, workers, timeout)
    try:
        client.register_plugin(PipelinePlugin(factory), name=PLUGIN_NAME)
        threads, fingerprint = _check_workers(client, timeout)
        window = window or 4 * max(1, threads)
        pending: deque = deque()
        batch_iter = _b.batched(items, batch_size)
        while True:
            while len(pending) < window and (batch := next(batch_iter, None)) is not None:
                pending.append((client.submit(_b.process_batch, batch, fingerprint, pure=False), batch))
            if not pending:
                return
            future, batch = pending.popleft()
            yield from _collect(client, future, batch, fingerprint)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _collect(client: Client, future, batch: list, fingerprint: str) -> Iterator[Outcome]:
    try:
        outcomes = future.result()
    except _b.PipelineUnavailable as exc:
        raise DaskEngineError(str(exc)) from None
    except KilledWorker:
        # The scheduler already retried the batch on other workers (distributed's
        # allowed-failures); run its articles alone so only the one that kills workers fails.
        future.release()
        yield from _one_at_a_time(client, batch, fingerprint)
        return
    except Exception as exc:  # the scheduler went away, the client was cancelled
        raise DaskEngineError(f"the Dask run failed ({type(exc).__name__}: {exc})") from None
    future.release()
    yield from _b.restore_articles(outcomes, batch)


def _one_at_a_time(client: Client, batch: list, fingerprint: str) -> Iterator[Outcome]:
    deaths = 0
    for item in batch:
        future = client.submit(_b.process_batch, [item], fingerprint, pure=False)
        try:
            outcomes = future.result()
        except _b.PipelineUnavailable as exc:
            raise DaskEngineError(str(exc)) from None
        except KilledWorker:
            deaths += 1
            if deaths >= _b.MAX_DEATHS_IN_A_ROW:
                raise _b.WorkersKeepDying(deaths) from None
            yield _b.worker_died(item)
            continue
        except Exception as exc:
            raise DaskEngineError(f"the Dask run failed ({type(exc).__name__}: {exc})") from None
        finally:
            future.release()
        deaths = 0
        yield from _b.restore_articles(outcomes, [item])
