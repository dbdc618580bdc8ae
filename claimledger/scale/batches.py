"""What a worker runs, shared by the local process pool and the Dask engine.

Articles travel in small batches because one article takes milliseconds to extract while a task
costs a pickle round trip (local) or a scheduler round trip (Dask); batching amortises that cost
without holding more than a few batches per worker in memory.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from claimledger.outputs.cli.main import UserError
from claimledger.runner import Outcome

MAX_DEATHS_IN_A_ROW = 5


class WorkersKeepDying(UserError):
    """Workers die on article after article: a machine or install problem, not a data problem,
    so the run stops instead of restarting a worker per article."""

    def __init__(self, deaths: int):
        super().__init__(f"{deaths} worker processes in a row died (killed or crashed) on different articles; "
                         "is the machine out of memory? Try fewer --workers")


class PipelineUnavailable(RuntimeError):
    """The pipeline could not be built in a worker: a setup problem, fatal for the whole run."""


_WARM_ERROR: str | None = None


def batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def warm(factory: str | None = None) -> None:
    """Build the pipeline once in this worker process, remembering a failure instead of raising.

    An exception in a process-pool initializer breaks the whole pool with no message; keeping it
    lets the first batch raise it as a readable :class:`PipelineUnavailable`.
    """
    global _WARM_ERROR
    from claimledger import runner

    try:
        runner.warm(None if factory is None else load_factory(factory)())
        _WARM_ERROR = None
    except Exception as exc:  # reported by process_batch, where the parent can see it
        _WARM_ERROR = f"{type(exc).__name__}: {exc}"
    pin_code()


def load_factory(spec: str):
    """``"package.module:function"`` to the function (how a test swaps in a small pipeline)."""
    import importlib

    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def process_batch(batch: list, fingerprint: str | None = None, for_ledger: bool = False) -> list[Outcome]:
    """Extract a batch; the article is dropped from each outcome since the client still holds it.

    ``fingerprint`` is the client's :func:`code_fingerprint` of the worker's files: a worker that joined a cluster after
    the start-up check, running other code, refuses the task instead of extracting differently.
    ``for_ledger``: the outcomes will be stored; each carries its body's MinHash fingerprint as well.
    """
    from claimledger.runner import process

    if _WARM_ERROR is not None:
        raise PipelineUnavailable(f"the extraction pipeline could not be built in a worker ({_WARM_ERROR})")
    if fingerprint is not None and worker_code()[0] != fingerprint:
        raise PipelineUnavailable(f"a worker runs different claimledger code or data than this client "
                                  f"({worker_code()[0]} vs {fingerprint}); install the same version on "
                                  "every worker and restart them")
    outcomes = [process(item, for_ledger) for item in batch]
    for outcome in outcomes:
        outcome.article = None
    return outcomes


def restore_articles(outcomes: list[Outcome], batch: list) -> list[Outcome]:
    from claimledger.records import Article

    for outcome, item in zip(outcomes, batch, strict=True):
        if isinstance(item, Article):
            outcome.article = item
    return outcomes


def worker_died(item) -> Outcome:
    """The outcome for an article whose worker process died under it, worded alike on every engine."""
    from claimledger.records import Article

    return Outcome(origin=item.origin, error="extraction failed (the worker process died on this article: "
                                             "killed or crashed, e.g. out of memory)",
                   article=item if isinstance(item, Article) else None)


_PINNED: tuple[str, tuple[str, ...]] | None = None


def extraction_files() -> tuple[str, ...]:
    """The claimledger modules this process imported, and the package's data files.

    Only those decide what extraction produces; the web UI or the API may differ between the
    client and the workers without changing a byte of the ledger.
    """
    import claimledger

    root = Path(claimledger.__file__).resolve().parent
    files: set[str] = set()
    for name, module in list(sys.modules.items()):
        if (name == "claimledger" or name.startswith("claimledger.")) and getattr(module, "__file__", None):
            try:
                files.add(Path(module.__file__).resolve().relative_to(root).as_posix())
            except ValueError:
                continue
    for path in (root / "data").rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json", ".txt") and "__pycache__" not in path.parts:
            files.add(path.relative_to(root).as_posix())
    return tuple(sorted(files))


def code_fingerprint(files: tuple[str, ...]) -> str:
    """A hash of these package files as they are on disk now (a missing file counts too)."""
    import claimledger

    root = Path(claimledger.__file__).resolve().parent
    h = hashlib.sha256(claimledger.__version__.encode())
    for rel in files:
        h.update(rel.encode() + b"\0")
        try:
            h.update((root / rel).read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()[:16]


def pin_code() -> None:
    """Record what this worker runs, right after it imported it.

    Modules are not reloaded, so a later edit on disk does not change what a running worker
    runs; its fingerprint must not change either.
    """
    global _PINNED
    files = extraction_files()
    _PINNED = (code_fingerprint(files), files)


def worker_code() -> tuple[str, tuple[str, ...]]:
    if _PINNED is None:
        pin_code()
    assert _PINNED is not None
    return _PINNED
