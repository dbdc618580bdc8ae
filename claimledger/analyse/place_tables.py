"""The tables of ``data/places.yaml`` (and the conflicts' front lines) compiled once per process.

Admin1 names, region phrases, false friends and spelling aliases: what GeoNames does not say
(or says in another spelling than ACLED's).  Kept apart from the scan so recognition and
resolution read one shared, immutable object.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from claimledger.analyse.gazetteer import norm
from claimledger.analyse.regex_starts import Starts


class FrontLine(NamedTuple):
    """A war's front as a polyline, for a period: namesakes of its oblasts within ``km`` of it get
    ``bonus`` in documents dated ``valid_from``..``valid_to`` (ISO days, inclusive)."""

    admin1: frozenset     # {(cc, code)}
    km: float
    bonus: float
    line: tuple           # ((lat, lon), ...) in order along the line
    valid_from: str
    valid_to: str

    def holds_on(self, day: str | None) -> bool:
        """Was this the front on ``day`` (an ISO date)?  Not for an undated document."""
        return day is not None and self.valid_from <= day[:10] <= self.valid_to


class Tables:
    """The YAML tables compiled once per process."""

    def __init__(self) -> None:
        from claimledger.data import conflict_files, load_yaml

        y = load_yaml("places.yaml")

        def keys(name: str) -> frozenset:
            return frozenset(norm(str(x)) for x in y.get(name) or ())

        self.stop = keys("stoplist")
        self.first_names = keys("first_names")
        self.public_surnames = keys("public_surnames")
        self.titles = keys("titles")
        self.org_after = keys("org_after")
        self.feature_after = keys("feature_after")
        self.place_after = keys("place_after")
        self.modifiers = keys("modifiers")
        self.needs_context = keys("needs_context")
        vessels = "|".join(sorted((re.escape(str(w)) for w in y.get("vessel_words") or ()), key=len, reverse=True))
        # "the cruiser Moskva" / "the Moskva cruiser": the name ends (starts) where these match
        self.vessel_before = re.compile(rf"\b(?:{vessels})\s+(?:[A-Z]{{2,4}}\s+)?$", re.I) if vessels else None
        self.vessel_after = re.compile(rf"\s+(?:{vessels})\b", re.I) if vessels else None
        self.admin1_name: dict[tuple, str] = {}
        self.admin1_place: dict[tuple, tuple] = {}   # (cc, code) -> (full, lat, lon, name)
        self.oblast_alias: dict[str, tuple] = {}     # norm alias -> (cc, code)
        alias_words: list[str] = []
        for cc, table in (("UA", y["ua_admin1"]), ("RU", y["ru_admin1"])):
            for code, info in table.items():
                code = str(code)
                self.admin1_name[(cc, code)] = info["name"]
                if info.get("centre"):
                    _, _gid, lat, lon = info["centre"]
                    self.admin1_place[(cc, code)] = (info.get("full") or info["name"], lat, lon, info["name"])
                for a in info.get("aliases") or ():
                    self.oblast_alias.setdefault(norm(a), (cc, code))
                    alias_words.append(a)
        self.aliases: dict[str, tuple[str, str]] = {}
        for a, target in (y.get("aliases") or {}).items():
            if isinstance(target, dict):
                self.aliases[norm(a)] = (norm(target["to"]), target.get("country", "UA"))
            else:
                self.aliases[norm(a)] = (norm(target), "UA")
        # Renamed towns (data/place_renames.yaml): old name -> current name, like the aliases.
        for old, new in (load_yaml("place_renames.yaml").get("renamed") or {}).items():
            self.aliases.setdefault(norm(old), (norm(new), "UA"))
        self.country_alias = {norm(k): v for k, v in (y.get("country_aliases") or {}).items()}
        self.centroids = {k: tuple(v) for k, v in (y.get("country_centroids") or {}).items()}
        self.rewrite_words = {norm(k): norm(v) for k, v in (y.get("rewrite_words") or {}).items()}
        self.rewrite_starts = {norm(k): norm(v) for k, v in (y.get("rewrite_starts") or {}).items()}
        self.respellings = [(norm(a), norm(b)) for a, b in (y.get("respellings") or [])]
        self.context_admin1 = [(re.compile(row["pattern"]), tuple(tuple(c.split(".")) for c in row["admin1"]))
                               for row in y.get("context_admin1") or ()]
        self.any_context_admin1 = _any_of([rx for rx, _codes in self.context_admin1])
        # the conflicts' fronts (data/conflicts/*.yaml): war- and time-specific, so kept with their war
        self.front_lines = [FrontLine(frozenset(tuple(c.split(".")) for c in row["admin1"]), float(row["km"]),
                                      float(row["bonus"]), tuple((float(a), float(b)) for a, b in row["line"]),
                                      str(row["valid_from"]), str(row["valid_to"]))
                            for _name, conflict in conflict_files() for row in conflict.get("front_lines") or ()]
        self.rewrite_endings = sorted(((norm(k), norm(v)) for k, v in (y.get("rewrite_endings") or {}).items()),
                                      key=lambda kv: -len(kv[0]))

        # "<alias>[, alias | and alias] region(s)" -> admin1 mentions.
        alt = "|".join(re.escape(a) for a in sorted(set(alias_words), key=len, reverse=True))
        words = "|".join(re.escape(w) for w in sorted(y["region_words"], key=len, reverse=True))
        # Region words are rare, so find them first and match the names backwards from there.
        self.region_word_re = re.compile(rf"(?<![\w\-])(?i:{words})\b")
        self.region_names_re = re.compile(
            rf"(?<![\w\-])(?P<names>(?:{alt})(?:(?:\s*,\s*|\s*,?\s+and\s+|\s+&\s+)(?:{alt}))*)"
            rf"(?:['’]s)?\s+$")
        self.alias_re = re.compile(rf"(?<![\w\-])(?:{alt})(?![\w])")

        # Named regions (DPR, Donbas, Crimea ...): one regex for all rows, group rN is row N.
        self.special_rows: list[dict] = list(y.get("regions") or ())
        plain, locative = [], []
        for n, row in enumerate(self.special_rows):
            (locative if row.get("locative") else plain).append(f"(?P<r{n}>" + "|".join(row["patterns"]) + ")")
        self.special_re = re.compile(r"(?<![\w\-])(?:" + "|".join(plain) + r")(?![\w])")
        self.special_loc_re = re.compile(
            r"\b(?:[Ii]n|[Ii]nto|[Aa]cross|[Tt]hroughout|[Oo]f|[Ff]rom|[Ii]nside|[Ww]ithin)\s+"
            r"(?:the\s+)?(?:self-proclaimed\s+|so-called\s+)?(?:" + "|".join(locative) + r")\b")


def _any_of(patterns: list[re.Pattern]) -> Starts:
    """Where any of the patterns matches: most documents match none of the context rows, and one
    scan of their union says so instead of one scan a row."""
    union = "|".join(f"(?:{rx.pattern})" for rx in patterns)
    return Starts(re.compile(f"(?=(?:{union}))" if patterns else r"(?!x)x"))


@cache
def tables() -> Tables:
    return Tables()
