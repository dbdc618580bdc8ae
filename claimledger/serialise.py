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
# Optional fields added after the contract was fixed, written only when they differ from their
# default: the JSON of every record that does not use them stays byte for byte what it was, and
# readers that predate them see nothing new (from_dict fills the default back in).
OMIT_WHEN_DEFAULT = {("Place", "unresolved")}
_UNSET = object()
_OMITTING = {cls for cls, _ in OMIT_WHEN_DEFAULT}


@cache
def _wire_fields(cls: type) -> tuple[tuple[str, str, Any], ...]:
    """(wire name, attribute, default to omit or _UNSET) of a record class's fields: asked once per
    class, not per record (``dataclasses.fields`` per value was a tenth of the ledger writer's
    serialising)."""
    return tuple((WIRE_NAMES.get(f.name, f.name), f.name,
                  f.default if (cls.__name__, f.name) in OMIT_WHEN_DEFAULT else _UNSET)
                 for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = _wire_fields(type(value))
        if type(value).__name__ not in _OMITTING:
            return {wire: _plain(getattr(value, name)) for wire, name, _ in fields}
        return {wire: _plain(v) for wire, name, omit in fields
                if (v := getattr(value, name)) is not omit and (omit is _UNSET or v != omit)}
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
