"""build_progress: what each chart plots, from a patient's observations, assessments, runs and episodes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.workstation.progress.helpers import assessment, inputs, observation, patient, red_flag, run
from workstation.dates import DateOrder
from workstation.progress.chart_data import CHART_ORDER, ProgressSeries, Series
from workstation.progress.series import build_progress
from workstation.records import DischargeReason, Episode, EpisodeStatus, Sex, Side

TODAY = date(2026, 3, 14)
D1, D2, D3 = date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 16)


def _build(**kwargs: object) -> ProgressSeries:
    return build_progress(inputs(**kwargs), today=TODAY, unit="km")  # type: ignore[arg-type]


def _line(series: ProgressSeries, chart: str, key: str) -> Series:
    return next(line for line in series.chart(chart).series if line.key == key)  # type: ignore[arg-type]


def _values(line: Series) -> list[tuple[date, float]]:
    return [(p.on, p.value) for p in line.points]


def _heel(on: date, left: float, right: float, visit: int | None) -> tuple:  # type: ignore[type-arg]
    return (observation("heel_raise_reps", on, left, Side.LEFT, visit),
            observation("heel_raise_reps", on, right, Side.RIGHT, visit))  # fmt: skip


def test_heel_raise_plots_each_leg_with_hover_naming_the_assessment() -> None:
    series = _build(
        observations=(*_heel(D1, 12, 30, 1), *_heel(D2, 18, 31, 2)),
        assessments=(assessment(1, D1), assessment(2, D2)),
    )
    left, right = _line(series, "heel_raise", "left"), _line(series, "heel_raise", "right")
    assert (left.side, right.side) == (Side.LEFT, Side.RIGHT)
    assert _values(left) == [(D1, 12.0), (D2, 18.0)]
    assert _values(right) == [(D1, 30.0), (D2, 31.0)]
    assert [p.assessment_id for p in left.points] == [1, 2]
    assert left.points[1].hover == "19/01/2026 · Left 18 reps · assessment of 19/01/2026"


def test_hover_dates_follow_the_clinic_date_order() -> None:
    made = inputs(observations=_heel(D1, 12, 30, 1), assessments=(assessment(1, D1),))
    series = build_progress(made, today=TODAY, unit="km", date_order=DateOrder.MONTH_DAY_YEAR)
    assert _line(series, "heel_raise", "left").points[0].hover.startswith("01/05/2026 · Left 12 reps")


def test_observations_of_an_amended_assessment_are_left_out_and_standalone_ones_kept() -> None:
    # Assessment 1 was amended by 2: only 2 is current. The standalone test has no assessment.
    series = _build(
        observations=(*_heel(D1, 10, 30, 1), *_heel(D1, 14, 30, 2), *_heel(D3, 20, 31, None)),
        assessments=(assessment(2, D1, amends=1),),
    )
    left = _line(series, "heel_raise", "left")
    assert _values(left) == [(D1, 14.0), (D3, 20.0)]
    assert [p.assessment_id for p in left.points] == [2, None]
    assert left.points[0].hover.endswith("assessment of 05/01/2026 (amended)")
    assert left.points[1].hover.endswith("measured outside an assessment")


def test_values_are_rounded_as_the_engine_shows_them() -> None:
    series = _build(observations=(
        observation("heel_raise_reps", D1, 23.5, Side.LEFT), observation("knee_to_wall_cm", D1, 9.45, Side.LEFT),
        observation("psfs_mean", D1, 6.25),
    ))  # fmt: skip
    assert _values(_line(series, "heel_raise", "left")) == [(D1, 24.0)]
    assert _values(_line(series, "knee_to_wall", "left")) == [(D1, 9.5)]
    assert _line(series, "knee_to_wall", "left").points[0].hover.startswith("05/01/2026 · Left 9.5 cm")
    assert _values(_line(series, "pain", "psfs_mean")) == [(D1, 6.3)]


def test_heel_raise_references_are_the_age_sex_norm_and_the_runner_targets() -> None:
    # Born 15 June 1986, female: 27 reps in her thirties, 24 from her 40th birthday (CLINICAL.md 2.2).
    who = patient(date(1986, 6, 15), Sex.FEMALE)
    later = date(2026, 8, 3)
    series = build_progress(
        inputs(observations=(*_heel(D1, 12, 30, None), *_heel(later, 20, 30, None)), who=who),
        today=later, unit="km",
    )  # fmt: skip
    references = {ref.key: ref for ref in series.chart("heel_raise").references}
    birthday = date(2026, 6, 15)
    assert references["age_sex_norm"].kind == "norm"
    assert references["age_sex_norm"].points == ((D1, 27.0), (birthday, 27.0), (birthday, 24.0), (later, 24.0))
    assert references["target_30"].points == ((D1, 30.0), (later, 30.0))
    assert references["target_30"].kind == "target"
    assert references["aspirational_40"].kind == "aspirational"
    assert "Aspirational 40" in references["aspirational_40"].label
    assert references["aspirational_40"].points == ((D1, 40.0), (later, 40.0))


def test_no_norm_line_when_sex_is_not_known() -> None:
    series = _build(observations=_heel(D1, 12, 30, None), who=patient(sex=Sex.NOT_STATED))
    assert [ref.key for ref in series.chart("heel_raise").references] == ["target_30", "aspirational_40"]


def test_error_bands_sit_around_each_legs_latest_value() -> None:
    series = _build(observations=(*_heel(D1, 3, 30, None), *_heel(D2, 4, 33, None)))
    bands = {band.side: band for band in series.chart("heel_raise").bands}
    assert (bands[Side.LEFT].on, bands[Side.LEFT].low, bands[Side.LEFT].high) == (D2, 0.0, 10.0)  # never below 0
    assert (bands[Side.RIGHT].on, bands[Side.RIGHT].low, bands[Side.RIGHT].high) == (D2, 27.0, 39.0)
    assert "±6 reps" in bands[Side.RIGHT].label


def test_lsi_is_plotted_with_the_90_percent_line() -> None:
    series = _build(observations=(observation("heel_raise_lsi", D1, 66.7, Side.LEFT),
                                  observation("heel_raise_lsi", D2, 91.25, Side.BOTH)))  # fmt: skip
    assert _values(_line(series, "lsi", "lsi")) == [(D1, 66.7), (D2, 91.3)]
    (line,) = series.chart("lsi").references
    assert (line.key, line.points) == ("lsi_90", ((D1, 90.0), (D2, 90.0)))


def test_knee_to_wall_shows_the_gap_between_legs_against_the_asymmetry_threshold() -> None:
    series = _build(observations=(
        observation("knee_to_wall_cm", D1, 8.0, Side.LEFT, None), observation("knee_to_wall_cm", D1, 10.3, Side.RIGHT),
        observation("knee_to_wall_cm", D2, 11.0, Side.LEFT), observation("knee_to_wall_cm", D2, 10.5, Side.RIGHT),
        observation("knee_to_wall_cm", D3, 11.0, Side.LEFT),  # right not measured: no gap that day
    ))  # fmt: skip
    gap = _line(series, "knee_to_wall", "gap")
    assert _values(gap) == [(D1, 2.3), (D2, 0.5)]
    assert "left reaches less" in gap.points[0].hover
    assert "right reaches less" in gap.points[1].hover
    (threshold,) = series.chart("knee_to_wall").references
    assert (threshold.key, threshold.kind, threshold.points[0][1]) == ("asymmetry", "threshold", 1.5)


def test_pain_chart_has_the_three_nprs_scores_and_the_psfs_mean_on_0_to_10() -> None:
    series = _build(observations=(
        observation("nprs_now", D1, 3), observation("nprs_during_run", D1, 7), observation("nprs_worst_24h", D1, 6),
        observation("psfs_mean", D1, 4.3), observation("wells_score", D1, 0),
    ))  # fmt: skip
    chart = series.chart("pain")
    assert [line.key for line in chart.series] == ["nprs_now", "nprs_during_run", "nprs_worst_24h", "psfs_mean"]
    assert [line.points[0].value for line in chart.series] == [3.0, 7.0, 6.0, 4.3]
    assert chart.y_range == (0.0, 10.0)
    assert chart.series[0].points[0].hover.startswith("05/01/2026 · Pain now 3/10")


def test_lefs_chart_marks_the_important_change_above_the_first_score() -> None:
    series = _build(observations=(observation("lefs_total", D1, 40), observation("lefs_total", D2, 52)))
    chart = series.chart("lefs")
    assert chart.y_range == (0.0, 80.0)
    (mcid,) = chart.references
    assert (mcid.key, mcid.points) == ("mcid", ((D1, 49.0), (D2, 49.0)))
    assert "9 points" in mcid.label


def test_no_lefs_change_line_when_no_change_could_reach_it() -> None:
    series = _build(observations=(observation("lefs_total", D1, 75),))
    assert series.chart("lefs").references == ()


def test_weekly_distance_fills_empty_weeks_and_follows_the_unit() -> None:
    runs = (run(date(2026, 1, 5), 10.0), run(date(2026, 1, 7), 6.0), run(date(2026, 1, 21), 16.09344))
    km = _build(runs=runs)
    assert [(w.week_start, w.distance) for w in km.weeks] == [
        (date(2026, 1, 5), 16.0), (date(2026, 1, 12), 0.0), (date(2026, 1, 19), 16.1),
    ]  # fmt: skip
    assert km.weeks[0].hover == "Week of 05/01/2026 · 16.0 km · 2 runs"
    assert km.chart("weekly_distance").y_label == "km"
    miles = build_progress(inputs(runs=runs), today=TODAY, unit="mi")
    assert [w.distance for w in miles.weeks] == [9.9, 0.0, 10.0]
    assert miles.chart("weekly_distance").title == "Weekly running distance (mi)"


def test_spikes_are_marked_on_their_weeks_bar() -> None:
    # 14 km longest in the 30 days before; 15.4 km is exactly 110 % (no spike); 23.1 km
    # is then 150 % of 15.4.
    runs = (run(date(2026, 1, 4), 14.0), run(date(2026, 1, 11), 15.4), run(date(2026, 1, 14), 3.0),
            run(date(2026, 1, 17), 23.1))  # fmt: skip
    series = _build(runs=runs)
    (spike,) = series.spikes
    assert (spike.on, spike.distance, spike.percent_of_baseline, spike.band) == (
        date(2026, 1, 17),
        23.1,
        150.0,
        "over_30_to_100",
    )
    assert spike.week_total == 26.1  # the week of 12 January: 3.0 + 23.1 (11 January was a Sunday)
    assert spike.hover == "17/01/2026 · 23.1 km run, 150 % of the longest run in the previous 30 days (15.4 km)"


def test_stages_follow_each_plan_until_the_next_and_the_latest_until_today() -> None:
    series = _build(assessments=(assessment(1, D1, phase=None), assessment(2, D2, plan=False),
                                 assessment(3, D3, phase=2)))  # fmt: skip
    assert [(s.start, s.end, s.phase, s.label, s.assessment_id) for s in series.stages] == [
        (D1, D3, None, "Not running", 1),  # assessment 2 recorded no plan: the stage carries on
        (D3, TODAY, 2, "Walk-run phase 2", 3),
    ]
    assert series.last_day == TODAY


def test_a_stage_ends_at_its_episodes_discharge() -> None:
    episode = Episode(7, "Left calf strain", Side.LEFT, D1, EpisodeStatus.DISCHARGED, date(2026, 2, 20),
                      DischargeReason.RETURNED_TO_RUNNING, id=1)  # fmt: skip
    series = _build(assessments=(assessment(1, D3, phase=6),), episodes=(episode,))
    (stage,) = series.stages
    assert (stage.end, stage.label) == (date(2026, 2, 20), "Walk-run phase 6 (continuous running)")


def test_markers_show_onset_discharge_and_red_flags_with_their_action() -> None:
    episode = Episode(7, "Left calf strain", Side.LEFT, D1, EpisodeStatus.DISCHARGED, D3,
                      DischargeReason.GOALS_MET, id=1)  # fmt: skip
    series = _build(episodes=(episode,), red_flags=(red_flag(D2, "Sent to ED"), red_flag(D2, None)))
    assert [(m.on, m.kind, m.label) for m in series.markers] == [
        (D1, "onset", "Onset"), (D2, "red_flag", "Red flag: suspected DVT"),
        (D2, "red_flag", "Red flag: suspected DVT"), (D3, "discharge", "Discharged"),
    ]  # fmt: skip
    assert series.markers[1].detail == "Urgent · Same-day DVT pathway. · Action: Sent to ED"
    assert series.markers[2].detail.endswith("No action recorded yet")
    assert series.markers[3].detail == "Left calf strain · Goals met"


def test_nothing_recorded_gives_every_chart_empty_with_its_text() -> None:
    series = _build()
    assert [chart.key for chart in series.charts] == list(CHART_ORDER)
    for chart in series.charts:
        assert chart.is_empty
        assert chart.empty_text
        assert all(ref.points == () for ref in chart.references)
        assert chart.bands == ()
    assert (series.weeks, series.spikes, series.stages, series.markers) == ((), (), (), ())
    assert (series.first_day, series.last_day) == (None, None)


def test_a_single_point_gives_a_one_point_series_with_its_lines() -> None:
    series = _build(observations=(observation("heel_raise_reps", D1, 22, Side.RIGHT),))
    chart = series.chart("heel_raise")
    assert _values(_line(series, "heel_raise", "right")) == [(D1, 22.0)]
    assert _line(series, "heel_raise", "left").points == ()
    assert not chart.is_empty
    assert series.chart("lsi").is_empty
    target = next(ref for ref in chart.references if ref.key == "target_30")
    assert target.points == ((D1, 30.0),)  # a one-day span: the line is one point
    assert [band.side for band in chart.bands] == [Side.RIGHT]
    assert (series.first_day, series.last_day) == (D1, D1)


@pytest.mark.parametrize("unit", ["km", "mi"])
def test_first_and_last_day_span_everything_plotted(unit: str) -> None:
    series = build_progress(
        inputs(observations=(observation("nprs_now", D2, 2),), runs=(run(D1 + timedelta(days=2), 5.0),)),
        today=TODAY, unit=unit,  # type: ignore[arg-type]
    )  # fmt: skip
    assert (series.first_day, series.last_day) == (D1, D2)  # the run's week starts on D1, a Monday
