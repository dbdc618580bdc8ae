"""Errors a user can fix (bad URL, unwritable path, newer schema), worded as one line each."""

from __future__ import annotations


class StoreError(Exception):
    """The ledger cannot be opened or written for a reason the user can act on.

    The CLI turns it into its one-line ``UserError`` message; the web API into a 503. The text never
    contains a password from the URL.
    """
