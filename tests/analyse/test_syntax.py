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


def test_a_sentence_without_negation_or_modal_words_needs_no_parse_to_say_so():
    from claimledger.analyse.syntax import may_be_counterfactual

    assert not may_be_counterfactual("Two soldiers were wounded there on Sunday, the governor said.")
    assert not may_be_counterfactual("The shelling of the town's market killed 12 people.")
    for text in ("Rescuers said 20 people could have been killed.", "Nine were not injured.",
                 "Three soldiers weren't hurt.", "Three soldiers werent hurt.", "Five soldiers won’t return.",
                 "They'll bury 40 people.", "Officials said nobody was killed.", "It cannot have killed 30.",
                 "No one was hurt.", "He'd counted 12 dead.", "The strike might kill 30."):
        assert may_be_counterfactual(text), text


def test_every_spelling_that_can_negate_or_be_a_modal_is_found():
    # what the parse of a sentence can mark: a "neg" dependent, or an auxiliary whose lemma is a
    # modal. Spellings come from the tokenizer's special cases ("dont" -> "do" + "nt"), the attribute
    # ruler's lemmas ("wo" -> will), the lemmatizer's exceptions ("might" -> may) and its suffix rules
    from spacy.symbols import NORM, ORTH

    from claimledger.analyse.syntax import _lexicon, may_be_counterfactual, model

    nlp, modal = model(), _lexicon()[3]
    ruled = set()   # spellings the attribute ruler lemmatises to a modal
    for pattern in nlp.get_pipe("attribute_ruler").patterns:
        if str(pattern["attrs"].get("LEMMA", "")).lower() in modal:
            ruled |= {token["LOWER"] for token in pattern["patterns"][0]}
    assert ruled and all(may_be_counterfactual(f"They {form} go.") for form in ruled)
    for form, pieces in nlp.tokenizer.rules.items():
        if any(str(p.get(NORM, "")).lower() in ("not", "never") or str(p[ORTH]).lower() in modal | ruled
               for p in pieces):
            assert may_be_counterfactual(f"Officials {form} say."), form
    lemmatizer = nlp.get_pipe("lemmatizer")
    for table in lemmatizer.lookups.get_table("lemma_exc").values():
        for form, lemmas in table.items():
            if any(lem.lower() in modal for lem in lemmas):
                assert may_be_counterfactual(f"It {form} go."), form
    for rules in lemmatizer.lookups.get_table("lemma_rules").values():
        for old, new in rules:
            for word in modal:
                if word.endswith(new):
                    form = word[:len(word) - len(new)] + old
                    assert may_be_counterfactual(f"It {form} go."), form


NEGATED = ("Rescuers said 20 people could have been killed had the shelter failed. Officials said 12 soldiers "
           "were not wounded in the attack. Nobody was killed, but 14 people might have been hurt. Three "
           "civilians weren't injured; five others will be evacuated. The strike killed 9 people and wounded "
           "30, the governor said. It would have killed 50 people. Two soldiers were never captured, and "
           "40 people won’t be evacuated. They'll say 11 people died. No one died, although 6 were hurt.")


def test_the_parse_marks_negation_and_modals_only_where_the_words_are(nlp):
    from claimledger.analyse.syntax import _lexicon, lemma, may_be_counterfactual

    doc = nlp(Article(text=NEGATED, published="2022-05-09"))
    modal = _lexicon()[3]
    assert len(doc.syntax) >= 8
    for parse in doc.syntax.values():
        marked = [t for t in parse.doc if t.dep_ == "neg" or lemma(t).lower() in modal]
        assert may_be_counterfactual(parse.text) or not marked, parse.text


def test_claims_are_the_same_without_the_counterfactual_gate(nlp, monkeypatch):
    import claimledger.analyse.claims as claims_mod

    text = NEGATED + " Ten soldiers were killed and 4 wounded in the shelling, the ministry said."
    gated = claims(nlp, text)
    monkeypatch.setattr(claims_mod, "may_be_counterfactual", lambda sentence: True)
    assert claims(nlp, text) == gated
    assert ("killed", "9") in gated and ("killed", "Ten") in gated and not any(q == "20" for _, q in gated)


