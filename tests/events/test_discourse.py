"""How a report's sentences hand an incident on to the next: topic shifts, lists of towns, reference
points, aftermath days, inherited dates, and the weapon an incident is typed by.

Every text is written for the test; each covers a construction seen across many reports.
"""


from claimledger.analyse.attribution import find_speakers
from claimledger.analyse.claims import is_period_sentence
from claimledger.events.classify import classify, dominant_weapon
from claimledger.records import Article


def run(nlp, text, published="2022-06-10"):
    return nlp(Article(text=text, published=published))


def by_place(doc):
    return {e.place.name: e for e in doc.events if e.place is not None}


def test_meanwhile_opens_another_incident(nlp):
    doc = run(nlp, "Russian strikes hit residential buildings in Kharkiv on Tuesday, killing four civilians, "
                   "officials said. Meanwhile, Ukrainian forces said they had targeted an ammunition depot in the "
                   "south overnight.")
    kharkiv = by_place(doc)["Kharkiv"]
    assert kharkiv.type == "Shelling/artillery/missile attack"
    assert kharkiv.initiator is not None and kharkiv.initiator.side == "russia"


# A news report is longer than a note (a note is one event by construction): these sentences of
# context make a test text a report.
CONTEXT = (" The governor urged residents to leave the region. Trains left the city every day this week."
           " Aid groups said they were short of medicine. The mayor thanked the volunteers."
           " Talks between the two sides have stalled. Schools in the capital reopened.")


def test_towns_in_one_list_are_one_event_each(nlp):
    doc = run(nlp, "Russian rockets struck Kramatorsk on Monday, killing three people. "
                   "Rockets also hit Druzhkivka and Kostiantynivka, the regional governor said." + CONTEXT)
    places = set(by_place(doc))
    assert {"Druzhkivka", "Kostiantynivka"} <= places or {"Druzhkivka", "Kostyantynivka"} <= places


def test_town_named_to_locate_another_is_no_event(nlp):
    doc = run(nlp, "Investigators found mass graves in the town of Bucha, near Kyiv, on Sunday, officials said.")
    assert "Kyiv" not in by_place(doc)


def test_rescue_day_joins_the_strike(nlp):
    doc = run(nlp, "A missile struck an apartment building in Chasiv Yar on Saturday, killing 15 people. "
                   "On Monday rescuers pulled nine wounded people from the rubble in Chasiv Yar, the governor said.")
    events = [e for e in doc.events if e.place is not None and e.place.name.startswith("Chasiv")]
    assert len(events) == 1
    assert events[0].date.start == "2022-06-04"


def test_undated_breakdown_takes_the_period_of_the_total(nlp):
    doc = run(nlp, "A missile struck a port in Odesa on Monday, killing two people. The port was closed. "
                   "Ships waited offshore. Grain exports were delayed. Traders said prices rose. "
                   "Elsewhere in Ukraine, Russian shelling over the past 24 hours killed 16 civilians, the presidential office said "
                   "on Friday. Nine civilians were killed in Donetsk province.", published="2022-06-10")
    nine = next(c for c in doc.claims if c.quantity.value == 9)
    assert nine.date is not None and nine.date.start == "2022-06-09"


def test_a_war_total_is_a_period_total():
    assert is_period_sentence("Russia's 10-week-old war on Ukraine has killed thousands of people.")
    assert is_period_sentence("The conflict has left more than 3,000 dead, the UN says.")
    assert not is_period_sentence("A missile has killed three people in the town, the mayor said.")


def test_a_sentence_adverb_is_not_part_of_the_speaker():
    s = "Elsewhere, he added that shelling had destroyed a house and 11 people remained under the debris."
    assert [sp.source.mention for sp in find_speakers(s, 0, len(s), False)] == ["he"]
    s = "Kyrylenko, the governor, said two people died."
    assert find_speakers(s, 0, len(s), False)[0].source.mention.startswith("Kyrylenko")


def test_a_strike_that_kills_civilians_is_remote_violence():
    assert classify("Russian strikes hit residential buildings, killing four civilians.") \
        == "Shelling/artillery/missile attack"
    assert classify("Gunmen attacked the village, killing four civilians.") == "Attack"


