"""Events from invented reports and notes: grouping, typing, per-report tolls, note conventions."""

import pytest

from claimledger.events.classify import classify
from claimledger.events.notes import (
    coded_as,
    coded_elsewhere,
    singular_victims,
    split_share,
    this_event,
    toll_share,
)
from claimledger.records import Article


def events(nlp, text, published=None):
    return nlp(Article(text=text, published=published)).events


@pytest.mark.parametrize("text,expected", [
    ("Russian forces shelled Izium with artillery.", "Shelling/artillery/missile attack"),
    ("A Russian air strike hit a school in Okhtyrka.", "Air/drone strike"),
    ("Ukrainian forces clashed with Russian troops near Bakhmut.", "Armed clash"),
    ("A car hit a landmine near Kherson.", "Remote explosive/landmine/IED"),
    ("Residents held a rally in Kherson against the occupation.", "Peaceful protest"),
    ("Police fired tear gas at protesters in the square.", "Protest with intervention"),
    ("Russian troops abducted the village head.", "Abduction/forced disappearance"),
    ("Ukrainian forces retook the village. No information on whether fighting took place.",
     "Non-violent transfer of territory"),
    ("Air defences shot down two cruise missiles over the region.", "Disrupted weapons use"),
    ("Drones attacked the city; some were shot down but two residents were killed.", "Air/drone strike"),
    ("Ukrainian forces fired grenade launchers at separatist positions.", "Shelling/artillery/missile attack"),
])
def test_classify(text, expected):
    assert classify(text) == expected


def test_note_conventions():
    assert coded_as("Russian forces suffered losses. Unspecified fatalities coded as 10.") == (10, False)
    assert coded_as("There were also losses on the other side, coded as additional 5 fatalities.") == (5, True)
    assert split_share("[38 fatalities split among 10 events]") == 4
    assert split_share("(22 fatalities split between 2 events)") == 11
    assert coded_elsewhere("Two soldiers were killed (fatalities coded to Avdiivka event).",
                           "On 3 May, shelling hit Marinka, Donetsk.")
    assert not coded_elsewhere("One was killed (fatalities coded to Marinka event).",
                               "On 3 May, shelling hit Marinka, Donetsk.")
    assert singular_victims("Russian soldiers shot dead the driver and killed a teenager.") == 2
    assert singular_victims("The bodies of 40 civilians were found shot dead.") == 0


def test_note_bookkeeping():
    # the row's own figure beats the note's total and its split
    assert this_event("9 fatalities split across 3 events and coded as 4 for this event.") == 4
    assert this_event("Total 3 confirmed fatalities coded to this event.") == 3
    assert this_event("(120 fatalities coded here, 7 fatalities coded to specific events)") == 120
    assert this_event("Three events coded in two towns, with 1 fatality each.") == 1
    assert this_event("Unspecified fatalities coded as 10.") is None
    # the last coded figure is the note's total; a coded figure split over rows is shared out
    assert coded_as("Unspecified fatalities coded as 3. Fatalities coded as 15 (12 soldiers and 3 rebels).") == (15, False)
    assert coded_as("Unclear fatalites coded as 9 and split between 3 locations.") == (3, False)
    assert coded_as("Unknown fatalities coded as 6 (half a dozen) and spread across two locations.") == (3, False)
    assert coded_as("Losses are unclear (coded at low estimate of 3).") == (3, False)
    assert coded_as("Total 4 fatalities.") == (4, False)
    assert coded_as("There were fatalities among the troops coded as 10.") == (10, False)
    # "this event" is no other event's place
    assert not coded_elsewhere("Total 2 fatalities coded to this event.", "On 3 May, rioters clashed in Kasama.")
    # the note's own toll over its rows
    assert toll_share("60 fighters were killed. Fatalities split between 2 events.", 60) == 30
    assert toll_share("Two people died (the deaths have been split over two events).", 2) == 1
    assert toll_share("Two people died.", 2) is None


