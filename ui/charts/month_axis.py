"""The charts' date axis: one tick a month (or a quarter, or a year, as the range widens), labelled once.

pyqtgraph's DateAxisItem works out several levels of ticks, down to days, and converts each to local time
for every paint; a page of six charts spent most of its drawing time there. Progress is read in months,
so this axis gives one level only, with the year written at January (and at the first tick).
x is seconds since 1970 at midnight UTC, as ``plot_style.day_x`` makes it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pyqtgraph as pg

from ui.charts.plot_style import DAY_SECONDS, day_x

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MIN_LABEL_PX = 56  # a tick at least this far from the next, so "Sep 2026" never runs into "Oct"
_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)  # months between ticks: the smallest that leaves room


class MonthAxisItem(pg.AxisItem):
    """A bottom axis of calendar months for x in seconds since 1970 (UTC midnights)."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self._step = 1

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:  # noqa: N803 - pyqtgraph's names
        if size <= 0 or maxVal <= minVal:
            return []
        first, last = _day_of(minVal), _day_of(maxVal)
        months = max(1, (last.year - first.year) * 12 + last.month - first.month + 1)
        room = max(1, int(size // _MIN_LABEL_PX))
        self._step = next((step for step in _STEPS if months / step <= room), _STEPS[-1])
        # A label centred on a tick near either end would be cut off, and pyqtgraph drops it: leave those
        # ticks out, so the first one shown is the one that carries the year.
        margin = (maxVal - minVal) / size * _MIN_LABEL_PX / 2
        ticks = []
        year, month = first.year, first.month
        month -= (month - 1) % self._step  # on the step's own months: every quarter starts in Jan, Apr, ...
        while True:
            day = date(year, month, 1)
            if day > last:
                break
            if minVal + margin <= day_x(day) <= maxVal - margin:
                ticks.append(day_x(day))
            year, month = divmod(year * 12 + month - 1 + self._step, 12)
            month += 1
        return [(self._step * 30 * DAY_SECONDS, ticks)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        labels = []
        for index, value in enumerate(values):
            day = _day_of(value)
            if self._step >= 12:
                labels.append(str(day.year))
            elif day.month == 1 or index == 0:
                labels.append(f"{_MONTHS[day.month - 1]} {day.year}")
            else:
                labels.append(_MONTHS[day.month - 1])
        return labels


def _day_of(x: float) -> date:
    return datetime.fromtimestamp(x, UTC).date()
