"""The English model's attribute ruler, applied by table look-up instead of spaCy's Matcher.

Why. en_core_web_sm's attribute ruler maps each token's tag (and, for some words, its text and
dependency label) to its part of speech, morphology and a few lemmas: 179 rules of one or two
tokens, every value an equality, ``IN``, ``NOT_IN`` or ``REGEX`` test, no operators. spaCy runs
them through its general Matcher, about 1 ms for a 30-token sentence, an eighth of the parse of a
chosen sentence. Here each rule is filed under one value it requires (a word, a tag, a label), so
a token is checked only against the rules its own values can satisfy, and the matches are applied
as the ruler applies them: all found first, then in rule order, later rules overriding earlier
ones, with spaCy's own ``set_token_attrs``. Built from the loaded ruler's patterns, so a model with
other rules gets the same treatment; a rule this module cannot read makes it decline, and the
Matcher stays (:func:`table_for`). tests/analyse/test_syntax.py compares both on fixture sentences;
docs/performance.md (session 19) on every sentence the syntax stage chooses in the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# the token attributes the rules read, as the Matcher reads them; a rule is filed under the most
# telling value it requires (a word before a label before a tag), so most tokens meet one rule or two
_ATTRS = ("LOWER", "DEP", "TAG", "IS_SPACE")


def _row(tok) -> tuple:
    return tok.lower_, tok.dep_, tok.tag_, tok.is_space


class _Unreadable(Exception):
    """A rule uses something the table does not implement (an operator, another attribute)."""


def _test(value) -> tuple[Callable[[object], bool], frozenset | None]:
    """A predicate for one attribute's value, and the values it accepts when they are a finite set
    (equality, ``IN``): those can file the rule."""
    if isinstance(value, (str, bool)):
        return (lambda v, want=value: v == want), frozenset([value])
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            values = frozenset(arg)
            return (lambda v: v in values), values
        if op == "NOT_IN" and isinstance(arg, list):
            values = frozenset(arg)
            return (lambda v: v not in values), None
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            return (lambda v: isinstance(v, str) and rx.search(v) is not None), None
    raise _Unreadable(value)


class AttributeTable:
    """The rules of one AttributeRuler, filed by the values they require."""

    def __init__(self, ruler) -> None:
        from spacy.pipeline.attributeruler import set_token_attrs

        self._set = set_token_attrs
        self.attrs, self.indices = ruler.attrs, ruler.indices
        # per attribute: value -> [(rule id, token offset of that value, [(offset, attribute, test)])]
        self.index: list[dict[object, list]] = [{} for _ in _ATTRS]
        self.always: list[tuple[int, int, list, int]] = []   # rules filed under no value: tried everywhere
        for rule_id, rule in enumerate(ruler.patterns):
            for token_patterns in rule["patterns"]:
                tests, anchor = [], None
                for offset, spec in enumerate(token_patterns):
                    for attr, value in spec.items():
                        if attr not in _ATTRS:
                            raise _Unreadable(attr)
                        check, values = _test(value)
                        a = _ATTRS.index(attr)
                        tests.append((offset, a, check))
                        if values is not None and (anchor is None or (len(values), a) < (len(anchor[2]), anchor[1])):
                            anchor = (offset, a, values)
                entry = (rule_id, 0 if anchor is None else anchor[0], tests, len(token_patterns))
                if anchor is None:
                    self.always.append(entry)
                    continue
                for v in anchor[2]:
                    self.index[anchor[1]].setdefault(v, []).append(entry)

    def __call__(self, doc):
        rows = [_row(tok) for tok in doc]
        n = len(rows)
        found = set()
        index, always = self.index, self.always
        for i, row in enumerate(rows):
            for a, v in enumerate(row):
                for rule_id, offset, tests, width in index[a].get(v, ()):
                    start = i - offset
                    if 0 <= start and start + width <= n and all(check(rows[start + k][b]) for k, b, check in tests):
                        found.add((rule_id, start, start + width))
            for rule_id, _offset, tests, width in always:
                if i + width <= n and all(check(rows[i + k][b]) for k, b, check in tests):
                    found.add((rule_id, i, i + width))
        # as the ruler: every match found before any is applied, then in rule order (later rules win)
        for rule_id, start, end in sorted(found):
            self._set(doc[start:end][self.indices[rule_id]], self.attrs[rule_id])
        return doc


def table_for(ruler) -> AttributeTable | None:
    """The table for this ruler's rules, or None when one of them is not readable here."""
    try:
        return AttributeTable(ruler)
    except _Unreadable:
        return None
