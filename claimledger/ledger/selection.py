"""What an analyst selects: the filters, search and sort order of the page's tables, as SQL.

One typed record (:class:`Selection`) carries every filter the page, the API and the downloads
share, and this module turns it into SQLAlchemy conditions on the ledger's tables, so that the
events table, the claims table, the map and "download this selection" can never disagree about
what a filter means. The store runs the conditions (``Store.list_events_json``,
``Store.list_claims``); the API only parses parameters into a Selection.

Why conditions on ``ledger_events`` use sub-queries through ``doc_events``: sources, outlets and
evidence belong to claims and documents, and an event matches when *any* of its reports does.
Text search is a case-insensitive substring ("Kram" finds Kramatorsk, "Reuter" Reuters) of the
fields it names, and of nothing else: a place (name, region), a source (name, mention), evidence,
an outlet or a report title. Substrings rule out a word index (SQLite's FTS5 and PostgreSQL's
tsvector find words and prefixes, not "ramatorsk"), but not a trigram index (migration 0013): a
search of three characters or more finds a claim's text through it (:class:`text_candidates`),
a shorter one reads every claim. The source mention and evidence live in each claim's JSON, read
with the database's JSON functions (:class:`json_text`) behind a plain ``LIKE`` on the whole record
that rules out most rows first; searching the raw JSON alone also matched its keys and codes
("source", "quantity", "null" found every claim).

Sides, each its own filter, because an analyst asks three different questions: *which party
took part* (``side``: the event's initiator or target; ``initiator_side``, ``target_side``),
*who says it* (``source_side``: the side of a claim's source) and *whose losses* (``subject_side``:
the side of the people or things a claim counts, "Russian soldiers" -> russia).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, fields

from sqlalchemy import Boolean, Text, and_, exists, false, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal

from claimledger.ledger.db import claims, doc_events, documents, ledger_events

EVENT_SORTS = ("date", "-date", "deaths", "-deaths", "place", "-place", "type", "-type",
               "documents", "-documents", "claims", "-claims", "updated", "-updated")
CLAIM_SORTS = ("published", "-published", "source", "-source", "value", "-value", "measure", "-measure",
               "side", "-side")


@dataclass(frozen=True)
class Selection:
    """Every filter of the page; None (or empty) means "any". Dates are ISO strings."""

    q: str | None = None                 # substring of a place, source, outlet or evidence
    conflict: str | None = None          # registry conflict id (russia_ukraine, sudan...)
    source_side: str | None = None       # some claim's source is of this side (who says it)
    subject_side: str | None = None      # some claim counts people or things of this side (whose losses)
    source_kind: str | None = None       # some claim's source is of this kind (official, military...)
    outlet: str | None = None            # some report's outlet contains this (case-insensitive)
    country: str | None = None           # ISO 3166 alpha-2 of the event's place
    admin1: str | None = None            # the event's first-level region, exactly
    max_deaths: int | None = None        # reconciled best, inclusive (min_deaths is Store.list_events's)
    updated_since: str | None = None     # events the ledger changed at or after this UTC timestamp
    reviewed: bool | None = None         # True: some claim has a review; False: none has

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "") for f in fields(self))


class contains_text(FunctionElement):
    """``column`` contains ``text``, ignoring case: ``LIKE`` on SQLite, whose ``LIKE`` ignores the
    case of ASCII letters by itself (``lower()`` on both sides, SQLAlchemy's ``icontains``, folded
    the same letters and doubled the cost of a scan: 20 vs 9 ms over 10,000 claims' JSON), and
    ``lower(...) LIKE lower(...)`` elsewhere (PostgreSQL folds the letters of its locale). The
    pattern is one bound parameter, escaped here, so a cached statement serves every search."""

    name = "contains_text"
    inherit_cache = True
    type = Boolean()

    def __init__(self, column, text: str):
        escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
        super().__init__(column, literal(f"%{escaped}%", Text()))


@compiles(contains_text)
def _icontains(element, compiler, **kw):
    column, pattern = (compiler.process(c, **kw) for c in element.clauses.clauses)
    return f"(lower({column}) LIKE lower({pattern}) ESCAPE '/')"


@compiles(contains_text, "sqlite")
def _sqlite_like(element, compiler, **kw):
    column, pattern = (compiler.process(c, **kw) for c in element.clauses.clauses)
    return f"({column} LIKE {pattern} ESCAPE '/')"


class json_text(FunctionElement):
    """The text at ``path`` inside a JSON text column: ``json_extract`` on SQLite, ``#>>`` on
    PostgreSQL (its JSON functions need a JSON value: the column is text, so it is cast)."""

    name = "json_text"
    inherit_cache = True
    type = Text()
    _traverse_internals = [*FunctionElement._traverse_internals, ("path", InternalTraversal.dp_plain_obj)]

    def __init__(self, column, *path: str):
        super().__init__(column)
        self.path = path


@compiles(json_text)
def _json_default(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)   # no JSON functions known: the whole record


@compiles(json_text, "sqlite")
def _json_sqlite(element, compiler, **kw):
    return f"json_extract({compiler.process(element.clauses, **kw)}, '$.{'.'.join(element.path)}')"


@compiles(json_text, "postgresql")
def _json_pg(element, compiler, **kw):
    return f"(CAST({compiler.process(element.clauses, **kw)} AS JSON) #>> '{{{','.join(element.path)}}}')"


def _like(column, text: str):
    return contains_text(column, text)


# text JSON writes as is inside a string: no quote, backslash or control character (claims' JSON is
# written by serialise.dumps, ensure_ascii=False: "Київ" is stored as Київ, not \u escapes)
RAW_SAFE = re.compile(r'[^"\\\x00-\x1f]+')


def _claims_of_event():
    """Claims belonging to the outer ledger event (correlated on ``ledger_events.id``)."""
    return (select(claims.c.id).join(doc_events, doc_events.c.id == claims.c.doc_event_id)
            .where(doc_events.c.ledger_id == ledger_events.c.id))


def _docs_of_event():
    return (select(documents.c.id).join(doc_events, doc_events.c.doc_id == documents.c.id)
            .where(doc_events.c.ledger_id == ledger_events.c.id))


def _events_with_claims(*conds):
    """Ids of ledger events with a claim meeting ``conds``: one uncorrelated sub-query the database
    runs once (a correlated EXISTS per event cost 100+ ms over 10,000 events, bench/page_load.py)."""
    return (select(doc_events.c.ledger_id).join(claims, claims.c.doc_event_id == doc_events.c.id)
            .where(doc_events.c.ledger_id.is_not(None), *conds))


def _with_claims(cond, correlated: bool):
    """Events with a claim meeting ``cond``. Correlated (one EXISTS per event) for a page read in list
    order, which stops at its last row: the first page of "whose losses: unknown" and a side, where
    nearly every event matches, 71 -> 0.3 ms on 10,000 events (the sub-query made every claim's
    event id first, then looked each one up and sorted the matches). Otherwise one uncorrelated
    sub-query, for counts, sorts and the map, which look at every event anyway."""
    if correlated:
        return exists(_claims_of_event().where(cond))
    return ledger_events.c.id.in_(_events_with_claims(cond))


def _events_with_docs(*conds):
    return (select(doc_events.c.ledger_id).join(documents, documents.c.id == doc_events.c.doc_id)
            .where(doc_events.c.ledger_id.is_not(None), *conds))


class text_candidates(FunctionElement):
    """A claim whose source (name or mention) or evidence contains ``text``: on SQLite, from the
    trigram index (migration 0013, ``claims_search``), which holds the fields with their ASCII
    letters folded, searched for the phrase folded the same way, case-sensitively: exactly what
    SQLite's ``LIKE`` (ASCII letters folded, every other character as is) finds, without reading
    a claim's record. Elsewhere ``conditions``, the ``LIKE`` conditions themselves (on PostgreSQL
    the 0013 trigram indexes serve them).

    ``probe``: the claims are read some other way (an event's claims, the claims table in its
    order, stopping at the page's end) and each is tested against the index's set of rowids,
    written ``+rowid`` so that SQLite does not look every rowid of the set up in each event's
    claims (a first page of events 38 -> 4 ms); otherwise SQLite may start from the set."""

    name = "text_candidates"
    inherit_cache = True
    # not Boolean: SQLite has no boolean type, and SQLAlchemy would write a Boolean condition as
    # "(...) = 1", which SQLite cannot look up by rowid (it tested every claim: 12 -> 0.1 ms)
    type = NullType()
    _traverse_internals = [*FunctionElement._traverse_internals, ("probe", InternalTraversal.dp_plain_obj)]

    def __init__(self, text: str, conditions, probe: bool = False):
        phrase = text.translate(ASCII_LOWER).replace('"', '""')
        super().__init__(literal(f'"{phrase}"', Text()), conditions)
        self.probe = probe


@compiles(text_candidates)
def _conditions(element, compiler, **kw):
    return compiler.process(element.clauses.clauses[1], **kw)


@compiles(text_candidates, "sqlite")
def _trigrams(element, compiler, **kw):
    phrase = compiler.process(element.clauses.clauses[0], **kw)
    rowid = f"{'+' if element.probe else ''}{claims.name}.rowid"
    return f"({rowid} IN (SELECT rowid FROM claims_search WHERE claims_search MATCH {phrase}))"


ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
TRIGRAM = 3   # characters: a shorter search has no trigram to look up, and reads every claim
INDEXABLE = re.compile(rf"[^\x00]{{{TRIGRAM},}}")


def claim_text_match(q: str, *, probe: bool = False):
    """A claim whose source (name or mention) or evidence contains ``q``. For three characters or
    more, through the trigram index (:class:`text_candidates`, ``probe`` as there; a claims page
    searched for a rare substring 41 -> 12 ms of CPU over 10,000 claims, docs/performance.md,
    session 14). For fewer, the ``LIKE`` conditions, and when ``q`` would be written as is inside a
    JSON string, the claim's whole JSON must contain it too: a cheap first test (9 ms over 10,000
    claims) that spares most rows the JSON reads (45 ms for every row)."""
    data = claims.c.data
    fields = or_(_like(claims.c.source_name, q), _like(json_text(data, "source", "mention"), q),
                 _like(json_text(data, "evidence", "text"), q))
    unindexed = and_(_like(data, q), fields) if RAW_SAFE.fullmatch(q) else fields
    return text_candidates(q, unindexed, probe) if INDEXABLE.fullmatch(q) else unindexed


class unindexed(FunctionElement):
    """A column the planner must not look up by its index: ``+column`` on SQLite (its documented
    way to keep an index out of a plan), the column itself elsewhere. See :func:`filter_conditions`."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _plain(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _plus(element, compiler, **kw):
    return "+" + compiler.process(element.clauses, **kw)


