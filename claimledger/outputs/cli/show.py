"""``claimledger show EVENT_ID``: one ledger event, every claim behind it, and why the numbers are what they are."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError


def register(sub) -> None:
    p = sub.add_parser(
        "show", help="one ledger event: its claims by source and side, reconciled toll with reasoning, revisions",
        description="Show one ledger event: what, when, where and who; the reconciled killed and wounded "
                    "figures with the reasoning behind each; every source's revisions; the reports; and every "
                    "claim grouped by source and side, with the evidence sentence it came from.",
        epilog="EVENT_ID may be shortened to any unique prefix (le-3f2a).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("event_id", metavar="EVENT_ID")
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_db_argument(p)
    p.set_defaults(func=run)


def _source_label(claim, meta) -> str:
    s = claim.source
    if s.kind == "unattributed" or not (s.name or s.mention):
        return f"{meta.outlet or 'the outlet'} (own voice)"
    return s.name or s.mention


def render(ev, pairs, docs, reviews=None) -> str:
    """``reviews``: (claim id -> (review status, claim as corrected), review history), see reviews_apply.detail."""
    from claimledger.outputs.cli.review import claim_notes, event_notes
    from claimledger.outputs.table import fmt_quantity, place_name

    statuses, history = reviews or ({}, [])

    out = [f"== {ev.id}  {ev.type}" + (f" ({ev.event_type})" if ev.event_type else "")]
    date = ev.date.start if ev.date and ev.date.start else "undated"
    if ev.place:
        p = ev.place
        where = place_name(p) + (f", {p.admin1}" if p.admin1 and p.admin1 not in p.name else "") + \
            (f", {p.country}" if p.country else "")
        if p.lat is not None:
            where += f"  ({p.lat:.4f}, {p.lon:.4f}; {p.precision})"
    else:
        where = "place unknown"
    out.append(f"   {date} · {where}")
    ini = f"{ev.initiator.side} ({ev.initiator.name})" if ev.initiator else "unknown"
    tgt = f"{ev.target.side} ({ev.target.name})" if ev.target else "unknown"
    out.append(f"   initiator {ini} -> target {tgt}")
    out.append(f"   {len(ev.documents)} reports, {len(ev.claims)} claims")
    for label, d in (("killed", ev.deaths), ("wounded", ev.wounded)):
        out.append("")
        if d is None:
            out.append(f"{label}: no figures reported")
            continue
        fig = lambda v: "?" if v is None else str(v)  # noqa: E731
        out.append(f"{label}: low {fig(d.low)} · best {fig(d.best)} · high {fig(d.high)}")
        for line in d.reasoning or []:
            out.append(f"  - {line}")
    out.append("")
    if ev.revisions:
        out.append("revisions:")
        for r in ev.revisions:
            out.append(f"  {r.source} ({r.measure}): {_num(r.from_)} -> {_num(r.to)}  [report {r.doc}]")
    else:
        out.append("revisions: none")
    out.append("")
    out.append("reports:")
    for d in docs:
        out.append(f"  {d.published or 'undated':10}  {(d.outlet or '-')[:18]:18}  {d.id}  {d.title or ''}".rstrip())
    out.append("")
    out.append("claims by source and side:")
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for c, meta in pairs:
        groups[(_source_label(c, meta), c.source.side)].append((c, meta))
    for (label, side), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0].lower())):
        kind = items[0][0].source.kind
        out.append(f"  {label}  [side {side}, {kind}]")
        for c, meta in items:
            subj = f"{c.subject.text or c.subject.category} ({c.subject.category}/{c.subject.side})"
            when = c.date.start if c.date and c.date.start else "-"
            out.append(f"    {c.measure} {fmt_quantity(c.quantity)} {subj} · {c.stance} · {when} · "
                       f"{meta.outlet or meta.id} {meta.published or ''}  [{c.id} @{c.evidence.start}-{c.evidence.end}]")
            text = " ".join((c.evidence.text or "").split())
            out.append(f"      \"{text}\"")
            out += claim_notes(c.id, statuses, history)
    if event_notes(history):
        out += ["", "event reviews:"] + event_notes(history)
    return "\n".join(out) + "\n"


def _num(v) -> str:
    if v is None:
        return "?"
    return f"{v:,.0f}" if float(v).is_integer() else str(v)


def run(args) -> int:
    from claimledger.ledger.errors import StoreError
    from claimledger.ledger.reviews_apply import detail
    from claimledger.serialise import to_dict

    store = open_store(args)
    try:
        ev = store.get_event(args.event_id)
        if ev is None:
            ids = store.find_event_ids(args.event_id)
            if not ids and (into := store.merged_into(args.event_id)):
                # an ingest merged its reports into another event since the id was listed
                print(f"claimledger show: {args.event_id} was merged into {into}; showing {into}", file=sys.stderr)
                ids = [into]
            if not ids:
                raise UserError(f"no event {args.event_id!r} in the ledger (see `claimledger events`)")
            if len(ids) > 1:
                raise UserError(f"{args.event_id!r} matches several events ({', '.join(ids)}, ...): give more of it")
            ev = store.get_event(ids[0])
        pairs = store.event_claims(ev.id)
        docs = store.event_documents(ev.id)
        statuses, moved_in, history = store.read_with(lambda conn: detail(conn, ev.id, [(c, m.id) for c, m in pairs]))
        if moved_in:   # claims a review moved here from another event
            metas = store.documents_meta(d for _, d in moved_in)
            pairs += [(c, metas[d]) for c, d in moved_in if d in metas]
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    if args.format == "json":
        data = to_dict(ev)
        data["claims_detail"] = [dict(to_dict(c), doc=to_dict(m), review_status=statuses.get(c.id, (None,))[0],
                                      reviewed=to_dict(statuses[c.id][1]) if statuses.get(c.id, (0, None))[1] else None)
                                 for c, m in pairs]
        data["reviews"] = [to_dict(r) for r in history]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(ev, pairs, docs, (statuses, history)))
    return 0
