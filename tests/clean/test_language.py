"""A report in a language the rules cannot read fails as such, instead of yielding nothing, exit 0."""

from __future__ import annotations

import json

import pytest

from claimledger.clean.language import unsupported_language
from claimledger.outputs.cli.main import main

FRENCH = ("Deux civils ont été tués et cinq autres blessés lundi lors d'un bombardement russe sur Kharkiv, "
          "a annoncé le gouverneur de la région, qui a appelé les habitants à rester dans les abris.")
ENGLISH = ("Two civilians were killed and five wounded on Monday in Russian shelling of Kharkiv, the regional "
           "governor said, urging residents to stay in shelters.")


@pytest.mark.parametrize("declared, text, expected", [
    (None, FRENCH, "fr"), ("en", FRENCH, "fr"), ("fr", ENGLISH, "fr"), ("fr-FR", FRENCH, "fr"),
    (None, ENGLISH, None), ("en", ENGLISH, None), ("en-GB", ENGLISH, None),
    (None, "Deux civils tués.", None),   # too short to tell: read as declared
])
def test_unsupported_language(declared, text, expected):
    assert unsupported_language(declared, text) == expected


def test_a_french_report_fails_with_its_language_and_exit_1(tmp_path, capsys):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "fr1", "text": FRENCH, "published": "2022-03-07"}) + "\n"
                    + json.dumps({"id": "en1", "text": ENGLISH, "published": "2022-03-07"}) + "\n", encoding="utf-8")
    assert main(["extract", str(path), "--format", "jsonl", "--workers", "1"]) == 1
    out, err = capsys.readouterr()
    assert "batch.jsonl:1: unsupported language: fr" in err
    assert [json.loads(line)["doc"]["id"] for line in out.splitlines()] == ["en1"]
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["ingest", str(path), "--db", db, "--workers", "1"]) == 1
    assert "1 documents added, 0 already there, 1 failed" in capsys.readouterr().err


def test_plain_english_skips_the_detector(monkeypatch):
    """The statistical detector is the costly part: English prose never reaches it, other prose does."""
    import claimledger.clean.language as language

    calls = []
    monkeypatch.setattr(language, "detect", lambda text: calls.append(text) or ("fr", 0.99))
    assert language.unsupported_language(None, ENGLISH) is None
    assert calls == []
    assert language.unsupported_language(None, FRENCH) == "fr"
    assert len(calls) == 1