INDEXED_FILTERS = ("bbox", "types", "min_deaths")   # the keywords whose columns have an index of their own


def filter_conditions(*, since: str | None = None, until: str | None = None,
                      bbox: tuple[float, float, float, float] | None = None, types: list[str] | None = None,
                      side: str | None = None, initiator_side: str | None = None, target_side: str | None = None,
                      min_deaths: int | None = None, selection: Selection | None = None,
                      reviewed_claims=None, in_list_order: bool = False) -> list:
    """Conditions on ``ledger_events`` for the keywords of ``Store.list_events`` (the CLI's and the
    API's filters) and a Selection; ``near`` (a radius) is the store's, checked in Python.

    ``in_list_order``: the box, type and toll conditions keep their columns' indexes out of the
    plan, so that a page in list order is read off the list-order index, stopping at the page's
    last row. Otherwise SQLite looks the box up in the ``(lat, lon)`` index and sorts every match
    with its 1 KB of JSON: 4-14 ms for a page of a quarter of the ledger's 10,000 events, 0.2 ms
    read in order (bench/api_latency.py). The store chooses (``Store.list_events_json``): reading
    in order is cheap when matches are dense, the index when they are few."""
    le = ledger_events.c
    col = unindexed if in_list_order else (lambda c: c)
    where: list = []
    if since:
        where.append(le.date_start >= since)
    if until:
        where.append(le.date_start <= until)
    if bbox:
        min_lon, min_lat, max_lon, max_lat = bbox
        where += [col(le.lat).between(min_lat, max_lat), col(le.lon).between(min_lon, max_lon)]
    if types:
        where.append(or_(col(le.type).in_(types), col(le.event_type).in_(types)))
    if side:
        where.append(or_(le.initiator_side == side, le.target_side == side))
    if initiator_side:
        where.append(le.initiator_side == initiator_side)
    if target_side:
        where.append(le.target_side == target_side)
    if min_deaths is not None:
        where.append(col(le.deaths_best) >= min_deaths)
    if selection is not None:
        where += event_conditions(selection, reviewed_claims)
    return where


