"""Whether a sentence reports an incident at all: history, a question, violence feared, averted or
prepared, habits and photo captions report none (their words are in ``data/lexicons/incident.yaml``). Kept apart
from events/build.py, which decides which incident a reporting sentence belongs to.
"""

from __future__ import annotations

import re
from functools import cache

from claimledger.analyse.claims import is_history_sentence
from claimledger.data import pattern, word_list
from claimledger.events.classify import incident_cue_spans


def no_incident(sentence: str, published: str | None, history: bool = True) -> bool:
    """History, a question, or violence feared, averted or prepared: no incident of this report.
    A short note is about one event by construction, so its lede is not tested for history."""
    return (history and is_history_sentence(sentence, published)) or is_question(sentence) or bool(
        pattern("lexicons/incident.yaml", "non_incident_cues").search(sentence)) or bool(
        pattern("lexicons/incident.yaml", "habits").search(sentence))


_FUTURE = re.compile(r"\b(?:will|would|could|might|may|plans? to|threaten\w*|warn\w*|if|unless)\b")  # lower case: "12 May"


@cache
def _intent() -> re.Pattern:
    """Every spelling of governors.yaml ``intent_heads`` (their stems, and "sought"): a sentence
    without one has no deed the parse could read as intended ("is planning a terrorist attack on the
    plant", "a unit meant to defend the capital from any attack", "as they seek to seize the region")."""
    forms = {"sought"}
    for h in word_list("lexicons/governors.yaml", "intent_heads"):
        stem = h[:-1] if h.endswith("e") else h
        forms |= {h, h + "s", h + "d", stem + "ed", stem + "ing", h + h[-1] + "ed", h + h[-1] + "ing"}  # planned
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b", re.I)


def is_forecast(sentence: str, parse=None) -> bool:
    """Violence feared, threatened or conditional, not done ("Russia could strike again", "threatened
    to shell the city"): the sentence holds a word of modality or intent, and none of its incident
    words (:func:`~claimledger.events.classify.incident_cue_spans`) is a deed the parse shows done: a verb in the past ("killed", "was shelled"),
    or a noun whose clause's verb is in the past ("explosions shook Kyiv on Sunday"), on a path to
    the root free of modals, "if" and intents (:func:`~claimledger.analyse.syntax.is_irrealis`). So
    "a car bombing that killed her on Saturday heightened fears that Russia might intensify attacks"
    reports an incident, and "Iskander missiles are capable of striking targets and could target
    Kyiv" does not. A modal that comes before every incident word ("officials warned that Russian
    forces could shell the city") needs no parse. A word of intent (governors.yaml ``intent_heads``)
    with no modal makes a forecast only when every incident word is what is intended ("as they seek
    to seize the region", "is planning a terrorist attack on the plant"), wherever it stands: a deed
    may follow it or take no verb in the past ("aiming to retake the city, troops shelled its
    outskirts", "officials were investigating Monday night's air strikes, aimed at a depot"). A
    sentence with no such word needs no parse at all.
    ``parse``: a callable giving the sentence's :class:`~claimledger.analyse.syntax.SentenceParse`;
    without one (the caller knows the deed could not matter) a sentence with such a word is read as
    a forecast."""
    first = _FUTURE.search(sentence)
    intent = _intent().search(sentence) is not None
    if first is None and not intent:
        return False
    if parse is None:
        return True
    spans = incident_cue_spans(sentence)
    if not intent and not any(a < first.start() for a, _b in spans):
        return True
    from claimledger.analyse.syntax import is_irrealis, is_past_deed

    doc = parse().doc
    words = [t for t in doc if any(a <= t.idx < b for a, b in spans)]
    if first is None:   # intent alone: a forecast when every incident word is what is intended
        return bool(words) and all(is_irrealis(t) for t in words)
    return not any(is_past_deed(t) and not is_irrealis(t) for t in words)


def idle_weapons(sentence: str, parse) -> bool:
    """A sentence whose only incident words are weapons, none of them used: "Iran is readying to
    supply missiles and drones", "a conference of drone makers in Lviv", "warplanes carrying
    hypersonic missiles were deployed to Kaliningrad". A weapon is used when the verb it is an
    argument of, or a verb that describes it, is one of ``weapon_use`` (event_types.yaml):
    "warships have been firing missiles into nearby towns", "drones striking Kyiv", "a missile can be
    seen striking an area" (:func:`~claimledger.analyse.syntax.is_used`). ``parse``: a callable giving
    the sentence's :class:`~claimledger.analyse.syntax.SentenceParse`, read only for such a sentence."""
    spans = incident_cue_spans(sentence)
    weapon = pattern(_EVENT_TYPES, "weapon_cues")
    if not spans or not all(weapon.fullmatch(sentence, a, b) for a, b in spans):
        return False
    from claimledger.analyse.syntax import is_used

    verbs = frozenset(word_list(_EVENT_TYPES, "weapon_use"))
    words = [t for t in parse().doc if any(a <= t.idx < b for a, b in spans)]
    return not any(is_used(t, verbs) for t in words)


_EVENT_TYPES = "lexicons/event_types.yaml"


def is_question(sentence: str) -> bool:
    """A question asks, it reports nothing, also when it is quoted ("Why this cruelty that the world
    has witnessed in ...?" the president asked): the closing quote or bracket is not the sentence's end."""
    return sentence.rstrip().rstrip("\"”’'»)]").rstrip().endswith("?")


def is_durative(sentence: str) -> bool:
    """A stretch of violence, not one incident ("has come under bombardment for weeks", "a city
    devastated by Russian shelling"): said of a sentence that gives no day of its own, it may speak
    of an incident already told of, but it seeds none."""
    return pattern("lexicons/incident.yaml", "durative").search(sentence) is not None


def is_caption(text: str, start: int, end: int) -> bool:
    """A photo's caption run into the text ("Rescuers search the rubble in Mariupol on March 3.
    (AP Photo/...)"): the credit closes the sentence or opens the text right after it. A caption
    describes a picture, often taken days before the report's incident, so it seeds no incident."""
    credit = pattern("lexicons/incident.yaml", "photo_credit", bounded=False)
    if credit.match(text[end:end + 80].lstrip()) is not None:
        return True
    tail = text[max(start, end - 100):end]
    if any(_CLOSES.fullmatch(tail, m.end()) for m in credit.finditer(tail)):
        return True
    return pattern("lexicons/incident.yaml", "caption_tail", bounded=False).search(tail) is not None \
        or pattern("lexicons/incident.yaml", "caption_phrases").search(text, start, end) is not None


_CLOSES = re.compile(r"[^()]{0,60}\)?[.\s]*")
