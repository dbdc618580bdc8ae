"""Reconcile the claims about one ledger event into low / best / high, with the reasons written out.

The policy (docs/reconciliation.md explains and illustrates it) in the order it is applied:

1. Only claims about this event count: people (not tanks), dated within ``claim_date_days`` of the
   event and placed near it; denied figures drop out. Every dropped claim gets a reasoning line.
2. Sub-counts ("including five children", "38 of the 50") are parts of a total: never summed with
   it, never used as a source's figure; they only give a floor when no total was reported.
3. Revisions: one source's figures are put in time order (publication date, then position in the
   report). Across reports a later figure supersedes the earlier one whichever way it moves; within
   one report a later figure supersedes only if it is larger or a cue says so ("rose to"), since a
   smaller number later in the same report is a breakdown ("12 died in hospital"). Superseded
   figures stay in ``revisions``.
4. Roles: a side counting its *enemy's* dead is a claim that can raise ``high``, never ``low``; a side
   admitting its *own soldiers'* deaths is a floor (it has every reason to count low); authorities
   of the side that suffered, counting their own people, are the primary count; third parties
   (UN, ICRC, reporters on the scene) weigh most.
5. ``low`` is ACLED's conservative figure: the lowest current figure of any credible source (vague
   words only when no number was given, at ACLED's values: several 3, dozens 12, hundreds 100),
   raised to the highest admission. ``best`` is the current figure with the most credible weight
   behind it (ties: the latest, then the larger). ``high`` is the highest current figure, boasts
   included.

The result depends on the set of claims only: every choice is made over sorted keys, never in the
order claims arrived.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from claimledger.analyse.parties import is_party, opposed, party, party_in
from claimledger.geo import km
from claimledger.ledger.nodes import config, day_number
from claimledger.records import Claim, Deaths, Place, Revision

# Belligerents are the parties of the conflict registry (analyse.parties.is_party): any two of them
# on opposite camps are enemies, whichever war; these words are the old scheme's, kept for speed.
_SIDE_WORDS = {"ukrainian", "ukraine's", "ukraine", "russian", "russia's", "russia", "kyiv", "kyiv's", "moscow",
               "moscow's", "russian-backed", "russian-installed", "pro-russian"}
_SIDE_LABEL = {"ukraine": "Ukrainian", "russia": "Russian", "third_party": "third-party", "unknown": ""}
_ROLE_TEXT = {
    "intl_org_or_ngo": "international organisation or NGO",
    "third_party": "third party",
    "own_civilian_count": "the side that suffered, counting its own people",
    "own_military_admission": "a side admitting its own losses",
    "outlet_voice": "the outlet in its own voice",
    "belligerent_other": "a belligerent",
    "unknown": "source of unknown side",
    "enemy_claim": "a side counting its enemy's dead",
}


@cache
def _cfg() -> dict:
    return config()["reconcile"]


@dataclass
class ClaimInput:
    """A claim with what reconciliation needs from its document."""

    claim: Claim
    doc_id: str
    published: str | None
    outlet: str | None
    before: str = ""   # text just before the claim's number (from the cleaned body)
    after: str = ""    # text just after it
    review: str | None = None     # what reviews changed ("corrected by review 13: ..."), said in the reasoning
    set_aside: str | None = None  # "set aside by review 12: ...": a rejected claim takes no part


def number_context(claim: Claim, body: str | None, width: int = 48) -> tuple[str, str]:
    """The text either side of the claim's number: where "including", "of the" and "rose to" live."""
    ev = claim.evidence
    qtext = claim.quantity.text or ""
    text, base = (body, 0) if body and 0 <= ev.start <= ev.end <= len(body) else (ev.text or "", -ev.start)
    at = -1
    if qtext:
        rel = (ev.text or "").lower().find(qtext.lower())
        if rel >= 0:
            at = ev.start + rel + base
    if at < 0:
        at = ev.start + base
        qtext = ev.text or ""
    at = max(0, min(at, len(text)))
    return text[max(0, at - width):at], text[at + len(qtext):at + len(qtext) + width]


@dataclass
class _Fig:
    item: ClaimInput
    key: str
    name: str
    role: str
    weight: float
    vague: bool
    lo: float | None
    point: float | None
    hi: float | None
    pub: int | None
    pos: int
    notes: list[str] = field(default_factory=list)

    @property
    def cid(self) -> str:
        return self.item.claim.id

    @property
    def doc(self) -> str:
        return self.item.doc_id

    def quote(self) -> str:
        return self.item.claim.quantity.text or _n(self.point)


