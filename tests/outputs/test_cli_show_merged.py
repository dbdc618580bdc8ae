"""`show` with the id of an event an ingest merged away says so and shows the event it went into
(issue 14: an id listed a moment ago must not become a bare "no event")."""

from __future__ import annotations

from ledger.factory import Doc, num

from claimledger.ledger import merge
from claimledger.ledger.store import Store
from claimledger.outputs.cli.main import main


def _doc(name: str, day: str, killed: int) -> Doc:
    d = Doc(name, day, name.upper()).event(date=day, place_name="Kramatorsk")
    d.claim(f"{killed} people were killed in Kramatorsk", num(killed), source="officials", side="ukraine")
    return d


def test_show_of_a_merged_away_id_names_and_shows_the_survivor(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    later, earlier = _doc("later", "2022-04-09", 5), _doc("earlier", "2022-04-08", 6)
    with Store.open(db) as s:
        [old] = s.ingest(later.build(), body=later.body).ledger_events
        s.ingest(earlier.build(), body=earlier.body)   # the same incident a day before: the new founder
    survivor = merge.ledger_id(earlier.events[0].id)
    assert survivor != old

    assert main(["show", old, "--db", db]) == 0
    out, err = capsys.readouterr()
    assert err == f"claimledger show: {old} was merged into {survivor}; showing {survivor}\n"
    assert out.startswith(f"== {survivor}") and "2 reports" in out

    assert main(["show", "le-nothing-like-it", "--db", db]) == 2
    assert "no event 'le-nothing-like-it'" in capsys.readouterr().err
