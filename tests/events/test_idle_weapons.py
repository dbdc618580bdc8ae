"""A weapon is an incident word only when the report says it was used: news names missiles,
rockets and drones as often for what is made, supplied, deployed, shown or discussed ("a drone
maker's conference in Lviv", "bombers carrying cruise missiles were moved to Kaliningrad") as for
what hit a town. A sentence whose only incident words are weapons seeds an incident when the parse
shows the weapon used (session 21: on 2,000 real-news reports, 51 such events went, nearly all of
them supply, deployment, arms-fair and pictured-weapon sentences).

Every text is written for the test; each covers a construction seen across many reports.
"""

import pytest

from claimledger.analyse.syntax import SentenceParse
from claimledger.events.cues import idle_weapons
from claimledger.records import Article
from events.report_texts import QUIET_AFTER

QUIET = "Officials in Lutsk said on Tuesday that talks with Western partners on air defence would continue next week. "


def _idle(sentence: str) -> bool:
    return idle_weapons(sentence, lambda: SentenceParse(0, sentence))


def places(nlp, text):
    doc = nlp(Article(text=text, published="2022-08-24"))
    return {e.place.name for e in doc.events if e.place is not None}


@pytest.mark.parametrize("sentence", [
    "Warships in the bay have been firing cruise missiles at villages along the coast.",
    "Three drones slammed into a fuel depot on the edge of the city.",
    "Bomber crews fired missiles meant for aircraft carriers, a source said.",
    "Video shared by residents shows a rocket striking a warehouse near the port.",
    "Commentators on the programme discussed the kamikaze drones striking the capital.",
    "The enemy carried out fire damage with mortars and rocket artillery near two villages.",
    "The occupiers inflicted damage with tube and rocket artillery on four settlements.",
    "Debris of two missiles fell on a farm near the border.",
    "Officials said the forces were using thermobaric rocket artillery against the town.",
])
def test_a_weapon_used_is_an_incident_word(sentence):
    assert not _idle(sentence)


@pytest.mark.parametrize("sentence", [
    "Tehran has been sending armed drones to Moscow for months, officials in Washington said.",
    "The general showed reporters photographs of a missile system parked on a lorry.",
    "The new glider can fly fast enough to slip through any missile shield, the ministry boasted.",
    "Instructors taught the recruits the use of anti-tank missiles at a range in the west.",
    "The army has moved heavy artillery and rocket launchers closer to the frontier.",
    "The minister posed next to a fallen drone outside the parliament building.",
    "Country needs every kind of drone, the head of a manufacturer told a conference this month.",
    "The air force deployed bombers carrying hypersonic missiles to the Baltic enclave.",
    "Tehran is getting ready to supply ballistic missiles and suicide drones to Moscow.",
])
def test_a_weapon_made_supplied_or_shown_is_not(sentence):
    assert _idle(sentence)


def test_a_sentence_with_another_incident_word_is_left_to_the_other_rules():
    assert not _idle("Air defence units shot down two missiles over the city on Sunday.")
    assert not _idle("The talks in Lutsk ended without agreement on Sunday.")


def test_a_supplied_weapon_seeds_no_event_and_a_used_one_does(nlp):
    supply = "The president thanked allies on Sunday for the long-range rockets delivered to troops near Kherson."
    strike = "On Sunday, two Russian missiles slammed into an apartment block in Vinnytsia, residents said."
    assert "Kherson" not in places(nlp, QUIET + supply + QUIET_AFTER)
    assert {"Vinnytsia", "Vinnytsya"} & places(nlp, QUIET + strike + QUIET_AFTER)


@pytest.mark.parametrize("sentence, town", [
    ("On Sunday, soldiers opened fire on a crowd waiting for aid in Vuhledar, residents said.", {"Vuhledar"}),
    ("The town of Kupiansk came under heavy artillery fire on Sunday, the governor said.", {"Kupiansk", "Kupyansk"}),
])
def test_opened_fire_and_came_under_fire_are_incident_words(nlp, sentence, town):
    assert town & places(nlp, QUIET + sentence + QUIET_AFTER)


def test_a_place_that_has_come_under_fire_for_weeks_seeds_no_incident(nlp):
    sentence = "Kupiansk is one of several towns near the border that have come under heavy fire since the spring."
    assert not {"Kupiansk", "Kupyansk"} & places(nlp, QUIET + sentence + QUIET_AFTER)
