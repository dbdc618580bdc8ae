"""Progress for long commands: a bar on a terminal, silence in pipes, one summary line at the end.

The bar shows documents done, docs/s, failures and claims so far, and an ETA once the number of
inputs is known. Counting inputs means reading JSONL files twice, so it happens in a background
thread (a newline count runs at disk speed) and only when a bar is drawn at all.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable


def count_inputs(paths: Iterable[str]) -> int | None:
    """How many articles ``paths`` hold (one per text/HTML file, one per JSONL line); None for stdin.

    Blank JSONL lines are skipped by the reader, so they are not counted here either; a malformed
    line is counted (it yields one failure).
    """
    from claimledger.ingest.readers import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES

    in_folders = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES  # what the reader takes from a folder
    total = 0
    for path in paths:
        if path == "-":
            return None
        if os.path.isdir(path):
            found = 0
            for root, _dirs, files in os.walk(path):
                for name in files:
                    if not name.startswith(".") and name.lower().endswith(in_folders):
                        found += _count_file(os.path.join(root, name))
            total += found or 1  # an empty folder is one failure line
        elif os.path.exists(path):
            total += _count_file(path)
        else:
            total += 1  # "no such file" is one failure line
    return total


def _count_file(path: str) -> int:
    lower = path.lower()
    if not lower.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
        return 1
    import gzip

    opener = gzip.open if lower.endswith(".gz") else open
    count = 0
    try:
        with opener(path, "rb") as fh:
            for line in fh:
                if line.strip():
                    count += 1
    except (OSError, EOFError):
        return count or 1
    return count


class Progress:
    """Counts documents, claims, events and failures; draws a tqdm bar only on a TTY."""

    def __init__(self, total: int | None = None, quiet: bool = False, unit: str = "doc",
                 paths: Iterable[str] | None = None):
        self.start = time.monotonic()
        self.docs = self.claims = self.events = self.failures = self.words = 0
        self.quiet = quiet
        self.bar = None
        self._counter: threading.Thread | None = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
            if total is None and paths is not None:
                self._counter = threading.Thread(target=self._learn_total, args=(list(paths),), daemon=True)
                self._counter.start()

    def _learn_total(self, paths: list[str]) -> None:
        total = count_inputs(paths)
        bar = self.bar
        if total is not None and bar is not None:
            bar.total = max(total, self.docs)
            bar.refresh()

    def update(self, outcome) -> None:
        self.docs += 1
        if outcome.error:
            self.failures += 1
        elif outcome.result is not None:
            self.claims += len(outcome.result.claims)
            self.events += len(outcome.result.events)
            self.words += outcome.words
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(claims=self.claims, failed=self.failures, refresh=False)

    def report(self, message: str) -> None:
        """A one-line message that does not break the bar."""
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def close(self) -> str:
        bar, self.bar = self.bar, None
        if bar is not None:
            bar.close()
        elapsed = time.monotonic() - self.start
        rate = f"{self.docs / elapsed:.1f} docs/s" if elapsed > 0 else "-"
        line = (f"{self.docs} documents, {self.claims} claims, {self.events} events, {self.failures} failed "
                f"in {elapsed:.1f}s ({rate}, {self.words / max(elapsed, 1e-9):,.0f} words/s)")
        if not self.quiet and self.docs:   # nothing extracted (a rerun skipped it all): nothing to say
            print(line, file=sys.stderr)
        return line
