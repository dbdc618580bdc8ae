"""``claimledger events``: the ledger's events as a table, filtered by date, place, type and side."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from claimledger.outputs.cli.ingest import add_db_argument, open_store
from claimledger.outputs.cli.main import UserError


def _side(value: str) -> str:
    """A party id of the conflict registry (russia, israel, hamas, saf, rsf...), third_party or unknown."""
    from claimledger.analyse.parties import side_values

    value = value.strip().lower()
    if value not in side_values():
        raise argparse.ArgumentTypeError(f"{value!r} is not a side: give a party id of the conflict registry "
                                         f"(e.g. {', '.join(side_values()[:8])}...), third_party or unknown")
    return value


def present_sides(store) -> list[str]:
    """The sides some ledger event has as initiator or target, most frequent first."""
    from collections import Counter

    seen = Counter(a.side for e in store.iter_events() for a in (e.initiator, e.target) if a is not None and a.side)
    return [s for s, _ in seen.most_common()]


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def register(sub) -> None:
    p = sub.add_parser(
        "events", help="list the ledger's events (merged across reports, tolls reconciled)",
        description="List ledger events, oldest first, with their reconciled death toll (low/best/high) and how "
                    "many reports and claims support them. `claimledger show ID` explains one event.",
        epilog="examples:\n"
               "  claimledger events --since 2022-04-01 --until 2022-04-30\n"
               "  claimledger events --near Kramatorsk --km 30 --type shelling\n"
               "  claimledger events --near 48.72,37.56 --side russia --format jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="events on or after this date")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="events on or before this date")
    p.add_argument("--near", metavar="PLACE", help="a place name (geocoded) or 'lat,lon'")
    p.add_argument("--km", type=float, default=25.0, help="radius for --near (default %(default)s)")
    p.add_argument("--type", action="append", metavar="TYPE",
                   help="ACLED sub-event or event type, or a word of it ('shelling', 'air'); repeatable")
    p.add_argument("--side", type=_side, metavar="PARTY",
                   help="events where this party (a registry id: russia, israel, hamas, saf, rsf, jnim...) or "
                        "third_party/unknown is the initiator or the target; an empty result lists the sides present")
    p.add_argument("--min-deaths", type=int, metavar="N", help="events whose best death toll is at least N")
    p.add_argument("--limit", type=int, default=50, help="rows to show (default %(default)s; 0 = all)")
    p.add_argument("--offset", type=int, default=0, help="rows to skip")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    p.add_argument("--summary", action=argparse.BooleanOptionalAction, default=True,
                   help="after the table, each event's toll and who said what, and the next commands "
                        "(default on; --no-summary for the table alone; jsonl never has it)")
    add_db_argument(p)
    p.set_defaults(func=run)


def parse_near(text: str, countries: set[str] | None = None) -> tuple[float, float]:
    """'lat,lon' or a place name; UserError when neither gives coordinates, or when the name is only
    known outside ``countries`` (the ledger's: "Atlantis" is a town in South Africa, not a place here)."""
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*", text)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UserError(f"--near {text!r}: latitude must be within ±90 and longitude within ±180")
        return lat, lon
    try:
        from claimledger.analyse.places import geocode
    except ImportError:
        raise UserError(f"--near {text!r}: no gazetteer available here; give coordinates as 'lat,lon'") from None
    hit = geocode(text)
    if hit is None:
        raise UserError(f"--near {text!r}: unknown place; check the spelling or give 'lat,lon'")
    country = getattr(hit, "country", None)
    if countries and country and country not in countries:
        raise UserError(f"--near {text!r}: unknown place in this ledger (the only match is in {country}; its events "
                        f"are in {', '.join(sorted(countries))}); check the spelling or give 'lat,lon'")
    lat = getattr(hit, "lat", None)
    lon = getattr(hit, "lon", None)
    if lat is None and isinstance(hit, tuple | list) and len(hit) >= 2:
        lat, lon = hit[0], hit[1]
    if lat is None or lon is None:
        raise UserError(f"--near {text!r}: the place has no coordinates; give 'lat,lon'")
    return float(lat), float(lon)


def resolve_types(wanted: list[str], known: list[str]) -> list[str]:
    out: list[str] = []
    for w in wanted:
        hits = [k for k in known if k.lower() == w.lower()] or [k for k in known if w.lower() in k.lower()]
        if not hits:
            shown = ", ".join(sorted(known)) or "none yet"
            raise UserError(f"--type {w!r} matches no event type in this ledger (types here: {shown})")
        out += [h for h in hits if h not in out]
    return out


def _toll(d) -> str:
    if d is None:
        return "-"
    return "/".join("?" if v is None else str(v) for v in (d.low, d.best, d.high))


def render_table(events, total: int, offset: int) -> str:
    from claimledger.outputs.table import place_name, table

    rows = []
    for e in events:
        place = place_name(e.place) if e.place else "-"
        if e.place and e.place.admin1 and e.place.admin1 not in place:
            place += f", {e.place.admin1}"
        who = f"{e.initiator.side if e.initiator else '?'} -> {e.target.side if e.target else '?'}"
        rows.append([e.id, e.date.start if e.date and e.date.start else "undated", e.type, place, who,
                     _toll(e.deaths), str(len(e.documents)), str(len(e.claims))])
    out = table(rows, ["id", "date", "type", "place", "initiator -> target", "killed l/b/h", "docs", "claims"],
                [15, 10, 30, 24, 20, 13, 4, 6])
    shown = f"{offset + 1}-{offset + len(events)}" if events else "none"
    return out + f"\n\n{shown} of {total} events · `claimledger show ID` for sources, reasoning and revisions\n"


SUMMARY_EVENTS = 8
NEXT_STEPS = [
    ("claimledger show {id}", "one event: every claim, the reconciliation's reasoning, revisions"),
    ("claimledger events --min-deaths 5 --since 2022-06-01", "filter by toll, date, place (--near), type, side"),
    ("claimledger export --format acled-csv --out events.csv", "also geojson, ucdp-csv, claims-csv, events-jsonl"),
    ("claimledger serve", "the map, search, tables and downloads on http://127.0.0.1:8000"),
]


def _plain_toll(d) -> str:
    if d is None or (d.best is None and d.low is None and d.high is None):
        return "no deaths reported"
    best = d.best if d.best is not None else d.low
    rng = f" (at least {d.low}, up to {'?' if d.high is None else d.high})" if (d.low, d.high) != (best, best) else ""
    return f"{best} killed{rng}"


def readable_summary(store, events) -> str:
    """A few lines a person reads after the table: each event's reconciled toll and who said what
    (the same "X said 3, then 5" wording as the exports' notes), then the next commands to try."""
    from claimledger.outputs.export.summary import EventBundle, acled_date, who_said
    from claimledger.outputs.table import place_name

    lines = []
    for e in events[:SUMMARY_EVENTS]:
        killed = [(c, m) for c, m in store.event_claims(e.id) if c.measure == "killed"]
        said = who_said(EventBundle(e, store.event_documents(e.id), killed))
        when = acled_date(e.date.start) if e.date and e.date.start else "undated"
        where = place_name(e.place) if e.place else "an unknown place"
        lines.append(f"  {when}, {e.type.lower()} in {where}: {_plain_toll(e.deaths)}.")
        if said:
            lines.append(f"      {said}.")
    if len(events) > SUMMARY_EVENTS:
        lines.append(f"  ... and {len(events) - SUMMARY_EVENTS} more in the table above.")
    first = events[0].id if events else "EVENT_ID"
    width = max(len(cmd.format(id=first)) for cmd, _ in NEXT_STEPS)
    steps = [f"  {cmd.format(id=first):<{width}}  {why}" for cmd, why in NEXT_STEPS]
    head = ["", "In short:"] if lines else []
    return "\n".join(head + lines + ["", "Next:"] + steps) + "\n"


def run(args) -> int:
    from claimledger.ledger.errors import StoreError
    from claimledger.serialise import dumps

    store = open_store(args)
    try:
        near = None
        if args.near:
            if args.km <= 0:
                raise UserError("--km must be positive")
            lat, lon = parse_near(args.near, store.countries())
            near = (lat, lon, args.km)
        types = None
        if args.type:
            s = store.summary()
            types = resolve_types(args.type, list(s["by_type"]) + [t for t in s["by_event_type"] if t != "?"])
        events, total = store.list_events(since=args.since, until=args.until, near=near, types=types,
                                          side=args.side, min_deaths=args.min_deaths,
                                          limit=args.limit or None, offset=max(0, args.offset))
        summary = readable_summary(store, events) if args.format == "table" and args.summary else ""
        if args.side and not events:
            sides = present_sides(store)
            sys.stderr.write(f"no events with side {args.side}; sides in this ledger: "
                             f"{', '.join(sides) if sides else 'none'}\n")
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    if args.format == "jsonl":
        for e in events:
            sys.stdout.write(dumps(e) + "\n")
    else:
        sys.stdout.write(render_table(events, total, max(0, args.offset)) + summary)
    return 0
