"""Assemble claims: each counted number with its measure, source, stance, subject, date and place.

Runs only on sentences that hold a number (the cheap filter that keeps the extractor fast), and
reads every layer the earlier components produced (quantities, dates, places) by offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.analyse.anchoring import earlier_town, incident_dates, incident_places, is_reference_point
from claimledger.analyse.attribution import (
    SPEECH_CUE,
    find_speakers,
    introduced_persons,
    is_russian_outlet,
    resolve_pronoun,
    stance_of,
)
from claimledger.analyse.measures import (
    MeasureReading,
    allows,
    asked_not_done,
    measure_before,
    read_measure,
    relation_to_others,
    schema_category,
    subject_of,
)
from claimledger.analyse.not_claims import harm_outside_war
from claimledger.analyse.regex_starts import word_scan
from claimledger.analyse.sides import attacker_side, subject_side
from claimledger.analyse.syntax import governor, may_be_counterfactual, parse_together, wants_parse
from claimledger.data import pattern, setting
from claimledger.records import Claim, DateSpan, Evidence, Place, Quantity, Source, Subject

_LEX = "lexicons/incident.yaml"
INCIDENT_MEASURES = {"killed", "wounded", "casualties", "missing", "captured", "hit", "fired", "intercepted",
                     "destroyed", "damaged", "destroyed_or_damaged", "explosions"}


PEOPLE_MEASURES = {"killed", "wounded", "casualties", "missing"}
HARMED = PEOPLE_MEASURES | {"evacuated"}   # people a crime, an accident or nature can also harm
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def is_period_sentence(sentence: str) -> bool:
    """A running total ("since February", "in the war"), unless a superlative makes "since" a
    comparison of one incident with earlier ones ("the deadliest attack since April")."""
    for m in pattern(_LEX, "period_markers").finditer(sentence):
        if not (m.group(0).lower().startswith("since")
                and pattern(_LEX, "comparison_before_period", bounded=False).search(sentence[:m.start()])):
            return True
    return False


def is_history_sentence(sentence: str, published: str | None) -> bool:
    """A sentence that names an earlier year ("in 1994", "the 2014 annexation") or a disaster
    speaks of history or nature, not of the report's incidents."""
    if word_scan(_LEX, "disasters").search(sentence):
        return True
    if not published or len(published) < 4 or not published[:4].isdigit():
        return False
    limit = int(published[:4]) - setting(_LEX, "history.years_before_publication")
    return any(int(y) < limit for y in _YEAR.findall(sentence))


@dataclass
class Candidate:
    """A claim plus what later stages need and the record does not carry."""

    claim: Claim
    sentence: int
    reading: MeasureReading
    background: bool            # a period total ("since February"): no incident, no date
    dated_here: bool            # the date came from the claim's own sentence
    placed_here: bool
    pointed: Place | None = None   # "killed there alone": the town the paragraph named, when no incident places it


def _nearest(items, lo: int, hi: int, pos: int, key=lambda x: (x.start if hasattr(x, "start") else x.evidence.start)):
    best, dist = None, None
    for it in items:
        s = key(it)
        if lo <= s < hi:
            d = abs(s - pos)
            if dist is None or d < dist:
                best, dist = it, d
    return best


def _coordinate(text: str, readings: list, quants: list) -> None:
    """A number with no verb of its own takes the measure of the number it is coordinated with:
    'Two aid workers, and five other people, died' (the next one), 'launched 84 missiles and 24
    drones' (the previous one), when that measure can count its subject."""
    def inherit(i: int, j: int, gap: str) -> None:
        r = readings[j]
        if quants[i].currency or quants[i].percent:
            return  # "2.2 million lives and $900 billion": a sum of money is never a count of people
        phrase, cat = subject_of(text, quants[i])
        if cat == "unknown":
            return
        measure = r.measure
        if not allows(measure, cat):
            # "lost 200 tanks and 5,000 soldiers": the trigger before the first number, read for this noun
            if cat in ("none", "people"):
                return
            measure = measure_before(text[max(0, quants[j].start - 60):quants[j].start], cat)
            if measure is None:
                return
        people = measure in ("killed", "wounded", "missing", "captured", "evacuated")
        sub = r.subcount and bool(re.search(r"\b(?:including|among them|among whom)\s", text[max(0, quants[i].start - 60):quants[i].start]))
        readings[i] = MeasureReading(measure, r.unit, phrase or None, cat if cat != "none" else r.category,
                                     sub, people and not sub)  # "including two X and 1 Y": both parts

    for i in range(len(readings) - 2, -1, -1):
        if readings[i] is None and readings[i + 1] is not None:
            gap = text[quants[i].end:quants[i + 1].start]
            if re.fullmatch(r"[\s\w’'-]{0,40}?,?\s*(?:and|or)\s*", gap):
                inherit(i, i + 1, gap)
    for i in range(1, len(readings)):
        if readings[i] is None and readings[i - 1] is not None:
            gap = text[quants[i - 1].end:quants[i].start]
            if re.fullmatch(r"[\s\w’'-]{0,40}?,?\s*(?:and|as well as)\s*", gap):
                inherit(i, i - 1, gap)


