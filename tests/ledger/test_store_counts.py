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


def test_a_reprint_makes_every_remembered_count_fresh(monkeypatch):
    """Another outlet's word-for-word copy rewrites its events (they list the outlet now, changed at
    that moment): a total remembered before it, of events changed since, must be counted again."""
    from dataclasses import replace

    from claimledger.ledger import incremental

    now = ["2026-01-01T00:00:00Z"]
    monkeypatch.setattr(incremental, "utc_now", lambda: now[0])
    with Store.open("sqlite://") as s:
        d = _doc("r1", "2022-03-01", "Kyiv", 3)
        s.ingest(d.build(), body=d.body)
        changed_since = Selection(updated_since="2026-01-02T00:00:00Z")
        assert s.list_events_json(selection=changed_since, limit=1)[1] == 0
        now[0] = "2026-01-03T00:00:00Z"
        copy = d.build()
        rep = s.ingest(replace(copy, doc=replace(copy.doc, outlet="Other Wire")), body=d.body)
        assert rep.skipped and rep.reprint
        assert s.list_events_json(selection=changed_since, limit=1)[1] == 1
