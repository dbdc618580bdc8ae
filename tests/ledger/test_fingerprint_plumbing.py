"""A body's fingerprint computed by the extraction worker is the one the writer would compute.

``ingest --workers N`` fingerprints each body in the worker that extracted it and passes it to
``Store.ingest``; the ledger must come out the same as when the writer fingerprints (a direct
``Store.ingest`` call, the API, ``watch``): same signature, same band hashes, same stories.
"""

from __future__ import annotations

from sqlalchemy import select

from claimledger.clean import fingerprint as fp
from claimledger.ledger.db import doc_bands, doc_fingerprints
from claimledger.ledger.identity import input_hash
from claimledger.ledger.store import Store
from claimledger.runner import process

from .test_stories import ARTICLES


def _stored(store: Store) -> tuple[dict, dict]:
    with store.engine.connect() as conn:
        sigs = {r.doc_id: (r.story_id, r.signature, r.wire)
                for r in conn.execute(select(doc_fingerprints))}
        bands = {}
        for r in conn.execute(select(doc_bands).order_by(doc_bands.c.doc_id, doc_bands.c.band)):
            bands.setdefault(r.doc_id, []).append(r.hash)
    return sigs, bands


def _ingest(store: Store, outcomes, with_fingerprint: bool, swap: bool = False) -> None:
    prints = [o.fingerprint for o in outcomes]
    if swap:   # each document handed another document's fingerprint
        prints = prints[1:] + prints[:1]
    for o, f in zip(outcomes, prints, strict=True):
        store.ingest(o.result, body=o.body, origin=o.origin, input_hash=input_hash(o.article.text),
                     fingerprint=f if with_fingerprint else None)


def test_worker_fingerprint_equals_the_writers(tmp_path):
    outcomes = [process(a, for_ledger=True) for a in ARTICLES]
    for o in outcomes:
        assert o.fingerprint is not None and o.fingerprint.bands == fp.fingerprint(o.body).bands
    assert process(ARTICLES[0]).fingerprint is None    # extract alone does not pay for it
    runs = {}
    for name, with_fp, swap in (("writer", False, False), ("worker", True, False), ("swapped", True, True)):
        with Store.open(f"sqlite:///{tmp_path / name}.db") as store:
            _ingest(store, outcomes, with_fp, swap)
            runs[name] = _stored(store)
            runs[name + " events"] = store.summary()
    assert runs["worker"] == runs["writer"] == runs["swapped"]
    assert len(runs["writer"][0]) == len(ARTICLES)   # every document has its fingerprint
    assert runs["worker events"] == runs["writer events"]
    stories = {story for story, _sig, _wire in runs["writer"][0].values()}
    assert len(stories) == 2   # the AP copies are one story, the independent report its own
