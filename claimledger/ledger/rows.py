"""Records to rows and rows to records: what the store writes for a document and how a ledger
event is built from its members (the voting policy: type, date, place and sides by majority).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from functools import cache

from claimledger.analyse.sentences import split_sentences
from claimledger.days import valid_date
from claimledger.ingest.safe import storable
from claimledger.ledger import identity, merge
from claimledger.ledger.db import metadata
from claimledger.ledger.reconcile import ClaimInput, reconcile
from claimledger.ledger.stories import StoryRef, count_once
from claimledger.records import (
    Actor,
    DateSpan,
    Deaths,
    DocMeta,
    DocResult,
    Event,
    LedgerEvent,
    Place,
    Span,
)
from claimledger.serialise import dumps, to_dict

PRECISION_RANK = {"point": 0, "admin2": 1, "admin1": 2, "country": 3}


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def meta_of(row) -> DocMeta:
    m = row._mapping
    return DocMeta(id=m["id"], title=m["title"], url=m["url"], outlet=m["outlet"], published=m["published"],
                   language=m["language"] or "en", dateline=m["dateline"])


def node_of(r) -> merge.Node:
    return merge.Node(
        id=r["id"], doc=r["doc_id"], day=merge.day_number(r["date_start"]), pub=merge.day_number(r["published"]),
        lat=r["lat"], lon=r["lon"], admin1=r["admin1"], country=r["country"], precision=r["precision"],
        type=r["type"], init=r["initiator_side"], target=r["target_side"],
        sites=frozenset((r["sites"] or "").split()), cluster=r["ledger_id"])


def document_rows(result: DocResult, body: str | None, origin: str | None, source_id: str | None,
                   input_hash: str | None = None) -> dict:
    rows = _rows(result, body, origin, source_id)
    rows["document"].update(text_hash=identity.text_hash(body), input_hash=input_hash)
    rows = _storable_rows(rows)
    _check_lengths(rows)
    return rows


def _storable_rows(rows: dict) -> dict:
    """Every text value with NUL and lone surrogates replaced (see ``ingest.safe.storable``): an
    extract record or an API body may carry them, and the two stores must take the same inputs."""
    def clean(row: dict) -> dict:
        return {k: storable(v) if isinstance(v, str) else v for k, v in row.items()}

    return {k: clean(v) if isinstance(v, dict) else [clean(r) for r in v] for k, v in rows.items()}


def _check_lengths(rows: dict) -> None:
    """Refuse, as this document's error, a value longer than its column: PostgreSQL would fail the
    write transaction (and the batch with it), SQLite would store it; both must take the same."""
    for name, value in rows.items():
        limits = _limits("documents" if name == "document" else name)
        for row in [value] if isinstance(value, dict) else value:
            for key, limit in limits:
                v = row.get(key)
                if isinstance(v, str) and len(v) > limit:
                    raise ValueError(f"{name}.{key} is {len(v)} characters, over the {limit} this ledger stores")


@cache
def _limits(table: str) -> tuple[tuple[str, int], ...]:
    """The columns of a table that have a length, with it (most are unbounded text or numbers)."""
    return tuple((c.name, c.type.length) for c in metadata.tables[table].c if getattr(c.type, "length", None))


def _rows(result: DocResult, body: str | None, origin: str | None, source_id: str | None) -> dict:
    doc = result.doc
    event_of: dict[str, str] = {}
    for ev in result.events:
        for cid in ev.claims or []:
            event_of.setdefault(cid, ev.id)
    claim_rows = []
    for i, c in enumerate(result.claims):
        q = c.quantity
        claim_rows.append({
            "id": c.id, "doc_id": doc.id, "ordinal": i, "doc_event_id": event_of.get(c.id) or c.event,
            "measure": c.measure, "source_name": c.source.name or c.source.mention, "source_kind": c.source.kind,
            "source_side": c.source.side, "subject_category": c.subject.category, "subject_side": c.subject.side,
            "stance": c.stance, "value": q.value, "min": q.min, "max": q.max,
            "date_start": valid_date(c.date.start) if c.date else None, "data": dumps(c)})
    place_rows = [{"doc_id": doc.id, "ordinal": i, "name": p.name, "geonameid": p.geonameid, "lat": p.lat,
                   "lon": p.lon, "country": p.country, "admin1": p.admin1, "precision": p.precision,
                   "data": dumps(p)} for i, p in enumerate(result.places)]
    by_id = {c.id: c for c in result.claims}
    published = valid_date(doc.published)
    sentences: list[Span] = []
    event_rows = []
    for i, ev in enumerate(result.events):
        linked = [by_id[cid] for cid in (ev.claims or []) if cid in by_id]
        linked += [c for c in result.claims if c.event == ev.id and c.id not in (ev.claims or [])]
        place = ev.place or next((c.place for c in linked if c.place is not None), None)
        # a settlement the gazetteer lacks is somewhere in its area, not at the area's centre: the
        # merge gets no point or region for it ("somewhere in Luhansk" twice is no reason to join)
        where = place if place is not None and not place.unresolved else None
        start = valid_date(ev.date.start) if ev.date else None
        end = valid_date(ev.date.end) if ev.date else None
        if start is None:
            dates = Counter(valid_date(c.date.start) for c in linked if c.date and valid_date(c.date.start))
            if dates:
                start = end = sorted(dates.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        texts = [c.evidence.text for c in linked]
        if i == 0:  # the main event: the headline and lede are about it
            texts += [doc.title or "", (body or "")[:300]]
        elif not linked:  # no claim speaks of it: the sentence naming its place does
            texts.append(place_sentence(body, ev.place, sentences))
        event_rows.append({
            "id": ev.id, "doc_id": doc.id, "ordinal": i, "type": ev.type or "Other", "event_type": ev.event_type,
            "date_start": start, "date_end": end or start, "published": published,
            "lat": where.lat if where else None, "lon": where.lon if where else None,
            "country": where.country if where else None,
            "admin1": merge.norm_admin(where.admin1) if where else None,
            "precision": where.precision if where else None,
            "initiator_side": merge.known_side(ev.initiator.side) if ev.initiator else None,
            "target_side": merge.known_side(ev.target.side) if ev.target else None,
            "sites": " ".join(sorted(merge.site_words(texts))), "ledger_id": None, "data": dumps(ev)})
    return {"document": {
        "id": doc.id, "title": doc.title, "url": doc.url, "outlet": doc.outlet, "published": published,
        "language": doc.language, "dateline": doc.dateline, "body": body, "origin": origin,
        "source_id": source_id, "n_claims": len(claim_rows), "n_events": len(event_rows),
        "n_places": len(place_rows), "ingested_at": utc_now()},
        "claims": claim_rows, "doc_places": place_rows, "doc_events": event_rows}


def place_sentence(body: str | None, place: Place | None, sentences: list[Span]) -> str:
    """The sentence of ``body`` that names ``place`` ("... and a Mariupol theater where hundreds were
    sheltering"), "" when the place's span is not in the body. An event no claim speaks of (a past
    strike recalled in passing) has no evidence of its own to name its site; this sentence does.
    ``sentences`` is filled on first use, so a document whose events all have claims splits none."""
    span = place.evidence if place is not None else None
    if not body or span is None or span.end <= span.start or body[span.start:span.end] != place.mention:
        return ""
    if not sentences:
        sentences.extend(split_sentences(body))
    return next((body[s.start:s.end] for s in sentences if s.start <= span.start < s.end), "")


def _vote(values: list, tiebreak=None):
    """Most common value; ties go to ``tiebreak`` if it is among them, else the smallest."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    top = max(counts.values())
    tied = sorted((v for v, n in counts.items() if n == top), key=str)
    return tiebreak if tiebreak in tied else tied[0]


