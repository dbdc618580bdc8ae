"""ACLED's whole taxonomy from notes of every region: invented sentences, one construction each."""

from __future__ import annotations

import pytest

from claimledger.events.classify import classify
from claimledger.records import Article


@pytest.mark.parametrize("text, expected", [
    # ACLED's own labels at the head of a note
    ("Movement of forces: On 3 May 2021, soldiers were deployed to the border town.", "Change to group/activity"),
    ("Property destruction: On 3 May 2021, settlers cut down olive trees near the village.",
     "Looting/property destruction"),
    ("Non-violent activity: On 3 May 2021, the militants held a public meeting in the market.", "Other"),
    ("Defusal: On 3 May 2021, police defused an IED found near the school.", "Disrupted weapons use"),
    # riots: demonstrators' own violence, or people who are no armed group attacking each other
    ("Students demonstrated against fee increases and set fire to tyres on the highway.", "Violent demonstration"),
    ("Protesters threw stones at police and vandalised shops in the town centre.", "Violent demonstration"),
    ("Supporters of the two candidates clashed at the polling centre, injuring four people.", "Mob violence"),
    ("Angry residents lynched a suspected thief in the village.", "Mob violence"),
    ("Members of the Awami League assaulted and injured three BNP activists at the market.", "Mob violence"),
    ("Police fired tear gas to disperse a crowd protesting against the eviction.", "Protest with intervention"),
    # who was hit: armed men against civilians, against armed men
    ("Unidentified gunmen shot and killed two farmers on the road to the market.", "Attack"),
    ("A trader was hacked to death by suspected bandits in his shop.", "Attack"),
    ("The body of a man with gunshot wounds was found in a field outside the town.", "Attack"),
    ("Militants attacked a military checkpoint on the main road, and soldiers returned fire.", "Armed clash"),
    ("Al-Shabaab clashed with government forces near the village.", "Armed clash"),
    # weapons: an IED is no shelling, a suicide bomber no air strike
    ("An IED planted on the road exploded under a military truck, killing two soldiers.",
     "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at a checkpoint.", "Suicide bomb"),
    ("Insurgents fired mortars at the town overnight.", "Shelling/artillery/missile attack"),
    ("Gunmen abducted a teacher and two pupils from the school.", "Abduction/forced disappearance"),
    ("Gunmen abducted and killed a chief in the village.", "Attack"),
    # territory for any armed group
    ("JNIM militants seized control of the town after the army withdrew.", "Non-state actor overtakes territory"),
    ("Government forces recaptured the town from the rebels.", "Government regains territory"),
])
def test_acled_types_from_common_note_constructions(text, expected):
    assert classify(text) == expected


def deaths(nlp, text):
    doc = nlp(Article(text=text))
    return sum((e.deaths.low or 0) for e in doc.events if e.deaths)


@pytest.mark.parametrize("text, n", [
    ("On 5 May 2021, clan militias clashed near the village. 1 clan militia was killed.", 1),
    ("On 5 May 2021, a mob lynched two suspected thieves in the market.", 2),
    ("On 5 May 2021, a private guard stabbed a man to death over a dispute.", 1),
    ("On 5 May 2021, unknown gunmen shot dead a tax collector at his home.", 1),
    ("On 5 May 2021, robbers looted INR 10 million from a bank and fled.", 0),
    ("On 5 May 2021, robbers looted Tk 20,000 from a shop and fled.", 0),
    ("On 5 May 2021, the militants demanded a ransom of KES 500,000 for the herders.", 0),
])
def test_victims_and_deaths_from_every_region_and_money_is_never_a_toll(nlp, text, n):
    assert deaths(nlp, text) == n


def test_a_note_without_a_year_stays_undated_never_a_wrong_year(nlp):
    doc = nlp(Article(text="30 January: Unidentified gunmen abducted and killed a civilian in the village. "
                           "The 2013 agreement was never applied."))
    assert doc.events and all(e.date is None for e in doc.events)


def test_as_reported_on_dates_the_note(nlp):
    doc = nlp(Article(text="As reported on 2 May 2020, soldiers looted the shops of the town."))
    assert doc.events[0].date.start == "2020-05-02"


SH, DW, RE, AC = "Shelling/artillery/missile attack", "Disrupted weapons use", "Remote explosive/landmine/IED", "Armed clash"


@pytest.mark.parametrize("text, expected", [
    # ground fire that brings down a manned aircraft is shelling; a drone or missile brought down is
    # disrupted weapons use
    ("On 4 May 2022, government forces shot down an enemy helicopter near the town. Casualties unknown.", SH),
    ("On 4 May 2022, air defence shot down a Su-25 attack aircraft over the village.", SH),
    ("A fighter jet was shot down near the border on Tuesday, the army said.", SH),
    ("On 4 May 2022, air defence shot down an Orlan-10 UAV near the town.", DW),
    ("On 4 May 2022, forces shot down two drones over the city.", DW),
    # forces fighting forces with no remote weapon named, and fire that is answered, are a battle
    ("On 4 May 2022, government forces killed 12 rebel fighters near the village. Casualties unknown.", AC),
    ("On 4 May 2022, the army destroyed 7 units of military equipment of the enemy near the town.", AC),
    ("On 4 May 2022, rebel forces fired unspecified weapons at army positions near the town. Casualties unknown.", AC),
    ("On 8 May 2022, rebel forces shelled Kurmuk. Government forces responded with fire. Casualties unknown.", AC),
    ("On 8 May 2022, rebels tried to advance on the town with mortars and artillery, but were repelled.", AC),
    # ground that changed hands after fighting is coded by the outcome
    ("On 3 May 2022, following clashes, rebel forces took control of the town of Kurmuk.", "Non-state actor overtakes territory"),
    ("On 3 May 2022, government forces clashed with rebels in Kurmuk. As the result of the clash the town was "
     "liberated. Casualties unknown.", "Government regains territory"),
    ("On 3 May 2022, government forces clashed with rebels near Kurmuk. Casualties unknown.", AC),
    # a mine is an explosive when something hits or triggers it, not a coal mine that was shelled
    ("On 3 May 2022, army forces shelled the Zhovtneva coal mine near the town. Casualties unknown.", SH),
    ("On 3 May 2022, a truck hit a mine on the road near the village, killing 2 people.", RE),
    ("On 3 May 2022, retreating forces blew up a bridge near the town.", RE),
    # houses destroyed by shelling are the shelling; destroyed by people who came to burn and loot, looting
    ("He added that shelling in the village had destroyed a house and 11 people remained under the debris.", SH),
    ("On 3 May 2022, a missile strike destroyed two homes near the town. Casualties unknown.", SH),
    ("On 3 May 2022, unidentified men destroyed three houses and looted shops in the village.",
     "Looting/property destruction"),
])
def test_acled_coding_conventions_for_weapons_battles_and_ground(text, expected):
    assert classify(text) == expected


def test_classify_reads_the_same_from_its_cache():
    """The events stage asks about one incident text several times; the cached answer is the answer."""
    from claimledger.events import classify as cl

    text = "Russian forces shelled the village overnight, killing two civilians, the governor said."
    cl._first.cache_clear()
    first = cl.classify(text, text)
    assert cl._first.cache_info().misses >= 1
    cl._first.cache_clear()
    assert cl.classify(text) == cl.classify(text, text) == first
    assert cl._first.cache_info().hits >= 1
