"""A day counted back from "now" inside a dated statement, and a tally's bare window ("in 24 hours").

Invented sentences; 2022-10-14 is a Friday, so "Wednesday" in a report of that day is 2022-10-12.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from claimledger.analyse.dates import date_component, find_dates
from claimledger.analyse.sentences import sentence_component
from claimledger.pipeline import Document
from claimledger.records import Article


def dated(text: str, published: str) -> dict[str, tuple[str | None, str | None]]:
    doc = Document(article=Article(text=text, published=published), text=text,
                   meta=SimpleNamespace(published=published))
    sentence_component(doc)
    date_component(doc)
    return {d.text: (d.start_date, d.end_date) for d in doc.dates}


@pytest.mark.parametrize("text, mention, expected", [
    # a quote's "yesterday" is the day before the statement, not before the report
    ('"My uncle was shot yesterday outside the bakery," his niece wrote Wednesday on Telegram.',
     "yesterday", ("2022-10-11", "2022-10-11")),
    # a ministry's 24-hour tally ends on the day it was given
    ("Over the past 24 hours, 12 civilians were wounded in the region, the ministry said on Wednesday.",
     "Over the past 24 hours", ("2022-10-11", "2022-10-12")),
    ('"We will try to leave tomorrow," she wrote on Tuesday.', "tomorrow", ("2022-10-12", "2022-10-12")),
    ("Drones struck the depot overnight, the governor said Wednesday morning.", "overnight",
     ("2022-10-11", "2022-10-11")),
])
def test_counted_from_a_dated_statement(text, mention, expected):
    assert dated(text, "2022-10-14")[mention] == expected


@pytest.mark.parametrize("text, mention, expected", [
    # a statement made on the report's own day changes nothing
    ("Drones struck the depot overnight, the governor said Friday.", "overnight", ("2022-10-13", "2022-10-13")),
    # the statement's day only reaches words of its own sentence
    ("The governor spoke on Wednesday. Drones struck the depot yesterday.", "yesterday", ("2022-10-13", "2022-10-13")),
    # a weekday is no count from "now": "Monday" in a Friday report stays that week's Monday
    ("The depot was hit on Monday, the governor said Wednesday.", "Monday", ("2022-10-10", "2022-10-10")),
])
def test_what_a_statement_day_leaves_alone(text, mention, expected):
    assert dated(text, "2022-10-14")[mention] == expected


@pytest.mark.parametrize("text, expected", [
    ("In 24 hours, nine soldiers were killed near the river.", ("2022-10-13", "2022-10-14")),
    ("Artillery hit four villages over 24 hours, killing two, officials said.", ("2022-10-13", "2022-10-14")),
    ("in 48 hours, the hospital took in 40 wounded", ("2022-10-12", "2022-10-14")),
])
def test_a_tally_window_without_the_past(text, expected):
    (m,) = [d for d in find_dates(text, "2022-10-14") if d.start_date]
    assert (m.start_date, m.end_date) == expected and m.kind == "period"


@pytest.mark.parametrize("text", [
    "The city was without power for over 24 hours.",
    "The siege lasted over 48 hours.",
    "Residents were told to leave within 24 hours.",
    "The ceasefire will end in three days.",
    "Talks resumed after more than 24 hours.",
    "She resigned a little over 24 hours after she vowed to stay.",
    "Rescuers reached the village in 48 hours of driving.",
])
def test_a_duration_or_deadline_is_no_tally_window(text):
    assert [d.text for d in find_dates(text, "2022-10-14") if d.start_date] == []