def event_conditions(sel: Selection, reviewed_claims=None, *, correlated: bool = False) -> list:
    """Conditions on ``ledger_events`` for ``sel``. ``reviewed_claims`` is a selectable of claim
    ids that carry a review (the reviews table's), needed only for ``sel.reviewed``."""
    le = ledger_events.c
    where: list = []
    if sel.q:
        q = sel.q.strip()
        where.append(or_(_place_match(q), le.id == q, *_text_matches(q, correlated)))
    if sel.conflict:
        where.append(le.data.contains(f'"conflict": "{sel.conflict}"', autoescape=True))
    if sel.source_side:
        where.append(_with_claims(claims.c.source_side == sel.source_side, correlated))
    if sel.subject_side:
        where.append(_with_claims(claims.c.subject_side == sel.subject_side, correlated))
    if sel.source_kind:
        where.append(_with_claims(claims.c.source_kind == sel.source_kind, correlated))
    if sel.outlet:
        outlet = _like(documents.c.outlet, sel.outlet)
        where.append(exists(_docs_of_event().where(outlet)) if correlated else le.id.in_(_events_with_docs(outlet)))
    if sel.country:
        where.append(le.country == sel.country.upper())
    if sel.admin1:
        where.append(le.admin1 == sel.admin1)
    if sel.max_deaths is not None:
        where.append(le.deaths_best <= sel.max_deaths)
    if sel.updated_since:
        where.append(le.updated_at >= sel.updated_since)
    if sel.reviewed is not None:
        if reviewed_claims is None:
            hit = false()   # a ledger without a reviews table: nothing is reviewed
        else:
            hit = le.id.in_(_events_with_claims(claims.c.id.in_(reviewed_claims)))
        where.append(hit if sel.reviewed else ~hit)
    return where


