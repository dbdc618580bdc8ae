"""Plain-text tables for people at a terminal (the JSONL output is for programs)."""

from __future__ import annotations

from claimledger.records import Claim, DocResult, Place, Quantity


def place_name(p: Place) -> str:
    """A place as people read it: its name, or for a settlement the gazetteer lacks its text and
    the area it is known to lie in ("Shypilovo (not in the gazetteer; Luhansk)"), so nobody takes
    the area's coordinates for the village's."""
    if not p.unresolved:
        return p.name
    area = p.admin1 or p.country or "area unknown"
    return f"{p.name} (not in the gazetteer; {area})"


def fmt_quantity(q: Quantity) -> str:
    if q.value is not None:
        v = f"{q.value:,.0f}" if float(q.value).is_integer() else f"{q.value}"
    else:
        v = ""
    if q.min is not None and q.max is not None and q.min != q.max:
        rng = f"{q.min:,.0f}-{q.max:,.0f}"
    elif q.min is not None and q.max is None:
        rng = f">={q.min:,.0f}"
    elif q.max is not None and q.min is None:
        rng = f"<={q.max:,.0f}"
    else:
        rng = ""
    out = v if not rng or rng.lstrip("<>=") == v else (f"{v} ({rng})" if v else rng)
    return ("~" if q.approximate else "") + out


def table(rows: list[list[str]], headers: list[str], widths: list[int] | None = None) -> str:
    cells = [headers] + [[("" if c is None else str(c)) for c in r] for r in rows]
    widths = widths or [max(len(r[i]) for r in cells) for i in range(len(headers))]
    cut = [[c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(r, widths, strict=False)] for r in cells]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in cut]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _claim_row(c: Claim) -> list[str]:
    src = c.source.name or ("(outlet)" if c.source.kind == "unattributed" else c.source.mention or "?")
    return [c.measure + (f" [{c.unit}]" if c.unit else ""), fmt_quantity(c.quantity),
            f"{c.subject.category}/{c.subject.side}", f"{src} ({c.source.side})", c.stance,
            (c.date.start if c.date and c.date.start else "-"), (place_name(c.place) if c.place else "-")]


def render_document(res: DocResult) -> str:
    d = res.doc
    head = f"== {d.id}  {d.title or ''}".rstrip() + f"\n   published {d.published or 'unknown'}"
    if d.outlet:
        head += f" · {d.outlet}"
    parts = [head]
    if res.claims:
        parts.append(table([_claim_row(c) for c in res.claims],
                           ["measure", "quantity", "subject", "source (side)", "stance", "date", "place"],
                           [20, 14, 18, 40, 10, 10, 18]))
    else:
        parts.append("   (no claims)")
    for e in res.events:
        deaths = e.deaths
        toll = f"deaths {deaths.low}/{deaths.best}/{deaths.high} (low/best/high)" if deaths else "no deaths reported"
        who = f"{e.initiator.side if e.initiator else '?'} -> {e.target.side if e.target else '?'}"
        parts.append(f"   event {e.id}: {e.type} · {e.date.start if e.date else '-'} · "
                     f"{place_name(e.place) if e.place else '-'} · {who} · {toll}")
    return "\n".join(parts) + "\n"
