"""The ledger commands end to end: ingest, events, show, export (every format), status, user errors."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from claimledger.outputs.cli.main import main
from claimledger.outputs.export.acled import COLUMNS as ACLED_COLUMNS
from claimledger.outputs.export.ucdp import COLUMNS as UCDP_COLUMNS
from claimledger.serialise import dumps

from .test_store import kramatorsk_docs

# ../shared beside the project root (absent on a fresh machine: the check is skipped)
ACLED_DEV = str(Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "acled-ukraine-2022-dev.csv")


@pytest.fixture
def ledger(tmp_path, capsys):
    """A SQLite ledger with the Kramatorsk fixture, ingested through the CLI from extract records."""
    records = tmp_path / "records.jsonl"
    records.write_text("".join(dumps(d.build()) + "\n" for d in kramatorsk_docs()) + '{"not": "a record"}\n',
                       encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["ingest", "--records", str(records), "--db", url]) == 1   # one line failed
    err = capsys.readouterr().err
    assert "5 documents added" in err and "1 failed" in err
    return url


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_events_table_and_filters(ledger, capsys):
    code, out, _ = run(capsys, "events", "--db", ledger)
    assert code == 0
    assert "Kramatorsk" in out and "50/50/52" in out and "1-3 of 3 events" in out
    code, out, _ = run(capsys, "events", "--db", ledger, "--near", "48.72,37.56", "--km", "20", "--type", "shelling")
    assert code == 0 and "1-1 of 1 events" in out and "Kramatorsk" in out
    code, out, _ = run(capsys, "events", "--db", ledger, "--since", "2022-06-01", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["place"]["name"] for r in rows] == ["Kyiv"]
    code, out, _ = run(capsys, "events", "--db", ledger, "--side", "third_party")
    assert code == 0 and "none of 0 events" in out


def test_events_near_a_place_name(ledger, capsys):
    code, out, err = run(capsys, "events", "--db", ledger, "--near", "Kramatorsk")
    assert code == 0, err
    assert "Kramatorsk" in out and "Kyiv" not in out


def test_show_explains_an_event(ledger, capsys):
    from claimledger.ledger.store import Store

    with Store.open(ledger) as s:
        ev = s.list_events(min_deaths=1)[0][0]
    code, out, _ = run(capsys, "show", ev.id[:8], "--db", ledger)
    assert code == 0
    assert "killed: low 50 · best 50 · high 52" in out
    assert "Pavlo Kyrylenko  [side ukraine" in out and "BBC (own voice)" in out
    assert '"the death toll had risen to 50"' in out            # evidence spans
    assert "revisions:" in out and "reports:" in out and "wounded: low 100" in out
    code, out, _ = run(capsys, "show", ev.id, "--db", ledger, "--format", "json")
    data = json.loads(out)
    assert data["id"] == ev.id and len(data["claims_detail"]) == len(ev.claims)
    code, _, err = run(capsys, "show", "le-nothing", "--db", ledger)
    assert code == 2 and "no event" in err and err.count("\n") == 1


def test_status_lists_failures(ledger, capsys):
    code, out, _ = run(capsys, "status", "--db", ledger)
    assert code == 0
    assert "5 documents, 7 claims" in out and "3 ledger events" in out
    assert "records.jsonl:6: not a claimledger extract record" in out
    code, out, _ = run(capsys, "status", "--db", ledger, "--format", "json")
    assert json.loads(out)["failures"] == 1


def test_export_acled(ledger, capsys):
    code, out, _ = run(capsys, "export", "--format", "acled-csv", "--db", ledger)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(ACLED_COLUMNS) == 31 and list(rows[0]) == ACLED_COLUMNS
    if os.path.exists(ACLED_DEV):
        with open(ACLED_DEV, encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == ACLED_COLUMNS
    k = next(r for r in rows if r["location"] == "Kramatorsk")
    assert k["fatalities"] == "50" and k["event_date"] == "08 April 2022" and k["iso3"] == "UKR"
    assert k["actor1"] == "Military Forces of Russia (2000-)" and k["inter1"] == "8" and k["interaction"] == "18"
    assert "ABC" in k["notes"] and "Pavlo Kyrylenko" in k["notes"] and "BBC" in k["notes"]
    assert k["latitude"] == "48.7200" and k["longitude"] == "37.5600" and k["geo_precision"] == "1"


def test_export_ucdp_only_events_with_deaths(ledger, capsys):
    code, out, _ = run(capsys, "export", "--format", "ucdp-csv", "--db", ledger)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(UCDP_COLUMNS) == 49 and list(rows[0]) == UCDP_COLUMNS
    assert len(rows) == 1
    r = rows[0]
    assert (r["low"], r["best"], r["high"]) == ("50", "50", "52")
    assert r["date_start"] == r["date_end"] == "2022-04-08"
    assert r["where_coordinates"] == "Kramatorsk town" and r["geom_wkt"] == "POINT (37.56 48.72)"
    assert "Pavlo Kyrylenko" in r["source_original"] and "ABC" in r["source_article"]
    assert r["side_a"] == "Government of Russia (Soviet Union)" and r["gwnoa"] == "365"


def test_export_geojson_is_rfc7946(ledger, capsys, tmp_path):
    out_file = tmp_path / "events.geojson"
    code, _, err = run(capsys, "export", "--format", "geojson", "--db", ledger, "--out", str(out_file))
    assert code == 0 and "3 rows" in err
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == 3
    for f in data["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    kyiv = next(f for f in data["features"] if f["properties"]["place"] == "Kyiv")
    assert kyiv["geometry"]["coordinates"] == [30.52, 50.45]              # [lon, lat]


def test_export_claims_and_events_jsonl(ledger, capsys):
    code, out, _ = run(capsys, "export", "--format", "claims-csv", "--db", ledger)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 7 and all(r["ledger_event"].startswith("le-") for r in rows)
    code, out, _ = run(capsys, "export", "--format", "events-jsonl", "--db", ledger)
    events = [json.loads(line) for line in out.splitlines()]
    assert len(events) == 3 and {"id", "deaths", "documents", "claims", "revisions"} <= set(events[0])


def test_failed_export_leaves_no_file(tmp_path, capsys):
    out_file = tmp_path / "x.csv"
    code, _, err = run(capsys, "export", "--format", "acled-csv", "--db", str(tmp_path / "absent.db"),
                       "--out", str(out_file))
    assert code == 2 and "no ledger at" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("db, message", [
    ("sqlite:////no-such-folder-cl/l.db", "does not exist"),
    ("bogus://x", "no database driver"),
])
def test_bad_db_is_one_line(tmp_path, capsys, db, message):
    f = tmp_path / "a.txt"
    f.write_text("Two people were killed in Kharkiv on Monday, officials said.", encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(f), "--db", db, "--workers", "1")
    assert code == 2 and message in err and err.startswith("claimledger ingest:") and err.count("\n") == 1


def test_newer_schema_is_one_line(ledger, capsys):
    engine = create_engine(ledger)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    code, _, err = run(capsys, "events", "--db", ledger)
    assert code == 2 and "newer than this claimledger" in err and err.count("\n") == 1


def test_ingest_real_articles_with_extraction(tmp_path, capsys):
    a = tmp_path / "reports"
    a.mkdir()
    (a / "one.txt").write_text("Missile strike on Kharkiv\n\nA Russian missile strike killed seven people in "
                               "Kharkiv on Monday, the regional governor said.", encoding="utf-8")
    (a / "two.txt").write_text("", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'l.db'}"
    code, _, err = run(capsys, "ingest", str(a), "--db", url, "--workers", "1", "--published", "2022-05-03")
    assert code == 1, err   # two.txt failed
    assert "1 documents added" in err and "1 failed" in err
    from claimledger.ledger.store import Store

    with Store.open(url) as s:
        assert s.summary()["documents"] == 1
        [failure] = s.failures()
        assert failure["origin"].endswith("two.txt") and "empty" in failure["reason"]
        with s.engine.connect() as conn:
            doc_id, origin = conn.execute(text("SELECT id, origin FROM documents")).one()
        meta, body = s.get_document(doc_id)
        assert origin.endswith("one.txt") and "killed seven people in Kharkiv" in body   # the cleaned body
    code, _, err = run(capsys, "ingest", str(a), "--db", url, "--workers", "1", "--published", "2022-05-03")
    assert code == 1 and "0 documents added, 1 already there" in err


def test_rerun_skips_stored_inputs_without_extracting(tmp_path, capsys, monkeypatch):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps({"id": f"r{i}", "published": "2022-06-01",
                                           "text": f"Shelling of Nikopol killed {i + 2} people, officials said."})
                               for i in range(3)) + "\n")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["ingest", str(batch), "--db", db, "--workers", "1"]) == 0
    capsys.readouterr()
    import claimledger.runner as runner

    def boom(item):
        raise AssertionError("an already stored input was extracted again")

    monkeypatch.setattr(runner, "process", boom)
    assert main(["ingest", str(batch), "--db", db, "--workers", "1"]) == 0
    assert "0 documents added, 3 already there" in capsys.readouterr().err


def test_rebuild_repairs_a_ledger_whose_grouping_is_not_the_canonical_one(ledger, capsys):
    engine = create_engine(ledger)
    with engine.connect() as conn:
        before = dict(conn.execute(text("SELECT id, ledger_id FROM doc_events")).all())
    code, _, err = run(capsys, "rebuild", "--db", ledger)
    assert code == 0 and "0 document events changed ledger event" in err
    with engine.begin() as conn:   # as an older claimledger might have left it: one report on its own
        victim = sorted(before)[0]
        conn.execute(text("UPDATE doc_events SET ledger_id = 'le-000000000000' WHERE id = :i"), {"i": victim})
    code, _, err = run(capsys, "rebuild", "--db", ledger)
    assert code == 0 and "1 document events changed ledger event" in err
    with engine.connect() as conn:
        assert dict(conn.execute(text("SELECT id, ledger_id FROM doc_events")).all()) == before
        assert not conn.execute(text("SELECT 1 FROM ledger_events WHERE id = 'le-000000000000'")).first()
    engine.dispose()


def test_rebuild_of_a_missing_ledger_is_a_user_error(tmp_path, capsys):
    code, _, err = run(capsys, "rebuild", "--db", str(tmp_path / "nowhere" / "l.db"))
    assert code == 2 and "claimledger rebuild:" in err
