"""Who says so: the source of each number, normalised to a canonical actor with kind and side.

Sources are read from reporting frames around the number, nearest first: a trailing
", officials said", a leading "X said (that)", "according to X", a passive "heard by X", a participle
", saying ..." (the sentence's subject), and "he added" carried from the last named speaker. No
frame in the sentence means the outlet's own voice (``unattributed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claimledger.analyse.gazetteer_keys import KIND_COUNTRY
from claimledger.analyse.parties import party_in, registry, state_party
from claimledger.analyse.place_lookup import candidates, key_of
from claimledger.analyse.regex_starts import Starts
from claimledger.analyse.sentences import ends_abbreviation
from claimledger.data import alternation, load_yaml, word_list
from claimledger.records import Source

_SPEECH = "lexicons/speech.yaml"
_VERBS = alternation(_SPEECH, "frame_verbs")
_PARTICIPLES = "|".join(word_list(_SPEECH, "participles"))
_VERBS_BEFORE_SPEAKER = frozenset(word_list(_SPEECH, "verbs_before_speaker"))
_DETERMINER_BEFORE = re.compile(r"\b(?:" + "|".join(word_list(_SPEECH, "determiners")) + r")\s+$", re.I)
_NP = r"(?:[\w’'.-]+(?:\s+|,\s+(?=[a-z]))){0,9}?[\w’'.-]+"

# the frames every sentence with a number is read for are searched only where their first words can
# begin (regex_starts: the same matches as re's, without trying each word list at every offset)
# "According to the United Nations some 1,200 civilians have died": no comma, the count ends the speaker
_ACCORDING = Starts(re.compile(rf"according to (?P<np>{_NP})(?=[,.;]|\s+(?:on|in|who|which|citing)\b|$|"
                               rf"\s+(?:(?:some|about|around|nearly|almost|over|roughly|at least|more than)\s+)?\d[\d,.]*(?!\w))", re.I))
_BY = Starts(re.compile(rf"\b(?:heard|seen|reported|confirmed|counted|recorded|documented|verified)\b[^.;]{{0,30}}?"
                        rf"\bby\s+(?P<np>{_NP})", re.I))
# "U.N. figures showed", "Ukrainian government data show": the owner of the figures is the source
_FIGURES = Starts(re.compile(r"\b(?P<noun>figures|data|statistics|tallies|numbers)\s+(?:\w+ly\s+)?"
                             r"(?:show|showed|shows|suggest|suggested|suggests|indicate|indicated|indicates)\b", re.I))
_PRONOUN = re.compile(r"^(?:he|she|they|it|the latter|the former)$", re.I)
_DEFINITE_ROLE = re.compile(r"^(?:the|this|that)\s+(?:ministry|governor|mayor|official|agency|army|military|"
                            r"administration|statement|office|department|spokes\w+|general staff|committee|"
                            r"service|police|prosecutor|head|chief|organi[sz]ation)\b", re.I)
# "a statement outlined", "the press release": the document of the last named speaker
_REFERENCE = re.compile(r"^(?:a|the|this|that|their|its|his|her)\s+(?:\w+\s+)?(?:statement|press release|report|"
                        r"update|post|message|communiqu\w+|briefing)$", re.I)
# "Initial reports announced", "Preliminary reports suggest": reports nobody owns
_OWNERLESS = re.compile(r"^(?:(?:" + "|".join(word_list(_SPEECH, "ownerless_report_words")) + r")\s+)?reports$", re.I)
_PASSIVE_AFTER = re.compile(r"(?<=accused)\s+of\b", re.I)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|be|being)\s+(?:\w+ly\s+)?$", re.I)
# "Preliminary reports suggest", "Russian claims were": a plural frame word followed by a verb is a noun
_NOUN_FORMS = frozenset(word_list(_SPEECH, "noun_forms"))
_VERB_AFTER = re.compile(r"\s+(?:" + "|".join(word_list(_SPEECH, "verbs_after_noun_forms")) + r")\b", re.I)
_STRIP = re.compile(r"^(?:and|but|while|as|that|which|who|so|then|also|meanwhile|earlier|later|however|"
                    r"(?:last|this|next|earlier this|late last) (?:week|month|year|night|weekend|morning|afternoon|evening)|"
                    r"today|yesterday|tonight|on \w+|"
                    r"in a statement|on \w+day|on telegram|\W)+\s*", re.I)


@dataclass
class Speaker:
    source: Source
    start: int          # where the frame's verb sits (for nearest-frame choice)
    person: bool = False


@cache
def _actors():
    """Named speakers (the conflict registry's parties' first, then third parties), role words,
    third-party markers, outlets. The parties' own side markers are read through analyse.parties."""
    data = load_yaml("actors.yaml")
    actors = [(s.name, s.kind, s.party, s.aliases) for s in registry().speakers]
    actors += [(a["name"], a["kind"], a["side"], re.compile("|".join(a["aliases"]), re.I)) for a in data["actors"]]
    roles = [(kind, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)) for kind, words in data["roles"].items()]
    sides = [(side, re.compile(r"(?:" + "|".join(words) + r")", re.I)) for side, words in data["side_markers"].items()]
    media = [(side, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)) for side, words in data["media"].items()]
    russian_outlets = re.compile(r"\b(?:" + "|".join(data["russian_outlets"]) + r")\b", re.I)
    return actors, roles, sides, media, russian_outlets


