"""Whose was it: the side of an attacker and of what was counted, from the words around a number.

Kept apart from attribution (which reads the *source's* side): reconciliation turns on the
difference between a side counting its own losses and a side counting the enemy's. The sides are
the parties of the conflict registry (``data/conflicts/*.yaml``): "Russian forces", "RSF fighters",
"shelled by the Houthis", "an IED planted by al-Shabaab" all read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache

from claimledger.analyse.parties import home_party, marker_starts, opponent, parties_in, registry
from claimledger.data import alternation

_ATTACK_NOUNS = (r"(?:forces|troops|army|military|strikes?|missiles?|rockets?|shelling|shells|attacks?|bombardments?|"
                 r"drones?|artillery|air ?strikes?|planes|jets|aircraft|bombs?|offensive|units|soldiers|tanks?|"
                 r"counteroffensive|militants|militia|saboteurs|sabotage|servicemen|positions|fighters|gunmen|"
                 r"insurgents|rebels|warplanes|airstrikes?)")
# "al-Shabaab attacked", "the RSF shelled": a party named as the subject of an attack verb
_ATTACK_VERBS = (r"(?:attacked|shelled|fired|struck|killed|ambushed|stormed|abducted|kidnapped|launched|raided|bombed|"
                 r"detonated|planted|executed|shot|overran|besieged|targeted)")
_NOT_ATTACK_BY = re.compile(r"\b(?:occupied|held|controlled|captured|seized|run|annexed|governed|backed|supported|"
                            r"installed|appointed|recogni[sz]ed)\s*$", re.I)
_ENEMY = re.compile(r"\b(?:enemy|hostile)\b", re.I)
_OWN = re.compile(r"\b(?:its|our|own)\b", re.I)
_FOREIGN = re.compile(r"\bforeign\b", re.I)
# The two parties of the old four-value scheme keep their first place in every search, and a
# bare verb after their adjectives ("Russian ... killed") is too loose to name the attacker.
_FIRST = ("russia", "ukraine")


class _Opposite(Mapping):
    """``OPPOSITE[party]``: the party on the other side of its main dyad (registry ``opponent``)."""

    def __getitem__(self, side: str) -> str:
        other = opponent(side)
        if other is None:
            raise KeyError(side)
        return other

    def __iter__(self) -> Iterator[str]:
        return (pid for pid, p in registry().parties.items() if p.opponent)

    def __len__(self) -> int:
        return sum(1 for _ in self)


OPPOSITE = _Opposite()


def _verbs(key: str) -> str:
    return alternation("lexicons/sides.yaml", key)


@cache
def _patterns() -> list[tuple[str, dict[str, re.Pattern]]]:
    """Per party, in search order: its words as attacker, as agent after "by", as victim, as holder."""
    parties = registry().parties
    order = [p for p in _FIRST if p in parties] + [p for p in parties if p not in _FIRST]
    out = []
    for pid in order:
        words = parties[pid].markers.pattern[len(r"\b(?:"):-1]
        # who acts may be the state itself ("Russia fired", "the Russians had lost"): its speaker words
        actor = parties[pid].speaker_markers.pattern[len(r"\b(?:"):-1]
        acts = rf"\b(?:{actor})s?(?:\s+[\w-]+){{0,2}}?\s+"
        rx = {
            "any": parties[pid].markers,
            "attacker": re.compile(rf"\b(?:{words})\s+(?:[\w-]+\s+){{0,2}}?{_ATTACK_NOUNS}\b", re.I),
            "verb": re.compile(rf"\b(?:{words})(?:\s+[\w-]+){{0,2}}?\s+{_ATTACK_VERBS}\b", re.I),
            "by": re.compile(rf"\bby\s+(?:the\s+)?(?:suspected\s+|presumed\s+|alleged\s+)?(?:{words})\b", re.I),
            "victim": re.compile(rf"\b(?:at|on|against|targeting|hit|struck|shelled)\s+(?:the\s+)?(?:{words})\s+"
                                 rf"(?:positions|forces|troops|units|military|soldiers|servicemen|base|barracks|"
                                 rf"fighters|militants|hideouts?|camps?)", re.I),
            "held": re.compile(rf"\b(?:{words})-(?:held|occupied|controlled|annexed)\b", re.I),
            "actor": parties[pid].speaker_markers,
            "munitions": re.compile(rf"{acts}(?:{_verbs('munitions_verbs')})\b", re.I),
            "losses": re.compile(rf"{acts}(?:{_verbs('loss_verbs')})\b", re.I),
            "strikes": re.compile(rf"{acts}(?:{_verbs('strike_verbs')})\b", re.I),
            "weapon": re.compile(rf"\b(?:{words})\s+(?:[\w-]+\s+){{0,2}}?(?:{_verbs('weapon_nouns')})\b", re.I),
        }
        out.append((pid, rx))
    return out


def _present(sentence: str) -> list[tuple[str, dict[str, re.Pattern]]]:
    """The parties the sentence names, in search order (each tried only where some marker starts)."""
    starts = marker_starts(sentence)
    if not starts:
        return []
    return [(pid, rx) for pid, rx in _patterns() if any(rx["any"].match(sentence, s) for s in starts)]


@lru_cache(maxsize=512)
def attacker_side(sentence: str) -> str | None:
    """The side that fired, struck or attacked in this sentence, when the words say so."""
    present = _present(sentence)
    hits = []
    for side, rx in present:
        for m in rx["by"].finditer(sentence):
            if not _NOT_ATTACK_BY.search(sentence[max(0, m.start() - 25):m.start()]):
                hits.append((m.start(), side))  # "shelled by Russian forces", not "occupied by Russian forces"
    if hits:
        return min(hits)[1]
    for side, rx in present:
        if (rx["victim"].search(sentence) or rx["held"].search(sentence)) and side in OPPOSITE:
            return OPPOSITE[side]
    for side, rx in present:
        m = rx["attacker"].search(sentence)
        if m:
            hits.append((m.start(), side))
    if not hits:
        for side, rx in present:
            if side not in _FIRST:
                m = rx["verb"].search(sentence)
                if m:
                    hits.append((m.start(), side))
    return min(hits)[1] if hits else None


_MUNITIONS = ("missiles", "drones")
_LOSSES = ("missiles", "drones", "aircraft", "equipment", "military")


@lru_cache(maxsize=512)
def _owners(sentence: str) -> tuple[str | None, str | None, str | None]:
    """The party named as the subject of a firing verb, of a losing verb and of a striking verb."""
    starts = marker_starts(sentence, speaker=True)
    acting = [(pid, rx) for pid, rx in _patterns() if any(rx["actor"].match(sentence, s) for s in starts)]
    found = {}
    for key in ("munitions", "losses", "strikes"):
        hits = [(m.start(), side) for side, rx in acting for m in [rx[key].search(sentence)] if m]
        found[key] = min(hits)[1] if hits else None
    return found["munitions"], found["losses"], found["strikes"]


@cache
def _own_strike() -> re.Pattern:
    return re.compile(rf"\b(?:(?:its|our|their)\s+(?:own\s+)?(?:forces|troops|army|military|units|aircraft)|we|they)"
                      rf"\s+(?:[\w-]+\s+)?(?:{_verbs('strike_verbs')})\b", re.I)


@cache
def _own_kill() -> re.Pattern:
    """The speaker as the one who killed or hit ("it killed", "our units destroyed", "its strike")."""
    return re.compile(rf"\b(?:(?:its|our|their)\s+(?:own\s+)?[\w-]+|it|we|they|to have)\s+(?:[\w-]+\s+){{0,2}}?"
                      rf"(?:{_verbs('own_kill_verbs')}|{_verbs('strike_verbs')})\b", re.I)


def struck_side(sentence: str, source_side: str, category: str) -> str | None:
    """'Russia had struck 315 targets', 'its forces destroyed 17 targets' (a Russian source): the
    targets and buildings a party says it struck are its opponent's. None when no party is the
    subject of a striking verb (sides.yaml strike_verbs)."""
    if category != "buildings":
        return None
    striker = _owners(sentence)[2]
    if striker is None and source_side in OPPOSITE and _own_strike().search(sentence):
        striker = source_side
    return OPPOSITE.get(striker) if striker else None


def owner_side(sentence: str, category: str) -> str | None:
    """'the 84 missiles Russia fired', 'Russia had lost 190 planes': the party that fired the
    munitions or lost the things counted owns them, whoever the sentence's attacker or speaker is
    (sides.yaml). None when no party is the subject of such a verb."""
    fired, lost, _ = _owners(sentence)
    if category in _MUNITIONS and fired:
        return fired
    return lost if category in _LOSSES else None


def _own_in_sentence(phrase: str, sentence: str) -> bool:
    """"two of its soldiers", "four of their fighters": the possessive sits between number and noun."""
    words = re.findall(r"[\w-]+", phrase)
    if not words:
        return False
    return bool(re.search(rf"\b(?:its|their|our)\s+(?:own\s+)?(?:[\w-]+\s+){{0,2}}?{re.escape(words[-1])}\b",
                          sentence, re.I))


def _included_in(phrase: str, sentence: str) -> str | None:
    """The party of the people a count is part of: "1.6 million Ukrainian citizens, including 260,000
    children" (the children are Ukrainian too)."""
    words = re.findall(r"[\w-]+", phrase)
    if not words:
        return None
    m = re.search(rf"\b(?P<whole>[\w’'-]+(?:\s+[\w’'-]+){{0,2}}),?\s+(?:including|among them|of whom|among whom)\s+"
                  rf"(?:[\w,.-]+\s+){{0,4}}?{re.escape(words[-1])}\b", sentence, re.I)
    if m is None:
        return None
    named = [(n.start(), pid) for pid, rx in _present(m.group("whole")) for n in [rx["any"].search(m.group("whole"))] if n]
    return min(named)[1] if named else None


