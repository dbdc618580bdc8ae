"""Decide what a count counts (the schema's closed list of measures) and what it is a count of.

The reading is local and cheap: the noun right after the number (its subject), a trigger later in
the same clause ("were killed") or just before the number ("killing"), checked against which
subjects each measure can count. No parser: a number with no trigger in its clause is not a claim,
which is what keeps populations, durations and crowd sizes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import islice
from re import _parser

from claimledger.analyse.not_claims import money_not_given, picked_one, share_of_land
from claimledger.analyse.quantities import QuantityMention
from claimledger.data import load_yaml


@dataclass
class MeasureReading:
    measure: str
    unit: str | None
    subject_text: str | None
    category: str
    subcount: bool = False       # "including five children", "38 of the 50": part of another count
    additive: bool = False       # "12 more", "five other people": adds to another count
    trigger_end: int | None = None  # where the words that make it a claim end (the number, for "killing 15")


_FUNCTION = re.compile(
    r"^(?:were|was|are|is|have|has|had|been|be|being|will|would|may|might|could|can|should|must|reportedly|"
    r"also|still|already|possibly|likely|allegedly|all|now|then|in|at|on|of|from|by|during|per|to|with|for|and|or|"
    r"nor|as|so|that|who|which|whom|whose|when|while|after|before|since|across|over|under|near|inside|a|an|the|"
    r"were\w*|had\w*|\w+ed|including|during|according|following|being|having|driven|forced|taken|given|left|held|seen|shown|thrown|hit|struck|shot|caught|"
    r"brought|sent|kept|found|told|made|put|become|gone|fled|lost|believed|thought|now|there|here|today|"
    r"yesterday|overnight|per|each|apiece)$", re.I)
_NEGATED = re.compile(r"\b(?:not|n['’]t|never|no longer|failed to)\s+(?:\w+\s+)?$", re.I)
_IRREALIS = re.compile(r"\b(?:urg(?:ed|ing|es)|call(?:ed|ing|s)? on|ask(?:ed|ing)|advis(?:ed|ing)|order(?:ed|ing)|"
                       r"encourag(?:ed|ing)|want(?:ed|s)? to|plan(?:s|ned)? to|could|would|might|threaten\w*|"
                       r"expected to|aim(?:s|ed)? to|prepar\w+ to|"
                       # a purpose or a capability, not a deed: "a ceasefire to enable thousands to
                       # evacuate", "can fire six shells at a time", "capable of carrying 12 missiles"
                       r"to (?:enable|allow|let|help)|(?:can|able to|capable of) (?:fire|firing|launch\w*|carry\w*|hold\w*|strike|hit)|"
                       # a forecast: "will lead to 10,000 deaths", "will kill thousands"
                       r"will\s+(?:likely\s+|probably\s+)?(?:lead to|result in|cause|kill|leave|mean))\s+(?:\w+\s+){0,2}$",
                       re.I)
_MODAL = re.compile(r"\b(?:may|might|could|would|should|can)\s+(?:still\s+|also\s+|well\s+|yet\s+)?(?:be\s+|have\s+(?:been\s+)?)?$",
                    re.I)
_SUPPLY = re.compile(r"\b(?:suppl(?:y|ied|ying)|deliver(?:ed|ing|y)?|send(?:ing)?|sent|provid(?:e|ed|ing)|donat(?:e|ed|ing)|"
                     r"transfer(?:red|ring)?|receiv(?:e|ed|ing)|purchas(?:e|ed|ing)|bought|buy|order(?:ed)?|"
                     r"produc(?:e|ed|ing)|stockpil\w*|packages?|possess\w*|acquir\w*)\b(?:\s+\S+){0,6}\s*$", re.I)
_MODIFIER_MAX_WORDS = 4
_WINDOW_WORDS = 14
_WORD = re.compile(r"[\w’'-]+(?:/[\w’'-]+)*|[^\w\s]")  # "BH/IS fighters": one name


@cache
def _lex():
    m = load_yaml("lexicons/measures.yaml")
    s = load_yaml("lexicons/subjects.yaml")

    def alt(items):
        return "|".join(sorted(items, key=len, reverse=True))

    measures = {}
    for name, spec in m["measures"].items():
        if name == "territory":
            continue
        measures[name] = {
            "head": re.compile(rf"^(?:{alt(spec['head_nouns'])})$", re.I) if spec["head_nouns"] else None,
            "after": re.compile(rf"\b(?:{alt(spec['after'])})\b", re.I) if spec["after"] else None,
            "before": re.compile(rf"\b(?:{alt(spec['before'])})\s*[\"“‘']?\s*$", re.I) if spec["before"] else None,
            "subjects": set(spec["subjects"]),
            "default_for": set(spec.get("default_for", [])),
        }
    # "people" words stay plural: "Russian"/"Ukrainian" as adjectives are not "Russians"
    categories = [(cat, re.compile(rf"\b(?:{alt(words if cat == 'people' else _with_singulars(words))})\b", re.I))
                  for cat, words in s["categories"].items()]
    territory = re.compile(rf"\b(?:{alt(m['measures']['territory']['context'])})\b", re.I)
    breaks = re.compile(rf"(?:[;:]|\b(?:{alt(m['clause_breaks'])})\b)", re.I)
    currencies = [(code, re.compile(rf"^\s*(?:{alt(words)})(?!\w)", re.I)) for code, words in m["currencies"].items()]
    money = (re.compile(rf"\b(?:{alt(m['money_context'])})\b", re.I), float(m["money_minimum"]))
    return measures, categories, territory, breaks, currencies, money


@cache
def _currency_before(code: str) -> tuple[re.Pattern, int]:
    """The currency written before the number ("INR 10 million", "Tk 20,000"): money, never people;
    with the most characters its words can match."""
    body = "|".join(sorted(load_yaml("lexicons/measures.yaml")["currencies"][code], key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})\s*$", re.I), _parser.parse(body, re.I).getwidth()[1]


def _currency_written_before(code: str, before: str) -> bool:
    r"""``_currency_before(code)`` searched in ``before``, only near its end: the pattern ends in
    ``\s*$``, so a match's words end where the trailing spaces begin, or later, and start at most
    their width before that. The same answer as searching all of ``before`` (the words before a
    number, up to the sentence's start), without trying every offset for each of 20 currencies."""
    rx, width = _currency_before(code)
    return rx.search(before, max(0, len(before.rstrip()) - width)) is not None


def _is_war_money(sentence: str, q: QuantityMention) -> bool:
    context, minimum = _lex()[5]
    return (q.value or 0) >= minimum and bool(context.search(sentence))


def asked_not_done(before: str) -> bool:
    """Whether the words just before a number ask for, plan, foresee or can do what it counts
    ("urging 350,000 residents to flee", "can fire six shells"): the parse's reading of such a
    number is not a deed either."""
    return _IRREALIS.search(before[-60:]) is not None


def _with_singulars(words: list[str]) -> list[str]:
    """'soldiers' also matches 'soldier' ("one LPR rebel was killed"): the lexicon lists plurals."""
    out = list(words)
    for w in words:
        if w.endswith("men"):
            out.append(w[:-3] + "man")
        elif w.endswith("ies"):
            out.append(w[:-3] + "y")
        elif re.search(r"[a-z]s$", w) and not w.endswith("ss"):
            out.append(w[:-1])
    return out


_THINGS = frozenset({"equipment", "drones", "missiles", "aircraft", "buildings"})


def _category(phrase: str) -> tuple[str | None, int]:
    """Subject category of a noun phrase and where its head ends: the first head found, unless it
    names the people of the thing that follows ("five passenger rail cars", "two police cars": cars)."""
    _, categories, *_ = _lex()
    best = None
    for cat, rx in categories:
        mm = rx.search(phrase)
        if mm and (best is None or mm.start() < best[1] or (mm.start() == best[1] and mm.end() > best[2])):
            best = (cat, mm.start(), mm.end())
    if best is None:
        return None, 0
    if best[0] not in _THINGS:
        # a thing named after its people, a word or two before it: the thing is the head
        things = [(m.start(), cat, m.end()) for cat, rx in categories if cat in _THINGS for m in rx.finditer(phrase)
                  if m.start() > best[2] and re.fullmatch(r"\s+(?:[\w-]+\s+)?", phrase[best[2]:m.start()])]
        if things:
            start, cat, end = min(things, key=lambda f: f[0])
            best = (cat, start, end)
    return best[0], best[2]


def _opens_category(text: str) -> bool:
    """Whether a subject head starts right here ("armored vehicles", "wounded soldiers")."""
    return any(rx.match(text) for _, rx in _lex()[1])


def _subject_phrase(after: str) -> tuple[str, str | None, int, bool]:
    """(phrase, category, offset where the clause continues, partitive) for the words after a number.

    "63 Russian servicemen were killed" -> ("Russian servicemen", military, ...);
    "38 of the 50 people killed" -> partitive, the subject is read after the second number.
    """
    partitive = False
    pos = 0
    m = re.match(r"\s*[”\"’']?\s*(?:(?:more|other|additional|further|another)\b)?\s*", after)
    pos = m.end()
    pm = re.match(r"of\s+(?:(?:the|its|their|those|these|them|our|whom)\b)?\s*", after[pos:], re.I)
    if pm:
        partitive = True
        pos += pm.end()
        qm = re.match(r"[\d,.]+\s+|(?:[a-z]+-)?[a-z]+\s+(?=(?:people|of|soldiers|civilians|troops))", after[pos:], re.I)
        if qm and re.match(r"[\d,]", after[pos:]):
            pos += qm.end()
    phrase_end = pos
    taken = []
    # the first words only: ``after`` may run to the end of the document (subject_of), and _WORD has
    # no look-behind, so its words from ``pos`` are those of ``after[pos:]``
    for w in islice(_WORD.finditer(after, pos), _MODIFIER_MAX_WORDS + 2):
        tok = w.group(0)
        if tok in "”\"’'“":
            continue
        if not re.match(r"[\w’'/-]+$", tok):
            break
        if _FUNCTION.match(tok) and tok.lower() not in ("of",) and not _category(tok)[0] \
                and not _opens_category(after[w.start():]):
            break  # a verb or a preposition ends the phrase; "armored vehicles" is a head, not a verb
        taken.append(tok)
        phrase_end = w.end()
    phrase = after[pos:phrase_end]
    cat, head_end = _category(phrase)
    if cat is not None:
        phrase = phrase[:head_end]
        phrase_end = pos + head_end
        # "units of enemy military equipment": a unit word followed by "of ..."
        more = re.match(r"\s+of\s+(?:[\w-]+\s+){0,3}?(equipment|vehicles|armou?r|tanks)\b", after[phrase_end:], re.I)
        if more:
            phrase_end += more.end()
            phrase = after[pos:phrase_end]
    elif taken:
        party = _party_head().match(phrase)
        if party:  # "7 Al Shabaab were killed", "1 senior Al Shabaab": an armed party's men, as notes count them
            return phrase[:party.end()], "military", pos + party.end(), partitive
        return phrase, "unknown", phrase_end, partitive
    return phrase, cat, phrase_end, partitive


@cache
def _party_head() -> re.Pattern:
    """An armed party of the conflict registry named as the counted people, after at most two
    modifiers ("senior", "suspected")."""
    from claimledger.analyse.parties import armed_party_names

    return re.compile(rf"(?:[a-z-]+\s+){{0,2}}?(?:{'|'.join(armed_party_names())})\b(?=\s*$)", re.I)


def subject_of(text: str, q: QuantityMention) -> tuple[str, str]:
    """(noun phrase, category) of the words after a number; category "none" when no noun follows."""
    phrase, cat, _, _ = _subject_phrase(text[q.end:])
    return phrase.strip(), cat or "none"


def allows(measure: str, category: str) -> bool:
    """Whether a measure can count this kind of subject (measures.yaml "subjects")."""
    spec = _lex()[0].get(measure)
    return spec is not None and category in spec["subjects"]


def measure_before(before: str, category: str) -> str | None:
    """The measure whose trigger ends ``before`` and that can count this subject: "lost 200 tanks
    and 5,000 soldiers" reads the soldiers as killed by the same "lost" that destroyed the tanks."""
    for name, spec in _lex()[0].items():
        if spec["before"] is not None and category in spec["subjects"] and spec["before"].search(before):
            return name
    return None


def relation_to_others(before: str, after: str, partitive: bool | None = None) -> tuple[bool, bool]:
    """(sub-count, additive) of a number given the words before and after it: "including five
    children" and "38 of the 50" are part of another count; "12 more", "five other people" add to one."""
    if partitive is None:
        partitive = _subject_phrase(after)[3]
    additive = bool(re.match(r"\s*(?:more|other|additional|further|another)\b", after, re.I))
    subcount = partitive and bool(re.match(r"\s*of\s+(?:the\s+)?[\d,]+", after)) or bool(
        re.search(r"\b(?:including|among them|among whom|of whom|of them)\s*[\"“]?\s*(?:[^,;.\d]*\s(?:and|or)\s+)?$",
                  before, re.I))  # "including non-combatants and 1 officer": still part of the toll
    if partitive and re.match(r"\s*of\s+(?:them|whom)\b", after, re.I):
        subcount = True
    # "five children were among the dead": part of a toll given before, never a toll of its own
    if re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:were|was|are|is)\s+(?:also\s+|reportedly\s+)?among\s+(?:the\s+)?"
                r"(?:dead|killed|victims|casualties|fatalities|injured|wounded)\b", after, re.I):
        subcount = True
    return subcount, additive


