"""A nuclear power plant named after a town it is not in is placed at the plant's town."""

import pytest

from claimledger import geo
from claimledger.analyse.places import find_places

ENERHODAR = (47.49, 34.66)
ZAPORIZHZHIA = (47.85, 35.12)


@pytest.mark.parametrize("text", [
    "Shelling hit the Zaporizhzhia nuclear power plant on Monday.",
    "Russian troops fired at the Zaporizhzhia NPP overnight.",
    "Zaporizhzhia's nuclear plant lost power again.",
])
def test_the_plant_named_after_a_town_is_at_its_own_site(text):
    (place,) = [p for p in find_places(text) if p.mention.startswith("Zapori")]
    assert geo.km(place.lat, place.lon, *ENERHODAR) < 10
    assert place.mention == "Zaporizhzhia" and text[place.evidence.start:place.evidence.end] == "Zaporizhzhia"


def test_the_town_itself_stays_the_town():
    (place,) = find_places("A missile struck an apartment block in Zaporizhzhia on Monday.")
    assert geo.km(place.lat, place.lon, *ZAPORIZHZHIA) < 10
