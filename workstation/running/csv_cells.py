"""Reading one cell of a running export: dates, distances with their unit, durations, effort, yes/no.

Each reader returns the value, or raises ``CellUnreadable`` with a message for the user that says what the
cell should look like. Range rules (future dates, distance over 0, effort 0-10) are not here: they live in
``workstation.running.validation`` and apply to the run the cells make.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import Enum

from workstation.clinical.load import DistanceUnit, distance_to_km
from workstation.dates import DateOrder, parse_date


class CellUnreadable(ValueError):
    """A cell's text cannot be read as the value its column holds; the message says what was expected."""


class DurationFormat(Enum):
    """How a duration column writes its values; the user picks one in the mapping step."""

    MINUTES = "minutes"  # 42.5
    CLOCK = "clock"  # 1:02:30 or 42:30 (two parts are minutes and seconds)
    HOURS_MINUTES = "hours and minutes"  # 1:05 or 0:45 (two parts are hours and minutes, as people type them)
    SECONDS = "seconds"  # 2550


MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

UNIT_WORDS: dict[str, DistanceUnit] = {
    "km": "km",
    "kms": "km",
    "k": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "mi": "mi",
    "mile": "mi",
    "miles": "mi",
}

_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?\s*(Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + r"$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + _TIME + r"$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3,9})\.?,?[ \-](\d{4})" + _TIME + r"$")
_MONTH_DAY = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME + r"$")
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*([A-Za-z]*)$")
_CLOCK = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?$")
_DATE_HELP = "Write dates like 2026-03-14, {order} or 14 Mar 2026."


def read_date(text: str, order: DateOrder, zone: tzinfo) -> date:
    """A date as exports write it, with or without a time of day.

    A time with "Z" or an offset is converted to ``zone`` first, so a 6 am run in Sydney (evening before
    in UTC) keeps its Sydney date; a time without one is taken as local already.
    """
    text = text.strip()
    match: re.Match[str] | None
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups()[:3])
    elif match := _NUMERIC.match(text):
        numeric = parse_date("/".join(match.groups()[:3]), order)
        if numeric is None:
            raise CellUnreadable(f"'{text}' is not a real date in the order {order.pattern}.")
        year, month, day = numeric.year, numeric.month, numeric.day
    elif match := _DAY_MONTH.match(text):
        day, month, year = int(match[1]), _month(match[2], text), int(match[3])
    elif match := _MONTH_DAY.match(text):
        month, day, year = _month(match[1], text), int(match[2]), int(match[3])
    else:
        raise CellUnreadable(f"'{text}' is not a date. " + _DATE_HELP.format(order=order.pattern))
    try:
        day_only = date(year, month, day)
    except ValueError:
        raise CellUnreadable(f"'{text}' is not a real date.") from None
    hour, minute, second, meridiem, offset = match.groups()[3:]
    if offset is None or hour is None:
        return day_only
    clock = _clock_time(int(hour), int(minute), int(second or 0), meridiem, text)
    return datetime_to_local_date(datetime(year, month, day, *clock, tzinfo=_offset_zone(offset)), zone)


def datetime_to_local_date(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def read_utc_datetime(text: str) -> datetime:
    """Strava's "Mar 14, 2021, 6:55:51 PM" (or ISO "2021-03-14 18:55:51"), which is in UTC."""
    text = text.strip()
    match = _MONTH_DAY.match(text) or _DAY_MONTH.match(text) or _ISO.match(text)
    if match is None or match[4] is None:
        raise CellUnreadable(f"'{text}' is not a date and time like 'Mar 14, 2021, 6:55:51 PM'.")
    if match.re is _MONTH_DAY:
        month, day, year = _month(match[1], text), int(match[2]), int(match[3])
    elif match.re is _DAY_MONTH:
        day, month, year = int(match[1]), _month(match[2], text), int(match[3])
    else:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    clock = _clock_time(int(match[4]), int(match[5]), int(match[6] or 0), match[7], text)
    try:
        return datetime(year, month, day, *clock, tzinfo=UTC)
    except ValueError:
        raise CellUnreadable(f"'{text}' is not a real date.") from None


def _month(name: str, text: str) -> int:
    month = MONTHS.get(name.lower())
    if month is None:
        raise CellUnreadable(f"'{text}' has no month in it that can be read (write Jan, Feb, Mar...).")
    return month


def _clock_time(hour: int, minute: int, second: int, meridiem: str | None, text: str) -> tuple[int, int, int]:
    if meridiem is not None:
        if not 1 <= hour <= 12:
            raise CellUnreadable(f"'{text}' has an hour that is not on a 12-hour clock.")
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellUnreadable(f"'{text}' has a time of day that does not exist.")
    return hour, minute, second


def _offset_zone(offset: str) -> tzinfo:
    if offset.upper() == "Z":
        return UTC
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-delta if offset[0] == "-" else delta)


