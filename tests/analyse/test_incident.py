"""What is an incident of the report and what is history, a total or a speaking capital.

Every text here is written for the test; each covers one construction that the real-news sample
(bench/real_news.py) showed turning into a false event or toll.
"""

import pytest

from claimledger.analyse.claims import is_history_sentence, is_period_sentence
from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def run(nlp, text, published="2022-06-10"):
    return nlp(Article(text=text, published=published))


def test_superlative_since_is_a_comparison_not_a_period():
    assert not is_period_sentence("A missile hit the depot, killing 14 people in the deadliest attack since May.")
    assert is_period_sentence("More than 300 civilians have been killed since May, the mayor said.")


@pytest.mark.parametrize("sentence", [
    "At least 40 civilians have been killed since late February, the governor said.",
    "The office has counted 80 deaths since Feb. 24 in the province.",
    "Some 90 residents have died since the fighting began, local officials said.",
    "More than 60 people have been killed since Moscow's troops invaded, he said.",
    "The army is losing 50 soldiers a day in the east, a defence official said.",
    "Up to 30 fighters are killed every day in the battle for the town.",
    "Between 70 and 90 people were killed in the last three weeks, the mayor told reporters.",
    "About 200 residents died during a month-long occupation of the town.",
    "Dozens of soldiers died in weeks of fighting around the city.",
])
def test_running_totals_are_periods(sentence):
    assert is_period_sentence(sentence)


@pytest.mark.parametrize("sentence", [
    "A day after the strike, rescuers found 12 bodies under the rubble.",
    "A missile hit a hostel in the town on Tuesday, killing 9 people, two days after a strike on the station.",
    "The shelling killed four people a week ago, the mayor said.",
])
def test_incident_sentences_are_not_periods(sentence):
    assert not is_period_sentence(sentence)


def test_a_towns_total_of_thousands_is_no_incident_toll(nlp):
    doc = run(nlp, "A missile struck a school in Lozova on Monday, killing seven people, police said. "
                   "The mayor said this week that more than 2,000 residents had died in the city.")
    total = [c for c in doc.claims if c.measure == "killed" and c.quantity.min and c.quantity.min > 2000]
    assert total and total[0].date is None
    tolls = [e.deaths.best for e in doc.events if e.deaths and e.deaths.best is not None]
    assert tolls == [7]


def test_a_monitors_tally_is_a_period_total(nlp):
    doc = run(nlp, "The UN human rights office said it had recorded 420 civilian deaths and 700 injuries. "
                   "A rocket hit a bus stop in Nikopol on Sunday, killing three people.")
    tally = [c for c in doc.claims if c.measure == "killed" and c.quantity.value == 420]
    assert tally and tally[0].date is None
    assert sorted(e.deaths.best for e in doc.events if e.deaths and e.deaths.best is not None) == [3]


def test_earlier_years_and_disasters_are_history():
    assert is_history_sentence("In 1994 about 5,000 people were killed in the fighting.", "2022-06-10")
    assert is_history_sentence("The earthquake killed 300 people in the province.", "2022-06-10")
    assert not is_history_sentence("A strike killed 12 people in the town on Monday.", "2022-06-10")
    assert not is_history_sentence("A strike killed 12 people in the town on Monday.", None)


def test_a_disease_toll_is_no_violence():
    assert is_history_sentence("The total death toll from the virus rose to 1,320 on Friday.", "2022-06-10")
    assert is_history_sentence("A cholera outbreak has killed 40 people in the camps.", "2022-06-10")


def test_history_makes_no_event(nlp):
    doc = run(nlp, "Artillery shelled the village of Ivanivka on Tuesday, killing two civilians, police said. "
                   "In 1941 German bombers struck Kharkiv and killed 800 people.")
    assert [e.place.name for e in doc.events if e.place] == ["Ivanivka"] or len(doc.events) == 1
    assert all(e.date is None or e.date.start >= "2022" for e in doc.events)


