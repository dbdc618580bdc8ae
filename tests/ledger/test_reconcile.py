"""Each rule of the reconciliation policy (docs/reconciliation.md), on claims built by hand."""

from __future__ import annotations

import random

from claimledger.ledger.reconcile import ClaimInput, number_context, reconcile
from claimledger.records import Claim, DateSpan, Evidence, Quantity, Source, Subject

from .factory import place


def claim(cid, text, q, *, source=None, kind="official", side="unknown", subject="people", cat="people",
          subject_side="ukraine", stance="asserted", date=None, start=0, measure="killed", place_name=None):
    return Claim(id=cid, evidence=Evidence(text, start, start + len(text)),
                 source=Source(source, source, kind if source else "unattributed", side), stance=stance,
                 measure=measure, quantity=q, subject=Subject(subject, cat, subject_side),
                 date=DateSpan(date, date, date) if date else None, place=place(place_name))


def n(v, text=None, at_least=False):
    return Quantity(text or str(v), v, v, None if at_least else v)


def vague(text, lo, hi):
    return Quantity(text, None, lo, hi, True)


def item(c, doc="d1", published="2022-07-10", outlet="Outlet", body=None):
    before, after = number_context(c, body)
    return ClaimInput(c, doc, published, outlet, before, after)


def test_later_report_of_same_source_supersedes_and_is_kept_as_revision():
    a = item(claim("a:0", "officials said at least 15 were killed", n(15, "at least 15", True),
                   source="Donetsk regional administration", side="ukraine"), doc="a", published="2022-07-10")
    b = item(claim("b:0", "officials said 38 were killed", n(38), source="Donetsk regional administration",
                   side="ukraine"), doc="b", published="2022-07-12")
    deaths, revisions = reconcile("killed", [b, a])
    assert (deaths.low, deaths.best, deaths.high) == (38, 38, 38)
    assert [(r.source, r.from_, r.to, r.doc) for r in revisions] == [("Donetsk regional administration", 15, 38, "b")]
    assert any("superseded" in line and "a:0" in line and "b:0" in line for line in deaths.reasoning)


def test_downward_revision_in_a_later_report_also_supersedes():
    a = item(claim("a:0", "12 killed", n(12), source="State Emergency Service", side="ukraine"),
             doc="a", published="2022-05-01")
    b = item(claim("b:0", "toll revised to 9", n(9), source="State Emergency Service", side="ukraine"),
             doc="b", published="2022-05-02")
    deaths, revisions = reconcile("killed", [a, b])
    assert (deaths.low, deaths.best, deaths.high) == (9, 9, 9)
    assert revisions[0].from_ == 12 and revisions[0].to == 9


def test_rose_from_15_to_38_in_one_report_is_a_revision():
    body = "The death toll rose from 15 to 38 on Tuesday, officials said."
    c1 = claim("d:0", body, n(15, "15"), source="Ukrainian officials", side="ukraine", start=0)
    c2 = claim("d:1", body, n(38, "38"), source="Ukrainian officials", side="ukraine", start=0)
    # evidence is the same sentence; the number's position decides the order
    c2.evidence = Evidence("38 on Tuesday", body.index("38"), body.index("38") + len("38 on Tuesday"))
    c1.evidence = Evidence("15 to 38", body.index("15"), body.index("15") + 8)
    deaths, revisions = reconcile("killed", [item(c2, body=body), item(c1, body=body)])
    assert (deaths.low, deaths.best) == (38, 38)
    assert [(r.from_, r.to) for r in revisions] == [(15, 38)]


def test_smaller_later_figure_without_cue_is_a_breakdown_not_a_revision():
    body = "At least 50 people were killed. Kyrylenko said 38 died at the scene, while 12 died in hospitals."
    parts = [("50", "At least 50 people were killed", n(50, "At least 50", True)),
             ("38", "38 died at the scene", n(38)), ("12", "12 died in hospitals", n(12))]
    items = []
    for i, (_num, text, q) in enumerate(parts):
        start = body.index(text)
        items.append(item(claim(f"d:{i}", text, q, source="Pavlo Kyrylenko", side="ukraine", start=start),
                          body=body))
    deaths, revisions = reconcile("killed", items)
    assert (deaths.low, deaths.best, deaths.high) == (50, 50, 50)
    assert revisions == []
    assert sum("breakdown" in line for line in deaths.reasoning) == 2


