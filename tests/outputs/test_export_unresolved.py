"""The ACLED export writes a settlement the gazetteer lacks as ACLED writes a village it cannot
place: the area's admin1, location and coordinates, geo_precision 3, the village named in the notes."""

from __future__ import annotations

from tests.outputs.test_export_parties import export, ingested

REPORTS = [("On 5 May 2022, Russian forces shelled near Zzyzxivka village, Kharkiv. Two civilians were killed.",
            "2022-05-06")]


def test_acled_row_of_an_unresolved_village(tmp_path, capsys):
    ledger = ingested(tmp_path, capsys, REPORTS)
    (row,) = export(capsys, ledger, "acled-csv")
    assert (row["admin1"], row["location"], row["geo_precision"]) == ("Kharkiv", "Kharkiv", "3")
    assert row["admin2"] == ""                                   # no raion is known
    assert "Zzyzxivka (not in the gazetteer; Kharkiv)" in row["notes"]
    assert abs(float(row["latitude"]) - 49.98) < 0.05            # the oblast's point (its centre), no village's


def test_two_unknown_villages_of_one_oblast_are_not_merged_for_being_in_it(tmp_path, capsys):
    reports = [("On 5 May 2022, Russian forces shelled near Zzyzxivka village, Luhansk. One civilian was killed.",
                "2022-05-06"),
               ("On 5 May 2022, Russian forces shelled near Qqorivka village, Luhansk. Two civilians were killed.",
                "2022-05-06")]
    ledger = ingested(tmp_path, capsys, reports)
    notes = sorted(r["notes"] for r in export(capsys, ledger, "acled-csv"))
    assert len(notes) == 2   # one event a village, though both are "somewhere in Luhansk" on one day
    assert "at Qqorivka (not in the gazetteer; Luhansk)" in notes[0] and "Zzyzxivka" in notes[1]
    # and `show` / `events` say what the place is
    from claimledger.outputs.cli.main import main

    assert main(["events", "--db", ledger]) == 0
    assert "Qqorivka (not in the gazetteer; Luhansk)" in capsys.readouterr().out
