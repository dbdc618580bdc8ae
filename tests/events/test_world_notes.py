"""Notes of other wars and of street politics: invented sentences, one construction each, as ACLED's
coders write them (issue 10). Each case failed before the rule beside it."""

from __future__ import annotations

import pytest

from claimledger.events.classify import classify
from claimledger.records import Article


@pytest.mark.parametrize("text, expected", [
    # sides that are no armed group: rival factions, two groups, a party's wing named with its acronym
    ("On 3 May 2021, members of two factions of the Students League (SL) engaged in a factional clash on "
     "the campus.", "Mob violence"),
    ("On 3 May 2021, two groups clashed over a land dispute in the village, injuring eight people.", "Mob violence"),
    ("On 3 May 2021, a mob, including students, set fire to the house of a councillor in the town.", "Mob violence"),
    ("On 3 May 2021, unidentified persons vandalised and looted three shops in the market.", "Mob violence"),
    ("On 3 May 2021, rivals assaulted and injured a shopkeeper over a land dispute.", "Mob violence"),
    ("On 3 May 2021, a number of residents pelted stones at a lorry after an accident on the road.", "Mob violence"),
    # crude bombs are rioters' weapons, not an armed group's
    ("On 3 May 2021, unidentified persons exploded two crude bombs near the house of a party leader.",
     "Mob violence"),
    # the protests only the background of the violence
    ("On 3 May 2021, a mob set fire to the house of a local leader amid ongoing demonstrations in the city.",
     "Mob violence"),
    # an armed man who kills or wounds an armed man: a battle, even one shot
    ("On 3 May 2021, militants shot and killed a police officer on the main road.", "Armed clash"),
    ("On 3 May 2021, Taliban snipers shot and killed two soldiers in the district.", "Armed clash"),
    ("On 3 May 2021, a soldier was wounded by insurgent snipers near the town.", "Armed clash"),
    ("On 3 May 2021, the army carried out an operation against the insurgents in the district, leaving 4 "
     "insurgents dead.", "Armed clash"),
    ("On 3 May 2021, government forces thwarted an incursion by the rebels near the town.", "Armed clash"),
    # ... but the weapon from afar is still the type, and civilians hit are still an attack
    ("On 3 May 2021, ten militants were killed by military airstrikes in the district.", "Air/drone strike"),
    ("On 3 May 2021, gunmen shot and killed two farmers on the road to the market.", "Attack"),
    ("On 3 May 2021, soldiers shot an emergency officer in the town.", "Attack"),
    ("On 3 May 2021, a soldier opened fire on a minibus at a checkpoint, killing a passenger.", "Attack"),
    # the police acting on a protest
    ("On 3 May 2021, students staged a protest in the town. Police charged batons at the protesters and "
     "detained five of them.", "Protest with intervention"),
    # a protest against damage done before is peaceful; demonstrators who fight another group are not
    ("On 3 May 2021, party members staged a protest against the prior vandalism of their office.",
     "Peaceful protest"),
    ("On 3 May 2021, student demonstrators clashed with supporters of the ruling party during a march.",
     "Violent demonstration"),
    ("On 3 May 2021, residents barricaded the road to protest against power cuts.", "Violent demonstration"),
])
def test_world_note_constructions(text, expected):
    assert classify(text) == expected


def test_split_share_in_brackets_is_this_rows_figure(nlp):
    """"Fatalities are split across 3 events (4)": the coder gives this row's share in brackets."""
    doc = nlp(Article(text="On 3 May 2021, 10 militants were killed during clashes with the army in three "
                           "districts. Fatalities are split across 3 events (4)."))
    assert sum((e.deaths.low or 0) for e in doc.events if e.deaths) == 4
