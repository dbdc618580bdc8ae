"""The conflict registry: parties from every war, and reports of five new wars read like Russia-Ukraine.

Each report below is written for this test (no real article): two opposed sources, one admitting its
own side's dead, the other counting the enemy's. The ledger must come out as it does for Russia and
Ukraine: the admission is the floor and ``best``, the boast only raises ``high``.
"""

from __future__ import annotations

import re

import pytest

from claimledger.analyse import parties
from claimledger.analyse.attribution import normalise
from claimledger.ledger.reconcile import ClaimInput, number_context, reconcile
from claimledger.pipeline import default_pipeline
from claimledger.records import Article

# family: (report, conflict, admitting party, boasting party, admitted dead, boasted dead)
FAMILIES = {
    "russia-ukraine": ("The Russian Defence Ministry said 63 of its servicemen were killed in a strike on Makiivka on "
                       "Monday. The Ukrainian General Staff said 400 Russian soldiers were killed in the strike.",
                       "russia-ukraine", "russia", "ukraine", 63, 400),
    "gaza": ("The Israeli military said two of its soldiers were killed in fighting in Khan Younis on Tuesday. "
             "The Qassam Brigades, the armed wing of Hamas, said its fighters had killed 15 Israeli soldiers in the "
             "battle.", "israel-gaza", "israel", "hamas", 2, 15),
    "sudan": ("The Rapid Support Forces said 12 of its fighters were killed in clashes in El Fasher on Monday. "
              "The Sudanese army said it had killed 80 RSF fighters in the battle.", "sudan", "rsf", "saf", 12, 80),
    "sahel": ("The Malian army said five of its soldiers were killed in an ambush near Boulkessi on Sunday. JNIM "
              "said in a statement that its fighters had killed 40 Malian soldiers in the attack.",
              "sahel", "mali", "jnim", 5, 40),
    "yemen": ("The Houthis said four of their fighters were killed in clashes in Marib on Friday. Yemeni "
              "government forces said they had killed 30 Houthi fighters in the fighting.",
              "yemen", "houthis", "yemen_government", 4, 30),
    "myanmar": ("The junta said three of its soldiers were killed when resistance fighters attacked a base in "
                "Sagaing on Wednesday. The People's Defence Force said its fighters killed 25 junta soldiers in "
                "the attack.", "myanmar", "myanmar_military", "pdf", 3, 25),
}


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def test_every_conflict_names_known_parties_with_slug_ids():
    reg = parties.registry()
    assert {"russia-ukraine", "israel-gaza", "israel-lebanon", "sudan", "sahel", "somalia", "yemen", "syria",
            "myanmar", "ethiopia", "dr-congo", "nigeria"} <= {c.id for c in reg.conflicts}
    for c in reg.conflicts:
        assert c.parties and {camp for _, camp in c.camps} <= {"A", "B"}
        for pid in c.parties:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", pid) and parties.party(pid).acled
    assert set(parties.side_values()) >= {"russia", "ukraine", "third_party", "unknown", "hamas", "rsf", "jnim"}


@pytest.mark.parametrize("mention, side", [
    ("the Hamas-run Gaza Health Ministry", "hamas"),
    ("the Israeli military", "israel"),
    ("Sudan's health ministry", "saf"),
    ("the Houthi-run health ministry", "houthis"),
    ("a junta spokesman", "myanmar_military"),
    ("the Iran-backed Houthis", "houthis"),
    ("the Russian Defence Ministry", "russia"),
    ("United Nations officials", "third_party"),
])
def test_a_speaker_is_on_its_partys_side_not_its_countrys(mention, side):
    assert normalise(mention).side == side


def test_opposed_parties_follow_the_camps():
    assert parties.opposed("saf", "rsf") and parties.opposed("israel", "hamas") and parties.opposed("russia", "ukraine")
    assert not parties.opposed("hamas", "pij")          # one camp
    assert not parties.opposed("israel", "third_party")  # not a party


