"""Candidate lookup for a place name: the gazetteer, the YAML aliases and Russian-to-Ukrainian rewrites.

A written name ("Artemovsk", "Novaya Kakhovka", "Харків") becomes a list of scored candidates,
best first, before any context is considered; recognition decides whether the name is a place
at all, resolution which candidate it is.
"""

from __future__ import annotations

import math
from functools import cache
from typing import NamedTuple

from claimledger.analyse import gazetteer as gz
from claimledger.analyse.gazetteer import (
    ALT,
    BUILTIN_RANK,
    KIND_COUNTRY,
    KIND_DISTRICT,
    KIND_STATE,
    WEAK,
    Cand,
    norm,
)
from claimledger.analyse.place_tables import Tables, tables

# Scoring weights, in log10-population units (+1 is worth a tenfold population).
COUNTRY_BONUS = {"UA": 1.5, "RU": 0.75, "BY": 0.3, "MD": 0.3}
WEAK_PENALTY = 3.0        # historical or dissimilar alternate name ("Voroshilovgrad")
ALIAS_BONUS = 4.0         # spelled as in the YAML alias table
COUNTRY_KIND_BONUS = 5.0  # "Georgia" the country over towns called Georgia
STATE_SCORE = 5.5         # a US state (no population in the data) over towns of its name,
                          # but not over a city of ~300,000 or more ("Washington" is DC)
DISTRICT_PENALTY = 1.5    # an urban district loses to a town of the same name
REWRITE_PENALTY = 0.5     # found only after rewriting a Russian-style spelling
TOWN_POP = 10_000          # a uniquely named town this big outweighs a contradicting oblast
MAJOR_POP = 100_000       # a town this big is not taken for a surname or a common word
FOREIGN_BARE_POP = 1_000_000  # abroad, only cities this big are named without "in"/"near"
# A dump's village without a population figure is a village of unknown size, not an empty one.
# Below any recorded village, so a village with a census figure wins over its namesake without.
UNKNOWN_POP = 50
RANK_BONUS = 0.2          # per step of GeoNames feature rank above a plain village (PPL)
REWRITE_FROM = frozenset({"RU", "BY"})  # countries whose spellings the rewrites turn Ukrainian
IMPORTED_BONUS = 0.75     # the user imported this country's dump: it is the country they follow

_KEY_CACHE: dict[str, str] = {}
_CAND_CACHE: dict[str, list | None] = {}


class Scored(NamedTuple):
    """A candidate of one mention with its score (log10-population units) and lookup flags."""

    cand: Cand
    score: float
    flags: int


def forget() -> None:
    """Drop the per-process caches (after an import, or when a test swaps the gazetteer)."""
    _CAND_CACHE.clear()
    country_name.cache_clear()


gz.RESET_HOOKS.append(forget)


def key_of(tok: str) -> str:
    k = _KEY_CACHE.get(tok)
    if k is None:
        if len(_KEY_CACHE) > 200_000:
            _KEY_CACHE.clear()
        k = _KEY_CACHE[tok] = norm(tok)
    return k


def _base_score(cand: Cand, flags: int) -> float:
    pop = cand.pop or (UNKNOWN_POP if cand.src else 0)
    s = math.log10(pop + 1) + COUNTRY_BONUS.get(cand.cc, 0.0) + (IMPORTED_BONUS if cand.src else 0.0)
    if cand.rank < BUILTIN_RANK:
        s += RANK_BONUS * (BUILTIN_RANK - cand.rank)  # a raion or hromada seat over a hamlet
    if flags & WEAK:
        s -= WEAK_PENALTY
    kind = cand.kind
    if kind == KIND_COUNTRY:
        s += COUNTRY_KIND_BONUS
    elif kind == KIND_STATE:
        s = STATE_SCORE
    elif kind == KIND_DISTRICT:
        s -= DISTRICT_PENALTY
    return s


def candidates(key: str) -> list | None:
    """Candidates for a normalised name as [(cand, score, flags)], best first; None if unknown."""
    hit = _CAND_CACHE.get(key, ...)
    if hit is not ...:
        return hit
    t = tables()
    g = gz.get()
    out: dict[int, Scored] = {}
    iso = t.country_alias.get(key)
    if iso:
        for cand, _f in g.lookup(norm(country_name(iso))):
            if cand.kind == KIND_COUNTRY and cand.cc == iso:
                out[cand.gid] = Scored(cand, _base_score(cand, 0), 0)
    target = t.aliases.get(key)
    if target:
        for cand, flags in g.lookup(target[0]):
            if cand.cc == target[1]:
                out[cand.gid] = Scored(cand, _base_score(cand, flags) + ALIAS_BONUS, flags & WEAK)
    for cand, flags in g.lookup(key):
        if cand.gid not in out:
            out[cand.gid] = Scored(cand, _base_score(cand, flags), flags)
    # Not found, or found only in Russia or Belarus ("Sosnovskoye"): try the Ukrainian spelling.
    if key.count(" ") <= 2 and all(cs.cand.cc in REWRITE_FROM and cs.cand.kind != KIND_COUNTRY
                                   for cs in out.values()):
        for variant in _rewrites(key, t):
            for cand, flags in g.lookup(variant):
                if cand.cc == "UA" and cand.gid not in out and cand.kind != KIND_COUNTRY:
                    out[cand.gid] = Scored(cand, _base_score(cand, flags) - REWRITE_PENALTY, flags | ALT)
    res = sorted(out.values(), key=lambda cs: -cs.score) if out else None
    if len(_CAND_CACHE) > 100_000:
        _CAND_CACHE.clear()
    _CAND_CACHE[key] = res
    return res


def respelled(key: str) -> list[str]:
    """The name as the other romanisation writes it, one letter pair at a time ("vysokopillia" ->
    "vysokopillya"): for a qualified town the oblast or raion says is there."""
    out = set()
    for a, b in tables().respellings:
        for old, new in ((a, b), (b, a)):
            if old in key:
                out.add(key.replace(old, new))
    out.discard(key)
    return sorted(out)


def _rewrites(key: str, t: Tables) -> list[str]:
    """Ukrainian spellings of a Russian-style name: Novaya Kakhovka -> Nova Kakhovka."""
    words = [t.rewrite_words.get(w, w) for w in key.split()]
    variants = {" ".join(words)}
    last = words[-1]
    for old, new in t.rewrite_endings:
        if last.endswith(old) and len(last) > len(old) + 2:
            variants.add(" ".join(words[:-1] + [last[: -len(old)] + new]))
            break
    for old, new in t.rewrite_starts.items():
        if key.startswith(old) and not key.startswith(new):
            variants |= {new + v[len(old):] for v in variants if v.startswith(old)}
    variants |= {v.replace("g", "h") for v in variants if "g" in v}
    variants.discard(key)
    return sorted(variants)


@cache
def country_name(iso: str) -> str:
    for cand in gz.get().countries():
        if cand.cc == iso:
            return cand.name
    return iso