def _parsed_reading(text: str, q, parse) -> MeasureReading | None:
    """The measure of a number the word windows left unread, from the word that governs it in the
    parse ("30 were rescued" after a comma, "were likely to have died", "made up of 15 servicemen")."""
    subject = _parse_subject(text, q)
    if subject is None or asked_not_done(text[parse.start:q.start]):
        return None
    phrase, cat = subject
    subj = cat if cat != "none" else "none"
    gov = governor(parse, q.core_start, lambda m: allows(m, subj))
    if gov is None or gov.negated or gov.modal:
        return None
    subcount, additive = relation_to_others(text[max(0, q.start - 60):q.start], text[q.end:q.end + 60])
    return MeasureReading(gov.measure, None, phrase or None, schema_category(gov.measure, subj),
                          subcount, additive, trigger_end=gov.end)


def _parse_subject(text: str, q) -> tuple[str, str] | None:
    """The counted phrase and its category when the parse may give this number a measure: not a
    sum of money or a share, and a subject the measures can hold."""
    if q.currency or q.percent:
        return None
    phrase, cat = subject_of(text, q)
    return None if cat == "unknown" else (phrase, cat)


def _counterfactual(text: str, q, parse, reading: MeasureReading) -> bool:
    """The rules read a trigger; the parse shows it negated or under a modal ("could have been
    killed", "were not injured"): possible, not done, so no claim (measured on dev and the ACLED
    notes: the parse wins here). A sentence with no word that could negate or be a modal needs no
    parse to say no."""
    if not may_be_counterfactual(parse.text):
        return False
    gov = governor(parse, q.core_start, lambda m: m == reading.measure)
    return gov is not None and (gov.negated or gov.modal)


def _include_in(text: str, readings: list, quants: list) -> None:
    """'killed 12, including five children, and injured 18': a sub-count introduced by "including"
    counts what the number before it counts, whatever verb follows the parenthesis; after a killed
    and a wounded count joined by "and" ("34 were killed and 285 injured -- including 10 children")
    it counts the dead and the hurt together, unsplit. A breakdown opened by a dash or a colon
    ("98 wounded people -- 16 children, 46 women and 36 men") counts what its total counts."""
    for i in range(1, len(readings)):
        r, prev = readings[i], readings[i - 1]
        if r is None and prev is not None and not quants[i].currency and not quants[i].percent and re.fullmatch(
                r"[\s\w’'-]{0,30}?\s*(?:--|—|–|:)\s*", text[quants[i - 1].end:quants[i].start]):
            # "98 wounded people -- 16 children, 46 women and 36 men": a breakdown of the total before it
            phrase, cat = subject_of(text, quants[i])
            if cat not in ("unknown", "none") and allows(prev.measure, cat):
                readings[i] = MeasureReading(prev.measure, prev.unit, phrase or None,
                                             schema_category(prev.measure, cat), True, False)
            continue
        if r is None or prev is None or not r.subcount:
            continue
        gap = text[quants[i - 1].end:quants[i].start]
        if not (re.search(r"^[^.;]{0,60}?(?:,|--|—|–)\s*(?:including|among them|among whom|of whom)\s*$", gap, re.I)
                and allows(prev.measure, r.category)):
            continue
        pair = i >= 2 and readings[i - 2] is not None and {readings[i - 2].measure, prev.measure} == {"killed", "wounded"} \
            and re.fullmatch(r"[^.;,]{0,40}?\band\s*", text[quants[i - 2].end:quants[i - 1].start]) is not None
        measure = "casualties" if pair else prev.measure
        if measure != r.measure:
            readings[i] = MeasureReading(measure, r.unit, r.subject_text, r.category, True, r.additive, r.trigger_end)


