"""Document events and their claims as reconciliation reads them, parsed once per process.

Why. A busy ledger event is rebuilt every time a report joins it, and rebuilding it meant parsing
every member's event and claims from JSON and reading every member's article body again (for the
words around each number): a third of a whole-corpus ingest. Both are immutable once stored (ids
are content hashes and nothing updates a stored claim or event), so this cache is never stale,
whichever process wrote the rows. It forgets everything past ``limit`` document events to bound
memory (about 3.5 KB each with their claims on the 2022 corpus: 50,000 is under 200 MB).
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from claimledger.ledger.db import claims, doc_events, documents
from claimledger.ledger.reconcile import ClaimInput, number_context
from claimledger.records import Claim, Event
from claimledger.serialise import from_dict

_CHUNK = 500
# built once (see incremental.py): the same three reads run for every document ingested
_EVENTS = select(doc_events.c.id, doc_events.c.data).where(doc_events.c.id.in_(bindparam("ids", expanding=True)))
_CLAIMS = (select(claims.c.doc_id, claims.c.doc_event_id, claims.c.data)
           .where(claims.c.doc_event_id.in_(bindparam("ids", expanding=True)))
           .order_by(claims.c.doc_id, claims.c.ordinal))
_DOCS = (select(documents.c.id, documents.c.published, documents.c.outlet, documents.c.body)
         .where(documents.c.id.in_(bindparam("ids", expanding=True))))


class ParsedRecords:
    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self.events: dict[str, Event] = {}
        self.inputs: dict[str, list[ClaimInput]] = {}   # per document event, in the report's order

    def load(self, conn: Connection, event_ids: list[str]) -> None:
        """Make sure these document events and their claims are parsed."""
        missing = sorted({e for e in event_ids if e not in self.events})
        if not missing:
            return
        if len(self.events) + len(missing) > self.limit:
            self.events.clear()
            self.inputs.clear()
            missing = sorted(set(event_ids))
        for i in range(0, len(missing), _CHUNK):
            chunk = missing[i:i + _CHUNK]
            for r in conn.execute(_EVENTS, {"ids": chunk}):
                self.events[r.id] = from_dict(Event, json.loads(r.data))
            rows = conn.execute(_CLAIMS, {"ids": chunk}).all()
            docs = {}
            doc_ids = sorted({r.doc_id for r in rows})
            for j in range(0, len(doc_ids), _CHUNK):
                for d in conn.execute(_DOCS, {"ids": doc_ids[j:j + _CHUNK]}):
                    docs[d.id] = d
            found: dict[str, list[ClaimInput]] = defaultdict(list)
            for r in rows:
                c = from_dict(Claim, json.loads(r.data))
                d = docs.get(r.doc_id)
                body = d.body if d is not None else None
                before, after = number_context(c, body) if c.measure in ("killed", "wounded") else ("", "")
                found[r.doc_event_id].append(ClaimInput(c, r.doc_id, d.published if d is not None else None,
                                                        d.outlet if d is not None else None, before, after))
            for e in chunk:
                self.inputs[e] = found.get(e, [])
