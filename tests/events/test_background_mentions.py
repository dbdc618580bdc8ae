"""Mentions of a place that are not an incident there: a photo's caption run into the text, and a
capital standing for the government that wages the war ("Moscow's invasion").

Every text is written for the test; each covers a construction seen across many reports.
"""

import pytest

from claimledger.events.cues import is_caption
from claimledger.records import Article
from events.report_texts import AFTER, LEDE, QUIET_AFTER

# No incident of its own in the report: only the sentence under test could make one.
QUIET = "Officials in Kyiv said on Tuesday that talks with Western partners on air defence would continue next week. "


def places(nlp, text):
    doc = nlp(Article(text=text, published="2022-03-08"))
    return {e.place.name for e in doc.events if e.place is not None}, doc


@pytest.mark.parametrize("caption", [
    "Firefighters work at a building destroyed by shelling in Mariupol on March 3. (AP Photo/Jane Roe)",
    "Firefighters work at a building destroyed by shelling in Mariupol on March 3. Photograph: Jane Roe/Reuters",
    "Firefighters work at a building destroyed by shelling in Mariupol on March 3 (Photo by Jane Roe/Getty Images).",
])
def test_a_caption_seeds_no_incident(nlp, caption):
    seen, _ = places(nlp, LEDE + caption + AFTER)
    assert "Kharkiv" in seen
    assert "Mariupol" not in seen


def test_the_same_sentence_without_a_credit_is_an_incident(nlp):
    seen, _ = places(nlp, LEDE + "Firefighters work at a building destroyed by shelling in Mariupol on March 3."
                     + AFTER)
    assert "Mariupol" in seen


def test_a_caption_keeps_its_numbers_as_claims(nlp):
    _, doc = places(nlp, LEDE + "Soldiers carry the bodies of two men killed by shelling in Mariupol on "
                    "March 3. (AP Photo/Jane Roe)" + AFTER)
    assert sorted(c.quantity.value for c in doc.claims if c.measure == "killed") == [2, 4]


def test_a_credit_opening_the_next_sentence_closes_the_caption():
    text = "Smoke rises over the port in Mariupol. (AP Photo/Jane Roe) Officials said talks would resume."
    first = text.index("(AP")
    assert is_caption(text, 0, first - 1)
    assert not is_caption(text, first + len("(AP Photo/Jane Roe) "), len(text))


@pytest.mark.parametrize("sentence", [
    "Moscow's invasion has forced millions from their homes, officials said on Tuesday.",
    "Moscow's attack on Ukraine has been condemned at the United Nations on Tuesday.",
    "Moscow's war against its neighbour entered its third week on Tuesday.",
])
def test_a_capital_waging_the_war_is_not_where_it_is_fought(nlp, sentence):
    seen, _ = places(nlp, QUIET + sentence + QUIET_AFTER)
    assert "Moscow" not in seen


def test_a_strike_in_the_capital_is_an_incident_there(nlp):
    seen, _ = places(nlp, LEDE + "A drone hit an office building in Moscow on Tuesday, the mayor said." + AFTER)
    assert "Moscow" in seen


def test_a_caption_whose_credit_was_cleaned_away_ends_on_town_country_and_date(nlp):
    seen, _ = places(nlp, LEDE + "A damaged kitchen at an apartment building hit by shelling in Mariupol, Ukraine, "
                     "March 3, 2022." + AFTER)
    assert "Mariupol" not in seen
    seen, _ = places(nlp, LEDE + "Shelling hit an apartment building in Mariupol, Ukraine, on Thursday." + AFTER)
    assert "Mariupol" in seen


@pytest.mark.parametrize("sentence", [
    "Hackers are still launching cyber attacks on Western banks, and Moscow persists in its efforts to meddle in "
    "elections.",
    "While Moscow scrambles to prolong its deadly war, a fuel crisis has struck Ukraine.",
])
def test_a_capital_acting_as_a_government_is_no_incident_there(nlp, sentence):
    seen, _ = places(nlp, QUIET + sentence + QUIET_AFTER)
    assert "Moscow" not in seen


def test_a_picture_described_in_its_own_words_is_a_caption(nlp):
    seen, _ = places(nlp, QUIET + "A part of a drone, which was shot down near the town of Izium, is seen in this "
                     "handout picture released March 3, 2022." + QUIET_AFTER)
    assert seen == set()


def test_a_weapons_test_is_no_incident(nlp):
    _, doc = places(nlp, "The Russian military said on Tuesday that it had test-fired a hypersonic missile from a "
                    "submarine near Severodvinsk.")
    assert doc.events == []


def test_the_seat_of_a_group_is_not_where_it_counts(nlp):
    seen, _ = places(nlp, QUIET + "An Oslo-based rights group said on Tuesday that the crackdown on protests had "
                     "killed at least 40 demonstrators." + QUIET_AFTER)
    assert "Oslo" not in seen
