"""The date grammar: the word lists of ``data/dates.yaml`` compiled into one regular expression, and
the scan that finds every candidate time expression in a text with it.

Resolution (which calendar day a match names) is ``dates_resolve.py``; the public entry points are
in ``dates.py``. Kept apart because the grammar is tuned for scanning speed (tries, first-character
gates) and the resolver for calendar rules, and a change to one rarely needs the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claimledger.data import load_yaml


def _trie(phrases, fold_first: bool = True) -> str:
    """One regex for a word list, factored as a trie.

    Python's regex engine tries alternatives one by one; a trie fails on the first character,
    which makes the scan about five times faster than a flat (?i:a|b|c) alternation. Only the
    first letter is case-folded ("Today", "today"): news prose capitalises nothing else.
    Spaces match any whitespace, apostrophes either quote.
    """
    root: dict = {}
    for ph in phrases:
        node = root
        for ch in " ".join(ph.split()):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, top: bool) -> str:
        alts = []
        for ch, sub in sorted(node.items()):
            if ch == "":
                continue
            if ch == " ":
                c = r"\s+"
            elif ch in "'’":
                c = "['’]"
            elif top and fold_first and ch.isalpha():
                c = f"[{ch.upper()}{ch.lower()}]"
            else:
                c = re.escape(ch)
            alts.append(c + emit(sub, False))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(root, True) + ")"


def _initials(words) -> str:
    return "".join(sorted({w[0] for w in words}))


def _holiday_variants(name: str) -> list[str]:
    """"New Year's Eve", "New Year's eve", "New Years Eve": how the name turns up in prose."""
    words = name.split()
    lowered = " ".join([words[0]] + [w[0].lower() + w[1:] for w in words[1:]])
    out = {name, lowered}
    out |= {v.replace("'", "") for v in out}
    return sorted(out)


@dataclass
class Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    deictic: dict[str, int]
    anaphoric: dict[str, int]
    numbers: dict[str, int]
    holidays: dict[str, tuple[int, int]]
    movable: dict[str, tuple[str, int]]
    weekday_blockers: frozenset[str]
    holiday_blockers: frozenset[str]
    count_nouns: frozenset[str]
    reporting_before: re.Pattern
    reporting_after: re.Pattern
    strip_prefixes: frozenset[str]
    future_window: int
    max_period_days: int
    anchor_max_offset: int
    holiday_lookup: dict[str, str]
    anaphor_forward: frozenset[str]
    pattern: re.Pattern
    numeric_dm_before: re.Pattern | None = None  # the words a year-less "04/03" must follow
    bare_period_blockers: frozenset[str] = frozenset()  # "for [over 24 hours]": a duration
    bare_period_blockers_after: frozenset[str] = frozenset()  # "[over 24 hours] after": counted from an event



@cache
def lexicon() -> Lexicon:
    """The compiled grammar and the word tables the resolver reads (built once per process)."""
    y = load_yaml("dates.yaml")
    months = {k.lower(): v for k, v in y["months"].items()}
    months.update({k.lower(): v for k, v in y["month_abbreviations"].items()})
    weekdays = {k.lower(): v for k, v in y["weekdays"].items()}
    numbers = {k.lower(): v for k, v in y["numbers"].items()}
    holidays = {k: tuple(v) for k, v in y["holidays"].items()}
    movable = {k: tuple(v) for k, v in y["movable_holidays"].items()}
    all_holidays = list(holidays) + list(movable)
    lookup = {holiday_key(h): h for h in all_holidays}
    holiday_names = [v for h in all_holidays for v in _holiday_variants(h)]
    alts, month_full, wd = _alternatives(y, numbers, holiday_names)
    pattern = _gated(alts, y, numbers, holiday_names, month_full, wd)
    return Lexicon(
        months=months, weekdays=weekdays,
        deictic={norm(k): v for k, v in y["deictic"].items()},
        anaphoric={norm(k): v for k, v in y["anaphoric"].items()},
        numbers=numbers, holidays=holidays, movable=movable,
        weekday_blockers=frozenset(y["weekday_blockers"]),
        holiday_blockers=frozenset(y["holiday_blockers_after"]),
        count_nouns=frozenset(y["count_nouns"]),
        reporting_before=re.compile(
            rf"\b(?:{_trie(y['reporting_verbs'], False)}|{_trie(y['reporting_verbs_with_object'], False)}"
            rf"(?:\s+[\w.’'-]+){{1,3}}?)\s+(?:on\s+|late\s+|early\s+|this\s+|last\s+)?$"),
        reporting_after=re.compile(rf"\s*,?\s+{_trie(y['reporting_verbs'], False)}\b"),
        strip_prefixes=frozenset(y["strip_prefixes"]),
        future_window=int(y["future_window_days"]),
        max_period_days=int(y["max_period_days"]),
        anchor_max_offset=int(y["text_anchor_max_offset"]),
        holiday_lookup=lookup, anaphor_forward=frozenset(y["grammar"]["anaphor_forward"]), pattern=pattern,
        numeric_dm_before=re.compile(rf"(?i:\b{_trie(y['numeric_day_month_after'], False)})\s+(?:the\s+)?$"),
        bare_period_blockers=frozenset(w.lower() for w in y["grammar"]["bare_period_blockers"]),
        bare_period_blockers_after=frozenset(w.lower() for w in y["grammar"]["bare_period_blockers_after"]),
    )


def _alternatives(y: dict, numbers: dict[str, int], holiday_names: list[str]) -> tuple[list[str], str, str]:
    """One named alternative per shape of time expression (the group name says which shape matched),
    with the full month names' and the weekdays' sub-patterns that the gate reuses."""
    t = _trie
    month_full = t(y["months"], False)
    month = rf"(?:{month_full}|{t(y['month_abbreviations'], False)}\b\.?)(?!\w)"
    month_word = rf"{month_full}\b"
    day = r"(?<![\d,.:/])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:/%]|,\d{3}|\.\d)"
    year = r"(?:19|20)\d\d(?![\d%])"
    wd = rf"{t(y['weekdays'], False)}\b"
    num = rf"(?:\d{{1,3}}|{t(numbers)})"
    parts = t(y["parts_of_day"], False)
    dash = r"(?:-|–|—|\s+to\s+|\s+and\s+|\s+through\s+|\s+until\s+)"
    gw = y["grammar"]
    preps = gw["time_prepositions"]
    the = t(["the"])

    alts = [
        # odd absolute forms the grammar below does not read; dateparser gets these spans
        rf"(?P<loose>\d{{1,2}}-{month}-(?:\d{{4}}|\d{{2}})\b|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+['’]\d{{2}}\b)",
        r"(?P<iso>(?<![\d-])(?P<iso_y>(?:19|20)\d\d)[-/](?P<iso_m>[01]\d)[-/](?P<iso_d>[0-3]\d)(?![\d-]))",
        r"(?P<num>(?<![\d./])(?P<num_a>\d{1,2})[./](?P<num_b>\d{1,2})[./](?P<num_y>(?:19|20)\d\d)(?![\d.]\d))",
        # "on 04/03": day and month in figures, no year (scan() checks the word before)
        r"(?P<dmn>(?<![\d./])(?P<dmn_d>[0-3]?\d)/(?P<dmn_m>[01]?\d)(?![\d/]|\.\d))",
        # "Sunday, July 10, 2022", "March 9", "Feb. 24", "March 1-5", "the 9th of March"
        rf"(?P<md>(?:(?P<md_wd>{wd}),?\s+)?(?:the\s+)?(?P<md_m>{month})\s+(?:the\s+)?(?P<md_d>{day})"
        rf"(?:\s*{dash}\s*(?P<md_d2>{day})(?!\s+{month}))?(?:,?\s+(?P<md_y>{year}))?)",
        rf"(?P<dm>(?:(?P<dm_wd>{wd}),?\s+)?(?:the\s+)?(?P<dm_d>{day})(?:\s*{dash}\s*(?P<dm_d2>{day}))?"
        rf"\s+(?:of\s+)?(?P<dm_m>{month})(?:,?\s+(?P<dm_y>{year}))?)",
        rf"(?P<hol>(?P<hol_n>{t(holiday_names, False)})(?:\s+(?:of\s+)?(?P<hol_y>{year}))?\b)",
        # periods and vague spans, relative to the reference day
        # "over the past 24 hours"; "over 24 hours", "in 24 hours" (bare: hours only, see scan)
        rf"(?P<pn>(?:(?:{t(gw['period_openers'])}\s+)?{the}\s+{t(gw['past_counted'], False)}\s+"
        rf"|(?P<pn_bare>{t(gw['bare_period_openers'])})\s+)"
        rf"(?P<pn_n>{num})\s+(?P<pn_u>{t(gw['counted_units'], False)})\b)",
        rf"(?P<pw>(?:{t(gw['period_openers'])}\s+)?{the}\s+{t(gw['past_single'], False)}\s+"
        rf"(?P<pw_u>{t(gw['single_units'], False)})\b(?!\s+of\b))",
        rf"(?P<pr>(?P<pr_rel>{t(gw['calendar_relations'])})"
        rf"\s+(?P<pr_u>{t(gw['calendar_units'], False)})\b(?!['’]s\s+(?:end|start)|\s+of\b))",
        rf"(?P<vr>(?:{t(gw['vague_openers'])}\s+{t(gw['vague_units'], False)}"
        rf"|(?:{t(['since'])}\s+)?{the}\s+{t(gw['war_starts'], False)}\s+of\s+"
        rf"(?:{t(gw['war_owners'], False)}\s+)?(?:{t(gw['war_qualifiers'], False)}\s+)?{t(gw['war_words'], False)}"
        rf"|{t(gw['vague_words'])})\b)",
        rf"(?P<ago>(?P<ago_n>{num})\s+(?P<ago_u>{t(gw['ago_units'], False)})\s+ago\b)",
        # "in March", "late June", "since early March", "March 2022"; not "March 9" (lookahead)
        rf"(?P<vm>(?:(?P<vm_p>{t(preps)})\s+)?(?:(?P<vm_mod>{t(gw['month_modifiers'])})[\s-]+)?"
        rf"(?P<vm_m>{month_word})(?:\s+(?P<vm_y>{year})|(?!\.?\s*(?:the\s+)?\d)))",
        rf"(?P<vy>{t(preps + gw['year_modifiers'])}"
        rf"[\s-]+(?P<vy_y>{year})(?![\d,.]\d|\s*(?:%|percent)))",
        # weekday phrases: "Friday", "Monday evening", "overnight Saturday", "Saturday into Sunday"
        rf"(?P<wdp>(?:(?P<w_pre>{t(gw['weekday_prefixes'] + y['weekday_modifiers'])})\s+)?(?P<w1>{wd})"
        rf"(?:\s+{parts})?(?:\s+(?:night\s+)?(?P<w_join>{t(gw['weekday_joiners'], False)})\s+(?P<w2>{wd})"
        rf"(?:\s+{parts})?)?)",
        rf"(?P<deic>{t(y['deictic'])}\b)",
        rf"(?P<ana>{t(y['anaphoric'])}\b"
        rf"|(?P<ana_n>{num})\s+(?P<ana_u>{t(gw['anaphor_units'], False)})\s+(?P<ana_dir>{t(gw['anaphor_forward'] + gw['anaphor_backward'], False)})\b)",
    ]
    return alts, month_full, wd


def _gated(alts: list[str], y: dict, numbers: dict[str, int], holiday_names: list[str], month_full: str,
           wd: str) -> re.Pattern:
    """The alternatives behind cheap gates on a word's first character or first word."""
    gw = y["grammar"]
    preps = gw["time_prepositions"]
    # Word starts split two ways. Dates that open with a capital, a digit or "the" before one
    # (months, weekdays, holidays, numbers) sit behind a one-character gate per alternative;
    # everything else must open with one of a few dozen words ("over", "last", "the", a weekday,
    # a month), tested by one trie lookahead. Most words fail both gates in a step or two,
    # instead of entering every alternative's optional prefixes: a third of the flat scan's time.
    caps_m = _initials(y["months"]) + _initials(y["month_abbreviations"])
    caps_w = _initials(y["weekdays"])
    digits = "0123456789"
    firsts = {
        "loose": digits + caps_m, "iso": digits, "num": digits, "dmn": digits,
        "md": caps_w + caps_m + "t", "dm": caps_w + digits + "t", "hol": _initials(holiday_names),
    }
    openers = (gw["period_openers"] + gw["calendar_relations"] + gw["vague_openers"] + gw["vague_words"]
               + gw["month_modifiers"] + gw["year_modifiers"] + gw["weekday_prefixes"] + y["weekday_modifiers"]
               + preps + list(numbers) + list(y["deictic"]) + list(y["anaphoric"]) + ["the"])
    lower_first = sorted({p.split()[0].lower() for p in openers})
    first_word = rf"(?:{_trie(lower_first)}|{month_full}|{wd})\b"
    upper, lower = [], []
    for a in alts:
        name = re.match(r"\(\?P<(\w+)>", a).group(1)
        if name in firsts:
            upper.append(f"(?=[{re.escape(''.join(sorted(set(firsts[name]))))}]){a}")
        else:
            lower.append(a)
    return re.compile(rf"\b(?:(?=[0-9A-Z]|the\s+[0-9A-Z])(?:{'|'.join(upper)})|(?=[0-9]|{first_word})(?:{'|'.join(lower)}))")


