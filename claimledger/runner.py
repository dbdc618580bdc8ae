"""Run the pipeline over one input, failures contained: the unit every engine runs.

Every input yields exactly one :class:`Outcome`; :func:`claimledger.scale.local.run` runs a
stream of them in input order on N processes, :mod:`claimledger.scale.dask_engine` on a cluster,
so ``--workers 4`` output is byte-identical to ``--workers 1``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from claimledger.errors import InputError, UnsupportedLanguage
from claimledger.records import Article, DocResult


@dataclass
class Outcome:
    origin: str
    result: DocResult | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    article: Article | None = None
    words: int = 0
    body: str | None = None  # the cleaned body the offsets index (the ledger stores it for evidence)
    # the body's MinHash fingerprint (clean.fingerprint.Fingerprint) when the outcome goes to a ledger:
    # computed here, in the worker that has the body, instead of on the ledger's single writer
    fingerprint: Any = None

    @property
    def ok(self) -> bool:
        return self.error is None


def process(item: Article | InputError, for_ledger: bool = False) -> Outcome:
    """Extract one article; any exception becomes this article's error, never the batch's.
    ``for_ledger``: the outcome will be stored, so it carries the body's fingerprint too."""
    if isinstance(item, InputError):
        return Outcome(origin=item.origin, error=item.message)
    from claimledger.pipeline import default_pipeline

    global _PIPE
    if _PIPE is None:
        _PIPE = default_pipeline()
    try:
        doc = _PIPE(item)
    except UnsupportedLanguage as exc:
        return Outcome(origin=item.origin, error=str(exc), article=item)
    except Exception as exc:  # a bug on one article must not end a 10,000-article batch
        return Outcome(origin=item.origin, error=f"extraction failed ({type(exc).__name__}: {exc})", article=item)
    if not doc.text.strip():
        return Outcome(origin=item.origin, error="no body text left after removing boilerplate", article=item)
    found = None
    if for_ledger:
        from claimledger.clean.fingerprint import fingerprint
        from claimledger.ingest.safe import storable

        found = fingerprint(storable(doc.text))   # the text as the ledger will store it
    return Outcome(origin=item.origin, result=doc.result(), warnings=doc.user_data.get("warnings", []),
                   article=item, words=len(doc.text.split()), body=doc.text, fingerprint=found)


_PIPE = None


def warm(pipeline=None) -> None:
    """Install ``pipeline`` (default: the full one) for this process and run one short article
    through it, so the lexicons and the gazetteer index are built before the first real article
    (a worker process calls this once when it starts; a test installs a small pipeline)."""
    global _PIPE
    if pipeline is None:
        from claimledger.pipeline import default_pipeline

        pipeline = default_pipeline()
    _PIPE = pipeline
    _PIPE(Article(text=WARM_UP, published="2022-03-01"))


# the warm-up article: a count the rules read and a parse asked for ("not": is the count negated?), so
# the spaCy model is loaded before the first real article too
WARM_UP = "On Monday, two people were killed in Kharkiv and three soldiers were not wounded, officials said."


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
