"""ProgressSeries made by hand for the chart tests: the widgets only draw what they are given."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from workstation.progress.chart_data import (
    CHART_ORDER,
    Chart,
    ChartKey,
    ChartPoint,
    ErrorBand,
    Marker,
    ProgressSeries,
    Reference,
    Series,
    SpikeMark,
    StageSpan,
    WeekBar,
)
from workstation.records import Side

TITLES: dict[ChartKey, tuple[str, str, str]] = {
    "heel_raise": ("Heel raise (reps)", "reps", "No heel-raise test yet"),
    "lsi": ("Limb symmetry index (%)", "%", "No LSI yet: it needs both legs tested"),
    "knee_to_wall": ("Knee to wall (cm)", "cm", "No knee-to-wall test yet"),
    "pain": ("Pain (0-10) and PSFS", "0-10", "No pain scores yet"),
    "lefs": ("LEFS (points)", "points", "No LEFS yet"),
    "weekly_distance": ("Weekly distance (km)", "km", "No runs logged yet"),
}
ERROR = "±6 reps measurement error"
Y_RANGES: dict[ChartKey, tuple[float, float] | None] = {"pain": (0.0, 10.0), "lefs": (0.0, 80.0)}


def point(on: date, value: float, assessment_id: int | None = None, label: str = "") -> ChartPoint:
    return ChartPoint(on, value, assessment_id, f"{on:%d %b %Y} · {label} {value:g} · assessment {assessment_id}")


def line(key: str, side: Side, points: list[ChartPoint], label: str | None = None) -> Series:
    return Series(key=key, label=label or key.capitalize(), side=side, points=tuple(points))


def level(key: str, label: str, kind: str, value: float, start: date, end: date) -> Reference:
    return Reference(key=key, label=label, kind=kind, points=((start, value), (end, value)))  # type: ignore[arg-type]


def chart(key: ChartKey, series: list[Series] = (), references: list[Reference] = (), bands=()) -> Chart:  # type: ignore[assignment]
    title, y_label, empty = TITLES[key]
    return Chart(key, title, y_label, tuple(series), tuple(references), tuple(bands), Y_RANGES.get(key), empty)


def empty_series(unit: str = "km") -> ProgressSeries:
    return ProgressSeries(
        charts=tuple(chart(key) for key in CHART_ORDER),
        weeks=(),
        spikes=(),
        stages=(),
        markers=(),
        unit=unit,  # type: ignore[arg-type]
        first_day=None,
        last_day=None,
    )


def weekly_assessments(first: date, count: int, every: timedelta = timedelta(days=7)) -> ProgressSeries:
    """``count`` assessments from ``first`` with steady improvement; runs and a spike in the last weeks."""
    days = [first + every * i for i in range(count)]
    last = days[-1]
    left = [point(d, min(40, 8 + i * 0.5), 100 + i, "Left") for i, d in enumerate(days)]
    right = [point(d, min(40, 20 + i * 0.3), 100 + i, "Right") for i, d in enumerate(days)]
    lsi = [
        point(d, round(100 * lt.value / max(lt.value, rt.value)), 100 + i)
        for i, (d, lt, rt) in enumerate(zip(days, left, right, strict=True))
    ]
    heel = chart(
        "heel_raise",
        [line("left", Side.LEFT, left), line("right", Side.RIGHT, right)],
        [
            level("age_sex_norm", "Age and sex norm", "norm", 25, first, last),
            level("target_30", "Runner target 30 reps (CLINICAL.md 2.2)", "target", 30, first, last),
            level("aspirational_40", "40 reps (aspirational)", "aspirational", 40, first, last),
        ],
        [
            ErrorBand(
                "left_error", "±6 reps measurement error", Side.LEFT, last, left[-1].value - 6, left[-1].value + 6
            ),
            ErrorBand(
                "right_error", "±6 reps measurement error", Side.RIGHT, last, right[-1].value - 6, right[-1].value + 6
            ),
        ],
    )
    k2w = chart(
        "knee_to_wall",
        [
            line("left", Side.LEFT, [point(d, 6 + i * 0.02, 100 + i) for i, d in enumerate(days)]),
            line("right", Side.RIGHT, [point(d, 9, 100 + i) for i, d in enumerate(days)]),
        ],
    )
    pain = chart(
        "pain",
        [
            line(
                "nprs_now", Side.NONE, [point(d, max(0, 6 - i * 0.1), 100 + i) for i, d in enumerate(days)], "Pain now"
            ),
            line("psfs", Side.NONE, [point(d, min(10, 3 + i * 0.1), 100 + i) for i, d in enumerate(days)], "PSFS mean"),
        ],
    )
    lefs = chart(
        "lefs",
        [line("lefs", Side.NONE, [point(d, min(80, 40 + i), 100 + i) for i, d in enumerate(days)], "LEFS")],
        [level("mcid", "MCID 9 points", "threshold", 49, first, last)],
    )
    lsi_chart = chart(
        "lsi", [line("lsi", Side.NONE, lsi, "LSI")], [level("lsi_90", "LSI 90 %", "threshold", 90, first, last)]
    )
    run_weeks = [last - timedelta(days=last.weekday()) - timedelta(weeks=w) for w in range(8, -1, -1)]
    weeks = tuple(WeekBar(d, 5.0 + i, f"Week of {d:%d %b %Y}: {5 + i} km") for i, d in enumerate(run_weeks))
    spike = SpikeMark(
        run_weeks[-2] + timedelta(days=2), 6.0, weeks[-2].distance, 140.0, "over_30_to_100", "Spike 140 %"
    )
    stages = (
        StageSpan(first, run_weeks[0], None, "Not running", 100),
        StageSpan(run_weeks[0], run_weeks[4], 2, "Walk-run phase 2", 101),
        StageSpan(run_weeks[4], last, 3, "Walk-run phase 3", 102),
    )
    markers = (
        Marker(first - timedelta(days=10), "onset", "Onset", "Calf pain began"),
        Marker(first + every * 3, "red_flag", "Red flag: suspected DVT", "Urgent; action: referred to A&E"),
    )
    charts = {"heel_raise": heel, "lsi": lsi_chart, "knee_to_wall": k2w, "pain": pain, "lefs": lefs}
    return ProgressSeries(
        charts=tuple(charts.get(key) or chart(key) for key in CHART_ORDER),
        weeks=weeks,
        spikes=(spike,),
        stages=stages,
        markers=markers,
        unit="km",
        first_day=markers[0].on,
        last_day=last,
    )


def with_chart(series: ProgressSeries, new: Chart) -> ProgressSeries:
    return replace(series, charts=tuple(new if c.key == new.key else c for c in series.charts))
