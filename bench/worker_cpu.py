"""CPU per report of one ingest worker: this checkout against another, alternating, same reports.

Why. The workers are about four fifths of a whole-corpus ingest's CPU, and a sample from the
corpus's first lines (as ``bench/ingest_cpu.py --limit`` takes) holds fewer incident reports than
the rest, so it under-weights the event and parse rules. This draws ``--n`` reports spread evenly
over the whole corpus and runs each checkout's ``runner.process(for_ledger=True)`` (what a worker
does per report, fingerprint included) over them in a fresh process, after one warm-up article,
old and new in turn ``--rounds`` times, and prints the process's CPU seconds per report; then
checks that both produced the same results.

    python bench/worker_cpu.py --compare-root /tmp/old --n 400 --rounds 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))   # also under `python -P`, as the other benches
from _common import DEFAULT_CORPUS, corpus_or_exit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# run inside the measured checkout: sys.argv = [corpus, n]; prints one JSON line
_CHILD = """
import hashlib, json, sys, time
from itertools import islice
from claimledger import runner
from claimledger.ingest.readers import read_path
from claimledger.records import Article
from claimledger.serialise import to_dict

arts = [a for a in read_path(sys.argv[1]) if isinstance(a, Article)]
n = int(sys.argv[2])
sample = arts[::max(1, len(arts) // n)][:n]
runner.warm()
digest = hashlib.sha256()
t0 = time.process_time()
outs = [runner.process(a, for_ledger=True) for a in sample]
cpu = time.process_time() - t0
for o in outs:
    digest.update(json.dumps(to_dict(o.result) if o.result else o.error, sort_keys=True, default=str).encode())
print(json.dumps({"reports": len(sample), "cpu": cpu, "digest": digest.hexdigest()}))
"""


def _run(root: Path, corpus: Path, n: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, "-P", "-c", _CHILD, str(corpus), str(n)], env=env,
                          cwd=tempfile.gettempdir(), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"worker run with {root} failed: {done.stderr[-800:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["load"] = os.getloadavg()[0]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare-root", type=Path, required=True, metavar="DIR", help="the other code to run")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=400, help="reports spread evenly over the corpus")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    corpus_or_exit(args.corpus)
    roots = {"old": args.compare_root.resolve(), "new": ROOT}
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    for r in range(args.rounds):
        for name, root in roots.items():
            m = _run(root, args.corpus, args.n)
            runs[name].append(m)
            print(f"round {r + 1} {name}: {m['cpu']:6.1f} CPU s, {1000 * m['cpu'] / m['reports']:5.1f} ms/report "
                  f"({m['reports']} reports), load average {m['load']:.1f}", flush=True)
    cpu = {n: sum(m["cpu"] for m in ms) for n, ms in runs.items()}
    print(f"new/old {cpu['new'] / cpu['old']:.3f}")
    digests = {m["digest"] for ms in runs.values() for m in ms}
    print(f"results identical: {len(digests) == 1} (sha256 {hashlib.sha256(''.join(sorted(digests)).encode()).hexdigest()[:12]})")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
