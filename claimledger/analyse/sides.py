"""Whose was it: the side of an attacker and of what was counted, from the words around a number.

Kept apart from attribution (which reads the *source's* side): reconciliation turns on the
difference between a side counting its own losses and a side counting the enemy's.
"""

from __future__ import annotations

import re

_SIDE_WORDS = {
    "russia": r"russian|russia's|moscow's|kremlin|dpr|lpr|separatist|pro-russian|chechen|wagner|occupiers|invaders",
    "ukraine": r"ukrainian|ukraine's|kyiv's|azov|zsu",
}
_ATTACK_NOUNS = (r"(?:forces|troops|army|military|strikes?|missiles?|rockets?|shelling|shells|attacks?|bombardments?|"
                 r"drones?|artillery|air ?strikes?|planes|jets|aircraft|bombs?|offensive|units|soldiers|tanks?|"
                 r"counteroffensive|militants|militia|saboteurs|sabotage|servicemen|positions)")
_ATTACKER = {
    side: re.compile(rf"\b(?:{words})\s+(?:[\w-]+\s+){{0,2}}?{_ATTACK_NOUNS}\b", re.I)
    for side, words in _SIDE_WORDS.items()
}
_BY = {side: re.compile(rf"\bby\s+(?:the\s+)?(?:{words})\b", re.I) for side, words in _SIDE_WORDS.items()}
_VICTIM = {side: re.compile(rf"\b(?:at|on|against|targeting|hit|struck|shelled)\s+(?:the\s+)?(?:{words})\s+"
                            rf"(?:positions|forces|troops|units|military|soldiers|servicemen|base|barracks)", re.I)
           for side, words in _SIDE_WORDS.items()}
_NOT_ATTACK_BY = re.compile(r"\b(?:occupied|held|controlled|captured|seized|run|annexed|governed|backed|supported|"
                            r"installed|appointed|recogni[sz]ed)\s*$", re.I)
# "the depot in Russian-held Nova Kakhovka": what was struck belongs to that side
_HELD = {side: re.compile(rf"\b(?:{words})-(?:held|occupied|controlled|annexed)\b", re.I)
         for side, words in _SIDE_WORDS.items()}
OPPOSITE = {"russia": "ukraine", "ukraine": "russia"}


def attacker_side(sentence: str) -> str | None:
    """The side that fired, struck or attacked in this sentence, when the words say so."""
    hits = []
    for side in ("russia", "ukraine"):
        for m in _BY[side].finditer(sentence):
            if not _NOT_ATTACK_BY.search(sentence[max(0, m.start() - 25):m.start()]):
                hits.append((m.start(), side))  # "shelled by Russian forces", not "occupied by Russian forces"
    if hits:
        return min(hits)[1]
    for side in ("russia", "ukraine"):
        if _VICTIM[side].search(sentence) or _HELD[side].search(sentence):
            return OPPOSITE[side]
    for side in ("russia", "ukraine"):
        m = _ATTACKER[side].search(sentence)
        if m:
            hits.append((m.start(), side))
    return min(hits)[1] if hits else None


def subject_side(phrase: str, sentence: str, source_side: str, category: str, attacker: str | None) -> str:
    low = phrase.lower()
    for side, words in _SIDE_WORDS.items():
        if re.search(rf"\b(?:{words})\b", low):
            return side
    if re.search(r"\b(?:enemy|hostile)\b", low):
        return OPPOSITE.get(source_side, "unknown")
    if re.search(r"\b(?:its|our|own)\b", low):
        return source_side
    if re.search(r"\bforeign\b", low) and category == "mercenaries":
        return "ukraine"
    if category in ("missiles", "drones", "aircraft") and attacker:
        return attacker
    if attacker and category in ("people", "civilians", "military", "buildings", "equipment"):
        return OPPOSITE.get(attacker, "unknown")
    if source_side in ("russia", "ukraine") and category in ("people", "civilians"):
        return source_side
    return "unknown"
