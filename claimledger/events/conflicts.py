"""Which war a report is about, and the sides it gives its sources, subjects and actors in that war.

Runs after the events: the conflict is chosen from the document's countries (its places in text
order), its date (a conflict's date range) and the registry parties it names, so that a note on an
al-Shabaab ambush in Kenya is the Kenya conflict and a Gaza report is Israel-Gaza. Attribution reads
one sentence at a time and, like the old four-value scheme, gives a generic official with no side
words ("police said", "the health ministry") the Ukrainian side, or the Russian one in a Russian
context; in a report about another war (or none) that default is replaced here by the state party
of the report's country in that war, or ``unknown``. A source's side follows from its party, never
from the outlet's country; an outlet's own voice stays ``unknown``.
"""

from __future__ import annotations

from claimledger.analyse.parties import (
    choose_conflict,
    conflict,
    opponent,
    parties_in,
    party_in,
    speaker_for,
    state_party,
)
from claimledger.records import Source

_OLD_DEFAULTS = ("russia", "ukraine")
_HOME = "russia-ukraine"
# attribution's default when the sentence says nothing of the speaker's side; its other default,
# Russia's, was read from the report's context (a Russian outlet, "DPR", "occupied"), which tells
# the speaker's side better than the country of the place (occupied towns lie in Ukraine)
_PLAIN = "ukraine"


def _doc_date(doc) -> str | None:
    for ev in doc.events:
        if ev.date is not None and ev.date.start:
            return ev.date.start
    for d in doc.dates:
        start = getattr(d, "start_date", None)
        if start:
            return start
    return doc.meta.published if doc.meta else None


def _countries(doc) -> list[str]:
    seen: list[str] = []
    for p in [e.place for e in doc.events] + list(doc.places):
        if p is not None and p.country and p.country not in seen:
            seen.append(p.country)
    return seen


def _defaulted(src: Source) -> bool:
    """A source whose Russian/Ukrainian side came from attribution's default, not from its words
    (neither the words it was cited by nor the name they resolved to: "the ministry" that an earlier
    sentence named as Russia's)."""
    words = [w for w in (src.mention, src.name) if w]
    return (src.side in _OLD_DEFAULTS and src.kind in ("official", "government", "military")
            and all(speaker_for(w) is None and party_in(w, speaker=True) is None for w in words))


def conflict_component(doc) -> None:
    countries = _countries(doc)
    cid = choose_conflict(countries, _doc_date(doc), lambda: [pid for _, pid in parties_in(doc.text)])
    war = conflict(cid)
    among = war.parties if war else None
    home = state_party(countries[0], among) if countries and among else None
    for c in doc.claims:
        c.conflict = cid
        old = c.source.side
        defaulted = _defaulted(c.source)
        # an official with no side words speaks for the state the claim happened in ("officials said
        # two were killed in Belgorod"), when that state is a party of the war and the claim has a
        # town or region there; else the old default (the home war) or the report's country's party
        local = state_party(c.place.country, among) if defaulted and old == _PLAIN and among \
            and c.place is not None and c.place.precision != "country" else None   # "Russia appears to": no place
        if defaulted:
            c.source.side = local or (old if cid == _HOME else home) or "unknown"
        if cid == _HOME:
            # the people a belligerent official counts are its own; any other subject side was read
            # from the sentence's parties and attacker, which the new speaker does not change
            if c.source.side != old and c.subject.side == old and party_in(c.subject.text or "") is None:
                c.subject.side = c.source.side
            continue
        if c.subject.side in _OLD_DEFAULTS and party_in(c.subject.text or "") is None:
            # "its soldiers", "civilians" counted by a defaulted source: relative to the new side
            if c.subject.side == old:
                c.subject.side = c.source.side
            elif old in _OLD_DEFAULTS:
                c.subject.side = opponent(c.source.side) or "unknown"
    for ev in doc.events:
        ev.conflict = cid
        if among is None or cid == _HOME:
            continue
        for actor in (ev.initiator, ev.target):
            if actor is not None and actor.side in _OLD_DEFAULTS and actor.side not in among:
                actor.side, actor.name = "unknown", None