def test_the_warm_up_article_loads_the_parser(nlp):
    # a worker warms up before its first real article; since the counterfactual check needs no parse
    # for a sentence without "not"/"could"..., the warm-up text must ask for one to load the model
    from claimledger.runner import WARM_UP

    doc = nlp(Article(text=WARM_UP, published="2022-03-01"))
    assert doc.syntax and any(p.parsed for p in doc.syntax.values())


def test_sentences_parsed_together_are_parsed_as_alone(nlp):
    from claimledger.analyse.syntax import SentenceParse, lemma, parse_together

    texts = [s for s in NEGATED.replace("; ", ". ").split(". ")][:6]
    alone = [SentenceParse(0, t) for t in texts]
    together = [SentenceParse(0, t) for t in texts]
    parse_together(together)
    assert all(p.parsed for p in together) and not any(p.parsed for p in alone)
    for a, b in zip(alone, together, strict=True):
        assert [(t.text, t.dep_, t.head.i, t.pos_, t.tag_, lemma(t)) for t in a.doc] == \
            [(t.text, t.dep_, t.head.i, t.pos_, t.tag_, lemma(t)) for t in b.doc]
    one = [SentenceParse(0, texts[0])]
    parse_together(one)
    assert not one[0].parsed     # one sentence: parsed when read, as before


def test_the_claims_stage_parses_a_documents_sentences_in_one_batch(nlp, monkeypatch):
    import claimledger.analyse.claims as claims_mod

    batches = []
    real = claims_mod.parse_together
    monkeypatch.setattr(claims_mod, "parse_together", lambda parses: (batches.append(len(parses)), real(parses)))
    with_batch = claims(nlp, NEGATED)
    assert batches and batches[0] >= 2
    monkeypatch.setattr(claims_mod, "parse_together", lambda parses: None)
    assert claims(nlp, NEGATED) == with_batch


# sentences that meet the ruler's rarer rules: two-token words, dependency labels, a regex-only word
RULER_SENTENCES = [
    "Two servicemen were killed and 15 others wounded when Russian forces shelled the villages.",
    "There are gonna be more strikes, y'all, and I ain't leaving, he told them.",
    "Let's go, c'mon, we gotta see it: nothin' was left but ruins, but she gets it and he got hit.",
    "It hit me, and I saw it; you know you did, and they had had enough.  Then  the   shelling began.",
    "What was that which he said? Those who stayed do what they have to; it's theirs, not his or hers.",
    "The 12 wounded were taken to hospital at 5 p.m., officials said — 'we can't say more'.",
]


def test_the_attribute_table_sets_what_the_ruler_sets():
    # the parse runs the attribute ruler's rules by table look-up; the ruler itself gives the same
    # part of speech, tag, morphology and lemma on every token (and on the corpus: docs/performance.md)
    from claimledger.analyse.syntax import _TABLE_OF, model

    nlp = model()
    assert "claimledger_attribute_table" in nlp.pipe_names and "attribute_ruler" in nlp.disabled
    ruler, table = nlp.get_pipe("attribute_ruler"), _TABLE_OF[0]
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        docs = list(nlp.pipe(RULER_SENTENCES))
    rules_met = set()
    for doc in docs:
        by_ruler, by_table = ruler(doc.copy()), table(doc.copy())
        rules_met |= {int(nlp.vocab.strings[m_id]) for m_id, _s, _e in ruler.matcher(doc)}
        assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in by_ruler] == \
            [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in by_table], doc.text
    # the fixtures reach two-token, dependency and regex rules, not only tag rules
    kinds = {("two" if len(ruler.patterns[r]["patterns"][0]) > 1 else "dep" if any(
        "DEP" in spec for spec in ruler.patterns[r]["patterns"][0]) else "regex" if "REGEX" in str(
        ruler.patterns[r]["patterns"]) else "one") for r in rules_met}
    assert kinds >= {"two", "dep", "regex", "one"}
    assert len(rules_met) > 60


def test_a_rule_the_table_cannot_read_leaves_the_ruler_in_place():
    from spacy.lang.en import English

    from claimledger.analyse.syntax_attributes import table_for

    nlp = English()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na", "OP": "?"}]], {"LEMMA": "go"})
    assert table_for(ruler) is None
    nlp = English()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"})
    table = table_for(ruler)
    doc = table(nlp.make_doc("We are gon na win"))
    assert [t.lemma_ for t in doc] == ["", "", "go", "", ""]