@cache
def _any_actor() -> Starts:
    """Where some named speaker's alias matches: most mentions ("officials", "the regional governor")
    name none of the 48, and one scan of their union says so instead of 48 searches."""
    union = "|".join(f"(?:{rx.pattern})" for _name, _kind, _side, rx in _actors()[0])
    return Starts(re.compile(f"(?=(?:{union}))", re.I))


def _clean_np(np: str) -> str:
    np = _STRIP.sub("", np.strip(" ,;“”\"'")).strip()
    if np.endswith(".") and not re.search(r"\b[A-Z]\.$", np):
        np = np[:-1]  # "according to the regional governor." (sentence end), not "U.S."
    if re.search(r"\b(?:[A-Z]\.)+[A-Z]$", np):
        np += "."  # "according to the U.N. refugee agency" was cut at the abbreviation's last dot
    # "Kirill Stremousov, deputy head of the region" -> keep the whole appositive; the alias table decides
    return np


def normalise(mention: str, context: str = "", russian_outlet: bool = False) -> Source | None:
    """A speaker's words -> canonical Source, or None when the words name no plausible speaker."""
    actors, roles, sides, media, _ = _actors()
    mention = _clean_np(mention)
    if not mention or len(mention) > 160:
        return None
    low = mention.lower()
    if _OWNERLESS.match(mention):
        return Source(mention=mention, name=None, kind="unattributed", side="unknown")
    if _PRONOUN.match(mention) or _REFERENCE.match(mention):
        return Source(mention=mention, name=None, kind="person" if _PRONOUN.match(mention) else "unattributed",
                      side="unknown")
    if low in ("it", "this", "that", "there", "which", "what", "who", "one", "some", "many", "others") \
            or re.match(r"(?:it|there|this|that)\s+(?:is|was|has|had|will|would)\b", low) \
            or re.search(r"\d", mention) or re.search(r"\s(?:each|both|all|alike)$", low):
        return None  # "It was initially reported", "Ukraine swapped more than 100 prisoners": not a speaker
    # an alias matches the mention at an offset exactly when the union does there: when the union
    # matches nowhere, no actor is tried; else they are tried in order as always (the first one wins)
    for name, kind, side, rx in actors if _any_actor().search(mention) else ():
        if rx.search(mention):
            return Source(mention=mention, name=name, kind=kind, side=side)
    kind = None
    for k, rx in roles:
        if rx.search(mention):
            kind = k
            break
    for side, rx in media:
        mm = rx.search(mention)
        if mm:
            # "an update Sunday Reuters reported": the outlet is the speaker, not the whole phrase
            outlet = mention if len(mention.split()) <= len(mm.group(0).split()) + 1 else mm.group(0)
            return Source(mention=mention, name=_title(outlet), kind="media", side=side)
    iso = _country_named(mention) if kind is None else None
    if iso is not None:
        # "Britain said", "Ukraine claims": a state speaks through its government; a party's own
        # state takes that party's side, any other state is a third party
        return Source(mention=mention, name=_title(mention), kind="government",
                      side=state_party(iso) or party_in(mention, speaker=True) or "third_party")
    # the party the words name ("Sudan's health ministry", "the Houthi-run ministry"), else a third party
    side = party_in(mention, speaker=True)
    for s, rx in sides if side is None else ():
        if rx.search(mention):
            side = s
            break
    looks_like_name = bool(re.match(r"^(?:[A-Z][\w’'-]+\s+){1,3}[A-Z][\w’'-]+$", mention))
    if kind is None and not looks_like_name:
        if not re.match(r"^(?:the\s+)?[A-Z]", mention):
            return None
        kind = "person"
    if kind is None:
        kind = "person"
    if side is None:
        if kind in ("official", "government", "military"):
            side = "russia" if russian_outlet or re.search(r"\b(?:dpr|lpr|russian-|occupied)\b", context, re.I) \
                else "ukraine"
        elif kind == "ngo":
            side = "third_party"
        else:
            side = "unknown"
    return Source(mention=mention, name=person_name(mention) or _title(mention), kind=kind, side=side)


