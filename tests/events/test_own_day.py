"""An incident the lede dates only by its statement ("..., officials said Sunday") takes the day the
next sentences give it ("The Saturday night rocket strike ..."), its claims too.

Every text is written for the test.
"""

from claimledger.records import Article


def days(nlp, text: str) -> tuple[list, list]:
    doc = nlp(Article(text=text, published="2022-07-10"))   # a Sunday
    return [e.date.start for e in doc.events], [c.date.start for c in doc.claims if c.measure == "killed"]


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
