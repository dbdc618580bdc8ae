"""Readers under hostile input: each bad input fails alone, with its origin, and the rest is read."""

from __future__ import annotations

import gzip
import json

from claimledger.errors import InputError
from claimledger.ingest.readers import read_path
from claimledger.ingest.safe import storable
from claimledger.outputs.cli.main import main
from claimledger.records import Article

GOOD = {"id": "g", "text": "Two people were killed in Kharkiv on Monday, officials said.", "published": "2022-03-01"}


def _kinds(items) -> list:
    return [(type(i).__name__, i.message if isinstance(i, InputError) else i.id) for i in items]


def test_a_line_nested_100000_deep_fails_alone_and_later_lines_are_read(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + "[" * 100_000 + "\n" + '{"a": ' + "1" * 5000 + "}\n"
                    + json.dumps({**GOOD, "id": "h"}) + "\n", encoding="utf-8")
    got = list(read_path(str(path)))
    assert [type(i) for i in got] == [Article, InputError, InputError, Article]
    assert got[1].origin.endswith("batch.jsonl:2") and "nested too deeply" in got[1].message
    assert got[2].origin.endswith("batch.jsonl:3") and "out of range" in got[2].message
    assert got[3].id == "h"


def test_gzip_jsonl_inside_a_folder_is_read(tmp_path):
    (tmp_path / "in").mkdir()
    with gzip.open(tmp_path / "in" / "news.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(GOOD) + "\n")
    got = list(read_path(str(tmp_path / "in")))
    assert _kinds(got) == [("Article", "g")]


def test_a_corrupt_gzip_is_one_error(tmp_path):
    (tmp_path / "bad.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    [err] = list(read_path(str(tmp_path / "bad.jsonl.gz")))
    assert isinstance(err, InputError) and "cannot read" in err.message


def test_nul_and_lone_surrogates_are_replaced_one_for_one(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({**GOOD, "text": "Two\u0000 people \ud800were killed.", "title": "a\u0000b"}) + "\n",
                    encoding="utf-8")
    [art] = list(read_path(str(path)))
    assert art.text == "Two\ufffd people \ufffdwere killed." and art.title == "a\ufffdb"
    assert storable("plain") == "plain"


def test_ingest_of_a_junk_folder_exits_1_like_extract(tmp_path, capsys):
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "empty.txt").write_text("")
    (junk / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (junk / "latin1.txt").write_bytes("caf\xe9 killed".encode("latin-1"))
    (junk / "bad.jsonl").write_text("{not json\n" + "[" * 100_000 + "\n")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["ingest", str(junk), "--db", db, "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "5 failed" in err and "Traceback" not in err
    assert main(["extract", str(junk), "--workers", "1"]) == 1


def test_records_nested_deep_fail_alone(tmp_path, capsys):
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"[" * 100_000 + b"\n" + b"\xff\xfe\n" + b'{"doc": {"id": "x" }, "claims": [[[[]]]]}\n')
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["ingest", "--records", str(path), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "records.jsonl:1: not a claimledger extract record (JSON nested too deeply" in err
    assert "records.jsonl:2: not a claimledger extract record (not valid UTF-8" in err
    assert "Traceback" not in err
