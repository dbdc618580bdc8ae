"""The fingerprint arithmetic equals datasketch's, and a fingerprint is used only for its own text.

``fingerprint.minhash`` replaces datasketch's per-shingle loop (the ledger's stored signatures were
made with datasketch, and stories compare new signatures with them), so the two must give the same
128 numbers for every text; the texts are written here, with non-ASCII words and letters whose
lower case changes a word's length ("İ").
"""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from claimledger.clean import fingerprint as fp

WORDS = ("the missile struck a railway station in Kramatorsk where civilians waited for trains while "
         "rescuers carried wounded people to ambulances İstanbul Київ Straße naïve 50 1,200 dead").split()


def _texts(n: int = 40) -> list[str]:
    rng = np.random.default_rng(16)
    out = []
    for i in range(n):
        words = rng.choice(WORDS, size=60 + 7 * i)
        out.append(" ".join(words) + (". İİ" if i % 3 == 0 else "."))
    return out


def _datasketch(text: str) -> np.ndarray:
    cfg = fp.settings()["fingerprint"]
    m = MinHash(num_perm=cfg["permutations"], seed=cfg["seed"], scheme=fp.SCHEME)
    m.update_batch(sorted(fp.shingles(text)))
    return m.hashvalues.astype(np.uint32)


@pytest.mark.parametrize("text", _texts())
def test_signature_and_bands_equal_datasketch(text):
    f = fp.fingerprint(text)
    assert f is not None
    want = _datasketch(text)
    assert np.array_equal(f.signature, want)
    assert f.bands == fp.band_hashes(want)


def test_short_texts_get_none_counting_words_of_the_text_itself():
    assert fp.fingerprint("two people were killed in Kharkiv, officials said") is None
    # 59 words in the text as written; lower() would make 118 of them ("İ" -> "i" + a combining dot)
    assert fp.fingerprint(" ".join(["Xİy"] * 59)) is None
    assert fp.fingerprint(" ".join(["Xİy"] * 60)) is not None


def test_a_known_fingerprint_is_used_only_for_its_own_text():
    a, b = _texts()[5], _texts()[6]
    fa, fb = fp.fingerprint(a), fp.fingerprint(b)
    assert fp.known_or_new(a, fa) is fa
    got = fp.known_or_new(a, fb)    # another text's: computed again
    assert got is not fb and np.array_equal(got.signature, fa.signature)
    assert np.array_equal(fp.known_or_new(a, None).signature, fa.signature)
    assert fp.known_or_new("too short", fa) is None


def test_permutations_are_datasketchs():
    cfg = fp.settings()["fingerprint"]
    a, b = MinHash(num_perm=cfg["permutations"], seed=cfg["seed"], scheme=fp.SCHEME).permutations
    mine = fp._permutations()
    assert np.array_equal(mine[0], a) and np.array_equal(mine[1], b)
    assert mine[0].dtype == np.uint32 and mine[1].dtype == np.uint32
