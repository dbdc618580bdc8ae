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
            word = re.search(r"([\w.]+)$", text[start:m.start(1)])
            token = word.group(1).lower().rstrip(".") if word else ""
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
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


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def sentence_component(doc) -> None:
    doc.sentences = split_sentences(doc.text)