def _place_match(q: str):
    return or_(_like(ledger_events.c.place_name, q), _like(ledger_events.c.admin1, q))


def _events_placed(q: str):
    """Ids of ledger events whose place (name or region) contains ``q``: a claim is found by its
    event's place, as the events table finds the event."""
    return select(ledger_events.c.id).where(_place_match(q))


def _text_matches(q: str, correlated: bool) -> list:
    """The search's conditions on claims and reports. Correlated (one EXISTS per event) suits a page
    read in index order, which stops at its 50th match; uncorrelated (one sub-query scanning every
    claim once) suits counts, the map and sorts, which look at every event (bench/page_load.py)."""
    in_docs = or_(_like(documents.c.outlet, q), _like(documents.c.title, q))
    if correlated:
        return [exists(_claims_of_event().where(claim_text_match(q, probe=True))),
                exists(_docs_of_event().where(in_docs))]
    le = ledger_events.c
    return [le.id.in_(_events_with_claims(claim_text_match(q))), le.id.in_(_events_with_docs(in_docs))]


def claim_conditions(sel: Selection, *, measure: str | None = None, event_ids=None, reviewed_claims=None) -> list:
    """Conditions on ``claims`` (joined to ``documents`` and ``doc_events``) for the claims table: the claim-level
    filters apply to the claim itself; ``event_ids`` (a selectable of ledger ids matching the
    event-level filters) keeps claims of those events only."""
    c = claims.c
    where: list = []
    if sel.q:
        q = sel.q.strip()
        # the claims of placed events through doc_events' ledger index, not the joined row's ledger id
        # (which SQLite tested row by row: 10 ms over 10,000 claims when no event was placed)
        placed = select(doc_events.c.id).where(doc_events.c.ledger_id.in_(_events_placed(q)))
        where.append(or_(claim_text_match(q, probe=True), _like(documents.c.outlet, q), _like(documents.c.title, q),
                         c.doc_event_id.in_(placed)))
    if sel.source_side:
        where.append(c.source_side == sel.source_side)
    if sel.subject_side:
        where.append(c.subject_side == sel.subject_side)
    if sel.source_kind:
        where.append(c.source_kind == sel.source_kind)
    if sel.outlet:
        where.append(_like(documents.c.outlet, sel.outlet))
    if measure:
        where.append(c.measure == measure)
    if sel.reviewed is not None:
        hit = false() if reviewed_claims is None else c.id.in_(reviewed_claims)
        where.append(hit if sel.reviewed else ~hit)
    if event_ids is not None:   # on the claims query's join to doc_events: x2.9 faster than a second IN
        where.append(doc_events.c.ledger_id.in_(event_ids))
    return where


def event_level(sel: Selection) -> Selection:
    """The part of ``sel`` that is about the event, for the claims table's "claims of matching
    events" restriction (claim-level filters apply to the claim rows themselves)."""
    return Selection(conflict=sel.conflict, country=sel.country, admin1=sel.admin1, max_deaths=sel.max_deaths,
                     updated_since=sel.updated_since)


def event_order(sort: str) -> list:
    """ORDER BY for an events sort key (``EVENT_SORTS``); ties and undated events go last, by id."""
    le = ledger_events.c
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "date":
        return [le.date_start.is_(None), le.date_start.desc() if desc else le.date_start, le.id]
    column = {"deaths": le.deaths_best, "place": le.place_name, "type": le.type, "documents": le.n_documents,
              "claims": le.n_claims, "updated": le.updated_at}[key]
    return [column.is_(None), column.desc() if desc else column, le.date_start, le.id]


def claim_order(sort: str) -> list:
    c = claims.c
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    column = {"published": documents.c.published, "source": c.source_name, "value": c.value,
              "measure": c.measure, "side": c.source_side}[key]
    return [column.is_(None), column.desc() if desc else column, c.doc_id, c.ordinal]
