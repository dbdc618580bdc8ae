"""Events drawn at random from real news, each with the sentence that names its place, for a reader
to judge (issue 10: are the ledger's events incidents at all?).

Dev scores say how events match gold on the articles the rules were written against; nobody codes
gold events for the 2022 corpus. This prints a seeded draw of the events ``claimledger`` makes on
bench/real_news.py's stratum (every fifth article from the fourth), so a reader can count how many
are one incident, at that place, on that day, of that type, and group the rest by construction.

    .venv/bin/python bench/events_sample.py [--n 2000] [--draw 25] [--seed 7]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DEFAULT_CORPUS, corpus_or_exit  # noqa: E402


def stratum(corpus: Path, n: int) -> list[dict]:
    """bench/real_news.py's sample: every fifth article from the fourth."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        return list(islice((json.loads(line) for i, line in enumerate(fh) if i % 5 == 3), n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=2000, help="articles of the stratum to read")
    ap.add_argument("--draw", type=int, default=25, help="events to print")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    corpus_or_exit(args.corpus)
    from claimledger.pipeline import default_pipeline
    from claimledger.records import Article

    nlp = default_pipeline()
    pool = []
    for row in stratum(args.corpus, args.n):   # one pass; the draw below is seeded over all events
        doc = nlp(Article(text=row.get("text") or "", id=row.get("id"), title=row.get("title"),
                          published=row.get("published"), outlet=row.get("outlet")))
        for event in doc.events:
            pool.append((row.get("id"), row.get("published"), event, _sentence(doc, event)))
    random.Random(args.seed).shuffle(pool)
    print(f"{len(pool)} events in {args.n} articles; {min(args.draw, len(pool))} drawn (seed {args.seed})")
    for did, published, event, sentence in pool[:args.draw]:
        place = event.place
        where = f"{place.name} ({place.precision})" if place is not None else "no place"
        day = event.date.start if event.date is not None else "undated"
        print(f"### {did} published {published} | {event.type} | {where} | {day} | {len(event.claims)} claims")
        print(f"    {sentence[:400]}")


def _sentence(doc, event) -> str:
    """The sentence naming the event's place (else the report's first): what a reader judges."""
    at = event.place.evidence.start if event.place is not None and event.place.evidence is not None else 0
    return next((doc.text[s.start:s.end] for s in doc.sentences if s.start <= at < s.end), doc.text[:400])


if __name__ == "__main__":
    main()
