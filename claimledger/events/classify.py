"""Type an incident with ACLED's sub-event types from the words that describe it.

The rules live in ``data/lexicons/event_types.yaml``, tried in order. A pattern may name a word
group (``{crowd}``, ``{armed}``, ``{civilian}``...) defined once in the same file, because ACLED's
types turn on *who* acted and *who* was hit: the same "attacked" is Mob violence when villagers did
it, an Attack when gunmen hit civilians and an Armed clash when they hit a military post. The
political parties whose supporters riot (Awami League, BNP...) and the armed parties of every war
(al-Shabaab, JNIM, the RSF...) come from the conflict registry.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from claimledger.analyse.regex_starts import Starts
from claimledger.data import load_yaml


def _expand(fragment: str, groups: dict[str, str]) -> str:
    """``{name}`` -> the group's alternation; unknown names are an error in the lexicon."""
    def sub(m: re.Match) -> str:
        if m.group(1) not in groups:
            raise KeyError(f"event_types.yaml: unknown group {{{m.group(1)}}}")
        return f"(?:{groups[m.group(1)]})"
    return re.sub(r"\{([a-z_]+)\}", sub, fragment)


def _groups(data: dict) -> dict[str, str]:
    from claimledger.analyse.parties import armed_party_names, political_party_names

    groups: dict[str, str] = {"political_parties": "|".join(political_party_names()) or "(?!x)x",
                              "armed_parties": "|".join(armed_party_names()) or "(?!x)x"}
    for name, words in data.get("groups", {}).items():
        groups[name] = "|".join(_expand(w, groups) for w in words)  # a group may use an earlier one
    return groups


def _alternation(words: list[str], groups: dict[str, str]):
    return re.compile(r"\b(?:" + "|".join(_expand(w, groups) for w in words) + r")", re.I)


# Shorter alternations (a few words each) are searched about as fast by ``re`` alone, and reading the
# heads of some (ACLED's note labels, which may start anywhere) costs a worker 0.2 s each at start-up.
_SELECTOR_FROM = 500


def _searcher(words: list[str], groups: dict[str, str]) -> Starts | re.Pattern:
    """The alternation, searched only where one of its words can begin (``regex_starts``) when it is
    long: the same first match, but the thousands of names of {armed} or the registry's parties
    (and the incident cues' dozens of words, asked of every sentence) are not tried at every word of
    every text (a sixth of all extraction time before). Both kinds answer ``search(text)``."""
    pattern = _alternation(words, groups)
    return Starts(pattern) if len(pattern.pattern) >= _SELECTOR_FROM else pattern


class _Lexicon(NamedTuple):
    """event_types.yaml compiled: the rules in priority order and the word lists they are read with."""

    rules: list            # (sub_type, [any, all...] searchers, unless searcher or None, generic)
    parents: dict          # sub_type -> ACLED event type
    cues: Starts | re.Pattern       # incident_cues
    battle_nouns: Starts | re.Pattern
    loose_air: re.Pattern  # loose_air_words
    weapons: dict          # sub_type -> the words of its rule marked ``weapons: true``


@cache
def _rules() -> _Lexicon:
    data = load_yaml("lexicons/event_types.yaml")
    groups = _groups(data)
    rules, weapons = [], {}
    for r in data["rules"]:
        needs = [_searcher(r["any"], groups)] + [_searcher(alt, groups) for alt in r.get("all", [])]
        unless = _searcher(r["unless"], groups) if r.get("unless") else None
        rules.append((r["type"], needs, unless, bool(r.get("generic"))))
        if r.get("weapons"):
            weapons[r["type"]] = needs[0].pattern if isinstance(needs[0], Starts) else needs[0]
    cues = _searcher(data["incident_cues"] + data["weapon_cues"], groups)
    return _Lexicon(rules, data["parents"], cues, _searcher(data["battle_nouns"], groups),
                    _alternation(data["loose_air_words"], groups), weapons)


def parent_type(sub_type: str) -> str:
    return _rules().parents.get(sub_type, "Strategic developments")


def is_incident_sentence(sentence: str) -> bool:
    return bool(_rules().cues.search(sentence))