def _n(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def _int(x: float | None) -> int | None:
    return None if x is None else int(round(x))


def _vague_low(text: str) -> float | None:
    t = text.lower()
    for word, value in sorted(_cfg()["vague_low"].items(), key=lambda kv: -len(kv[0])):
        if re.search(r"\b" + re.escape(word) + r"\b", t):
            return float(value)
    return None


def _figures(c: Claim) -> tuple[bool, float | None, float | None, float | None]:
    """(vague, lo, point, hi) of a quantity. lo is what the wording guarantees (ACLED's convention
    for vague words); point the number it states; hi the most it allows, when it says."""
    q = c.quantity
    vague = q.value is None and not re.search(r"\d", q.text or "")
    if vague:
        lo = _vague_low(q.text or "")
        lo = lo if lo is not None else q.min
        return True, lo, q.min if q.min is not None else lo, q.max if q.max is not None else q.min
    lo = q.value if q.value is not None else (q.min if q.min is not None else q.max)
    point = q.value if q.value is not None else (q.min if q.min is not None else q.max)
    hi = q.max if q.max is not None else point
    return False, lo, point, hi


def _role(c: Claim) -> str:
    src, subj = c.source, c.subject
    if opposed(src.side, subj.side):
        return "enemy_claim"
    if is_party(src.side) and src.side == subj.side:
        if subj.category in ("military", "mercenaries"):
            return "own_military_admission"
        return "own_civilian_count"
    if src.side == "third_party":
        return "intl_org_or_ngo" if src.kind in ("intl_org", "ngo") else "third_party"
    if src.kind == "unattributed":
        return "outlet_voice"
    if is_party(src.side):
        return "belligerent_other"
    return "unknown"


def _source(item: ClaimInput) -> tuple[str, str]:
    """(key, display name). One key per voice and whose dead it counts, so that the same voice's
    figures in different reports form one history, while a side's count of its own dead and its
    count of the enemy's ("three of ours and about 20 of theirs") are two figures, not a revision."""
    key, name = _voice(item)
    whose = item.claim.subject.side
    return (f"{key}|{whose}" if is_party(whose) else key), name


def _voice(item: ClaimInput) -> tuple[str, str]:
    src = item.claim.source
    raw = (src.name or src.mention or "").strip()
    if src.kind == "unattributed" or not raw:
        outlet = item.outlet or f"report {item.doc_id}"
        return f"outlet:{outlet.lower()}", f"{outlet} (own voice)"
    low = re.sub(r"^the\s+", "", raw.lower())
    words = [w for w in re.sub(r"[^\w\s'-]", " ", low).split() if w not in _SIDE_WORDS and not _names_party(w)]
    if " ".join(words) in {g.lower() for g in _cfg()["generic_sources"]}:
        label = _SIDE_LABEL.get(src.side) or (party(src.side).name if party(src.side) else "")
        return f"officials:{src.side}", f"{label} officials".strip().capitalize()
    return f"name:{' '.join(low.split())}", raw


@cache
def _names_party(word: str) -> bool:
    """"Sudanese", "Israeli", "Houthi": a side word of some party ("Sudanese officials" are generic officials)."""
    return party_in(word, speaker=True) is not None


def _is_subcount(item: ClaimInput) -> bool:
    cfg = _cfg()
    subj = (item.claim.subject.text or "").lower()
    if any(re.search(r"\b" + re.escape(g) + r"\b", subj) for g in cfg["subgroups"]):
        return True
    before = item.before.lower()
    if any(re.search(r"\b" + re.escape(w) + r"\W+(?:\w+\W+){0,2}$", before) for w in cfg["subcount_before"]):
        return True
    after = item.after.lower().lstrip(" ,")
    for cue in cfg["subcount_after"]:
        # whole words: "of the 50" is a part, "four of their fighters" is not
        if after.startswith(cue) and not (cue[-1:].isalnum() and after[len(cue):len(cue) + 1].isalnum()):
            # "38 of the 50 people": a part; "five of the dead were children" too.
            return True
    return False


def _has_cue(item: ClaimInput) -> bool:
    before = item.before.lower()[-40:]
    return any(re.search(r"\b" + re.escape(w) + r"\b", before) for w in _cfg()["revision_cues"])


def _date_of(c: Claim) -> int | None:
    return day_number(c.date.start) if c.date else None


def _tag(f: _Fig) -> str:
    when = f.item.published or "undated report"
    return f"[{f.cid}, {when}]"


def reconcile(measure: str, items: list[ClaimInput], event_date: str | None = None,
              event_place: Place | None = None) -> tuple[Deaths | None, list[Revision]]:
    """low/best/high for one measure of one ledger event, with reasoning and revisions."""
    reasons: list[str] = []
    figs, subs = _screen(measure, items, event_date, event_place, reasons)
    revisions: list[Revision] = []
    current = _current_figures(figs, measure, reasons, revisions)

    for s in subs:
        reasons.append(f"part of a total, not summed: {s.quote()} "
                       f"({s.item.claim.subject.text or s.item.claim.subject.category}) from {s.name} {_tag(s)}")
    if not current:
        return _from_subcounts(subs, reasons), revisions

    credible = [f for f in current if f.role != "enemy_claim"]
    precise = [f for f in credible if not f.vague]
    basis = precise or credible
    if precise:
        for f in credible:
            if f.vague:
                reasons.append(f"set aside: vague '{f.quote()}' from {f.name}: numbers were reported {_tag(f)}")
    high_set = [f for f in current if not (f.vague and precise)]
    if not basis:
        top = max(current, key=lambda f: (f.hi or 0, f.cid))
        for f in current:
            reasons.append(f"{f.name} ({_ROLE_TEXT[f.role]}): {f.quote()} can raise high, never low {_tag(f)}")
        reasons.append(f"low/best unknown: only the enemy's counts were reported; high {_n(top.hi)}")
        return Deaths(None, None, _int(top.hi), reasons), revisions

    low = _low(basis, precise, reasons)
    best = _best(basis, low, reasons)
    high = _high(high_set, best, low, reasons)
    return Deaths(_int(low), _int(best), _int(high), reasons), revisions


def _screen(measure: str, items: list[ClaimInput], event_date: str | None, event_place: Place | None,
            reasons: list[str]) -> tuple[list[_Fig], list[_Fig]]:
    """The claims about this event (policy step 1), as figures: (totals, sub-counts); each claim set
    aside gets its reasoning line."""
    cfg = _cfg()
    eday = day_number(event_date)
    figs: list[_Fig] = []
    subs: list[_Fig] = []
    for item in sorted(items, key=lambda i: i.claim.id):
        c = item.claim
        if c.measure != measure:
            continue
        if item.set_aside or item.review:   # reviews (ledger/reviews_apply.py) speak first
            reasons.append(f"{item.set_aside or item.review} [{c.id}, {item.published or 'undated report'}]")
            if item.set_aside:
                continue
        if c.subject.category not in cfg["people_categories"]:
            continue
        key, name = _source(item)
        vague, lo, point, hi = _figures(c)
        role = _role(c)
        weight = cfg["weights"][role] * cfg["stance_factor"].get(c.stance, 1.0)
        f = _Fig(item, key, name, role, weight, vague, lo, point, hi, day_number(item.published), c.evidence.start)
        aside = _set_aside(f, eday, event_date, event_place)
        if aside:
            reasons.append(aside)
            continue
        if lo is None:
            continue  # a word with no number and no ACLED convention ("a number of"): nothing to count
        if _is_subcount(item):
            subs.append(f)
            continue
        figs.append(f)
    return figs, subs


def _set_aside(f: _Fig, eday: int | None, event_date: str | None, event_place: Place | None) -> str | None:
    """Why this claim is not about this event (denied, dated or placed elsewhere), or None."""
    c, name = f.item.claim, f.name
    if c.stance == "denied":
        return f"set aside: {name} denies {f.quote()} {_tag(f)}"
    cday = _date_of(c)
    if eday is not None and cday is not None and abs(cday - eday) > _cfg()["claim_date_days"]:
        return (f"set aside: {f.quote()} from {name} is dated {c.date.start}, not this event's date "
                f"{event_date} {_tag(f)}")
    if (event_place is not None and c.place is not None and event_place.lat is not None
            and c.place.lat is not None and event_place.precision == "point" and c.place.precision == "point"
            and km(event_place.lat, event_place.lon, c.place.lat, c.place.lon) > 2 * config()["merge"]["km"]):
        return (f"set aside: {f.quote()} from {name} is placed in {c.place.name}, away from "
                f"{event_place.name} {_tag(f)}")
    return None


def _from_subcounts(subs: list[_Fig], reasons: list[str]) -> Deaths | None:
    """No total was reported: the largest sub-count is a floor (or nothing is known)."""
    if not subs:
        return Deaths(None, None, None, reasons) if reasons else None
    top = max(subs, key=lambda f: (f.lo or 0, f.cid))
    v = _int(top.lo)
    reasons.append(f"low/best {v}: only sub-counts were reported; the largest, {top.quote()} from "
                   f"{top.name}, is a floor for the total {_tag(top)}")
    return Deaths(v, v, _int(max(f.hi or 0 for f in subs)), reasons)


def _low(basis: list[_Fig], precise: list[_Fig], reasons: list[str]) -> float:
    """The lowest current credible figure, raised to the highest admission of a side's own dead."""
    low_f = min(basis, key=lambda f: (f.lo, f.cid))
    low = low_f.lo
    vague_note = " (ACLED's value for a vague word)" if low_f.vague else ""
    reasons.append(f"low {_n(low)}: lowest current figure of a credible source, {low_f.name} "
                   f"({_ROLE_TEXT[low_f.role]}): '{low_f.quote()}'{vague_note} {_tag(low_f)}")
    admissions = [f for f in precise if f.role == "own_military_admission"]
    if admissions:
        floor_f = max(admissions, key=lambda f: (f.lo, f.cid))
        if floor_f.lo > low:
            low = floor_f.lo
            reasons.append(f"low raised to {_n(low)}: {floor_f.name} admits that many of its own dead, a floor "
                           f"{_tag(floor_f)}")
    return low


def _best(basis: list[_Fig], low: float, reasons: list[str]) -> float:
    """The current figure with the most credible weight behind it (ties: the latest, the larger)."""
    support: dict[float, list[_Fig]] = defaultdict(list)
    for f in basis:
        support[f.point if f.point is not None else f.lo].append(f)

    def rank(v: float):
        fs = support[v]
        return (sum(f.weight for f in fs), max(f.pub if f.pub is not None else -1 for f in fs), v)

    best_v = max(support, key=rank)
    backers = sorted(support[best_v], key=lambda f: (-f.weight, f.cid))
    who = ", ".join(f"{f.name} ({_ROLE_TEXT[f.role]}) {_tag(f)}" for f in backers)
    best = max(best_v, low)
    if len(support) > 1:
        reasons.append(f"best {_n(best)}: the figure with the most credible weight behind it "
                       f"({sum(f.weight for f in backers):g}): {who}")
    else:
        reasons.append(f"best {_n(best)}: the only current credible figure: {who}")
    if best_v < low:
        reasons.append(f"best raised to the floor {_n(low)}")
    return best


def _high(high_set: list[_Fig], best: float, low: float, reasons: list[str]) -> float:
    """The highest current figure, boasts included; never below best."""
    high_f = max(high_set, key=lambda f: (f.hi if f.hi is not None else -1, f.cid))
    high = max(high_f.hi if high_f.hi is not None else best, best, low)
    if high > best:
        extra = " (counts the enemy's dead: raises high only)" if high_f.role == "enemy_claim" else ""
        reasons.append(f"high {_n(high)}: highest current figure, {high_f.name}: '{high_f.quote()}'{extra} "
                       f"{_tag(high_f)}")
    else:
        reasons.append(f"high {_n(high)}: no current figure is higher than best")
    return high


def _current_figures(figs: list[_Fig], measure: str, reasons: list[str], revisions: list[Revision]) -> list[_Fig]:
    """Each source's latest figure; earlier ones become revisions (or breakdowns, see module doc)."""
    per_doc: dict[tuple[str, str], list[_Fig]] = defaultdict(list)
    for f in figs:
        per_doc[(f.key, f.doc)].append(f)
    doc_level: dict[str, list[_Fig]] = defaultdict(list)
    for (key, _doc), fs in sorted(per_doc.items()):
        fs.sort(key=lambda f: (f.pos, f.cid))
        cur = fs[0]
        for f in fs[1:]:
            if f.lo == cur.lo:
                continue
            if f.lo > cur.lo or _has_cue(f.item):
                _revise(cur, f, measure, revisions, reasons, same_report=True)
                cur = f
            else:
                reasons.append(f"breakdown, not a new total: {f.quote()} from {f.name} after {cur.quote()} in the "
                               f"same report {_tag(f)}")
        doc_level[key].append(cur)
    current = []
    for _key, fs in sorted(doc_level.items()):
        # Undated reports sort first (oldest); same-day reports: the larger figure is taken as the
        # later one, since an incident's toll grows as bodies are recovered.
        fs.sort(key=lambda f: (f.pub if f.pub is not None else -1, f.lo, f.doc))
        cur = fs[0]
        for f in fs[1:]:
            if f.lo != cur.lo or f.point != cur.point:
                _revise(cur, f, measure, revisions, reasons, same_report=False)
            cur = f
        current.append(cur)
    return current


def _revise(old: _Fig, new: _Fig, measure: str, revisions: list[Revision], reasons: list[str],
            same_report: bool) -> None:
    where = "later in the same report" if same_report else f"on {new.item.published or '?'}"
    if old.vague and not new.vague:
        reasons.append(f"made precise: {new.name}: '{old.quote()}' {_tag(old)} then {new.quote()} {where} "
                       f"{_tag(new)}")
        return
    revisions.append(Revision(source=new.name, measure=measure, from_=old.point, to=new.point, doc=new.doc))
    reasons.append(f"revision: {new.name}: {old.quote()} {_tag(old)} superseded by {new.quote()} {where} "
                   f"{_tag(new)}")
