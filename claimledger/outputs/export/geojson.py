"""GeoJSON (RFC 7946) FeatureCollection of ledger events, for QGIS, geojson.io or a web map.

Positions are [longitude, latitude] in WGS 84, six decimals (~0.1 m, more than any report
supports); there is no ``crs`` member (RFC 7946 removed it). An event without coordinates is a
Feature with ``geometry: null``, which the RFC allows, so the file lists every event.
"""

from __future__ import annotations

import json

from claimledger.outputs.export.summary import bundles, notes


def feature(b) -> dict:
    ev = b.event
    p = ev.place
    geometry = None
    if p and p.lat is not None and p.lon is not None:
        geometry = {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]}
    d, w = ev.deaths, ev.wounded
    props = {
        "id": ev.id, "type": ev.type, "event_type": ev.event_type,
        "date": ev.date.start if ev.date else None,
        "place": p.name if p else None, "admin1": p.admin1 if p else None, "country": p.country if p else None,
        "precision": p.precision if p else None,
        "initiator_side": ev.initiator.side if ev.initiator else None,
        "target_side": ev.target.side if ev.target else None,
        "deaths_low": d.low if d else None, "deaths_best": d.best if d else None,
        "deaths_high": d.high if d else None,
        "wounded_low": w.low if w else None, "wounded_best": w.best if w else None,
        "wounded_high": w.high if w else None,
        "documents": len(ev.documents), "claims": len(ev.claims), "sources": ", ".join(b.outlets),
        "summary": notes(b),
    }
    return {"type": "Feature", "id": ev.id, "geometry": geometry, "properties": props}


def write(store, fh) -> int:
    """Streams features one per line inside the collection, so a large ledger is never one string."""
    fh.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for b in bundles(store):
        if n:
            fh.write(",\n")
        fh.write(json.dumps(feature(b), ensure_ascii=False))
        n += 1
    fh.write("\n]}\n")
    return n