def _part_of(text: str, q: QuantityMention, sent_start: int, prev_end: int, before: str, after: str,
             partitive: bool) -> tuple[bool, bool]:
    """(sub-count, additive) of a number, also when it sits inside a list of parts: "6 people,
    including two passers-by and 1 officer, were killed"; never "killing 2 of them" after no count
    ("them" is no count, the figure is the toll)."""
    subcount, additive = relation_to_others(before, after, partitive)
    if not subcount:
        inside = re.search(r"\b(?:including|among them|among whom)\s+([^;.:]*)$", text[sent_start:q.start], re.I)
        subcount = bool(inside) and not re.search(r"\b(?:were|was|are|is|killed|died|wounded|injured)\b",
                                                   inside.group(1), re.I)
    if subcount and prev_end <= sent_start and re.match(r"\s*of\s+them\b", after, re.I):
        subcount = False
    return subcount, additive


def _clause_after(text: str, clause_start: int, sent_end: int, next_start: int | None, breaks) -> tuple[int, str]:
    """Where a number's own clause starts and its words, up to the next number, a clause break or
    the word window: past an appositive ("50 people, including five children, were killed")."""
    appos = re.match(r"\s*,\s*(?:including|among them|among whom|mostly|mainly|many of them|most of them)\b[^,;]*,",
                     text[clause_start:sent_end], re.I)
    window_end = sent_end
    if appos:
        clause_start += appos.end()
        next_start = next_start if next_start is not None and next_start >= clause_start else None
    if next_start is not None and next_start > clause_start:
        window_end = min(window_end, next_start)
    clause = text[clause_start:window_end]
    bm = breaks.search(clause)
    if bm:
        clause = clause[:bm.start()]
    words = list(re.finditer(r"\S+", clause))
    if len(words) > _WINDOW_WORDS:
        clause = clause[:words[_WINDOW_WORDS - 1].end()]
    return clause_start, clause


