"""Dates as people type them, read with python-dateutil plus a small layer of words.

`parse_when(text, now)` reads, in this order:

- offsets from now, keeping now's time of day: `+3d`, `-2d`, `+2w`, `+1m` (months),
  `+4h`, `in 2 weeks`, `in a month`;
- a day word and an optional time: `today`, `tomorrow 3pm`, `yesterday`, `fri`,
  `next tue 10:00`; a weekday alone is the next one on or after today, `next` skips today;
- ISO 8601 (`2026-12-03 14:00`), tried before anything else so day-first never swaps it;
- what dateutil's parser reads without guessing (`Dec 3 14:00`, `3/12`, `3pm`): fields not
  typed come from the start of today, so `3pm` is 15:00 and `Dec 3` is midnight.

A leading `by`, `on` or `at` is ignored (`by fri`). A day without a time means its start
(00:00). The result is aware, in now's time zone (a time that the clocks skip is moved past
the gap). Anything else raises DateError: nothing is ever guessed from part of the text.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone, tzinfo

from typing import TYPE_CHECKING

from store import settings as config
from store.errors import InputError
from store.schema import YEARS

if TYPE_CHECKING:
    from dateutil.rrule import rrule

EXAMPLES = "2026-12-03 14:00, Dec 3 14:00, tomorrow 3pm, fri, next tue 10:00, +3d, in 2 weeks"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_NAMES = tuple(day[:3].capitalize() for day in WEEKDAYS)
MONTH_NAMES = tuple("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())
# A unit word (or its first letter in `+3d`) and the relativedelta argument it stands for.
UNITS = {"h": "hours", "d": "days", "w": "weeks", "m": "months", "y": "years"}
UNIT_WORDS = {"hour": "h", "day": "d", "week": "w", "month": "m", "year": "y"}
COUNT_WORDS = {"a": 1, "an": 1, "one": 1}

_SPACE = re.compile(r"\s+")
_FILLER = re.compile(r"^(?:by|on|at)\s+", re.IGNORECASE)
_OFFSET = re.compile(r"^([+-])\s*(\d{1,5})\s*([hdwmy])$", re.ASCII)
_IN = re.compile(r"^in\s+(\d{1,5}|an?|one)\s+(hour|day|week|month|year)s?$", re.ASCII)
_DAY = re.compile(r"^(?:(next|this)\s+)?([a-z]+)(?:\s+(?:at\s+)?(.+))?$")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.ASCII)


class DateError(InputError):
    """A date or time the user typed that cannot be read."""


def parse_when(text: str, now: datetime, *, dayfirst: bool = False) -> datetime:
    """What `text` means as an aware datetime in now's time zone; DateError if unreadable."""
    typed = _FILLER.sub("", _SPACE.sub(" ", str(text)).strip())
    words = typed.lower()
    if not words:
        raise DateError(f"type a date or time, e.g. {EXAMPLES}")
    try:
        when = (
            _offset(words, now)
            or _day_word(words, now)
            or _iso(typed, now)
            or _dateutil(typed, now, dayfirst)
        )
    except (ValueError, OverflowError) as exc:  # out-of-range parts: a 31 Feb, year 99999
        raise DateError(f"cannot read {typed!r} as a date: {_reason(exc)}") from None
    if when.year not in YEARS:  # the file keeps no other years (store.schema)
        raise DateError(f"{typed!r} is in the year {when.year}: use a date from "
                        f"{YEARS[0]} to {YEARS[-1]}")
    from dateutil import tz  # dateutil loads when a date is first worked out, not at start

    return tz.resolve_imaginary(when)


def _reason(exc: Exception) -> str:
    message = str(exc.args[0]) if exc.args else ""
    return message.split(":")[0] or "out of range"


def _offset(words: str, now: datetime) -> datetime | None:
    if match := _OFFSET.match(words):
        sign, count, unit = match.groups()
        amount = int(count) * (-1 if sign == "-" else 1)
    elif match := _IN.match(words):
        count, unit = match.groups()
        amount, unit = COUNT_WORDS.get(count) or int(count), UNIT_WORDS[unit]
    else:
        return None
    if unit == "h":  # hours are elapsed time, even across a clock change
        return (now.astimezone(timezone.utc) + timedelta(hours=amount)).astimezone(now.tzinfo)
    from dateutil.relativedelta import relativedelta

    return now + relativedelta(**{UNITS[unit]: amount})  # days and longer keep the time


