"""Type an incident with ACLED's sub-event types from the words that describe it."""

from __future__ import annotations

import re
from functools import cache

from claimledger.data import load_yaml


@cache
def _rules():
    data = load_yaml("lexicons/event_types.yaml")
    rules = [(r["type"], re.compile(r"\b(?:" + "|".join(r["any"]) + r")", re.I),
              re.compile(r"\b(?:" + "|".join(r["unless"]) + r")", re.I) if r.get("unless") else None)
             for r in data["rules"]]
    cues = re.compile(r"\b(?:" + "|".join(data["incident_cues"]) + r")", re.I)
    return rules, data["parents"], cues


def parent_type(sub_type: str) -> str:
    return _rules()[1].get(sub_type, "Strategic developments")


def is_incident_sentence(sentence: str) -> bool:
    return bool(_rules()[2].search(sentence))


def classify(text: str) -> str | None:
    """The first rule (in the lexicon's priority order) that matches the text, or None."""
    for sub_type, rx, unless in _rules()[0]:
        if rx.search(text) and not (unless is not None and unless.search(text)):
            return sub_type
    return None
