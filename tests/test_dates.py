"""Dates as people type them: the table of forms, garbage, DST edges, and a fuzz test."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.dates import DateError, cadence, dayfirst_setting, describe, parse_when
from store.errors import InputError
from tests.conftest import FIXED_NOW

BERLIN = ZoneInfo("Europe/Berlin")

# now is Monday 23 November 2026, 09:30 +01:00
FORMS = [
    ("2026-12-03 14:00", "2026-12-03T14:00:00+01:00"),
    ("2026-12-03T14:00", "2026-12-03T14:00:00+01:00"),
    ("2026-12-03T14:00+05:00", "2026-12-03T10:00:00+01:00"),
    ("Dec 3 14:00", "2026-12-03T14:00:00+01:00"),
    ("dec 3", "2026-12-03T00:00:00+01:00"),
    ("3 December 2027 9am", "2027-12-03T09:00:00+01:00"),
    ("3/12", "2026-03-12T00:00:00+01:00"),
    ("3pm", "2026-11-23T15:00:00+01:00"),
    ("15:00 UTC", "2026-11-23T16:00:00+01:00"),
    ("today", "2026-11-23T00:00:00+01:00"),
    ("today 17:45", "2026-11-23T17:45:00+01:00"),
    ("tomorrow 3pm", "2026-11-24T15:00:00+01:00"),
    ("Tomorrow at 3:30pm", "2026-11-24T15:30:00+01:00"),
    ("tomorrow noon", "2026-11-24T12:00:00+01:00"),
    ("yesterday", "2026-11-22T00:00:00+01:00"),
    ("fri", "2026-11-27T00:00:00+01:00"),
    ("Friday", "2026-11-27T00:00:00+01:00"),
    ("mon", "2026-11-23T00:00:00+01:00"),
    ("next mon", "2026-11-30T00:00:00+01:00"),
    ("next tue 10:00", "2026-11-24T10:00:00+01:00"),
    ("weds 12:30pm", "2026-11-25T12:30:00+01:00"),
    ("sun 12am", "2026-11-29T00:00:00+01:00"),
    ("fri dec 4", "2026-12-04T00:00:00+01:00"),
    ("+3d", "2026-11-26T09:30:00+01:00"),
    ("+2w", "2026-12-07T09:30:00+01:00"),
    ("+1m", "2026-12-23T09:30:00+01:00"),
    ("+ 4h", "2026-11-23T13:30:00+01:00"),
    ("-2d", "2026-11-21T09:30:00+01:00"),
    ("in 2 weeks", "2026-12-07T09:30:00+01:00"),
    ("in a month", "2026-12-23T09:30:00+01:00"),
    ("in 1 day", "2026-11-24T09:30:00+01:00"),
    ("by fri", "2026-11-27T00:00:00+01:00"),
    ("  BY   Fri  ", "2026-11-27T00:00:00+01:00"),
    ("on dec 3", "2026-12-03T00:00:00+01:00"),
]

GARBAGE = [
    "",
    "   ",
    "garbage",
    "in 2 weks",  # fuzzy parsing would have made this the 2nd of the month
    "in two weeks",
    "next",
    "tomorrow 25:00",
    "tomorrow 13:75",
    "tomorrow 0am",
    "fri banana",
    "99",
    "5",
    "31/2",
    "feb 30",
    "Dec 3 CET",
    "+0d" "x",
    "+99999y",
    "+3q",
    "2026-13-45",
    "\x00",
    "[bold]fri[/]",
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_each_form_reads_as_expected(text, expected):
    assert parse_when(text, FIXED_NOW).isoformat() == expected


def test_day_first_is_a_setting_and_never_swaps_iso():
    assert parse_when("3/12", FIXED_NOW, dayfirst=True).isoformat() == "2026-12-03T00:00:00+01:00"
    assert parse_when("2026-12-03", FIXED_NOW, dayfirst=True).isoformat() == (
        "2026-12-03T00:00:00+01:00"
    )
    assert dayfirst_setting({}) is False
    assert dayfirst_setting({"dayfirst": True}) is True


def test_untyped_minutes_are_zero_not_now():
    """`3pm` at 09:30 is 15:00, not 15:30 (dateutil fills missing fields from default=)."""
    assert parse_when("3pm", FIXED_NOW.replace(minute=47, second=12)).minute == 0


@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_is_a_date_error_with_a_message(text):
    with pytest.raises(DateError) as caught:
        parse_when(text, FIXED_NOW)
    assert isinstance(caught.value, InputError)
    assert str(caught.value)
    assert "\n" not in str(caught.value)


# DST in Berlin, 2026: clocks go forward on Sun 29 Mar 02:00, back on Sun 25 Oct 03:00.
DST = [
    # (now, typed, expected)
    (datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN), "+1d", "2026-03-29T10:00:00+02:00"),
    (datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN), "+24h", "2026-03-29T11:00:00+02:00"),
    (datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN), "tomorrow 2:30", "2026-03-29T03:30:00+02:00"),
    (datetime(2026, 3, 28, 2, 30, tzinfo=BERLIN), "+1d", "2026-03-29T03:30:00+02:00"),
    (datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN), "2026-03-29 02:30", "2026-03-29T03:30:00+02:00"),
    (datetime(2026, 2, 10, 10, 0, tzinfo=BERLIN), "Mar 30 10:00", "2026-03-30T10:00:00+02:00"),
    (datetime(2026, 10, 24, 9, 0, tzinfo=BERLIN), "tomorrow 2:30", "2026-10-25T02:30:00+02:00"),
    (datetime(2026, 10, 24, 9, 0, tzinfo=BERLIN), "+1w", "2026-10-31T09:00:00+01:00"),
    (datetime(2026, 10, 25, 0, 30, tzinfo=BERLIN), "in 3 hours", "2026-10-25T02:30:00+01:00"),
]


@pytest.mark.parametrize(("now", "text", "expected"), DST)
def test_dst_edges(now, text, expected):
    assert parse_when(text, now).isoformat() == expected


def test_result_is_in_nows_zone():
    other = FIXED_NOW.astimezone(timezone(timedelta(hours=-5)))
    assert parse_when("tomorrow 3pm", other).isoformat() == "2026-11-24T15:00:00-05:00"


@pytest.fixture
def paris(monkeypatch):
    """Local time one hour ahead of UTC in November, like the fixed clock."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2026-12-01T15:00:00+01:00", "Tue 1 Dec 15:00"),
        ("2026-12-01T14:00:00+00:00", "Tue 1 Dec 15:00"),  # shown in local time
        ("2026-11-27T00:00:00+01:00", "Fri 27 Nov"),  # a day without a time
        ("2027-01-04T09:05:00+01:00", "Mon 4 Jan 2027 09:05"),  # not this year
        ("2026-07-04T09:05:00+02:00", "Sat 4 Jul 09:05"),  # summer time
    ],
)
def test_describe_shows_local_time(paris, iso, shown):
    assert describe(datetime.fromisoformat(iso), now=FIXED_NOW) == shown


