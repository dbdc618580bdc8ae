"""Sentence boundaries by rule: cheap, and good enough for news prose.

A parser would be more accurate, but it is the slowest thing spaCy does and the design goal is
twice spaCy's speed; the errors that matter (``Gov. Pavlo``, ``U.S. officials``) are abbreviations,
which a list handles.
"""

from __future__ import annotations

import re

from claimledger.records import Span

_ABBREV = {"mr", "mrs", "ms", "dr", "gov", "gen", "lt", "col", "maj", "capt", "sgt", "sen", "rep", "st", "no",
           "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
           "u.n", "e.g", "i.e", "vs", "approx", "prof", "rev", "jr", "sr", "corp", "inc", "ltd", "co", "ft"}

# A boundary: ., ! or ? (optionally followed by closing quotes/brackets), whitespace, then an
# opening quote, capital letter or digit.  Paragraph breaks always end a sentence.
_BOUNDARY = re.compile(r"([.!?][\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\S)")


def split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(1):
            if ends_abbreviation(text, start, m.start(1)):
                continue
            end = m.end(1)
        else:
            end = m.start()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def ends_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends in an abbreviation ("Gov", "U.S", a single letter), so that a
    full stop right after it ends no sentence."""
    token = _word_before(text, start, end).lower().rstrip(".")
    return token in _ABBREV or (len(token) == 1 and token.isalpha())


def _word_before(text: str, start: int, end: int) -> str:
    r"""The run of word characters and dots that ends ``text[start:end]`` (before a final newline, as
    ``$`` reads it): ``re.search(r"[\w.]+$", text[start:end])``'s match, read backwards from the end
    instead of trying the pattern at every offset of the sentence (``\w`` is ``isalnum()`` or "_")."""
    if end > start and text[end - 1] == "\n":
        end -= 1
    i = end
    while i > start and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    return text[i:end]


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def sentence_component(doc) -> None:
    doc.sentences = split_sentences(doc.text)
