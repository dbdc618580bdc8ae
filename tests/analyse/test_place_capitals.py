"""A capital named by its country's adjective ("the Ukrainian capital") or possessive ("Ukraine's
capital city") is that capital.

Every text is written for the test.
"""

import pytest

from claimledger.analyse.places import find_places
from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


@pytest.mark.parametrize("text, capital, country", [
    ("Russian missiles struck the Ukrainian capital on Monday.", "Kyiv", "UA"),
    ("Protesters marched through the Sudanese capital on Sunday.", "Khartoum", "SD"),
    ("Drones were shot down over the Russian capital overnight.", "Moscow", "RU"),
])
def test_the_adjective_and_capital_are_the_capital(text, capital, country):
    got = [(p.name, p.country, p.precision) for p in find_places(text)]
    assert got == [(capital, country, "point")]


@pytest.mark.parametrize("text, capital", [
    ("A missile struck an apartment block in Ukraine's capital city on Monday.", "Kyiv"),
    ("Protesters marched through Sudan's capital on Sunday.", "Khartoum"),
])
def test_a_countrys_possessive_and_capital_are_the_capital(text, capital):
    got = [(p.name, p.precision) for p in find_places(text) if p.precision == "point"]
    assert got == [(capital, "point")]


@pytest.mark.parametrize("text, country, capital", [
    ("Explosions rocked Ukraine's capital, Kyiv, on Monday.", "Ukraine", "Kyiv"),
    ("Hundreds marched in Kenya's capital Nairobi on Monday.", "Kenya", "Nairobi"),
])
def test_a_capital_named_after_the_possessive_is_named_once(text, country, capital):
    assert [p.mention for p in find_places(text)] == [country, capital]


def test_the_capital_named_right_after_is_one_place_not_two():
    got = [p.mention for p in find_places("Explosions rocked the Ukrainian capital, Kyiv, on Monday.")]
    assert got == ["Kyiv"]


def test_an_adjective_that_names_no_country_is_no_place():
    assert find_places("Explosions rocked the financial capital on Monday.") == []


def test_a_strike_on_the_capital_is_an_event_there(nlp):
    doc = nlp(Article(text="Russian missiles struck the Ukrainian capital on Monday, killing five people, "
                           "officials said.", published="2022-10-11"))
    assert [(e.place.name, e.date.start) for e in doc.events] == [("Kyiv", "2022-10-10")]
