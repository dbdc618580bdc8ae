"""Two guards every input path shares (files, JSONL lines, ``--records``, the write API)."""

from __future__ import annotations

import json
import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and surrogates no UTF-8 encoder accepts


def storable(text: str) -> str:
    """``text`` with the characters no database takes replaced by U+FFFD, one for one.

    PostgreSQL refuses NUL in text, and no driver encodes a lone surrogate (JSON's ``"\\ud800"``
    decodes to one); SQLite would store a NUL. Replacing them at the door makes both stores
    accept the same inputs, and one for one keeps every offset into the text where it was.
    """
    return _UNSTORABLE.sub("\ufffd", text) if _UNSTORABLE.search(text) else text


def parse_json(text: str) -> object | str:
    """The JSON value, or one line saying why it is not one (never an exception).

    Beyond malformed JSON, a line of 100,000 ``[`` raises RecursionError and a 5,000-digit number
    ValueError; either would otherwise end a whole batch.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return f"malformed JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return "JSON nested too deeply (more than about 1,000 levels); an article is one flat object"
    except ValueError as exc:
        return f"JSON value out of range ({str(exc).split(':')[0]})"



def storable_record(obj):
    """A record (dataclasses, lists, dicts of them) with :func:`storable` applied to every string,
    in place; for what arrives already parsed (an extract record, a result built in code)."""
    if isinstance(obj, str):
        return storable(obj)
    if isinstance(obj, list):
        obj[:] = [storable_record(v) for v in obj]
    elif isinstance(obj, dict):
        for k in list(obj):
            obj[k] = storable_record(obj[k])
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:
            value = getattr(obj, name)
            if value is not None and not isinstance(value, int | float | bool):
                setattr(obj, name, storable_record(value))
    return obj
