"""Who says it and whose the counted are, in constructions the out-of-sample audit
(bench/claims_audit.py, session 20) found common in real news. Sentences are the project's own."""

import pytest

from claimledger.analyse.attribution import normalise
from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def claims(nlp, text):
    return nlp(Article(text=text, published="2022-06-14")).claims


def by_value(cs, value):
    (c,) = [c for c in cs if c.quantity.value == value]
    return c


@pytest.mark.parametrize("mention, name", [
    ("Russian officials", "Russian officials"),          # nobody's office in particular, not the Kremlin
    ("Russian authorities", "Russian authorities"),
    ("Russian state media", "Russian state media"),      # outlets as a whole, not TASS
    ("Mayor Ihor Terekhov", "Kharkiv city administration"),   # a city's mayor is not the oblast's administration
    ("Gen. Valerii Zaluzhnyi", "Armed Forces of Ukraine"),    # the commander-in-chief, not the General Staff
])
def test_a_speaker_is_named_for_the_office_it_speaks_for(mention, name):
    src = normalise(mention)
    assert src is not None and src.name == name


@pytest.mark.parametrize("mention", ["Russian officials", "Russian state media", "the Russian-backed rebels"])
def test_russias_generic_and_backed_speakers_keep_russias_side(mention):
    assert normalise(mention).side == "russia"


def test_rebels_backed_by_a_party_speak_for_its_side_not_another_wars_rebels(nlp):
    c = by_value(claims(nlp, "The Russian-backed rebels said on Sunday that three civilians had been killed in "
                             "their territory near Horlivka."), 3)
    assert c.source.side == "russia" and c.subject.side == "russia"


@pytest.mark.parametrize("text, value, side", [
    ("Ukraine's Azov regiment said five soldiers were wounded by shelling on Tuesday.", 5, "ukraine"),
    ("The Russian defence ministry said 120 servicemen had been killed and 480 were wounded.", 480, "russia"),
    ("The Russian defence ministry said 120 servicemen had been killed and 480 were wounded.", 120, "russia"),
])
def test_a_belligerents_count_of_hurt_soldiers_it_did_not_hit_is_its_own(nlp, text, value, side):
    assert by_value(claims(nlp, text), value).subject.side == side


@pytest.mark.parametrize("text, value", [
    ("Ukraine's Azov regiment said its fighters had killed 14 soldiers near the plant.", 14),
    ("The Ukrainian military claims to have killed 30 soldiers in the fighting.", 30),
    # another party named: whose losses the sentence gives is not the speaker's to claim
    ("Russia has suffered heavy losses, and about 900 were killed this week, according to Ukraine's army.", 900),
])
def test_soldiers_a_belligerent_says_it_hit_or_another_party_lost_are_not_its_own(nlp, text, value):
    c = by_value(claims(nlp, text), value)
    assert c.subject.side != c.source.side
