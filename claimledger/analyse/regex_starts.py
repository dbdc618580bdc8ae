"""Every offset where a large regular expression matches, without trying it at every offset.

Why. Python's ``re`` has no prefix scan for an alternation of thousands of case-insensitive
names: a zero-width look-ahead over every party marker (``parties.marker_starts``) tries all of
them at each offset of a text, about 5 ms on a long report, though most texts name a party a few
times or never. The first characters a match can begin with follow from the pattern itself, so
:class:`Starts` reads them from the parsed pattern once (every string of up to ``HEAD`` lowercase
ASCII characters a match can start with, and whether each match starts at a word boundary), finds
the offsets where the text starts with one of those in one C-level scan (a trie of them, one
regular expression), and tries the full pattern only there. The result is the same list of
offsets, by construction: the heads are a superset of what the pattern can match (look-behinds,
negative look-aheads and anchors other than the word boundary are read as "anything"; a non-ASCII
character within the first ``HEAD`` sends the offset to the full pattern), and a pattern the
analysis does not understand is tried at every offset as before.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from functools import cache

try:   # the standard library's own parser (Python 3.11+); an older layout falls back to a full scan
    from re import _constants as _c
    from re import _parser as _p
except ImportError:   # pragma: no cover
    _c = _p = None

HEAD = 4              # characters of a match's beginning to filter on
_LIMIT = 20_000       # more possible heads than this: the pattern is too open to filter
_BOUNDARY = "\uffff"  # a head that begins with this was preceded by \b (never an ASCII head character)
_AFTER = "\ufffe"     # a \b after a head's character: the trie asks for it there, the next character changes kind
_NONASCII = "\ufffd"  # a head's character that is not ASCII (the item matched no ASCII character)
_DIGITS = str.maketrans("123456789", "000000000")   # the heads read every digit as "0"
_WORD = frozenset(string.ascii_lowercase + "0_")   # the head characters \b counts as word characters
_ASCII = [chr(i) for i in range(128)]


class _Open(Exception):
    """The pattern can start with (nearly) anything, or uses a construct the analysis skips."""


class Starts:
    """The offsets where ``pattern`` matches (``pattern.match(text, offset)``), ascending; for a
    zero-width look-ahead pattern that is exactly ``[m.start() for m in pattern.finditer(text)]``."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.selector: re.Pattern | None = None
        heads = None
        # a pattern with too many heads of HEAD characters (digits and number words: every 4-digit
        # string) is read for one character less, a coarser filter but still one
        for head in (HEAD, HEAD - 1):
            try:
                heads = _heads(pattern, head)
                break
            except _Open:
                continue
            except (RecursionError, TypeError, ValueError, AttributeError):
                return
        if heads is None:
            return
        if not heads or any(h.lstrip(_BOUNDARY) == "" for h in heads):
            return
        boundary = all(h.startswith(_BOUNDARY) for h in heads)
        heads = {h.lstrip(_BOUNDARY) for h in heads}
        # The selector consumes the offset's character, one of the heads' first ones (or any non-ASCII
        # one), and looks behind it for the trie: a pattern that opens with a character class lets
        # re's search skip every other character in a tight loop instead of starting the trie at each
        # offset (20-55% less time a scan); it matches at the same offsets as "\b(?=trie)" would.
        firsts = "".join(_either_case(ch)[1:-1] if ch.isalnum() else re.escape(ch)
                         for ch in sorted({h[0] for h in heads} - {_NONASCII}))   # non-ASCII: in the class below
        look = ("\\b" if boundary else "") + f"(?={_trie(heads)})"
        self.selector = re.compile(f"[{firsts}\\x80-\\U0010ffff](?<={look}(?s:.))", pattern.flags & re.ASCII)

    def __call__(self, text: str) -> list[int]:
        match = self.pattern.match
        if self.selector is None:
            return [p for p in range(len(text) + 1) if match(text, p)]
        return [p for m in self.selector.finditer(text) if match(text, p := m.start())]

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        """``pattern.search(text, pos, endpos)``, the same match: the leftmost offset where the pattern
        matches is among the selector's, so only those are tried (a rule's alternation of thousands of
        names costs a branch attempt per name at every word otherwise). The selector reads the text
        with the same bounds, so a match that ``endpos`` cuts short or a word boundary it makes are
        seen alike. Without a selector, the plain search."""
        end = len(text) if endpos is None else endpos
        if self.selector is None:
            return self.pattern.search(text, pos, end)
        match = self.pattern.match
        for m in self.selector.finditer(text, pos, end):
            found = match(text, m.start(), end)
            if found:
                return found
        return None

    def finditer(self, text: str) -> Iterator[re.Match]:
        """``pattern.finditer(text)``, the same matches: each next match is the pattern's search from
        where the last one ended, which is the first selector offset from there where it matches.
        An empty match is left to ``re`` from there on (its rules for where the next search starts
        after one are its own); the patterns given here always consume something."""
        if self.selector is None:
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        pos = 0
        for m in self.selector.finditer(text):
            p = m.start()
            if p < pos:
                continue
            found = match(text, p)
            if found is None:
                continue
            if found.end() == p:
                yield from self.pattern.finditer(text, pos)
                return
            yield found
            pos = found.end()


