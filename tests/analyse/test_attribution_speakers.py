"""Who says it and whose the counted are, in constructions the out-of-sample audit
(bench/claims_audit.py, session 20) found common in real news. Sentences are the project's own."""

import pytest

from analyse.claim_texts import by_value, claims
from claimledger.analyse.attribution import normalise
from claimledger.pipeline import default_pipeline


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


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


@pytest.mark.parametrize("text, value, name", [
    # the quotation's frame follows its close, two sentences on
    ('The spokeswoman Maria Lenz spoke on Friday. "The shelling has not stopped. Seven soldiers were killed '
     'overnight. We are deeply worried," Lenz said.', 7, "Lenz"),
    # the sentence opens a quotation it does not close; the frame's title is abbreviated
    ('"As of noon - six wounded, including two children. All are in hospital," Gov. Vitaliy Kim wrote on Telegram.',
     6, "Regional Military Administration (Ukraine)"),
    # a second quotation after one the speaker framed runs on in the same voice
    ('The Red Cross director spoke to reporters. "We fear the worst," the Red Cross said in a statement. '
     '"In one week, at least 40 civilians have been killed in the city." The city has no power.', 40,
     "International Committee of the Red Cross"),
])
def test_a_quotation_that_runs_on_keeps_its_speaker(nlp, text, value, name):
    assert by_value(claims(nlp, text), value).source.name == name


def test_a_sentence_outside_any_quotation_stays_the_outlets(nlp):
    c = by_value(claims(nlp, 'The mayor called the strike "barbaric." Nine people were killed in the city on Monday.'), 9)
    assert c.source.kind == "unattributed"


@pytest.mark.parametrize("sentence, name", [
    ("According to the United Nations some 1,200 civilians have died in the fighting.", "United Nations"),
    ("Earlier this week, U.N. figures showed that at least 200 children had been killed.", "United Nations"),
    ("Ukraine's Azov regiment, defending the steel plant, said two fighters were killed.", "Ukraine's Azov regiment"),
    ("US defence officials said of the sums announced on Friday, $300m would go to Ukraine.", "US defence officials"),
    ("Gov. Pavlo Kyrylenko said two people died, and the towns of Lyman and Siversk each reported one killed.",
     "Donetsk Regional Military Administration"),
])
def test_the_speaker_phrase_is_read_past_counts_participles_and_distributives(sentence, name):
    from claimledger.analyse.attribution import find_speakers
    names = {sp.source.name for sp in find_speakers(sentence, 0, len(sentence), False)}
    assert names == {name}


def test_a_government_accused_of_something_is_no_speaker():
    from claimledger.analyse.attribution import find_speakers
    sentence = "Thousands have been killed, with the government accused of blocking aid convoys."
    assert find_speakers(sentence, 0, len(sentence), False) == []


def test_images_that_show_are_no_speaker():
    from claimledger.analyse.attribution import find_speakers
    sentence = "Satellite images showed 40 craters near the airfield."
    assert find_speakers(sentence, 0, len(sentence), False) == []


def test_the_agency_is_the_international_organisation_named_before(nlp):
    c = by_value(claims(nlp, "Two million children need aid, according to UNICEF. The agency also reported that "
                             "nearly 900 children have been killed or injured."), 900)
    assert c.source.name == "UNICEF"


def test_he_after_the_sentences_own_named_subject_is_that_subject(nlp):
    c = by_value(claims(nlp, "President Zelensky spoke on Monday. Biden praised the allies as he announced a "
                             "commitment of $800 million in military aid."), 800_000_000)
    assert c.source.name == "US government"


@pytest.mark.parametrize("text, value, side", [
    ("The UN said 900 Ukrainian civilians, including 60 children, were killed in March.", 60, "ukraine"),
    ("The swap returned 30 Ukranian prisoners and 20 Russian prisoners to their homes.", 30, "ukraine"),  # misspelt
])
def test_a_count_takes_the_side_of_the_people_it_is_part_of(nlp, text, value, side):
    assert by_value(claims(nlp, text), value).subject.side == side



@pytest.mark.parametrize("mention, name", [
    ("regional governor Valentyn Reznichenko", "Valentyn Reznichenko"),
    ("Ukrainian Maj. Gen. Oleksiy Hromov", "Oleksiy Hromov"),
    ("Anton Herashchenko, an adviser to the interior minister", "Anton Herashchenko"),
    ("A separatist representative, Ivan Petrenko", "Ivan Petrenko"),
    ("the Kharkiv Regional Prosecutor's Office", "Kharkiv Regional Prosecutor's Office"),   # an organisation
    ("head of the administration of Kherson Oblast", "head of the administration of Kherson Oblast"),   # a place
])
def test_a_speaker_no_actor_names_is_called_by_the_persons_own_name(mention, name):
    assert normalise(mention).name == name