def read_measure(text: str, q: QuantityMention, sent_start: int, sent_end: int, prev_end: int,
                 next_start: int | None) -> MeasureReading | None:
    measures, _cats, territory, breaks, currencies, _money = _lex()
    after = text[q.end:sent_end]
    before = text[max(sent_start, prev_end):q.start]
    if re.fullmatch(r"\s*(?:to|then to|and then)\s*", before) and prev_end > sent_start:
        # "the toll rose from 15 to 38": the trigger before the first number governs the second
        before = text[sent_start:q.start]
    # money and territory are read from their units
    for code, rx in currencies:
        cm = rx.match(after)
        if cm or (q.currency == code) or _currency_written_before(code, before):
            if not _is_war_money(text[sent_start:sent_end], q) or \
                    money_not_given(text, sent_start, sent_end, q, before, after[cm.end():] if cm else after):
                return None  # a price, a company's sales, or a sum asked for and not (yet) given
            return MeasureReading("money", code, None, "money", trigger_end=q.end + (cm.end() if cm else 0))
    if q.percent:
        sentence = text[sent_start:sent_end]
        if territory.search(sentence) and share_of_land(after, sentence):
            return MeasureReading("territory", "percent", None, "territory")
        return None
    if asked_not_done(before):
        return None  # "urging 350,000 residents to flee": asked for, not done
    if _SUPPLY.search(text[max(sent_start, q.start - 80):q.start]):
        return None  # "will be supplied with 2,000 drones": deliveries are not fired, hit or destroyed
    if picked_one(q, before, after):
        return None
    phrase, cat, cont, partitive = _subject_phrase(after)
    subcount, additive = _part_of(text, q, sent_start, prev_end, before, after, partitive)
    head = phrase.strip().split()[-1] if phrase.strip() else ""
    # "5,587 civilian deaths": the measure noun follows the subject word
    nxt = re.match(r"\s+([\w’'-]+)", text[q.end + cont:sent_end])
    heads = [h for h in (head, nxt.group(1) if nxt else "") if h]
    owner = re.match(r"[’']s?\s+([\w-]+)", after[cont:])
    if owner and cat not in (None, "unknown") and not any(
            spec["head"] is not None and spec["head"].match(owner.group(1).lower()) for spec in measures.values()):
        return None  # "one victims' group": the number counts what the people own, not the people
    # (a) the head noun names the measure: "five deaths", "two injuries", "four loud explosions"
    for name, spec in measures.items():
        if spec["head"] is not None and any(spec["head"].match(h.lower()) for h in heads):
            if name in ("captured", "evacuated"):
                # "killed dozens of prisoners", "injured 12 refugees": what was done to them counts
                done = next((o for o in ("killed", "wounded") if measures[o]["before"].search(before[-130:])), None)
                if done is not None:
                    return MeasureReading(done, None, phrase.strip() or None, schema_category(done, cat),
                                          subcount, additive, q.start)
            return MeasureReading(name, None, phrase.strip() or None, schema_category(name, cat),
                                  subcount, additive, q.end + cont)
    if cat == "unknown":
        return None
    subj = cat or "none"
    # (b) a trigger just before the number: "killing at least 15 people", "shot down more than 80 drones"
    tail = before[-130:]
    for name, spec in measures.items():
        if spec["before"] is None or subj not in spec["subjects"]:
            continue
        if spec["before"].search(tail):
            return MeasureReading(name, None, phrase.strip() or None, subj, subcount, additive, q.start)
    # (c) a trigger later in the same clause
    clause_start, clause = _clause_after(text, q.end + cont, sent_end, next_start, breaks)
    found = None
    for name, spec in measures.items():
        if spec["after"] is None or subj not in spec["subjects"]:
            continue
        am = spec["after"].search(clause)
        if am and (_NEGATED.search(clause[:am.start()])
                   or (name != "missing" and _MODAL.search(clause[:am.start()]))):
            # "three drones were not intercepted", "they could be executed"; but "20 people may still be
            # trapped" is how the missing are counted (dev gold), not a hypothetical
            continue
        if am and (found is None or am.start() < found[1] or (am.start() == found[1] and am.end() > found[2])):
            found = (name, am.start(), am.end())
    if found:
        return MeasureReading(found[0], None, phrase.strip() or None, subj, subcount, additive,
                              clause_start + found[2])
    # (d) a munition set in a place with no verb: "“two missiles” in Druzhkivka"
    for name, spec in measures.items():
        if subj in spec["default_for"] and re.match(r"[”\"’']?\s*(?:in|at|on|near)\s+[A-Z]", text[q.end + cont:sent_end]):
            return MeasureReading(name, None, phrase.strip() or None, subj, subcount, additive)
    return None


def schema_category(measure: str, cat: str | None) -> str:
    """The schema's subject category for what the reading found ("none" and "unknown" are ours)."""
    if measure == "explosions":
        return "other"
    if cat in (None, "unknown", "none"):
        return {"hit": "missiles", "fired": "missiles"}.get(measure, "people")
    if measure in ("killed", "wounded", "casualties", "missing", "captured", "evacuated") and cat == "missiles":
        return "people"
    return cat
