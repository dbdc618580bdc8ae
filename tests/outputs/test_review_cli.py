"""``claimledger review`` end to end: reject and correct, rebuild and re-ingest, show, status with an
orphan, the claims CSV's review_status, list, undo, and every user error as one line with exit 2."""

from __future__ import annotations

import csv
import io
import json

import pytest
from ledger.factory import Doc, num
from ledger.review_fixtures import docs, forget, newer_extraction

from claimledger.ledger.store import Store
from claimledger.outputs.cli.main import main
from claimledger.serialise import dumps


@pytest.fixture
def ledger(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    a, b, c = docs()
    with Store.open(url) as s:
        for d in (a, b, c):
            s.ingest(d.build(), body=d.body)
        (kramatorsk,) = [e.id for e in s.list_events()[0] if e.place.name == "Kramatorsk"]
    return url, a, b, c, kramatorsk


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_teaches_every_action(capsys):
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    out = capsys.readouterr().out
    for action in ("reject", "set", "move", "split", "merge", "list", "undo"):
        assert f"\n    {action} " in out
    assert "claimledger review reject" in out and "CLAIMLEDGER_REVIEWER" in out
    with pytest.raises(SystemExit):
        main(["review", "set", "--help"])
    out = capsys.readouterr().out
    assert "--value N" in out and "--min N" in out and "--reason TEXT" in out and "--db URL" in out


def test_reject_and_correct_then_rebuild_and_reingest(ledger, capsys, tmp_path):
    url, a, b, c, kramatorsk = ledger
    code, out, err = run(capsys, "review", "reject", a.claims[1].id, "--reason", "wrong source", "--by", "J. Doe",
                         "--db", url)
    assert code == 0, err
    assert out.startswith(f"review 1: rejected claim {a.claims[1].id}: wrong source (J. Doe, ")
    assert f"{kramatorsk}: killed low 50 · best 52 · high 52" in out
    code, out, err = run(capsys, "review", "set", b.claims[0].id, "--source", "Russian defence ministry", "--side",
                         "russia", "--reason", "the police figure is Moscow's", "--by", "J. Doe", "--db", url)
    assert code == 0, err
    assert "source 'police' -> 'Russian defence ministry'" in out and "killed low 50 · best 50 · high 52" in out

    assert run(capsys, "rebuild", "--db", url, "-q")[0] == 0
    records = tmp_path / "again.jsonl"
    records.write_text("".join(dumps(d.build()) + "\n" for d in (a, b, c)), encoding="utf-8")
    code, _, err = run(capsys, "ingest", "--records", str(records), "--db", url)
    assert code == 0 and "0 documents added, 3 already there" in err, err

    code, out, _ = run(capsys, "show", kramatorsk, "--db", url)
    assert "killed: low 50 · best 50 · high 52" in out
    assert "set aside by review 1: wrong source, J. Doe, " in out and "corrected by review 2: " in out
    assert "      REJECTED" in out and "      CORRECTED: killed 52 · Russian defence ministry [russia, official]" in out
    code, out, _ = run(capsys, "show", kramatorsk, "--db", url, "--format", "json")
    detail = {d["id"]: d for d in json.loads(out)["claims_detail"]}
    assert detail[a.claims[1].id]["review_status"] == "rejected"
    assert detail[b.claims[0].id]["reviewed"]["source"]["name"] == "Russian defence ministry"

    code, out, _ = run(capsys, "export", "--format", "claims-csv", "--db", url)
    rows = {r["claim_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows[a.claims[1].id]["review_status"] == "rejected"
    assert rows[b.claims[0].id]["review_status"] == "corrected"
    assert rows[b.claims[0].id]["source_name"] == "Russian defence ministry"      # the reviewed values
    assert rows[a.claims[0].id]["review_status"] == ""
    code, out, _ = run(capsys, "export", "--format", "acled-csv", "--db", url)
    (row,) = [r for r in csv.DictReader(io.StringIO(out)) if r["event_id_cnty"] == kramatorsk]
    assert row["fatalities"] == "50" and "UN said" not in row["notes"]


def test_status_reports_an_orphaned_review_and_list_keeps_it(ledger, capsys):
    url, _a, _b, c, _k = ledger
    assert run(capsys, "review", "reject", c.claims[0].id, "--reason", "a duplicate", "--db", url)[0] == 0
    with Store.open(url) as s:
        forget(s, [c.id])
    code, out, _ = run(capsys, "status", "--db", url)
    assert code == 0 and "1 reviews (0 applied, 0 undone, 1 orphaned)" in out
    assert f"review 1: rejected claim {c.claims[0].id}: a duplicate" in out and "[orphaned]" in out
    code, out, _ = run(capsys, "status", "--db", url, "--format", "json")
    assert json.loads(out)["reviews"]["orphaned"] == 1
    code, out, _ = run(capsys, "review", "list", "--status", "orphaned", "--format", "jsonl", "--db", url)
    (line,) = out.splitlines()
    assert json.loads(line)["anchor"]["evidence"].startswith("Two people")


def test_move_split_merge_and_list(ledger, capsys, monkeypatch):
    url, _a, b, c, kramatorsk = ledger
    monkeypatch.setenv("CLAIMLEDGER_REVIEWER", "Desk 3")
    code, out, err = run(capsys, "review", "move", c.claims[0].id, "--to", kramatorsk[:9], "--reason", "same strike",
                         "--db", url)
    assert code == 0, err
    assert f"to {kramatorsk}: same strike (Desk 3, " in out and f"{kramatorsk}: killed low 2" in out
    code, out, err = run(capsys, "review", "split", kramatorsk, "--doc", b.id, "--reason", "another day", "--db", url)
    assert code == 0, err
    with Store.open(url) as s:
        assert s.summary()["events"] == 3
    code, out, _ = run(capsys, "review", "list", "--db", url)
    assert out.splitlines()[2].split()[:3] == ["2", "split", "active"] and "Desk 3" in out
    code, out, _ = run(capsys, "review", "undo", "2", "--db", url)
    assert code == 0 and out.startswith("undone review 2: split event")
    with Store.open(url) as s:
        assert s.summary()["events"] == 2


@pytest.mark.parametrize("argv, message", [
    (["undo", "99"], "no review 99"),
    (["reject", "nope:1", "--reason", "r"], "no claim 'nope:1'"),
    (["set", "{a0}", "--reason", "r"], "nothing to set"),
    (["set", "{a0}", "--value", "3", "--min", "1", "--reason", "r"], "not both"),
    (["set", "{a0}", "--side", "martians", "--reason", "r"], "unknown side 'martians'"),
    (["set", "{a0}", "--place", "Nowhereville Qqq", "--reason", "r"], "no such place"),
    (["move", "{a0}", "--to", "le-nothing", "--reason", "r"], "no ledger event 'le-nothing'"),
    (["merge", "{k}", "--reason", "r"], "two or more"),
])
def test_user_errors_are_one_line_and_exit_2(ledger, capsys, argv, message):
    url, a, _b, _c, kramatorsk = ledger
    argv = [x.format(a0=a.claims[0].id, k=kramatorsk) for x in argv]
    code, out, err = run(capsys, "review", *argv, "--db", url)
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert out == ""


def test_undo_twice_says_there_is_nothing_to_undo(ledger, capsys):
    url, a, _b, _c, _k = ledger
    assert run(capsys, "review", "reject", a.claims[0].id, "--reason", "r", "--db", url)[0] == 0
    assert run(capsys, "review", "undo", "1", "--db", url)[0] == 0
    code, _, err = run(capsys, "review", "undo", "1", "--db", url)
    assert code == 2 and "nothing to undo" in err


def test_a_reason_is_required(ledger, capsys):
    url, a, _b, _c, _k = ledger
    with pytest.raises(SystemExit) as exc:
        main(["review", "reject", a.claims[0].id, "--db", url])
    assert exc.value.code == 2 and "--reason" in capsys.readouterr().err


def test_a_place_correction_is_geocoded(ledger, capsys):
    url, a, _b, _c, _k = ledger
    extra = Doc("wire-e", "2022-04-08", "AFP").event(date="2022-04-08", place_name="Kharkiv")
    extra.claim("Three were killed in Kharkiv.", num(3, "Three"), source="governor", side="ukraine")
    with Store.open(url) as s:
        s.ingest(extra.build(), body=extra.body)
    code, out, err = run(capsys, "review", "set", a.claims[0].id, "--place", "Kharkiv", "--reason", "wrong town",
                         "--format", "json", "--db", url)
    assert code == 0, err
    review = json.loads(out)["review"]
    assert review["fields"]["place"]["name"] == "Kharkiv" and review["fields"]["place"]["lat"] == pytest.approx(50,
                                                                                                                abs=0.1)


def test_reviews_carried_to_a_ledger_built_by_a_newer_extractor(ledger, capsys, tmp_path):
    """The production path for a newer extractor: a new ledger from the same texts, the reviews imported."""
    url, a, b, c, kramatorsk = ledger
    assert run(capsys, "review", "reject", a.claims[1].id, "--reason", "wrong source", "--by", "J. Doe", "--db", url)[0] == 0
    assert run(capsys, "review", "set", b.claims[0].id, "--side", "russia", "--source", "Russian defence ministry",
               "--reason", "Moscow's", "--db", url)[0] == 0
    assert run(capsys, "review", "reject", c.claims[0].id, "--reason", "duplicate", "--db", url)[0] == 0
    code, out, _ = run(capsys, "review", "list", "--format", "jsonl", "--db", url)
    exported = tmp_path / "reviews.jsonl"
    exported.write_text(out + "\n{broken\n", encoding="utf-8")
    assert len(out.splitlines()) == 3

    new = f"sqlite:///{tmp_path / 'new.db'}"
    with Store.open(new) as s:      # the same texts read again: other ordinals and spans, one report under another id
        s.ingest(newer_extraction(a), body=a.body)
        s.ingest(newer_extraction(b, new_id="b-elsewhere"), body=b.body)
        (event,) = s.list_events()[0]
        assert (event.deaths.low, event.deaths.best, event.deaths.high) == (40, 40, 52)
    code, _, err = run(capsys, "review", "import", str(exported), "--db", new)
    assert code == 1 and f"{exported}:5: not a review record" in err
    assert "3 reviews added, 0 already here, 1 bad lines; 1 reviews of this ledger orphaned" in err
    with Store.open(new) as s:
        (event,) = s.list_events()[0]
        assert (event.deaths.low, event.deaths.best, event.deaths.high) == (50, 50, 52)
    code, _, err = run(capsys, "review", "import", str(exported), "--db", new)
    assert "0 reviews added, 3 already here" in err          # importing twice adds nothing
    code, out, _ = run(capsys, "review", "list", "--status", "orphaned", "--db", new)
    assert "duplicate" in out and "wrong source" not in out


def test_accept_changes_no_figure_and_the_reasoning_names_it(ledger, capsys):
    url, a, b, c, kramatorsk = ledger
    _, before, _ = run(capsys, "show", kramatorsk, "--db", url)
    code, out, err = run(capsys, "review", "accept", a.claims[0].id, "--reason", "checked against the post",
                         "--by", "J. Doe", "--db", url)
    assert code == 0, err
    assert out.startswith(f"review 1: accepted claim {a.claims[0].id}: checked against the post (J. Doe, ")
    assert "killed low 40 · best 40 · high 52" in out                       # the figures stay as extracted
    code, out, _ = run(capsys, "show", kramatorsk, "--db", url)
    assert "checked and accepted by review 1: checked against the post, J. Doe, " in out
    assert "killed: low 40 · best 40 · high 52" in out and "killed: low 40 · best 40 · high 52" in before
    code, out, _ = run(capsys, "export", "--format", "claims-csv", "--db", url)
    rows = {r["claim_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows[a.claims[0].id]["review_status"] == ""                      # rejected, corrected or empty
    code, out, _ = run(capsys, "review", "undo", "1", "--db", url)
    assert code == 0
    code, out, _ = run(capsys, "show", kramatorsk, "--db", url)
    assert "accepted by review 1" not in out
