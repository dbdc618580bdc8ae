"""Settlements the gazetteer does not know are kept as unresolved places, in the area named with them.

Every village name here is invented ("Zzyzxivka", "Qqorivka"), so no gazetteer holds it; the
tests run against the built-in gazetteer (tests/analyse/conftest.py).
"""

from __future__ import annotations

from claimledger.analyse.places import find_places
from claimledger.records import Place
from claimledger.serialise import dumps, from_dict, to_dict


def unresolved(text):
    return [p for p in find_places(text) if p.unresolved]


def oblast(text, mention):
    return next(p for p in find_places(text) if p.mention == mention and not p.unresolved)


def test_an_unknown_village_with_its_oblast_is_an_unresolved_place_in_that_oblast():
    text = "On 5 May 2022, Russian forces shelled near Zzyzxivka village, Kharkiv. Casualties unknown."
    (p,) = unresolved(text)
    assert (p.mention, p.name, p.geonameid) == ("Zzyzxivka", "Zzyzxivka", None)
    assert (p.country, p.admin1, p.precision) == ("UA", "Kharkiv", "admin1")
    region = oblast(text, "Kharkiv")
    assert region.precision == "admin1" and (p.lat, p.lon) == (region.lat, region.lon)  # the area's point
    assert not [q for q in find_places(text) if q.precision == "point"]  # never Kharkiv city's


def test_acleds_bracket_and_a_verbs_object_mark_the_settlement():
    assert [p.admin1 for p in unresolved("Fighting was reported near Qqorivka (Kharkiv).")] == ["Kharkiv"]
    assert [p.name for p in unresolved("Russian forces shelled Zzyzxivka, Donetsk.")] == ["Zzyzxivka"]


def test_a_known_name_its_oblast_does_not_hold_is_unresolved_there_not_moved():
    # there are Yasnes in Donetsk Oblast, none in Zhytomyr Oblast
    (p,) = unresolved("Russian forces shelled Yasne, Zhytomyr. Casualties unknown.")
    assert (p.name, p.admin1, p.geonameid) == ("Yasne", "Zhytomyr", None)


def test_the_village_of_an_unknown_name_takes_the_region_of_its_sentence():
    (p,) = unresolved("Shelling hit the village of Zzyzxivka in the Luhansk region on Monday.")
    assert (p.name, p.admin1, p.precision) == ("Zzyzxivka", "Luhansk", "admin1")
    # the oblast of the sentence's towns
    (p,) = unresolved("Shelling hit the village of Zzyzxivka near Sievierodonetsk on Monday.")
    assert (p.name, p.admin1) == ("Zzyzxivka", "Luhansk")
    # a region named elsewhere in the report, when it is the report's only one
    text = "Shelling destroyed a house in the village of Zzyzxivka. The governor of Luhansk region said so."
    assert [p.admin1 for p in unresolved(text)] == ["Luhansk"]


def test_no_area_no_unresolved_place_and_no_person_taken_for_a_village():
    assert unresolved("Shelling hit the village of Zzyzxivka on Monday.") == []
    assert unresolved("Shelling hit the village of Zzyzxivka in Ukraine. Kharkiv and Luhansk regions were quiet.") == []
    assert unresolved("The village was quiet. Ukrainian village life goes on.") == []
    assert unresolved("The report was confirmed by Denis Pushilin, Donetsk separatist leader.") == []
    assert unresolved("Fighting continued in Kalmiuskyi raion, Donetsk.") == []


def test_the_flag_is_written_only_when_true():
    p = find_places("Russian forces shelled near Zzyzxivka village, Kharkiv.")
    wire = [to_dict(x) for x in p]
    assert wire[0]["unresolved"] is True and "unresolved" not in wire[1]
    assert from_dict(Place, wire[0]).unresolved and not from_dict(Place, wire[1]).unresolved
    assert '"unresolved"' not in dumps(p[1])   # a resolved place's JSON is what it always was


def test_a_countrys_adjective_before_a_settlement_word_names_no_settlement():
    # "the eastern Polish village", "a Moldovan village": the adjective says whose, not which
    text = ("The blast in the eastern Polish village killed two farmers, the governor of Luhansk region said. "
            "A Moldovan village near the border was evacuated.")
    assert unresolved(text) == []
    assert [p.name for p in unresolved("Shelling hit Zzyzxivka village in the Luhansk region.")] == ["Zzyzxivka"]
