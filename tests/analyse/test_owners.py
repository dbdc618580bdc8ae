"""Constructions the out-of-sample audit (bench/claims_audit.py) found common in real news: the party
a firing or losing verb is said of owns what is counted; a country said to fire or lose is the party
acting, not the place; a sum asked for is not a sum given. Sentences are the project's own."""

import pytest

from analyse.claim_texts import by_value, claims
from claimledger.pipeline import default_pipeline


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def test_munitions_a_party_fired_are_its_own_though_the_other_side_shot_them_down(nlp):
    cs = claims(nlp, "The governor said that of the 40 cruise missiles Russia fired on Monday, "
                     "Ukrainian air defences shot down 31.")
    c = by_value(cs, 40)
    assert c.measure == "fired" and c.subject.side == "russia"
    assert c.place is None or c.place.name != "Russia"


def test_losses_a_speaker_reports_of_the_enemy_are_the_enemys(nlp):
    c = by_value(claims(nlp, "The Ukrainian General Staff said Russia had lost 210 tanks in its war in Ukraine so far."), 210)
    assert c.subject.side == "russia"
    assert c.place is not None and c.place.name == "Ukraine"


def test_a_plural_demonym_firing_owns_its_missiles(nlp):
    c = by_value(claims(nlp, "During the night raid on Kharkiv the Russians fired at least nine missiles, the mayor said."), 9)
    assert c.measure == "fired" and c.subject.side == "russia"


def test_firing_says_nothing_of_whose_people_were_killed(nlp):
    c = by_value(claims(nlp, "Ukrainian forces fired on Russian positions near Izium, killing 14 soldiers, "
                             "the General Staff said."), 14)
    assert c.subject.side == "russia"


def test_a_sum_asked_for_is_not_a_sum_given(nlp):
    text = ("The president asked Congress for $12bn in military aid for Ukraine on Tuesday. "
            "Lawmakers are seeking $3bn more in humanitarian assistance. "
            "The United States has already sent $4bn in military aid to Ukraine.")
    assert [c.quantity.value for c in claims(nlp, text) if c.measure == "money"] == [4_000_000_000]


def test_people_hurt_with_no_side_word_are_of_the_incidents_country(nlp):
    text = ("The head of the village council said three people were killed and 11 were wounded "
            "when shells hit the village of Vilkhivka, near Kharkiv.")
    cs = claims(nlp, text)
    assert {c.quantity.value: c.subject.side for c in cs} == {3: "ukraine", 11: "ukraine"}


def test_a_party_named_in_the_sentence_keeps_the_elided_count_on_its_side(nlp):
    c = by_value(claims(nlp, "The regiment also captured 12 and killed 17 Russian soldiers near Izium."), 17)
    assert c.subject.side == "russia"


def test_people_counted_without_a_noun_after_a_partys_attack_are_its_opponents(nlp):
    text = ("A Russian rocket attack on the market of the town of Kostiantynivka killed four and wounded nine, "
            "the regional governor said.")
    cs = claims(nlp, text)
    assert {c.quantity.value: c.subject.side for c in cs} == {4: "ukraine", 9: "ukraine"}


def test_people_who_fled_with_no_side_word_are_of_the_country_they_flee(nlp):
    text = ("Shelling continued in Kharkiv on Sunday. "
            "Since the invasion began, about 2 million refugees have left for neighbouring countries.")
    (c,) = [c for c in claims(nlp, text) if c.measure == "evacuated"]
    assert c.subject.side == "ukraine"


def test_a_plant_named_after_a_unit_does_not_name_the_units_side(nlp):
    text = ("Another 60 civilians were evacuated from the Azovstal plant in Mariupol over the weekend. "
            "About 600 wounded Azovstal defenders remain in the bunkers, the commander said.")
    cs = claims(nlp, text)
    assert by_value(cs, 60).subject.side == "ukraine"
    assert by_value(cs, 600).subject.side == "ukraine"


def test_home_side_is_a_registry_property_of_a_state_fighting_a_state(nlp):
    from claimledger.analyse.parties import home_party

    assert home_party("UA") == "ukraine" and home_party("IL") == "israel"
    assert home_party("SD") is None     # a civil war's government: its civilians are no party's
    c = by_value(claims(nlp, "Two people were killed when a rocket hit a house in Ashkelon on Tuesday."), 2)
    assert c.subject.side == "israel"


def test_targets_a_party_says_it_struck_are_its_opponents(nlp):
    text = ("The Russian Defence Ministry said on Tuesday that its forces struck 86 targets overnight, "
            "including command posts. Russian state media said Russia had hit 40 more targets near Lysychansk.")
    cs = claims(nlp, text)
    assert by_value(cs, 86).subject.side == "ukraine"
    assert by_value(cs, 40).subject.side == "ukraine"