def test_event_older_than_its_report_is_background(nlp):
    doc = run(nlp, "Russian shelling hit Kharkiv on March 1, killing 10 people, officials said.",
              published="2022-08-20")
    assert doc.events == [] or all(e.date is None or e.date.start >= "2022-06-21" for e in doc.events)


def test_million_dead_is_never_a_claim(nlp):
    doc = run(nlp, "The war would kill 35 million people, he wrote.")
    assert not [c for c in doc.claims if c.measure == "killed"]


def test_war_total_is_no_incident_toll(nlp):
    doc = run(nlp, "A missile struck a market in Kostiantynivka on Monday, killing 16 people. "
                   "More than 14,000 people died in the fighting in the east, officials said.")
    assert any(c.quantity.value == 14000 for c in doc.claims)
    tolls = [e.deaths.best for e in doc.events if e.deaths]
    assert tolls and max(tolls) <= 10000


def test_capital_speaking_is_no_place(nlp):
    doc = run(nlp, "Moscow said its forces had destroyed 12 Ukrainian tanks near Izium on Sunday.")
    assert all(e.place is None or e.place.name != "Moscow" for e in doc.events)


def test_undated_incident_takes_the_statement_day(nlp):
    doc = run(nlp, "A Russian missile struck a railway station in the east, killing at least 20 people. "
                   "The governor said on Wednesday that the attack hit the town of Pokrovsk.",
              published="2022-06-10")
    dated = [e for e in doc.events if e.date is not None]
    assert dated and dated[0].date.start == "2022-06-08"


def test_loose_place_is_refined_by_a_later_definite_reference(nlp):
    doc = run(nlp, "About 40 people were killed after a bomb hit a school in eastern Ukraine on Saturday, the president said. "
                   "The governor said 80 people had been sheltering in the building in Lysychansk.")
    assert [e.place.name for e in doc.events if e.deaths] == ["Lysychansk"]


def test_rescue_day_does_not_replace_the_strike_day(nlp):
    doc = run(nlp, "A missile struck an apartment block in Kramatorsk on Saturday, killing 12 people. "
                   "Rescuers pulled 9 wounded people from the rubble on Sunday, officials said.",
              published="2022-07-11")
    wounded = [c for c in doc.claims if c.measure == "wounded"]
    assert wounded and wounded[0].date is not None and wounded[0].date.start == "2022-07-09"


def test_feared_or_averted_violence_seeds_no_incident(nlp):
    doc = run(nlp, "Authorities in Odesa banned gatherings for fear of missile strikes. "
                   "Residents of Lviv woke to air raid sirens, but no strikes followed. "
                   "Is Dnipro next?")
    assert doc.events == []


def test_an_attack_without_casualties_is_still_an_incident(nlp):
    doc = run(nlp, "The town of Bucha also came under fire on Tuesday, but no casualties were reported, police said.")
    assert [e.place.name for e in doc.events if e.place] == ["Bucha"]


def test_a_short_news_item_without_violence_is_no_event(nlp):
    doc = run(nlp, "A family of six from Kharkiv cannot come to Wales because only four of their visas were "
                   "approved. The Home Office said it was working as fast as it can.")
    assert doc.events == []


def test_an_undated_coders_note_keeps_its_event(nlp):
    doc = nlp(Article(text="On 3 May 2022, the regional council of Odesa announced a new curfew in the city.",
                      published=None))
    assert len(doc.events) == 1


def test_a_reports_day_dates_the_report_not_a_running_count(nlp):
    doc = run(nlp, "At least 120 people have been killed, including 11 children, a UN report showed on Tuesday.")
    assert doc.claims and all(c.date is None for c in doc.claims)
    assert doc.events == []


def test_no_incident_is_dated_after_its_report(nlp):
    doc = run(nlp, "The blasts came a day after an explosion on a bridge near Kerch left three people dead, "
                   "officials said.", published="2022-10-10")
    assert doc.claims and all(c.date is None or c.date.start <= "2022-10-10" for c in doc.claims)
    assert all(e.date is None or e.date.start <= "2022-10-10" for e in doc.events)
