"""Who said it and where it happened, read across sentence and clause boundaries.

Every text is written for the test; each covers a construction seen across many reports.
"""

import pytest

from claimledger.analyse.attribution import find_speakers, normalise
from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def claims(nlp, text, published="2022-06-10"):
    return {c.quantity.text: c for c in nlp(Article(text=text, published=published)).claims}


def speakers(s):
    return [(sp.source.name, sp.source.side) for sp in find_speakers(s, 0, len(s), False)]


def test_putting_a_number_at_is_a_statement():
    assert speakers("At one point, the Ukrainian military put the number of wounded at about 50.")[0][1] == "ukraine"


def test_an_office_that_registers_deaths_is_the_source():
    assert speakers("The United Nations human rights office has registered about 600 civilian deaths.")[0][1] \
        == "third_party"


def test_a_person_named_again_by_surname_speaks_for_the_same_office(nlp):
    got = claims(nlp, "Serhiy Haidai, governor of the Luhansk region, said shelling hit the town on Monday. "
                      "Mr Haidai said 14 people were killed.")
    assert got["14"].source.side == "ukraine"


def test_an_unattributed_line_between_two_of_one_source_relays_it(nlp):
    got = claims(nlp, "Towns in five regions came under fire on Thursday, the presidential office said. "
                      "Nine civilians were killed in Donetsk province. "
                      "Rockets hit a kindergarten in Sloviansk, the presidential office said.")
    assert got["Nine"].source.side == "ukraine"
    alone = claims(nlp, "Nine civilians were killed in Donetsk province on Thursday.")
    assert alone["Nine"].source.kind == "unattributed"


def test_each_clause_keeps_its_own_place(nlp):
    got = claims(nlp, "At least 19 people died when a missile hit a mall in Kremenchuk in late June and 21 people "
                      "were killed when rockets hit a building in the Odesa region this month.")
    assert got["At least 19"].place.name == "Kremenchuk"
    assert got["21"].place.admin1 == "Odesa"
    shared = claims(nlp, "Shelling killed 12 and injured 18 in Kharkiv on Monday.")
    assert shared["12"].place.name == "Kharkiv" and shared["18"].place.name == "Kharkiv"


def test_a_country_that_acts_is_no_place(nlp):
    got = claims(nlp, "Since Russia's invasion began, the UN has recorded at least 2,345 civilian deaths in Ukraine.")
    assert got["at least 2,345"].place.country == "UA"


def test_a_region_keeps_its_toll_when_towns_in_it_are_listed_next(nlp):
    got = claims(nlp, "Nine civilians were killed in Donetsk province on Thursday, officials said. "
                      "Rockets hit the cities of Sloviansk and Kramatorsk.")
    assert got["Nine"].place.precision == "admin1"


def test_the_day_given_with_a_reference_to_the_attack_dates_it(nlp):
    got = claims(nlp, "A rocket attack in Ukraine killed at least 15 people. The attack happened overnight "
                      "Saturday in the town of Chasiv Yar. Rescuers worked through Sunday.", published="2022-07-10")
    assert got["at least 15"].date.start == "2022-07-09"


def test_he_said_after_a_person_introduced_by_title(nlp):
    text = ("Footage of the shelled market spread quickly online. Among those who shared it was Petro Kovalenko, "
            "deputy head of the regional council. \"They have killed at least seven people queuing for water,\" "
            "he wrote on Telegram.")
    seven = claims(nlp, text)["at least seven"]
    assert "Kovalenko" in (seven.source.name or "")


def test_a_victim_named_with_a_title_is_no_speaker(nlp):
    text = ("The regional governor said Russian shelling hit the town on Monday. A missile killed Ivan Bondar, "
            "the mayor of the town, and two of his aides. \"Three people died,\" he said.")
    three = claims(nlp, text)["Three"]
    assert "Bondar" not in (three.source.name or "")


@pytest.mark.parametrize("sentence", [
    "An estimated 40,000 residents left the region last month.",
    "The alleged strike on the depot destroyed 12 trucks.",
    "Since March, the United States has provided more than $2 billion in aid.",
    "That said, 30 houses were damaged in the storm of shelling.",
])
def test_a_frame_word_used_as_a_name_noun_or_adjective_is_no_speaker(sentence):
    assert speakers(sentence) == []


def test_a_second_verb_of_speech_keeps_the_first_ones_speaker():
    got = speakers("Deputy mayor Ivan Petrenko said that 20 houses burned and believes more were hit.")
    assert got and {name for name, _ in got} == {"Ivan Petrenko"}   # the name, without its title


def test_an_abbreviation_cut_at_its_last_dot_is_still_the_organisation():
    got = speakers("More than 6 million people have fled the country, according to the U.N. refugee agency.")
    assert got == [("United Nations", "third_party")]


@pytest.mark.parametrize("sentence, name", [
    ("The European Commission last week said 12 people were killed.", "European Commission"),
    ("The regional governor last night told reporters that four people died.", "regional governor"),
])
def test_a_time_between_speaker_and_verb_is_not_part_of_the_speaker(sentence, name):
    assert [n for n, _ in speakers(sentence)] == [name]


@pytest.mark.parametrize("sentence, side", [
    ("Britain said 20 drones were shot down over the port.", "third_party"),
    ("Denmark said 40 people were evacuated by ship.", "third_party"),
    ("Ukraine said 12 Russian tanks were destroyed.", "ukraine"),
])
def test_a_state_named_as_speaker_is_its_government(sentence, side):
    got = find_speakers(sentence, 0, len(sentence), False)
    assert [(sp.source.kind, sp.source.side) for sp in got] == [("government", side)]


@pytest.mark.parametrize("mention", ["UK Defence Secretary James Holt", "Canadian officials", "Dutch investigators",
                                     "a senior defense official"])
def test_an_official_of_a_state_outside_the_war_is_a_third_party(mention):
    assert normalise(mention).side == "third_party"


def test_the_capital_alone_as_speaker_is_the_government():
    assert [name for name, _ in speakers("Kyiv says 30 drones were shot down overnight.")] == ["Ukrainian government"]


@pytest.mark.parametrize("sentence", [
    "Moscow is estimated to have lost more than 900 men in the battle.",
    "Preliminary reports suggest that at least six people died in the blast.",
    "Initial reports announced that nine soldiers had been wounded.",
])
def test_a_passive_or_ownerless_report_names_no_speaker(sentence):
    assert all(name is None for name, _ in speakers(sentence))


def test_reports_nobody_owns_are_relayed_by_the_named_speaker_whose_frame_ends_the_sentence(nlp):
    got = claims(nlp, "Initial reports announced that 11 people were killed in Kharkiv, the regional governor said.")
    assert got["11"].source.kind != "unattributed" and "governor" in got["11"].source.name


def test_an_ownerless_figure_stays_ownerless_when_the_named_speaker_gives_its_own(nlp):
    got = claims(nlp, "Initial reports said 11 people were killed in Kharkiv, but the regional governor said 9 died.")
    assert got["11"].source.kind == "unattributed"
    assert "governor" in got["9"].source.name


def test_it_refers_to_the_institution_not_to_the_person_who_spoke_since(nlp):
    got = claims(nlp, "The Russian Defence Ministry said its forces struck Kharkiv on Tuesday. Kharkiv governor "
                      "Oleh Synehubov said two people were killed. It said its forces had destroyed 3 Ukrainian "
                      "ammunition depots near the city.")
    assert got["3"].source.side == "russia"
    assert got["two"].source.side == "ukraine"
