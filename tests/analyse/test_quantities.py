"""The schema's quantity table, row by row, plus what must not be read as a count."""

import pytest

from claimledger.analyse.quantities import find_quantities, parse_number


def one(text):
    qs = find_quantities(text)
    assert len(qs) == 1, [q.text for q in qs]
    q = qs[0]
    return q.value, q.min, q.max, q.approximate


@pytest.mark.parametrize("text,expected", [
    ("63 soldiers", (63, 63, 63, False)),
    ("sixty-three soldiers", (63, 63, 63, False)),
    ("more than 80 drones", (80, 81, None, False)),
    ("over 80 drones", (80, 81, None, False)),
    ("at least 80 people", (80, 80, None, False)),
    ("up to 10 units", (10, None, 10, False)),
    ("as many as 10 people", (10, None, 10, False)),
    ("nearly 400 soldiers", (400, None, 400, True)),
    ("almost 400 soldiers", (400, None, 400, True)),
    ("about 400 soldiers", (400, None, None, True)),
    ("some 400 soldiers", (400, None, None, True)),
    ("a dozen people", (12, None, None, True)),
    ("several people", (None, 3, 9, True)),
    ("dozens of people", (None, 24, 99, True)),
    ("scores of people", (None, 40, 199, True)),
    ("hundreds killed", (None, 200, 999, True)),
    ("thousands fled", (None, 2000, None, True)),
    ("tens of thousands fled", (None, 20000, 99999, True)),
    ("between 5 and 10 people", (None, 5, 10, False)),
    ("5 to 10 people", (None, 5, 10, False)),
    ("5-10 people", (None, 5, 10, False)),
    ("two dozen people", (24, None, None, True)),
    ("18 billion euros", (18_000_000_000, 18_000_000_000, 18_000_000_000, False)),
    ("40% of the territory", (40, 40, 40, False)),
    ("24 or more people", (24, 24, None, False)),
    ("1,351 troops", (1351, 1351, 1351, False)),
    ("3.5 million people", (3_500_000, 3_500_000, 3_500_000, False)),
])
def test_quantity_table(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text", [
    "a 7-month-old child", "at 10:30 a.m.", "on 15 April 2022", "since 2014", "Day 312", "Ka-52 helicopters",
    "155-mm caliber", "for ten years", "35 tons of aid", "four kilometers away", "24/7",
])
def test_not_counts(text):
    assert [q.text for q in find_quantities(text)] == []


def test_hedge_outside_quotes_is_a_preposition():
    # "tweeted about “two missiles”": "about" is not a hedge on a quoted number
    (q,) = find_quantities("Regional authorities tweeted about “two missiles” in Druzhkivka")
    assert (q.value, q.min, q.max, q.approximate) == (2, 2, 2, False)


def test_revision_is_two_numbers_not_a_range():
    qs = find_quantities("the toll rose from 15 to 38")
    assert [q.value for q in qs] == [15, 38]


@pytest.mark.parametrize("words,value", [("sixty-three", 63), ("one hundred and twenty", 120), ("a thousand", 1000),
                                         ("3.5 million", 3_500_000), ("1,351", 1351), ("18bn", 18_000_000_000)])
def test_parse_number(words, value):
    assert parse_number(words) == value
