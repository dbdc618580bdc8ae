"""The README's main command ends with a summary a person reads: tolls, who said what, next commands."""

from __future__ import annotations

import json

from claimledger.outputs.cli.main import main


def test_events_table_ends_with_tolls_sources_and_next_commands(ledger_url, capsys):
    assert main(["events", "--db", ledger_url]) == 0
    out = capsys.readouterr().out
    table, _, summary = out.partition("In short:")
    assert "1-6 of 6 events" in table
    lines = summary.splitlines()
    kharkiv = next(i for i, line in enumerate(lines) if "in Kharkiv" in line)
    assert lines[kharkiv].strip() == "10 January 2023, shelling/artillery/missile attack in Kharkiv: 5 killed (at least 5, up to 20)."
    # who said what, under the event: the governor's revision and the other side's figure
    assert "Kharkiv regional governor said three, then five" in lines[kharkiv + 1]
    assert "Russian Ministry of Defence said about 20" in lines[kharkiv + 1]
    assert any("in Lviv: no deaths reported." in line for line in lines)
    nxt = summary.partition("Next:")[2]
    first_id = table.splitlines()[2].split()[0]
    assert f"claimledger show {first_id}" in nxt and "claimledger serve" in nxt and "export --format" in nxt


def test_machine_format_and_no_summary_are_unchanged(ledger_url, capsys):
    assert main(["events", "--db", ledger_url, "--format", "jsonl"]) == 0
    out = capsys.readouterr().out
    assert "In short" not in out and all(json.loads(line)["id"] for line in out.splitlines())
    assert main(["events", "--db", ledger_url, "--no-summary"]) == 0
    out = capsys.readouterr().out
    assert "In short" not in out and "Next:" not in out and out.rstrip().endswith("revisions")
