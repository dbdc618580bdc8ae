"""The syntax stage: which word governs a number, on sentences written for the test."""

import pytest

from claimledger.analyse.syntax import wants_parse
from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def claims(nlp, text):
    return [(c.measure, c.quantity.text) for c in nlp(Article(text=text, published="2022-05-09")).claims]


def test_only_sentences_with_a_trigger_are_parsed(nlp):
    assert wants_parse("Three people were killed.")
    assert not wants_parse("The city has 300,000 residents.")
    doc = nlp(Article(text="The town has 40,000 residents. Two soldiers were wounded there on Sunday.",
                      published="2022-05-09"))
    assert list(doc.syntax) == [1]


def test_conjoined_clause_governs_its_number(nlp):
    got = claims(nlp, "The governor said 90 people had been sheltering in the school, and 30 were rescued.")
    assert ("evacuated", "30") in got and not any(q == "90" for _, q in got)


def test_open_complement_reaches_the_verb(nlp):
    assert ("killed", "Forty") in claims(nlp, "Forty people were thought to have died under the rubble.")


def test_figure_carried_to_a_noun(nlp):
    assert ("wounded", "12") in claims(nlp, "The injured are made up of 12 servicemen.")


def test_negation_and_modality_are_not_claims(nlp):
    assert claims(nlp, "Rescuers said 20 people could have been killed had the shelter failed.") == []


def test_subcount_takes_the_measure_it_is_included_in(nlp):
    got = claims(nlp, "The strike killed 12 people, including five children, and injured 18 on Monday.")
    assert ("killed", "five") in got and ("wounded", "five") not in got
    assert ("killed", "12") in got and ("wounded", "18") in got


def test_a_chosen_sentence_is_parsed_only_when_read_and_alike_either_way(nlp):
    from claimledger.analyse.syntax import lemma, model

    text = "The town has 40,000 residents. Two soldiers were wounded there on Sunday."
    doc = nlp(Article(text=text, published="2022-05-09"))
    fresh = nlp.components[:nlp.names.index("syntax") + 1]
    from claimledger.pipeline import Pipeline

    chosen = Pipeline(fresh)(Article(text=text, published="2022-05-09")).syntax[1]
    assert not chosen.parsed        # choosing a sentence does not run the parser
    lazy = chosen.doc
    assert chosen.parsed and chosen.doc is lazy
    batch = next(model().pipe([chosen.text]))   # how the stage parsed before: the same tree
    assert [(t.text, t.dep_, t.head.i, t.pos_, lemma(t)) for t in lazy] == \
        [(t.text, t.dep_, t.head.i, t.pos_, lemma(t)) for t in batch]
    assert ("wounded", "Two") in [(c.measure, c.quantity.text) for c in doc.claims]


def test_a_lemma_asked_for_is_the_lemmatizers():
    # the parse runs without the lemmatizer; lemma() asks it about one token at a time, which gives
    # what running it over the whole sentence gives (the rules read lemmas of governing words only)
    from claimledger.analyse.syntax import lemma, model

    nlp = model()
    assert "lemmatizer" in nlp.disabled
    text = ("Two servicemen were killed and 15 others wounded when Russian forces shelled the villages; "
            "the toll rose to 30, officials said, and the dead are thought to number more than forty.")
    asked, whole = nlp(text), nlp.get_pipe("lemmatizer")(nlp(text))
    # nothing lemmatised until asked but what the attribute ruler sets itself ("were", "are" -> "be")
    assert [t.text for t in asked if t.lemma] == ["were", "are"]
    assert [lemma(t) for t in asked] == [t.lemma_ for t in whole]
    assert lemma(asked[2]) == "be" and lemma(asked[3]) == "kill"