@pytest.mark.parametrize("family", list(FAMILIES))
def test_two_opposed_sources_give_distinct_parties_and_an_admission_floor(nlp, family):
    text, conflict, admits, boasts, admitted, boasted = FAMILIES[family]
    doc = nlp(Article(text=text, published="2024-05-10", outlet="Example Wire"))
    killed = [c for c in doc.claims if c.measure == "killed"]
    assert {c.source.side for c in killed} == {admits, boasts}
    assert all(c.conflict == conflict for c in killed) and doc.events[0].conflict == conflict
    own = next(c for c in killed if c.source.side == admits)
    enemy = next(c for c in killed if c.source.side == boasts)
    assert own.subject.side == admits and enemy.subject.side == admits   # both count the admitting side's dead
    assert own.quantity.value == admitted and enemy.quantity.value == boasted
    items = [ClaimInput(c, "d1", "2024-05-10", "Example Wire", *number_context(c, doc.text)) for c in killed]
    deaths, _ = reconcile("killed", items)
    assert (deaths.low, deaths.best, deaths.high) == (admitted, admitted, boasted)
    ev = doc.events[0].deaths
    assert (ev.low, ev.high) == (admitted, boasted)


def test_the_outlets_own_voice_stays_unknown_and_a_generic_official_takes_the_wars_state_party(nlp):
    doc = nlp(Article(text="Seven civilians were killed in an air strike in Nyala on Monday, the health ministry said. "
                           "Three more people died in Nyala on Monday.", published="2024-05-10",
                      outlet="Sudan Tribune"))
    sides = {c.source.kind: c.source.side for c in doc.claims}
    assert doc.claims and all(c.conflict == "sudan" for c in doc.claims)
    assert sides.get("unattributed", "unknown") == "unknown"
    assert sides.get("government") == "saf"


def test_an_official_with_no_side_words_speaks_for_the_party_whose_state_the_claim_is_in(nlp):
    # the plain default (the war's first state) would give the dead of a Russian city to Ukraine
    doc = nlp(Article(text="Officials said two people were killed in an explosion in Belgorod on Sunday. "
                           "Officials said four people were killed in shelling in Kharkiv on Sunday.",
                      published="2022-07-04"))
    got = {c.quantity.value: (c.source.side, c.subject.side) for c in doc.claims}
    assert got[2] == ("russia", "russia")
    assert got[4] == ("ukraine", "ukraine")


def test_a_side_read_from_the_reports_context_is_kept_over_the_places_state(nlp):
    # a Russian outlet's officials in an occupied town of Ukraine stay Russia's; a named side is never moved
    doc = nlp(Article(text="Officials said five people were injured in shelling of Horlivka on Saturday. "
                           "Ukrainian officials said three people were killed in Belgorod on Saturday.",
                      published="2022-07-04", outlet="TASS"))
    got = {c.quantity.value: c.source.side for c in doc.claims}
    assert got[5] == "russia"
    assert got[3] == "ukraine"


def test_a_report_about_no_war_has_no_conflict_and_no_belligerent_default(nlp):
    doc = nlp(Article(text="Two people were killed when a bus overturned near Lyon on Monday, police said.",
                      published="2024-05-10"))
    assert all(c.conflict is None and c.source.side == "unknown" for c in doc.claims)


def test_every_party_id_fits_the_ledger_side_columns():
    """A party id longer than the ledger's side columns made every report naming it unstorable."""
    from claimledger.analyse.parties import registry
    from claimledger.ledger.db import SIDE_LENGTH, metadata

    assert max(len(pid) for pid in registry().parties) <= SIDE_LENGTH
    for table, column in (("claims", "source_side"), ("claims", "subject_side"),
                          ("doc_events", "initiator_side"), ("ledger_events", "target_side")):
        assert metadata.tables[table].c[column].type.length == SIDE_LENGTH


def test_a_capitalised_party_acronym_is_not_an_arabic_article():
    from claimledger.analyse.parties import parties_in
    assert not parties_in("On 3 May 2022, clashes in Bir Al-Abd killed two people.")
    assert not parties_in("Fighting near al-Arish left three dead.")


@pytest.mark.parametrize("sentence", [
    "Russian-backed separatists shelled the town, and Ukrainian forces returned fire.",
    "The RSF and the Sudanese army traded blame after the attack claimed by al-Shabaab.",
    "Hamas said Israeli strikes hit the camp; the Houthis fired drones at ships.",
    "Nobody was named in this sentence at all.",
    "JNIM fighters ambushed Malian soldiers near the border with Burkina Faso.",
    "Clashes in Bir Al-Abd and near al-Arish killed two people, the AL said.",
])
def test_parties_tried_only_where_a_marker_starts_are_those_a_search_finds(sentence):
    """sides._present tries each party only at marker_starts: the same parties, in the same order,
    as searching the sentence once per party."""
    from claimledger.analyse import sides

    by_search = [pid for pid, rx in sides._patterns() if rx["any"].search(sentence)]
    assert [pid for pid, _ in sides._present(sentence)] == by_search