def test_forces_that_target_a_depot_with_rockets_fought_no_battle():
    first = "Ukrainian forces targeted a Russian ammunition depot overnight."
    context = first + " A rocket strike hit the depot, causing a huge explosion."
    assert classify(first, context) == "Shelling/artillery/missile attack"
    clash = "Ukrainian forces clashed with Russian troops near the depot."
    assert classify(clash, clash + " Rockets were fired.") == "Armed clash"


def test_loose_air_words_give_way_to_the_named_weapon():
    texts = ("The bombing of the city went on. Rockets exploded near the market. The shelling lasted an hour. "
             "A rocket booster lay in the street.")
    assert dominant_weapon("Air/drone strike", texts) == "Shelling/artillery/missile attack"
    with_drone = texts + " A drone dropped a grenade."
    assert dominant_weapon("Air/drone strike", with_drone) == "Air/drone strike"
    assert dominant_weapon("Armed clash", texts) == "Armed clash"


def test_a_tally_without_an_act_of_violence_is_no_event(nlp):
    doc = run(nlp, "Russian rockets struck a market in Kharkiv on Monday, killing three people, officials said. "
                   "Residents queued for water. In 24 hours, 34 civilians died and 285 were injured in the Kharkiv "
                   "region, the emergency service said on Thursday.")
    assert all(e.type != "Other" for e in doc.events)
    assert any(c.quantity.value == 34 for c in doc.claims)


def test_a_clause_naming_another_place_is_another_incident(nlp):
    doc = run(nlp, "A rocket attack killed 15 people in Chasiv Yar on Saturday. Rescuers searched the rubble. "
                   "Cranes lifted slabs. Families waited. The town had emptied. Shops were shut. "
                   "The attack is the latest of many: "
                   "at least 19 people died when a missile hit a mall in Kremenchuk in late June and 21 people were "
                   "killed when rockets hit a building in the Odesa region this month.", published="2022-07-10")
    tolls = {(e.place.admin1 or e.place.name): e.deaths.best for e in doc.events if e.place and e.deaths}
    assert tolls.get("Odesa") == 21


def test_a_running_total_lends_no_weapon_to_the_incident(nlp):
    doc = run(nlp, "Ukrainian rockets struck a barracks in Makiivka on Saturday, killing 63 soldiers, Moscow said. "
                   "Zelensky said his army had shot down more than 80 drones since the beginning of the year.",
              published="2023-01-03")
    makiivka = [e for e in doc.events if e.place and e.place.name.startswith("Makiy")]
    assert makiivka and makiivka[0].type == "Shelling/artillery/missile attack"


def test_a_government_named_by_its_capital_is_no_place(nlp):
    doc = run(nlp, "Ukrainian missiles killed 63 soldiers in Makiivka on Saturday, the heaviest loss admitted by "
                   "Moscow. After months of setbacks, Moscow opted to bombard power plants across Ukraine.",
              published="2023-01-03")
    assert "Moscow" not in by_place(doc)


def test_a_habit_is_no_incident(nlp):
    doc = run(nlp, "A missile struck a train station in Chaplyne on Wednesday, killing 22 people, officials said. "
                   "Russian forces have repeatedly targeted civilian areas, including a theater in Mariupol.")
    assert "Mariupol" not in by_place(doc)


def test_a_town_that_only_locates_a_region_is_no_event(nlp):
    doc = run(nlp, "Russian rockets struck targets in the Khmelnytskyi region, about 180 miles west of Kyiv, on "
                   "Wednesday, the regional governor said.")
    assert "Kyiv" not in by_place(doc)
    assert any(e.place and e.place.precision == "admin1" for e in doc.events)


def test_two_figures_for_one_region_make_one_incident(nlp):
    doc = run(nlp, "A missile struck a station in Chaplyne on Wednesday, killing 22 people. Officials said. "
                   "The station burned. Trains stopped. Rescuers worked. Crowds gathered. "
                   "On the battlefield, Russian forces struck several towns in Donetsk province, killing one person "
                   "and wounding three, authorities said.")
    regional = [e for e in doc.events if e.place and e.place.precision == "admin1"]
    assert len(regional) <= 1


