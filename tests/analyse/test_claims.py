"""Claims from invented sentences: measure, subject, source and side, one phenomenon per test."""

import pytest

from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def claims(nlp, text, published="2022-05-10", outlet=None):
    doc = nlp(Article(text=text, published=published, outlet=outlet))
    return doc.claims


def summary(c):
    q = c.quantity
    return c.measure, q.value, q.min, q.max


def test_passive_toll_with_trailing_source(nlp):
    (c,) = claims(nlp, "Seven civilians were killed in the shelling of Izium, regional officials said.")
    assert summary(c) == ("killed", 7, 7, 7)
    assert c.source.kind == "official" and c.source.side == "ukraine"
    assert c.subject.category == "civilians"


def test_verb_before_number(nlp):
    (c,) = claims(nlp, "A missile strike on Odesa killed at least 12 people on Tuesday.")
    assert summary(c) == ("killed", 12, 12, None)
    assert c.source.kind == "unattributed"


def test_subcount_and_total_are_both_claims(nlp):
    cs = claims(nlp, "Nineteen people, including four children, died when the rocket hit the market, police said.")
    assert sorted(summary(c) for c in cs) == [("killed", 4, 4, 4), ("killed", 19, 19, 19)]


def test_killed_and_wounded_in_one_clause(nlp):
    cs = claims(nlp, "Three soldiers were killed and about 20 wounded near Bakhmut, the army said.")
    assert [summary(c) for c in cs] == [("killed", 3, 3, 3), ("wounded", 20, None, None)]


def test_enemy_count_is_a_boast_with_sides(nlp):
    (c,) = claims(nlp, "The Russian Defense Ministry said it had destroyed 14 Ukrainian tanks near Kupiansk.")
    assert c.measure == "destroyed" and c.subject.category == "equipment"
    assert c.source.side == "russia" and c.subject.side == "ukraine"


def test_intercepted_drones(nlp):
    (c,) = claims(nlp, "Air defences shot down more than 30 drones overnight, the Ukrainian Air Force said.")
    assert summary(c) == ("intercepted", 30, 31, None) and c.subject.category == "drones"


def test_population_and_crowds_are_not_claims(nlp):
    text = ("The city of 200,000 residents was shelled on Monday. About 500 people were sheltering in the "
            "basement. The war began eight months ago.")
    assert claims(nlp, text) == []


def test_pronoun_carries_previous_speaker(nlp):
    cs = claims(nlp, "Governor Oleh Synehubov said the attack was deliberate. He added that two people were "
                     "wounded.")
    (c,) = cs
    assert c.measure == "wounded" and c.source.name == "Kharkiv Regional Military Administration"


def test_money_and_territory(nlp):
    cs = claims(nlp, "The European Union approved 9 billion euros in aid. The general said the army had retaken "
                     "30% of the occupied territory.")
    got = {c.measure: (c.unit, c.quantity.value) for c in cs}
    assert got == {"money": ("EUR", 9_000_000_000), "territory": ("percent", 30)}


def test_repeated_figure_is_one_claim(nlp):
    text = ("Five people were killed in Sumy, the governor said. The governor said five people were killed. "
            "Five people were killed, the governor said again.")
    assert len(claims(nlp, text)) == 1


def test_evidence_offsets_index_the_body(nlp):
    doc = nlp(Article(text="PHOTO JOHN DOE, AGENCE FRANCE-PRESSE\n\nA caption line.\n\n"
                           "Ten shells landed on Kherson, the mayor said.", published="2022-11-20"))
    (c,) = doc.claims
    assert doc.text[c.evidence.start:c.evidence.end] == c.evidence.text
    assert "PHOTO" not in doc.text and "caption" not in doc.text


def test_others_after_a_number_is_the_subject(nlp):
    cs = claims(nlp, "Three people died and 11 others were injured when shells hit the market in Kherson.")
    assert [summary(c) for c in cs] == [("killed", 3, 3, 3), ("wounded", 11, 11, 11)]


