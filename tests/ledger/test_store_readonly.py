"""A ledger on read-only media can be read by events, status and export (opened read-only)."""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager

import pytest

from claimledger.ledger.errors import StoreError
from claimledger.ledger.store import Store
from claimledger.outputs.cli.main import main

from .test_store import ingest_all, kramatorsk_docs


@contextmanager
def read_only(folder):
    """``folder`` as read-only media: a read-only bind mount as root (root ignores file modes),
    file modes otherwise."""
    if os.geteuid() != 0:
        mode = os.stat(folder).st_mode
        for name in os.listdir(folder):
            os.chmod(folder / name, 0o444)
        os.chmod(folder, 0o555)
        try:
            yield folder
        finally:
            os.chmod(folder, mode)
        return
    target = folder.parent / (folder.name + "-ro")
    target.mkdir()
    ok = subprocess.run(["mount", "--bind", str(folder), str(target)], capture_output=True).returncode == 0 and \
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], capture_output=True).returncode == 0
    if not ok:
        subprocess.run(["umount", str(target)], capture_output=True)
        pytest.skip("cannot make a read-only mount here")
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_reading_commands_work_on_a_read_only_ledger(tmp_path, capsys):
    folder = tmp_path / "media"
    folder.mkdir()
    with Store.open(f"sqlite:///{folder / 'l.db'}") as s:
        ingest_all(s, kramatorsk_docs())
    with read_only(folder) as ro:
        db = f"sqlite:///{ro / 'l.db'}"
        assert main(["events", "--db", db]) == 0
        assert "of 3 events" in capsys.readouterr().out
        assert main(["status", "--db", db]) == 0
        assert "5 documents" in capsys.readouterr().out
        assert main(["export", "--format", "events-jsonl", "--db", db]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 3
        with Store.open(db, create=False) as s:
            assert s.readonly and s.summary()["documents"] == 5
            with pytest.raises(StoreError):
                s.record_failure("x", "y")
        assert main(["ingest", "--records", "/dev/null", "--db", db]) == 2   # a writer is told, in one line
        assert "not writable" in capsys.readouterr().err