def assemble_claims(doc) -> None:
    text = doc.text
    meta = doc.meta
    russian = is_russian_outlet(meta.outlet)
    by_sentence: dict[int, list] = {}
    for q in doc.quantities:
        by_sentence.setdefault(doc.sentence_index(q.core_start), []).append(q)
    doc_country = next((p.country for p in doc.places if p.country), None)   # the first place it names
    rule_readings = _rule_readings(doc, by_sentence)
    history: list[Source] = []
    voiced: dict[int, Source] = {}   # sentence -> the first named source speaking in it
    candidates: list[Candidate] = []
    for si, span in enumerate(doc.sentences):
        quants = by_sentence.get(si)
        speakers, first = _voices(text, span, bool(quants), russian, history)
        if first is not None:
            voiced[si] = first
        if not quants:
            continue
        readings = rule_readings[si]
        parse = doc.syntax.get(si)
        if parse is not None:
            for i, q in enumerate(quants):
                if readings[i] is None:
                    readings[i] = _parsed_reading(text, q, parse)
                elif _counterfactual(text, q, parse, readings[i]):
                    readings[i] = None
        _coordinate(text, readings, quants)
        _include_in(text, readings, quants)
        sentence = text[span.start:span.end]
        stance = stance_of(sentence)
        background_sentence = is_period_sentence(sentence) or is_history_sentence(sentence, meta.published)
        attacker = attacker_side(sentence)
        places = incident_places(doc, span.start, span.end)
        dates = incident_dates(doc, span.start, span.end)
        clauses = _clauses(text, quants, span.start, span.end)
        for q, reading, (lo, hi) in zip(quants, readings, clauses, strict=True):
            if reading is None:
                continue
            source = _source_for(q, speakers or [], history, quants)
            background = background_sentence or (not dates and word_scan(_LEX, "cumulative_verbs").search(sentence)
                                                 is not None and word_scan(_LEX, "attack_words").search(sentence) is None)
            if reading.measure in HARMED and harm_outside_war(sentence):
                continue  # a school shooting, a training crash, a famine: people harmed, not by the war
            if reading.measure in PEOPLE_MEASURES:
                size = q.value if q.value is not None else (q.min or 0)
                if size >= setting(_LEX, "limits.people_count_max"):
                    continue  # wars, famines and epidemics of the past, or a hypothetical: never a claim
                background = background or size >= setting(_LEX, "limits.incident_toll_min_total")
            date_m = None if background else _nearest(
                [d for d in dates if lo <= d.start < hi] or dates, span.start, span.end, q.core_start)
            located = [p for p in places if not is_reference_point(text, p)] or places
            located = [p for p in located if lo <= p.evidence.start < hi] or located
            place = _nearest([p for p in located if p.precision in ("point", "admin2")], span.start, span.end,
                             q.core_start, key=lambda p: p.evidence.start) or \
                _nearest(located, span.start, span.end, q.core_start, key=lambda p: p.evidence.start)
            pointed = earlier_town(doc, si) if place is None and not places else None
            if reading.measure == "money":
                place = None  # aid is pledged by one country to another: the recipient, placed with the rest
            date = DateSpan(date_m.text, date_m.start_date, date_m.end_date) if date_m else None
            # whose people were hurt, when nothing else says: the incident's country, else the report's
            # (the fled: the report's country they flee, not the one the claim places them in)
            home = ((place.country if place else None) or doc_country) if reading.measure in PEOPLE_MEASURES else \
                doc_country if reading.measure == "evacuated" else None
            subj_side = subject_side(reading.subject_text or "", sentence, source.side, reading.category, attacker,
                                     home, reading.measure in PEOPLE_MEASURES)
            claim = Claim(
                id="", evidence=Evidence(sentence, span.start, span.end), source=source, stance=stance,
                measure=reading.measure,
                quantity=Quantity(q.text, q.value, q.min, q.max, q.approximate),
                subject=Subject(reading.subject_text, schema_category(reading.measure, reading.category), subj_side),
                unit=reading.unit, date=date, place=place)
            candidates.append(Candidate(claim, si, reading, background, date_m is not None, place is not None,
                                        pointed if reading.measure != "money" else None))
    _relayed(candidates, voiced)
    doc.candidates = _dedupe(candidates)
    for n, cand in enumerate(doc.candidates, 1):
        cand.claim.id = f"{meta.id}:{n}"
    doc.claims = [c.claim for c in doc.candidates]


def _rule_readings(doc, by_sentence: dict[int, list]) -> dict[int, list]:
    """Each counted number's reading by the word-window rules, sentence by sentence; then the chosen
    sentences whose parse the claims stage will read are parsed in one batch (the parser costs about
    a third less per sentence for two sentences at a time than for one, and gives the same trees)."""
    text, out, wanted = doc.text, {}, []
    for si, quants in by_sentence.items():
        span, readings = doc.sentences[si], []
        for i, q in enumerate(quants):
            prev_end = quants[i - 1].end if i else span.start
            nxt = quants[i + 1].start if i + 1 < len(quants) else None
            readings.append(read_measure(text, q, span.start, span.end, prev_end, nxt))
        out[si] = readings
        parse = doc.syntax.get(si)
        if parse is not None and any(_reads_parse(text, q, r, parse) for q, r in zip(quants, readings, strict=True)):
            wanted.append(parse)
    parse_together(wanted)
    return out


