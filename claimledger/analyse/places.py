"""Place mentions: recognised by gazetteer lookup, resolved to one GeoNames place each.

Three steps, three modules: :mod:`~claimledger.analyse.place_lookup` turns a written name into
scored gazetteer candidates, :mod:`~claimledger.analyse.place_recognition` finds the spans that
name places (region phrases, raions, towns, countries) and rejects false friends, and
:mod:`~claimledger.analyse.place_resolution` picks each mention's entry from its qualifiers and
the document's context.  The gazetteer is the built-in cities500 index, or the one built from
imported GeoNames country dumps (``claimledger gazetteer import``).  See docs/places.md.
"""

from __future__ import annotations

from claimledger.analyse.place_capitals import capital_places
from claimledger.analyse.place_facilities import plant_places
from claimledger.analyse.place_recognition import DocScan
from claimledger.analyse.place_resolution import Resolver
from claimledger.records import Place, Span


def _scan(text: str, sentences: list[Span], query: bool = False, day: str | None = None) -> list[Place]:
    scan = DocScan(text, sentences, query=query, day=day)
    regions = scan.regions()
    claimed = sorted((m.start, m.end) for m in regions)
    divisions = scan.divisions(claimed)
    claimed = sorted(claimed + [(m.start, m.end) for m in divisions])
    mentions = regions + divisions + scan.towns(claimed)
    mentions.sort(key=lambda m: m.start)
    found = Resolver(scan, mentions).run()
    if query:
        return found
    found = plant_places(text, found, geocode)
    capitals = capital_places(text, found, geocode)
    return sorted(found + capitals, key=lambda p: p.evidence.start) if capitals else found


def find_places(text: str, sentences: list[Span] | None = None, day: str | None = None) -> list[Place]:
    """Every place mention in ``text``, resolved, in text order.  ``day`` (ISO) is the document's
    date, which says which of a war's front lines held (``front_lines``); by default the date the
    text opens with ("On 5 May 2022, ..."), else none."""
    if sentences is None:
        from claimledger.analyse.sentences import split_sentences

        sentences = split_sentences(text)
    if day is None:
        from claimledger.analyse.dates import anchor_date

        day = anchor_date(text)
    return _scan(text, sentences, day=day)


def place_component(doc) -> None:
    from claimledger.analyse.dates import anchor_date

    published = doc.meta.published if doc.meta is not None else getattr(doc.article, "published", None)
    day = _iso_day(published) or anchor_date(doc.text, doc.dates)
    sentences = doc.sentences
    if not sentences:
        from claimledger.analyse.sentences import split_sentences

        sentences = split_sentences(doc.text)
    doc.places = _scan(doc.text, sentences, day=day)


def _iso_day(value: str | None) -> str | None:
    """A publication date's day, when it is an ISO date."""
    return value[:10] if value and len(value) >= 10 and value[4] == "-" and value[7] == "-" else None


def geocode(name: str) -> Place | None:
    """Best single place for a name typed by a user (``--near Kramatorsk``, ``--near "Kharkiv region"``).

    The whole string is tried as one name first, so a stoplisted word ("Bar") or a town that is
    also a surname still resolves when it is all the user typed.
    """
    name = " ".join((name or "").split())
    if not name:
        return None
    found = _scan(name, [Span(0, len(name))], query=True)
    whole = [p for p in found if p.evidence.start == 0 and p.evidence.end >= len(name.rstrip(".")) - 2]
    return (whole or found or [None])[0]