def build_event(cid: str, members: list[dict], parsed_events: dict[str, Event],
                 inputs: dict[str, list[ClaimInput]], stories: dict[str, StoryRef] | None = None) -> LedgerEvent:
    """The ledger event of these members; ``stories``: the members' documents that are copies of
    one syndicated report (ledger/stories.py), whose claims then count as one report's."""
    members = sorted(members, key=lambda m: (m["date_start"] is None, m["date_start"] or "", m["id"]))
    founder = members[0]
    events = [parsed_events[m["id"]] for m in members]
    # Outlets disagree on the type (missile or air strike): the most common wins; a tie goes to the
    # report that says most about the event (most linked claims), then to the founder.
    detail = sorted(members, key=lambda m: (-len(inputs.get(m["id"], [])), m["date_start"] is None,
                                            m["date_start"] or "", m["id"]))
    etype = _vote([m["type"] for m in members], detail[0]["type"])
    event_type = next((e.event_type for e in events if e.type == etype and e.event_type), None)
    dated = [m["date_start"] for m in members if m["date_start"]]
    day = None
    if dated:
        counts = Counter(dated)
        top = max(counts.values())
        day = min(d for d, n in counts.items() if n == top)  # ties: the earliest
    date = DateSpan(text=None, start=day, end=day) if day else None

    # The most precise place any report gives; among equals, the name most reports use.
    pool = []
    for e, m in zip(events, members, strict=True):
        p = e.place
        if p is None:  # as at ingest: an event without a place takes its first placed claim's
            for item in inputs.get(m["id"], []):
                if item.claim.place is not None:
                    p = item.claim.place
                    break
        if p is not None and (p.lat is not None or p.precision == "country"):
            pool.append((PRECISION_RANK.get(p.precision, 4), p))
    place = None
    if pool:
        best_rank = min(r for r, _ in pool)
        cands = [p for r, p in pool if r == best_rank]
        name = _vote([p.name for p in cands], cands[0].name)
        p = next(p for p in cands if p.name == name)
        place = Place(mention=p.name, name=p.name, geonameid=p.geonameid, lat=p.lat, lon=p.lon, country=p.country,
                      admin1=p.admin1, precision=p.precision, evidence=Span(0, 0), unresolved=p.unresolved)

    def actor(attr: str, side_col: str) -> Actor | None:
        side = _vote([m[side_col] for m in members], founder[side_col])
        if side is None:
            return None
        names = [getattr(e, attr).name for e in events if getattr(e, attr) and getattr(e, attr).side == side]
        return Actor(name=_vote(names), side=side)

    items = [item for m in members for item in inputs.get(m["id"], [])]
    claim_ids = [item.claim.id for item in items]
    items, copies = count_once(items, stories or {})
    deaths, revisions = reconcile("killed", items, day, place)
    if deaths is not None and copies:
        deaths.reasoning = copies + (deaths.reasoning or [])
    wounded, rev_w = reconcile("wounded", items, day, place)
    if deaths is None:
        per_doc = [e.deaths for e in events if e.deaths and (e.deaths.low or e.deaths.best or e.deaths.high)]
        if per_doc:
            lows = [d.low for d in per_doc if d.low is not None]
            bests = [d.best for d in per_doc if d.best is not None]
            highs = [d.high for d in per_doc if d.high is not None]
            deaths = Deaths(min(lows) if lows else None, max(bests) if bests else None, max(highs) if highs else None,
                            ["no killed claims are linked to this event; range of the reports' own figures"])
    return LedgerEvent(
        id=cid, type=etype, event_type=event_type or "", date=date, place=place,
        initiator=actor("initiator", "initiator_side"), target=actor("target", "target_side"),
        deaths=deaths, documents=sorted({m["doc_id"] for m in members}), claims=sorted(set(claim_ids)),
        revisions=revisions + rev_w, wounded=wounded,
        conflict=_vote([getattr(e, "conflict", None) for e in events]))


