"""Near-duplicate fingerprints of report texts (MinHash over word shingles) and wire credit lines.

Why. The same AP or Reuters text runs in a dozen outlets under new headlines, sometimes re-edited
with a newer figure; counting each copy as one more source agreeing inflates the evidence. A
MinHash signature (``datasketch``) estimates the Jaccard similarity of two texts' 5-word shingles
from 128 numbers, and its LSH bands let the ledger find the candidate copies of a new report with
an indexed look-up instead of comparing it with every stored text. Settings and the wires' credit
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

    def encode(self) -> str:
        return base64.b64encode(self.signature.astype("<u4").tobytes()).decode("ascii")


def decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)


def shingles(text: str, k: int | None = None) -> set[bytes]:
    return _runs(_WORD.findall(text.lower()), k)


def _runs(words: list[str], k: int | None = None) -> set[bytes]:
    k = k or settings()["fingerprint"]["shingle_words"]
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(max(0, len(words) - k + 1))}


@cache
def _template():
    from datasketch import MinHash

    cfg = settings()["fingerprint"]
    return MinHash(num_perm=cfg["permutations"], seed=cfg["seed"], scheme=SCHEME)


def fingerprint(text: str) -> Fingerprint | None:
    """The text's signature and band hashes; None for a text too short to tell a copy from a template."""
    from datasketch import MinHash

    cfg = settings()["fingerprint"]
    if len(_WORD.findall(text)) < cfg["min_words"]:
        return None
    t = _template()
    m = MinHash(num_perm=cfg["permutations"], seed=cfg["seed"], permutations=t.permutations, scheme=SCHEME)
    m.update_batch(sorted(shingles(text)))
    sig = m.hashvalues.astype(np.uint32)
    return Fingerprint(sig, band_hashes(sig))


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
