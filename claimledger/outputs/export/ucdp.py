"""UCDP GED-style CSV: GED's 49 columns in GED's order, one row per ledger event with deaths.

Like GED, only events with at least one death in ``best``, ``low`` or ``high`` are written.
``source_article`` names the reports (outlet, date, headline); ``source_original`` the people and
bodies the figures come from ("Ukrainian officials; Pavlo Kyrylenko"), as GED separates them.
The deaths split (``deaths_a``/``deaths_b``/``deaths_civilians``/``deaths_unknown``) puts ``best``
where most of the killed claims' subjects point. Sides, dyad and conflict names are the conflict
registry's UCDP names (side A the government camp); UCDP's conflict and dyad ids are left empty.
"""

from __future__ import annotations

import csv
import math

from claimledger.analyse.parties import conflict, opponent, party, registry
from claimledger.outputs.export.acled import CONTINENT_REGION, countries, region
from claimledger.outputs.export.summary import bundles, export_config, source_label

COLUMNS = ["id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
           "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
           "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
           "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
           "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
           "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start",
           "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
           "gwnoa", "gwnob"]
WHERE_PREC = {"point": 1, "admin2": 3, "admin1": 4, "country": 6}


def priogrid(lat: float, lon: float) -> int:
    """PRIO-GRID cell id: 0.5-degree cells numbered row by row from (-90, -180)."""
    row = math.floor((lat + 90) / 0.5) + 1
    col = math.floor((lon + 180) / 0.5) + 1
    return (row - 1) * 720 + col


def _camp(pid: str | None, cid: str | None) -> str | None:
    c = conflict(cid)
    return dict(c.camps).get(pid or "") if c else None


def _sides(ev) -> tuple[str, str, str | None, str | None]:
    """(side_a name, side_b name, side_a party, side_b party): UCDP's side A is the government side
    (the registry's camp A), side B its opponent; a lone known side is paired with its opponent."""
    known = [a.side for a in (ev.initiator, ev.target) if a is not None and party(a.side) is not None]
    known = list(dict.fromkeys(known))
    if ev.event_type == "Violence against civilians":
        # one-sided violence: side A is the perpetrator, side B the civilians
        a = ev.initiator.side if ev.initiator and party(ev.initiator.side) else None
        return (party(a).ucdp if a else "", "", a, None)
    if len(known) == 1 and opponent(known[0]):
        known.append(opponent(known[0]))
    if not known:
        return "", "", None, None
    cid = ev.conflict
    known.sort(key=lambda pid: (_camp(pid, cid) or ("A" if party(pid).state else "B")) != "A")
    a = known[0]
    b = known[1] if len(known) > 1 else None
    return party(a).ucdp, party(b).ucdp if b else "", a, b


def _conflict_name(ev, sa: str | None, sb: str | None) -> str:
    c = conflict(ev.conflict)
    if c is None and sa:
        c = next((c for c in registry().conflicts if sa in c.parties and (sb is None or sb in c.parties)), None)
    return c.ucdp if c else ""


def _ucdp_region(cc: str | None, info: dict) -> str:
    """UCDP's regions: Europe, Middle East, Asia, Africa, Americas."""
    if region(cc) == "Middle East":
        return "Middle East"
    cont = CONTINENT_REGION.get(info.get("continentcode", ""), "")
    return "Americas" if cont in ("North America", "South America") else cont


def _violence(ev, sa: str | None, sb: str | None) -> int:
    """UCDP type of violence: 3 one-sided (against civilians), 1 state-based, 2 non-state."""
    if ev.event_type == "Violence against civilians":
        return 3
    return 1 if any(party(p) is not None and party(p).state for p in (sa, sb) if p) else 2


