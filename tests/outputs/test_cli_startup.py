"""The CLI starts without the database layer: ``claimledger --help``, ``--version`` and building the
parser of every command must not import SQLAlchemy, which costs about half a second of every
start-up (``extract`` never touches a ledger)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_building_the_parser_imports_no_database_layer():
    code = ("import sys; from claimledger.outputs.cli.main import build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))")
    out = subprocess.run([sys.executable, "-P", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); {code}"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
