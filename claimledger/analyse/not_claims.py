"""What is no claim at all, though a measure's words are near: the readings that keep counts told
beside the war out of the ledger (issue 10's audit of real news, session 20).

A sum asked for, targeted, fined, priced each or held in a bill still to pass is not money given; a
percent of people, votes or prices is no territory; people harmed by crime, accident or nature are
not the war's dead; "X is one of the ..." picks a member out and counts nothing. The word lists are
in ``data/lexicons/measures.yaml``; :mod:`claimledger.analyse.measures` and
:mod:`claimledger.analyse.claims` ask these questions where they read a count.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import islice

from claimledger.analyse.quantities import QuantityMention
from claimledger.data import alternation, load_yaml, pattern

_LEX = "lexicons/measures.yaml"
# "X is just one of the many victims", "was one of the most visible figures": a member picked out, no count
_COPULA_ONE = re.compile(r"\b(?:is|was|are|were|be|been|being|remains?|remained|became|becomes)\s+(?:\w+\s+)?$", re.I)


def money_not_given(text: str, sent_start: int, sent_end: int, q: QuantityMention, before: str, rest: str) -> bool:
    """Whether a sum of the war's money is asked for, targeted or fined, prices one thing ("$20,000
    each"), or sits in a bill the sentence does not tell made law; ``rest`` is the text after the
    sum and its currency word."""
    return _asked(text, sent_start, q, before) or _money_each().match(rest) is not None \
        or _in_pending_bill(text[sent_start:sent_end], before, rest)


def picked_one(q: QuantityMention, before: str, after: str) -> bool:
    """"X is one of the many refugees": a member picked out by a copula, no count; but "was one of
    those killed" names a victim, one death."""
    return q.value == 1 and re.match(r"\s*of\b", after) is not None and _COPULA_ONE.search(before[-40:]) is not None \
        and not re.match(r"\s*of\s+(?:the\s+|those\s+)?(?:killed|dead|died|injured|wounded|hurt|casualties|fatalities)\b",
                         after, re.I)


@cache
def _money_asked() -> re.Pattern:
    return re.compile(rf"\b(?:{alternation(_LEX, 'money_asked')})\s+(?:[\w’'$€£-]+\s+){{0,4}}$", re.I)


@cache
def _money_asked_list() -> tuple[re.Pattern, re.Pattern]:
    """The asked words anywhere, and the stretch from one to a second sum joined to the first by
    "and" ("is asking for $8.5 billion in economic aid ... and $3 billion in food aid"): a sum, no
    clause of its own (no sentence break, no "but", no auxiliary) and "and" right before."""
    asked = re.compile(rf"\b(?:{alternation(_LEX, 'money_asked')})\s", re.I)
    c = r"(?:[^.;:]|(?<=\d)\.(?=\d))"   # no sentence break; the point of "$8.5 billion" is none
    joined = re.compile(rf"(?={c}*?(?:[$€£]\s?\d|\d\s*(?:billion|million|bn|m)\b))"
                        rf"(?!{c}*?\b(?:but|while|whereas|already|has|have|had|was|were|is|are)\b)"
                        rf"{c}{{0,200}}?\band\s+(?:an?\s+|another\s+|a\s+further\s+|an\s+additional\s+|additional\s+)?",
                        re.I)
    return asked, joined


def _asked(text: str, sent_start: int, q: QuantityMention, before: str) -> bool:
    """A sum asked for, sought or targeted, directly ("seeking $33bn") or as the second sum of one
    request ("asking for $8.5 billion ... and $3 billion")."""
    if _money_asked().search(before[-80:]):
        return True
    asked, joined = _money_asked_list()
    head = text[sent_start:q.start]
    ends = [m.end() for m in asked.finditer(head)]
    return bool(ends) and joined.fullmatch(head, ends[-1]) is not None


@cache
def _bill() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    return (re.compile(rf"\b(?:{alternation(_LEX, 'money_in_bill.before')})\s+(?:[\w’'$€£-]+\s+){{0,3}}$", re.I),
            re.compile(rf"\s*(?:{alternation(_LEX, 'money_in_bill.after')})\b", re.I),
            pattern(_LEX, "money_in_bill.enacted"))


def _in_pending_bill(sentence: str, before: str, after: str) -> bool:
    """A sum held in a bill the sentence does not tell made law ("an omnibus bill that includes a
    further $45 billion"): proposed, not given."""
    held_before, held_after, enacted = _bill()
    return (held_before.search(before[-120:]) is not None or held_after.match(after) is not None) \
        and enacted.search(sentence) is None


@cache
def _money_each() -> re.Pattern:
    return re.compile(rf"\s*,?\s*(?:{alternation(_LEX, 'money_each')})\b", re.I)


@cache
def _land() -> tuple[re.Pattern, re.Pattern]:
    spec = load_yaml(_LEX)["measures"]["territory"]
    return (re.compile(rf"(?:{'|'.join(spec['of_heads'])})", re.I),
            re.compile(rf"\b(?:{'|'.join(spec['verbs'])})\b", re.I))


_OF_STOP = re.compile(r"(?:is|was|are|were|has|have|had|be|been|remains?|remained|in|under|by|from|with|to|that|"
                      r"which|who|it|its|they|he|she|we|and|or|but|would|will|can|could|now|still|currently|"
                      r"\w+ed|\w+ing)$", re.I)


def share_of_land(after: str, sentence: str) -> bool:
    """Whether a percent is a share of land: the head noun of its "of" phrase is land or a place's
    name ("of the Kharkiv region's territory", "of Luhansk"), or, with no "of" phrase, the sentence
    takes or holds land ("5% had been retaken"); never a share of people, votes or prices."""
    heads, verbs = _land()
    m = re.match(r"\s*of\s+", after)
    if m is None:
        return verbs.search(sentence) is not None
    head = None
    for w in islice(re.finditer(r"[^\s,;:.()]+", after[m.end():]), 6):
        word = re.sub(r"[’']s?$", "", w.group(0).strip("\"“”‘’'"))
        if not word or not re.match(r"[\w-]+$", word) or (head is not None and _OF_STOP.match(word)):
            break
        if word.lower() not in ("the", "a", "an", "its", "their", "his", "her", "our", "all"):
            head = word
        if after[m.end() + w.end():m.end() + w.end() + 1] in ",;:.()":
            break
    if head is None:
        return False
    if heads.fullmatch(head):
        return True
    return head[0].isupper() and not re.search(r"(?:ians|ans|ese|ers|ists)$", head)


@cache
def _not_war() -> tuple[re.Pattern, ...]:
    return (pattern(_LEX, "not_war_harm.words"), pattern(_LEX, "note_victims.no_violence"),
            pattern(_LEX, "not_war_harm.crash"), pattern(_LEX, "not_war_harm.crash_war"))


def harm_outside_war(sentence: str) -> bool:
    """Whether the people a sentence counts were killed or hurt by crime, accident or nature rather
    than by the war: a school shooting, a training flight's crash, a drought, a road accident. A
    crash with a word of war in its sentence ("shot down", "missile") is the war's."""
    words, no_violence, crash, crash_war = _not_war()
    if words.search(sentence) or no_violence.search(sentence):
        return True
    return crash.search(sentence) is not None and crash_war.search(sentence) is None
