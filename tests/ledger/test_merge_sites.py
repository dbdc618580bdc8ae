"""The merge's site and area rules: one struck site in one town is one incident whatever the type,
an undated report naming the site looks further back, a claimless event names its site through the
sentence that names its place, and a place given as near a town is an area around it."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.ledger import merge
from claimledger.ledger.rows import document_rows
from claimledger.ledger.store import Store
from claimledger.records import Span

from .factory import Doc, num, place
from .test_merge import groups, incremental_and_rebuilt, node

# invented points: a town, a suburb 38 km from it across a regional border, a town 120 km away
# in the first town's region
TOWN = (50.00, 36.20, "Kharkiv")
SUBURB = (50.00, 36.73, "Poltava")
FAR = (49.00, 36.20, "Kharkiv")


def at(id_, doc, where, precision="point", **kw):
    n = node(id_, doc, **kw)
    lat, lon, admin1 = where
    return merge.Node(id=n.id, doc=n.doc, day=n.day, pub=n.pub, lat=lat, lon=lon, admin1=merge.norm_admin(admin1),
                      country="UA", precision=precision, type=n.type, init=n.init, target=n.target, sites=n.sites)


def test_a_shared_site_joins_reports_of_different_types():
    strike = node("a", "d1", place="Mariupol", type_="Air/drone strike", sites={"theatre"})
    attack = node("b", "d2", place="Mariupol", type_="Attack", sites={"theatre", "hospital"})
    assert merge.compatible(strike, attack)
    assert not merge.compatible(strike, replace(attack, sites=frozenset({"hospital"})))      # another site
    assert not merge.compatible(replace(strike, sites=frozenset()), replace(attack, sites=frozenset()))
    assert not merge.compatible(strike, node("b", "d2", place="Kramatorsk", type_="Attack", sites={"theatre"}))
    # a rally at the theatre is not the strike on it
    assert not merge.compatible(strike, node("b", "d2", place="Mariupol", type_="Peaceful protest",
                                             init=None, target=None, sites={"theatre"}))


def test_near_a_town_is_an_area_around_it():
    near = at("a", "d1", TOWN, precision="admin2")
    assert merge.compatible(near, at("b", "d2", SUBURB))             # 38 km, another region
    assert not merge.compatible(at("a", "d1", TOWN), at("b", "d2", SUBURB))   # the town itself: 25 km
    assert not merge.compatible(near, at("b", "d2", FAR))            # same region, 111 km: not near
    region = at("b", "d2", (49.50, 36.50, "Kharkiv"), precision="admin1")
    assert merge.compatible(near, region)                             # the region it lies in


def test_an_undated_report_of_the_site_looks_back_months():
    """Five months on, "the theatre" in an undated report is the theatre strike, whatever the type
    the report gives it; without the site, a report that old is too far from the strike."""
    dated = Doc("strike", "2022-03-16").event(type="Air/drone strike", date="2022-03-16", place_name="Mariupol")
    dated.claim("the strike on the theatre killed many", num(12))
    recall = Doc("recall", "2022-08-10").event(type="Attack", date=None, place_name="Mariupol")
    recall.claim("hundreds were sheltering in the theatre", num(300), measure="people")
    plain = Doc("plain", "2022-08-10").event(type="Air/drone strike", date=None, place_name="Mariupol")
    plain.claim("the city was hit again", num(2))
    with Store.open("sqlite://") as s:
        for d in (dated, recall, plain):
            s.ingest(d.build(), body=d.body)
        by_event = {e: lid for lid, ms in groups(s).items() for e in ms}
    assert by_event[recall.events[0].id] == by_event[dated.events[0].id]
    assert by_event[plain.events[0].id] != by_event[dated.events[0].id]


def test_a_claimless_event_names_its_site_in_its_place_sentence():
    d = Doc("habit", "2022-08-10").event(date="2022-08-10", place_name="Kramatorsk")
    d.claim("The strike on the station killed four.", num(4))
    sentence = "Russian forces have repeatedly hit cities, including a theatre in Mariupol where people sheltered."
    start = len("".join(d.body_parts)) + sentence.index("Mariupol")
    d.body_parts.append(sentence + " ")
    d.event(type="Attack", place_name="Mariupol")
    d.events[1].place = replace(place("Mariupol"), evidence=Span(start, start + len("Mariupol")))
    rows = document_rows(d.build(), d.body, None, None)["doc_events"]
    assert rows[1]["sites"] == "theatre"


TOWNS = [("Kramatorsk", "point"), ("Sloviansk", "point"), ("Kramatorsk", "admin2"), ("Chasiv Yar", "admin2"),
         ("Donetsk Oblast", "admin1"), ("Makiivka", "point")]
TYPES = ["Shelling/artillery/missile attack", "Air/drone strike", "Attack", "Armed clash"]


@st.composite
def sites_and_areas(draw) -> list[Doc]:
    """A week of reports around neighbouring towns, some near a town (areas), some naming a site
    through their claims, of types that join only at a shared site; some undated."""
    docs = []
    for i in range(draw(st.integers(6, 22))):
        day = draw(st.integers(1, 6))
        dated = draw(st.booleans())
        town, precision = draw(st.sampled_from(TOWNS))
        pub = f"2022-04-{min(28, day + draw(st.integers(0, 4))):02d}"
        d = Doc(f"s{i}", pub).event(type=draw(st.sampled_from(TYPES)), date=f"2022-04-{day:02d}" if dated else None,
                                    place_name=town)
        if precision != d.events[0].place.precision:
            d.events[0].place = replace(d.events[0].place, precision=precision)
        site = draw(st.sampled_from([None, "theatre", "market"]))
        if site:
            d.claim(f"two were killed at the {site}", num(2))
        docs.append(d)
    return docs


@settings(max_examples=60, deadline=None)
@given(sites_and_areas(), st.randoms(use_true_random=False))
def test_incremental_merge_equals_rebuild_with_sites_and_areas(docs, rnd):
    order = list(range(len(docs)))
    rnd.shuffle(order)
    incremental_and_rebuilt(docs, order)


def test_reports_blaming_different_sides_for_one_struck_site_are_one_incident():
    """"Russian forces fired a missile at the station" and "Russia said a Ukrainian missile hit the
    station": the sides dispute who fired, the strike is one; without the site, or days apart, the
    contradiction keeps them apart."""
    ours = node("a", "d1", sites={"station"})
    theirs = node("b", "d2", init="ukraine", target="russia", sites={"station"})
    assert merge.compatible(ours, theirs)
    assert not merge.compatible(replace(ours, sites=frozenset()), replace(theirs, sites=frozenset()))
    assert not merge.compatible(ours, replace(theirs, sites=frozenset({"hospital"})))
    assert not merge.compatible(ours, node("b", "d2", date="2022-04-10", init="ukraine", target="russia",
                                           sites={"station"}))
    assert not merge.compatible(ours, node("b", "d2", place="Donetsk Oblast", init="ukraine", target="russia",
                                           sites={"station"}))