def ledger_row(ev: LedgerEvent, members: list[dict], now: str) -> dict:
    dated = sorted(m["date_start"] for m in members if m["date_start"])
    founder = min(members, key=lambda m: (m["date_start"] is None, m["date_start"] or "", m["id"]))
    d = ev.deaths
    return {
        "id": ev.id, "founder": founder["id"], "type": ev.type, "event_type": ev.event_type,
        "date_start": ev.date.start if ev.date else None, "date_end": ev.date.end if ev.date else None,
        "date_min": dated[0] if dated else None,
        "lat": ev.place.lat if ev.place else None, "lon": ev.place.lon if ev.place else None,
        "place_name": ev.place.name if ev.place else None,
        "place": json.dumps(to_dict(ev.place), ensure_ascii=False, sort_keys=True) if ev.place else None,
        "admin1": ev.place.admin1 if ev.place else None, "country": ev.place.country if ev.place else None,
        "initiator_side": ev.initiator.side if ev.initiator else None,
        "target_side": ev.target.side if ev.target else None,
        "deaths_low": d.low if d else None, "deaths_best": d.best if d else None,
        "deaths_high": d.high if d else None,
        "n_documents": len(ev.documents), "n_claims": len(ev.claims), "updated_at": now, "data": dumps(ev)}
