"""Why a multi-document gold incident is not one ledger event: a diagnostic for the merge.

Reads a ledger made by ``/tmp/ev/run.sh CL OUT merge`` (OUT/l.db and OUT/e.jsonl), matches each gold
event to a ledger event as ``score.py merge`` does, and for every gold incident whose documents did
not land in one ledger event prints each document event (type, date, place, coordinates, sites,
sides, toll) and, for each pair of them in different ledger events, the rule of the merge that kept
them apart (type group, days, place, sides, sites, undated window, complete linkage).

Held-out articles are never shown: their events appear by ledger id only.

    python bench/merge_diagnose.py OUT [--gold-dir ../shared/gold/dev]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import SHARED  # noqa: E402

from claimledger.geo import km  # noqa: E402
from claimledger.ledger import merge  # noqa: E402
from claimledger.ledger.nodes import place_compatible, sides_compatible  # noqa: E402
from claimledger.ledger.rows import node_of  # noqa: E402

HELD_OUT = {"cnn-7ba987d77a667bea", "fox-c1ab476822446408", "huffpost-70b0559712a49c3f",
            "mirror-8de633d002f29436", "cbs-3829c146f7c47012"}


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def mentions(score, gold_dir: Path, ledger: list[dict]) -> dict[str, list[tuple[str, str | None]]]:
    """Gold incident -> [(document, ledger event it was matched to)], as score.py merge matches."""
    out: dict[str, list] = defaultdict(list)
    for g in score.gold_docs(str(gold_dir)):
        for ge in g.get("events", []):
            cands = [le for le in ledger if g["_id"] in (le.get("documents") or [])
                     and score.event_fits(le, ge, typed=False, days=2)]
            cands.sort(key=lambda le: (score.norm_type(le.get("type")) != score.norm_type(ge.get("type")),
                                       score.day_gap(le, ge)))
            out[ge["incident"]].append((g["_id"], cands[0]["id"] if cands else None))
    return out


def why_apart(a: merge.Node, b: merge.Node) -> list[str]:
    """The merge's pairwise rules that fail for a and b (empty: they could pair)."""
    why = []
    if a.doc == b.doc:
        why.append("same document")
    if a.group != b.group:
        why.append(f"type groups differ ({a.type} / {b.type})")
    days = merge.config()["merge"]["days"]
    if a.day is not None and b.day is not None and abs(a.day - b.day) > days:
        why.append(f"{abs(a.day - b.day)} days apart (> {days})")
    if (a.day is None) != (b.day is None):
        u, d = (a, b) if a.day is None else (b, a)
        look = merge.config()["merge"]["undated_lookback_days"]
        if u.pub is None or not (u.pub - look <= d.day <= u.pub + 1):
            why.append(f"undated event's report is {None if u.pub is None else u.pub - d.day} days after the "
                       f"dated one (window {look})")
    if a.day is None and b.day is None:
        why.append("both undated (undated events never found clusters)")
    if not sides_compatible(a, b):
        why.append(f"sides differ ({a.init}>{a.target} / {b.init}>{b.target})")
    if not place_compatible(a, b):
        dist = (f"{km(a.lat, a.lon, b.lat, b.lon):.0f} km" if None not in (a.lat, a.lon, b.lat, b.lon)
                else "no coordinates")
        why.append(f"places incompatible ({dist}; {a.precision}/{b.precision}; {a.admin1}/{b.admin1})")
    if a.sites and b.sites and not (a.sites & b.sites):
        why.append(f"sites differ ({' '.join(sorted(a.sites))} / {' '.join(sorted(b.sites))})")
    return why


def describe(row: sqlite3.Row) -> str:
    data = json.loads(row["data"])
    deaths = data.get("deaths") or {}
    place = (data.get("place") or {}).get("name")
    return (f"{row['id']} [{row['ledger_id']}] {row['type']} date={row['date_start']} pub={row['published']} "
            f"place={place} ({row['lat']}, {row['lon']}) {row['precision']} {row['admin1']} "
            f"sides={row['initiator_side']}>{row['target_side']} sites={row['sites'] or '-'} "
            f"deaths={deaths.get('low')}/{deaths.get('best')}/{deaths.get('high')}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--gold-dir", type=Path, default=SHARED / "gold" / "dev")
    args = ap.parse_args()
    score = _scorer()
    ledger = [json.loads(x) for x in (args.out / "e.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    db = sqlite3.connect(args.out / "l.db")
    db.row_factory = sqlite3.Row
    rows = {r["id"]: r for r in db.execute("SELECT * FROM doc_events")}
    by_doc_cluster = defaultdict(list)
    for r in rows.values():
        by_doc_cluster[(r["doc_id"], r["ledger_id"])].append(r)
    for inc, ms in sorted(mentions(score, args.gold_dir, ledger).items()):
        if len(ms) < 2 or (len({c for _, c in ms}) == 1 and ms[0][1]):
            continue
        print(f"== incident {inc}: " + ", ".join(f"{d}->{c}" for d, c in ms))
        shown = []
        for doc, cid in ms:
            if doc in HELD_OUT:
                print(f"  {doc}: held out -> {cid}")
                continue
            evs = by_doc_cluster.get((doc, cid), []) if cid else []
            if not evs:
                print(f"  {doc}: no ledger event fits the gold event; the document's events:")
                evs = [r for r in rows.values() if r["doc_id"] == doc]
            for r in evs:
                print("  " + describe(r))
                shown.append(r)
        for i, a in enumerate(shown):
            for b in shown[i + 1:]:
                if a["ledger_id"] != b["ledger_id"] and a["doc_id"] != b["doc_id"]:
                    why = why_apart(node_of(a), node_of(b))
                    print(f"    {a['id']} x {b['id']}: {'; '.join(why) or 'pairwise compatible (linkage or rank)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
