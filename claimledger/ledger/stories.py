"""Stories: the copies of one report that several outlets carried, found and stored at ingest.

Why. "At least 50 killed" printed by CBS, NBC and Fox from one AP text is one source, not three.
Each stored document with enough text gets a MinHash fingerprint (``clean/fingerprint.py``); its
LSH band hashes find the stored documents that may be copies with one indexed query, and the one
most similar at or above the threshold gives its story (a story is named by its first document);
two documents of one outlet must also open the same way (an outlet's new lead over a body it ran
before is its next report, not a copy).
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

from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.engine import Connection

from claimledger.clean import fingerprint as fp
from claimledger.ledger.db import doc_bands, doc_events, doc_fingerprints, doc_reprints, documents

# Statements built once (building them per document cost more than running them); ``ids`` expands
_SIGNATURES = (select(doc_fingerprints.c.doc_id, doc_fingerprints.c.story_id, doc_fingerprints.c.signature,
                      documents.c.outlet)
               .join(documents, documents.c.id == doc_fingerprints.c.doc_id)
               .where(doc_fingerprints.c.doc_id.in_(bindparam("ids", expanding=True))))
_BODY = select(documents.c.body).where(documents.c.id == bindparam("id"))
_ADD_FINGERPRINT = insert(doc_fingerprints)
_ADD_BANDS = insert(doc_bands)
_FELLOWS = select(doc_fingerprints.c.doc_id).where(doc_fingerprints.c.story_id == bindparam("story"),
                                                   doc_fingerprints.c.doc_id != bindparam("doc"))
_STORY_OF = (select(doc_fingerprints.c.doc_id, doc_fingerprints.c.story_id)
             .where(doc_fingerprints.c.doc_id.in_(bindparam("ids", expanding=True))))
_MEMBERS = (select(doc_fingerprints.c.story_id, doc_fingerprints.c.wire, documents.c.id, documents.c.outlet,
                   documents.c.published)
            .join(documents, documents.c.id == doc_fingerprints.c.doc_id)
            .where(doc_fingerprints.c.story_id.in_(bindparam("ids", expanding=True))))
_ALONE = (select(documents.c.id.label("story_id"), documents.c.id, documents.c.outlet, documents.c.published)
          .where(documents.c.id.in_(bindparam("ids", expanding=True))))
_REPRINTS = (select(doc_reprints.c.doc_id, doc_reprints.c.outlet)
             .where(doc_reprints.c.doc_id.in_(bindparam("ids", expanding=True)))
             .order_by(doc_reprints.c.doc_id, doc_reprints.c.outlet))

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
    reprints: tuple[tuple[str, str], ...] = ()   # (document id, outlet) of word-for-word copies

    def copies_among(self, doc_ids: set[str]) -> int:
        """How many copies these documents of the story stand for: each, and its reprints."""
        return len(doc_ids) + sum(1 for d, _o in self.reprints if d in doc_ids)


def assign(conn: Connection, doc_id: str, body: str | None, outlet: str | None,
           known: fp.Fingerprint | None = None) -> list[str]:
    """Fingerprint a document just stored and put it in its story; the story's other documents.
    ``known``: its fingerprint as an extraction worker computed it (used when it is this body's)."""
    if not body:
        return []
    f = fp.known_or_new(body, known)
    if f is None:
        return []
    wire, _own = fp.wire_of(body, outlet)
    hits = _hits(conn, f, body, (outlet or "").strip().lower())
    best = max(hits) if hits else None
    story = best[2] if best else doc_id
    # A copy that matches two stories shows they were one story all along (two outlets' edits of
    # one wire text that differed too much from each other, bridged by a third): they join, under
    # the story of the closest match, so every copy counts once from now on.
    joined = sorted({h[2] for h in hits} - {story})
    if joined:
        conn.execute(update(doc_fingerprints).where(doc_fingerprints.c.story_id.in_(joined))
                     .values(story_id=story))
    conn.execute(_ADD_FINGERPRINT, [{"doc_id": doc_id, "story_id": story, "similarity": best and best[0],
                                     "wire": wire, "signature": f.encode()}])
    conn.execute(_ADD_BANDS, [{"doc_id": doc_id, "band": i, "hash": h} for i, h in enumerate(f.bands)])
    if best is None:
        return []
    return [r[0] for r in conn.execute(_FELLOWS, {"story": story, "doc": doc_id})]


def _hits(conn: Connection, f: fp.Fingerprint, body: str, mine: str) -> list[tuple[float, str, str]]:
    """(similarity, doc id, story id) of the stored documents this one is a copy of: candidates
    sharing a band, at or above the threshold, and when of the same outlet, opening the same way
    (``fp.same_opening``: one outlet's new lead above a body it ran before is its next report, whose
    figures reconciliation already reads as that outlet's revisions, not a copy of the first)."""
    threshold = fp.settings()["stories"]["threshold"]
    params = {f"h{i}": h for i, h in enumerate(f.bands)}
    cands = sorted({r[0] for r in conn.execute(_candidates(len(f.bands)), params)})
    hits = []
    for chunk in _chunks(cands):
        for r in conn.execute(_SIGNATURES, {"ids": chunk}):
            s = fp.similarity(f.signature, fp.decode(r.signature))
            if s < threshold:
                continue
            if mine and (r.outlet or "").strip().lower() == mine:
                other = conn.execute(_BODY, {"id": r.doc_id}).scalar()
                if not fp.same_opening(body, other or ""):
                    continue
            hits.append((s, r.doc_id, r.story_id))
    return hits


@cache
def _candidates(bands: int):
    """Documents sharing any band hash: one statement built once (building 64 comparisons per
    document cost more than fingerprinting it), one index search per band (``ix_doc_bands_band_hash``)."""
    match = [and_(doc_bands.c.band == i, doc_bands.c.hash == bindparam(f"h{i}")) for i in range(bands)]
    return select(doc_bands.c.doc_id).where(or_(*match)).distinct()


def add_reprint(conn: Connection, doc_id: str, outlet: str | None, *, at: str, origin: str | None = None,
                url: str | None = None, published: str | None = None) -> bool:
    """Record that ``outlet`` printed stored document ``doc_id`` word for word; whether it is news.

    The ledger keeps one text once, so without this the outlet would vanish: its copy is neither a
    document nor listed with the event. The document's own outlet, an outlet already recorded, or a
    copy with no outlet named add nothing (the same page read twice is not a reprint)."""
    if not is_new_reprint(conn, doc_id, outlet):
        return False
    name = (outlet or "").strip()[:200]
    conn.execute(insert(doc_reprints).values(doc_id=doc_id, outlet=name, origin=origin and origin[:2000],
                                             url=url and url[:2000], published=(published or "")[:10] or None,
                                             seen_at=at))
    return True


def is_new_reprint(conn: Connection, doc_id: str, outlet: str | None) -> bool:
    """Whether ``outlet`` is neither stored document ``doc_id``'s own outlet nor a recorded reprint."""
    name = (outlet or "").strip()[:200].lower()
    if not name:
        return False
    row = conn.execute(select(documents.c.outlet).where(documents.c.id == doc_id)).first()
    if row is None or (row.outlet or "").strip().lower() == name:
        return False
    have = conn.execute(select(doc_reprints.c.outlet).where(doc_reprints.c.doc_id == doc_id)).scalars()
    return name not in {o.lower() for o in have}


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
    """For each of these documents that has copies (other documents of its story, or outlets that
    printed it word for word), that story."""
    ids = sorted(set(doc_ids))
    story_of: dict[str, str] = {d: d for d in ids}   # a document without a fingerprint is its own story
    for chunk in _chunks(ids):
        story_of.update(conn.execute(_STORY_OF, {"ids": chunk}).all())
    members: dict[str, dict[str, object]] = defaultdict(dict)
    for chunk in _chunks(sorted(set(story_of.values()))):
        for r in conn.execute(_MEMBERS, {"ids": chunk}):
            members[r.story_id][r.id] = r
    for chunk in _chunks([d for d in ids if story_of[d] == d and d not in members[d]]):
        for r in conn.execute(_ALONE, {"ids": chunk}):
            members[r.story_id][r.id] = r
    reprints: dict[str, list[tuple[str, str]]] = defaultdict(list)
    story_by_doc = {d: sid for sid, ms in members.items() for d in ms}
    for chunk in _chunks(sorted(story_by_doc)):
        for r in conn.execute(_REPRINTS, {"ids": chunk}):
            reprints[story_by_doc[r.doc_id]].append((r.doc_id, r.outlet))
    built = {sid: _story(sid, list(ms.values()), reprints.get(sid, []))
             for sid, ms in members.items() if len(ms) + len(reprints.get(sid, [])) > 1}
    return {d: built[s] for d, s in story_of.items() if s in built}


def story_map(engine, doc_ids: Iterable[str]) -> dict[str, StoryRef]:
    """:func:`refs` in a read transaction of its own (for the exports)."""
    with engine.connect() as conn:
        return refs(conn, doc_ids)


def _story(sid: str, rows: list, reprints: list[tuple[str, str]]) -> StoryRef:
    def own(outlet: str | None) -> bool:
        return fp.wire_of("", outlet)[1]

    ordered = sorted(rows, key=lambda r: (not own(r.outlet), r.published is None, r.published or "", r.id))
    origin = ordered[0]
    credited = Counter(getattr(r, "wire", None) for r in rows if getattr(r, "wire", None))
    wire_copy = next((o for o in [origin.outlet] + [o for _d, o in reprints] if own(o)), None)
    wire = fp.wire_of("", wire_copy)[0] if wire_copy else \
        (min(credited, key=lambda w: (-credited[w], w)) if credited else None)
    label = wire or origin.outlet or f"report {origin.id}"
    carried = {r.outlet for r in rows if r.outlet} | {o for _d, o in reprints}
    outlets = [label] + sorted(carried - {label})
    return StoryRef(sid, origin.id, label, wire, tuple(r.id for r in ordered), tuple(outlets), tuple(reprints))


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
    by_id = {s.id: s for s in stories.values()}
    shared = {sid for sid, docs in copies.items() if by_id[sid].copies_among(docs) > 1}
    out = [dataclasses.replace(item, outlet=stories[item.doc_id].label)
           if item.doc_id in stories and stories[item.doc_id].id in shared else item for item in items]
    lines = []
    for sid in sorted(shared):
        story = by_id[sid]
        lines.append(f"{story.copies_among(copies[sid])} copies of one {story.label} report, counted once "
                     f"(carried by {', '.join(story.outlets)}; origin {story.origin})")
    return out, lines


def _chunks(items: list, n: int = _CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]