@cache
def _name_words() -> tuple[re.Pattern, frozenset[str]]:
    titles = alternation(_SPEECH, "name_titles", "introduced_titles")
    return re.compile(rf"^(?:{titles})$", re.I), frozenset(word_list(_SPEECH, "not_name_words"))


def person_name(mention: str) -> str | None:
    """The person's own name in a speaker phrase that gives it with a title or an appositive
    ("regional governor Valentyn Reznichenko", "Ukrainian Maj. Gen. Dmytro Marchenko", "Anton
    Herashchenko, an adviser to the interior minister"), or None when the phrase is no such thing: a
    name alone, an organisation ("the Kharkiv Regional Prosecutor's Office"), a place after "of"."""
    title, org = _name_words()
    head, _, rest = mention.partition(",")
    if re.fullmatch(r"(?:[A-Z][\w’'-]+\s+){1,2}[A-Z][\w’'-]+", rest.strip()) \
            and not any(w.lower() in org for w in rest.split()):
        return rest.strip()      # "A separatist representative, Ivan Filiponenko": the title first
    words = head.split()
    end = len(words)
    begin = end
    while begin > 0 and re.fullmatch(r"[A-Z][\w’'-]*[\w]", words[begin - 1]) and not title.match(words[begin - 1]) \
            and words[begin - 1].lower() not in org:
        begin -= 1
    name = words[begin:end]
    if not 2 <= len(name) <= 3 or any(w.lower() in org or "’" in w or "'" in w for w in name):
        return None
    before = words[:begin]
    if before and before[-1].lower() in ("of", "in", "for", "at", "from", "to", "and", "by"):
        return None
    if not before and not rest.strip():
        return None     # the name alone: as written
    return " ".join(name)


def _country_named(mention: str) -> str | None:
    """The ISO code when the words are exactly a country's name or alias ("Britain", "the U.S.")."""
    words = _title(mention)
    if not words[:1].isupper() or len(words.split()) > 4:
        return None
    found = candidates(key_of(words)) or []
    return next((cs.cand.cc for cs in found if cs.cand.kind == KIND_COUNTRY), None)


