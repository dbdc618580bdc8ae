"""docs/records.md documents every record of claimledger/records.py, field by field; regenerate with

    .venv/bin/python tests/test_records_doc.py --write
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "records.md"
BEGIN, END = "<!-- generated from claimledger/records.py: begin -->", "<!-- generated: end -->"


def _type(tp) -> str:
    text = str(tp).replace("typing.", "").replace("claimledger.records.", "").replace(" | ", " or ")
    return text.replace("<class '", "").replace("'>", "").replace("NoneType", "None")


def generated() -> str:
    from claimledger import records
    from claimledger.serialise import WIRE_NAMES

    out = []
    for name, cls in vars(records).items():
        if not (dataclasses.is_dataclass(cls) and cls.__module__ == records.__name__):
            continue
        hints = typing.get_type_hints(cls, vars(records))
        out.append(f"### `{name}`\n")
        if cls.__doc__ and not cls.__doc__.startswith(f"{name}("):
            out.append(" ".join(cls.__doc__.split()) + "\n")
        out.append("| field | type | default |\n|---|---|---|")
        for f in dataclasses.fields(cls):
            wire = WIRE_NAMES.get(f.name, f.name) if isinstance(WIRE_NAMES, dict) else f.name
            if f.default is not dataclasses.MISSING:
                default = f"`{f.default!r}`"
            elif f.default_factory is not dataclasses.MISSING:
                default = "empty" if f.default_factory in (list, dict) else "computed"
            else:
                default = "required"
            out.append(f"| `{wire}` | `{_type(hints[f.name])}` | {default} |")
        out.append("")
    vocab = [f"* `{n}`: {', '.join(f'`{v}`' for v in getattr(records, n))}"
             for n in ("SIDES", "SOURCE_KINDS", "STANCES", "MEASURES", "CATEGORIES", "PRECISIONS")]
    return "\n".join(["## Vocabularies", "", *vocab, "", "## Records", "", *out]).rstrip() + "\n"


def _section(text: str) -> str:
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def test_records_doc_matches_records_py():
    assert _section(DOC.read_text(encoding="utf-8")) == generated(), \
        "docs/records.md is out of date: run .venv/bin/python tests/test_records_doc.py --write"


if __name__ == "__main__" and "--write" in sys.argv:
    text = DOC.read_text(encoding="utf-8")
    head, tail = text.split(BEGIN, 1)[0], text.split(END, 1)[1]
    DOC.write_text(f"{head}{BEGIN}\n{generated()}{END}{tail}", encoding="utf-8")