@pytest.mark.parametrize("text,known,expected", [
    ("A shop owner and a porter were killed by unknown gunmen.", 0, 2),
    ("A boy, an old woman, and a trader were killed by stray bullets.", 0, 3),
    ("Gunmen abducted two engineers after killing their driver, a retired soldier.", 0, 1),
    ("Villagers caught a cattle thief and burned him to death.", 0, 1),
    ("A soldier shot a teacher at the market, killing the teacher.", 0, 1),
    ("Guards shot a fisherman on the lake, wounding him in the arm.", 0, 0),
    ("Four guards were killed. Raiders ambushed the convoy, killing the guards.", 4, 0),
    ("Residents marched in the town after a child died in a fire.", 0, 0),
    ("A mob killed a man. The man had just stabbed and killed a trader.", 0, 1),
    ("The farmers killed an ox.", 0, 0),
    ("On 3 March 2021, a soldier killed his brother in the barracks.", 0, 1),
    ("The body of a trader with gunshot wounds was found in a ditch.", 0, 1),
    ("A man's body was later found near the river.", 0, 1),
    ("A herder was killed by an elephant near the park.", 0, 0),
    ("A cyclist died in a road accident on the highway.", 0, 0),
    ("Relatives held a sit-in in memory of a farmer who died in custody.", 0, 0),
    ("Rioters clashed with police over fuel prices and a youth died.", 0, 1),
])
def test_singular_victims_in_notes(text, known, expected):
    assert singular_victims(text, known) == expected


def test_note_victim_in_a_later_sentence(nlp):
    (e,) = events(nlp, "On 9 April 2021, herders and hunters clashed in Kasama village. A woman was killed by a "
                       "stray bullet. Police were deployed to the area.")
    assert e.deaths is not None and e.deaths.low == 1


def test_a_death_set_apart_is_no_toll_of_a_note(nlp):
    (e,) = events(nlp, "On 3 May 2021, students blocked the highway in Kasama, following the death of 2 students "
                       "in a road accident.")
    assert e.deaths is None or e.deaths.low == 0


def test_note_rows_share_of_toll(nlp):
    (e,) = events(nlp, "On 4 May 2021, soldiers clashed with rebels near Kasama. 60 rebels were killed. "
                       "Fatalities split between 2 events.")
    assert e.deaths.low == 30
    (e,) = events(nlp, "On 4 May 2021, soldiers clashed with rebels near Kasama. 2 soldiers were killed. "
                       "1 rebel was killed. Total 3 fatalities coded to this event.")
    assert e.deaths.low == 3


def test_acled_style_note(nlp):
    (e,) = events(nlp, "On 12 May 2022, Russian forces shelled Vuhledar, Donetsk. Two civilians were killed "
                       "and three were wounded.")
    assert e.type == "Shelling/artillery/missile attack" and e.event_type == "Explosions/Remote violence"
    assert e.date.start == "2022-05-12" and e.place.name and abs(e.place.lat - 47.78) < 0.3
    assert (e.deaths.low, e.deaths.best, e.deaths.high) == (2, 2, 2)
    assert e.initiator.side == "russia" and e.target.side == "ukraine"


def test_two_incidents_in_one_report(nlp):
    evs = events(nlp, "A missile strike on Odesa killed four people on Monday, officials said. "
                      "Separately, shelling of Nikopol on Tuesday wounded two residents.", published="2022-08-03")
    assert [(e.place.name[:4], e.date.start) for e in evs] == [("Odes", "2022-08-01"), ("Niko", "2022-08-02")]
    assert evs[0].deaths.low == 4 and evs[1].deaths is None


def test_admission_floor_and_boast_ceiling(nlp):
    text = ("The Russian Defence Ministry said 20 of its soldiers were killed in the strike on Melitopol on "
            "Sunday. Ukraine's military said about 150 Russian soldiers were killed there.")
    (e,) = events(nlp, text, published="2022-09-05")
    assert (e.deaths.low, e.deaths.best, e.deaths.high) == (20, 20, 150)


