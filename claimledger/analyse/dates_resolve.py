"""Resolution: the calendar day (or days) each match of the date grammar names, read against the
publication date, a note's own opening date or the mention before it.

The grammar that finds the matches is ``dates_grammar.py``; ``dates.py`` runs the two in text order
and holds the public entry points (``find_dates``, ``anchor_date``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from claimledger.analyse.dates_grammar import Lexicon, Raw, holiday_key, norm

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
    ``from_now`` marks a day counted back from "now" ("yesterday", "overnight", "in 24 hours"): a
    dated statement in the same sentence is that "now" (``dates.rebase_on_statements``).
    """

    start: int
    end: int
    text: str
    start_date: str | None
    end_date: str | None
    kind: str = ABSOLUTE
    anchor: str | None = None
    reporting: bool = False
    from_now: bool = False   # counted back from the reference day ("yesterday", "the past 24 hours")

    @property
    def date(self) -> str | None:
        """The single day a claim takes from this mention: a period dates to its start."""
        return self.start_date

    def to_span(self):
        from claimledger.records import DateSpan

        return DateSpan(text=self.text, start=self.start_date, end=self.end_date)

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


def parse_iso(s: str | None) -> Date | None:
    if not s:
        return None
    try:
        return Date.fromisoformat(s[:10])
    except ValueError:
        return None


class Resolver:
    """Resolves a text's matches in text order; ``prev``, ``anchor`` and ``year_hint`` carry what earlier
    mentions established (``dates.find_dates`` updates them)."""

    def __init__(self, text: str, published: Date | None, lex: Lexicon):
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

    def resolve(self, r: Raw) -> DateMention | None:
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
        if g == "dmn":  # "on 04/03": the document's year, else the note's own full date's
            d, how = self.month_day(int(m["dmn_m"]), int(m["dmn_d"]), None, pos) if 1 <= int(m["dmn_m"]) <= 12 else (None, None)
            return out(ABSOLUTE, d, anchor=how) if d else (out(ABSOLUTE, None) if self.published is None else None)
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
            offset = lex.deictic[norm(text)]
            ref, how = self.ref(pos)
            if ref is None:
                return out(RELATIVE, None)
            if how == "text" and norm(text) == "overnight":
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
                offset = lex.anaphoric[norm(text)]
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
        name = self.lex.holiday_lookup.get(holiday_key(m["hol_n"]))
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
            unit = norm(m["pw_u"])
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
        rel, unit = norm(m["pr_rel"]), m["pr_u"].lower()
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
        pre = norm(m["w_pre"] or "")
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
