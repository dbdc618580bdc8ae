"""`events --near` with a name the ledger's countries do not hold is an error, not an empty list."""

from __future__ import annotations

from claimledger.ledger.store import Store
from claimledger.outputs.cli.main import main

from .test_api_inputs import fake_extract


def test_near_a_place_outside_the_ledger_is_unknown(tmp_path, capsys):
    from claimledger.records import Article

    db = f"sqlite:///{tmp_path / 'l.db'}"
    with Store.open(db) as s:
        o = fake_extract(Article(text="Five people were killed in Kramatorsk.", published="2022-04-08"))
        s.ingest(o.result, body=o.body)
    assert main(["events", "--near", "Atlantis", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "unknown place" in err and err.count("\n") == 1
    assert main(["events", "--near", "Kramatorsk", "--db", db]) == 0
    assert "1-1 of 1 events" in capsys.readouterr().out
