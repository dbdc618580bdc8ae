"""Near-duplicate fingerprints of report texts (MinHash over word shingles) and wire credit lines.

Why. The same AP or Reuters text runs in a dozen outlets under new headlines, sometimes re-edited
with a newer figure; counting each copy as one more source agreeing inflates the evidence. A
MinHash signature (datasketch's ``affine32`` scheme, computed here with the same numbers) estimates
the Jaccard similarity of two texts' 5-word shingles from 128 numbers, and its LSH bands let the
ledger find the candidate copies of a new report with an indexed look-up instead of comparing it
with every stored text. Settings and the wires' credit
patterns are data: ``claimledger/data/syndication.yaml``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from itertools import islice

import numpy as np

from claimledger.data import load_yaml

SCHEME = "affine32"   # datasketch's permutation scheme: stored signatures are only comparable within one
_WORD = re.compile(r"\w+", re.UNICODE)


@cache
def settings() -> dict:
    return load_yaml("syndication.yaml")


@dataclass(frozen=True)
class Fingerprint:
    signature: np.ndarray      # uint32[permutations]
    bands: tuple[str, ...]     # one hex digest per LSH band
    of: str = ""               # digest(text) of the text it was computed from (see :func:`known_or_new`)

    def encode(self) -> str:
        return base64.b64encode(self.signature.astype("<u4").tobytes()).decode("ascii")


def decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)


def digest(text: str) -> str:
    """A short hash of the text, so that a fingerprint computed elsewhere (an extraction worker)
    is used only for the very text it was computed from."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def shingles(text: str, k: int | None = None) -> set[bytes]:
    return _runs(_WORD.findall(text.lower()), k)


def _runs(words: list[str], k: int | None = None) -> set[bytes]:
    k = k or settings()["fingerprint"]["shingle_words"]
    return {s.encode("utf-8") for s in _shingles(words, k)}


def _shingles(words: list[str], k: int) -> set[str]:
    """Every run of ``k`` words, joined by spaces (zip of the shifted lists: no slice per run)."""
    return {" ".join(run) for run in zip(*(words[j:] for j in range(k)), strict=False)}


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations ``a * h + b`` (``a`` odd) datasketch 2.0's MinHash draws for the
    configured seed, drawn the same way here: importing datasketch brings scipy, 57 MB in every
    extraction worker (``tests/clean/test_fingerprint.py`` checks the numbers against it)."""
    cfg = settings()["fingerprint"]
    gen = np.random.RandomState(cfg["seed"])
    n = cfg["permutations"]
    a = gen.randint(0, 1 << 31, n, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, n, dtype=np.uint32)
    return a, b


def fingerprint(text: str) -> Fingerprint | None:
    """The text's signature and band hashes; None for a text too short to tell a copy from a template."""
    cfg = settings()["fingerprint"]
    words = _WORD.findall(text.lower())
    # lower() keeps an ASCII text's words as they are; elsewhere it can split or join one ("İ")
    count = len(words) if text.isascii() else len(_WORD.findall(text))
    if count < cfg["min_words"]:
        return None
    sig = minhash(_shingles(words, cfg["shingle_words"]))
    return Fingerprint(sig, band_hashes(sig), digest(text))


def known_or_new(text: str, known: Fingerprint | None) -> Fingerprint | None:
    """``known`` when it was computed from this very text, else the text's fingerprint."""
    if known is not None and known.of and known.of == digest(text):
        return known
    return fingerprint(text)


def minhash(shingle_set: set[str]) -> np.ndarray:
    """The MinHash signature of the shingles: the numbers datasketch's ``MinHash`` (scheme
    affine32, SHA-1 of each shingle's UTF-8, MurmurHash3 finaliser, then ``a * h + b`` in
    uint32) gives for the same set, which the stored signatures were made with.

    Why not datasketch itself: it calls a Python function and ``struct.unpack`` per shingle;
    hashing in one comprehension and reading the digests as one array takes about a third of
    the time (``tests/clean/test_fingerprint.py`` compares the two)."""
    a, b = _permutations()
    sig = np.full(len(a), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    if not shingle_set:
        return sig
    sha1 = hashlib.sha1
    raw = b"".join([sha1(s.encode("utf-8")).digest()[:4] for s in shingle_set])
    hv = np.frombuffer(raw, dtype="<u4").astype(np.uint32).reshape(-1, 1)
    hv = hv ^ (hv >> np.uint32(16))          # MurmurHash3's 32-bit finaliser (datasketch _fmix)
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    perms = hv * a
    perms += b
    return np.minimum(sig, perms.min(axis=0))


def band_hashes(sig: np.ndarray) -> tuple[str, ...]:
    cfg = settings()["fingerprint"]
    r = cfg["rows"]
    raw = sig.astype("<u4").tobytes()
    return tuple(hashlib.blake2b(raw[b * r * 4:(b + 1) * r * 4], digest_size=8).hexdigest()
                 for b in range(cfg["bands"]))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def same_opening(a: str, b: str) -> bool:
    """Whether two texts open the same way: each one's first words (its lead) run again near the
    start of the other.

    Why. A report's news is in its lead; the body beneath is background. Two pages of one outlet that
    share a body under different leads are that outlet's next report on a rolling story (or an older
    article pasted beneath a new one), not one report twice. A copy keeps its lead, give or take a cut
    dateline or a figure changed in place. Each lead's word runs are looked for in twice as many words
    of the other's start, so a sentence added on top or a dropped dateline still reads as the same
    opening, while a lead moved down beneath a new one does not."""
    cfg = settings()["stories"]["opening"]
    n = cfg["words"]
    wa, wb = (_first_words(t, 2 * n) for t in (a, b))

    def covered(x: list[str], y: list[str]) -> float:
        lead = _runs(x[:n])
        return len(lead & _runs(y[:2 * n])) / len(lead) if lead else 0.0

    return min(covered(wa, wb), covered(wb, wa)) >= cfg["shared"]


def _first_words(text: str, n: int) -> list[str]:
    """The first ``n`` words, lower-cased, without reading the rest of the text."""
    return [m.group().lower() for m in islice(_WORD.finditer(text), n)]


@cache
def _wire_patterns() -> list[tuple[str, re.Pattern, re.Pattern | None, frozenset[str]]]:
    out = []
    for name, w in settings()["wires"].items():
        head = re.compile("|".join(w.get("head") or []) or r"(?!x)x")
        tail = re.compile("|".join(w.get("tail") or []) or r"(?!x)x", re.S)
        out.append((name, head, tail, frozenset(o.lower() for o in w.get("outlets") or [])))
    return out


def wire_of(text: str, outlet: str | None = None) -> tuple[str | None, bool]:
    """(the wire this text is credited to, whether it is the wire's own copy).

    The outlet naming a wire makes it the wire's own copy; otherwise a credit line at the head
    ("KYIV, Ukraine (AP) —") or the tail ("Reporting by ...") names the wire the outlet ran."""
    head, tail = settings()["head_chars"], settings()["tail_chars"]
    low = (outlet or "").strip().lower()
    for name, _h, _t, outlets in _wire_patterns():
        if low and low in outlets:
            return name, True
    for name, h, t, _o in _wire_patterns():
        if h.search(text[:head]) or t.search(text[-tail:]):
            return name, False
    return None, False
