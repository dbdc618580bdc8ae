"""Which language a report is in, so a report claimledger cannot read fails as such.

Every rule and lexicon under ``claimledger/data/`` is English: a French report used to go
through as English and come out as "no counted measure in the text" and empty events, exit 0.
Now a report declared (``"language": "fr"``) or detected in another language fails with
"unsupported language: fr". Detection is langdetect (pinned; its profiles ship inside the
package, nothing is downloaded), seeded so the answer is the same on every run, and trusted only
on texts of at least ``MIN_WORDS`` words with probability at least ``CONFIDENCE``: on the 6,892
dev texts (gold, ACLED Ukraine and world notes) it flags none.
"""

from __future__ import annotations

from functools import cache

SUPPORTED = ("en",)
MIN_WORDS = 12
CONFIDENCE = 0.95
SAMPLE = 3000  # characters: a report's language shows in its first paragraphs


@cache
def _detector():
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    return detect_langs


def detect(text: str) -> tuple[str | None, float]:
    """The most likely language code and its probability; (None, 0.0) when there is nothing to go on."""
    from langdetect.lang_detect_exception import LangDetectException

    try:
        best = _detector()(text[:SAMPLE])[0]
    except (LangDetectException, IndexError):
        return None, 0.0
    return best.lang, best.prob


@cache
def _english():
    from claimledger.data import load_yaml

    data = load_yaml("english.yaml")
    return frozenset(data["function_words"]), data["share"], data["sample_words"]


def plainly_english(words: list[str]) -> bool:
    """A cheap first look: English prose is a third function words ("the", "of", "said"), other
    languages' prose almost none of these; only texts this cannot settle go to the detector."""
    vocab, share, n = _english()
    sample = [w.strip(".,;:!?\"'“”‘’()").lower() for w in words[:n]]
    return sum(w in vocab for w in sample) >= share * len(sample)


def unsupported_language(declared: str | None, text: str) -> str | None:
    """The language code when the report is not in a supported language, else None."""
    code = (declared or "").strip().lower().split("-")[0].split("_")[0]
    if code and code not in SUPPORTED:
        return code
    words = text.split()
    if len(words) < MIN_WORDS or plainly_english(words):
        return None
    lang, prob = detect(text)
    if lang is not None and lang not in SUPPORTED and prob >= CONFIDENCE:
        return lang
    return None
