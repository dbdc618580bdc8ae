"""A small pipeline for the engine tests: real cleaning and sentences, plus two trap components.

It lets the ordering and failure tests run in seconds and stay independent of how the full
extractor evolves; the CLI tests run the real pipeline.
"""

from __future__ import annotations

import os
import time

from claimledger.analyse.sentences import sentence_component
from claimledger.clean.body import clean_component
from claimledger.pipeline import Pipeline

RAISE = "TRAP-RAISE"   # an article containing this makes the pipeline raise (a bug on one article)
DIE = "TRAP-DIE"       # ... this kills the worker process (a crash in C code, the OOM killer)
SLOW = "TRAP-SLOW"     # ... this takes half a second (to catch a run in the middle)


def _traps(doc) -> None:
    if RAISE in doc.text:
        raise ValueError("trap article")
    if DIE in doc.text:
        os._exit(3)
    if SLOW in doc.text:
        time.sleep(0.5)


def build() -> Pipeline:
    return Pipeline([("clean", clean_component), ("sentences", sentence_component), ("traps", _traps)])


def broken() -> Pipeline:
    raise RuntimeError("lexicon missing")
