"""Distances on the Earth: the one great-circle formula the whole project uses.

Places are compared by distance in the extractor (is this village near the document's other
places?), in event building and merging (same place within 25 km?) and when the web map's town
labels are thinned. One function keeps those comparisons consistent (same Earth radius, same
rounding guard) wherever they are made. The distance to a line (a war's front, ``front_lines`` of
places.yaml) lives here too, beside it.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two points given in decimal degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def km_to_line(lat: float, lon: float, line: tuple[tuple[float, float], ...]) -> float:
    """Distance in km from a point to a polyline (``((lat, lon), ...)``), in a plane tangent at the
    point: flat is exact enough for "within 15 km of the front" and costs no trigonometry per segment."""
    kx = 111.32 * math.cos(math.radians(lat))
    pts = [((b - lon) * kx, (a - lat) * 110.57) for a, b in line]
    best = math.inf
    for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, -(x1 * dx + y1 * dy) / ((dx * dx + dy * dy) or 1.0)))
        best = min(best, math.hypot(x1 + t * dx, y1 + t * dy))
    return best