def _struck_by(sentence: str, attacker: str) -> bool:
    """"a Russian attack on the city killed seven", "during a Russian missile strike": the attacker
    is named by its weapon or attack, not by its soldiers ("killed 17 Russian soldiers")."""
    return any(side == attacker and rx["weapon"].search(sentence) for side, rx in _present(sentence))


def subject_side(phrase: str, sentence: str, source_side: str, category: str, attacker: str | None,
                 country: str | None = None, people: bool = False) -> str:
    """The side of what was counted: named in the phrase, "enemy"/"our" relative to the source, else
    the party that fired or lost it, else the attacker's munitions or its opponent's people, else
    a belligerent speaker's, else the people of the incident's country. ``people``: the count is
    of people though its noun is left out ("killed seven, wounded six")."""
    named = [(m.start(), pid) for pid, rx in _present(phrase) for m in [rx["any"].search(phrase)] if m]
    if named:
        return min(named)[1]
    if _ENEMY.search(phrase):
        return OPPOSITE.get(source_side, "unknown")
    if _OWN.search(phrase) or _own_in_sentence(phrase, sentence):
        return source_side
    included = _included_in(phrase, sentence)
    if included:
        return included
    if _FOREIGN.search(phrase) and category == "mercenaries":
        return "ukraine"
    owner = owner_side(sentence, category) or struck_side(sentence, source_side, category)
    if owner:
        return owner
    if category in ("missiles", "drones", "aircraft") and attacker:
        return attacker
    if attacker and category in ("people", "civilians", "military", "buildings", "equipment"):
        return OPPOSITE.get(attacker, "unknown")
    if attacker and people and category == "none" and _struck_by(sentence, attacker):
        return OPPOSITE.get(attacker, "unknown")
    if source_side in registry().parties and category in ("people", "civilians"):
        return source_side
    named = {pid for _, pid in parties_in(sentence, speaker=True)} if people else set()
    if source_side in registry().parties and people and not _own_kill().search(sentence) \
            and ((category == "military" and named <= {source_side}) or (category == "none" and named == {source_side})):
        # "Ukraine's Azov regiment said three soldiers were injured", "it said 1,351 soldiers had been
        # killed and 3,825 were wounded": a belligerent counting hurt soldiers it does not say it hit,
        # in a sentence that names no other party, counts its own ("its forces killed 40 soldiers",
        # "Russia has suffered heavy losses: about 30,000 killed, according to Ukraine" are the enemy's);
        # a count with no noun only when the sentence names the source's party ("the government said 27
        # were missing" names none: its side may be attribution's default, and the 27 anyone's)
        return source_side
    if category in ("people", "civilians", "none") and not _present(sentence):
        # "four people were killed in the shelling of a village", "11 were wounded", a neutral or
        # unnamed source: the people of the incident's country (claims passes the report's country
        # for the fled, not the country they are taken to, and none for the deported), when its
        # state fights another state (registry ``home_people``), and only when the sentence names
        # no party at all ("captured 12 and killed 17 Russian soldiers": the 12 are the soldiers' side)
        home = home_party(country)
        if home:
            return home
    return "unknown"