def incident_cue_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence's incident words are (every match, for the rare sentence that needs them:
    :func:`is_incident_sentence` stops at the first)."""
    cues = _rules().cues
    if not isinstance(cues, Starts):
        return [(m.start(), m.end()) for m in cues.finditer(sentence)]
    spans: list[tuple[int, int]] = []
    for p in cues(sentence):   # the selector's offsets where the pattern matches
        if not spans or p >= spans[-1][1]:
            m = cues.pattern.match(sentence, p)
            spans.append((m.start(), m.end()))
    return spans


def classify(text: str, context: str | None = None) -> str | None:
    """The first rule (in the lexicon's priority order) that matches the text, or None.

    When only a generic rule matches ("struck", "explosions") and a wider ``context`` (the rest of
    the incident's sentences) names the weapon, the specific reading of the context wins; so does a
    remote weapon named in the context of an attack on civilians."""
    found = _first(text)
    if found is not None and context and (parent_type(found[0]) == "Violence against civilians" or (
            found[0] == "Armed clash" and not _rules().battle_nouns.search(text))):
        # civilians killed by shells, missiles or bombs named anywhere in the incident: ACLED codes
        # the weapon (remote violence), keeping Attack for violence done in person; likewise forces
        # that "targeted a depot" with rockets named in the incident fought no battle there
        remote = _first(context, family="Explosions/Remote violence")
        if remote is not None:
            return remote[0]
    if found is not None and found[1] and context:
        # same family only: "struck" may be read as an air strike, never as an abduction
        specific = _first(context, family=parent_type(found[0]))
        if specific is not None:
            return specific[0]
    return found[0] if found else None


def act_type(texts: list[str], one_event: bool = False) -> str | None:
    """The incident's type from the sentence that reported it first, when that sentence names a
    specific act ("armed men abducted the head of the fire brigade", "troops captured the town
    yesterday"): the sentences that joined it later are often background of the same town ("residents
    organised mass protests at the start of the invasion", "they have injured many children") and
    must not retype it. Only the kind of act (ACLED's parent type) is the first sentence's: the weapon
    within it is read over the next sentences too ("an explosion hit the train. Russian rockets..."),
    and a generic first sentence ("explosions were heard") is read with the next. Not for a note
    (``one_event``: every sentence tells of its one event) nor a protest, which its later sentences
    may tell turned violent ("prisoners demonstrated ... set fire to buildings and clashed")."""
    if not texts:
        return None
    whole = " ".join(texts)
    found = classify(" ".join(texts[:2]), whole) or classify(whole)
    first = _first(texts[0])
    if one_event or first is None or first[1] or found is None or parent_type(first[0]) == "Protests":
        return found
    own = classify(texts[0], whole)
    return own if own is not None and parent_type(own) != parent_type(found) else found


def dominant_weapon(sub_type: str, texts: str) -> str:
    """An air strike read from loose words only ("jet artillery", "bombing", "aviation") is shelling
    when the incident's sentences name shells, rockets or missiles more often.

    ACLED types an attack that combines air strikes and shelling as an air strike, so any plain air
    word ("air strike", "drone", "warplane") keeps the air reading; only the loose words, which news
    also uses for rocket fire, give way to the weapon the report keeps naming."""
    if sub_type != "Air/drone strike":
        return sub_type
    # the words of the air-strike and shelling rules marked as naming the weapons, not of narrower
    # rules of the same types (an aircraft shot down)
    weapons = _rules().weapons
    air, shelling = weapons["Air/drone strike"], weapons["Shelling/artillery/missile attack"]
    loose = _rules().loose_air
    strong = [m for m in air.finditer(texts) if not loose.fullmatch(m.group(0))]
    if strong:
        return sub_type
    return "Shelling/artillery/missile attack" if len(shelling.findall(texts)) > len(air.findall(texts)) else sub_type


@lru_cache(maxsize=256)   # the events stage reads the same incident text several times
def _first(text: str, family: str | None = None) -> tuple[str, bool] | None:
    """The first matching rule; with ``family``, the first specific rule of that parent type.
    A rule matches when its ``any`` list and each of its ``all`` lists match and ``unless`` does not."""
    for sub_type, needs, unless, generic in _rules().rules:
        if family is not None and (generic or parent_type(sub_type) != family):
            continue
        if all(rx.search(text) for rx in needs) and not (unless is not None and unless.search(text)):
            return sub_type, generic
    return None
