"""Lexicons, alias tables and boilerplate rules as commented YAML: data, not code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent


@cache
def load_yaml(name: str):
    import yaml

    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