def test_subcount_is_never_summed_nor_used_as_the_total():
    body = "At least 50 people, including five children, were killed in the strike."
    total = claim("d:0", body, n(50, "At least 50", True), source="Ukrainian authorities", side="ukraine")
    kids = claim("d:1", "five children", n(5, "five"), source="Ukrainian authorities", side="ukraine",
                 subject="people", start=body.index("five"))
    deaths, _ = reconcile("killed", [item(total, body=body), item(kids, body=body)])
    assert (deaths.low, deaths.best, deaths.high) == (50, 50, 50)
    assert any("part of a total" in line and "d:1" in line for line in deaths.reasoning)


def test_subcount_by_subject_word_from_another_source():
    other = claim("e:0", "At least five children were killed", n(5, "At least five", True), source="local governor",
                  side="ukraine", subject="children", cat="civilians")
    total = claim("f:0", "52 people were killed", n(52), source="Ukrainian authorities", side="ukraine")
    deaths, _ = reconcile("killed", [item(other, doc="e"), item(total, doc="f")])
    assert deaths.low == 52


def test_only_subcounts_give_a_floor():
    kids = claim("d:0", "five children were among the dead", n(5, "five"), source="Ukrainian officials",
                 side="ukraine", subject="children", cat="civilians")
    deaths, _ = reconcile("killed", [item(kids)])
    assert (deaths.low, deaths.best) == (5, 5)
    assert any("only sub-counts" in line for line in deaths.reasoning)


def test_own_side_admission_is_a_floor_and_enemy_count_only_raises_high():
    admit = claim("m:0", "63 servicemen were killed", n(63), source="Russian Ministry of Defence", kind="military",
                  side="russia", subject="servicemen", cat="military", subject_side="russia")
    boast = claim("m:1", "nearly 400 Russian soldiers", Quantity("nearly 400", 400, None, 400, True),
                  source="Ukrainian General Staff", kind="military", side="ukraine", subject="soldiers",
                  cat="military", subject_side="russia")
    low_third = claim("m:2", "at least 40 were killed", n(40, "at least 40", True), source="independent monitors",
                      kind="ngo", side="third_party", subject="soldiers", cat="military", subject_side="russia")
    deaths, _ = reconcile("killed", [item(admit), item(boast), item(low_third)])
    assert deaths.low == 63          # floor: not the third party's lower 40, never the boast
    assert deaths.high == 400        # the boast raises high
    assert deaths.best == 63
    assert any("raised to 63" in line for line in deaths.reasoning)
    assert any("400" in line and "high" in line for line in deaths.reasoning)


def test_only_enemy_counts_leave_low_and_best_unknown():
    boast = claim("b:0", "destroyed 300 nationalists", n(300), source="Russian Ministry of Defence",
                  kind="military", side="russia", subject="nationalists", cat="military", subject_side="ukraine")
    deaths, _ = reconcile("killed", [item(boast)])
    assert (deaths.low, deaths.best, deaths.high) == (None, None, 300)


def test_third_party_outweighs_belligerent_for_best():
    un = claim("u:0", "the UN said 20 civilians", n(20), source="United Nations", kind="intl_org",
               side="third_party", subject="civilians", cat="civilians")
    other = claim("r:0", "Russian officials said 30", n(30), source="Russian officials", kind="official",
                  side="russia", subject="people", cat="people", subject_side="unknown")
    deaths, _ = reconcile("killed", [item(other, doc="r"), item(un, doc="u")])
    assert (deaths.low, deaths.best, deaths.high) == (20, 20, 30)


def test_vague_words_follow_acled_for_low_when_alone():
    for text, lo, hi, expect in [("several", 3, 9, 3), ("dozens", 24, 99, 12), ("hundreds", 200, 999, 100),
                                 ("scores of", 40, 199, 20)]:
        c = claim("v:0", f"{text} people were killed", vague(text, lo, hi))
        deaths, _ = reconcile("killed", [item(c)])
        assert deaths.low == expect, text
        assert deaths.high == hi, text


