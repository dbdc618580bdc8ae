"""The progress bar: ETA from a cheap count of the inputs, rate and failures, a summary line."""

from __future__ import annotations

import gzip
import io
import sys
from types import SimpleNamespace

from claimledger.outputs.cli.progress import Progress, count_inputs


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _outcome(error=None, claims=2, words=100):
    result = None if error else SimpleNamespace(claims=[object()] * claims, events=[object()])
    return SimpleNamespace(error=error, result=result, words=words)


def test_count_inputs_matches_what_the_readers_yield(tmp_path):
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "b.html").write_text("<p>Two.</p>")
    (tmp_path / "notes.csv").write_text("ignored,by,the,reader\n")
    (tmp_path / ".hidden.txt").write_text("ignored")
    (tmp_path / "batch.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{broken\n')
    with gzip.open(tmp_path / "more.jsonl.gz", "wt") as fh:
        fh.write('{"text": "x"}\n{"text": "y"}\n')
    assert count_inputs([str(tmp_path)]) == 2 + 3          # the folder walk skips .gz like the reader
    assert count_inputs([str(tmp_path / "more.jsonl.gz"), str(tmp_path / "a.txt")]) == 3
    assert count_inputs([str(tmp_path / "missing.txt")]) == 1
    assert count_inputs([str(tmp_path / "a.txt"), "-"]) is None


def test_bar_shows_total_rate_and_failures_then_a_summary(tmp_path, monkeypatch):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join('{"text": "x"}\n' for _ in range(5)))
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    progress = Progress(paths=[str(batch)])
    progress._counter.join(timeout=10)
    for i in range(5):
        progress.update(_outcome(error="malformed JSON" if i == 2 else None))
    progress.report("claimledger: batch.jsonl:3: malformed JSON")
    line = progress.close()
    shown = term.getvalue()
    assert "5/5" in shown and "doc/s" in shown and "failed=1" in shown and "claims=8" in shown
    assert "claimledger: batch.jsonl:3: malformed JSON" in shown
    assert line.startswith("5 documents, 8 claims, 4 events, 1 failed in ")
    assert "docs/s" in line and shown.rstrip().endswith(line)


def test_no_bar_in_a_pipe_and_nothing_when_quiet(monkeypatch):
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    progress = Progress(paths=["-"])
    assert progress.bar is None
    progress.update(_outcome())
    progress.close()
    assert pipe.getvalue().startswith("1 documents, 2 claims")
    pipe.truncate(0)
    pipe.seek(0)
    quiet = Progress(quiet=True)
    quiet.update(_outcome())
    quiet.close()
    assert pipe.getvalue() == ""
