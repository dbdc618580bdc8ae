"""The merge's place-day index, filed in two levels (shelf, place), and the pass's remembered candidates.

The index must return what one flat key per (shelf, place) returned, in the same order (the merge
reads its answers in order), and never miss a compatible node; the remembered candidates must
decide as asking again would.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.ledger import merge
from claimledger.ledger.nodes import Node, PlaceDayIndex, _keys, _probes, compatible
from claimledger.ledger.store import Store

from .test_merge import busy_front

TYPES = ["Shelling/artillery/missile attack", "Air/drone strike", "Armed clash", "Peaceful protest"]
SITES = [frozenset(), frozenset({"station"}), frozenset({"hospital"}), frozenset({"station", "theatre"})]


@st.composite
def nodes(draw, n_min: int = 1, n_max: int = 40) -> list[Node]:
    out = []
    for i in range(draw(st.integers(n_min, n_max))):
        precision = draw(st.sampled_from(["point", "point", "admin2", "admin1", "country", None]))
        placed = precision != "country" and draw(st.booleans()) or precision in ("point", "admin2")
        out.append(Node(
            id=f"e{i}", doc=f"d{i % 7}", day=draw(st.integers(0, 6)), pub=None,
            lat=draw(st.floats(46.0, 47.0)) if placed else None, lon=draw(st.floats(36.0, 37.5)) if placed else None,
            admin1=draw(st.sampled_from([None, "donetsk", "kharkiv"])), country="UA", precision=precision,
            type=draw(st.sampled_from(TYPES)), init=draw(st.sampled_from([None, "russia", "ukraine"])),
            target=draw(st.sampled_from([None, "russia", "ukraine"])), sites=draw(st.sampled_from(SITES))))
    return out


def flat_near(filed: list[Node], probe: Node, d0: int, d1: int, both_ways: bool, bucket: int) -> list[str]:
    """The index as it was: one key per (shelf, place), read key by key in the probe's order."""
    table = defaultdict(list)
    for n in filed:
        for k in _keys(n, n.day // bucket):
            table[k].append(n.id)
    return [i for k in _probes(probe, d0 // bucket, d1 // bucket, both_ways) for i in table.get(k, ())]


@settings(max_examples=200, deadline=None)
@given(nodes(), st.integers(0, 6), st.integers(0, 3), st.booleans(), st.sampled_from([1, 7]))
def test_two_level_index_answers_as_the_flat_one_in_order(filed, d0, span, both_ways, bucket):
    index = PlaceDayIndex(bucket)
    for n in filed:
        index.add(n.id, n)
    for probe in filed:
        assert list(index.near(probe, d0, d0 + span, both_ways)) == flat_near(filed, probe, d0, d0 + span,
                                                                                 both_ways, bucket)
    several = filed[: len(filed) // 2 + 1]
    many = sorted(index.near(several, d0, d0 + span, both_ways))
    expected = {i for p in several for i in flat_near(filed, p, d0, d0 + span, both_ways, bucket)}
    assert set(many) == expected


@settings(max_examples=200, deadline=None)
@given(nodes(2))
def test_the_index_never_misses_a_compatible_node_either_way(filed):
    index = PlaceDayIndex()
    for n in filed:
        index.add(n.id, n)
    for probe in filed:
        near = set(index.near(probe, probe.day - 2, probe.day + 2))
        wide = set(index.near(probe, probe.day - 2, probe.day + 2, both_ways=True))
        for m in filed:
            if compatible(probe, m):
                assert m.id in near
            if probe.id in set(index.near(m, probe.day, probe.day)) and abs(m.day - probe.day) <= 2:
                assert m.id in wide   # both ways: whoever finds the probe, the probe finds


def grouping(docs, tmp) -> list:
    with Store.open(f"sqlite:///{tmp}") as s:
        for d in docs:
            s.ingest(d.build(), body=d.body)
        with s._read() as conn:
            return sorted(conn.exec_driver_sql("SELECT id, ledger_id FROM doc_events").all())


@settings(max_examples=25, deadline=None)
@given(busy_front())
def test_remembered_candidates_decide_as_asking_again(tmp_path_factory, docs):
    remembered = grouping(docs, tmp_path_factory.mktemp("m") / "a.db")
    asked = merge._PassIndex.candidates
    merge._PassIndex.candidates = merge._PassIndex._candidates   # every call asks the index again
    try:
        again = grouping(docs, tmp_path_factory.mktemp("m") / "b.db")
    finally:
        merge._PassIndex.candidates = asked
    assert remembered == again
