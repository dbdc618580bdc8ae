"""Worker processes die with their parent, however the parent dies.

A ``kill -9`` of ``claimledger ingest`` gives its pool no chance to stop the workers: they were
re-parented to init and lived on (about 90 MB each, the pipeline loaded). Two guards, because
neither is enough alone:

* On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment its
  parent goes. It cannot cover a parent that died before the call (the race right after fork).
* Everywhere, a daemon thread that notices the parent pid changing (re-parenting) within a
  second and exits the worker.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0


def _pdeathsig() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):   # no libc symbol here: the watchdog alone covers it
        pass


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)   # the parent is gone: nobody will ever read this worker's results
        time.sleep(POLL_SECONDS)


def die_with_parent(parent: int) -> None:
    """Call first thing in a worker process; ``parent`` is the pid that started it (pass it from
    the parent: ``os.getppid()`` here could already be init's)."""
    _pdeathsig()
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="claimledger-parent-watch", daemon=True).start()
