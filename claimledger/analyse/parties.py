"""The conflict registry: which wars there are, who fights them, and which party a mention names.

Read once from ``data/conflicts/*.yaml`` (one file a conflict; adding a war is adding a file). A
``side`` anywhere in the records is a party id from here, or ``third_party`` / ``unknown``. Kept in
one module so that attribution (who speaks), sides (who fired, whose dead), reconciliation (an
admission or a boast) and the exports (ACLED and UCDP names) all read the same parties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from claimledger.analyse.regex_starts import AnyOf, Starts
from claimledger.data import load_yaml

NEUTRAL = ("third_party", "unknown")
# "the Iran-backed Houthis", "Russian-installed officials" name the party after the hyphen word
_BACKED = re.compile(r"^-?(?:backed|allied|aligned|supported|sponsored|funded|armed|trained|held|occupied|controlled)\b",
                     re.I)
_NEVER = re.compile(r"(?!x)x")


@dataclass(frozen=True)
class Speaker:
    """A named speaker of a party: a ministry, an army, a spokesperson."""

    name: str
    kind: str
    party: str
    aliases: re.Pattern


@dataclass(frozen=True)
class Forces:
    """A party's forces that ACLED codes under an actor of their own and an associated actor
    ("NAF: United Armed Forces of Novorossiya" with "Donbass People's Militia" for the DPR's forces),
    recognised by how a report names them."""

    markers: re.Pattern
    acled: str
    assoc: str = ""


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    acled: str
    inter: str
    ucdp: str
    markers: re.Pattern          # naming the party in running text
    speaker_markers: re.Pattern  # putting a speaker's mention on its side
    state: str | None = None     # ISO country code when the party is that state's forces
    opponent: str | None = None
    forces: tuple[Forces, ...] = ()   # its forces that ACLED names apart (the DPR's militia)
    home_people: bool = False    # people hurt in its state with no side word are counted on its side


@dataclass(frozen=True)
class Conflict:
    id: str
    name: str
    ucdp: str
    countries: tuple[str, ...]
    start: str | None
    end: str | None
    camps: tuple[tuple[str, str], ...]   # (party id, "A" | "B") in file order

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(p for p, _ in self.camps)


@dataclass(frozen=True)
class PoliticalParty:
    id: str
    country: str
    acled: str
    names: re.Pattern


@dataclass(frozen=True)
class Registry:
    conflicts: tuple[Conflict, ...]
    parties: dict[str, Party]
    speakers: tuple[Speaker, ...]
    political: tuple[PoliticalParty, ...]


def _rx(words: list[str] | None) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(words) + r")", re.I) if words else _NEVER


def _iso(value) -> str | None:
    return None if value is None else str(value)


def _files() -> list[tuple[str, dict]]:
    folder = resources.files("claimledger.data") / "conflicts"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    # Russia-Ukraine first: its speakers were the whole table before, and generic ones come last
    names.sort(key=lambda n: (n != "russia_ukraine.yaml", n.startswith("_"), n))
    return [(n, load_yaml(f"conflicts/{n}")) for n in names]


@cache
def registry() -> Registry:
    """Every conflict file parsed into typed records; a malformed file fails loudly with its name."""
    conflicts, parties, speakers, political = [], {}, [], []
    for fname, data in _files():
        try:
            for pp in data.get("political_parties", []):
                political.append(PoliticalParty(pp["id"], pp["country"], pp["acled"], _rx(pp["names"])))
            if "id" not in data:
                continue
            camps = []
            for p in data["parties"]:
                pid = p.get("ref") or p["id"]
                camps.append((pid, p.get("camp", "B")))
                if "ref" in p:
                    continue
                if pid in parties:
                    raise ValueError(f"party {pid} defined twice (use ref:)")
                parties[pid] = Party(pid, p["name"], p["acled"], p["inter"], p.get("ucdp", p["name"]),
                                     _rx(p["markers"]), _rx(p.get("speaker_markers") or p["markers"]),
                                     p.get("state"), p.get("opponent"),
                                     tuple(Forces(_rx(f["markers"]), f["acled"], f.get("assoc", ""))
                                           for f in p.get("acled_forces", [])),
                                     bool(p.get("home_people", False)))
                for a in p.get("actors", []):
                    speakers.append(Speaker(a["name"], a["kind"], pid, re.compile("|".join(a["aliases"]), re.I)))
            conflicts.append(Conflict(data["id"], data["name"], data.get("ucdp", data["name"]),
                                      tuple(data["countries"]), _iso(data.get("start")), _iso(data.get("end")),
                                      tuple(camps)))
        except (KeyError, TypeError, re.error) as exc:
            raise ValueError(f"data/conflicts/{fname}: bad entry ({exc})") from exc
    for c in conflicts:
        for pid, _ in c.camps:
            if pid not in parties:
                raise ValueError(f"conflict {c.id}: unknown party {pid}")
    return Registry(tuple(conflicts), parties, tuple(speakers), tuple(political))


def party(pid: str | None) -> Party | None:
    return registry().parties.get(pid or "")


def conflict(cid: str | None) -> Conflict | None:
    return next((c for c in registry().conflicts if c.id == cid), None)


def is_party(side: str | None) -> bool:
    """A belligerent: a side that is a registry party, not a third party or unknown."""
    return side in registry().parties


def side_values() -> list[str]:
    """Every valid ``side``: the parties' ids, then third_party and unknown."""
    return [*registry().parties, *NEUTRAL]


def opposed(a: str | None, b: str | None) -> bool:
    """Two parties on opposite camps of some conflict (an admission vs a boast turns on this)."""
    if not (is_party(a) and is_party(b)) or a == b:
        return False
    for c in registry().conflicts:
        camps = dict(c.camps)
        if a in camps and b in camps:
            return camps[a] != camps[b]
    return party(a).opponent == b or party(b).opponent == a


def opponent(pid: str | None) -> str | None:
    p = party(pid)
    return p.opponent if p else None


def parties_in(text: str, among: tuple[str, ...] | None = None, speaker: bool = False) -> list[tuple[int, str]]:
    """(position, party id) of every party the text names, earliest first; ``among`` limits the
    parties (a document's conflict). "Iran-backed", "Russian-held" do not count as naming Iran or Russia."""
    starts = marker_starts(text, speaker)
    if not starts:
        return []  # most sentences and mentions name no party
    found, backers = [], []
    for pid, p in registry().parties.items():
        if among is not None and pid not in among:
            continue
        rx = p.speaker_markers if speaker else p.markers
        first_backed, end = None, -1
        for start in starts:
            m = rx.match(text, start) if start >= end else None
            if m is None:
                continue
            end = max(m.end(), start + 1)
            if not _BACKED.match(text[m.end():m.end() + 12]):
                found.append((m.start(), pid))
                break
            first_backed = first_backed if first_backed is not None else m.start()
        else:
            if first_backed is not None:
                backers.append((first_backed, pid))
    # "Russian-installed officials" with no other party named are still Russia's
    return sorted(found) or sorted(backers)


def marker_starts(text: str, speaker: bool = False) -> list[int]:
    """Every offset where some party's marker starts, in one scan of the text.

    A party's markers match the text somewhere exactly when they match at one of these offsets, so
    trying each party only there gives the same matches as searching the text once per party, at a
    fraction of the cost (most sentences name no party, and then no party is tried at all). The
    scan itself tries the union only where a marker's first letters stand (``regex_starts``)."""
    return _marker_scan(speaker)(text)


@cache
def _marker_scan(speaker: bool) -> AnyOf:
    rxs = [p.speaker_markers if speaker else p.markers for p in registry().parties.values()]
    return AnyOf([rx for rx in rxs if rx is not _NEVER], re.I)


def _any_party(speaker: bool) -> re.Pattern:
    """Every position where some party's marker starts: a zero-width lookahead over all their
    markers, so overlapping names ("Russian", "Russian-backed separatists") each keep their start."""
    return _marker_scan(speaker).pattern


def party_in(text: str, among: tuple[str, ...] | None = None, speaker: bool = False) -> str | None:
    hits = parties_in(text, among, speaker)
    return hits[0][1] if hits else None


def speaker_for(mention: str) -> Speaker | None:
    """The first named speaker whose alias matches the mention (file order: specific first)."""
    return next((s for s in registry().speakers if s.aliases.search(mention)), None)


def state_party(country: str | None, among: tuple[str, ...] | None = None) -> str | None:
    """The party that is the forces of ``country`` (within ``among`` when given)."""
    for pid, p in registry().parties.items():
        if p.state == country and country and (among is None or pid in among):
            return pid
    return None


def home_party(country: str | None) -> str | None:
    """The party whose side the people of ``country`` are on when a report names no side: a state
    at war with another state (registry ``home_people``), not the government of a civil war, whose
    civilians are no party's."""
    pid = state_party(country)
    return pid if pid and registry().parties[pid].home_people else None


def political_party_names() -> list[str]:
    """Regex fragments naming political parties (rioters' and protesters' affiliations)."""
    return [pp.names.pattern[len(r"\b(?:"):-1] for pp in registry().political]


def names_political_party(text: str) -> bool:
    """Whether any political party's name matches somewhere in the text (most texts: none), found
    in one scan instead of one search per party."""
    return bool(_political_scan()(text))


@cache
def _political_scan() -> Starts:
    body = "|".join(f"(?:{pp.names.pattern})" for pp in registry().political)
    return Starts(re.compile(f"(?=(?:{body}))", re.I) if body else _NEVER)


def political_party_in(text: str, country: str | None = None) -> PoliticalParty | None:
    hits = [(m.start(), pp) for pp in registry().political if country in (None, pp.country)
            for m in [pp.names.search(text)] if m]
    return min(hits, key=lambda h: h[0])[1] if hits else None


def choose_conflict(countries: list[str], date: str | None, named) -> str | None:
    """The conflict a document belongs to: one fought in its country (the first placed country that has
    one) and running on its date, preferring the one whose parties it names; else, with no country,
    the conflict of the parties it names. None when nothing points to a war.

    ``named`` is the list of parties the text names, or a function that gives it: naming parties
    scans the whole text against every party's markers, so it is read only when the country and
    the date leave a choice."""
    names: list[str] | None = None

    def running(c: Conflict) -> bool:
        return date is None or ((c.start is None or c.start <= date) and (c.end is None or date <= c.end))

    def score(c: Conflict) -> int:
        nonlocal names
        if names is None:
            names = named() if callable(named) else named
        return sum(1 for p in names if p in c.parties)

    for cc in countries:
        cands = [c for c in registry().conflicts if cc in c.countries and running(c)]
        if len(cands) == 1:
            return cands[0].id
        if cands:
            return max(cands, key=score).id
    cands = [c for c in registry().conflicts if running(c) and score(c)]
    return max(cands, key=score).id if cands else None


def armed_party_names() -> list[str]:
    """Regex fragments naming any registry party in running text (the armed actors of every war)."""
    return [p.markers.pattern[len(r"\b(?:"):-1] for p in registry().parties.values() if p.markers is not _NEVER]
