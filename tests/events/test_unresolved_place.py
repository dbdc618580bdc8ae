"""An event at a settlement the gazetteer lacks keeps that settlement, in its area, and is never
moved to a town named later.  The village names are invented, so no gazetteer holds them."""

from __future__ import annotations

from claimledger.outputs.table import place_name
from claimledger.records import Article


def test_a_notes_event_is_at_the_unresolved_village_in_its_oblast(nlp):
    res = nlp(Article(text="On 5 May 2022, Russian forces shelled near Zzyzxivka village, Kharkiv. "
                           "Casualties unknown.")).result()
    (ev,) = res.events
    p = ev.place
    assert (p.name, p.unresolved, p.geonameid, p.admin1, p.precision) == ("Zzyzxivka", True, None, "Kharkiv", "admin1")
    assert place_name(p) == "Zzyzxivka (not in the gazetteer; Kharkiv)"


def test_a_town_named_later_in_the_oblast_does_not_replace_the_unresolved_village(nlp):
    text = ("Russian shelling destroyed a house in the village of Qqorivka in the Luhansk region on Saturday, "
            "killing two people, the governor said. Rescuers in Sievierodonetsk said the fire was put out. "
            "The shelling continued overnight.")
    res = nlp(Article(text=text, published="2022-05-08")).result()
    killed = [c for c in res.claims if c.measure == "killed"]
    assert killed and all(c.place is not None and c.place.name == "Qqorivka" for c in killed)
    main = next(e for e in res.events if killed[0].id in e.claims)
    assert main.place.name == "Qqorivka" and main.place.unresolved and main.place.admin1 == "Luhansk"
