"""Out-of-sample precision of claims, judged by reading real news (issue 10's audit).

Dev scores measure rules on the text they were written against. This bench measures them on
2022 news articles no rule was written for: it draws claims at random from `claimledger extract`
on a stratum of the corpus (article index % 5 == stratum, never a dev gold id; bench/real_news.py
uses stratum 3), half of them killed/injured measures and half the others, and scores a run
against labels a reader wrote from the article text (`claims_audit_labels.json`: ids, verdicts and
one-line reasons, never the text). Per field, precision is the share of sampled claims the run
still emits whose field is right, with a Wilson 95% interval.

    .venv/bin/python bench/claims_audit.py draw  --sample first     # print the sample to label
    .venv/bin/python bench/claims_audit.py score --sample first     # precision of this tree's run
    .venv/bin/python bench/claims_audit.py score --sample second --pred OUT.jsonl

CLAIMLEDGER (a command) picks the tree to run; CLAIMLEDGER_HOME the gazetteer.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DEFAULT_CORPUS, SHARED, corpus_or_exit  # noqa: E402

LABELS = Path(__file__).with_name("claims_audit_labels.json")
CASUALTY = {"killed", "wounded", "casualties"}
FIELDS = ("claim", "measure", "quantity", "source", "side", "date", "place")


def corpus_sample(corpus: Path, stratum: int, articles: int, out: Path, skip: int = 0) -> int:
    """The first ``articles`` reports of the stratum that are not dev gold articles, after passing
    over its first ``skip`` (so a fresh sample draws from reports no earlier sample read)."""
    gold = {p.stem for p in (SHARED / "gold" / "dev").glob("*.json")}
    kept = 0
    seen = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i % 5 != stratum or json.loads(line).get("id") in gold:
                continue
            seen += 1
            if seen <= skip:
                continue
            dst.write(line)
            kept += 1
            if kept >= articles:
                break
    return kept


def run_extract(sample: dict, corpus: Path) -> list[dict]:
    cl = os.environ.get("CLAIMLEDGER") or str(Path(sys.executable).with_name("claimledger"))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "s.jsonl"
        corpus_sample(corpus, sample["stratum"], sample["articles"], src, sample.get("skip", 0))
        out = subprocess.run([cl, "extract", str(src), "--format", "jsonl", "-q"],
                             check=True, capture_output=True, text=True).stdout
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def key(doc_id: str, claim: dict) -> str:
    """A claim's identity across runs: its report, its sentence and its number's words (the
    measure, source or place a fix changes are what is scored, so they cannot be the key)."""
    return f"{doc_id}@{claim['evidence']['start']}:{claim['quantity']['text']}"


def claims_by_key(docs: list[dict]) -> dict[str, dict]:
    found = {}
    for d in docs:
        for c in d["claims"]:
            found.setdefault(key(d["doc"]["id"], c), c)
    return found


def draw(sample: dict, docs: list[dict]) -> list[str]:
    """The sample's keys: a seeded draw, half casualty measures, half the rest."""
    found = claims_by_key(docs)
    casualty = sorted(k for k, c in found.items() if c["measure"] in CASUALTY)
    other = sorted(k for k, c in found.items() if c["measure"] not in CASUALTY)
    rng = random.Random(sample["seed"])
    half = sample["n"] // 2
    return rng.sample(casualty, min(half, len(casualty))) + rng.sample(other, min(sample["n"] - half, len(other)))


