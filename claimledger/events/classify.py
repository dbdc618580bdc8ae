"""Type an incident with ACLED's sub-event types from the words that describe it."""

from __future__ import annotations

import re
from functools import cache

from claimledger.data import load_yaml


@cache
def _rules():
    data = load_yaml("lexicons/event_types.yaml")
    rules = [(r["type"], re.compile(r"\b(?:" + "|".join(r["any"]) + r")", re.I),
              re.compile(r"\b(?:" + "|".join(r["unless"]) + r")", re.I) if r.get("unless") else None,
              bool(r.get("generic")))
             for r in data["rules"]]
    cues = re.compile(r"\b(?:" + "|".join(data["incident_cues"]) + r")", re.I)
    return rules, data["parents"], cues


def parent_type(sub_type: str) -> str:
    return _rules()[1].get(sub_type, "Strategic developments")


def is_incident_sentence(sentence: str) -> bool:
    return bool(_rules()[2].search(sentence))


def classify(text: str, context: str | None = None) -> str | None:
    """The first rule (in the lexicon's priority order) that matches the text, or None.

    When only a generic rule matches ("struck", "explosions") and a wider ``context`` (the rest of
    the incident's sentences) names the weapon, the specific reading of the context wins."""
    found = _first(text)
    if found is not None and found[1] and context:
        # same family only: "struck" may be read as an air strike, never as an abduction
        specific = _first(context, family=parent_type(found[0]))
        if specific is not None:
            return specific[0]
    return found[0] if found else None


def _first(text: str, family: str | None = None) -> tuple[str, bool] | None:
    """The first matching rule; with ``family``, the first specific rule of that parent type."""
    for sub_type, rx, unless, generic in _rules()[0]:
        if family is not None and (generic or parent_type(sub_type) != family):
            continue
        if rx.search(text) and not (unless is not None and unless.search(text)):
            return sub_type, generic
    return None
