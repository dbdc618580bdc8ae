"""Errors shared by several stages, kept beside the records so no stage imports another for them.

An :class:`InputError` is a value, not an exception: readers yield it in place of the article
they could not read, so one broken input in a batch of 10,000 costs that input only, and every
later stage (the runner, the ledger, the API) reports it with its origin.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InputError:
    """An input that could not be turned into an article: where it came from, and why, in one line."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


class UnsupportedLanguage(Exception):
    """A report in a language the rules do not read: that report fails, with the language named."""

    def __init__(self, language: str):
        super().__init__(f"unsupported language: {language} (claimledger reads English reports only)")
        self.language = language
