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

The grammar and its scan are ``dates_grammar.py``, the calendar rules ``dates_resolve.py``; this
module runs them in text order and joins ranges ("from March 1 to March 5").
"""

from __future__ import annotations

import re

from claimledger.analyse.dates_grammar import Lexicon, Raw, lexicon, scan
from claimledger.analyse.dates_resolve import (  # noqa: F401  (the kinds and DateMention: this module's public face)
    ABSOLUTE,
    PERIOD,
    RELATIVE,
    VAGUE,
    DateMention,
    Resolver,
    parse_iso,
)

_FROM_NOW = frozenset({"deic", "pn", "pw", "ago"})   # grammar shapes counted back from the reference day
_SINCE_BEFORE = re.compile(r"(?i:\b(?:ever\s+)?since\s+)$")
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*")
_RANGE_OPEN = re.compile(r"(?i:\b(between|from)\s+)$")


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Every time expression in ``text``, in text order, resolved against ``published``."""
    lex = lexicon()
    raws = scan(text, lex)
    res = Resolver(text, parse_iso(published), lex)
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
        dm.from_now = r.kind_group in _FROM_NOW and dm.anchor == "published" and dm.kind != VAGUE
        if dm.kind != VAGUE:
            dm.reporting = bool(lex.reporting_before.search(text, max(0, dm.start - 40), dm.start)
                                or lex.reporting_after.match(text, dm.end))
        if out and _merge_range(out[-1], dm, text):
            dm = out.pop()
        out.append(dm)
        if dm.end_date is not None and dm.kind != VAGUE:
            res.prev = parse_iso(dm.end_date)
        if dm.anchor is None and dm.kind == ABSOLUTE and dm.start_date and res.published is None:
            res.year_hint = int(dm.start_date[:4])
    return out


def _set_text_anchor(res: Resolver, raws: list[Raw], text: str) -> None:
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
                res.anchor = parse_iso(dm.start_date)
                res.anchor_end = r.end
        return


def anchor_date(text: str, mentions: list[DateMention] | None = None, max_offset: int | None = None) -> str | None:
    """The date a note opens with ("On 15 April 2022, ..."), when it carries its own year.

    This is what :func:`find_dates` resolves later relative words against when ``published`` is
    None; exposed so a caller can date a note (ACLED, wire copy) by it.
    """
    lex = lexicon()
    limit = lex.anchor_max_offset if max_offset is None else max_offset
    if mentions is None:
        mentions = find_dates(text, None)
    for dm in mentions:
        if dm.start > limit:
            return None
        if dm.kind == ABSOLUTE and dm.anchor is None and dm.start_date:
            return dm.start_date
    return None


def _strip_prefix(dm: DateMention, lex: Lexicon) -> None:
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


def rebase_on_statements(mentions: list[DateMention], spans, published: str | None) -> None:
    """"'He was killed yesterday,' his sister wrote Thursday", "In 24 hours, 34 civilians were
    killed, the service said on Thursday morning": a day counted back from "now" inside a dated
    statement is counted from the statement's day, not from the report's. Only a statement dated
    before the report (one made on the publication day changes nothing) and only within one
    sentence, where the statement and what it says are read together."""
    pub = parse_iso(published)
    if pub is None or not any(d.reporting for d in mentions):
        return
    i = 0
    for span in spans:  # both in text order: one pass over the mentions
        while i < len(mentions) and mentions[i].start < span.start:
            i += 1
        j = i
        while j < len(mentions) and mentions[j].start < span.end:
            j += 1
        inside = mentions[i:j]
        said = next((d for d in inside if d.reporting and d.kind != VAGUE and d.start_date
                     and d.start_date == d.end_date), None)
        if said is None or parse_iso(said.start_date) >= pub:
            continue
        shift = parse_iso(said.start_date) - pub
        for d in inside:
            if d.from_now and not d.reporting and d.start_date:
                d.start_date = (parse_iso(d.start_date) + shift).isoformat()
                d.end_date = (parse_iso(d.end_date) + shift).isoformat()
                d.anchor = "statement"


def date_component(doc) -> None:
    doc.dates = find_dates(doc.text, doc.meta.published if doc.meta else None)
    # the sentence stage runs first in the pipeline; a caller without sentences gets no re-basing
    rebase_on_statements(doc.dates, getattr(doc, "sentences", None) or [], doc.meta.published if doc.meta else None)
