"""``regex_starts.Starts`` finds exactly the offsets where a pattern matches, only faster.

The filter is only worth having if it never loses an offset, so every test compares it with the
plain answer (the pattern tried at every offset) on texts written here: party names in every
case, glued to punctuation and to non-ASCII letters, the Unicode characters that match an ASCII
letter ignoring case (the Kelvin sign, the long s, the dotted capital I), and patterns the
analysis cannot read, which must fall back to the full scan.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.analyse import parties
from claimledger.analyse.regex_starts import Starts


def _every_offset(pattern: re.Pattern, text: str) -> list[int]:
    return [p for p in range(len(text) + 1) if pattern.match(text, p)]


WORDS = ["Russian", "RUSSIA'S", "russia’s", "Kremlin", "kremlin", "DPR", "dpr-held", "Ukrainian", "Azov", "Hamas",
         "al-Shabaab", "Al-Shabaab", "AL", "Al", "al", "Awami League", "BNP", "bnp", "the", "said", "Kyiv’s",
         "Rapid Support Forces", "RSF", "Houthis", "Wagner", "wagner", "pro-Russian", "Iran-backed", "JNIM",
         "\u212aremlin", "Ru\u017fsian", "\u0130ran", "Москва", "Pусский", "é", "“", "”", "—", "\u00a0", "\n",
         "(", ")", ".", ",", "-", "'", "_", "7", " ", " ", " "]
TEXTS = st.lists(st.sampled_from(WORDS), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_party_markers_match_the_full_scan(text):
    for speaker in (False, True):
        union = parties._any_party(speaker)
        assert parties.marker_starts(text, speaker) == _every_offset(union, text)
        assert parties.marker_starts(text, speaker) == [m.start() for m in union.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_political_party_scan_matches_each_party(text):
    named = any(pp.names.search(text) for pp in parties.registry().political)
    assert parties.names_political_party(text) == named


def test_the_registry_unions_are_filtered():
    # the point of the module: the party unions are read, not left to the full scan
    assert Starts(parties._any_party(False)).selector is not None
    assert Starts(parties._any_party(True)).selector is not None
    assert parties._political_scan().selector is not None


PATTERNS = [
    r"(?=\b(?:kremlin|dpr|pro-russian))",
    r"\b(?:awami league|(?-i:\bAL\b)|\bbnp\b)",
    r"(?i)k[a-z]?m",                    # the Kelvin sign and the long s match ASCII letters ignoring case
    r"(?i)is",
    r"x{2,5}y",
    r"(?:ab)*c",                        # the repeat may be empty: "c" starts it too
    r"[^a-z]q",
    r"(?<=a)b|c(?!d)",
    r"\d+ killed",
    r"(?i)[\u0100-\u017f]s",            # a non-ASCII range
    r"\ba\b|x\b-|\d{2,}\b(?:km|\.)",   # a boundary after a character; digits read as one
    r"(?i)\b(?:\d{1,3}(?:,\d{3})+|\d+|one|a)\b(?:\s+(?:hundred|dozen))?",
    r"(?i)ab\u00e9|k\u2019s|x\u017f|\u00e9a",   # a character with no ASCII form after the first ("Kyiv’s")
]
SAMPLE = ("The Kremlin said DPR forces, and Pro-Russian ones, AL and al BNP. \u212am ſ \u017fx kam abé Kyiv’s éa k’s "
          "xxy xxxxxy xxxxxxy ababc c 5q qq ab cd ce 12 killed İs is Is \u0130S ĀS")


def test_patterns_match_the_full_scan_on_a_sample():
    for source in PATTERNS:
        pattern = re.compile(source, re.I if source.startswith(r"\b") else 0)
        for text in (SAMPLE, SAMPLE.upper(), SAMPLE.lower(), ""):
            assert Starts(pattern)(text) == _every_offset(pattern, text), (source, text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="abcdkmsqxy \u212a\u017f\u0130iIK5-\u00e9\u2019", max_size=30))
def test_patterns_match_the_full_scan(source, text):
    pattern = re.compile(source)
    assert Starts(pattern)(text) == _every_offset(pattern, text)


def test_unreadable_or_open_patterns_fall_back_to_the_full_scan():
    # a back-reference, more heads than the limit, a pattern that can match nothing at all
    for source in (r"(a)\1", r"\w+", r"x?", r"(?=)"):
        pattern = re.compile(source)
        starts = Starts(pattern)
        assert starts.selector is None
        assert starts("aa xx a") == _every_offset(pattern, "aa xx a")
    assert Starts(re.compile("."))("a\nb") == [0, 2]


def _same_match(a: re.Match | None, b: re.Match | None) -> bool:
    return (a is None) == (b is None) and (a is None or (a.span(), a.groups()) == (b.span(), b.groups()))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS + [r"(a)\1", r"\w+", r"x?"]), st.text(alphabet="abcdkmsqxy \u212a\u017f\u0130iIK5-",
                                                                       max_size=30))
def test_search_is_the_patterns_own_search(source, text):
    pattern = re.compile(source)
    assert _same_match(Starts(pattern).search(text), pattern.search(text))


def test_event_rules_search_as_re_does():
    # the event types' large alternations ({armed}, the registry's parties) are searched through a
    # selector: the same first match as re's search, on texts that do and do not name a group
    from claimledger.events import classify

    lexicon = classify._rules()
    searchers = [rx for _, needs, unless, _ in lexicon.rules for rx in [*needs, unless] if isinstance(rx, Starts)]
    assert isinstance(lexicon.cues, Starts)   # asked of every sentence
    searchers.append(lexicon.cues)
    assert len(searchers) > 5 and all(s.selector is not None for s in searchers)
    texts = ["Gunmen killed three soldiers at a checkpoint on Monday, police said.",
             "Al-Shabaab militants attacked a military base; troops returned fire.",
             "Unknown attackers shot dead two farmers. The army said its forces killed five militants.",
             "Security forces were ambushed by insurgents near the town.", "Prices rose in March.", ""]
    for s in searchers:
        for text in texts + [t.upper() for t in texts]:
            assert _same_match(s.search(text), s.pattern.search(text)), (s.pattern.pattern[:80], text)
    assert classify.classify("Gunmen killed three soldiers at a checkpoint.") == "Armed clash"
    assert classify.dominant_weapon("Air/drone strike", "aviation and shelling, shelling, missiles") == \
        "Shelling/artillery/missile attack"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS + [r"(a)\1", r"\w+", r"\bk\w*\b", r"(?i)\b(?:ab|kam|5q)\b"]),
       st.text(alphabet="abcdkmsqxy \u212a\u017f\u0130iIK5-", max_size=30), st.integers(0, 32), st.integers(0, 32))
def test_search_within_bounds_is_the_patterns_own(source, text, pos, endpos):
    # the claims stage searches a sentence of the document in place: a word boundary or a match cut
    # at ``endpos`` must be read as re reads it
    pattern = re.compile(source)
    assert _same_match(Starts(pattern).search(text, pos, endpos), pattern.search(text, pos, endpos))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS + [r"(a)\1", r"\w+", r"x?", r"a|(?=b)", r"(?i)\b(?:ab|kam|5q)\b"]),
       st.text(alphabet="abcdkmsqxy \u212a\u017f\u0130iIK5-", max_size=30))
def test_finditer_is_the_patterns_own(source, text):
    # every match in turn, the empty ones too (those patterns are left to re from where they start)
    pattern = re.compile(source)
    ours, theirs = list(Starts(pattern).finditer(text)), list(pattern.finditer(text))
    assert len(ours) == len(theirs) and all(_same_match(a, b) for a, b in zip(ours, theirs, strict=True))


def test_a_boundary_after_a_character_and_digits_narrow_the_heads():
    # "\ba\b" starts "a " or "a,", never "and"; a 4-digit number is one head, not 10,000
    selector = Starts(re.compile(r"\ba\b|\b\d{4}\b")).selector
    assert selector is not None
    assert [m.start() for m in selector.finditer("and a, at 2022 a")] == [4, 10, 15]


def test_the_selector_skips_characters_no_head_begins_with():
    # it opens with the class of the heads' first characters, so re's search can skip the others
    selector = Starts(re.compile(r"\b(?:kremlin|dpr)", re.I)).selector
    assert selector is not None and selector.pattern.startswith("[dDkK")
    text = "The Kremlin, the DPR, kremlin-backed; Oдпр"
    assert [m.start() for m in selector.finditer(text)] == [4, 17, 22]


BRANCHES = [r"\bkremlin", r"(?i:\bdpr\b)", r"\ba\b", r"x", r"(?i:ab\u00e9)", r"\u00e9a", r"\d{2} killed", r"(?i:Ru\u017fs)"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BRANCHES), min_size=1, max_size=5, unique=True),
       st.text(alphabet="abcdkmrsuxy \u212a\u017f\u0130iIK5-\u00e9\u2019lnpe7", max_size=30))
def test_any_of_finds_the_offsets_of_its_union(branches, text):
    # each offset tried against only the branches that can begin with its two characters: the
    # same offsets as the whole union tried everywhere (one-character heads, non-ASCII, digits)
    from claimledger.analyse.regex_starts import AnyOf

    scan = AnyOf([re.compile(b) for b in branches])
    assert scan(text) == _every_offset(scan.pattern, text)


def test_the_party_scans_dispatch_by_two_characters():
    for speaker in (False, True):
        scan = parties._marker_scan(speaker)
        assert scan._subs and len(scan._subs) > 50
        assert scan("Russian forces and Ukrainian troops; the Kremlin-backed DPR") == \
            _every_offset(parties._any_party(speaker), "Russian forces and Ukrainian troops; the Kremlin-backed DPR")
