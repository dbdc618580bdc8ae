"""The extraction's cheaper ways to ask the same question give the answer the plain way gives.

Each shortcut here exists for speed only (docs/performance.md, session 19): the word before a
sentence-final dot read backwards, the named speakers tried only when their union matches, the
subject's words read from an iterator rather than a list of every word to the document's end.
A shortcut that changes one answer is a bug, so each is compared with the plain computation it
replaces, on texts written here.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.analyse import attribution, measures
from claimledger.analyse.sentences import _word_before, split_sentences


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab_.1 \n\t,é\u00a0Ж-\u0661", max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_the_word_before_a_dot_is_the_plain_searchs(text, start, end):
    start, end = min(start, len(text)), min(max(start, end), len(text))
    plain = re.search(r"([\w.]+)$", text[start:end])
    assert _word_before(text, start, end) == (plain.group(1) if plain else "")


def test_abbreviations_still_do_not_end_a_sentence():
    text = "Gov. Pavlo Kyrylenko said U.S. officials met J. Smith. Shelling went on. 12 were hurt."
    assert [text[s.start:s.end] for s in split_sentences(text)] == [
        "Gov. Pavlo Kyrylenko said U.S. officials met J. Smith.", "Shelling went on.", "12 were hurt."]


MENTIONS = ["officials", "the regional governor", "the UN human rights office", "Ukraine's General Staff",
            "Russia's Defence Ministry", "a senior defense official", "Kirill Stremousov, deputy head",
            "the Red Cross", "Reuters", "NATO Secretary General Jens Stoltenberg", "the mayor of Mykolaiv",
            "local residents", "the Syrian Observatory", "al-Shabaab", "Guterres", "the ministry", "ICRC"]


def _first_actor(mention: str) -> str | None:
    return next((name for name, _kind, _side, rx in attribution._actors()[0] if rx.search(mention)), None)


def test_the_named_speakers_union_finds_every_actor():
    assert attribution._any_actor().selector is not None   # read as a selector, not tried at every offset
    named = 0
    for mention in MENTIONS + [m.upper() for m in MENTIONS] + [m.lower() for m in MENTIONS]:
        first = _first_actor(mention)
        assert (attribution._any_actor().search(mention) is not None) == (first is not None), mention
        src = attribution.normalise(mention)
        if first is not None:
            named += 1
            assert src is not None and src.name == first, mention
    assert named >= 20   # the list above names actors of both tables


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "UN", "said", "Red", "Cross", "governor", "of", "Kharkiv", "Biden",
                                 "officials", "Pentagon", "-", "’s", "army", "un", "a"]), min_size=1, max_size=6))
def test_normalise_names_the_first_matching_actor(words):
    mention = " ".join(words)
    first = _first_actor(attribution._clean_np(mention))
    src = attribution.normalise(mention)
    if first is not None and src is not None and src.kind != "unattributed":
        assert src.name == first


def test_the_subject_is_read_from_the_first_words_only():
    # subject_of hands _subject_phrase the rest of the document; only its first words are read
    after = " Russian servicemen were killed near Izium"
    tail = ". " + "Shelling continued in the region overnight, officials said. " * 200
    assert measures._subject_phrase(after + tail) == measures._subject_phrase(after + ".")
    assert measures._subject_phrase(after + tail)[:2] == ("Russian servicemen", "military")
    # a verb ends the phrase even where it comes at the last word read
    assert measures._subject_phrase(" of the 50 people killed" + tail)[3] is True


def test_the_context_rows_union_matches_where_a_row_does():
    from claimledger.analyse.place_tables import tables

    t = tables()
    assert t.any_context_admin1.selector is not None and t.context_admin1
    texts = ["The OSCE SMM recorded explosions near Yasynuvata.", "the osce smm", "JFO headquarters said",
             "forces of the DPR and the LNR", "Donbas People’s Militia", "Luhansk People's Republic",
             "Shelling hit Kharkiv overnight.", "SMMS", "", "Joint Forces Operation (JFO)"]
    for text in texts:
        plain = any(rx.search(text) for rx, _codes in t.context_admin1)
        assert (t.any_context_admin1.search(text) is not None) == plain, text


NUMBER_WORDS = ["12", "1,351", "3.5", "million", "a", "an", "dozen", "half", "twenty-one", "sixty", "three",
                "hundreds", "of", "thousands", "$", "€5", "40%", "per", "cent", "5-10", "to", "and", "2022",
                "mln", "10k", "at", "least", "А", "—", ",", ".", "-", "killed", "Twenty"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NUMBER_WORDS), max_size=25), st.sampled_from([" ", "", "  "]))
def test_the_number_scan_finds_what_the_plain_pattern_finds(words, sep):
    from claimledger.analyse.quantities import _lexicon

    core = _lexicon()["core"]
    assert core.selector is not None   # the digits' heads are too many at 4 characters, read at 3
    text = sep.join(words)
    ours, plain = list(core.finditer(text)), list(core.pattern.finditer(text))
    assert [(m.span(), m.lastgroup) for m in ours] == [(m.span(), m.lastgroup) for m in plain]


_PLAIN_TOKEN = re.compile(r"(?<![\w'’\-])(?:St\.|[A-Z\u00C0-\u00DE\u0100-\u017F\u0400-\u042F\u0490][\w'’]*(?:[-‐][\w'’]+)*)")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="StKyivé'’-‐. \nЖжĀx1_", max_size=25))
def test_the_capitalised_token_scan_is_the_plain_patterns(text):
    from claimledger.analyse.place_recognition import _TOKEN_RE

    assert [m.span() for m in _TOKEN_RE.finditer(text)] == [m.span() for m in _PLAIN_TOKEN.finditer(text)]


def test_lexicon_word_scans_search_as_the_plain_patterns():
    from claimledger.analyse.place_recognition import _region_scans
    from claimledger.analyse.place_tables import tables
    from claimledger.analyse.regex_starts import word_scan
    from claimledger.data import pattern

    sentences = ["Twelve people were killed in the earthquake, and the flood displaced 300.",
                 "The death toll has risen to 40 since the invasion began, officials said.",
                 "Russian forces shelled the Donetsk region and Crimea; in the so-called DPR, 3 died.",
                 "NOTHING HAPPENED IN DONBAS", "", "killed-in-action", "Kharkiv and Luhansk regions"]
    for key in ("disasters", "cumulative_verbs", "attack_words", "parse_triggers"):
        scan = word_scan("lexicons/incident.yaml", key)
        assert scan.selector is not None
        for s in sentences:
            a, b = scan.search(s), pattern("lexicons/incident.yaml", key).search(s)
            assert (a and a.span()) == (b and b.span()), (key, s)
    t = tables()
    for scan, rx in zip(_region_scans(), (t.region_word_re, t.special_re, t.special_loc_re), strict=True):
        for s in sentences:
            assert [(m.span(), m.lastgroup) for m in scan.finditer(s)] == [(m.span(), m.lastgroup) for m in rx.finditer(s)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["paid", "INR", "rs.", "Rs", "pounds sterling", "$", "US dollars", "Tk", "N",
                                 "naira", "\n", " ", "  ", "\u00a0", "x", "shillings", "-", "₹", "cfa"]), max_size=8))
def test_a_currency_before_the_number_is_found_as_by_the_plain_search(words):
    from claimledger.data import load_yaml

    before = " ".join(words) if len(words) % 2 else "".join(words)
    for code in load_yaml("lexicons/measures.yaml")["currencies"]:
        plain = measures._currency_before(code)[0].search(before) is not None
        assert measures._currency_written_before(code, before) == plain, (code, before)
