"""``claimledger review``: reject or correct claims, move them, split and merge events, list and undo.

Every review is a record with who, when and why, kept in the ledger beside the extractor's claims
(see docs/reviews.md); reconciliation applies it every time, so it survives ``rebuild``, re-ingest
and a newer extractor. Each command prints the review and the figures it changed.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError

EPILOG = """examples:
  claimledger show le-3f2a                                   # claim ids are in [brackets]
  claimledger review reject 9c1e...:4 --reason "wrong source: the figure is the governor's" --by "J. Doe"
  claimledger review accept 9c1e...:3 --reason "checked against the governor's Telegram post"
  claimledger review set 9c1e...:2 --source "UN HRMMU" --side third_party --reason "misattributed"
  claimledger review set 9c1e...:2 --value 14 --reason "the report says fourteen, not forty"
  claimledger review move 9c1e...:5 --to le-77ab --reason "this toll is the Kramatorsk strike"
  claimledger review split le-3f2a --doc 5d0c... --reason "a different day's shelling"
  claimledger review merge le-3f2a le-77ab --reason "one strike, two spellings of the village"
  claimledger review list --status orphaned
  claimledger review undo 12
  claimledger review list --format jsonl --db old.db > r.jsonl && claimledger review import r.jsonl --db new.db

--by defaults to $CLAIMLEDGER_REVIEWER, else your login name. Reviews never change the stored
claims: `claimledger review undo` brings the extractor's reading back."""


