"""Date mentions and their resolution: invented sentences, each with its publication day."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.analyse.dates import DateMention, anchor_date, date_component, find_dates


def found(text: str, published: str | None) -> list[tuple[str, str | None]]:
    return [(m.text, m.date) for m in find_dates(text, published)]


def only(text: str, published: str | None) -> DateMention:
    ms = find_dates(text, published)
    assert len(ms) == 1, [m.text for m in ms]
    return ms[0]


# ---------------------------------------------------------------- weekdays
# 2023-01-02 is a Monday; 2022-07-10 a Sunday; 2022-04-08 a Friday.

@pytest.mark.parametrize("text, published, expected", [
    ("Officials said Monday that the toll rose.", "2023-01-02", "2023-01-02"),          # same weekday: that day
    ("On Monday, drones hit the capital.", "2023-01-02", "2023-01-02"),
    ("Explosions were heard Monday evening.", "2023-01-03", "2023-01-02"),
    ("Rockets struck the station on Friday morning.", "2022-04-08", "2022-04-08"),
    ("Rockets struck the station on Friday morning.", "2022-04-09", "2022-04-08"),
    ("The attack came on Saturday night.", "2022-07-10", "2022-07-09"),
    ("The attack occurred overnight Saturday in the town.", "2022-07-10", "2022-07-09"),
    ("Shelling resumed on Sunday.", "2022-07-16", "2022-07-10"),                      # six days back
    ("The talks began Tuesday.", "2022-07-18", "2022-07-12"),                        # Monday report: last Tuesday
    ("late Thursday the bridge was hit.", "2022-07-16", "2022-07-14"),
])
def test_weekday_is_latest_on_or_before_publication(text, published, expected):
    m = only(text, published)
    assert m.date == expected
    assert m.kind == "relative" and m.anchor == "published"


def test_weekday_phrases_keep_part_of_day_in_the_span():
    text = "Four loud explosions were heard Monday evening by reporters."
    m = only(text, "2023-01-02")
    assert m.text == "Monday evening"
    assert text[m.start:m.end] == m.text


def test_last_and_next_weekday():
    assert only("It was agreed last Monday.", "2023-01-02").date == "2022-12-26"
    assert only("They meet next Monday.", "2023-01-02").date == "2023-01-09"
    assert only("They meet next Friday.", "2023-01-02").date == "2023-01-06"


def test_overnight_into_a_weekday_starts_the_evening_before():
    m = only("Drones attacked overnight into Sunday.", "2022-07-10")
    assert (m.start_date, m.end_date) == ("2022-07-09", "2022-07-10")


def test_two_weekdays_joined_make_a_span():
    m = only("Strikes on Saturday and Sunday killed five.", "2022-07-11")
    assert (m.start_date, m.end_date) == ("2022-07-09", "2022-07-10")


def test_black_friday_is_not_a_date():
    assert found("Shops reported Black Friday sales.", "2022-11-30") == []


# ---------------------------------------------------------------- deictic and anaphoric words

@pytest.mark.parametrize("word, expected", [
    ("today", "2022-07-12"), ("this morning", "2022-07-12"), ("tonight", "2022-07-12"),
    ("yesterday", "2022-07-11"), ("last night", "2022-07-11"), ("overnight", "2022-07-11"),
    ("the day before yesterday", "2022-07-10"), ("tomorrow", "2022-07-13"),
])
def test_deictic_words(word, expected):
    m = only(f"Shelling killed three people {word}, officials said.", "2022-07-12")
    assert m.text == word and m.date == expected


def test_capitalised_at_sentence_start():
    assert found("Yesterday two died. Overnight a depot burned.", "2022-07-12") == [
        ("Yesterday", "2022-07-11"), ("Overnight", "2022-07-11")]


def test_the_day_before_counts_from_the_previous_mention():
    text = "About 20,000 people left on Tuesday. The day before, officials said 400 were held."
    assert found(text, "2022-03-16") == [("Tuesday", "2022-03-15"), ("The day before", "2022-03-14")]
    assert find_dates(text, "2022-03-16")[1].anchor == "previous"


def test_anaphor_without_a_previous_mention_uses_publication():
    assert found("A day earlier, the mayor warned of strikes.", "2022-03-16") == [("A day earlier", "2022-03-15")]


@pytest.mark.parametrize("phrase, expected", [
    ("the next day", "2022-03-10"), ("a day after", "2022-03-10"), ("the following day", "2022-03-10"),
    ("two days later", "2022-03-11"), ("the previous day", "2022-03-08"), ("earlier in the day", "2022-03-09"),
])
def test_anaphors_after_an_absolute_date(phrase, expected):
    text = f"A maternity hospital was bombed on March 9. Rescuers returned {phrase}."
    assert found(text, "2022-03-16")[1] == (phrase, expected)


def test_anaphor_skips_vague_mentions():
    text = "The strike came on Tuesday. Earlier this month, more died. The next day, talks began."
    assert found(text, "2022-03-16")[-1] == ("The next day", "2022-03-16")


# ---------------------------------------------------------------- holidays

@pytest.mark.parametrize("text, published, expected", [
    ("The strike on New Year's Eve killed 63.", "2023-01-02", "2022-12-31"),
    ("The strike on New Year’s Eve killed 63.", "2023-01-02", "2022-12-31"),      # curly apostrophe
    ("Bombardments marked the New Year in the capital.", "2023-01-02", "2023-01-01"),
    ("Shelling continued on Christmas Day.", "2022-12-27", "2022-12-25"),
    ("Shelling continued on Christmas Day.", "2023-01-04", "2022-12-25"),          # across the new year
    ("Troops were told to hold until Christmas.", "2022-12-20", "2022-12-25"),     # days ahead: this year's
    ("Parades were cancelled on Victory Day.", "2022-05-10", "2022-05-09"),
    ("Churches were hit on Orthodox Easter.", "2022-04-25", "2022-04-24"),
    ("Churches were hit on Easter Sunday.", "2023-04-10", "2023-04-09"),
    ("A ceasefire was proposed for Orthodox Christmas.", "2023-01-05", "2023-01-07"),
])
def test_holidays(text, published, expected):
    m = only(text, published)
    assert m.date == expected and m.kind == "absolute"


# ---------------------------------------------------------------- periods

def test_past_24_hours_dates_to_the_start_of_the_period():
    m = only("Shelling over the past 24 hours killed at least 16 civilians.", "2022-07-12")
    assert (m.start_date, m.end_date, m.kind) == ("2022-07-11", "2022-07-12", "period")
    assert only("In the past day, 12 were wounded.", "2022-07-12").date == "2022-07-11"


def test_last_week_is_the_previous_calendar_week():
    m = only("The governor last week urged residents to leave.", "2022-07-13")    # a Wednesday
    assert (m.start_date, m.end_date) == ("2022-07-04", "2022-07-10")


def test_this_week_and_earlier_this_week():
    assert only("Leaders meet this week.", "2022-07-13").start_date == "2022-07-11"
    m = only("Earlier this week, officials said 30 died.", "2022-07-13")
    assert (m.start_date, m.end_date) == ("2022-07-11", "2022-07-12")


@pytest.mark.parametrize("published, expected", [
    ("2022-07-10", ("2022-07-09", "2022-07-10")),   # Sunday report: this weekend
    ("2022-07-11", ("2022-07-09", "2022-07-10")),   # Monday report: the weekend just gone
    ("2022-07-14", ("2022-07-09", "2022-07-10")),
])
def test_over_the_weekend(published, expected):
    m = only("A missile strike killed 19 over the weekend, officials said.", published)
    assert (m.start_date, m.end_date) == expected


def test_long_spans_are_vague():
    assert only("Prices fell over the past two weeks.", "2022-07-12").date is None
    assert only("Prices fell over the past two weeks.", "2022-07-12").kind == "vague"


# ---------------------------------------------------------------- absolute dates

@pytest.mark.parametrize("text, published, mention, expected", [
    ("After Russia bombed a maternity hospital on March 9, the minister spoke.", "2022-03-16", "March 9", "2022-03-09"),
    ("It was first seen on 15 April 2022 near the river.", "2022-05-01", "15 April 2022", "2022-04-15"),
    ("The invasion began Feb. 24, officials noted.", "2022-05-01", "Feb. 24", "2022-02-24"),
    ("The invasion began 24 February 2022.", None, "24 February 2022", "2022-02-24"),
    ("Data for 2022-06-28 were released.", None, "2022-06-28", "2022-06-28"),
    ("Photographed in the town, Sunday, July 10, 2022.", "2022-07-10", "Sunday, July 10, 2022", "2022-07-10"),
    ("It was set for the 9th of March.", "2022-03-01", "the 9th of March", "2022-03-09"),
    ("The form was dated 15.04.2022.", None, "15.04.2022", "2022-04-15"),
    ("The form was dated 04/15/2022.", None, "04/15/2022", "2022-04-15"),   # month-first only when day > 12
    ("The note was dated 9-March-2022 in pen.", None, "9-March-2022", "2022-03-09"),   # dateparser fallback
])
def test_absolute_forms(text, published, mention, expected):
    m = only(text, published)
    assert (m.text, m.date) == (mention, expected)
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text, published, expected", [
    ("Troops withdrew on December 30.", "2023-01-02", "2022-12-30"),     # January report, December event
    ("A summit is planned for January 5.", "2022-12-29", "2023-01-05"),  # December report, January plan
    ("A summit is set for February 3.", "2023-01-02", "2023-02-03"),     # a month ahead: still upcoming
    ("Land occupied after February 24 was freed.", "2023-01-02", "2022-02-24"),  # too far ahead: last year
    ("The dam burst on September 5.", "2022-07-01", "2021-09-05"),
])
def test_year_of_a_month_day(text, published, expected):
    assert only(text, published).date == expected


def test_date_ranges():
    m = only("Fighting raged between March 1 and March 5 near the city.", "2022-04-01")
    assert (m.text, m.start_date, m.end_date, m.kind) == ("between March 1 and March 5", "2022-03-01", "2022-03-05", "period")
    m = only("Drills ran March 1-5.", "2022-04-01")
    assert (m.start_date, m.end_date) == ("2022-03-01", "2022-03-05")
    assert [m.date for m in find_dates("Strikes on March 5 and March 7.", "2022-04-01")] == ["2022-03-05", "2022-03-07"]


# ---------------------------------------------------------------- vague expressions resolve to null

@pytest.mark.parametrize("phrase", [
    "earlier this month", "late June", "this month", "since February", "since the start of the war",
    "in recent weeks", "last month", "in 2014", "since February 24", "since 2014", "early March",
    "in March", "last year", "recently",
])
def test_vague_expressions_are_kept_with_null_dates(phrase):
    m = only(f"More than 1,000 civilians have been killed {phrase}, officials said.", "2022-07-12")
    assert m.kind == "vague" and m.start_date is None and m.end_date is None
    assert phrase.endswith(m.text) or m.text.startswith("since")


def test_since_swallows_the_date_after_it():
    ms = find_dates("Russia has fired 3,000 missiles since February 24.", "2022-07-12")
    assert [(m.text, m.kind) for m in ms] == [("since February 24", "vague")]


# ---------------------------------------------------------------- no publication date

def test_relative_words_keep_their_text_without_publication():
    ms = find_dates("On Monday, two missiles struck. Yesterday a depot burned on March 9.", None)
    assert [(m.text, m.date) for m in ms] == [("Monday", None), ("Yesterday", None), ("March 9", None)]


def test_explicit_dates_resolve_without_publication():
    assert found("Troops entered the town on 15 April 2022.", None) == [("15 April 2022", "2022-04-15")]


def test_acled_note_anchors_later_relative_words():
    note = ("On 15 April 2022, Russian forces shelled Balakliia, Kharkiv. Overnight, two drones were "
            "shot down. The next day, a further strike killed one civilian on 17 April.")
    ms = find_dates(note, None)
    assert [(m.text, m.date) for m in ms] == [
        ("15 April 2022", "2022-04-15"), ("Overnight", "2022-04-15"), ("The next day", "2022-04-16"),
        ("17 April", "2022-04-17")]
    assert ms[1].anchor == "text"
    assert anchor_date(note) == "2022-04-15"


def test_acled_note_with_a_label_and_a_weekday():
    note = "Interception: On 9 April 2022, Ukrainian forces shot down a drone. Shelling on Friday followed."
    assert found(note, None) == [("9 April 2022", "2022-04-09"), ("Friday", "2022-04-08")]


def test_a_full_date_late_in_an_undated_article_is_no_anchor():
    text = ("Officials said on Monday that the toll had risen again, and rescuers kept working. "
            "The war began on 24 February 2022. On Tuesday more died.")
    assert found(text, None) == [("Monday", None), ("24 February 2022", "2022-02-24"), ("Tuesday", None)]
    assert anchor_date(text) is None


def test_year_of_an_undated_note_comes_from_its_own_full_date():
    assert found("On 3 March 2022 forces advanced; by 5 March they held the bridge.", None) == [
        ("3 March 2022", "2022-03-03"), ("5 March", "2022-03-05")]


@pytest.mark.parametrize("text, published, expected", [
    ("Raiders torched two houses on 04/03.", "2019-03-10", [("04/03", "2019-03-04")]),
    ("Three were killed on the night of 22/02.", "2019-03-10", [("22/02", "2019-02-22")]),
    ("The attack occurred on or before 25/01.", "2019-03-10", [("25/01", "2019-01-25")]),
    ("Two died on 28/12.", "2019-01-05", [("28/12", "2018-12-28")]),          # never a day after the report
    ("Clashes on 12/02. The note was filed on 20 February 2018.", None,
     [("12/02", "2018-02-12"), ("20 February 2018", "2018-02-20")]),
    ("Clashes took place on 12/02.", None, [("12/02", None)]),                 # no year anywhere: undated
])
def test_day_and_month_in_figures_without_a_year(text, published, expected):
    assert found(text, published) == expected


def test_figures_with_a_slash_are_no_day_without_a_date_word():
    assert found("The team won 3/4 of its games; 12/05 of the votes.", "2019-03-10") == []


# ---------------------------------------------------------------- things that are not dates

@pytest.mark.parametrize("text", [
    "The curfew starts at 10:30 and lasts until 06:00.",
    "The conflict has gone on for almost eight years.",
    "Ten months after the invasion, the front is static.",
    "A 24-year-old soldier and a man aged 45 were hurt.",
    "The hotline is open 24/7.",
    "In the near future, this number may increase.",
    "May God protect them, he said.",
    "War in Ukraine, Day 312: heavy losses.",
    "In April 30 people were killed in the region.",
    "Some 12,022 homes lost power.",
    "A March report found 20 sites damaged.",
])
def test_not_dates(text):
    assert found(text, "2022-07-12") == []


# ---------------------------------------------------------------- shape of the output

def test_mentions_are_in_text_order_and_index_the_text():
    text = ("On New Year's Eve a strike killed 63. On Monday evening explosions were heard. "
            "The army had shot down 80 drones since the beginning of 2023, and 40% of land occupied "
            "after February 24 was freed. A summit is due on February 3.")
    ms = find_dates(text, "2023-01-02")
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    assert all(text[m.start:m.end] == m.text for m in ms)
    assert [m.date for m in ms] == ["2022-12-31", "2023-01-02", None, "2022-02-24", "2023-02-03"]


def test_to_span_and_component():
    doc = SimpleNamespace(text="Rockets struck on Friday.", meta=SimpleNamespace(published="2022-04-09"), dates=[])
    date_component(doc)
    assert len(doc.dates) == 1
    span = doc.dates[0].to_span()
    assert (span.text, span.start, span.end) == ("Friday", "2022-04-08", "2022-04-08")


def test_reporting_dates_are_flagged():
    ms = find_dates("A strike Saturday killed 38, officials said Tuesday afternoon.", "2022-07-12")
    assert [(m.text, m.reporting) for m in ms] == [("Saturday", False), ("Tuesday afternoon", True)]
    assert only("The mayor, telling CNN on Tuesday, gave no toll.", "2022-07-12").reporting
    assert only("Officials on Monday said five died.", "2022-07-12").reporting
    assert not only("Five died on Monday in the city.", "2022-07-12").reporting


@pytest.mark.parametrize("published, expected", [
    ("2023-04-20", "2023-04-16"), ("2024-05-06", "2024-05-05"), ("2021-05-03", "2021-05-02"),
])
def test_orthodox_easter_dates(published, expected):
    assert only("Strikes continued on Orthodox Easter.", published).date == expected


_VOCAB = ["Monday", "Friday", "evening", "overnight", "into", "Sunday", "on", "the", "day", "before", "next",
          "March", "May", "9", "24", "2022", "Feb.", "New", "Year's", "Eve", "since", "last", "week", "past",
          "24", "hours", "today", "yesterday", "between", "and", "to", "-", "two", "days", "later", "ago",
          "in", "late", "June", "killed", "said", ",", ".", "15.04.2022", "2022-06-28", "9-March-2022", "\n"]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(_VOCAB), max_size=30),
       published=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)).map(str)))
def test_any_word_salad_gives_consistent_mentions(words, published):
    text = " ".join(words)
    ms = find_dates(text, published)
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    for a, b in zip(ms, ms[1:], strict=False):
        assert a.end <= b.start
    for m in ms:
        assert text[m.start:m.end] == m.text and m.text.strip() == m.text
        assert m.kind in ("absolute", "relative", "period", "vague")
        if m.start_date:
            assert dt.date.fromisoformat(m.start_date) <= dt.date.fromisoformat(m.end_date)
        if m.kind == "vague":
            assert m.start_date is None and m.end_date is None


def test_holiday_names_inside_other_names_and_holidays_with_a_year():
    assert found("The Good Friday Agreement ended the conflict.", "2022-07-12") == []
    assert found("Troops fought through the Christmas of 1944.", "2022-07-12") == [("Christmas of 1944", "1944-12-25")]
