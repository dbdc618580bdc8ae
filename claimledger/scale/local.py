"""Ordered extraction on local worker processes that survives a worker dying.

``multiprocessing.Pool.imap`` hangs for ever when a worker is killed (out of memory, a crash in a
C extension): the pool replaces the process but the task it held is lost. A
:class:`~concurrent.futures.ProcessPoolExecutor` reports that as ``BrokenProcessPool`` instead, so
the run can start a fresh pool, find the one article that kills a worker by re-running the
in-flight articles one at a time, fail that article alone and go on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from claimledger import runner
from claimledger.runner import Outcome
from claimledger.scale.batches import (
    MAX_DEATHS_IN_A_ROW,
    WorkersKeepDying,
    batched,
    process_batch,
    restore_articles,
    warm,
    worker_died,
)
from claimledger.scale.lifetime import die_with_parent


def _context():
    # fork starts a worker in milliseconds; spawn (macOS, Windows) re-imports everything.
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _init_worker(factory: str | None, parent: int) -> None:
    die_with_parent(parent)   # a kill -9 of the parent must not leave workers behind
    # Ctrl-C reaches the whole process group; the parent alone handles it (cancels the pending
    # batches and exits 130) instead of every worker printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm(factory)


class _Pool:
    def __init__(self, workers: int, factory: str | None):
        self.workers, self.factory = workers, factory
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_init_worker,
                                   initargs=(self.factory, os.getpid()))

    def submit(self, batch: list, for_ledger: bool = False) -> Future:
        """A future for the batch; a pool that broke meanwhile gives a future that says so, so the
        caller meets the breakage in one place (when it collects, in input order)."""
        try:
            return self.executor.submit(process_batch, batch, None, for_ledger)
        except BrokenProcessPool as exc:
            future: Future = Future()
            future.set_exception(exc)
            return future

    def restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()

    def close(self) -> None:
        try:
            self.executor.shutdown(wait=True, cancel_futures=True)
        except RuntimeError:
            # the generator was finalised by the garbage collector on the executor's own thread
            # (the consumer stopped early, e.g. on a database error): nothing left to wait for
            self.executor.shutdown(wait=False, cancel_futures=True)


def run(items: Iterable, workers: int = 1, chunksize: int = 8, for_ledger: bool = False,
        idle: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Outcomes in input order; with ``workers > 1`` batches of ``chunksize`` articles go to local
    processes (:func:`run_pool`: bounded memory, a dead worker fails one article).

    An input that fits in one batch (``extract report.txt``) runs here: starting processes would
    cost more than they could save. ``for_ledger`` (``ingest``): each outcome carries its body's
    fingerprint, computed by the workers rather than by the ledger's one writer. ``idle()``: see
    :func:`run_pool` (one process never waits: it is the extraction).
    """
    if workers > 1:
        from itertools import chain, islice

        it = iter(items)
        head = list(islice(it, chunksize + 1))
        if len(head) <= chunksize:
            workers = 1
        items = chain(head, it)
    if workers <= 1:
        for item in items:
            yield runner.process(item, for_ledger)
        return
    yield from run_pool(items, workers, batch_size=chunksize, for_ledger=for_ledger, idle=idle)


def start_pool(workers: int, factory: str | None = None) -> _Pool:
    """Worker processes to pass to :func:`run_pool` again and again (``watch``: one pool for every
    cycle, instead of loading the extractor on each worker every few minutes); close() it."""
    return _Pool(workers, factory)


def run_pool(items: Iterable, workers: int, batch_size: int = 8, window: int | None = None,
             factory: str | None = None, pool: _Pool | None = None, for_ledger: bool = False,
             idle: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Outcomes in input order; at most ``window`` batches are in flight, so memory stays flat
    however long the input and however slow the consumer (a database writer, say). ``pool``: one
    from :func:`start_pool`, left open (a pool that broke is restarted in place). ``idle()`` is
    called before waiting on a batch that is not done yet: the consumer's moment to finish what it
    holds (``ingest`` commits its open transaction, so no lock is held while nothing is written)."""
    window = window or 4 * workers
    own = pool is None
    pool = pool or _Pool(workers, factory)
    pending: deque = deque()
    batches = batched(items, batch_size)
    try:
        while True:
            while len(pending) < window and (batch := next(batches, None)) is not None:
                pending.append((pool.submit(batch, for_ledger), batch))
            if not pending:
                return
            future, batch = pending.popleft()
            if idle is not None and not future.done():
                idle()
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                retry = [item for b in [batch, *(b for _, b in pending)] for item in b]
                pending.clear()
                pool.restart()
                yield from _one_at_a_time(pool, retry, for_ledger)
                continue
            yield from restore_articles(outcomes, batch)
    finally:
        if own:
            pool.close()
        else:   # batches of an abandoned run must not come back in the next one
            for future, _batch in pending:
                future.cancel()


def _one_at_a_time(pool: _Pool, items: list, for_ledger: bool = False) -> Iterator[Outcome]:
    """Re-run the articles that were in flight when a worker died, alone, so only the culprit fails.

    Workers that die on every article are not an article's fault (no memory left, a broken
    install): after a few deaths in a row the run stops rather than restart a pool per article.
    """
    deaths = 0
    for item in items:
        try:
            outcomes = pool.submit([item], for_ledger).result()
        except BrokenProcessPool:
            deaths += 1
            if deaths >= MAX_DEATHS_IN_A_ROW:
                raise WorkersKeepDying(deaths) from None
            pool.restart()
            yield worker_died(item)
            continue
        deaths = 0
        yield from restore_articles(outcomes, [item])
