"""Date mentions, and the calendar day each one names.

A claim's date is when the counted thing happened, and reports mostly say it relative to the
day they were published ("on Friday", "overnight", "over the past 24 hours"). So the stage finds
every time expression by rule, then resolves them in text order against ``published``: an
anaphor ("the day before") needs the mention before it, and a note with no publication date
but an opening full date ("On 15 April 2022, ...", the ACLED style) is read against that date.

One compiled regular expression scans the text once (word lists come from
``data/dates.yaml``); dateparser only sees the rare odd absolute form the grammar flags but
cannot read, because on whole articles it is two to three orders of magnitude slower.
Expressions that name no single day ("earlier this month", "since February", "in 2014") are
still returned, as ``kind="vague"`` with null dates, so that a claim next to one takes null
rather than drifting to an earlier date in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from claimledger.data import load_yaml

Date = dt.date

# kinds
ABSOLUTE = "absolute"   # the text names the calendar day ("March 9", "New Year's Eve")
RELATIVE = "relative"   # a day counted from a reference ("Monday", "yesterday", "the next day")
PERIOD = "period"       # a span with a usable start ("over the past 24 hours", "last week")
VAGUE = "vague"         # a time expression that names no day ("earlier this month"): dates null


@dataclass
class DateMention:
    """A time expression in ``doc.text`` and the days it covers.

    ``start_date``/``end_date`` are ISO dates or None; a point has start == end. ``anchor`` says
    what the resolution rested on, so a consumer can weigh it: None when the text alone fixes the
    day (it carries a year), ``"published"``, ``"text"`` (a note's own opening date or an explicit
    year elsewhere in it) or ``"previous"`` (the preceding mention, for "the day before").
    ``reporting`` marks a date attached to a verb of saying ("officials said Friday"): it dates
    the statement, which claim assembly may prefer not to take as the date of the counted event.
    """

    start: int
    end: int
    text: str
    start_date: str | None
    end_date: str | None
    kind: str = ABSOLUTE
    anchor: str | None = None
    reporting: bool = False

    @property
    def date(self) -> str | None:
        """The single day a claim takes from this mention: a period dates to its start."""
        return self.start_date

    def to_span(self):
        from claimledger.records import DateSpan

        return DateSpan(text=self.text, start=self.start_date, end=self.end_date)


# --------------------------------------------------------------------------------------------
# grammar


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
class _Lexicon:
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


@cache
def _lexicon() -> _Lexicon:
    y = load_yaml("dates.yaml")
    months = {k.lower(): v for k, v in y["months"].items()}
    months.update({k.lower(): v for k, v in y["month_abbreviations"].items()})
    weekdays = {k.lower(): v for k, v in y["weekdays"].items()}
    numbers = {k.lower(): v for k, v in y["numbers"].items()}
    holidays = {k: tuple(v) for k, v in y["holidays"].items()}
    movable = {k: tuple(v) for k, v in y["movable_holidays"].items()}
    all_holidays = list(holidays) + list(movable)
    lookup = {_holiday_key(h): h for h in all_holidays}

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
    holiday_names = [v for h in all_holidays for v in _holiday_variants(h)]
    the = t(["the"])

    alts = [
        # odd absolute forms the grammar below does not read; dateparser gets these spans
        rf"(?P<loose>\d{{1,2}}-{month}-(?:\d{{4}}|\d{{2}})\b|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+['’]\d{{2}}\b)",
        r"(?P<iso>(?<![\d-])(?P<iso_y>(?:19|20)\d\d)[-/](?P<iso_m>[01]\d)[-/](?P<iso_d>[0-3]\d)(?![\d-]))",
        r"(?P<num>(?<![\d./])(?P<num_a>\d{1,2})[./](?P<num_b>\d{1,2})[./](?P<num_y>(?:19|20)\d\d)(?![\d.]\d))",
        # "Sunday, July 10, 2022", "March 9", "Feb. 24", "March 1-5", "the 9th of March"
        rf"(?P<md>(?:(?P<md_wd>{wd}),?\s+)?(?:the\s+)?(?P<md_m>{month})\s+(?:the\s+)?(?P<md_d>{day})"
        rf"(?:\s*{dash}\s*(?P<md_d2>{day})(?!\s+{month}))?(?:,?\s+(?P<md_y>{year}))?)",
        rf"(?P<dm>(?:(?P<dm_wd>{wd}),?\s+)?(?:the\s+)?(?P<dm_d>{day})(?:\s*{dash}\s*(?P<dm_d2>{day}))?"
        rf"\s+(?:of\s+)?(?P<dm_m>{month})(?:,?\s+(?P<dm_y>{year}))?)",
        rf"(?P<hol>(?P<hol_n>{t(holiday_names, False)})(?:\s+(?:of\s+)?(?P<hol_y>{year}))?\b)",
        # periods and vague spans, relative to the reference day
        rf"(?P<pn>(?:{t(gw['period_openers'])}\s+)?{the}\s+{t(gw['past_counted'], False)}\s+"
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
    # Word starts split two ways. Dates that open with a capital, a digit or "the" before one
    # (months, weekdays, holidays, numbers) sit behind a one-character gate per alternative;
    # everything else must open with one of a few dozen words ("over", "last", "the", a weekday,
    # a month), tested by one trie lookahead. Most words fail both gates in a step or two,
    # instead of entering every alternative's optional prefixes: a third of the flat scan's time.
    caps_m = _initials(y["months"]) + _initials(y["month_abbreviations"])
    caps_w = _initials(y["weekdays"])
    digits = "0123456789"
    firsts = {
        "loose": digits + caps_m, "iso": digits, "num": digits,
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
    pattern = re.compile(rf"\b(?:(?=[0-9A-Z]|the\s+[0-9A-Z])(?:{'|'.join(upper)})|(?=[0-9]|{first_word})(?:{'|'.join(lower)}))")
    return _Lexicon(
        months=months, weekdays=weekdays,
        deictic={_norm(k): v for k, v in y["deictic"].items()},
        anaphoric={_norm(k): v for k, v in y["anaphoric"].items()},
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
        holiday_lookup=lookup, anaphor_forward=frozenset(gw["anaphor_forward"]), pattern=pattern,
    )


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _holiday_key(s: str) -> str:
    return _norm(s.replace("’", "").replace("'", ""))


_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")
_SINCE_BEFORE = re.compile(r"(?i:\b(?:ever\s+)?since\s+)$")
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*")
_RANGE_OPEN = re.compile(r"(?i:\b(between|from)\s+)$")
_EXPLICIT_2DIGIT_YEAR = re.compile(r"['’]\d{2}\b|\d{4}|-\d{2}$")


# --------------------------------------------------------------------------------------------
# calendar helpers


def _easter(year: int, rite: str) -> Date:
    """Easter Sunday (Gregorian calendar date) by the western or the orthodox reckoning."""
    if rite == "orthodox":  # Meeus' Julian algorithm, shifted to the Gregorian calendar
        a, b, c = year % 4, year % 7, year % 19
        d = (19 * c + 15) % 30
        e = (2 * a + 4 * b - d + 34) % 7
        month, day = divmod(d + e + 114, 31)
        shift = year // 100 - year // 400 - 2
        return Date(year, month, day + 1) + dt.timedelta(days=shift)
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return Date(year, month, day + 1)


def _safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


def _latest_not_after(make, ref: Date, window: int) -> Date | None:
    """The latest yearly occurrence that is at most ``window`` days after ``ref``.

    Covers the rollover both ways: "December 31" in a January report is last year's, "January 5"
    in a late-December report is next week's.
    """
    limit = ref + dt.timedelta(days=window)
    for y in (ref.year + 1, ref.year, ref.year - 1):
        d = make(y)
        if d is not None and d <= limit:
            return d
    return None


def _monday(d: Date) -> Date:
    return d - dt.timedelta(days=d.weekday())


def _weekend_start(ref: Date) -> Date:
    """The Saturday on or before ``ref`` (a Sunday report's weekend began yesterday)."""
    return ref - dt.timedelta(days=(ref.weekday() - 5) % 7)


def _iso(d: Date | None) -> str | None:
    return d.isoformat() if d else None


def _parse_iso(s: str | None) -> Date | None:
    if not s:
        return None
    try:
        return Date.fromisoformat(s[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# scanning and resolution


@dataclass
class _Raw:
    m: re.Match
    kind_group: str
    start: int
    end: int


def _scan(text: str, lex: _Lexicon) -> list[_Raw]:
    out: list[_Raw] = []
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
        elif g == "vm" and not (m.group("vm_p") or m.group("vm_mod") or m.group("vm_y")):
            continue  # a bare month name ("a March report") is not a time expression
        out.append(_Raw(m, g, start, end))
    return out


class _Resolver:
    def __init__(self, text: str, published: Date | None, lex: _Lexicon):
        self.text = text
        self.published = published
        self.lex = lex
        self.anchor: Date | None = None       # a note's own opening date, when published is None
        self.anchor_end = -1
        self.year_hint: int | None = None     # explicit year seen in the text (published None)
        self.prev: Date | None = None

    # reference day for words counted from "now"
    def ref(self, pos: int) -> tuple[Date | None, str | None]:
        if self.published is not None:
            return self.published, "published"
        if self.anchor is not None and pos >= self.anchor_end:
            return self.anchor, "text"
        return None, None

    def month_day(self, month: int, day: int, year: str | None, pos: int):
        if year:
            return _safe_date(int(year), month, day), None
        if _safe_date(2000, month, day) is None:  # leap-proof validity check
            return None, None
        ref, how = self.ref(pos)
        if self.published is None and self.year_hint is not None:
            return _safe_date(self.year_hint, month, day), "text"
        if ref is None:
            return None, None
        return _latest_not_after(lambda y: _safe_date(y, month, day), ref, self.lex.future_window), how

    def resolve(self, r: _Raw) -> DateMention | None:
        m, g, lex = r.m, r.kind_group, self.lex
        text = self.text[r.start:r.end]
        pos = r.start

        def out(kind, s, e=None, anchor=None):
            return DateMention(r.start, r.end, text, _iso(s), _iso(e if e is not None else s), kind, anchor)

        if g == "iso":
            d = _safe_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
            return out(ABSOLUTE, d) if d else None
        if g == "num":
            a, b = int(m["num_a"]), int(m["num_b"])
            day, month = (b, a) if b > 12 >= a else (a, b)  # day-first unless that is impossible
            d = _safe_date(int(m["num_y"]), month, day)
            return out(ABSOLUTE, d) if d else None
        if g in ("md", "dm"):
            month = lex.months[m[f"{g}_m"].rstrip(".").lower()]
            d1, how = self.month_day(month, _day(m[f"{g}_d"]), m[f"{g}_y"], pos)
            if d1 is None:
                if self.published is None and not m[f"{g}_y"] and self.year_hint is None:
                    return out(ABSOLUTE, None)
                return None
            if m[f"{g}_d2"]:
                d2 = _safe_date(d1.year, month, _day(m[f"{g}_d2"]))
                if d2 is None or d2 < d1:
                    return None
                return out(PERIOD, d1, d2, how)
            return out(ABSOLUTE, d1, anchor=how)
        if g == "hol":
            return self._holiday(m, out, pos)
        if g in ("pn", "pw", "pr"):
            return self._period(m, g, out, pos)
        if g == "vr":
            return out(VAGUE, None)
        if g == "ago":
            n = self._number(m["ago_n"])
            unit = m["ago_u"].lower().rstrip("s")
            if unit in ("month", "year") or n is None:
                return out(VAGUE, None)
            ref, how = self.ref(pos)
            if ref is None:
                return out(RELATIVE, None)
            return out(RELATIVE, ref - dt.timedelta(days=n * (7 if unit == "week" else 1)), anchor=how)
        if g in ("vm", "vy"):
            return out(VAGUE, None)
        if g == "wdp":
            return self._weekday(m, out, pos)
        if g == "deic":
            offset = lex.deictic[_norm(text)]
            ref, how = self.ref(pos)
            if ref is None:
                return out(RELATIVE, None)
            if how == "text" and _norm(text) == "overnight":
                offset = 0  # the note already names the day it is about
            return out(RELATIVE, ref + dt.timedelta(days=offset), anchor=how)
        if g == "ana":
            if m["ana_n"]:
                n = self._number(m["ana_n"])
                if n is None:
                    return None
                n *= 7 if m["ana_u"].lower().startswith("week") else 1
                offset = n if m["ana_dir"].lower() in lex.anaphor_forward else -n
            else:
                offset = lex.anaphoric[_norm(text)]
            if self.prev is not None:
                base, how = self.prev, "previous"
            else:
                base, how = self.ref(pos)
            if base is None:
                return out(RELATIVE, None)
            return out(RELATIVE, base + dt.timedelta(days=offset), anchor=how)
        if g == "loose":
            return self._loose(text, out, pos)
        return None

    def _number(self, s: str) -> int | None:
        s = s.lower()
        if s.isdigit():
            return int(s)
        return self.lex.numbers.get(s)

    def _holiday(self, m, out, pos):
        name = self.lex.holiday_lookup.get(_holiday_key(m["hol_n"]))
        if name is None:
            return None
        if name in self.lex.holidays:
            month, day = self.lex.holidays[name]

            def make(y):
                return _safe_date(y, month, day)
        else:
            rite, shift = self.lex.movable[name]

            def make(y):
                return _easter(y, rite) + dt.timedelta(days=shift)
        if m["hol_y"]:
            return out(ABSOLUTE, make(int(m["hol_y"])))
        if self.published is None and self.year_hint is not None:
            return out(ABSOLUTE, make(self.year_hint), anchor="text")
        ref, how = self.ref(pos)
        if ref is None:
            return out(ABSOLUTE, None)
        return out(ABSOLUTE, _latest_not_after(make, ref, self.lex.future_window), anchor=how)

    def _period(self, m, g, out, pos):
        ref, how = self.ref(pos)
        day = dt.timedelta(days=1)
        if g == "pn":
            n = self._number(m["pn_n"])
            unit = m["pn_u"].lower()
            if n is None or unit in ("months", "years"):
                return out(VAGUE, None)
            if ref is None:
                return out(PERIOD, None)
            days = -(-n // 24) if unit == "hours" else n * (7 if unit == "weeks" else 1)
            if days > self.lex.max_period_days:
                return out(VAGUE, None)  # "the past two weeks": its start is no event's date
            return out(PERIOD, ref - days * day, ref, how)
        if g == "pw":
            unit = _norm(m["pw_u"])
            if unit not in ("day", "week", "weekend"):
                return out(VAGUE, None)
            if ref is None:
                return out(PERIOD, None)
            if unit == "weekend":
                sat = _weekend_start(ref)
                if ref.weekday() in (5, 6):
                    sat -= 7 * day
                return out(PERIOD, sat, sat + day, how)
            return out(PERIOD, ref - (1 if unit == "day" else 7) * day, ref, how)
        rel, unit = _norm(m["pr_rel"]), m["pr_u"].lower()
        if rel == "the" and unit != "weekend":
            return None  # "the week", "the year": too generic to be a time expression alone
        if unit in ("month", "year"):
            return out(VAGUE, None)
        if ref is None:
            return out(PERIOD, None)
        if unit == "weekend":
            sat = _weekend_start(ref)
            if rel == "last" and ref.weekday() in (5, 6):
                sat -= 7 * day
            elif rel == "next":
                sat += 7 * day
            return out(PERIOD, sat, sat + day, how)
        mon = _monday(ref)
        if rel == "last":
            return out(PERIOD, mon - 7 * day, mon - day, how)
        if rel == "next":
            return out(PERIOD, mon + 7 * day, mon + 13 * day, how)
        if rel == "earlier this":
            return out(PERIOD, mon, max(mon, ref - day), how)
        if rel == "later this":
            return out(PERIOD, min(ref + day, mon + 6 * day), mon + 6 * day, how)
        if rel in ("this", "over the", "during the", "at the", "over", "the"):
            if rel != "this":  # "over the week" reads as the week so far
                return out(PERIOD, mon, ref, how)
            return out(PERIOD, mon, mon + 6 * day, how)
        return out(VAGUE, None)

    def _weekday(self, m, out, pos):
        ref, how = self.ref(pos)
        if ref is None:
            return out(RELATIVE, None)
        pre = _norm(m["w_pre"] or "")
        w1 = self.lex.weekdays[m["w1"].lower()]
        back = (ref.weekday() - w1) % 7
        if pre == "last" and back == 0:
            back = 7
        d1 = ref - dt.timedelta(days=back)
        if pre == "next":
            d1 = ref + dt.timedelta(days=(w1 - ref.weekday()) % 7 or 7)
        if pre in ("overnight into", "overnight to"):
            return out(RELATIVE, d1 - dt.timedelta(days=1), d1, how)
        if m["w2"]:
            w2 = self.lex.weekdays[m["w2"].lower()]
            d2 = d1 + dt.timedelta(days=(w2 - w1) % 7)
            return out(PERIOD if (d2 - d1).days > 1 or m["w_join"].lower() == "and" else RELATIVE, d1, d2, how)
        return out(RELATIVE, d1, anchor=how)

    def _loose(self, text, out, pos):
        import dateparser

        ref, how = self.ref(pos)
        settings = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DATES_FROM": "past"}
        if ref is not None:
            settings["RELATIVE_BASE"] = dt.datetime.combine(ref, dt.time())
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
        if parsed is None:
            return None
        d = parsed.date()
        if _EXPLICIT_2DIGIT_YEAR.search(text):
            return out(ABSOLUTE, d)
        resolved, how = self.month_day(d.month, d.day, None, pos)
        return out(ABSOLUTE, resolved, anchor=how) if resolved or ref is None else None


def _day(s: str) -> int:
    return int(re.match(r"\d+", s).group())


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Every time expression in ``text``, in text order, resolved against ``published``."""
    lex = _lexicon()
    raws = _scan(text, lex)
    res = _Resolver(text, _parse_iso(published), lex)
    if res.published is None:
        _set_text_anchor(res, raws, text)
    out: list[DateMention] = []
    for r in raws:
        dm = res.resolve(r)
        if dm is None:
            continue
        since = _SINCE_BEFORE.search(text, max(0, dm.start - 12), dm.start)
        if since or dm.text.lower().startswith(("since ", "ever since ")):
            # a count "since X" spans a period: it names no single day (GUIDE: "since February")
            if since:
                dm.start = since.start()
                dm.text = text[dm.start:dm.end]
            dm.kind, dm.start_date, dm.end_date, dm.anchor = VAGUE, None, None, None
        _strip_prefix(dm, lex)
        if dm.kind != VAGUE:
            dm.reporting = bool(lex.reporting_before.search(text, max(0, dm.start - 40), dm.start)
                                or lex.reporting_after.match(text, dm.end))
        if out and _merge_range(out[-1], dm, text):
            dm = out.pop()
        out.append(dm)
        if dm.end_date is not None and dm.kind != VAGUE:
            res.prev = _parse_iso(dm.end_date)
        if dm.anchor is None and dm.kind == ABSOLUTE and dm.start_date and res.published is None:
            res.year_hint = int(dm.start_date[:4])
    return out


def _set_text_anchor(res: _Resolver, raws: list[_Raw], text: str) -> None:
    """A note with no publication date that opens with a full date is read against that date."""
    years = {"iso": "iso_y", "num": "num_y", "md": "md_y", "dm": "dm_y", "hol": "hol_y"}
    for r in raws:
        year = r.m[years[r.kind_group]] if r.kind_group in years else None
        if not year:
            continue
        res.year_hint = int(year)  # year-less dates before the first full one take its year
        if r.start <= res.lex.anchor_max_offset and r.kind_group != "hol":
            dm = res.resolve(r)
            if dm and dm.start_date and dm.kind == ABSOLUTE:
                res.anchor = _parse_iso(dm.start_date)
                res.anchor_end = r.end
        return


def anchor_date(text: str, mentions: list[DateMention] | None = None, max_offset: int | None = None) -> str | None:
    """The date a note opens with ("On 15 April 2022, ..."), when it carries its own year.

    This is what :func:`find_dates` resolves later relative words against when ``published`` is
    None; exposed so a caller can date a note (ACLED, wire copy) by it.
    """
    lex = _lexicon()
    limit = lex.anchor_max_offset if max_offset is None else max_offset
    if mentions is None:
        mentions = find_dates(text, None)
    for dm in mentions:
        if dm.start > limit:
            return None
        if dm.kind == ABSOLUTE and dm.anchor is None and dm.start_date:
            return dm.start_date
    return None


def _strip_prefix(dm: DateMention, lex: _Lexicon) -> None:
    head, _, rest = dm.text.partition(" ")
    if rest and head.lower() in lex.strip_prefixes:
        skip = len(dm.text) - len(dm.text[len(head):].lstrip())
        dm.start += skip
        dm.text = dm.text[skip:]


def _merge_range(a: DateMention, b: DateMention, text: str) -> bool:
    """"from March 1 to March 5", "between Monday and Wednesday": one period, not two points."""
    if a.kind == VAGUE or b.kind == VAGUE or not a.start_date or not b.end_date:
        return False
    gap = text[a.end:b.start]
    if not _RANGE_GAP.fullmatch(gap):
        return False
    opener = _RANGE_OPEN.search(text, max(0, a.start - 10), a.start)
    if gap.strip().lower() == "and" and not (opener and opener.group(1).lower() == "between"):
        return False  # "on March 5 and March 7" stays two days unless "between" opens it
    if b.end_date < a.start_date:
        return False
    start = opener.start() if opener else a.start
    a.text = text[start:b.end]
    a.start, a.end = start, b.end
    a.end_date = b.end_date
    a.kind = PERIOD
    a.anchor = a.anchor or b.anchor
    return True


def date_component(doc) -> None:
    doc.dates = find_dates(doc.text, doc.meta.published if doc.meta else None)