def test_vague_words_are_set_aside_when_numbers_exist():
    v = claim("v:0", "dozens were killed", vague("dozens", 24, 99), source="Ukrainian officials", side="ukraine")
    p = claim("p:0", "52 were killed", n(52), source="Pavlo Kyrylenko", side="ukraine")
    deaths, _ = reconcile("killed", [item(v, doc="v"), item(p, doc="p")])
    assert (deaths.low, deaths.best, deaths.high) == (52, 52, 52)
    assert any("vague" in line and "v:0" in line for line in deaths.reasoning)


def test_lowest_current_credible_figure_is_low_and_covers_earlier_outlet_counts():
    fox = claim("f:0", "killed at least 15 people", n(15, "at least 15", True))
    nbc = claim("n:0", "killed at least 19", n(19, "at least 19", True), source="Ukrainian officials",
                side="ukraine")
    cbs = claim("c:0", "rose to 38", n(38), source="Ukrainian authorities", side="ukraine")
    items = [item(fox, doc="f", published="2022-07-10", outlet="Fox"),
             item(nbc, doc="n", published="2022-07-10", outlet="NBC"),
             item(cbs, doc="c", published="2022-07-12", outlet="CBS")]
    deaths, revisions = reconcile("killed", items)
    assert (deaths.low, deaths.best, deaths.high) == (15, 38, 38)
    assert [(r.from_, r.to) for r in revisions] == [(19, 38)]   # "officials" and "authorities" are one voice


def test_background_and_denied_claims_are_set_aside():
    old = claim("b:0", "14,000 people died since 2014", n(14000), date="2014-06-01")
    denied = claim("b:1", "denied that 30 were killed", n(30), source="Russian Ministry of Defence",
                   side="russia", stance="denied", subject_side="russia")
    real = claim("b:2", "seven were killed", n(7), source="Kharkiv governor", side="ukraine", date="2022-07-11")
    deaths, _ = reconcile("killed", [item(old), item(denied), item(real)], event_date="2022-07-11")
    assert (deaths.low, deaths.best, deaths.high) == (7, 7, 7)
    assert any("dated 2014-06-01" in line for line in deaths.reasoning)
    assert any("denies" in line for line in deaths.reasoning)


def test_equipment_is_not_a_death_toll_and_no_claims_means_none():
    tanks = claim("t:0", "destroyed 12 tanks", n(12), measure="killed", cat="equipment")
    assert reconcile("killed", [item(tanks)]) == (None, [])


def test_wounded_is_reconciled_the_same_way():
    w = claim("w:0", "around 100 injured", Quantity("around 100", 100, None, None, True), measure="wounded")
    deaths, _ = reconcile("wounded", [item(w)])
    assert (deaths.low, deaths.best, deaths.high) == (100, 100, 100)


def test_result_does_not_depend_on_claim_order():
    cs = [item(claim("a:0", "50", n(50, "At least 50", True), source="Ukrainian authorities", side="ukraine"),
               doc="a", published="2022-04-08"),
          item(claim("b:0", "52", n(52, "At least 52", True), source="Ukrainian authorities", side="ukraine"),
               doc="b", published="2022-04-08"),
          item(claim("c:0", "50", n(50), source="Pavlo Kyrylenko", side="ukraine"), doc="c", published="2022-04-09"),
          item(claim("d:0", "scores of", vague("Scores of", 40, 199)), doc="d", published="2022-04-09"),
          item(claim("e:0", "hundreds", vague("hundreds", 200, 999), source="Russian MoD", side="russia",
                     subject_side="ukraine", cat="military"), doc="e", published="2022-04-09")]
    first = reconcile("killed", cs)
    rng = random.Random(7)
    for _ in range(10):
        shuffled = cs[:]
        rng.shuffle(shuffled)
        assert reconcile("killed", shuffled) == first


def test_own_and_enemy_dead_from_one_voice_are_two_figures_not_a_revision():
    own = item(claim("a:0", "three Ukrainian soldiers were killed", n(3), source="General Staff", kind="military",
                     side="ukraine", subject="Ukrainian soldiers", cat="military", subject_side="ukraine"))
    enemy = item(claim("a:1", "about 20 Russian soldiers were killed", Quantity("about 20", 20, None, None, True),
                       source="General Staff", kind="military", side="ukraine", subject="Russian soldiers",
                       cat="military", subject_side="russia", start=60))
    deaths, revisions = reconcile("killed", [own, enemy])
    assert (deaths.low, deaths.high) == (3, 20) and revisions == []