def _reads_parse(text: str, q, reading: MeasureReading | None, parse) -> bool:
    """Whether :func:`_parsed_reading` or :func:`_counterfactual` will read this number's parse."""
    if reading is not None:
        return may_be_counterfactual(parse.text)
    return _parse_subject(text, q) is not None


def _voices(text: str, span, counted: bool, russian: bool, history: list[Source]) -> tuple[list, Source | None]:
    """The sentence's speakers (when it has a number or a speech cue), each resolved against the
    speakers before it and added to ``history``, and the first named one; a sentence where nobody
    speaks may still introduce the person a later "he said" refers to."""
    speakers, first = [], None
    if counted or SPEECH_CUE.search(text, span.start, span.end):
        speakers = find_speakers(text, span.start, span.end, russian)
        for sp in speakers:
            src = resolve_pronoun(sp, history)
            if src.kind != "unattributed" and src.name:
                history.append(src)
                first = first or src
    if not speakers and not wants_parse(text, span.start, span.end):
        history.extend(introduced_persons(text, span.start, span.end))
    return speakers, first


def _clauses(text: str, quants: list, start: int, end: int) -> list[tuple[int, int]]:
    """The stretch of the sentence each number's own place and day are read from.

    "At least 19 people died when a missile hit a mall in Kremenchuk in late June and 21 people were
    killed when rockets hit the Odesa region this month": an "and" or ";" between two numbers ends
    the first one's clause. A clause that names no place or day falls back to the whole sentence
    ("killed 12 and injured 18 in Kharkiv")."""
    cuts = []  # cuts[i]: where the clause of number i ends and that of number i + 1 starts, if it does
    for a, b in zip(quants, quants[1:], strict=False):
        found = [m.start() for m in re.finditer(r"\band\b|;", text[a.end:b.start])]
        cuts.append(a.end + found[-1] if found else None)
    return [(next((c for c in reversed(cuts[:i]) if c is not None), start),
             next((c for c in cuts[i:] if c is not None), end)) for i in range(len(quants))]


def _relayed(candidates: list[Candidate], voiced: dict[int, Source]) -> None:
    """An unattributed sentence between two sentences of one source relays that source: "Cities in
    five regions came under fire, the office said. Nine civilians were killed in Donetsk province.
    Rockets hit Sloviansk, the office said." The outlet does not repeat the frame on every line."""
    for cand in candidates:
        si = cand.sentence
        before, after = voiced.get(si - 1), voiced.get(si + 1)
        if cand.claim.source.kind == "unattributed" and before is not None and after is not None \
                and (before.name == after.name or (before.side == after.side != "unknown" and before.kind == after.kind)):
            cand.claim.source = Source(mention=None, name=before.name, kind=before.kind, side=before.side)


def _source_for(q, speakers, history, quants=()) -> Source:
    """The nearest frame's speaker; but reports nobody owns ("initial reports announced that 11
    were killed, the ministry said") are relayed by a named speaker whose frame follows the number
    and no number follows the frame: the named speaker owns the whole statement, unless it gives a
    figure of its own ("..., but the governor said 9 died")."""
    if not speakers:
        return Source(mention=None, name=None, kind="unattributed", side="unknown")
    best = min(speakers, key=lambda sp: abs(sp.start - q.core_start))
    if best.source.kind == "unattributed" and best.source.mention and best.start < q.core_start:
        after = [sp for sp in speakers if sp.start > q.core_start and sp.source.kind != "unattributed"
                 and not any(o.core_start > sp.start for o in quants)]
        if after:
            best = min(after, key=lambda sp: sp.start)
    return resolve_pronoun(best, history)


def _key(c: Claim):
    q = c.quantity
    return (c.measure, q.value, q.min, q.max, c.unit)


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One claim per (source, measure, subject, quantity); the outlet restating a named source's
    figure in its own voice is the same claim as the named source's."""
    out: list[Candidate] = []
    attributed = {}
    for c in cands:
        if c.claim.source.kind != "unattributed":
            attributed.setdefault(_key(c.claim), c)
    seen = set()
    for c in cands:
        k = _key(c.claim)
        src = c.claim.source.name or c.claim.source.mention or ""
        # "two schools" and, later, "two apartment buildings": things of one category, counted apart
        thing = (c.claim.subject.text or "").lower() if c.claim.measure not in PEOPLE_MEASURES else ""
        full = (src.lower(), c.claim.subject.category, thing, *k)
        if full in seen:
            continue
        seen.add(full)
        out.append(c)
    return out