def norm(s: str) -> str:
    return " ".join(s.lower().split())


def holiday_key(s: str) -> str:
    return norm(s.replace("’", "").replace("'", ""))


_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")


@dataclass
class Raw:
    m: re.Match
    kind_group: str
    start: int
    end: int


def _bare_period(text: str, m: re.Match, lex: Lexicon) -> bool:
    """"In 24 hours, 34 civilians were killed", "struck ... over 24 hours": a tally of the day before
    the report, as "over the past 24 hours" is; only in hours (a day's tally), and not after a word
    that makes it a duration ("for over 24 hours", "more than", "lasted") or before one that counts
    from another event ("a little over 24 hours after she told MPs")."""
    if m.group("pn_u").lower() != "hours":
        return False
    w = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
    after = _WORD_AFTER.match(text, m.end())
    return not (w and w.group(1).lower() in lex.bare_period_blockers) \
        and not (after and after.group(1).lower() in lex.bare_period_blockers_after)


def scan(text: str, lex: Lexicon) -> list[Raw]:
    out: list[Raw] = []
    for m in lex.pattern.finditer(text):
        g = m.lastgroup  # the outermost named group closes last: the alternative that matched
        start, end = m.start(), m.end()
        if g in ("md", "dm") and not m.group(f"{g}_y") and not m.group(f"{g}_d2"):
            w = _WORD_AFTER.match(text, end)
            if w and w.group(1) in lex.count_nouns:
                continue
        elif g == "wdp" and not m.group("w_pre"):
            w = _WORD_BEFORE.search(text, max(0, start - 20), start)
            if w and w.group(1) in lex.weekday_blockers:
                continue
        elif g == "hol" and not m.group("hol_y"):
            w = _WORD_AFTER.match(text, end)
            if w and w.group(1) in lex.holiday_blockers:
                continue
        elif g == "dmn" and not lex.numeric_dm_before.search(text, max(0, start - 30), start):
            continue  # "scored 3/4", "24/7": figures, not a day
        elif g == "pn" and m.group("pn_bare") and not _bare_period(text, m, lex):
            continue  # "for over 24 hours", "in 24 days": a duration, not the day before the report
        elif g == "vm" and not (m.group("vm_p") or m.group("vm_mod") or m.group("vm_y")):
            continue  # a bare month name ("a March report") is not a time expression
        out.append(Raw(m, g, start, end))
    return out