def _common(p: argparse.ArgumentParser, reason: bool = True) -> None:
    if reason:
        p.add_argument("--reason", required=True, metavar="TEXT",
                       help="why: shown in the event's reasoning and in every export's history")
    p.add_argument("--by", metavar="NAME", help="who reviews (default $CLAIMLEDGER_REVIEWER, else your login name)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_db_argument(p)


def register(sub) -> None:
    p = sub.add_parser(
        "review", help="reject or correct claims, move them between events, split or merge events, list, undo",
        description="An analyst's reviews, kept as records with who, when and why, and applied by every "
                    "reconciliation: a rejected claim takes no part in it, a corrected one takes part with its "
                    "corrected values, and the reasoning says so. Reviews are anchored to the document's text "
                    "and the evidence span, so they survive `rebuild`, re-ingest and a newer extractor; one "
                    "whose claim can no longer be found is reported as orphaned by `status`, never dropped.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = acts.add_parser("accept", help="mark a claim checked and right: values unchanged, the reasoning says so",
                        description="Accept one claim: an analyst checked it against the report and it is right. "
                                    "Nothing in reconciliation changes but its reasoning line, which names the "
                                    "review; the page's reviewed filter finds it.")
    a.add_argument("claim_id", metavar="CLAIM_ID")
    _common(a)
    r = acts.add_parser("reject", help="set a claim aside: it takes no part in reconciliation",
                        description="Reject one claim: reconciliation sets it aside and says by which review.")
    r.add_argument("claim_id", metavar="CLAIM_ID")
    _common(r)
    s = acts.add_parser("set", help="correct a claim's source, side, measure, figure, date or place",
                        description="Correct one claim: reconciliation uses the corrected values and says so. "
                                    "The values replaced are kept in the review.")
    s.add_argument("claim_id", metavar="CLAIM_ID")
    s.add_argument("--source", metavar="NAME", help="who says so (e.g. 'UN HRMMU')")
    s.add_argument("--kind", metavar="KIND", help="source kind: government, military, official, person, media, ngo, "
                                                  "intl_org, social_media, unattributed")
    s.add_argument("--side", metavar="PARTY", help="the source's side: a party id (russia, ukraine, israel, rsf, ...), "
                                                   "third_party or unknown")
    s.add_argument("--measure", metavar="M", help="killed, wounded, casualties, missing, captured, ...")
    s.add_argument("--value", type=float, metavar="N", help="the figure")
    s.add_argument("--min", type=float, metavar="N", help="low end of a range (with --max)")
    s.add_argument("--max", type=float, metavar="N", help="high end of a range")
    s.add_argument("--date", metavar="YYYY-MM-DD", help="the day the figure is about")
    s.add_argument("--place", metavar="NAME", help="where: a place name the gazetteer knows")
    _common(s)
    m = acts.add_parser("move", help="reconcile a claim in another ledger event",
                        description="Move one claim to another ledger event: it leaves its event's reconciliation "
                                    "and joins the other's.")
    m.add_argument("claim_id", metavar="CLAIM_ID")
    m.add_argument("--to", required=True, metavar="EVENT_ID", help="the ledger event (a unique prefix will do)")
    _common(m)
    sp = acts.add_parser("split", help="take reports out of a ledger event into events of their own",
                         description="Split a ledger event: every report becomes an event of its own, or with "
                                     "--doc, the reports named leave together as one new event.")
    sp.add_argument("event_ids", nargs=1, metavar="EVENT_ID")
    sp.add_argument("--doc", action="append", metavar="DOC_ID", help="a report to take out (repeat for several)")
    _common(sp)
    mg = acts.add_parser("merge", help="make two or more ledger events one",
                         description="Merge ledger events into one (named after the first); their claims are "
                                     "reconciled together.")
    mg.add_argument("event_ids", nargs="+", metavar="EVENT_ID")
    _common(mg)
    ls = acts.add_parser("list", help="reviews, newest first, with where each points in the ledger now",
                         description="List reviews, newest first: action, status (active, undone, orphaned), the "
                                     "claim or event as found now, who, when and why.")
    ls.add_argument("--status", choices=["active", "undone", "orphaned"], help="only these")
    ls.add_argument("--claim", metavar="CLAIM_ID", help="only the reviews of this claim")
    ls.add_argument("--event", metavar="EVENT_ID", help="only the reviews touching this ledger event")
    ls.add_argument("--limit", type=int, metavar="N", help="at most N (default 100 in a table, all in json/jsonl; 0 = all)")
    ls.add_argument("--format", choices=["text", "json", "jsonl"], default="text")
    add_db_argument(ls)
    im = acts.add_parser("import", help="add reviews exported from another ledger (review list --format jsonl)",
                         description="Add reviews written by `claimledger review list --format jsonl` from another "
                                     "ledger, e.g. one built from the same reports by an older claimledger: each "
                                     "finds its claim again by document text and evidence span, or is reported as "
                                     "orphaned. Reviews already here are not added twice; a bad line is reported and "
                                     "skipped (exit 1).",
                         epilog="example:\n  claimledger review list --format jsonl --db old.db > reviews.jsonl\n"
                                "  claimledger review import reviews.jsonl --db new.db",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    im.add_argument("path", metavar="FILE", help="review records, one JSON object per line (- for stdin)")
    add_db_argument(im)
    u = acts.add_parser("undo", help="undo a review (it stays in the history, marked undone)",
                        description="Undo a review: reconciliation goes back to the extractor's reading (or the "
                                    "merge's grouping). The review stays in the history, marked undone.")
    u.add_argument("review_id", type=int, metavar="REVIEW_ID")
    _common(u, reason=False)
    for sub_p in (a, r, s, m, sp, mg, ls, im, u):
        sub_p.set_defaults(func=run)


def reviewer(given: str | None) -> str | None:
    if given:
        return given
    env = os.environ.get("CLAIMLEDGER_REVIEWER")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):   # no login name in a container: the review is still recorded
        return None


def _event_id(store, given: str) -> str:
    if store.get_event(given) is not None:
        return given
    ids = store.find_event_ids(given)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        into = store.merged_into(given)
        hint = f" (its reports are in {into} now)" if into else " (see `claimledger events`)"
        raise UserError(f"no ledger event {given!r}{hint}")
    raise UserError(f"{given!r} matches several events ({', '.join(ids)}, ...): give more of it")


def _place(name: str | None) -> dict | None:
    if name is None:
        return None
    from claimledger.analyse.places import geocode
    from claimledger.serialise import to_dict

    found = geocode(name)
    if found is None or found.lat is None:
        raise UserError(f"--place {name!r}: no such place in the gazetteer (try the town's English name)")
    out = to_dict(found)
    out.pop("evidence", None)
    return out


def _fields(args) -> dict:
    return {"source": args.source, "kind": args.kind, "side": args.side, "measure": args.measure,
            "value": args.value, "min": args.min, "max": args.max, "date": args.date, "place": _place(args.place)}


def _write(store, args):
    from claimledger.analyse.parties import side_values
    from claimledger.ledger import reviews_write as rw
    from claimledger.ledger.reviews import CLAIM_ACTIONS

    by = reviewer(args.by)
    if args.action in CLAIM_ACTIONS:
        fields = _fields(args) if args.action == "set" else None
        to = _event_id(store, args.to) if args.action == "move" else None
        return store.write_review(lambda conn: rw.review_claim(
            conn, args.claim_id, args.action, reason=args.reason, by=by, fields=fields, to_event=to,
            sides=tuple(side_values())))
    if args.action in ("split", "merge"):
        ids = [_event_id(store, e) for e in args.event_ids]
        docs = getattr(args, "doc", None)
        return store.write_review(lambda conn: rw.review_events(conn, args.action, ids, reason=args.reason, by=by,
                                                                documents=docs))
    return store.write_review(lambda conn: rw.undo(conn, args.review_id, by=by))


def _figures(ev) -> str:
    fig = lambda v: "?" if v is None else f"{v:,}"  # noqa: E731
    d = ev.deaths if ev else None
    return "no killed figure" if d is None else f"killed low {fig(d.low)} · best {fig(d.best)} · high {fig(d.high)}"


def describe(review) -> str:
    """One line for a review: what, on what, why, who, when."""
    from claimledger.ledger.reviews import CLAIM_ACTIONS

    what = {"reject": "rejected claim", "set": "corrected claim", "move": "moved claim", "accept": "accepted claim",
            "split": "split event", "merge": "merged events"}[review.action]
    on = review.claim if review.action in CLAIM_ACTIONS else \
        ", ".join(review.fields.get("events") or [review.event or "?"])
    extra = ""
    if review.action == "set":
        extra = " (" + "; ".join(f"{k} {review.replaced.get(k)!r} -> {v!r}" for k, v in review.fields.items()
                                 if k != "place") + (f"; place -> {review.fields['place']['name']}"
                                                     if review.fields.get("place") else "") + ")"
    elif review.action == "move":
        extra = f" to {review.fields.get('to')}"
    status = "" if review.status == "active" else f" [{review.status}]"
    return f"review {review.id}: {what} {on}{extra}: {review.reason} ({review.by or 'anonymous'}, {review.day}){status}"


def run(args) -> int:
    from claimledger.ledger.errors import StoreError
    from claimledger.ledger.reviews import ReviewError

    store = open_store(args)
    try:
        if args.action == "list":
            return _list(store, args)
        if args.action == "import":
            return _import(store, args)
        try:
            (review, touched, *_), alive = _write(store, args)
        except ReviewError as exc:
            raise UserError(str(exc)) from None
        after = {e: store.get_event(e) for e in sorted(set(alive) | set(touched))}
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    if args.format == "json":
        from claimledger.serialise import to_dict

        sys.stdout.write(json.dumps({"review": to_dict(review), "events": {e: to_dict(ev) if ev else None
                                                                          for e, ev in after.items()}},
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = [("undone " if args.action == "undo" else "") + describe(review)]
    for e, ev in after.items():
        lines.append(f"  {e}: {_figures(ev)}" if ev else f"  {e}: no longer an event (its reports are elsewhere)")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _list(store, args) -> int:
    from claimledger.ledger.reviews import listing
    from claimledger.outputs.table import table
    from claimledger.serialise import to_dict

    limit = args.limit if args.limit is not None else (100 if args.format == "text" else 0)
    limit = None if limit == 0 else limit
    found, total = store.read_with(lambda conn: listing(conn, status=args.status, claim=args.claim,
                                                        event=args.event, limit=limit))
    if args.format == "json":
        sys.stdout.write(json.dumps({"total": total, "items": [to_dict(r) for r in found]}, ensure_ascii=False,
                                    indent=2) + "\n")
        return 0
    if args.format == "jsonl":
        for r in found:
            sys.stdout.write(json.dumps(to_dict(r), ensure_ascii=False) + "\n")
        return 0
    if not found:
        print("no reviews" + (" matching" if (args.status or args.claim or args.event) else " yet") +
              " (make one with `claimledger review reject CLAIM_ID --reason TEXT`)")
        return 0
    rows = [[str(r.id), r.action, r.status, r.now_claim or r.claim or "", r.now_event or r.event or "",
             r.by or "", r.day, r.reason] for r in found]
    print(table(rows, ["id", "action", "status", "claim", "event", "by", "date", "reason"],
                [5, 6, 8, 22, 15, 14, 10, 40]))
    if len(found) < total:
        print(f"... {total - len(found)} more (--limit 0 lists all)")
    return 0


def claim_notes(claim_id: str, statuses: dict, history: list) -> list[str]:
    """The lines ``show`` prints under a claim: what reviews did to it, and every review of it."""
    status, reviewed = statuses.get(claim_id, (None, None))
    from claimledger.ledger.reviews import CLAIM_ACTIONS

    lines = []
    if status == "corrected" and reviewed is not None:
        from claimledger.outputs.table import fmt_quantity

        s = reviewed.source
        lines.append(f"      CORRECTED: {reviewed.measure} {fmt_quantity(reviewed.quantity)} · "
                     f"{s.name or s.mention or 'the outlet'} [{s.side}, {s.kind}]")
    elif status:
        lines.append(f"      {status.upper()}")
    for r in history:
        if claim_id in (r.now_claim, r.claim) and r.action in CLAIM_ACTIONS:
            lines.append(f"      {describe(r)}")
    return lines


def event_notes(history: list) -> list[str]:
    """The split and merge reviews of an event, for ``show``."""
    return [f"  {describe(r)}" for r in history if r.action in ("split", "merge")]


def _records(path: str):
    """(line number, review or error text) for each non-empty line of an exported review file."""
    from claimledger.ledger.reviews_import import of_dict

    try:
        fh = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {path} ({exc.strerror})") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield n, of_dict(json.loads(line))
            except (ValueError, RecursionError) as exc:
                yield n, f"not a review record ({exc})"


def _import(store, args) -> int:
    from claimledger.ledger.reviews import listing
    from claimledger.ledger.reviews_import import import_reviews

    found, failed = [], 0
    try:
        for n, item in _records(args.path):
            if isinstance(item, str):
                failed += 1
                print(f"claimledger review import: {args.path}:{n}: {item}", file=sys.stderr)
            else:
                found.append(item)
    except UnicodeDecodeError as exc:
        raise UserError(f"{args.path} is not UTF-8 text (byte {exc.start})") from None
    # a rebuild follows (the third value): imported splits and merges regroup, every event is reconciled
    (counts, *_), _alive = store.write_review(lambda conn: (import_reviews(conn, found), set(), bool(found)))
    located, _ = store.read_with(lambda conn: listing(conn, limit=None))
    orphaned = sum(1 for r in located if r.status == "orphaned")
    print(f"claimledger review import: {counts[0]} reviews added, {counts[1]} already here, {failed} bad lines; "
          f"{orphaned} reviews of this ledger orphaned (claimledger review list --status orphaned)", file=sys.stderr)
    return 1 if failed else 0
