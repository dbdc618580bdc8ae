"""The event list's total is remembered per filter until the ledger changes: every filter (and the
page's selection) gets its own count, and a write makes every count fresh."""

from __future__ import annotations

from claimledger.ledger.selection import Selection
from claimledger.ledger.store import Store

from .factory import Doc, num


def _doc(name: str, day: str, town: str, killed: int) -> Doc:
    d = Doc(name, day, name.upper()).event(date=day, place_name=town)
    d.claim(f"{killed} people were killed in {town}", num(killed), source="officials", side="ukraine")
    return d


def test_each_filter_keeps_its_own_total_until_a_write():
    with Store.open("sqlite://") as s:
        for i, (day, town) in enumerate([("2022-03-01", "Kyiv"), ("2022-04-01", "Odesa"), ("2022-05-01", "Kharkiv")]):
            d = _doc(f"c{i}", day, town, 3 + i)
            s.ingest(d.build(), body=d.body)
        assert s.list_events_json(limit=1)[1] == 3
        assert s.list_events_json(since="2022-03-15", limit=1)[1] == 2
        assert s.list_events_json(since="2022-04-15", limit=1)[1] == 1
        assert s.list_events_json(min_deaths=4, limit=1)[1] == 2
        assert s.list_events_json(min_deaths=4, since="2022-04-15", limit=1)[1] == 1
        assert s.list_events_json(bbox=(30.0, 50.0, 31.0, 51.0), limit=1)[1] == 1     # Kyiv only
        assert s.list_events_json(selection=Selection(), limit=1)[1] == 3
        later = _doc("c9", "2022-06-01", "Mykolaiv", 9)
        s.ingest(later.build(), body=later.body)
        assert s.list_events_json(limit=1)[1] == 4
        assert s.list_events_json(since="2022-04-15", limit=1)[1] == 2
        assert s.list_events_json(min_deaths=4, limit=1)[1] == 3
