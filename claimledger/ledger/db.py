"""Tables of the ledger (SQLAlchemy Core).

This module describes the *current* schema; the Alembic revisions under ``migrations/versions``
create it step by step and a test checks that the two agree. Columns that queries filter or sort
on are real columns (dates, coordinates, sides, tolls); everything else about a record is kept as
its contract JSON (``data``) so the store never loses a field the extractor adds later.

Dates are ISO ``YYYY-MM-DD`` strings: they sort correctly as text, compare the same on SQLite and
PostgreSQL, and are what the contract carries.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# party ids of the conflict registry ("syrian_opposition"); migration 0008
SIDE_LENGTH = 64

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", String(10), index=True),
    Column("language", String(16)),
    Column("dateline", Text),
    Column("body", Text),
    Column("origin", Text),
    Column("source_id", Text),          # the input's own id (JSONL "id"), to find an article again
    Column("text_hash", String(16), index=True),   # records.doc_id(body): a document's identity
    Column("input_hash", String(16), index=True),  # the input text's hash: a rerun skips it unextracted
    Column("n_claims", Integer, nullable=False),
    Column("n_events", Integer, nullable=False),
    Column("n_places", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

claims = Table(
    "claims", metadata,
    Column("id", String(96), primary_key=True),
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("ordinal", Integer, nullable=False),
    Column("doc_event_id", String(96), index=True),
    Column("measure", String(32), nullable=False, index=True),
    Column("source_name", Text),
    Column("source_kind", String(32)),
    Column("source_side", String(SIDE_LENGTH), index=True),
    Column("subject_category", String(32)),
    Column("subject_side", String(SIDE_LENGTH)),
    Column("stance", String(16)),
    Column("value", Float),
    Column("min", Float),
    Column("max", Float),
    Column("date_start", String(10)),
    Column("data", Text, nullable=False),
    # the "whose losses" filter, and the claims table's joins and sorts, read these columns of every
    # claim: from the indexes, not the 1 KB rows (0012)
    Index("ix_claims_subject_side", "subject_side", "doc_event_id"),
    Index("ix_claims_sorts", "doc_id", "ordinal", "id", "doc_event_id", "value", "measure", "source_side",
          "subject_side", "source_kind"),
)

doc_places = Table(
    "doc_places", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("name", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("precision", String(16)),
    Column("data", Text, nullable=False),
)

# One row per event of one document; ``ledger_id`` says which ledger event it was merged into.
doc_events = Table(
    "doc_events", metadata,
    Column("id", String(96), primary_key=True),
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("ordinal", Integer, nullable=False),
    Column("type", Text, nullable=False),
    Column("event_type", Text),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("published", String(10)),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("precision", String(16)),
    Column("initiator_side", String(SIDE_LENGTH)),
    Column("target_side", String(SIDE_LENGTH)),
    Column("sites", Text),               # space-separated site words ("station theatre") for tie-breaks
    Column("ledger_id", String(40), index=True),
    Column("data", Text, nullable=False),
    Index("ix_doc_events_date_start", "date_start"),
    Index("ix_doc_events_published", "published"),
    Index("ix_doc_events_lat", "lat"),
)

ledger_events = Table(
    "ledger_events", metadata,
    Column("id", String(40), primary_key=True),
    Column("founder", String(96), nullable=False),
    Column("type", Text, nullable=False),
    Column("event_type", Text),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_min", String(10)),      # earliest dated member: the merge's window needs it
    Column("lat", Float),
    Column("lon", Float),
    Column("place_name", Text),
    Column("place", Text),               # canonical Place JSON: list_places groups on it
    Column("admin1", Text),
    Column("country", String(8)),
    Column("initiator_side", String(SIDE_LENGTH)),
    Column("target_side", String(SIDE_LENGTH)),
    Column("deaths_low", BigInteger),
    Column("deaths_best", BigInteger),
    Column("deaths_high", BigInteger),
    Column("n_documents", Integer, nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("data", Text, nullable=False),  # the LedgerEvent as contract JSON
    Index("ix_ledger_events_date_start", "date_start"),
    Index("ix_ledger_events_lat_lon", "lat", "lon"),
    Index("ix_ledger_events_type", "type"),
    # the list's filter and sort columns, led by the toll, so its totals and non-date sorts read this
    # narrow index instead of every row's 1 KB record (0010; on PostgreSQL without place_name, admin1)
    Index("ix_ledger_events_filters", "deaths_best", "initiator_side", "target_side", "type", "event_type",
          "country", "place_name", "admin1", "date_start", "lat", "lon", "n_documents", "n_claims", "updated_at",
          "id"),
    Index("ix_ledger_events_updated_at", "updated_at"),   # "events changed since T" (0006)
)

# The API's list order (undated last, by date, then id), so a page is read off an index (0005).
Index("ix_ledger_events_order", ledger_events.c.date_start.is_(None), ledger_events.c.date_start, ledger_events.c.id)
Index("ix_ledger_events_order_desc", ledger_events.c.date_start.is_(None), ledger_events.c.date_start.desc(),
      ledger_events.c.id)

# One row: a counter every write transaction bumps, so a process can tell whether its in-memory
# copy of the merge's working set (ledger/neighbourhood.py) is still the database's.
ledger_state = Table(
    "ledger_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", BigInteger, nullable=False),
)

# Filter columns of every ledger event row written or deleted, by SQLite triggers (0011; on PostgreSQL
# the table stays empty): what the API's response cache asks to tell which answers a commit changed.
# A row without an id: a change to reviews, claims or documents, after which nothing is kept.
ledger_changes = Table(
    "ledger_changes", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(40)),
    Column("type", Text), Column("event_type", Text), Column("date_start", String(10)),
    Column("lat", Float), Column("lon", Float),
    Column("initiator_side", String(SIDE_LENGTH)), Column("target_side", String(SIDE_LENGTH)),
    Column("deaths_best", BigInteger), Column("country", String(8)), Column("admin1", Text),
    Column("updated_at", String(32)),
    sqlite_autoincrement=True,
)

# A ledger event a merge emptied (its reports joined another) -> the event they went into.
ledger_moves = Table(
    "ledger_moves", metadata,
    Column("id", String(40), primary_key=True),
    Column("merged_into", String(40), nullable=False),
    Column("at", String(32), nullable=False),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", String(1000), nullable=False, unique=True),
    Column("reason", Text, nullable=False),
    Column("doc_id", String(64)),
    Column("at", String(32), nullable=False),
)

# Watched sources (``claimledger feeds``, ``watch``) and their cursors (0006): a feed's validators,
# and one row per item seen, ``done`` once stored, ``failed`` while retried, ``given_up`` after.
feeds = Table(
    "feeds", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(2000), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),          # "feed" (a URL) or "folder"
    Column("added_at", String(32), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("checked_at", String(32)),
    Column("status", Text),                              # the last fetch, in words
)

feed_items = Table(
    "feed_items", metadata,
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(1000), primary_key=True),       # the entry's id (guid), else its link
    Column("link", Text),
    Column("entry", Text),                               # the entry as JSON (title, date, content)
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("doc_id", String(64)),
    Column("reason", Text),
    Column("seen_at", String(32), nullable=False),
)

# Near-duplicate fingerprints and stories (ledger/stories.py, 0006): a document's MinHash signature,
# the story it belongs to (the id of its first document) and its LSH band hashes for the look-up.
doc_fingerprints = Table(
    "doc_fingerprints", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", String(64), nullable=False, index=True),
    Column("similarity", Float),                          # estimated Jaccard to the copy it matched
    Column("wire", String(32)),                           # the agency its credit line names, if any
    Column("signature", Text, nullable=False),
)

doc_bands = Table(
    "doc_bands", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("band", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(16), nullable=False),
    Index("ix_doc_bands_band_hash", "band", "hash"),
)

# Outlets that printed a stored text word for word (ledger/stories.py, 0009). The ledger stores a
# text once (its identity rule), so a byte-identical copy from another outlet has no document of its
# own; this row keeps that outlet among the ones that carried the story.
doc_reprints = Table(
    "doc_reprints", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("outlet", String(200), primary_key=True),
    Column("origin", Text),                              # where the copy was read (file, URL)
    Column("url", Text),
    Column("published", String(10)),
    Column("seen_at", String(32), nullable=False),
)

# An analyst's review of a claim or an event (ledger/reviews.py). Anchored to the document's text
# identity and the evidence span, never to a claim id or ordinal, so it outlives rebuild, re-ingest
# and a newer extractor; undo marks it (undone_at), nothing is ever deleted.
reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(8), nullable=False),       # reject | set | move | split | merge
    Column("claim_id", String(96)),                    # the claim as it was named when reviewed
    Column("event_id", String(40)),                    # the ledger event as it was named when reviewed
    Column("doc_key", String(64), index=True),         # the claim's document: text_hash, else its id
    Column("ev_start", Integer),
    Column("ev_end", Integer),
    Column("evidence", Text),
    Column("measure", String(32)),
    Column("quantity", Text),
    Column("targets", Text, nullable=False),           # JSON: document-event anchors (move, split, merge)
    Column("fields", Text, nullable=False),            # JSON: the reviewed values (set) or parameters
    Column("replaced", Text, nullable=False),          # JSON: the values they replaced
    Column("reason", Text, nullable=False),
    Column("by", String(200)),
    Column("at", String(32), nullable=False),
    Column("undone_at", String(32)),
    Column("undone_by", String(200)),
)