def row(bundle, n: int) -> dict | None:
    ev = bundle.event
    d = ev.deaths
    low, best, high = (d.low, d.best, d.high) if d else (None, None, None)
    if not any(v and v >= 1 for v in (low, best, high)):
        return None
    low = low or 0
    best = best if best is not None else low
    high = high if high is not None else best
    side_a, side_b, sa, sb = _sides(ev)
    gwno = export_config()["gwno"]
    one_sided = ev.event_type == "Violence against civilians"
    cats = [c.subject for c, _ in bundle.killed]
    civ = sum(1 for s in cats if s.category == "civilians")
    mil_a = sum(1 for s in cats if s.category in ("military", "mercenaries") and s.side == sa)
    mil_b = sum(1 for s in cats if s.category in ("military", "mercenaries") and s.side == sb)
    split = {"deaths_a": 0, "deaths_b": 0, "deaths_civilians": 0, "deaths_unknown": 0}
    top = max(civ, mil_a, mil_b)
    key = ("deaths_unknown" if top == 0 or top * 2 < len(cats) else
           "deaths_civilians" if civ == top else "deaths_a" if mil_a == top else "deaths_b")
    split[key] = best
    p = ev.place
    info = countries().get((p.country if p else None) or "", {})
    docs = bundle.docs
    date = ev.date.start if ev.date and ev.date.start else None
    originals = sorted({source_label(c, m) for c, m in bundle.killed})
    where = ""
    if p:
        where = f"{p.name} town" if p.precision == "point" else \
            (f"{p.name} province" if p.precision == "admin1" else p.name)
    return {
        "id": n, "relid": ev.id, "year": date[:4] if date else "", "active_year": 1, "code_status": "Clear",
        "type_of_violence": _violence(ev, sa, sb), "conflict_dset_id": "", "conflict_new_id": "",
        "conflict_name": _conflict_name(ev, sa, sb),
        "dyad_dset_id": "", "dyad_new_id": "",
        "dyad_name": f"{side_a} - {'Civilians' if one_sided else side_b}" if side_a else "",
        "side_a_dset_id": "", "side_a_new_id": "", "side_a": side_a, "side_b_dset_id": "", "side_b_new_id": "",
        "side_b": "Civilians" if one_sided else side_b, "number_of_sources": len(docs),
        "source_article": "; ".join(f"{m.outlet or 'unknown outlet'}, {m.published or 'undated'}, "
                                    f"\"{m.title or m.id}\"" for m in docs),
        "source_office": "; ".join(sorted({m.outlet for m in docs if m.outlet})),
        "source_date": "; ".join(sorted({m.published for m in docs if m.published})),
        "source_headline": "; ".join(m.title for m in docs if m.title),
        "source_original": "; ".join(originals),
        "where_prec": WHERE_PREC.get(p.precision, 7) if p else 7, "where_coordinates": where,
        "where_description": p.mention if p else "", "adm_1": f"{p.admin1} province" if p and p.admin1 else "",
        "adm_2": "", "latitude": p.lat if p and p.lat is not None else "",
        "longitude": p.lon if p and p.lon is not None else "",
        "geom_wkt": f"POINT ({p.lon} {p.lat})" if p and p.lat is not None else "",
        "priogrid_gid": priogrid(p.lat, p.lon) if p and p.lat is not None else "",
        "country": info.get("name", ""), "country_id": gwno.get(p.country, "") if p and p.country else "",
        "region": _ucdp_region(p.country if p else None, info), "event_clarity": 1,
        "date_prec": 1 if date else 5, "date_start": date or "", "date_end": (ev.date.end or date) if date else "",
        **split, "best": best, "high": high, "low": low,
        "gwnoa": gwno.get(party(sa).state, "") if sa and party(sa).state else "",
        "gwnob": "" if one_sided else (gwno.get(party(sb).state, "") if sb and party(sb).state else ""),
    }


def write(store, fh) -> int:
    w = csv.DictWriter(fh, fieldnames=COLUMNS)
    w.writeheader()
    n = 0
    for b in bundles(store):
        r = row(b, n + 1)
        if r is not None:
            n += 1
            w.writerow(r)
    return n