def _title(mention: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", mention.strip(), flags=re.I)


# A sentence in which somebody speaks: cheap gate before reading its frames, and the test for
# whether a title in it ("the mayor of Skadovsk said") names a speaker.
SPEECH_CUE = Starts(re.compile(rf"\b(?:{alternation(_SPEECH, 'frame_verbs', 'participles', 'speech_cues')})\b", re.I))
_VERB_RE = Starts(re.compile(rf"\b(?P<verb>{_VERBS})\b", re.I))
_ADVERBS = re.compile(r"(?:\s+(?:" + "|".join(word_list(_SPEECH, "frame_adverbs")) + r"))+\s*$", re.I)
_CUT = re.compile(r"[,;:“”\"()\[\]—–]|\b(?:that|and|but|while|when|as|after|before|because|who|which|where|until|unless|"
                  r"if|though|although|so)\b(?!-)", re.I)
_ACCORDING_WORD = re.compile("according", re.I)
# ", saying ...": compiled once (built from the word list at every call, it cost more than its search)
_PARTICIPLE = re.compile(rf",\s*(?:{_PARTICIPLES})\b", re.I)
_NAME = re.compile(r"^(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+$")
# "Elsewhere, he added", "Meanwhile, officials said": a sentence adverb before the comma, not a name
_CONNECTIVE = re.compile(r"^(?:" + "|".join(word_list(_SPEECH, "connectives")) + r")$", re.I)


def _np_before(sent: str, pos: int) -> str:
    """The speaker phrase ending right before a reporting verb: 'the Defense Ministry in Moscow'."""
    seg = _ADVERBS.sub("", sent[:pos].rstrip())
    cuts = [m for m in _CUT.finditer(seg)]
    np = seg[cuts[-1].end():].strip() if cuts else seg.strip()
    if not np and cuts:
        # "Kirill Stremousov, deputy head of the region, also told": name, appositive, verb;
        # relative clauses between them ("..., where the attack took place, said") are skipped
        parts = [p.strip() for p in re.split(r",", seg) if p.strip()]
        # relative clauses and participles between them ("Ukraine's Azov battalion, leading the
        # defence of the plant, said") are skipped
        while len(parts) > 1 and re.match(r"(?:where|who|which|when|whose|whom\b|(?!including\b)[a-z]+ing\b)", parts[-1]):
            parts.pop()
        if len(parts) >= 2 and _NAME.match(parts[-2].split("“")[-1].strip()):
            role = re.split(r"\b(?:who|which|that)\b", parts[-1])[0].strip()
            return f"{parts[-2].strip()}, {role}"
        if parts:
            np = re.split(r"\b(?:who|which|that)\b", parts[-1])[0].strip()
            # "X said that ... and believes": the second verb's speaker is the first one's
            first = _VERB_RE.search(np)
            if first is not None and first.start() > 0:
                np = np[:first.start()].strip()
    elif cuts and cuts[-1].group(0) == "," and np and np[0].islower():
        # "Nathan Mook, an aid worker who saw ..., counted": keep the name before the appositive
        parts = [p.strip() for p in seg.split(",") if p.strip()]
        if len(parts) >= 2 and _NAME.match(parts[-2]) and not _PRONOUN.match(np) and not _CONNECTIVE.match(parts[-2]):
            return f"{parts[-2]}, {np}"
    inner = _VERB_RE.search(np)
    if inner is not None and inner.start() > 0 and re.match(r"\s+[a-z]", np[inner.end():]):
        # "officials said of the millions announced": the officials
        np = _ADVERBS.sub("", np[:inner.start()].rstrip()).strip()
    words = np.split()
    if words and len(words) > 1 and _PRONOUN.match(words[-1]):
        return words[-1]  # "... in what it said": the speaker is "it", resolved from earlier sentences
    if len(words) > 12:
        return ""
    return np


_NP_AFTER = re.compile(r"\s*([\w’'.-]+(?:\s+[\w’'.-]+){0,9}?)(?=\s*[,.;]|\s*$|\s+(?:on|in|who|which|citing|that)\b)")


def _np_after(sent: str, pos: int) -> str:
    # linear: words separated by single runs of space, stopping at punctuation or a clause word
    m = _NP_AFTER.match(sent, pos)
    return m.group(1).strip() if m else ""


def _is_verb(sent: str, m: re.Match) -> bool:
    """A frame word can be part of a name ("the United States has provided"), a noun or an
    adjective after a determiner ("an estimated 14 million", "the alleged strike") or a passive
    ("Russia is said to have lost"): then the words before it are no speaker."""
    if m.start() > 0 and m.group(0)[0].isupper():
        return False
    if m.group(0).lower() in _NOUN_FORMS and _VERB_AFTER.match(sent, m.end()):
        return False
    if _PASSIVE_AFTER.match(sent, m.end()):
        return False    # "the government accused of hampering relief": a participle, not the accuser
    # "Russia is estimated to have lost", "it was reported": a passive names no speaker before it
    return _DETERMINER_BEFORE.search(sent, 0, m.start()) is None and _PASSIVE_BEFORE.search(sent, 0, m.start()) is None


def find_speakers(text: str, start: int, end: int, russian_outlet: bool) -> list[Speaker]:
    """Every reporting frame in the sentence text[start:end], with the position of its verb; a
    sentence with none inside a quotation is spoken by the quotation's speaker (:func:`_quoted`)."""
    return _frames(text, start, end, russian_outlet) or _quoted(text, start, end, russian_outlet)


_QUOTE_MARKS = re.compile(r"[\"“”]")
_QUOTE_REACH = 1500          # how far a quotation that runs on is followed, either way, in characters
_FRAME_REACH = 200           # how far after a quotation's close its frame may end


def _opens(text: str, i: int) -> bool:
    """Whether the quotation mark at ``i`` opens a quotation: a curly mark says so; a straight one
    opens when a space (or the text's start) is before it and a word after it."""
    if text[i] in "“”":
        return text[i] == "“"
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–:") and not after.isspace()


def _sentence_end(text: str, pos: int, limit: int) -> int:
    """Where the sentence running from ``pos`` ends: the first full stop, "!" or "?" before a space
    that does not end an abbreviation ("Gov. Vitaliy Kim wrote"), else ``limit``."""
    for m in re.finditer(r"[.!?;](?=\s|$)", text[pos:limit]):
        if m.group(0) == "." and ends_abbreviation(text, pos, pos + m.start()):
            continue
        return pos + m.end()
    return limit


def _quoted(text: str, start: int, end: int, russian_outlet: bool) -> list[Speaker]:
    """The speaker of a quotation the sentence lies in, when the sentence names none: a quote that
    runs on over several sentences ("... Five soldiers were killed this week alone. These are all
    deeply concerning signs," the spokeswoman said) is framed once, after its close ("," X said) or
    before its opening (X said: "..."), or by the frame of the quotation just before it ("...," she
    said in a statement. "This attack ..."), as reporters quote one speaker in turn."""
    marks = [m.start() for m in _QUOTE_MARKS.finditer(text, max(0, start - _QUOTE_REACH), min(len(text), end + _QUOTE_REACH))]
    before = [i for i in marks if i < start]
    inside = [i for i in marks if start <= i < end]
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    if inside and inside[0] == start + lead and _opens(text, inside[0]) \
            and (len(inside) == 1 or (len(inside) == 2 and not _opens(text, inside[1]))):
        opening = inside[0]          # the sentence opens a quotation (and may close it)
    elif before and _opens(text, before[-1]) and not (inside and _opens(text, inside[0])):
        opening = before[-1]         # the sentence begins inside a quotation
    else:
        return []
    closing = next((i for i in marks if i > max(opening, start + lead)), None)
    if closing is None or _opens(text, closing):
        return []
    if text[closing - 1] in ",!?—–-":
        found = _frames(text, closing + 1, _sentence_end(text, closing + 1, min(len(text), closing + _FRAME_REACH)),
                        russian_outlet)
        if found:
            return found[:1]
    # framed before its opening: in the opening's own sentence, or by the quotation just before it
    head = text[max(0, opening - 400):opening]
    head_start = opening - len(head)
    cut = max((m.end() for m in re.finditer(r"[.!?;](?=\s)", head)), default=0)
    if head[cut:].strip():
        found = _frames(text, head_start + cut, opening, russian_outlet)
        return found[-1:]
    prev_close = [i for i in marks if head_start <= i < opening and not _opens(text, i)]
    if prev_close and text[prev_close[-1] - 1] in ",!?—–-":
        return _frames(text, prev_close[-1] + 1, opening, russian_outlet)[-1:]
    return []


_LEAD_NAME = re.compile(r"\s*(?P<name>(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+)\s+(?:[a-z]+ed|has|had|was|is)\b")


def _frames(text: str, start: int, end: int, russian_outlet: bool) -> list[Speaker]:
    sent = text[start:end]
    found: list[Speaker] = []

    def add(np: str, pos: int) -> bool:
        lead = _LEAD_NAME.match(sent) if np.strip().lower() in ("he", "she") else None
        if lead is not None and lead.end("name") < pos and not _PRONOUN.match(lead.group("name")):
            # "Biden called for more aid as he announced $2.9 billion": the sentence's own subject,
            # named before the pronoun, not the last speaker of the sentences before
            named = normalise(lead.group("name"), sent, russian_outlet)
            # a known speaker or a person's full name, not any capitalised word ("Ammunition was ...")
            if named is not None and named.name and named.kind != "unattributed" \
                    and (named.kind != "person" or len(lead.group("name").split()) >= 2):
                found.append(Speaker(named, start + pos))
                return True
        src = normalise(np, sent, russian_outlet)
        if src is not None:
            found.append(Speaker(src, start + pos, person=bool(_PRONOUN.match(np.strip()))))
            return True
        return False

    for m in _ACCORDING.finditer(sent):
        add(m.group("np"), m.start())
    for m in _BY.finditer(sent):
        add(m.group("np"), m.start())
    for m in _FIGURES.finditer(sent):
        owner = normalise(_np_before(sent, m.start("noun")), sent, russian_outlet)
        if owner is not None and owner.kind not in ("person", "unattributed"):
            found.append(Speaker(owner, start + m.start()))
    for m in _VERB_RE.finditer(sent):
        if _ACCORDING_WORD.match(m.group(0)) or not _is_verb(sent, m):
            continue
        np = _np_before(sent, m.start())
        if np and add(np, m.start()):
            continue
        if m.group("verb").lower() in _VERBS_BEFORE_SPEAKER:
            add(_np_after(sent, m.end()), m.start())
    for m in _PARTICIPLE.finditer(sent):
        earlier = [sp for sp in found if sp.start < start + m.start()]
        if earlier:
            # "X claimed on Saturday, adding that ...": the participle belongs to X's frame
            nearest = max(earlier, key=lambda sp: sp.start)
            found.append(Speaker(nearest.source, start + m.start(), nearest.person))
            continue
        subj = re.match(r"\s*(?P<np>(?:[\w’'.-]+\s+){0,8}?[\w’'.-]+)\s+(?:\w+ed|\w+s|is|are|was|were|has|have|had)\b",
                        sent)
        if subj:
            add(subj.group("np"), m.start())
    return found


@cache
def _introduction() -> re.Pattern:
    titles = alternation(_SPEECH, "introduced_titles")
    return re.compile(rf"(?-i:\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}}),\s+(?:the\s+|a\s+)?(?:[\w’'-]+\s+){{0,2}}?"
                      rf"(?:{titles})\b[^.;:!?\"“”]{{0,90}}", re.I)


def introduced_persons(text: str, start: int, end: int) -> list[Source]:
    """People a sentence introduces by name and title without letting them speak: the referents of
    the "he said" that often follows ("One of those to post the video was Oleksandr Merezhko, deputy
    head of the Verkhovna Rada. '...,' he said in his tweet")."""
    out = []
    for m in _introduction().finditer(text, start, end):
        src = normalise(m.group(0))
        if src is not None and src.kind != "unattributed" and src.name:
            out.append(src)
    return out


def resolve_pronoun(speaker: Speaker, history: list[Source]) -> Source:
    """'he added', 'the ministry said': the last named speaker of a compatible kind."""
    mention = speaker.source.mention or ""
    if not (_PRONOUN.match(mention) or _DEFINITE_ROLE.match(mention) or _REFERENCE.match(mention)):
        return _known_person(speaker.source, history)
    want = mention.lower().split()[-1] if _DEFINITE_ROLE.match(mention) and not _REFERENCE.match(mention) else None
    institution = mention.lower() == "it"   # "It said its forces ...": a ministry or an army, never a governor
    for prev in reversed(history):
        if prev.kind == "unattributed" or (institution and _is_person(prev)):
            continue
        if want and want not in (prev.name or "").lower() and want not in (prev.mention or "").lower():
            continue
        return Source(mention=mention, name=prev.name, kind=prev.kind, side=prev.side)
    kinds = _role_kinds().get(want or "", ())
    for prev in reversed(history if kinds else ()):
        if prev.kind in kinds and prev.name:
            return Source(mention=mention, name=prev.name, kind=prev.kind, side=prev.side)
    if want:
        return speaker.source
    return Source(mention=mention, name=None, kind="person", side="unknown")


@cache
def _role_kinds() -> dict[str, tuple[str, ...]]:
    return {word: tuple(kinds) for word, kinds in load_yaml(_SPEECH)["role_kinds"].items()}


def _is_person(source: Source) -> bool:
    """A speaker who is one person: named as a person, or by a person's title ("Kharkiv governor
    Oleh Synehubov", "the mayor"), as the institutions an "it" refers to never are."""
    return source.kind == "person" or _person_title().search(source.mention or "") is not None


@cache
def _person_title() -> re.Pattern:
    return re.compile(rf"\b(?:{alternation(_SPEECH, 'introduced_titles')})\b", re.I)


def _known_person(source: Source, history: list[Source]) -> Source:
    """'Mr Gaidai said' after 'Serhiy Gaidai, governor of the Luhansk region, said': a person named
    again by surname speaks for the institution the report introduced them with."""
    if source.kind != "person" or not source.mention:
        return source
    surname = source.mention.split()[-1].strip(".,’'")
    if len(surname) < 3 or not surname[0].isupper():
        return source
    for prev in reversed(history):
        words = {w.strip(".,’'") for w in (prev.mention or "").split(",")[0].split()}
        if prev.mention != source.mention and surname in words and prev.kind != "unattributed":
            return Source(mention=source.mention, name=prev.name, kind=prev.kind, side=prev.side)
    return source


def is_russian_outlet(outlet: str | None) -> bool:
    *_, rx = _actors()
    return bool(outlet and rx.search(outlet))


def stance_of(sentence: str) -> str:
    s = sentence.lower()
    if re.search(r"could not (?:be )?(?:independently )?(?:verif|confirm)|unable to (?:independently )?(?:verif|confirm)|"
                 r"has not been (?:independently )?verified|cannot be verified", s):
        return "unconfirmed"
    if re.search(r"\b(?:denied|denies|deny|rejected|dismissed)\b", s):
        return "denied"
    if re.search(r"\b(?:disputed|disputes|questioned|contested)\b", s):
        return "disputed"
    if re.search(r"\bconfirmed\b", s) and not re.search(r"\b(?:not|never) confirm", s):
        return "confirmed"
    return "asserted"
