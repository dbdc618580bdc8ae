"""Shared by the benchmarks: the corpus they read, and small measuring helpers."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"   # ../shared, beside the project root
DEFAULT_CORPUS = Path(os.environ.get("CLAIMLEDGER_BENCH_CORPUS", str(SHARED / "benchmarks" / "news-2022.jsonl.gz")))


def load_articles(path: Path, n: int | None, offset: int = 0) -> list:
    """The first ``n`` readable articles after ``offset`` (reader failures are not benchmarks)."""
    from itertools import islice

    from claimledger.ingest.readers import read_path
    from claimledger.records import Article

    good = (a for a in read_path(str(path)) if isinstance(a, Article))
    return list(islice(good, offset, None if n is None else offset + n))


def corpus_or_exit(path: Path) -> None:
    """Benchmarks read a third-party corpus that may not be on this machine: say so and succeed."""
    if not path.exists():
        print(f"skipped: benchmark corpus {path} not found (set CLAIMLEDGER_BENCH_CORPUS or pass --corpus)")
        sys.exit(0)


def words(articles) -> int:
    return sum(len(a.text.split()) for a in articles)


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """This process's peak resident set size.

    On Linux from /proc (VmHWM): ``ru_maxrss`` survives fork+exec, so a child started by a large
    parent would report the parent's peak. Elsewhere ru_maxrss (KiB on Linux, bytes on macOS).
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def cpu_seconds() -> float:
    """User + system CPU of this process and of its children that have exited (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _burn(n: int) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t


def free_cores(processes: int = 2, n: int = 10_000_000) -> float:
    """How many cores this machine gives right now: the speed-up of ``processes`` CPU-bound
    processes over one (``processes`` when the machine is idle, about 1 when another job holds
    the rest). Scaling figures are only as good as this number."""
    import multiprocessing as mp

    one = _burn(n)
    with mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn").Pool(processes) as pool:
        t = time.perf_counter()
        pool.map(_burn, [n] * processes)
        many = time.perf_counter() - t
    return processes * one / many


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def machine() -> str:
    """One paragraph describing where the figures came from."""
    lines = [f"python {platform.python_version()} on {platform.platform()}", f"cpus available: {_ncpu()}"]
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=5).stdout
        keep = ("Model name", "CPU(s):", "Thread(s) per core", "L2 cache", "L3 cache")
        lines += [" ".join(ln.split()) for ln in out.splitlines() if ln.startswith(keep)]
    except (OSError, subprocess.SubprocessError):
        pass
    if hasattr(os, "getloadavg"):
        lines.append("load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return "\n".join(lines)


def _ncpu() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
