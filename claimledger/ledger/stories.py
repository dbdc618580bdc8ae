"""Stories: the copies of one report that several outlets carried, found and stored at ingest.

Why. "At least 50 killed" printed by CBS, NBC and Fox from one AP text is one source, not three.
Each stored document with enough text gets a MinHash fingerprint (``clean/fingerprint.py``); its
LSH band hashes find the stored documents that may be copies with one indexed query, and the one
most similar at or above the threshold gives its story (a story is named by its first document).
The story's *origin* is the wire's own copy when the ledger has it, else the earliest copy; its
label is the wire a credit line names ("(AP)", "Reporting by ..."), else the origin's outlet.

Reconciliation reads the stories of an event's reports (:func:`refs`) and counts a story's claims
as one report's (:func:`count_once`): the outlet's own voice of every copy is the origin's voice,
so five copies of one figure are one figure, and a re-edited copy with a newer figure from the
same source is that source's revision, not a second source.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, insert, or_, select
from sqlalchemy.engine import Connection

from claimledger.clean import fingerprint as fp
from claimledger.ledger.db import doc_bands, doc_events, doc_fingerprints, documents

_CHUNK = 500


@dataclass(frozen=True)
class StoryRef:
    """A story with two or more documents, as reconciliation and the exports read it."""

    id: str
    origin: str                 # document id of the origin copy
    label: str                  # "AP", or the origin's outlet
    wire: str | None            # the wire credited, if any
    members: tuple[str, ...]    # document ids, origin first, then by date
    outlets: tuple[str, ...]    # the wire (or origin outlet) first, then every outlet that carried it


def assign(conn: Connection, doc_id: str, body: str | None, outlet: str | None) -> list[str]:
    """Fingerprint a document just stored and put it in its story; the story's other documents."""
    if not body:
        return []
    f = fp.fingerprint(body)
    if f is None:
        return []
    wire, _own = fp.wire_of(body, outlet)
    cfg = fp.settings()["stories"]
    mine = (outlet or "").strip().lower()
    params = {f"h{i}": h for i, h in enumerate(f.bands)}
    cands = sorted({r[0] for r in conn.execute(_candidates(len(f.bands)), params)})
    best: tuple[float, str, str] | None = None
    for chunk in _chunks(cands):
        for r in conn.execute(select(doc_fingerprints.c.doc_id, doc_fingerprints.c.story_id,
                                     doc_fingerprints.c.signature, documents.c.outlet)
                              .join(documents, documents.c.id == doc_fingerprints.c.doc_id)
                              .where(doc_fingerprints.c.doc_id.in_(chunk))):
            same = bool(mine) and (r.outlet or "").strip().lower() == mine
            threshold = cfg["same_outlet_threshold"] if same else cfg["threshold"]
            s = fp.similarity(f.signature, fp.decode(r.signature))
            if s >= threshold and (best is None or (s, r.doc_id) > (best[0], best[1])):
                best = (s, r.doc_id, r.story_id)
    story = best[2] if best else doc_id
    conn.execute(insert(doc_fingerprints).values(doc_id=doc_id, story_id=story, similarity=best and best[0],
                                                 wire=wire, signature=f.encode()))
    conn.execute(insert(doc_bands), [{"doc_id": doc_id, "band": i, "hash": h} for i, h in enumerate(f.bands)])
    if best is None:
        return []
    return [r[0] for r in conn.execute(select(doc_fingerprints.c.doc_id).where(
        doc_fingerprints.c.story_id == story, doc_fingerprints.c.doc_id != doc_id))]


@cache
def _candidates(bands: int):
    """Documents sharing any band hash: one statement built once (building 64 comparisons per
    document cost more than fingerprinting it), one index search per band (``ix_doc_bands_band_hash``)."""
    match = [and_(doc_bands.c.band == i, doc_bands.c.hash == bindparam(f"h{i}")) for i in range(bands)]
    return select(doc_bands.c.doc_id).where(or_(*match)).distinct()