def test_snippet_without_place_is_still_an_event(nlp):
    (e,) = events(nlp, "Security forces arrested 15 opposition supporters.")
    assert e.type == "Arrests" and e.place is None


def test_a_title_names_the_place_only_when_its_holder_speaks(nlp):
    (e,) = events(nlp, "On 13 April 2022, Russian forces abducted the mayor of Skadovsk, Kherson.")
    assert e.place.name.startswith("Skadovs") and e.type == "Abduction/forced disappearance"
    evs = events(nlp, "Two people were killed in the shelling of Izium, the mayor of Kharkiv said on Monday.",
                 published="2022-04-05")
    assert evs[0].place.name.startswith("Izy")


def test_a_short_reports_later_sentence_does_not_retype_it():
    text = ("Russian forces shelled Mykolaiv overnight, killing two people. The Ukrainian army said it had "
            "repelled an attack near the city.")
    assert classify(text) == "Shelling/artillery/missile attack"


def test_held_by_is_not_attacked_by(nlp):
    from claimledger.analyse.sides import attacker_side

    assert attacker_side("A rocket strike hit the depot in Russian-held Nova Kakhovka, which is also occupied by "
                         "Russian forces.") == "ukraine"
    assert attacker_side("The village was shelled by Russian forces overnight.") == "russia"


def test_a_place_named_to_locate_another_is_not_an_incident(nlp):
    evs = events(nlp, "On Monday a rocket strike hit an ammunition depot in Nova Kakhovka, about 35 miles east "
                      "of the port city of Kherson, officials said.", published="2022-07-12")
    assert [e.place.name[:4] for e in evs] == ["Nova"]


def test_a_town_used_as_an_adjective_names_its_region(nlp):
    (e,) = events(nlp, "A Russian rocket hit a Donetsk apartment building on Saturday. Nine wounded people were "
                       "rescued from the building in Chasiv Yar.", published="2022-07-12")
    assert e.place.name == "Chasiv Yar"


def test_the_dateline_is_where_the_report_was_filed_not_an_incident(nlp):
    evs = events(nlp, "(Kyiv) Russian shelling of Kherson killed three civilians on Monday, officials said.",
                 published="2022-11-22")
    assert [e.place.name[:5] for e in evs] == ["Khers"]


def test_an_incident_left_undated_takes_no_later_day(nlp):
    text = ("A Russian strike on a theatre in Mariupol earlier this month killed around 300 people, officials "
            "said. A Russian supply ship was hit by a missile on Thursday at a port not far from Mariupol.")
    evs = events(nlp, text, published="2022-03-25")
    assert evs[0].date is None and evs[0].deaths.low == 300
    assert len(evs) == 2 and evs[1].date.start == "2022-03-24"


def test_generic_strike_words_take_the_weapon_from_the_rest_of_the_incident():
    first = "Russian forces struck a theatre in Mariupol on Wednesday."
    assert classify(first) == "Shelling/artillery/missile attack"
    assert classify(first, first + " The council said a plane dropped a bomb on the building.") == "Air/drone strike"
    # only within the same family: a later hostage sentence does not make the strike an abduction
    assert classify(first, first + " Troops held hostages in the hospital.") == "Shelling/artillery/missile attack"


def test_a_country_mention_does_not_interrupt_the_incident(nlp):
    text = ("Russian forces struck a theatre in Mariupol on Wednesday, officials said. Russia denied it. "
            "The council said a plane dropped a bomb on the building. Russia's defence ministry said 1,351 of its "
            "troops had been killed in Ukraine.")
    evs = events(nlp, text, published="2022-03-16")
    assert evs[0].type == "Air/drone strike" and evs[0].place.name.startswith("Mariup")
    assert evs[0].deaths is None  # the national toll is not this town's


def test_civilians_killed_by_a_remote_weapon_take_the_weapon_type():
    text = "Russian troops killed ten civilians waiting in a bread line."
    assert classify(text) == "Attack"
    assert classify(text, text + " Artillery shelling hit the queue.") == "Shelling/artillery/missile attack"
