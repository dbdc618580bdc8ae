"""Calendar days as the ledger stores them: ``YYYY-MM-DD`` strings, read in one place.

Inputs give days in many shapes (a feed's RFC 3339 timestamp, a record's ``2022-03-16``, a
truncated or invalid string); everything that stores or compares a day goes through here so a
bad date becomes "no date", never a crash or a string that sorts wrongly.
"""

from __future__ import annotations

import datetime as dt


def valid_date(value: str | None) -> str | None:
    """The ISO day a value starts with (``"2022-03-16T08:00:00Z"`` -> ``"2022-03-16"``), else None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def as_day(value: str | None) -> dt.date | None:
    """The calendar day a value starts with, for arithmetic on days (an incident's age), else None."""
    day = valid_date(value)
    return dt.date.fromisoformat(day) if day else None