def test_describe_echoes_what_was_typed(paris):
    assert describe(parse_when("+2d", FIXED_NOW)) == "Wed 25 Nov 09:30"
    assert describe(parse_when("+2d", FIXED_NOW), with_time=False) == "Wed 25 Nov"


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_reads_or_raises_date_error(text):
    _reads_or_date_error(text)


WORDS = st.sampled_from(
    "next this by in at on + - : / . a an today tomorrow fri tue mon dec march 3 12 31 2026 "
    "99999 0 pm am noon d w m h y weeks month UTC +05:00 T Z 14:00 2026-12-03".split()
)


@given(st.lists(WORDS, max_size=6).map(" ".join))
@settings(max_examples=500, deadline=None)
def test_plausible_word_salad_reads_or_raises_date_error(text):
    _reads_or_date_error(text)


def _reads_or_date_error(text: str) -> None:
    try:
        when = parse_when(text, FIXED_NOW)
    except DateError:
        return
    assert when.tzinfo is not None


CADENCES = [
    ("6w", datetime(2026, 11, 23, 9, 30, tzinfo=BERLIN), "2027-01-04T09:30:00+01:00"),
    ("3m", datetime(2026, 11, 23, 9, 30, tzinfo=BERLIN), "2027-02-23T09:30:00+01:00"),
    ("every 2 weeks", datetime(2026, 11, 23, tzinfo=BERLIN), "2026-12-07T00:00:00+01:00"),
    ("monthly", datetime(2026, 1, 31, tzinfo=BERLIN), "2026-02-28T00:00:00+01:00"),
    ("1y", datetime(2026, 3, 1, tzinfo=BERLIN), "2027-03-01T00:00:00+01:00"),
]


@pytest.mark.parametrize(("text", "start", "expected"), CADENCES)
def test_cadence_next_date(text, start, expected):
    assert cadence(text, start).after(start).isoformat() == expected


@pytest.mark.parametrize("text", ["", "0w", "sometimes", "6x", "w6"])
def test_unreadable_cadence_is_a_date_error(text):
    with pytest.raises(DateError):
        cadence(text, FIXED_NOW)