def test_a_definite_site_returns_to_the_incident_that_named_it(nlp):
    doc = run(nlp, "Russian rockets hit the railway station in Sloviansk on Friday, killing 30 people, the governor said. "
                   "Sloviansk was one of the first places to be targeted by the Russian army when the war began on "
                   "February 24. "
                   "Two missiles struck the station, the head of the railway said.", published="2022-04-09")
    toll = next(c for c in doc.claims if c.measure == "killed")
    hits = [c for c in doc.claims if c.measure == "hit"]
    assert toll.event is not None and hits and all(c.event == toll.event for c in hits)


def test_a_site_named_to_date_another_incident_does_not_join_it(nlp):
    doc = run(nlp, "A Russian missile hit the railway station in Sloviansk on Wednesday, killing 20 people. "
                   "On Tuesday, shelling killed three people in Kramatorsk, the governor said. "
                   "Hours before the strike on the station, a rocket hit a house there and killed two people.")
    twenty = next(c for c in doc.claims if c.measure == "killed" and c.quantity.value == 20)
    two = next(c for c in doc.claims if c.measure == "killed" and c.quantity.value == 2)
    assert two.event is not None and two.event != twenty.event


def test_children_among_the_dead_are_part_of_the_toll(nlp):
    doc = run(nlp, "Russian missiles hit the railway station in Sloviansk on Friday. The regional governor said the "
                   "death toll had risen to 50. He said that five children were among the dead.")
    (event,) = [e for e in doc.events if e.deaths is not None]
    assert event.deaths.best == 50


def test_a_vague_word_is_set_aside_when_a_number_was_reported(nlp):
    doc = run(nlp, "Russian missiles hit the railway station in Sloviansk on Friday. Dozens of bodies lay on the "
                   "platform, a reporter saw. The regional governor said the death toll had risen to 50.")
    (event,) = [e for e in doc.events if e.deaths is not None]
    assert (event.deaths.low, event.deaths.best) == (50, 50)


def test_a_count_since_the_operation_began_is_a_period_total():
    assert is_period_sentence('The ministry said 900 of its soldiers had died since the "special operation" began.')
    assert is_period_sentence("Kyiv says 400 children have been hurt since the full-scale invasion.")
    assert not is_period_sentence("The mayor said 12 people died when the station was shelled on Friday.")


def test_a_monitors_running_count_is_undated_background(nlp):
    doc = run(nlp, "Russian shelling killed three people in Kharkiv on Monday, the governor said. "
                   "The UN monitoring mission has recorded about 700 civilian deaths, but says the true toll is higher.")
    monitor = next(c for c in doc.claims if c.measure == "killed" and c.quantity.value == 700)
    assert monitor.date is None and monitor.event is None


def test_a_note_names_one_event(nlp):
    doc = run(nlp, "On 7 May 2022, Russian forces shelled Druzhkivka and Kostiantynivka, killing 3 civilians.")
    assert len(doc.events) == 1 and doc.events[0].deaths.best == 3


def test_two_towns_that_bound_a_road_or_a_border_are_one_place(nlp):
    road = run(nlp, "Russian forces ambushed a Ukrainian convoy on the Kharkiv - Chuhuiv road on Monday, killing "
                    "three soldiers." + CONTEXT)
    border = run(nlp, "Shelling hit villages on the border between Sumy and Kharkiv on Monday, killing two "
                      "people." + CONTEXT)
    assert [e.place.name for e in road.events] == ["Kharkiv"]
    assert len(border.events) == 1


def test_a_nationwide_tally_is_no_event_but_keeps_its_day(nlp):
    doc = run(nlp, "Russian shelling over the past 24 hours killed at least 16 civilians across Ukraine, the "
                   "presidential office said in its morning update." + CONTEXT)
    assert doc.events == []
    (killed,) = [c for c in doc.claims if c.measure == "killed"]
    assert killed.date is not None and killed.date.start == "2022-06-09"


