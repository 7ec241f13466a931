"""The scales of the PDF progress charts: round value ticks, and calendar ticks that never crowd.

Pure arithmetic, no ReportLab: ``reports.charts`` measures its labels and passes the widths in. The date
ticks follow the app's month axis (``ui/charts/month_axis.py``): one level only, a month (or a quarter, or a
year as the range widens), the year written at January and at the first tick shown. A range too short to
hold two month starts is ticked in days or weeks instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NICE = (1.0, 2.0, 2.5, 5.0, 10.0)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
_DAY_STEPS = (1, 2, 7, 14)
LABEL_GAP = 6.0  # points of clear space between two neighbouring date labels

Measure = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class ValueScale:
    low: float
    high: float
    ticks: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class DateTick:
    day: date
    label: str


Labeller = Callable[[date, list[DateTick]], str]  # a tick's label, given the ticks already shown


def nice_step(span: float, intervals: int) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) that cuts ``span`` into at most
    ``intervals`` parts."""
    raw = span / max(1, intervals)
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(n * power for n in _NICE if n * power >= raw * (1 - 1e-9))


def value_scale(low: float, high: float, *, fixed: bool = False, intervals: int = 5) -> ValueScale:
    """A value axis from ``low`` to ``high`` with round ticks.

    Args:
        low: the smallest value to show.
        high: the largest value to show.
        fixed: keep ``low`` and ``high`` exactly (a measure with its own scale, 0-10, 0-80) and tick the
            round values inside; otherwise widen both ends out to the nearest tick.
        intervals: at most this many steps between ticks.

    Returns:
        The axis ends and its ticks, lowest first.
    """
    if high <= low:
        high = low + 1.0
    step = nice_step(high - low, intervals)
    if not fixed:
        low, high = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    first = math.ceil(low / step - 1e-9)
    ticks = []
    index = first
    while index * step <= high + step * 1e-9:
        ticks.append(_clean(index * step))
        index += 1
    return ValueScale(low, high, tuple(ticks))


def tick_text(value: float) -> str:
    """A tick value as printed: 10, 2.5, 0.25 (never 10.0 or 2.5000000001)."""
    return f"{_clean(value):g}"


def _clean(value: float) -> float:
    return round(value, 9) + 0.0  # + 0.0 turns -0.0 into 0.0


# --- dates --------------------------------------------------------------------------------------------------


def date_ticks(first: date, last: date, *, room: float, measure: Measure) -> tuple[DateTick, ...]:
    """Ticks along a date axis ``room`` points long from ``first`` to ``last`` (both inside the axis).

    Each label is centred on its tick; a tick whose label would stick out past either end of the axis is
    left out. The step is the smallest whose labels keep ``LABEL_GAP`` apart. Months when two month starts
    fit, else days or weeks; an empty tuple when not even one label fits.
    """
    if last <= first:
        return ()
    axis = _Axis(first, last, room, measure)
    months = axis.first_fit((list(_month_starts(first, last, step)), _month_labeller(step)) for step in _MONTH_STEPS)
    if len(months) >= 2:
        return months
    days = axis.first_fit(
        ([first + timedelta(days=n) for n in range(0, (last - first).days + 1, step)], _day_label)
        for step in _DAY_STEPS
    )
    return days if len(days) >= 2 or not months else months


def _month_starts(first: date, last: date, step: int) -> Iterator[date]:
    """First days of months from ``first`` to ``last`` on the step's own months: quarters start in Jan, Apr,
    Jul and Oct; a two-year step on even years."""
    months = first.year * 12 + first.month - 1 + (first.day != 1)
    if step <= 12:
        months += (-months) % step  # 12 is a multiple of each of these steps
    else:
        years = step // 12
        year = -(-months // 12)
        months = (year + (-year) % years) * 12
    while True:
        year, month = divmod(months, 12)
        day = date(year, month + 1, 1)
        if day > last:
            return
        yield day
        months += step


def _month_labeller(step: int) -> Labeller:
    def label(day: date, shown: list[DateTick]) -> str:
        if step >= 12:
            return str(day.year)
        if day.month == 1 or not shown:
            return f"{MONTHS[day.month - 1]} {day.year}"
        return MONTHS[day.month - 1]

    return label


def _day_label(day: date, shown: list[DateTick]) -> str:
    if not shown or shown[-1].day.year != day.year:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]}"


@dataclass(frozen=True, slots=True)
class _Axis:
    first: date
    last: date
    room: float
    measure: Measure

    def first_fit(self, candidates: Iterable[tuple[list[date], Labeller]]) -> tuple[DateTick, ...]:
        """The ticks of the first candidate whose labels fit without touching and show at least one."""
        for days, label_of in candidates:
            ticks = self.fitting(days, label_of)
            if ticks:
                return ticks
        return ()

    def fitting(self, days: list[date], label_of: Labeller) -> tuple[DateTick, ...] | None:
        """The ticks of ``days`` whose labels fit inside the axis, or None when two neighbours would touch."""
        span = (self.last - self.first).days
        shown: list[DateTick] = []
        previous_right = -math.inf
        for day in days:
            label = label_of(day, shown)
            width = self.measure(label)
            centre = (day - self.first).days / span * self.room
            if centre - width / 2 < 0 or centre + width / 2 > self.room:
                continue  # cut off at an end: leave it out (the next tick then carries the year)
            if centre - width / 2 < previous_right + LABEL_GAP:
                return None
            shown.append(DateTick(day, label))
            previous_right = centre + width / 2
        return tuple(shown)
