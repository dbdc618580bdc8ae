"""Name keys and entry records of the gazetteer: what the index builder and the lookups share.

Kept apart from :mod:`claimledger.analyse.gazetteer` (which loads, caches and queries the index)
so the builder and the dump importer can use them without importing the loader.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import NamedTuple

FORMAT_VERSION = 9

# Countries of the war, whose dissimilar alternate names (historical names, Russian spellings) are
# kept as weak names.  Elsewhere only alternates close to the main name are kept; an imported
# country dump counts as one of these.
FULL_COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})

# Lookup flags: reached through a dissimilar alternate name / through any alternate name.
WEAK, ALT = 1, 2

KIND_TOWN, KIND_DISTRICT, KIND_COUNTRY, KIND_STATE = "P", "D", "C", "S"
KIND_ADMIN1, KIND_ADMIN2, KIND_ADMIN3 = "A", "R", "H"
DIVISION_KINDS = frozenset({KIND_ADMIN1, KIND_ADMIN2, KIND_ADMIN3})

# Feature rank of a populated place, lower is more important: the capital, seats of oblasts,
# raions and hromadas, then plain villages; sections of a city (PPLX) last.
RANK = {"PPLC": 0, "PPLA": 1, "PPLG": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5, "PPLF": 6,
        "PPLL": 6, "PPLR": 6, "PPLS": 6, "PPLQ": 6, "PPLW": 6, "PPLX": 7}
BUILTIN_RANK = 5


class Cand(NamedTuple):
    """One gazetteer entry (stored as a plain tuple in the cache, read back as this)."""

    gid: int
    name: str
    lat: float | None
    lon: float | None
    cc: str
    adm1: str
    pop: int
    kind: str        # KIND_*
    adm2: str = ""   # raion code, when the source has it (imported dumps)
    rank: int = BUILTIN_RANK
    src: int = 0     # 0: built-in cities500 / countries; 1: an imported country dump


# Alternate names dissimilar to the main name (historical names such as "Voroshilovgrad" for
# Luhansk, or "Aleksandrovka" for Donetsk) are flagged weak, so a village whose main name it is
# wins over the city that once bore it.
WEAK_SIMILARITY = 0.5
# Elsewhere GeoNames' main name is already the English one ("Warsaw", "Munich"), so an alternate
# must be very close to it to be kept: "Tai" or "Rio" must not find Taizhou or Rio de Janeiro.
FOREIGN_SIMILARITY = 0.75

_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae",
                       "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "ŀ": "l", "þ": "th", "ð": "d"})
# Apostrophes, Arabic ʿayn/hamza marks and dots: "Bi’r al ‘Abd", "Dar‘ā" and "Dar'a" share a key.
_DROP = re.compile(r"['’‘ʼʻʾʿ`´ʹ′.]")
_SPACE = re.compile(r"[\s\-‐‑–—_]+")


def norm(name: str) -> str:
    """Lookup key: lower case, accents folded, apostrophes and dots dropped, hyphens as spaces.

    So "Kramators’k", "Kramatorsk" and "KRAMATORSK" share a key, and "Chasiv-Yar" finds "Chasiv Yar".
    Cyrillic keeps its letters (й and ї fold to и and і, as writers often drop the marks).
    """
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_FOLD))
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return _SPACE.sub(" ", _DROP.sub("", name.lower())).strip()


# "Kalmiuskyi Raion", "Synel'nykivs'kyy Rayon", "Zaporizhzhya Oblast", "Misto Kyiv": the words
# that say what kind of division a name is, and the adjectival endings that vary by romanisation.
_DIVISION_WORDS = re.compile(
    r"\b(?:raion|rayon|rajon|raijon|district|oblast|oblast'|region|province|state|governorate|county|"
    r"hromada|hromady|community|municipality|miskrada|silrada|selyshchna|rada|misto|city|krai|okrug|"
    r"autonomous republic of|respublika|area|prefecture|department|division|zone)\b")
_ADJ_END = re.compile(r"(?:skyi|skyy|skiy|skij|skii|skyj|sky|ska|ske|skaya|skoye|skoe|skyy)$")


def division_keys(name: str) -> set[str]:
    """Keys of an administrative division name, without its type word, in two forms.

    "Iziumskyi Raion", "Izium Raion" and the text's "Izium district" meet at ``izium``;
    "Synelnykivskyi district" and GeoNames' "Synel'nykivs'kyy Rayon" at ``synelnykivsk``.
    """
    k = _SPACE.sub(" ", _DIVISION_WORDS.sub(" ", norm(name))).strip()
    if not k or len(k) < 3:
        return set()
    out = {k}
    canon = _ADJ_END.sub("sk", k)
    out.add(canon)
    if canon.endswith("sk") and len(canon) > 5:
        out.add(canon[:-2])
    return out


def _is_latin(s: str) -> bool:
    for ch in s:
        if ord(ch) < 0x250:
            continue
        cat = unicodedata.category(ch)
        if cat[0] not in "PZM" and not ("\u1e00" <= ch <= "\u1eff"):
            return False
    return True


def _is_cyrillic(s: str) -> bool:
    return all("\u0400" <= ch <= "\u04ff" or not ch.isalpha() for ch in s) and any(ch.isalpha() for ch in s)


_CONNECTORS = {"de", "la", "le", "na", "nad", "am", "an", "der", "on", "upon", "del", "do", "da", "di", "im",
               "pod", "u", "v", "y", "i", "el", "al", "of", "sur", "les", "des", "du"}


def usable_alt(alt: str, cyrillic: bool = False) -> bool:
    """Alternate names worth indexing: Latin script (or Cyrillic, from a dump), upper-case initial."""
    if len(alt) < 3 or not alt[0].isupper() or any(ch.isdigit() for ch in alt):
        return False
    if not _is_latin(alt) and not (cyrillic and _is_cyrillic(alt)):
        return False
    if alt.isupper() and len(alt) <= 4:  # IATA/ICAO-like codes: "IEV", "KRQ"
        return False
    words = alt.split()
    if len(words) > 4:
        return False
    # Romanised CJK/Arabic transcriptions come in lower case ("ha er ke fu"); require capitals.
    return all(w[0].isupper() or w in _CONNECTORS for w in words)


def similar(a: str, b: str, threshold: float) -> bool:
    """difflib's ratio(a, b) >= threshold, with its cheap upper bounds tried first."""
    if a == b:
        return True
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold and sm.ratio() >= threshold