def _day_word(words: str, now: datetime) -> datetime | None:
    match = _DAY.match(words)
    if not match:
        return None
    modifier, word, rest = match.groups()
    today = now.date()
    if word in ("today", "tomorrow", "yesterday") and not modifier:
        day = today + timedelta(days=("yesterday", "today", "tomorrow").index(word) - 1)
    elif (weekday := _weekday(word)) is not None:
        ahead = (weekday - today.weekday()) % 7
        if modifier == "next" and ahead == 0:
            ahead = 7
        day = today + timedelta(days=ahead)
    else:
        return None
    at = _time_of_day(rest) if rest else time()
    if at is None:  # `fri dec 4`: not a time after the day word; dateutil may read it
        return None
    return datetime.combine(day, at, tzinfo=now.tzinfo)


def _weekday(word: str) -> int | None:
    if word == "weds":
        return 2
    if len(word) >= 3:
        for index, name in enumerate(WEEKDAYS):
            if name.startswith(word):
                return index
    return None


def _time_of_day(text: str) -> time | None:
    if text in ("noon", "midday"):
        return time(12)
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half and not 1 <= hour <= 12:
        raise DateError(f"{text!r}: with am/pm the hour is 1 to 12")
    if half:
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DateError(f"{text!r} is not a time of day")
    return time(hour, minute)


def _iso(typed: str, now: datetime) -> datetime | None:
    from dateutil import parser  # 20 ms to import: only when a date is typed

    try:
        when = parser.isoparse(typed)
    except (ValueError, OverflowError):
        return None
    return _in_zone(when, now.tzinfo)


def _dateutil(typed: str, now: datetime, dayfirst: bool) -> datetime:
    if typed.isdigit():
        raise DateError(f"{typed!r} is only a number: add a month or a time, e.g. {EXAMPLES}")
    from dateutil import parser

    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    try:
        when = parser.parse(typed, default=midnight, dayfirst=dayfirst, tzinfos=_zone)
    except parser.ParserError:
        raise DateError(f"cannot read {typed!r} as a date; try e.g. {EXAMPLES}") from None
    return _in_zone(when, now.tzinfo)


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """The zone of a typed `+05:00` or `UTC`; abbreviations like CET are ambiguous."""
    if offset is not None:
        from dateutil import tz

        return tz.tzoffset(name, offset)
    if name is None:
        return None
    raise DateError(f"unknown time zone {name!r}: give an offset like +01:00, or leave it out")


def _in_zone(when: datetime, zone: tzinfo | None) -> datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=zone)
    return when.astimezone(zone)


def describe(dt: datetime, *, now: datetime | None = None, with_time: bool = True) -> str:
    """`Tue 1 Dec 15:00` in local time (English names, whatever the locale); no time at
    midnight or without with_time; the year when it is not now's year."""
    local = dt.astimezone()
    text = f"{DAY_NAMES[local.weekday()]} {local.day} {MONTH_NAMES[local.month - 1]}"
    if now is not None and local.year != now.astimezone().year:
        text += f" {local.year}"
    if with_time and (local.hour or local.minute):
        text += f" {local.hour:02d}:{local.minute:02d}"
    return text


def dayfirst_setting(settings: dict) -> bool:
    """Whether `3/12` means 3 December (the `dayfirst` setting; month first by default)."""
    return config.get(settings, config.DAYFIRST)


# -- keep-in-touch cadences -----------------------------------------------------------

_CADENCE = re.compile(r"^(?:every\s+)?(\d{1,3})?\s*(d|w|m|y|day|week|month|year)s?$", re.ASCII)
_NAMED_CADENCE = {"daily": "1d", "weekly": "1w", "monthly": "1m", "yearly": "1y"}


def cadence_text(text: str) -> str:
    """A cadence in its stored form: `6w`, `3m`, `every 2 months` → `2m`, `monthly` → `1m`;
    a DateError naming the forms it reads."""
    words = _SPACE.sub(" ", str(text)).strip().lower()
    match = _CADENCE.match(_NAMED_CADENCE.get(words, words))
    if not match or match[1] == "0":
        raise DateError(f"cannot read {text!r} as a cadence: try 6w, 3m, every 2 months "
                        "or monthly")
    return f"{int(match[1] or 1)}{match[2][0]}"


def cadence(text: str, start: datetime) -> rrule:
    """The rule `every N weeks/months` (`6w`, `3m`, `every 2 months`, `monthly`) from start.

    A monthly cadence from the 31st falls on the last day of shorter months.
    """
    from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

    spec = cadence_text(text)
    freqs = {"d": DAILY, "w": WEEKLY, "m": MONTHLY, "y": YEARLY}
    interval, freq = int(spec[:-1]), freqs[spec[-1]]
    if freq == MONTHLY and start.day > 28:
        return rrule(freq, interval=interval, dtstart=start,
                     bymonthday=(start.day, -1), bysetpos=1)
    return rrule(freq, interval=interval, dtstart=start)
