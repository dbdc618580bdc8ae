"""Top functions from a py-spy raw (collapsed) profile: own samples and inclusive samples.

py-spy samples the running process from outside, so unlike cProfile it adds no per-call cost
that would inflate small, often-called functions (the extractor's regex helpers). Usage:

    py-spy record -f raw -r 200 -o /tmp/extract.txt -- python bench/throughput.py --no-spacy
    python bench/pyspy_top.py /tmp/extract.txt --top 15
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::\d+)?\)$")


def _name(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["file"]
    for marker in ("site-packages/", "/claimledger/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            path = ("claimledger/" + path) if marker == "/claimledger/" else path
            break
    return f"{m['func']} ({path})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--only", default="", help="count only stacks through a frame containing this text")
    args = ap.parse_args(argv)
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    with open(args.profile, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit() or (args.only and args.only not in stack):
                continue
            n = int(count)
            frames = [_name(f) for f in stack.split(";")]
            total += n
            own[frames[-1]] += n
            for name in set(frames):
                inclusive[name] += n
    if not total:
        print("no samples")
        return 1
    for title, counter in (("own time", own), ("inclusive time", inclusive)):
        print(f"\ntop {args.top} by {title} ({total} samples)")
        for name, n in counter.most_common(args.top):
            print(f"{100 * n / total:6.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
