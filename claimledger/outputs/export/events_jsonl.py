"""Ledger events as JSON lines, the LEDGER EVENT section of the claims schema (for programs and scoring)."""

from __future__ import annotations

from claimledger.serialise import dumps


def write(store, fh) -> int:
    n = 0
    for ev in store.iter_events():
        fh.write(dumps(ev) + "\n")
        n += 1
    return n