def test_an_unknown_village_is_not_the_next_town_named(nlp):
    doc = run(nlp, "Russian bombs hit a school in Sloviansk on Saturday, killing 20 people, the governor said. "
                   "Elsewhere, he added, shelling in the village of Zvorykhivka destroyed a house and 11 people "
                   "remained under the debris. The port city of Mariupol has been virtually destroyed, with the "
                   "last 300 civilians evacuated on Saturday." + CONTEXT)
    eleven = next(c for c in doc.claims if c.quantity.value == 11)
    assert eleven.place is None or eleven.place.name != "Mariupol"


def test_a_long_coders_note_is_still_one_event(nlp):
    text = ("On 5 August 2024, a mob set fire to several police stations in Kharkiv during a procession. "
            "The stations were vandalised and set ablaze. They looted weapons and ammunition. Several policemen "
            "were injured. Police responded with tear gas and rubber bullets. Rioters also attacked the central "
            "jail, and guards fired from inside, killing 1. The mayor's house was set ablaze. Rioters also set "
            "ablaze a party office.")
    doc = nlp(Article(text=text))
    assert len(doc.events) == 1 and doc.events[0].deaths.best == 1
    assert doc.events[0].date.start == "2024-08-05"


# The report's own incident, which the recalled ones below must not take over.
CHAPLYNE = "Russian missiles struck a railway station in Chaplyne on Wednesday, killing 22 people, officials said. "


def test_a_past_incident_recalled_by_name_stays_undated(nlp):
    # "the bombing of a theatre in Mariupol" names a known past incident: no day of this report's;
    # "the town of Synelnykove also came under fire" is this report's news and takes its day
    doc = run(nlp, CHAPLYNE + "Ukraine says Russia is responsible for the bombing of a theatre in the "
                   "besieged port of Mariupol, where many civilians were sheltering. The town of Synelnykove "
                   "also came under fire, the governor said." + CONTEXT, published="2022-08-24")
    places = by_place(doc)
    assert places["Chaplyne"].date.start == "2022-08-24"
    assert places["Mariupol"].date is None
    assert places["Synelnykove"].date.start == "2022-08-24"


def test_a_habits_examples_recall_past_incidents_and_take_nothing_after_them(nlp):
    # the examples a habit lists ("including ... a theatre in Mariupol") are past incidents, undated;
    # the sentence after them still speaks of the incident under discussion
    doc = run(nlp, CHAPLYNE + "Russian forces have repeatedly targeted civilian areas, including hospitals "
                   "and a Mariupol theater where hundreds of people were taking shelter. Another 50 people were "
                   "wounded in the attack, the governor said." + CONTEXT, published="2022-08-24")
    places = by_place(doc)
    assert places["Mariupol"].date is None and not places["Mariupol"].claims
    wounded = next(c for c in doc.claims if c.measure == "wounded")
    assert wounded.event == places["Chaplyne"].id
    # a habit with no examples recalls nothing
    doc = run(nlp, CHAPLYNE + "Russian forces in Kharkiv have repeatedly targeted civilian areas."
                   + CONTEXT, published="2022-08-24")
    assert "Kharkiv" not in by_place(doc)


def test_a_quoted_question_reports_no_incident(nlp):
    # a question asks, whether or not a quote closes it: the town it names saw nothing this report tells
    doc = run(nlp, CHAPLYNE + 'The president addressed lawmakers. He asked: "Why this cruelty that the world '
                   'has witnessed in Irpin and other towns shelled by the invaders?"' + CONTEXT, published="2022-08-24")
    assert "Irpin" not in by_place(doc)
    assert "Chaplyne" in by_place(doc)


def test_a_town_a_force_tries_to_take_is_no_place_of_an_incident(nlp):
    # "in its efforts to take the capital city of Kyiv": the objective of a campaign, not a place where
    # anything happened; the towns the sentence says were struck still are
    doc = run(nlp, CHAPLYNE + "Russian forces pressed on with their attacks on Ukraine, even as they faced "
                   "resistance in their efforts to take the capital city of Kyiv." + CONTEXT, published="2022-08-24")
    assert "Kyiv" not in by_place(doc)
    doc = run(nlp, CHAPLYNE + "Russian forces shelled Kyiv in an attempt to break the defenders, the mayor said."
              + CONTEXT, published="2022-08-24")
    assert "Kyiv" in by_place(doc)


