"""A count whose verb comes in a later clause through a pronoun, and the killing verbs that make a
sentence worth parsing (session 19). Sentences written for the test; each construction is common in
reports: "with N people when they were ...", "a bus carrying N passengers, killing them"."""

import pytest

from claimledger.analyse.syntax import wants_parse
from claimledger.pipeline import default_pipeline
from claimledger.records import Article


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def claims(nlp, text):
    return [(c.measure, c.quantity.text) for c in nlp(Article(text=text, published="2022-05-09")).claims]


@pytest.mark.parametrize("sentence, count", [
    ("He was waiting in a bread line with several other people when they were gunned down by snipers.", "several"),
    ("The missile hit a bus carrying 12 passengers near Kharkiv, killing them all, police said.", "12"),
    ("A shell struck a car with four people inside near Izium, killing them, police said.", "four"),
])
def test_a_pronoun_takes_the_count_to_its_clause(nlp, sentence, count):
    assert ("killed", count) in claims(nlp, sentence)


@pytest.mark.parametrize("sentence", [
    # the pronoun's clause does nothing the measures count
    "The convoy carried 30 volunteers to Kharkiv, and they distributed food there on Sunday.",
    # a plural noun stands between the count and the pronoun: "them" is the soldiers
    "The village sheltered 40 families while soldiers searched the houses, killing them, officials said.",
    # the killing is not done: a modal on the pronoun's verb
    "Police said 15 protesters were trapped in the square, and they could have been killed.",
])
def test_a_pronoun_that_takes_up_nothing_counted_makes_no_claim(nlp, sentence):
    got = claims(nlp, sentence)
    assert not any(m == "killed" for m, _ in got), got


def test_the_killing_verbs_of_the_parse_make_a_sentence_worth_parsing(nlp):
    for verb in ("massacred", "gunned down", "executed", "slain", "slaughtered", "beheaded", "murdered"):
        assert wants_parse(f"About 300 civilians were {verb} in the town.")
    assert ("killed", "About 300") in claims(nlp, "About 300 civilians were massacred in Bucha, an official said.")
