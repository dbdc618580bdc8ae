"""ACLED and UCDP exports name the registry's parties under ACLED's and UCDP's names, for any war.

The reports are written for this test; they go through the extractor and the ledger as real input does.
"""

from __future__ import annotations

import csv
import io

import pytest

from claimledger.outputs.cli.main import main
from claimledger.pipeline import default_pipeline
from claimledger.records import Article
from claimledger.serialise import dumps

REPORTS = [
    ("The Sudanese army said it had killed 40 RSF fighters in clashes in Khartoum on 3 May 2024. The Rapid "
     "Support Forces said 6 of its fighters were killed in the fighting.", "2024-05-04"),
    ("On 7 May 2024, al-Shabaab militants shot dead two farmers in Mogadishu, local elders said.", "2024-05-08"),
    ("On 9 May 2024, students demonstrated and set fire to tyres and vandalised a bus in Nairobi.", "2024-05-10"),
]


def ingested(tmp_path, capsys, reports) -> str:
    """The reports extracted and ingested into a fresh SQLite ledger; its URL."""
    nlp = default_pipeline()
    records = tmp_path / "records.jsonl"
    records.write_text("".join(dumps(nlp(Article(text=t, published=p, outlet="Example Wire")).result()) + "\n"
                               for t, p in reports), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["ingest", "--records", str(records), "--db", url]) == 0
    capsys.readouterr()
    return url


@pytest.fixture
def ledger(tmp_path, capsys):
    return ingested(tmp_path, capsys, REPORTS)


def export(capsys, ledger, fmt):
    assert main(["export", "--format", fmt, "--db", ledger]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_acled_actors_inter_codes_and_regions_come_from_the_registry(ledger, capsys):
    rows = {r["country"]: r for r in export(capsys, ledger, "acled-csv")}
    sd = rows["Sudan"]
    assert {sd["actor1"], sd["actor2"]} == {"Military Forces of Sudan (2019-)", "Rapid Support Forces"}
    assert sd["sub_event_type"] == "Armed clash" and sd["interaction"] == "13" and sd["region"] == "Northern Africa"
    assert sd["fatalities"] == "6"                      # the RSF's own admission, not the army's boast
    so = rows["Somalia"]
    assert so["actor1"] == "Al Shabaab" and so["inter1"] == "2"
    assert so["actor2"] == "Civilians (Somalia)" and so["interaction"] == "27" and so["region"] == "Eastern Africa"
    ke = rows["Kenya"]
    assert ke["sub_event_type"] == "Violent demonstration" and ke["actor1"] == "Rioters (Kenya)" and ke["inter1"] == "5"


def test_ucdp_sides_dyad_and_conflict_names(ledger, capsys):
    rows = {r["country"]: r for r in export(capsys, ledger, "ucdp-csv")}
    sd = rows["Sudan"]
    assert (sd["side_a"], sd["side_b"]) == ("Government of Sudan", "RSF")
    assert sd["dyad_name"] == "Government of Sudan - RSF" and sd["conflict_name"] == "Government of Sudan - RSF"
    assert sd["type_of_violence"] == "1" and sd["gwnoa"] == "625" and (sd["low"], sd["high"]) == ("6", "40")
    so = rows["Somalia"]
    assert so["type_of_violence"] == "3" and so["side_b"] == "Civilians" and so["side_a"] == "Al-Shabaab"


def test_events_side_takes_any_party_and_lists_the_sides_present(ledger, capsys):
    assert main(["events", "--db", ledger, "--side", "rsf"]) == 0
    out = capsys.readouterr().out
    assert "Armed clash" in out and "1-1 of 1 events" in out
    assert main(["events", "--db", ledger, "--side", "hamas"]) == 0
    err = capsys.readouterr().err
    assert "no events with side hamas" in err and "saf" in err and "al_shabaab" in err
    with pytest.raises(SystemExit) as exc:
        main(["events", "--db", ledger, "--side", "martians"])
    assert exc.value.code == 2 and "not a side" in capsys.readouterr().err


def test_api_events_filter_by_any_party(ledger):
    from fastapi.testclient import TestClient

    from claimledger.outputs.api import create_app

    client = TestClient(create_app(ledger))
    r = client.get("/api/events", params={"side": "rsf"})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == 1 and page["items"][0]["type"] == "Armed clash"
    assert client.get("/api/events", params={"side": "al_shabaab"}).json()["total"] == 1
    assert client.get("/api/events", params={"side": "martians"}).status_code == 422


NOTES = [
    # the DPR's forces: ACLED's NAF with the republic's militia as associated actor
    ("On 3 May 2022, Ukrainian forces shelled DPR positions in Novoselivka, Donetsk, killing 2 DPR fighters.",
     "2022-05-04"),
]


@pytest.fixture
def notes_ledger(tmp_path, capsys, monkeypatch):
    """A note through a ledger, with a three-row GeoNames dump imported (village, raion, oblast)."""
    from claimledger.analyse import gazetteer, gazetteer_build

    monkeypatch.setenv("CLAIMLEDGER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLAIMLEDGER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(gazetteer_build, "_builtin_towns", lambda b, gc, skip: {})
    dump = tmp_path / "UA.txt"
    cols = [["9000001", "Novoselivka", "Novoselivka", "", "48.10", "37.60", "P", "PPL", "UA", "", "05", "1408"],
            ["9000002", "Pokrovskyi Raion", "Pokrovskyi Raion", "", "48.20", "37.40", "A", "ADM2", "UA", "", "05",
             "1408"],
            ["9000003", "Donetska Oblast", "Donetska Oblast", "Donetsk Oblast", "48.00", "37.80", "A", "ADM1", "UA",
             "", "05", ""]]
    dump.write_text("".join("\t".join(c + ["", "", "0", "", "150", "Europe/Kyiv", "2025-01-02"]) + "\n"
                            for c in cols), encoding="utf-8")
    gazetteer.reset()
    assert main(["gazetteer", "import", str(dump)]) == 0
    gazetteer.reset()
    yield ingested(tmp_path, capsys, NOTES)
    gazetteer.reset()


def test_acled_associated_actors_and_district(notes_ledger, capsys):
    rows = {r["country"]: r for r in export(capsys, notes_ledger, "acled-csv")}
    ua = rows["Ukraine"]
    assert ua["actor1"] == "Military Forces of Ukraine (2019-)"
    assert (ua["actor2"], ua["assoc_actor_2"], ua["inter2"]) == (
        "NAF: United Armed Forces of Novorossiya", "Donbass People's Militia", "2")
    assert ua["location"] == "Novoselivka" and ua["admin2"] == "Pokrovskyi"   # the raion, as ACLED writes it


def test_civilians_counted_as_a_group_are_the_associated_actor(ledger, capsys):
    so = {r["country"]: r for r in export(capsys, ledger, "acled-csv")}["Somalia"]
    assert so["actor2"] == "Civilians (Somalia)" and so["assoc_actor_2"] == "Farmers (Somalia)"
    assert so["admin2"] == ""          # the built-in gazetteer has no districts
