"""The record contract (shared/spec/claims-schema.md): closed lists hold, offsets index the body,
and serialise round-trips every record."""

import json

import pytest

from claimledger.pipeline import default_pipeline
from claimledger.records import (
    CATEGORIES,
    MEASURES,
    PRECISIONS,
    SIDES,
    SOURCE_KINDS,
    STANCES,
    Article,
    DocResult,
    Revision,
)
from claimledger.serialise import dumps, from_dict, loads_doc, to_dict

REPORTS = [
    ("The death toll rose from 15 to 38, officials said. Air defences shot down 12 of 20 drones launched "
     "overnight at Kyiv, the Ukrainian Air Force said. The EU pledged 500 million euros in military aid.",
     "2022-10-11"),
    ("On 3 April 2022, Russian forces shelled Vuhledar, Donetsk. Two civilians were killed. Unspecified "
     "fatalities coded as 3.", None),
    ("Russia's defence ministry said it had destroyed 14 Ukrainian tanks and killed more than 100 "
     "'nationalists' near Izium on Sunday, claims that could not be independently verified.", "2022-05-02"),
]


@pytest.fixture(scope="module")
def docs():
    nlp = default_pipeline()
    return [nlp(Article(text=t, published=p)) for t, p in REPORTS]


def test_closed_lists(docs):
    for doc in docs:
        for c in doc.claims:
            assert c.measure in MEASURES and c.stance in STANCES
            assert c.source.kind in SOURCE_KINDS and c.source.side in SIDES
            assert c.subject.category in CATEGORIES and c.subject.side in SIDES
            assert c.place is None or c.place.precision in PRECISIONS
            if c.measure == "money":
                assert c.unit == "EUR"
        for e in doc.events:
            assert e.initiator is None or e.initiator.side in SIDES


def test_offsets_index_the_cleaned_body(docs):
    for doc in docs:
        for c in doc.claims:
            assert doc.text[c.evidence.start:c.evidence.end] == c.evidence.text
            assert c.quantity.text in c.evidence.text
        for p in doc.places:
            assert doc.text[p.evidence.start:p.evidence.end] == p.mention


def test_ids_follow_the_schema(docs):
    for doc in docs:
        for n, c in enumerate(doc.claims, 1):
            assert c.id == f"{doc.meta.id}:{n}"
        for e in doc.events:
            assert e.id.startswith(doc.meta.id + ":e")
            assert all(cid.startswith(doc.meta.id + ":") for cid in e.claims)


def test_unconfirmed_stance_and_boast_sides(docs):
    claims = docs[2].claims
    assert {c.stance for c in claims} == {"unconfirmed"}
    assert all(c.source.side == "russia" and c.subject.side == "ukraine" for c in claims)


def test_round_trip(docs):
    for doc in docs:
        res = doc.result()
        line = dumps(res)
        again = loads_doc(line)
        assert isinstance(again, DocResult) and dumps(again) == line
        assert '"value": 38,' in dumps(res) or doc is not docs[0]  # whole numbers stay integers


def test_revision_uses_the_contract_name():
    r = Revision(source="Kharkiv governor", measure="killed", from_=3, to=5, doc="abc")
    data = to_dict(r)
    assert data["from"] == 3 and "from_" not in data
    assert from_dict(Revision, json.loads(json.dumps(data))) == r
