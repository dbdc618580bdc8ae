"""Everything a user can call is documented (issue 15), as datasette's ``test_docs.py`` keeps its
plugin hooks and settings in its docs: a CLI command or action, an API route or an export format
added without a word in README.md or docs/*.md fails here, naming what is missing.

The names come from the code itself (the parser ``claimledger --help`` prints, the FastAPI app's
OpenAPI paths, ``export.FORMATS``), so a new one cannot be forgotten by this test either.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public way to list subcommands
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _commands() -> list[tuple[str, ...]]:
    """("ingest",), ("gazetteer", "import"), ...: every command and every action of a command."""
    from claimledger.outputs.cli.main import build_parser

    out = []
    for name, sub in _subparsers(build_parser()).items():
        out.append((name,))
        out += [(name, action) for action in _subparsers(sub)]
    return out


def _command_documented(cmd: tuple[str, ...], text: str) -> bool:
    """``claimledger ingest``; an action as ``gazetteer status`` or ``feeds add|list|remove``."""
    if len(cmd) == 1:
        return re.search(rf"\bclaimledger {re.escape(cmd[0])}\b", text) is not None
    name, action = cmd
    return re.search(rf"\b{re.escape(name)} (?:[\w-]+\|)*{re.escape(action)}\b", text) is not None


def _routes() -> list[str]:
    pytest.importorskip("fastapi")
    from claimledger.outputs.api.app import create_app

    return sorted(create_app("sqlite://").openapi()["paths"])   # the routes the OpenAPI document lists


def _route_documented(path: str, text: str) -> bool:
    """``/api/events/{event_id}`` is documented as itself or with another parameter name
    (``/api/events/{id}``)."""
    pattern = re.sub(r"\\\{[^}]*\\\}", r"\\{[^}]+\\}", re.escape(path))
    return re.search(pattern + r"(?![\w/-])", text) is not None


def test_every_cli_command_and_action_is_documented():
    text = _docs()
    commands = _commands()
    assert ("ingest",) in commands and ("gazetteer", "import") in commands   # the parser was read
    missing = [" ".join(c) for c in commands if not _command_documented(c, text)]
    assert not missing, f"CLI commands missing from README.md and docs/*.md: {missing}"


def test_every_api_route_is_documented():
    text = _docs()
    routes = _routes()
    assert "/api/events/{event_id}" in routes
    missing = [r for r in routes if not _route_documented(r, text)]
    assert not missing, f"API routes missing from README.md and docs/*.md: {missing}"


def test_every_export_format_is_documented():
    from claimledger.outputs.export import FORMATS

    text = _docs()
    missing = [f for f in FORMATS if not re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text)]
    assert not missing, f"export formats missing from README.md and docs/*.md: {missing}"


def test_the_checks_see_what_is_missing():
    text = "Run `claimledger ingest DIR`, then `feeds add|list URL` and GET /api/events/{id}."
    assert _command_documented(("ingest",), text)
    assert not _command_documented(("ingestion",), text) and not _command_documented(("export",), text)
    assert _command_documented(("feeds", "list"), text) and not _command_documented(("feeds", "remove"), text)
    assert _route_documented("/api/events/{event_id}", text)
    assert not _route_documented("/api/events/{event_id}/reviews", text)
    assert not _route_documented("/api/claims", text)