def test_a_bombed_out_place_is_a_state_not_an_air_strike(nlp):
    # "the bombed-out steel plant" describes the place; the sentence tells of an evacuation, no strike
    assert classify("Civilians trapped in the bombed-out steel plant were evacuated on Saturday.") is None
    doc = run(nlp, CHAPLYNE + "The besieged port of Mariupol has been virtually destroyed, with the last "
                   "civilians trapped in its bombed-out steel plant evacuated on Saturday." + CONTEXT,
              published="2022-08-24")
    assert "Mariupol" not in by_place(doc)
    assert classify("Russian planes bombed the steel plant on Saturday.") == "Air/drone strike"


def test_a_town_the_fire_came_from_is_not_where_it_fell(nlp):
    # "fired from the positions of militants in Horlivka": the shells fell on the centre of Donetsk
    doc = run(nlp, "Shelling killed two rescuers in Donetsk on Saturday, officials said. About 50 shells targeting "
                   "the city centre were fired from the positions of the militants in Horlivka, they said."
              + CONTEXT, published="2022-06-18")
    assert "Horlivka" not in by_place(doc)
    # the town the people fired at were in stays the place
    doc = run(nlp, "Troops fired at civilians leaving from Irpin on Wednesday, killing a policeman, officials said."
              + CONTEXT, published="2022-03-10")
    assert "Irpin" in by_place(doc)


def test_weeks_of_shelling_seed_no_incident(nlp):
    # a sentence that gives no day and tells of a stretch of violence ("for weeks", "devastated by",
    # "regularly shelled") describes a period, not an incident; with its own day it still reports one
    doc = run(nlp, CHAPLYNE + "Mariupol has come under intense bombardment from Russian artillery for weeks. "
                   "Kharkiv, a city devastated by Russian shelling, is regularly shelled by Russian forces."
              + CONTEXT, published="2022-08-24")
    assert "Mariupol" not in by_place(doc) and "Kharkiv" not in by_place(doc)
    assert "Chaplyne" in by_place(doc)
    doc = run(nlp, CHAPLYNE + "On Tuesday, Kharkiv, devastated after weeks of incessant shelling, was hit again "
                   "by Russian rockets." + CONTEXT, published="2022-08-24")
    assert by_place(doc)["Kharkiv"].date.start == "2022-08-23"


def test_readiness_and_threats_report_no_incident(nlp):
    # forces ready or primed to strike, the threat of war, a launchpad to attack: nothing has happened
    doc = run(nlp, CHAPLYNE + "The ministry said forces were primed to carry out strikes against command centres "
                   "in Kyiv. Diplomats met in Odesa to discuss the threat of war. Embassy staff left Lviv amid "
                   "heightened fears of a Russian attack on the country." + CONTEXT, published="2022-08-24")
    assert not {"Kyiv", "Odesa", "Lviv"} & set(by_place(doc))
    assert "Chaplyne" in by_place(doc)


def test_violence_that_goes_on_seeds_no_incident(nlp):
    # "the bombing of Mariupol continues", "scene of intense battles", "Odesa is being bombed": ongoing,
    # no incident of a day
    doc = run(nlp, CHAPLYNE + "The heavy bombing of Mariupol continues, officials said. Lysychansk, scene of intense "
                   "battles with Russian forces, is now a dead city. Not only Odesa is being bombed, he said."
              + CONTEXT, published="2022-08-24")
    assert not {"Mariupol", "Lysychansk", "Odesa"} & set(by_place(doc))
    assert "Chaplyne" in by_place(doc)
    doc = run(nlp, CHAPLYNE + "Russia continues to pound Kharkiv with rockets and air strikes." + CONTEXT,
              published="2022-08-24")
    assert "Kharkiv" not in by_place(doc)
    # a day's roundup: "forces continued shelling Kharkiv" reports that day's shelling
    doc = run(nlp, CHAPLYNE + "The governor said on Wednesday that Russian forces continued shelling Kharkiv."
              + CONTEXT, published="2022-08-24")
    assert "Kharkiv" in by_place(doc)
