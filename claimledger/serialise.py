"""The one place records become JSON and back.

Field names follow the dataclasses except where Python forbids the contract's spelling
(``Revision.from_`` is ``from`` on the wire). Floats that hold whole numbers are written as
integers so that ``63`` never becomes ``63.0`` in an export.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

from claimledger import records

T = TypeVar("T")

WIRE_NAMES = {"from_": "from"}  # Python field name -> contract name, where Python forbids the contract's


@cache
def _wire_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(wire name, attribute) of a record class's fields: asked once per class, not per record
    (``dataclasses.fields`` per value was a tenth of the ledger writer's serialising)."""
    return tuple((WIRE_NAMES.get(f.name, f.name), f.name) for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {wire: _plain(getattr(value, name)) for wire, name in _wire_fields(type(value))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def to_dict(record: Any) -> dict:
    """A record (or list of records) as plain JSON-ready data."""
    return _plain(record)


def dumps(record: Any) -> str:
    """One JSON line; non-ASCII kept as is, since evidence quotes are Cyrillic or curly-quoted."""
    return json.dumps(_plain(record), ensure_ascii=False)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(records))


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if origin is list:
        (inner,) = typing.get_args(tp)
        return [_convert(inner, v) for v in value]
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    return value


def from_dict(cls: type[T], data: dict) -> T:
    """Rebuild a record from :func:`to_dict` output; unknown keys are ignored (newer writers)."""
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        wire = WIRE_NAMES.get(f.name, f.name)
        if wire in data:
            kwargs[f.name] = _convert(hints[f.name], data[wire])
    return cls(**kwargs)


def loads_doc(line: str) -> records.DocResult:
    return from_dict(records.DocResult, json.loads(line))