def read_number(text: str, *, decimal_comma: bool) -> tuple[float, str]:
    """A number and the word after it ("5.2 km" -> 5.2, "km"). A comma is a decimal mark only if allowed."""
    match = _NUMBER.match(text.strip())
    if match is None:
        raise CellUnreadable(f"'{text}' is not a number.")
    digits, word = match.groups()
    if "," in digits:
        if not decimal_comma:
            raise CellUnreadable(f"'{text}' has a comma in it: write the decimal point as '.'.")
        digits = digits.replace(",", ".")
    value = float(digits)
    if not math.isfinite(value):
        raise CellUnreadable(f"'{text}' is not a number.")
    return value, word.lower()


def read_distance(text: str, column_unit: DistanceUnit, *, decimal_comma: bool) -> float:
    """A distance in the column's unit, as km. A cell that names another unit is refused (mixed units)."""
    value, word = read_number(text, decimal_comma=decimal_comma)
    if word:
        unit = UNIT_WORDS.get(word)
        if unit is None:
            raise CellUnreadable(f"'{text}': the unit '{word}' is not km or mi.")
        if unit != column_unit:
            raise CellUnreadable(
                f"Mixed units: '{text}' is in {_unit_name(unit)} but this column is in {_unit_name(column_unit)}. "
                "Use one unit for the whole column, or change the column's unit."
            )
    return distance_to_km(value, column_unit)


def distance_unit_word(text: str) -> DistanceUnit | None:
    """The unit a distance cell names, if any ("3.1 mi" -> "mi"); None for a bare number or unreadable text."""
    match = _NUMBER.match(text.strip())
    return UNIT_WORDS.get(match[2].lower()) if match else None


def _unit_name(unit: DistanceUnit) -> str:
    return "km" if unit == "km" else "miles"


def _hours_and_minutes(text: str) -> float:
    hours, _, minutes = text.partition(":")
    if not (hours.strip().isdigit() and minutes.strip().isdigit() and len(minutes.strip()) == 2):
        raise CellUnreadable(f"'{text}' is not a time like 1:05 (hours and minutes).")
    if int(minutes) > 59:
        raise CellUnreadable(f"'{text}' has more than 59 minutes after the hours.")
    return int(hours) * 60 + int(minutes)


def read_duration(text: str, form: DurationFormat, *, decimal_comma: bool) -> float:
    """A duration in minutes."""
    text = text.strip()
    if form is DurationFormat.HOURS_MINUTES and text.count(":") == 1:
        return _hours_and_minutes(text)
    if form in (DurationFormat.CLOCK, DurationFormat.HOURS_MINUTES) or (
        ":" in text and form is not DurationFormat.SECONDS
    ):
        match = _CLOCK.match(text)
        if match is None:
            raise CellUnreadable(f"'{text}' is not a time like 1:02:30 or 42:30.")
        first, second, third = int(match[1]), int(match[2]), match[3]
        if third is None:
            hours, minutes, seconds = 0, first, second  # two parts: minutes and seconds, as watches write them
        else:
            hours, minutes, seconds = first, second, int(third)
            if minutes > 59:
                raise CellUnreadable(f"'{text}' has more than 59 minutes after the hours.")
        if seconds > 59:
            raise CellUnreadable(f"'{text}' has more than 59 seconds.")
        return hours * 60 + minutes + seconds / 60
    try:
        value, word = read_number(text, decimal_comma=decimal_comma)
    except CellUnreadable:
        word, value = "?", 0.0
    if word:
        raise CellUnreadable(f"'{text}' is not a duration: write it as a number of {form.value}, or like 1:02:30.")
    return value / 60 if form is DurationFormat.SECONDS else value


def read_effort(text: str, *, decimal_comma: bool) -> int:
    value, word = read_number(text, decimal_comma=decimal_comma)
    if word or value != int(value):
        raise CellUnreadable(f"'{text}' is not a whole number from 0 to 10.")
    return int(value)


_YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔"})
_NO = frozenset({"no", "n", "false", "0", "-"})


def read_yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellUnreadable(f"'{text}' should be yes or no.")


def read_surface(text: str) -> str:
    """The surface as the stored word ("Loose dirt" -> "loose_dirt"); whether it is allowed is checked later."""
    return "_".join(text.strip().lower().replace("-", " ").split())
