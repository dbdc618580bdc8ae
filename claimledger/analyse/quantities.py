"""Find every count in a text and read it into value/min/max/approximate.

One compiled regular expression finds number cores (digits, number words, scales, "dozen",
vague quantifiers); hedges and ranges around each core are read from the text beside it. Which
counts are *claims* is decided later (:mod:`claimledger.analyse.measures`): this stage keeps every
number that could be a count and drops only what cannot be (years, ages, clock times, model names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claimledger.analyse.regex_starts import Starts
from claimledger.data import load_yaml


@dataclass
class QuantityMention:
    start: int
    end: int
    text: str
    value: float | None
    min: float | None
    max: float | None
    approximate: bool
    core_start: int          # where the number itself starts (after any hedge)
    core_end: int
    vague: bool = False      # "dozens", "hundreds": no stated number
    percent: bool = False
    currency: str | None = None


_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "₴": "UAH", "₽": "RUB"}


@cache
def _lexicon():
    lex = load_yaml("lexicons/quantities.yaml")
    units, tens, scales = lex["units"], lex["tens"], lex["scales"]
    unit_alt = "|".join(sorted(units, key=len, reverse=True))
    tens_alt = "|".join(tens)
    word_num = rf"(?:(?:{tens_alt})(?:[- ](?:{unit_alt}))?|{unit_alt})"
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    scale_alt = "|".join(sorted((s for s in scales if len(s) > 1), key=len, reverse=True))
    number = (rf"(?:{digits}|{word_num}|\ba\b)(?:(?:\s+|-)(?:{scale_alt})\b(?:\s+(?:and\s+)?{word_num}\b)?)*"
              rf"|(?:{digits})(?:bn|mln|m|k)\b")
    vague_alt = "|".join(re.escape(v) for v in sorted(lex["vague"], key=len, reverse=True))
    dozen = r"(?:half\s+a|a|two|three|four|five|six|several|\d+)\s+dozen"
    core = rf"(?P<vague>\b(?:{vague_alt})\b)|(?P<dozen>\b{dozen}\b)|(?P<num>(?:[$€£₴₽]\s?)?(?<![\w.,-])(?:{number})(?!\w)(?!-[A-Za-z])(?:\s*(?:%|percent\b|per\s+cent\b))?)"
    hedges = {k.lower(): v for k, v in lex["hedges"].items()}
    hedge_re = re.compile(r"(?:^|\W)(" + "|".join(re.escape(h) for h in sorted(hedges, key=len, reverse=True))
                          + r")\s+(?:of\s+)?$", re.I)
    post = {k.lower(): v for k, v in lex["post_hedges"].items()}
    post_re = re.compile(r"^\s?(" + "|".join(re.escape(h) for h in sorted(post, key=len, reverse=True)) + r")\b", re.I)
    return {
        # searched only where a number can begin (regex_starts: re's own matches, one after another)
        "core": Starts(re.compile(core, re.I)),
        "number": re.compile(rf"^(?:{number})$", re.I),
        "units": units, "tens": tens, "scales": scales, "dozen": lex["dozen"],
        "vague": {k.lower(): v for k, v in lex["vague"].items()},
        "hedges": hedges, "hedge_re": hedge_re, "post": post, "post_re": post_re,
        "not_after": set(w.lower() for w in lex["not_counts_after"]),
        "not_before": set(w.lower() for w in lex["not_counts_before"]),
        "range_re": re.compile(rf"^\s*(?:to|-|–|—|or|and)\s*(?:{number})\b", re.I),
        "between_re": re.compile(r"(?:between|from)\s+$", re.I),
    }


def parse_number(text: str) -> float | None:
    """'1,351' -> 1351, 'sixty-three' -> 63, '3.5 million' -> 3500000, 'a hundred' -> 100."""
    lex = _lexicon()
    t = text.lower().replace(",", "").strip()
    t = re.sub(r"\s*(%|percent|per\s+cent)$", "", t)
    t = t.lstrip("$€£₴₽ ")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(bn|mln|m|k)", t)
    if m:
        return float(m.group(1)) * lex["scales"][m.group(2)]
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", t):
        if not word or word == "and":
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        elif word == "a":
            current += 1
        elif word in lex["units"]:
            current += lex["units"][word]
        elif word in lex["tens"]:
            current += lex["tens"][word]
        elif word in lex["scales"]:
            scale = lex["scales"][word]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _is_year(text: str, following: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text)) and not re.match(
        r"\s+(?:[a-z]+\s+)?(?:people|civilians|soldiers|troops|servicemen|residents|refugees|drones|missiles|"
        r"rockets|shells|homes|buildings|children)\b", following)


def _blocked(text: str, core_start: int, core_end: int, raw: str) -> bool:
    lex = _lexicon()
    before = text[max(0, core_start - 25):core_start]
    after = text[core_end:core_end + 25]
    if re.match(r"[-–]?\s?(?:[a-z]+-)?(?:year|month|week|day)s?[- ]old\b", after, re.I):
        return True
    if re.search(r"\b[A-Z][\w’'-]+,\s*$", before) and re.match(r"\s*,", after) and (parse_number(raw) or 999) < 110:
        return True  # "Shufryn Andriy, 41, a serviceman": an age in apposition to a name
    if re.match(r"\s*(?::\d\d|[ap]\.?m\.?\b|h\b|GMT)", after):
        return True
    if re.match(r"/\d", after) or re.search(r"\d[/:.]$", before):
        return True
    if re.match(r"-?(?:mm|cm|km|kg|m)\b", after) and raw[-1:].isdigit():
        return True
    nxt = re.match(r"[\s-]*([A-Za-z'.]+)", after)
    if nxt and nxt.group(1).lower().rstrip(".") in lex["not_after"]:
        return True
    prev = re.search(r"([A-Za-z.]+)[\s#]*$", before)
    if prev and prev.group(1).lower() in lex["not_before"]:
        return True
    if _is_year(raw, after):
        return True
    # "15 April", "April 15", "Feb. 24": part of a date
    # whole month names or their abbreviations: "25 junta soldiers", "12 marines", "3 mayors" are counts
    month = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
             r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")
    if raw.isdigit() and (re.match(rf"\s+{month}(?:\s|,|$)", after, re.I)
                          or re.search(rf"\b{month}\s+$", before, re.I)):
        return True
    return False


def find_quantities(text: str) -> list[QuantityMention]:
    lex = _lexicon()
    out: list[QuantityMention] = []
    skip_until = -1
    for m in lex["core"].finditer(text):
        if m.start() < skip_until:
            continue
        raw = m.group(0).strip()
        cs = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        ce = cs + len(raw)
        start, end = cs, ce
        if m.group("vague"):
            word = re.sub(r"\s+", " ", raw.lower())
            lo, hi = lex["vague"][word]
            q = QuantityMention(cs, ce, raw, None, lo, hi, True, cs, ce, vague=True)
            of = re.match(r"\s+of\b", text[ce:])
            if word in ("hundreds", "thousands") and re.match(r"\s+of\s+thousands\b", text[ce:]):
                continue  # handled by the longer "hundreds of thousands" alternative
            out.append(q)
            del of
            continue
        if m.group("dozen"):
            head = raw.lower().split()[0]
            mult = {"half": 0.5, "a": 1, "several": None}.get(head)
            if head == "several":
                q = QuantityMention(cs, ce, raw, None, 36, 108, True, cs, ce, vague=True)
            else:
                n = mult if mult is not None else parse_number(head)
                if n is None:
                    continue
                q = QuantityMention(cs, ce, raw, n * lex["dozen"], None, None, True, cs, ce)
            out.append(_hedge(text, q))
            continue
        currency = None
        if raw[0] in _CURRENCY_SIGNS:
            currency = _CURRENCY_SIGNS[raw[0]]
        if raw.lower() in ("a", "an") or raw.lower().startswith("a ") and not re.match(
                r"a\s+(hundred|thousand|million|billion)", raw, re.I):
            continue
        if _blocked(text, cs, ce, raw):
            continue
        value = parse_number(raw)
        if value is None:
            continue
        percent = bool(re.search(r"(%|percent|per\s+cent)$", raw, re.I))
        q = QuantityMention(start, end, raw, value, value, value, False, cs, ce, percent=percent, currency=currency)
        # ranges: "between 5 and 10", "5 to 10", "5-10", "five or six"
        rng = lex["range_re"].match(text[ce:])
        before = text[max(0, cs - 12):cs]
        if rng:
            second = re.sub(r"^\s*(?:to|-|–|—|or|and)\s*", "", rng.group(0))
            v2 = parse_number(second)
            joiner = rng.group(0).strip().split()[0] if rng.group(0).strip() else ""
            is_between = bool(lex["between_re"].search(before))
            from_to = is_between and before.rstrip().lower().endswith("from")
            if v2 is not None and v2 > value and not from_to and (joiner != "and" or is_between):
                lo = value
                q = QuantityMention(start, ce + rng.end(), text[start:ce + rng.end()], None, lo, v2, False,
                                    cs, ce + rng.end(), percent=percent or "%" in second)
                if is_between and before.rstrip().lower().endswith("between"):
                    q.start = cs - len(before) + before.lower().rfind("between")
                    q.text = text[q.start:q.end]
                skip_until = q.end
                out.append(q)
                continue
        out.append(_hedge(text, q))
    return out


def _hedge(text: str, q: QuantityMention) -> QuantityMention:
    """Apply a hedge before ("more than 80") or after ("24 or more") the number."""
    lex = _lexicon()
    hm = lex["hedge_re"].search(text[max(0, q.core_start - 40):q.core_start])
    rule = None
    if hm:
        rule = lex["hedges"][hm.group(1).lower()]
        q.start = q.core_start - (len(text[max(0, q.core_start - 40):q.core_start]) - hm.start(1))
    else:
        pm = lex["post_re"].match(text[q.end:])
        if pm:
            rule = lex["post"][pm.group(1).lower()]
            q.end = q.end + pm.end()
    if rule is None or q.value is None:
        q.text = text[q.start:q.end]
        return q
    v = q.value
    bound = rule["bound"]
    q.approximate = bool(rule.get("approximate", q.approximate))
    if bound == "lower_exclusive":
        q.min, q.max = (v + 1 if float(v).is_integer() else v), None
    elif bound == "lower":
        q.min, q.max = v, None
    elif bound == "upper":
        q.min, q.max = None, v
    elif bound == "upper_exclusive":
        q.min, q.max = None, (v - 1 if float(v).is_integer() else v)
    else:
        q.min = q.max = None
        q.approximate = True
    q.text = text[q.start:q.end]
    return q


def quantity_component(doc) -> None:
    doc.quantities = find_quantities(doc.text)
