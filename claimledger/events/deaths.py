"""One document's deaths for one event: low/best/high from its killed claims.

Rules (schema EVENT, shared/spec/reconciliation.md), applied to one report:
- sub-counts ("including five children", "38 of the 50") are parts of another figure, never added;
- one source's disjoint groups in one passage ("two pilots ... and two soldiers") add up;
- vague words count only when no number is given, at ACLED's conventional values for `low`;
- `low` is the lowest figure every credible source supports (a side counting the enemy's dead
  sets it only when nobody else gives a figure), `high` the highest figure, `best` the latest
  count of the side that suffered the deaths, else the lowest credible figure.
"""

from __future__ import annotations

import re
from functools import cache

from claimledger.analyse.parties import is_party, opposed
from claimledger.data import load_yaml
from claimledger.events import notes
from claimledger.records import Claim, Deaths


@cache
def _vague_low() -> list[tuple[str, int]]:
    """ACLED's conventional figures for vague words, shared with the ledger (data/ledger.yaml)."""
    table = load_yaml("ledger.yaml")["reconcile"]["vague_low"]
    return sorted(table.items(), key=lambda kv: -len(kv[0]))


def figure(claim: Claim) -> int | None:
    """The number a claim stands for in a toll: its value, else ACLED's reading of a vague word."""
    q = claim.quantity
    if q.value is not None:
        return int(q.value)
    if q.min is not None and q.max is not None and not q.approximate:
        return int(q.min)  # a range "5 to 10": ACLED's conservative end
    text = (q.text or "").lower()
    for word, value in _vague_low():
        if re.search(rf"\b{re.escape(word)}\b", text):
            return int(value)
    return int(q.min) if q.min is not None else None


def is_vague(claim: Claim) -> bool:
    return claim.quantity.value is None and claim.quantity.approximate


def boast(claim: Claim) -> bool:
    """A belligerent counting the other side's dead: weighed, never a floor."""
    return opposed(claim.source.side, claim.subject.side)  # any two parties on opposite camps of a war


def source_totals(claims: list[tuple[Claim, bool, bool]]) -> list[tuple[Claim, int]]:
    """(claim, figure) per source: a source's disjoint groups summed, its repeats kept once.

    `claims` holds (claim, subcount, additive) in text order.
    """
    by_source: dict[str, list[tuple[Claim, bool, bool]]] = {}
    for c, sub, add in claims:
        if sub:
            continue
        key = (c.source.name or c.source.mention or "(unattributed)").lower()
        by_source.setdefault(key, []).append((c, sub, add))
    out = []
    for items in by_source.values():
        precise = [(c, a) for c, _, a in items if not is_vague(c)] or [(c, a) for c, _, a in items]
        groups: list[tuple[Claim, int]] = []
        for c, additive in precise:
            f = figure(c)
            if f is None:
                continue
            head = _head(c)
            if groups and (additive or _disjoint(groups, c, head)):
                last_c, total = groups[-1]
                groups[-1] = (last_c, total + f)
            else:
                groups.append((c, f))
        if groups:
            # a later figure from the same source supersedes its earlier one
            out.append(groups[-1] if len({g[1] for g in groups}) > 1 else groups[0])
    return out


def _set_apart(c: Claim) -> bool:
    ev = c.evidence.text or ""
    at = ev.find(c.quantity.text) if c.quantity.text else -1
    return notes.not_this_events(ev, at if at >= 0 else len(ev))


def _head(c: Claim) -> str:
    words = re.findall(r"[a-z]+", (c.subject.text or "").lower())
    return words[-1] if words else ""


def _disjoint(groups, c: Claim, head: str) -> bool:
    prev, _ = groups[-1]
    if prev.evidence.start != c.evidence.start and abs(prev.evidence.end - c.evidence.start) > 400:
        return False
    if opposed(prev.subject.side, c.subject.side):
        return True  # one side's own dead and the other side's dead: both sides' losses add up
    ph = _head(prev)
    generic = {"", "people", "persons", "dead", "more", "others", "victims", "deaths", "fatalities"}
    if ph in generic or head in generic or ph == head:
        return prev.subject.category != c.subject.category and "people" not in (
            prev.subject.category, c.subject.category) and ph not in ("", "dead") and head not in ("", "dead")
    return True


def reconcile(claims: list[tuple[Claim, bool, bool]], note: bool = False) -> Deaths | None:
    """``note``: a short note is one event, so a death its sentence sets apart from the event (the
    one a protest is about, a road accident) is no part of its toll."""
    killed = [t for t in claims if t[0].measure == "killed"]
    if note:
        killed = [t for t in killed if not _set_apart(t[0])]
    totals = source_totals(killed)
    if not totals:
        return None
    if any(not is_vague(c) for c, _ in totals):
        # "dozens of bodies" beside "the toll has risen to 50": set aside, as the ledger does
        totals = [(c, f) for c, f in totals if not is_vague(c)]
    credible = [f for c, f in totals if not boast(c)]
    floor_pool = credible or [f for _, f in totals]
    low = min(floor_pool)
    high = max([f for _, f in totals] + [low])
    own = [f for c, f in totals if is_party(c.source.side) and c.source.side == c.subject.side]
    best = own[-1] if own else low
    best = min(max(best, low), high)
    return Deaths(low, best, high)
