"""Batch work yields the CPU to interactive work: ``ingest`` and ``watch`` run at a lower priority.

A ledger is read while it is written: the page's visitors ask ``claimledger serve`` for lists and
details while ``claimledger ingest`` (a writer and its extraction workers) or ``watch`` adds
reports. Both want every core they can get, and at the same priority the scheduler shares the
cores out evenly, so on a small machine an ingest took half the CPU from the server and the reads'
p95 went from 20 to 112 ms (docs/performance.md, "Session 13"). Reads are interactive and an
ingest is batch work: a late report costs nobody anything, a late answer costs the reader.

So the batch commands raise their own nice value (``--nice N``, default :data:`DEFAULT_NICE`,
the ``nice`` command's own default) before they start any worker, which inherit it. Niceness only
matters when the CPU is contended: on an idle machine the ingest runs as fast as before. A value
the process already has above ``N`` (``nice -n 15 claimledger ingest``) is kept: this never raises a
process's priority, which needs privileges and is not a batch job's to take.
"""

from __future__ import annotations

import os

DEFAULT_NICE = 10     # what `nice CMD` gives; 19 is the lowest priority there is
MAX_NICE = 19


def lower_priority(nice: int) -> int | None:
    """Run this process (and the workers it starts afterwards) at nice value ``nice`` at least, 0-19;
    the nice value it has now, or None where the platform has none (Windows)."""
    if not hasattr(os, "getpriority"):
        return None
    target = max(0, min(MAX_NICE, nice))
    try:
        now = os.getpriority(os.PRIO_PROCESS, 0)
        if target > now:
            os.setpriority(os.PRIO_PROCESS, 0, target)
        return os.getpriority(os.PRIO_PROCESS, 0)
    except OSError:     # a sandbox without the call: run as started
        return None
