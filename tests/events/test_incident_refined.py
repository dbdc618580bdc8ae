"""An incident refined by the sentences after its first. A settlement described without its name
("a coastal town near Odesa", "a city in central Ukraine") is named a sentence or two later; that
name, not the place that located it nor the filing city of the dateline, is where the incident
happened. An incident the lede dates only by its statement ("..., officials said Sunday") takes the
day the next sentences give it ("The Saturday night rocket strike ..."), its claims too.

Every text is written for the test.
"""

from claimledger.records import Article


def told(nlp, text: str, published: str = "2022-07-01", day: bool = False) -> tuple[list, list]:
    """The events' places (or days) and the killed claims' places (or days) of a report."""
    doc = nlp(Article(text=text, published=published))
    field = (lambda x: x.date.start) if day else (lambda x: x.place.name)
    return [field(e) for e in doc.events], [field(c) for c in doc.claims if c.measure == "killed"]


def places(nlp, text: str) -> tuple[list, list]:
    return told(nlp, text)


def days(nlp, text: str) -> tuple[list, list]:
    return told(nlp, text, "2022-07-10", day=True)   # a Sunday


def test_the_town_named_next_to_the_place_that_located_it_is_the_incidents(nlp):
    events, claims = places(nlp, "Missiles hit homes in a coastal town near the port city of Odesa early Friday, "
                                 "killing 18 people, officials said. Footage showed ruined buildings in the small "
                                 "town of Bilhorod-Dnistrovskyi, about 50 km from Odesa.")
    assert events == ["Bilhorod-Dnistrovskyi"] and claims == ["Bilhorod-Dnistrovskyi"]


def test_a_city_the_lede_leaves_unnamed_is_not_the_filing_city(nlp):
    events, claims = places(nlp, "Kyiv, Ukraine — Russian missiles struck a city in central Ukraine on Thursday, "
                                 "killing 20 people, officials said. Police said the missiles hit an office "
                                 "building in Poltava.")
    assert events == ["Poltava"] and claims == ["Poltava"]


def test_a_town_far_from_the_described_one_is_another_incident(nlp):
    events, _ = places(nlp, "Missiles hit homes in a coastal town near the port city of Odesa early Friday, "
                            "killing 18 people, officials said. Shelling also killed two people in Kharkiv.")
    assert events == ["Odesa", "Kharkiv"]


def test_a_town_named_in_apposition_is_named_already(nlp):
    events, claims = places(nlp, "Russian shelling killed three people in Bucha, a town near Kyiv, on Monday, "
                                 "officials said. Rescuers later reached Irpin.")
    assert events[:1] == ["Bucha"] and claims == ["Bucha"]


def test_a_count_across_the_country_is_no_towns_toll(nlp):
    doc = nlp(Article(text="Shelling killed four people in Kharkiv, in eastern Ukraine, on Saturday, officials "
                           "said. Russia also fired dozens of missiles at several areas across the country.",
                      published="2022-06-25"))
    fired = [c for c in doc.claims if c.measure == "fired"]
    assert [(c.place.name, c.event) for c in fired] == [("Ukraine", None)]
    assert [e.place.name for e in doc.events] == ["Kharkiv"]


def test_a_count_across_the_country_opening_an_incident_is_no_toll_of_the_town_named_later(nlp):
    # the national count seeds an incident with no place yet; a town it takes later is not the count's
    quiet = (" Schools in the region stayed closed. The governor urged residents to leave. Trains left the city "
             "every day this week. Aid deliveries resumed. Power was restored to most homes. Shops reopened.")
    doc = nlp(Article(text="Russia fired dozens of missiles at several areas across the country on Saturday, far from "
                           "the eastern battles. Some of the missiles were fired from bombers flying over Belarus, the "
                           "air force said. The governor said heavy shelling went on around Lysychansk." + quiet,
                      published="2022-06-25"))
    (fired,) = [c for c in doc.claims if c.quantity.text == "dozens"]
    assert fired.event is None and (fired.place is None or fired.place.precision == "country")


def test_a_mayors_town_is_where_when_the_sentence_names_only_a_country(nlp):
    events, claims = places(nlp, "Elsewhere in Ukraine, the mayor of the port city of Mykolaiv, Ivan Petrenko, said shelling "
                                 "killed two people on Sunday.")
    assert events == ["Mykolayiv"] and claims == ["Mykolayiv"]   # the gazetteer's spelling


def test_officials_in_the_capital_speak_for_the_country(nlp):
    _, claims = places(nlp, "Elsewhere in Ukraine, officials in Kyiv said 900 Russian soldiers were killed on Sunday.")
    assert claims != ["Kyiv"]


def test_the_village_is_the_one_named_not_the_town_outside_which_it_lies(nlp):
    doc = nlp(Article(text="Few people remain in Yakovlivka, a small farming village outside Kharkiv. Most left "
                           "in the spring. The head of the village administration said four people were killed.",
                      published="2022-04-13"))
    assert [c.place.name for c in doc.claims if c.measure == "killed"] == ["Yakovlivka"]


def test_a_statement_day_gives_way_to_the_incidents_own(nlp):
    events, claims = days(nlp, "At least 12 people were killed when a rocket hit an apartment building in "
                               "Kramatorsk, officials said Sunday. The Saturday night rocket strike was the "
                               "deadliest in the city this month.")
    assert events == ["2022-07-09"] and claims == ["2022-07-09"]


def test_an_incident_with_a_day_of_its_own_keeps_it(nlp):
    events, claims = days(nlp, "At least 12 people were killed when a rocket hit an apartment building in "
                               "Kramatorsk on Sunday, officials said. The Saturday night rocket strike on the "
                               "city's outskirts wounded two.")
    assert events[:1] == ["2022-07-10"] and claims == ["2022-07-10"]


def test_a_day_told_long_after_the_lede_does_not_redate_it(nlp):
    events, _ = days(nlp, "At least 12 people were killed when a rocket hit an apartment building in "
                          "Kramatorsk, officials said Sunday. Rescuers searched the rubble. The city has "
                          "been shelled for months. Many residents have left. Officials urged the rest to "
                          "go. A strike on Friday night hit a school there.")
    assert events[:1] == ["2022-07-10"]