def verdicts(label: dict, claim: dict) -> dict[str, bool]:
    """Which of the run's fields the reader's label accepts. A label that is no claim at all
    makes every field wrong; a field the label leaves out is not judged (counted right), and a
    field labelled null must be null (the outlet's own voice, no day, no place)."""
    if not label["claim"]:
        return {f: False for f in FIELDS}
    got = {
        "measure": claim["measure"],
        "quantity": [claim["quantity"].get("value"), [claim["quantity"].get("min"), claim["quantity"].get("max")]],
        "source": (claim.get("source") or {}).get("name"),
        # the criterion's null is "others/unknown": a third party's people are others too
        "side": None if (claim.get("subject") or {}).get("side") in (None, "unknown", "third_party")
        else claim["subject"]["side"],
        "date": (claim.get("date") or {}).get("start"),
        "place": (claim.get("place") or {}).get("name"),
    }
    out = {"claim": True}
    for f in FIELDS[1:]:
        if f not in label:
            out[f] = True
            continue
        want = label[f]
        if f == "quantity":     # a value, or [min, max] for a bound or range
            out[f] = want in got[f]
        else:
            out[f] = got[f] in (want if isinstance(want, list) else [want])
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return mid - half, mid + half


def score(labels: list[dict], docs: list[dict]) -> dict:
    found = claims_by_key(docs)
    kept = [(lab, found[lab["key"]]) for lab in labels if lab["key"] in found]
    table, true = {}, [(lab, c) for lab, c in kept if lab["claim"]]
    for f in FIELDS:
        k = sum(verdicts(lab, c)[f] for lab, c in kept)
        table[f] = (k, len(kept), *wilson(k, len(kept)), sum(verdicts(lab, c)[f] for lab, c in true), len(true))
    dropped = [lab for lab in labels if lab["key"] not in found]
    return {"table": table, "kept": len(kept), "dropped_true": sum(lab["claim"] for lab in dropped),
            "dropped_false": sum(not lab["claim"] for lab in dropped),
            "wrong": [(lab["key"], f) for lab, c in kept for f, ok in verdicts(lab, c).items()
                      if not ok and f != "claim" and lab["claim"]]}


def show_draw(keys: list[str], docs: list[dict]) -> None:
    found = claims_by_key(docs)
    for k in keys:
        c = found[k]
        print(json.dumps({"key": k, "measure": c["measure"], "quantity": c["quantity"],
                          "subject": c.get("subject"), "source": (c.get("source") or {}).get("name"),
                          "date": (c.get("date") or {}).get("start"), "place": (c.get("place") or {}).get("name"),
                          "evidence": c["evidence"]["text"]}, ensure_ascii=False))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=("draw", "score"))
    ap.add_argument("--sample", default="first")
    ap.add_argument("--pred", type=Path, help="an extract output of the sample's articles (else run one)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--wrong", action="store_true", help="list the fields each kept claim gets wrong")
    args = ap.parse_args()
    corpus_or_exit(args.corpus)
    book = json.loads(LABELS.read_text(encoding="utf-8"))
    if args.sample not in book["samples"]:
        ap.error(f"unknown sample {args.sample!r} (known: {', '.join(book['samples'])})")
    sample = book["samples"][args.sample]
    if args.action == "score" and not sample["labels"]:   # before the extract run, which takes minutes
        ap.error(f"sample {args.sample!r} has no labels yet: `draw` it and label it first")
    if args.pred:
        docs = [json.loads(x) for x in args.pred.read_text(encoding="utf-8").splitlines() if x.strip()]
    else:
        docs = run_extract(sample, args.corpus)
    if args.action == "draw":
        show_draw(draw(sample, docs), docs)
        return 0
    res = score(sample["labels"], docs)
    print(f"sample {args.sample}: {len(sample['labels'])} labelled, {res['kept']} still emitted; "
          f"dropped {res['dropped_true']} true claims and {res['dropped_false']} non-claims")
    print("  field      right/emitted  precision [Wilson 95%]   right among true claims")
    for f, (k, n, lo, hi, kt, nt) in res["table"].items():
        print(f"  {f:9s} {k:3d}/{n:<3d} {k / n if n else 0:.3f}  [{lo:.3f}, {hi:.3f}]   {kt}/{nt} {kt / nt if nt else 0:.3f}")
    if args.wrong:
        for k, f in res["wrong"]:
            print(f"  wrong {f}: {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
