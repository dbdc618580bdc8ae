"""The store's review desk: reviews written and read in the store's own transactions.

:class:`claimledger.ledger.store.Store` inherits it, as it inherits the merge step and the
queries. A review and the figures it changes commit together (one write transaction, the same
writer lock and generation bump as an ingest), so a reader never sees a review without its
effect, nor the effect without the review.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from claimledger.ledger import reviews_apply
from claimledger.ledger.db import ledger_events, ledger_state
from claimledger.ledger.neighbourhood import Neighbourhood


class ReviewDesk:
    """Review methods of the store (they use its ``_read``/``_write`` transactions and merge step)."""

    def reviewed_claims(self, conn: Connection) -> list[str]:
        """Claim ids an active review points at now (found by their anchors, so a claim renumbered by a
        newer extractor still counts): the page's ``reviewed`` filter. Remembered until the generation
        counter moves (every review and ingest bumps it), as the filter is asked on every page."""
        gen = conn.execute(select(ledger_state.c.generation).where(ledger_state.c.id == 1)).scalar()
        cached = getattr(self, "_reviewed_ids", None)
        if cached is not None and gen is not None and cached[0] == gen:
            return cached[1]
        ids = sorted(reviews_apply.claim_states(conn))
        self._reviewed_ids = (gen, ids)
        return ids

    def read_with(self, fn: Callable[[Connection], Any]) -> Any:
        """``fn(conn)`` in one read transaction (the reads of ledger/reviews.py)."""
        with self._read() as conn:
            return fn(conn)

    def write_review(self, fn: Callable[[Connection], tuple]) -> tuple[tuple, list[str]]:
        """Record or undo a review and reconcile what it touches, in one write transaction.

        ``fn(conn)`` (ledger/reviews_write.py) returns (review, ledger ids touched[, regroup]); split
        and merge reviews are re-applied to the grouping and the touched events reconciled again.
        An undone split or merge (``regroup``) gives the merge its say again: a rebuild, in its own
        transaction once the undo is committed. Returns (what ``fn`` returned, the touched events
        that exist now)."""
        with self._write() as conn:
            hood = self._neighbourhood(conn)
            result = fn(conn)
            touched = set(result[1]) | self._review_groups(conn, hood)
            alive = self._refresh(conn, touched)
        if len(result) > 2 and result[2]:
            self.rebuild()
            with self._read() as conn:
                alive = [r.id for r in conn.execute(select(ledger_events.c.id)
                                                    .where(ledger_events.c.id.in_(sorted(touched))))]
        return result, alive

    def _review_groups(self, conn: Connection, hood: Neighbourhood, touched: set[str] | None = None) -> set[str]:
        """Split and merge reviews re-applied to the merge's grouping (only those of ``touched``
        ledger events, when given); the ledger events touched."""
        def cluster_of(nid: str) -> str | None:
            node = hood.nodes.get(nid)
            return node.cluster if node is not None else None

        return reviews_apply.event_changes(conn, lambda changes: self._set_clusters(conn, hood, changes), cluster_of,
                                           lambda cid: [n.id for n in hood.members(cid, dated=False)], touched)
