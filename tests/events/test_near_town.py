"""A place given as near a town ("outside the capital", "on the outskirts of") is an area around it."""

from claimledger.events.mentions import near_town
from claimledger.records import Place, Span


def town(text: str, name: str) -> Place:
    start = text.index(name)
    return Place(mention=name, name=name, geonameid=1, lat=50.0, lon=30.0, country="UA", admin1="Region",
                 precision="point", evidence=Span(start, start + len(name)))


def test_near_a_town_is_an_area_and_in_it_is_a_point():
    for text in ("A car bomb exploded outside Townsville on Sunday.",
                 "Shelling hit houses on the outskirts of Townsville.",
                 "Fighting raged near the city of Townsville."):
        assert near_town(text, town(text, "Townsville")).precision == "admin2"
    text = "A missile hit a school in Townsville."
    assert near_town(text, town(text, "Townsville")).precision == "point"
    assert near_town(text, None) is None