class AnyOf(Starts):
    """The offsets where any of ``branches`` matches: :class:`Starts` of their zero-width union, but
    an offset the selector finds is tried against only the branches that can begin with its first
    two characters. Why: the conflict registry's 56 parties' markers are one union of hundreds of
    ignore-case names, and most offsets the selector finds ("Ukrainian", "President") start no
    marker, yet each failed try ran every name. A branch's heads say which two characters it can
    begin with, so the union of the others could not match there either: the same offsets.
    Offsets starting with a non-ASCII character, and text too short for two, get the whole union.
    The branches are joined by their source, under ``flags`` (as a union of them reads them)."""

    def __init__(self, branches: list[re.Pattern], flags: int = 0):
        body = "|".join(f"(?:{rx.pattern})" for rx in branches)
        super().__init__(re.compile(f"(?=(?:{body}))", flags) if branches else re.compile(r"(?!x)x"))
        self._subs: dict[str, Callable] | None = None
        self._rest: Callable | None = None
        by_key: dict[str, set[int]] = {}
        anywhere: set[int] = set()   # branches a head of fewer than two characters lets start anywhere
        try:
            for i, rx in enumerate(branches):
                for h in _heads(rx):
                    two = h.lstrip(_BOUNDARY).replace(_AFTER, "")[:2]
                    if _NONASCII in two:
                        continue   # reached only where the text is not ASCII: the whole union
                    if len(two) < 2:
                        anywhere.add(i)
                    else:
                        by_key.setdefault(two, set()).add(i)
        except (_Open, RecursionError, TypeError, ValueError, AttributeError):
            return

        def union(ids: set[int]) -> Callable | None:
            if not ids:
                return None
            part = "|".join(f"(?:{branches[i].pattern})" for i in sorted(ids))
            return re.compile(f"(?=(?:{part}))", flags).match

        self._subs = {key: union(ids | anywhere) for key, ids in by_key.items()}
        self._rest = union(anywhere)

    def __call__(self, text: str) -> list[int]:
        if self._subs is None or self.selector is None:
            return super().__call__(text)
        whole, subs, rest, out = self.pattern.match, self._subs, self._rest, []
        for m in self.selector.finditer(text):
            p = m.start()
            two = text[p:p + 2]
            if len(two) == 2 and two.isascii():
                sub = subs.get(two.lower().translate(_DIGITS), rest)
                if sub is not None and sub(text, p):
                    out.append(p)
            elif whole(text, p):
                out.append(p)
        return out


@cache
def word_scan(name: str, key: str) -> Starts:
    """A lexicon's word list (``data.pattern(name, key)``, bounded, ignoring case) searched through
    a selector: the rules that ask every sentence with a number whether it names a trigger, a
    disaster or a cumulative verb get re's own answer at a fraction of the cost."""
    from claimledger.data import pattern

    return Starts(pattern(name, key))


def _trie(heads: set[str]) -> str:
    """A regular expression matching the texts that start with one of ``heads``, as a trie (the
    engine reads a text's first character once, not once for each head), where a non-ASCII
    character anywhere in the first HEAD characters also matches: the heads were read for ASCII
    text only, so such a text is tried in full."""
    if "" in heads:
        return ""
    firsts: dict[str, set[str]] = {}
    for h in heads:
        firsts.setdefault(h[0], set()).add(h[1:])
    parts = [_either_case(ch) + _trie(rest) for ch, rest in sorted(firsts.items())]
    return "(?:" + "|".join([*parts, "[^\\x00-\\x7f]"]) + ")"


def _either_case(ch: str) -> str:
    """``[aA]`` rather than ``a`` under re.I: the engine skips a branch that starts with a plain
    character class after one test, while an ignore-case literal costs a branch attempt each.
    "0" stands for any digit (the heads read every digit as "0"), ``_AFTER`` for a word boundary."""
    if ch == "0":
        return "[0-9]"
    if ch == _AFTER:
        return "\\b"
    if ch == _NONASCII:
        return "[^\\x00-\\x7f]"
    return f"[{ch}{ch.upper()}]" if ch.upper() != ch else re.escape(ch)


def _heads(pattern: re.Pattern, head: int = HEAD) -> set[str]:
    if _p is None:
        raise _Open
    parsed = _p.parse(pattern.pattern, pattern.flags & ~re.DEBUG)
    open_, closed = _seq(list(parsed), {""}, head)
    return open_ | closed


def _seq(items: list, open_: set[str], head: int) -> tuple[set[str], set[str]]:
    """Heads after a sequence of items: still open (shorter than ``head``) and complete."""
    closed: set[str] = set()
    for op, av in items:
        if not open_:
            break
        open_, more = _item(op, av, open_, head)
        closed |= more
        if len(open_) + len(closed) > _LIMIT:
            raise _Open
    return open_, closed


