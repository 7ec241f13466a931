"""The date-range selector's window, and a ``ProgressSeries`` cut down to it.

Every part is filtered the same way, boundaries included: a point, a marker or a spike shows when its day
lies in [start, end]; a week bar when any day of its week does (so a spike never floats without its bar);
a return-to-run stage crossing an edge is clipped to the window, not dropped. Reference lines are redrawn
to span the whole window, with a step norm keeping the value it has at each edge. The measurement-error
band sits around each side's latest value *in the window*, as it would on a chart that only had those.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from workstation.clinical.heel_raise import MEASUREMENT_ERROR_REPS
from workstation.progress.chart_data import (
    Chart,
    DateRange,
    ErrorBand,
    ProgressSeries,
    Reference,
    Series,
    StageSpan,
    WeekBar,
)
from workstation.records import Side

_WEEK_TAIL = timedelta(days=6)  # a week bar's Monday to its Sunday
# Legend text is for the physio: short, no references (docs/progress.md gives the sources).
ERROR_BAND_LABEL = f"±{MEASUREMENT_ERROR_REPS} reps: measurement error"


def window_of(range: DateRange, today: date) -> date | None:
    """The first day the range shows (the same day of the month N months back, or that month's last day);
    None for ALL."""
    if range is DateRange.ALL:
        return None
    months = today.year * 12 + today.month - 1 - range.value
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def within(series: ProgressSeries, start: date | None, end: date) -> ProgressSeries:
    """``series`` with only what lies in [start, end] (start None: from the beginning)."""
    low = start or date.min

    def inside(day: date) -> bool:
        return low <= day <= end

    charts = tuple(_chart_within(chart, inside) for chart in series.charts)
    weeks = tuple(week for week in series.weeks if week.week_start <= end and week.week_start + _WEEK_TAIL >= low)
    spikes = tuple(spike for spike in series.spikes if inside(spike.on))
    stages = tuple(
        replace(stage, start=max(stage.start, low), end=min(stage.end, end))
        for stage in series.stages
        if stage.start <= end and stage.end >= low
    )
    markers = tuple(marker for marker in series.markers if inside(marker.on))
    first, last = extent(charts, weeks, (s.on for s in spikes), stages, (m.on for m in markers))
    span_start = start if start is not None else series.first_day
    charts = tuple(
        replace(chart, references=tuple(spanning(ref, span_start, end) for ref in chart.references)) for chart in charts
    )
    return replace(
        series,
        charts=charts,
        weeks=weeks,
        spikes=spikes,
        stages=stages,
        markers=markers,
        first_day=first,
        last_day=last,
    )


def _chart_within(chart: Chart, inside: Callable[[date], bool]) -> Chart:
    kept = tuple(replace(line, points=tuple(p for p in line.points if inside(p.on))) for line in chart.series)
    bands = error_bands(kept) if chart.bands else ()
    return replace(chart, series=kept, bands=bands)


def error_bands(lines: Sequence[Series]) -> tuple[ErrorBand, ...]:
    """±MEASUREMENT_ERROR_REPS around the latest value of each leg's line (never below 0 reps)."""
    bands = []
    for line in lines:
        if line.side in (Side.LEFT, Side.RIGHT) and line.points:
            latest = line.points[-1]
            bands.append(
                ErrorBand(
                    key=f"{line.key}_error",
                    label=ERROR_BAND_LABEL,
                    side=line.side,
                    on=latest.on,
                    low=max(0.0, latest.value - MEASUREMENT_ERROR_REPS),
                    high=latest.value + MEASUREMENT_ERROR_REPS,
                )
            )
    return tuple(bands)


def spanning(reference: Reference, start: date | None, end: date | None) -> Reference:
    """The reference redrawn from ``start`` to ``end``: its value at ``start``, each step inside, its value at
    ``end``. A step is two points on its day (old value, new value), so drawing through them in order gives
    a vertical rise. No span (nothing plotted anywhere): no points."""
    steps = reference.points
    if start is None or end is None or end < start or not steps:
        return replace(reference, points=())
    points = [(start, _value_on(steps, start))]
    points.extend(point for point in steps if start < point[0] < end)
    points.append((end, _value_on(steps, end)))
    return replace(reference, points=tuple(_without_repeats(points)))


def _value_on(steps: Sequence[tuple[date, float]], day: date) -> float:
    value = steps[0][1]  # before the first point the line has its first value
    for on, step_value in steps:
        if on > day:
            break
        value = step_value
    return value


def _without_repeats(points: Iterable[tuple[date, float]]) -> list[tuple[date, float]]:
    kept: list[tuple[date, float]] = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    return kept


def extent(
    charts: Iterable[Chart],
    weeks: Iterable[WeekBar],
    days: Iterable[date],
    stages: Iterable[StageSpan],
    more_days: Iterable[date],
) -> tuple[date | None, date | None]:
    """The earliest and latest day anything is plotted on (None, None when nothing is)."""
    every = [p.on for chart in charts for line in chart.series for p in line.points]
    every.extend(week.week_start for week in weeks)
    every.extend(days)
    for stage in stages:
        every.extend((stage.start, stage.end))
    every.extend(more_days)
    if not every:
        return None, None
    return min(every), max(every)
