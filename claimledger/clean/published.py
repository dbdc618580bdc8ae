"""Publication dates arrive as ISO dates, timestamps or prose; the pipeline needs YYYY-MM-DD or None."""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def normalise_published(value: str | None) -> tuple[str | None, str | None]:
    """(ISO date or None, a warning when a date was given but could not be read).

    An unreadable date is a warning, not a failure: claims keep their date text and leave the
    resolved date null rather than guess (schema, "Dates").
    """
    if value is None or not str(value).strip():
        return None, None
    value = str(value)
    m = _ISO.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), None
        except ValueError:
            return None, f"published date {value!r} is not a real date; relative dates left unresolved"
    import dateparser

    parsed = dateparser.parse(value[:60], languages=["en"], settings={"STRICT_PARSING": True})
    if parsed is None:
        return None, f"published date {value!r} is in an unknown format; relative dates left unresolved"
    return parsed.date().isoformat(), None
