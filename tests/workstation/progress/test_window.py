"""The date-range selector: the window's first day, and every part of the series cut to it consistently."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workstation.progress.helpers import assessment, inputs, observation, patient, run
from workstation.progress.chart_data import DateRange, ProgressSeries
from workstation.progress.series import build_progress, window_of, within
from workstation.records import Episode, Sex, Side

TODAY = date(2026, 5, 31)


@pytest.mark.parametrize(
    ("chosen", "today", "first"),
    [
        (DateRange.LAST_3_MONTHS, date(2026, 5, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (DateRange.LAST_6_MONTHS, date(2026, 5, 15), date(2025, 11, 15)),
        (DateRange.LAST_12_MONTHS, date(2024, 2, 29), date(2023, 2, 28)),
        (DateRange.LAST_3_MONTHS, date(2026, 1, 10), date(2025, 10, 10)),
        (DateRange.ALL, date(2026, 5, 31), None),
    ],
)
def test_window_of_goes_back_whole_months(chosen: DateRange, today: date, first: date | None) -> None:
    assert window_of(chosen, today) == first


def _series() -> ProgressSeries:
    # Born 1 March 1986: her 40th birthday (norm 27 -> 24 reps) falls inside the data.
    who = patient(date(1986, 3, 1), Sex.FEMALE)
    heel = [
        observation("heel_raise_reps", day, reps, side, None)
        for day, reps in ((date(2026, 1, 5), 10), (date(2026, 2, 27), 15), (date(2026, 4, 1), 20),
                          (date(2026, 5, 31), 25))
        for side in (Side.LEFT, Side.RIGHT)
    ]  # fmt: skip
    runs = (run(date(2026, 2, 25), 5.0), run(date(2026, 3, 1), 5.0), run(date(2026, 3, 20), 12.0))
    episode = Episode(7, "Left calf", Side.LEFT, date(2026, 1, 2), id=1)
    made = inputs(
        observations=tuple(heel), runs=runs, episodes=(episode,), who=who,
        assessments=(assessment(1, date(2026, 1, 5), phase=1), assessment(2, date(2026, 4, 1), phase=4)),
    )  # fmt: skip
    return build_progress(made, today=TODAY, unit="km")


def test_points_on_the_window_edges_are_kept() -> None:
    cut = within(_series(), date(2026, 2, 27), date(2026, 4, 1))
    left = cut.chart("heel_raise").series[0]
    assert [p.on for p in left.points] == [date(2026, 2, 27), date(2026, 4, 1)]


def test_everything_outside_the_window_goes() -> None:
    cut = within(_series(), date(2026, 2, 28), date(2026, 3, 31))
    assert cut.chart("heel_raise").is_empty
    assert cut.markers == ()  # the onset was in January
    assert [spike.on for spike in cut.spikes] == [date(2026, 3, 20)]
    # The week of 23 February starts before the window but its Sunday (1 March) is in it: kept with its total.
    assert [(week.week_start, week.distance) for week in cut.weeks] == [
        (date(2026, 2, 23), 10.0),
        (date(2026, 3, 2), 0.0),
        (date(2026, 3, 9), 0.0),
        (date(2026, 3, 16), 12.0),
    ]  # fmt: skip (the logged span ends with the last run's week)


def test_a_stage_crossing_the_window_start_is_clipped_not_dropped() -> None:
    cut = within(_series(), date(2026, 3, 1), TODAY)
    assert [(s.start, s.end, s.phase) for s in cut.stages] == [
        (date(2026, 3, 1), date(2026, 4, 1), 1), (date(2026, 4, 1), TODAY, 4),
    ]  # fmt: skip


def test_reference_lines_span_the_window_and_keep_the_norm_step() -> None:
    cut = within(_series(), date(2026, 2, 1), date(2026, 4, 30))
    references = {ref.key: ref.points for ref in cut.chart("heel_raise").references}
    assert references["target_30"] == ((date(2026, 2, 1), 30.0), (date(2026, 4, 30), 30.0))
    birthday = date(2026, 3, 1)
    assert references["age_sex_norm"] == (
        (date(2026, 2, 1), 27.0), (birthday, 27.0), (birthday, 24.0), (date(2026, 4, 30), 24.0),
    )  # fmt: skip
    after = within(_series(), date(2026, 4, 1), TODAY).chart("heel_raise").references
    assert next(ref.points for ref in after if ref.key == "age_sex_norm") == (
        (date(2026, 4, 1), 24.0), (TODAY, 24.0),
    )  # fmt: skip


def test_the_error_band_follows_the_latest_value_in_the_window() -> None:
    cut = within(_series(), None, date(2026, 4, 30))
    bands = cut.chart("heel_raise").bands
    assert [(band.side, band.on, band.low, band.high) for band in bands] == [
        (Side.LEFT, date(2026, 4, 1), 14.0, 26.0), (Side.RIGHT, date(2026, 4, 1), 14.0, 26.0),
    ]  # fmt: skip
    assert within(_series(), date(2026, 1, 6), date(2026, 2, 1)).chart("heel_raise").bands == ()


def test_all_keeps_everything_and_an_empty_window_keeps_nothing() -> None:
    series = _series()
    assert within(series, None, TODAY) == series
    empty = within(series, date(2030, 1, 1), date(2030, 2, 1))
    assert all(chart.is_empty for chart in empty.charts)
    assert (empty.weeks, empty.spikes, empty.stages, empty.markers) == ((), (), (), ())
    assert (empty.first_day, empty.last_day) == (None, None)
