"""A sentence that reports a deed and then a fear is an incident; one that only fears, threatens or
supposes violence is not (session 19: the parse reads which of its words is under the modal). And a
country's possessive before a person's name ("Britain's Johnson") is no place of an incident.

Every text is written for the test; each covers a construction seen across many reports.
"""

import pytest

from claimledger.records import Article
from events.report_texts import QUIET_AFTER

QUIET = "Officials in Lutsk said on Tuesday that talks with Western partners on air defence would continue next week. "


def events(nlp, text):
    doc = nlp(Article(text=text, published="2022-08-24"))
    return [(e.place.name if e.place else None, e.date.start if e.date else None) for e in doc.events]


@pytest.mark.parametrize("sentence, town", [
    ("A car bombing in Lviv that killed a commentator on Saturday also heightened fears that Russia might "
     "intensify attacks this week.", "Lviv"),
    ("Explosions shook parts of Odesa on Saturday, while officials warned that more strikes could follow.", "Odesa"),
])
def test_a_deed_reported_before_a_fear_is_an_incident(nlp, sentence, town):
    assert (town, "2022-08-20") in events(nlp, QUIET + sentence + QUIET_AFTER)


@pytest.mark.parametrize("sentence, town", [
    ("Iskander missiles are capable of striking targets far away and could now target areas including Odesa, "
     "the military said on Saturday.", "Odesa"),
    ("The president threatened on Saturday to strike government buildings in Odesa.", "Odesa"),
    ("If the shelling of Odesa resumes on Saturday, thousands of residents will leave.", "Odesa"),
])
def test_violence_only_feared_threatened_or_supposed_is_no_incident(nlp, sentence, town):
    assert town not in {p for p, _ in events(nlp, QUIET + sentence + QUIET_AFTER)}


def test_a_countrys_possessive_before_a_name_is_no_place(nlp):
    text = (QUIET + "Britain's Johnson urged Western allies to stand by Ukraine through the winter. A car bombing "
            "outside Moscow that killed the daughter of a political theorist on Saturday also heightened fears that "
            "Russia might intensify attacks." + QUIET_AFTER)
    assert ("Moscow", "2022-08-20") in events(nlp, text)
    assert "United Kingdom" not in {p for p, _ in events(nlp, text)}


@pytest.mark.parametrize("text, country", [
    ("Britain's Johnson said on Tuesday that 15,000 Russian soldiers had been killed since the invasion began.", "GB"),
    ("France's Macron said on Tuesday that two journalists were killed in the shelling.", "FR"),
])
def test_a_countrys_possessive_before_a_person_places_nothing(nlp, text, country):
    doc = nlp(Article(text=text, published="2022-04-20"))
    assert doc.claims
    assert not any(c.place is not None and c.place.country == country for c in doc.claims)
    assert not any(e.place is not None and e.place.country == country for e in doc.events)


@pytest.mark.parametrize("text, country", [
    ("Armed raiders shot dead a farmer in northern Kenya's Laikipia County on 5 March.", "KE"),
    ("Two civilians from Iran's Sino (Oshnavieh) town were killed in the strikes on 5 March.", "IR"),
])
def test_a_countrys_possessive_before_a_place_keeps_the_country(nlp, text, country):
    doc = nlp(Article(text=text, published="2022-03-08"))
    assert any(c.place is not None and c.place.country == country for c in doc.claims) or \
        any(e.place is not None and e.place.country == country for e in doc.events)


@pytest.mark.parametrize("text, country", [
    ("On 6 July 2025, US forces, in coordination with government forces, conducted an airstrike on a militant "
     "base in a village near the coast. Casualties unknown.", "US"),
    ("On 3 July 2025, gunmen shot dead a UK national in a village near the coast.", "GB"),
])
def test_a_countrys_name_before_its_forces_or_people_is_no_place(nlp, text, country):
    doc = nlp(Article(text=text, published="2025-07-08"))
    assert doc.events
    assert not any(e.place is not None and e.place.country == country for e in doc.events)


def test_a_countrys_forces_strike_where_the_note_says(nlp):
    doc = nlp(Article(text="On 1 March 2022, Russia Military forces fired missiles at two apartment blocks in Kherson, "
                           "damaging several apartments.", published="2022-03-02"))
    assert {c.place.name for c in doc.claims if c.place is not None} == {"Kherson"}


@pytest.mark.parametrize("sentence, town", [
    # a warning or a fear named first, the deed after it (session 21: "warn" no longer ends the reading)
    ("The warning came as explosions shook parts of Odesa on Saturday, officials said.", "Odesa"),
    ("Aiming to retake the city, troops shelled positions on the outskirts of Odesa on Saturday.", "Odesa"),
])
def test_a_deed_told_after_a_word_of_intent_is_an_incident(nlp, sentence, town):
    assert (town, "2022-08-20") in events(nlp, QUIET + sentence + QUIET_AFTER)


@pytest.mark.parametrize("sentence, town", [
    ("Officials said on Saturday the enemy is planning a terrorist attack on the dam near Odesa.", "Odesa"),
    ("The brigade, which is intended to shield Odesa from any naval attack, was moved east on Saturday.", "Odesa"),
])
def test_an_attack_only_intended_is_no_incident(nlp, sentence, town):
    assert town not in {p for p, _ in events(nlp, QUIET + sentence + QUIET_AFTER)}