def _item(op, av, open_: set[str], head: int) -> tuple[set[str], set[str]]:
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
        return _extend(open_, _chars(op, av), head)
    if op is _c.AT:
        if av is not _c.AT_BOUNDARY:
            return open_, set()
        # at the start, the match starts at a boundary; after a character, the next one (if any) is
        # of the other kind: "\ba\b" starts "a " or "a,", never "and"
        return {_BOUNDARY if s == "" else s if s == _BOUNDARY or s.endswith(_AFTER) else s + _AFTER
                for s in open_}, set()
    if op is _c.SUBPATTERN:
        return _seq(list(av[-1]), open_, head)
    if op is _c.ATOMIC_GROUP:
        return _seq(list(av), open_, head)
    if op is _c.BRANCH:
        outs, closed = set(), set()
        for branch in av[1]:
            o, c = _seq(list(branch), set(open_), head)
            outs |= o
            closed |= c
        return outs, closed
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return _repeat(av[0], av[1], list(av[2]), open_, head)
    if op is _c.ASSERT and av[0] == 1:
        # a look-ahead at this point: the match starts with what it matches (and with what follows,
        # which is no further constraint worth reading); its heads end the analysis of the path
        o, c = _seq(list(av[1]), open_, head)
        return set(), o | c
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return open_, set()   # a look-behind or a negative look-ahead: no narrower than without it
    raise _Open


def _repeat(lo: int, hi: int, sub: list, open_: set[str], head: int) -> tuple[set[str], set[str]]:
    closed: set[str] = set()
    cur = open_
    for _ in range(min(lo, head + 1)):   # past ``head`` repetitions every head is complete or repeats
        cur, c = _seq(sub, cur, head)
        closed |= c
    heads, n = set(cur), min(lo, head + 1)
    while cur and n < min(hi, lo + head + 1):
        cur, c = _seq(sub, cur, head)
        closed |= c
        cur -= heads
        heads |= cur
        n += 1
    return heads, closed


def _extend(open_: set[str], chars: set[str], head: int) -> tuple[set[str], set[str]]:
    if not chars:
        # an item that matches no ASCII character ("é", "’" ignoring case): the head ends in "any
        # non-ASCII character"; dropping the path instead lost the offsets where only such a match
        # starts, when the character came after the first ("abé")
        return set(), {s + _NONASCII for s in open_}
    grown: set[str] = set()
    for s in open_:
        if s.endswith(_AFTER):
            word = s[-2] in _WORD
            grown |= {s + ch for ch in chars if (ch in _WORD) != word}
        else:
            grown |= {s + ch for ch in chars}
    done = {s for s in grown if len(s.lstrip(_BOUNDARY).replace(_AFTER, "")) >= head}
    return grown - done, done


def _chars(op, av) -> set[str]:
    """The lowercase ASCII characters this item can match (a non-ASCII text is always tried), every
    digit read as "0": a number's heads are then a few, not every string of digits."""
    return {"0" if ch.isdigit() else ch.lower() for ch in _item_chars(op, av)}


def _item_chars(op, av) -> set[str]:
    if op in (_c.ANY, _c.NOT_LITERAL):
        return set(_ASCII)
    if op is _c.LITERAL:
        return _ascii_like(chr(av))
    out: set[str] = set()
    negate = False
    for sop, sav in av:
        if sop is _c.NEGATE:
            negate = True
        elif sop is _c.LITERAL:
            out |= _ascii_like(chr(sav))
        elif sop is _c.RANGE:
            out |= {ch for ch in _ASCII if sav[0] <= ord(ch) <= sav[1]}
            if sav[1] >= 128:
                out |= {ch for ch in _ASCII
                        if re.fullmatch(f"[{re.escape(chr(sav[0]))}-{re.escape(chr(sav[1]))}]", ch, re.I)}
        elif sop is _c.CATEGORY:
            out |= _category(sav)
        else:
            raise _Open
    if negate:
        return set(_ASCII)   # a negated class: any ASCII character may be left
    return out


def _ascii_like(ch: str) -> set[str]:
    """The ASCII characters ``ch`` matches ignoring case (the Kelvin sign matches "k")."""
    if ch.isascii():
        return {ch}
    return {a for a in _ASCII if re.fullmatch(re.escape(ch), a, re.I)}


def _category(cat) -> set[str]:
    table = {
        _c.CATEGORY_DIGIT: string.digits,
        _c.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
        _c.CATEGORY_SPACE: " \t\n\r\f\v\x1c\x1d\x1e\x1f",
    }
    for yes, no in ((_c.CATEGORY_DIGIT, _c.CATEGORY_NOT_DIGIT), (_c.CATEGORY_WORD, _c.CATEGORY_NOT_WORD),
                    (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_SPACE)):
        if cat is yes:
            return set(table[yes])
        if cat is no:
            return set(_ASCII) - set(table[yes])
    raise _Open