def test_age_in_apposition_is_not_a_count(nlp):
    assert claims(nlp, "Her brother Petro Ivanenko, 37, a volunteer who died in March, was buried on Sunday.") == []


def test_negated_trigger_is_not_a_claim(nlp):
    assert claims(nlp, "Four drones were not intercepted and reached the city, the air force said.") == []


def test_money_only_in_the_wars_context(nlp):
    cs = claims(nlp, "Diesel rose to £1.95 a litre. The firm's sales reached $40 million last year. "
                     "Germany pledged 500 million euros in military aid to Ukraine.")
    assert [(c.measure, c.unit, c.quantity.value) for c in cs] == [("money", "EUR", 500_000_000)]


def test_deliveries_are_not_strikes(nlp):
    assert claims(nlp, "Britain will supply Ukraine with 2,000 drones and 300 missiles this year.") == []


def test_a_noun_ending_in_ing_is_still_a_noun(nlp):
    assert claims(nlp, "She said one thing was still missing from the house.") == []


@pytest.mark.parametrize("text,expected", [
    ("Ukraine's military said its air defences destroyed 58 of the 70 drones launched overnight.",
     [("intercepted", 58), ("fired", 70)]),
    ("Russia said it had taken more than 1,000 Ukrainian soldiers prisoner.", [("captured", 1000)]),
    ("Two ships were sunk and a third was damaged, the navy said.", [("destroyed", 2)]),
    ("The UN human rights office has confirmed 5,587 civilian deaths since the invasion began.", [("killed", 5587)]),
    ("The death toll rose from 15 to 38, officials said.", [("killed", 15), ("killed", 38)]),
])
def test_more_phrasings(nlp, text, expected):
    assert [(c.measure, c.quantity.value) for c in claims(nlp, text)] == expected


def test_speaker_at_sentence_end_has_no_full_stop(nlp):
    (c, _) = claims(nlp, "The attack killed 12 people and injured 40 others, according to the regional governor.")
    assert c.source.mention == "the regional governor" and c.source.name == "regional governor"


@pytest.mark.parametrize("text,expected", [
    # the heads notes from every region count people with
    ("On 4 May 2021, 6 Al Shabaab members were killed in a clash.", [("killed", 6, 6, 6)]),
    ("On 4 May 2021, soldiers clashed with the rebels. 2 senior Al Shabaab were killed.", [("killed", 2, 2, 2)]),
    ("On 4 May 2021, 40 BH/IS fighters were killed in air strikes.", [("killed", 40, 40, 40)]),
    ("On 4 May 2021, gunmen killed three members of the Dogon community.", [("killed", 3, 3, 3)]),
    ("On 4 May 2021, 4 Tuareg were killed near the well.", [("killed", 4, 4, 4)]),
    ("On 4 May 2021, a mob beat to death two suspected thieves.", [("killed", 2, 2, 2)]),
    ("On 4 May 2021, there was 1 fatality in the clash.", [("killed", 1, 1, 1)]),
    ("On 4 May 2021, 3 rebels were killed, injured or captured in the operation.", [("casualties", 3, 3, 3)]),
])
def test_note_phrasings(nlp, text, expected):
    assert sorted(summary(c) for c in claims(nlp, text, published=None)) == expected


def test_of_them_with_no_count_before_is_the_toll(nlp):
    doc = nlp(Article(text="On 4 May 2021, a mine hit an army truck near the pass, killing 3 of them.", published=None))
    (c,) = doc.claims
    assert summary(c) == ("killed", 3, 3, 3) and doc.events[0].deaths.low == 3
    doc = nlp(Article(text="On 4 May 2021, 30 people were killed in the market, 12 of them soldiers.", published=None))
    assert doc.events[0].deaths.low == 30


def test_a_part_listed_after_including_stays_a_part(nlp):
    doc = nlp(Article(text="On 4 May 2021, rioters clashed with police. 6 people, including two passers-by and 1 "
                           "officer, were killed in the clash.", published=None))
    assert doc.events[0].deaths.low == 6
