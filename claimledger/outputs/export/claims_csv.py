"""Every claim as one CSV row with its source, subject, evidence span, report and ledger event.

For analysts who want the raw material behind the ledger in a spreadsheet: one row per claim,
numbers unreconciled, the evidence sentence quoted. Reviewed claims carry their reviewed values
and ``review_status`` says so: ``rejected`` (kept, so the sheet shows what was set aside),
``corrected`` (values, or the event it is reconciled in, changed by a review) or empty.
"""

from __future__ import annotations

import csv

from claimledger.ledger.reviews_apply import reviewed_claims_iter

COLUMNS = ["claim_id", "ledger_event", "document", "published", "outlet", "measure", "quantity_text", "value",
           "min", "max", "approximate", "unit", "subject_text", "subject_category", "subject_side", "source_name",
           "source_mention", "source_kind", "source_side", "stance", "date_start", "date_end", "place",
           "latitude", "longitude", "place_precision", "evidence_start", "evidence_end", "evidence", "review_status"]


def _num(v):
    if v is None:
        return ""
    return int(v) if float(v).is_integer() else v


def write(store, fh) -> int:
    w = csv.DictWriter(fh, fieldnames=COLUMNS)
    w.writeheader()
    n = 0
    for c, meta, ledger_id, review_status in reviewed_claims_iter(store):
        q, p = c.quantity, c.place
        w.writerow({
            "claim_id": c.id, "ledger_event": ledger_id or "", "document": meta.id,
            "published": meta.published or "", "outlet": meta.outlet or "", "measure": c.measure,
            "quantity_text": q.text, "value": _num(q.value), "min": _num(q.min), "max": _num(q.max),
            "approximate": str(bool(q.approximate)).lower(), "unit": c.unit or "",
            "subject_text": c.subject.text or "", "subject_category": c.subject.category,
            "subject_side": c.subject.side, "source_name": c.source.name or "",
            "source_mention": c.source.mention or "", "source_kind": c.source.kind, "source_side": c.source.side,
            "stance": c.stance, "date_start": c.date.start or "" if c.date else "",
            "date_end": c.date.end or "" if c.date else "", "place": p.name if p else "",
            "latitude": p.lat if p and p.lat is not None else "",
            "longitude": p.lon if p and p.lon is not None else "", "place_precision": p.precision if p else "",
            "evidence_start": c.evidence.start, "evidence_end": c.evidence.end,
            "evidence": " ".join((c.evidence.text or "").split()), "review_status": review_status})
        n += 1
    return n
