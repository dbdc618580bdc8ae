"""Lexicons, alias tables and boilerplate rules as commented YAML: data, not code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent


@cache
def load_yaml(name: str):
    import yaml

    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def conflict_files() -> list[tuple[str, dict]]:
    """Every conflict file of ``conflicts/`` as (file name, parsed YAML), Russia-Ukraine first (its
    speakers were the whole table before; files of shared parties, "_*.yaml", after the wars)."""
    names = sorted(p.name for p in (DATA_DIR / "conflicts").iterdir() if p.name.endswith(".yaml"))
    names.sort(key=lambda n: (n != "russia_ukraine.yaml", n.startswith("_"), n))
    return [(n, load_yaml(f"conflicts/{n}")) for n in names]


def word_list(name: str, key: str) -> list[str]:
    """One list of a lexicon file (``key`` may be dotted: ``"history.cues"``), validated as strings."""
    node = _node(name, key)
    if not isinstance(node, list) or not all(isinstance(w, str) for w in node):
        raise TypeError(f"{name}: {key} must be a list of strings")
    return node


@cache
def pattern(name: str, key: str, flags: str = "i", bounded: bool = True):
    """A word list compiled into one alternation (longest first, so "shot down" beats "shot").

    Every lexicon in ``claimledger/data/`` is a list of regular-expression fragments read through here,
    so a word list is never written twice in code and its matching rules are the same everywhere.
    """
    import re

    body = alternation(name, key)
    rx = rf"\b(?:{body})\b" if bounded else f"(?:{body})"
    return re.compile(rx, re.I if "i" in flags else 0)


def alternation(name: str, *keys: str) -> str:
    """Word lists of one lexicon as the body of one regex alternation, longest first (so "shot
    down" beats "shot"): for patterns that wrap the words in more than ``pattern()`` does."""
    words = [w for key in keys for w in word_list(name, key)]
    return "|".join(sorted(words, key=len, reverse=True))


def setting(name: str, key: str):
    """One scalar setting of a lexicon file (a threshold, a number of days)."""
    return _node(name, key)


def _node(name: str, key: str):
    node = load_yaml(name)
    for part in key.split("."):
        node = node[part]
    return node
