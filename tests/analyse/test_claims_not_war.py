"""What is no claim at all: counts told beside the war that are not a war measure (issue 10's audit).

Each test pairs the construction with a true claim written the same way, so a rule that dropped
every number of the sentence would fail too.
"""

import pytest

from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def claims(nlp, text, published="2022-05-10"):
    return nlp(Article(text=text, published=published)).claims


def summary(c):
    q = c.quantity
    return c.measure, q.value, q.min, q.max


# --- harm by crime, accident or nature ---------------------------------------------------------

def test_school_shooting_toll_is_no_claim(nlp):
    assert claims(nlp, "Nine pupils were killed and 13 were injured in a shooting at a secondary school "
                       "in the city of Perm, police said.") == []


def test_mass_shooting_toll_is_no_claim(nlp):
    assert claims(nlp, "The mass shooting at the supermarket left 11 people dead, the mayor said.") == []


def test_training_flight_crash_is_no_claim_but_a_downed_jet_is(nlp):
    assert claims(nlp, "Two pilots were killed when the bomber crashed during a training flight over "
                       "the steppe, the ministry said.") == []
    (c,) = claims(nlp, "Two pilots were killed when the jet crashed after it was shot down near Izium, "
                       "the army said.")
    assert summary(c) == ("killed", 2, 2, 2)


def test_drills_and_mine_accident_are_no_claims(nlp):
    assert claims(nlp, "Four marines drowned during drills off the coast, the navy said.") == []
    assert claims(nlp, "The regional governor put the toll from the mine accident at 38.") == []


def test_an_accident_verdict_on_a_war_incident_keeps_its_toll(nlp):
    (c,) = claims(nlp, "Officials said the missile that killed two farmers near the border on Tuesday was "
                       "probably fired by air defences, and that the incident appeared to be an accident.")
    assert summary(c) == ("killed", 2, 2, 2)


def test_drought_and_earthquake_deaths_are_no_claims(nlp):
    assert claims(nlp, "Aid groups fear a famine worse than the drought that claimed the lives of some "
                       "90,000 people in the region.") == []
    assert claims(nlp, "The earthquake killed more than 300 people in the mountain villages.") == []


# --- money that is not given ---------------------------------------------------------------------

def test_fundraising_target_is_no_claim_but_money_raised_is(nlp):
    assert claims(nlp, "The appeal for Ukraine's hospitals has so far raised half of its target of "
                       "£80,000.") == []
    (c,) = claims(nlp, "The appeal for Ukraine's hospitals has so far raised £80,000.")
    assert c.measure == "money" and c.unit == "GBP" and c.quantity.value == 80000


def test_sum_a_charity_needs_to_raise_is_no_claim(nlp):
    assert claims(nlp, "The Ukraine relief fund needs to raise £250,000 by spring.") == []


def test_second_sum_of_one_request_is_asked_too(nlp):
    assert claims(nlp, "The president is asking Congress for $6 billion in military aid for Ukraine to "
                       "replace weapons and $2 billion in humanitarian assistance.") == []


def test_sum_in_a_bill_still_to_pass_is_no_claim_but_a_pledge_is(nlp):
    assert claims(nlp, "Congress is poised to vote on a spending bill that includes a further $30 billion in "
                       "military aid for Ukraine.") == []
    (c,) = claims(nlp, "The president signed a bill that includes $30 billion in military aid for Ukraine.")
    assert c.measure == "money" and c.quantity.value == 30_000_000_000
    (c,) = claims(nlp, "Germany said it would provide another $1 billion in military aid to Ukraine.")
    assert c.measure == "money" and c.quantity.value == 1_000_000_000


def test_world_total_is_no_claim(nlp):
    assert claims(nlp, "The agency said 90 million people are now forcibly displaced worldwide.") == []


def test_price_of_one_thing_is_no_claim(nlp):
    assert claims(nlp, "Russia has bought hundreds of attack drones for its war in Ukraine at a cost of "
                       "about $30,000 each.") == []


def test_court_fine_is_no_claim(nlp):
    assert claims(nlp, "A woman was fined 50,000 roubles for a post criticising the war in Ukraine.") == []


def test_household_sum_is_no_claim_but_aid_is(nlp):
    assert claims(nlp, "Families hosting Ukrainian refugees will receive £4,800 in government support.") == []
    (c,) = claims(nlp, "Britain will send £48 million in humanitarian aid to Ukraine.")
    assert c.measure == "money" and c.quantity.value == 48_000_000


# --- shares that are not land --------------------------------------------------------------------

def test_share_of_people_or_prices_is_no_territory(nlp):
    assert claims(nlp, "A poll found 71% of Ukrainians oppose giving up occupied land.") == []
    assert claims(nlp, "Inflation reached 9.4% in the area around the capital.") == []


def test_share_of_land_is_territory(nlp):
    cs = claims(nlp, "The governor said 45% of the region's territory was occupied, while 8% had been "
                     "retaken.")
    assert sorted((c.measure, c.quantity.value) for c in cs) == [("territory", 8), ("territory", 45)]
    (c,) = claims(nlp, "Russian troops now control 60% of Lysychansk, the governor said.")
    assert (c.measure, c.unit, c.quantity.value) == ("territory", "percent", 60)


# --- a number that is no count -------------------------------------------------------------------

def test_one_of_many_is_no_count_but_one_of_the_dead_is(nlp):
    assert claims(nlp, "The teacher was one of the many refugees who fled Mariupol in March.") == []
    (c,) = claims(nlp, "The teacher was one of those killed when the missile struck the school.")
    assert summary(c) == ("killed", 1, 1, 1)


def test_a_group_of_victims_is_no_count(nlp):
    assert claims(nlp, "One victims' association said the inquiry had taken too long.") == []


def test_capability_and_purpose_are_no_deeds(nlp):
    assert claims(nlp, "The launcher can fire 12 rockets in under a minute.") == []
    assert claims(nlp, "Officials want a truce to enable hundreds of civilians to evacuate from the "
                       "besieged city.") == []


def test_modal_before_the_trigger_is_no_deed_but_the_missing_are_counted(nlp):
    assert claims(nlp, "The separatist leader warned three foreign mercenaries that they could be executed.") == []
    (c,) = claims(nlp, "Rescuers said 12 people may still be trapped under the rubble in Kramatorsk.")
    assert c.measure == "missing" and c.quantity.value == 12


# --- measure -------------------------------------------------------------------------------------

def test_have_been_killed_or_injured_is_casualties(nlp):
    (c,) = claims(nlp, "The agency said more than 900 children have been killed or injured during the war.")
    assert c.measure == "casualties"


def test_prisoners_killed_are_killed_not_captured(nlp):
    (c,) = claims(nlp, "A strike on the camp near Olenivka resulted in the deaths of at least 30 prisoners, "
                       "the ministry said.")
    assert summary(c) == ("killed", 30, 30, None)