def ledger_ids(conn: Connection, doc_ids: list[str]) -> set[str]:
    """The ledger events these documents' events are in (their reconciliation reads the story)."""
    out: set[str] = set()
    for chunk in _chunks(sorted(doc_ids)):
        out |= {r[0] for r in conn.execute(select(doc_events.c.ledger_id).where(
            doc_events.c.doc_id.in_(chunk), doc_events.c.ledger_id.is_not(None)))}
    return out


def backfill(conn: Connection) -> int:
    """Fingerprint the stored documents that have none yet (a ledger from before 0006), oldest first."""
    done = select(doc_fingerprints.c.doc_id)
    rows = conn.execute(select(documents.c.id, documents.c.body, documents.c.outlet)
                        .where(documents.c.id.not_in(done), documents.c.body.is_not(None))
                        .order_by(documents.c.ingested_at, documents.c.id)).all()
    for r in rows:
        assign(conn, r.id, r.body, r.outlet)
    return len(rows)


def refs(conn: Connection, doc_ids: Iterable[str]) -> dict[str, StoryRef]:
    """For each of these documents in a story of two or more, that story."""
    ids = sorted(set(doc_ids))
    story_of: dict[str, str] = {}
    for chunk in _chunks(ids):
        story_of.update(conn.execute(select(doc_fingerprints.c.doc_id, doc_fingerprints.c.story_id)
                                     .where(doc_fingerprints.c.doc_id.in_(chunk))).all())
    members: dict[str, list] = defaultdict(list)
    for chunk in _chunks(sorted(set(story_of.values()))):
        for r in conn.execute(select(doc_fingerprints.c.story_id, doc_fingerprints.c.wire, documents.c.id,
                                     documents.c.outlet, documents.c.published)
                              .join(documents, documents.c.id == doc_fingerprints.c.doc_id)
                              .where(doc_fingerprints.c.story_id.in_(chunk))):
            members[r.story_id].append(r)
    built = {sid: _story(sid, ms) for sid, ms in members.items() if len(ms) > 1}
    return {d: built[s] for d, s in story_of.items() if s in built}


def story_map(engine, doc_ids: Iterable[str]) -> dict[str, StoryRef]:
    """:func:`refs` in a read transaction of its own (for the exports)."""
    with engine.connect() as conn:
        return refs(conn, doc_ids)


def _story(sid: str, rows: list) -> StoryRef:
    def own(r) -> bool:
        return fp.wire_of("", r.outlet)[1]

    ordered = sorted(rows, key=lambda r: (not own(r), r.published is None, r.published or "", r.id))
    origin = ordered[0]
    credited = Counter(r.wire for r in rows if r.wire)
    wire = fp.wire_of("", origin.outlet)[0] if own(origin) else \
        (min(credited, key=lambda w: (-credited[w], w)) if credited else None)
    label = wire or origin.outlet or f"report {origin.id}"
    outlets = [label] + sorted({r.outlet for r in rows if r.outlet} - {label})
    return StoryRef(sid, origin.id, label, wire, tuple(r.id for r in ordered), tuple(outlets))


def count_once(items: list, stories: dict[str, StoryRef]) -> tuple[list, list[str]]:
    """Claim inputs with every copy speaking in its story's origin voice, and one reasoning line
    per story with two or more copies among them ("3 copies of one AP report ...")."""
    if not stories:
        return items, []
    copies: dict[str, set[str]] = defaultdict(set)
    for item in items:
        story = stories.get(item.doc_id)
        if story is not None:
            copies[story.id].add(item.doc_id)
    shared = {sid for sid, docs in copies.items() if len(docs) > 1}
    out = [dataclasses.replace(item, outlet=stories[item.doc_id].label)
           if item.doc_id in stories and stories[item.doc_id].id in shared else item for item in items]
    lines = []
    for sid in sorted(shared):
        docs = copies[sid]
        story = next(stories[d] for d in docs)
        lines.append(f"{len(docs)} copies of one {story.label} report, counted once "
                     f"(carried by {', '.join(story.outlets)}; origin {story.origin})")
    return out, lines


def _chunks(items: list, n: int = _CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]
