"""A document is its text: the ledger's rule for when two inputs are one document.

The caller's id (a JSONL ``"id"``, ``doc.id`` of an extract record) is a label. Two inputs with the
same cleaned body are one document, whatever their ids, so a re-sent article is never counted as
a second source confirming the first. Two different texts under one id are two documents: the
second is stored under its text's hash (:func:`rekey`) and the collision is reported, never
dropped as "already there".
"""

from __future__ import annotations

import dataclasses

from claimledger.records import DocResult, doc_id


def text_hash(body: str | None) -> str | None:
    """The identity of a stored body (None for an extract record stored without one)."""
    return doc_id(body) if body else None


def input_hash(text: str) -> str:
    """The hash of an input's text as it arrived: lets a rerun skip it before extracting."""
    return doc_id(text)


def rekey(result: DocResult, new_id: str) -> DocResult:
    """The same extraction under document id ``new_id``: claim and event ids (``doc id:N``,
    ``doc id:eN``) and the links between them are renamed with it."""
    old = result.doc.id
    prefix = old + ":"

    def re_id(value: str | None) -> str | None:
        return new_id + value[len(old):] if value and value.startswith(prefix) else value

    claims = [dataclasses.replace(c, id=re_id(c.id), event=re_id(c.event)) for c in result.claims]
    events = [dataclasses.replace(e, id=re_id(e.id), claims=[re_id(x) for x in e.claims or []])
              for e in result.events]
    return DocResult(doc=dataclasses.replace(result.doc, id=new_id), claims=claims, events=events,
                     places=list(result.places))
