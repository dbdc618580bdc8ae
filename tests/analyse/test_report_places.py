"""Places and days a report names for itself, not for the incident (issue 10's out-of-sample audit).

Every text here is written for the test; each covers one construction the audit of real 2022
news (bench/claims_audit.py) showed putting a claim in the filing city or a speaking capital, or
giving a period total a day.
"""

import pytest

from claimledger.analyse.claims import is_period_sentence
from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def places(nlp, text, published="2022-06-12"):
    doc = nlp(Article(text=text, published=published))
    return [c.claim.place.name if c.claim.place else None for c in doc.candidates]


def test_dateline_city_and_country_is_where_the_report_was_filed(nlp):
    got = places(nlp, "Kyiv, Ukraine — A drone blew up on Sunday at a naval base in Crimea, wounding six people, "
                      "officials said.")
    assert got and "Kyiv" not in got


def test_dateline_of_two_bureaus_is_no_place(nlp):
    got = places(nlp, "KYIV and LONDON -- Two people were killed when a missile hit a hospital in the Kharkiv "
                      "region overnight, the governor said.")
    assert got and not {"Kyiv", "London"} & set(got)


def test_where_the_speaker_talks_from_is_no_place(nlp):
    got = places(nlp, "Speaking on the phone from Kyiv, the commander said 40 fighters had been killed on Tuesday.")
    assert got and "Kyiv" not in got


def test_a_capitals_forces_are_no_place(nlp):
    got = places(nlp, "Dozens of people were feared dead after a bomb destroyed a school as Moscow's invading "
                      "forces kept up their barrage.")
    assert got and "Moscow" not in got


def test_two_capitals_blaming_each_other_are_no_place(nlp):
    got = places(nlp, "At least 53 prisoners died in an explosion at a prison that Moscow and Kyiv blamed on "
                      "each other.")
    assert got and "Moscow" not in got and "Kyiv" not in got


@pytest.mark.parametrize("sentence", [
    "The 18 attacks thus far have resulted in at least 10 deaths, the agency said.",
    "Over the past decade, the army has killed thousands of civilians in the region.",
    "The fighting has seen thousands killed, including civilians.",
])
def test_period_totals(sentence):
    assert is_period_sentence(sentence)


def test_a_day_over_the_last_weeks_is_still_an_incident():
    assert not is_period_sentence("A missile hit the station on Monday, one of many strikes on the city this week.")


def _claim_places(nlp, text, published="2022-06-12"):
    doc = nlp(Article(text=text, published=published))
    return [c.place.name if c.place else None for c in doc.claims]


def test_there_points_back_to_the_town_of_the_paragraph(nlp):
    got = _claim_places(nlp, "Russian forces have encircled the port city of Mariupol. Smoke rises over the ruins. "
                             "Officials say more than 2,000 civilians have been killed there alone.")
    assert got == ["Mariupol"]


def test_a_sentence_naming_its_own_place_does_not_point_back(nlp):
    got = _claim_places(nlp, "Aid for the southern city of Kherson could not be delivered. Mariupol authorities "
                             "said nearly 40,000 people had left the city since the siege began.")
    assert "Kherson" not in got


def test_a_dateline_stays_when_the_sentence_only_locates_by_a_border(nlp):
    got = places(nlp, "Lviv, Ukraine — Missiles pounded a military base close to Ukraine's western border with Poland "
                      "on Sunday, killing 35 people, officials said.")
    assert got == ["Lviv"]


def test_people_fleeing_over_weeks_left_the_reports_town(nlp):
    got = _claim_places(nlp, "A missile hit the railway station in Sloviansk on Monday, killing two people, police said. "
                             "The mayor said that some 6,000 people a day were evacuated by train over the past weeks.")
    assert got == ["Slovyansk", "Slovyansk"]


def test_a_dateline_abroad_is_not_where_people_fled_from(nlp):
    got = _claim_places(nlp, "CHICAGO (WBBM) -- The United Nations said more than 800,000 people have fled Ukraine "
                             "during the Russian invasion.")
    assert got == ["Ukraine"]
