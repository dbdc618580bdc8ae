"""Reviews carried from one ledger to another: ``review list --format jsonl`` out, ``review import`` in.

Why. The ledger never extracts a stored text again (a document is its text, and a text already
there is skipped), so the way to read the same reports with a newer extractor is a new ledger. The
analysts' work must come along: a review is anchored to the document's text hash and the evidence
span, not to any id of the old ledger (ledger/reviews_anchor.py), so the same record finds its claim
in the new ledger, or is reported there as orphaned. Importing is idempotent: a review already in
the ledger (same action, anchor, reason, author and time) is not added twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from claimledger.ledger.db import reviews
from claimledger.ledger.reviews import ACTIONS, CLAIM_ACTIONS, Review, changed, to_row
from claimledger.ledger.reviews_anchor import ClaimAnchor, EventAnchor

_ANCHOR = ("document", "start", "end", "evidence", "measure", "quantity")
_TARGET = ("document", "ordinal", "spans")


def _need(d: dict, key: str, kind: type | tuple) -> Any:
    value = d.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ValueError(f'"{key}" is missing or not {getattr(kind, "__name__", "the right type")}')
    return value


def of_dict(d: Any) -> Review:
    """A review record as ``review list --format jsonl`` writes it; ValueError names what is wrong."""
    if not isinstance(d, dict):
        raise ValueError("not a review record (a JSON object per line)")
    action = d.get("action")
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
    anchor = None
    if action in CLAIM_ACTIONS:
        a = _need(d, "anchor", dict)
        for k in _ANCHOR:
            _need(a, k, int if k in ("start", "end") else str)
        anchor = ClaimAnchor(**{k: a[k] for k in _ANCHOR})
    targets = []
    for group in d.get("targets") or []:
        if not isinstance(group, list) or not all(isinstance(t, dict) for t in group):
            raise ValueError('"targets" must be lists of event anchors')
        targets.append([EventAnchor(_need(t, "document", str), _need(t, "ordinal", int), list(_need(t, "spans", list)))
                        for t in group])
    if action not in ("reject", "set", "accept") and not targets:
        raise ValueError(f"a {action} review needs its event anchors (\"targets\")")
    return Review(id=0, action=action, reason=_need(d, "reason", str), by=d.get("by") if isinstance(d.get("by"), str)
                  else None, at=_need(d, "at", str), claim=d.get("claim"), event=d.get("event"),
                  fields=d.get("fields") if isinstance(d.get("fields"), dict) else {},
                  replaced=d.get("replaced") if isinstance(d.get("replaced"), dict) else {},
                  anchor=anchor, targets=targets,
                  undone_at=d.get("undone_at") if isinstance(d.get("undone_at"), str) else None,
                  undone_by=d.get("undone_by") if isinstance(d.get("undone_by"), str) else None)


def _key(row: dict) -> tuple:
    return (row["action"], row["doc_key"], row["ev_start"], row["ev_end"], row["targets"], row["reason"], row["by"],
            row["at"])


def import_reviews(conn: Connection, found: list[Review]) -> tuple[int, int]:
    """Add these reviews (new ids, same who, when and why); (added, already there)."""
    c = reviews.c
    have = {_key(dict(r._mapping)) for r in conn.execute(select(c.action, c.doc_key, c.ev_start, c.ev_end, c.targets,
                                                               c.reason, c.by, c.at))}
    rows = []
    for r in sorted(found, key=lambda r: r.at):
        row = to_row(r)
        if _key(row) not in have:
            have.add(_key(row))
            rows.append(row)
    if rows:
        conn.execute(insert(reviews), rows)
        changed(conn)
    return len(rows), len(found) - len(rows)
