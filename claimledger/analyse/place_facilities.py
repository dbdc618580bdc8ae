"""A nuclear power plant named after a town it is not in: "the Zaporizhzhia nuclear power plant".

Reports name the plant by its town's name far more often than by the town it stands in (Enerhodar),
and every shelling of the plant was placed in Zaporizhzhia city, 50 km away. The table of such plants
is data (``data/places.yaml`` ``nuclear_plants``); the plant's town is resolved through the same
gazetteer as every other name, and the mention keeps its span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from claimledger.data import load_yaml
from claimledger.records import Place


@cache
def _table() -> tuple[re.Pattern, dict[str, str]]:
    data = load_yaml("places.yaml")["nuclear_plants"]
    words = "|".join(sorted(data["words"], key=len, reverse=True))
    # "the Zaporizhzhia nuclear power plant", "Zaporizhzhia's nuclear plant", "the Zaporizhzhia (nuclear) plant"
    return re.compile(rf"(?:['’]s)?\s+\(?(?:{words})\b", re.I), dict(data["sites"])


def plant_places(text: str, found: list[Place], geocode: Callable[[str], Place | None]) -> list[Place]:
    """``found`` with each town that names a nuclear plant of the table moved to the plant's town."""
    words, sites = _table()
    out = []
    for place in found:
        site = sites.get(place.name) if place.precision == "point" else None
        if site is not None and words.match(text, place.evidence.end):
            at = _site(site, geocode)
            if at is not None:
                place = replace(at, mention=place.mention, evidence=place.evidence)
        out.append(place)
    return out


_SITES: dict[str, Place | None] = {}


def _site(name: str, geocode: Callable[[str], Place | None]) -> Place | None:
    if name not in _SITES:
        _SITES[name] = geocode(name)
    return _SITES[name]
