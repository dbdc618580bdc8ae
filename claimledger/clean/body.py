"""Separate the report from what surrounds it: title line, photo credits, captions, subheads, footers.

The cleaned body is what ``doc.id`` hashes and what every offset indexes, so cleaning is pure
deletion of whole lines or sentences (never rewriting characters): a quote that survives cleaning
appears verbatim in the body.
"""

from __future__ import annotations

import re
from functools import cache

from claimledger.analyse.sentences import split_sentences
from claimledger.clean.language import unsupported_language
from claimledger.clean.published import normalise_published
from claimledger.data import load_yaml
from claimledger.errors import UnsupportedLanguage
from claimledger.records import DocMeta, doc_id

_TERMINAL = re.compile(r"[.!?:;,][\"'”’)\]]*$")
_DATELINE = re.compile(r"^\s*(?:\(([A-Z][\w' -]{1,40})\)|([A-Z][A-Z' .-]{2,40}?)\s*(?:--|—|–|\(\w+\)\s*[-—–]))\s*")


@cache
def _rules():
    data = load_yaml("boilerplate.yaml")
    flags = re.IGNORECASE
    return ([re.compile(p, flags) for p in data["lines"]],
            [re.compile(p, flags) for p in data["sentences"]],
            int(data.get("subhead_max_words", 8)), bool(data.get("caption_after_credit", True)))


def _is_subhead(para: str, max_words: int) -> bool:
    words = para.split()
    return 0 < len(words) <= max_words and not _TERMINAL.search(para) and not para.rstrip().endswith(("”", '"')) \
        or (len(words) <= max_words and para.startswith(("“", '"')) and para.rstrip().endswith(("”", '"'))
            and not re.search(r"[.!?,][”\"]$", para.rstrip()))


def split_title(text: str) -> tuple[str | None, str]:
    """A .txt file's first line is its title when it is short, unpunctuated and set apart."""
    first, sep, rest = text.partition("\n")
    if sep and rest.strip() and len(first) < 200 and not re.search(r"[.!?][\"'”’]?\s*$", first.strip()) \
            and (rest.startswith("\n") or len(first.split()) <= 25):
        return first.strip(), rest
    return None, text


def clean_text(text: str) -> str:
    line_rules, sentence_rules, max_words, caption_rule = _rules()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text)]
    kept: list[str] = []
    seen: set[str] = set()
    after_credit = False
    multi_paragraph = sum(1 for p in paragraphs if p) > 2
    for para in paragraphs:
        if not para:
            continue
        if len(para) < 160 and any(r.fullmatch(para) for r in line_rules):
            after_credit = True
            continue
        if after_credit and caption_rule and len(split_sentences(para)) == 1 and len(para) < 300:
            after_credit = False
            continue
        after_credit = False
        if multi_paragraph and kept and _is_subhead(para, max_words):
            continue
        sentences = []
        for span in split_sentences(para):
            sent = para[span.start:span.end]
            if any(r.fullmatch(sent) for r in sentence_rules) or sent in seen:
                continue
            seen.add(sent)
            sentences.append(sent)
        if sentences:
            kept.append(" ".join(sentences))
    return "\n\n".join(kept)


def find_dateline(body: str) -> str | None:
    m = _DATELINE.match(body)
    if not m:
        return None
    name = (m.group(1) or m.group(2) or "").strip()
    return name.title() if name.isupper() else name


def clean_component(doc) -> None:
    art = doc.article
    title, text = (split_title(art.text) if art.title_in_text else (None, art.text))
    doc.text = clean_text(text)
    language = unsupported_language(art.language, doc.text)
    if language is not None:   # the rules are English: say so instead of finding nothing
        raise UnsupportedLanguage(language)
    published, problem = normalise_published(art.published)
    if problem:
        doc.user_data.setdefault("warnings", []).append(problem)
    doc.meta = DocMeta(id=art.id or doc_id(doc.text), title=art.title or title, url=art.url, outlet=art.outlet,
                       published=published, language=art.language or "en", dateline=find_dateline(doc.text))
