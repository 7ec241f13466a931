"""Running load (CLINICAL.md 7.3): weekly distance, 2-week change, single-session spikes, ACWR, units.

Dates are in January 2024, which starts on a Monday. Expected values are worked by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.clinical.load import (
    SPIKE_BANDS,
    AcwrReference,
    RunningSession,
    acwr_reference,
    check_planned_session,
    distance_in_unit,
    distance_to_km,
    km_to_miles,
    longest_run_before,
    miles_to_km,
    primary_alerts,
    spike_checks,
    spike_series,
    week_start,
    weekly_distance_series,
    weekly_loads,
)


def jan(day: int) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=day - 1)


def run(day: dt.date, km: float, *, planned: bool = False) -> RunningSession:
    return RunningSession(date=day, distance_km=km, planned=planned)


# --- units ----------------------------------------------------------------------------------------------------


def test_miles_and_km() -> None:
    assert miles_to_km(1.0) == 1.609344
    assert miles_to_km(26.2) == pytest.approx(42.1648128)
    assert km_to_miles(10.0) == pytest.approx(6.21371192)
    assert distance_to_km(3.0, "mi") == pytest.approx(4.828032)
    assert distance_to_km(3.0, "km") == 3.0
    assert distance_in_unit(16.09344, "mi") == pytest.approx(10.0)
    assert distance_in_unit(5.0, "km") == 5.0


# --- sessions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"distance_km": 0}, "distance_km"),
        ({"distance_km": -3.0}, "distance_km"),
        ({"distance_km": float("nan")}, "distance_km"),
        ({"distance_km": float("inf")}, "distance_km"),
        ({"distance_km": True}, "distance_km"),
        ({"distance_km": 1000.5}, "distance_km"),
        ({"duration_min": 0}, "duration_min"),
        ({"perceived_effort": 11}, "perceived_effort"),
        ({"perceived_effort": 2.5}, "perceived_effort"),
        ({"surface": "mud"}, "surface"),
        ({"date": dt.datetime(2024, 1, 1, 7, 0)}, "date"),
    ],
)
def test_implausible_sessions_are_refused(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"date": jan(1), "distance_km": 5.0, **changes}
    with pytest.raises(ValueError, match=message):
        RunningSession(**fields)  # type: ignore[arg-type]


def test_a_full_session_record_is_accepted() -> None:
    session = RunningSession(
        jan(2),
        8.0,
        duration_min=45,
        perceived_effort=6,
        surface="trail",
        shoes="Pegasus 40",
        hills=True,
        speed_work=False,
    )
    assert (session.surface, session.hills, session.speed_work) == ("trail", True, False)


# --- weekly distance ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "monday"),
    [(jan(1), jan(1)), (jan(7), jan(1)), (jan(8), jan(8)), (dt.date(2023, 12, 31), dt.date(2023, 12, 25))],
)
def test_weeks_start_on_monday(day: dt.date, monday: dt.date) -> None:
    assert week_start(day) == monday


def test_weeks_without_runs_are_zero_not_missing() -> None:
    weeks = weekly_loads([run(jan(1), 5.0), run(jan(3), 5.0), run(jan(21), 13.0)])  # 21st is a Sunday
    assert [(w.week_start, w.distance_km, w.runs) for w in weeks] == [
        (jan(1), 10.0, 2),
        (jan(8), 0.0, 0),
        (jan(15), 13.0, 1),
    ]
    assert [w.week_to_week_percent for w in weeks] == [None, -100.0, None]  # from 0 km it is undefined


def test_two_week_change_of_exactly_thirty_percent_is_not_flagged() -> None:
    # 10 -> 13 km is 30 % exactly (in floats (13.0 - 10.0) / 10.0 * 100 is 30.000000000000004).
    weeks = weekly_loads([run(jan(1), 10.0), run(jan(15), 13.0)])
    assert weeks[2].two_week_percent == 30.0
    assert weeks[2].two_week_flag is False


def test_two_week_change_over_thirty_percent_is_flagged() -> None:
    weeks = weekly_loads([run(jan(1), 10.0), run(jan(8), 11.0), run(jan(15), 13.1)])
    assert weeks[2].two_week_percent == pytest.approx(31.0)
    assert weeks[2].two_week_flag is True
    assert weeks[2].week_to_week_percent == pytest.approx(19.0909, abs=1e-4)  # 13.1 / 11


def test_two_week_change_from_a_zero_week_is_undefined() -> None:
    weeks = weekly_loads([run(jan(1), 8.0), run(jan(15), 5.0), run(jan(22), 20.0)])
    assert [w.distance_km for w in weeks] == [8.0, 0.0, 5.0, 20.0]
    assert [w.two_week_percent for w in weeks] == [None, None, -37.5, None]
    assert [w.two_week_flag for w in weeks] == [None, None, False, None]
    assert weeks[3].week_to_week_percent == 300.0


def test_through_extends_the_span_with_zero_weeks() -> None:
    weeks = weekly_distance_series([run(jan(2), 6.0)], through=jan(24))
    assert weeks == ((jan(1), 6.0), (jan(8), 0.0), (jan(15), 0.0), (jan(22), 0.0))


def test_through_before_the_last_run_does_not_cut_the_span() -> None:
    assert len(weekly_loads([run(jan(1), 6.0), run(jan(15), 6.0)], through=jan(3))) == 3


def test_planned_sessions_are_not_running_done() -> None:
    weeks = weekly_loads([run(jan(1), 5.0), run(jan(2), 30.0, planned=True), run(jan(20), 5.0, planned=True)])
    assert [(w.week_start, w.distance_km, w.runs) for w in weeks] == [(jan(1), 5.0, 1)]


def test_no_completed_runs_gives_no_weeks() -> None:
    assert weekly_loads([]) == ()
    assert weekly_loads([run(jan(2), 5.0, planned=True)], through=jan(30)) == ()


# --- single-session spikes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("longest", "session"),
    [(10.0, 11.0), (1.0, 1.1), (2.0, 2.2), (3.0, 3.3), (7.4, 8.14), (9.1, 10.01), (21.1, 23.21)],
)
def test_exactly_110_percent_is_not_a_spike(longest: float, session: float) -> None:
    check = spike_checks([run(jan(1), longest), run(jan(5), session)])[1]
    assert check.band == "none"
    assert check.is_spike is False
    assert check.percent_over_baseline == 10.0


def test_just_over_110_percent_is_a_spike() -> None:
    check = spike_checks([run(jan(1), 10.0), run(jan(5), 11.01)])[1]
    assert (check.band, check.hazard_rate_ratio, check.is_spike, check.alert) == ("over_10_to_30", 1.64, True, True)
    assert check.percent_over_baseline == pytest.approx(10.1)
    assert check.baseline_km == 10.0


@pytest.mark.parametrize(
    ("km", "band", "ratio"),
    [
        (9.0, "none", 1.0),
        (13.0, "over_10_to_30", 1.64),  # exactly +30 %
        (13.01, "over_30_to_100", 1.52),
        (20.0, "over_30_to_100", 1.52),  # exactly +100 %
        (20.01, "over_100", 2.28),
        (35.0, "over_100", 2.28),
    ],
)
def test_spike_bands_and_their_hazard_rate_ratios(km: float, band: str, ratio: float) -> None:
    check = spike_checks([run(jan(1), 10.0), run(jan(6), km)])[1]
    assert (check.band, check.hazard_rate_ratio) == (band, ratio)


def test_band_table_is_the_frandsen_data() -> None:
    assert [(row.band, row.above_percent, row.up_to_percent, row.hazard_rate_ratio) for row in SPIKE_BANDS] == [
        ("none", None, 10, 1.0),
        ("over_10_to_30", 10, 30, 1.64),
        ("over_30_to_100", 30, 100, 1.52),
        ("over_100", 100, None, 2.28),
    ]


def test_a_run_30_days_before_counts() -> None:
    check = spike_checks([run(jan(1), 10.0), run(jan(31), 12.0)])[1]  # 31 Jan - 1 Jan = 30 days
    assert (check.baseline_km, check.band) == (10.0, "over_10_to_30")


def test_a_run_31_days_before_does_not_count() -> None:
    check = spike_checks([run(jan(1), 10.0), run(jan(32), 12.0)])[1]  # 1 Feb
    assert (check.baseline_km, check.band, check.is_spike, check.alert) == (None, "no_recent_baseline", None, False)
    assert check.hazard_rate_ratio is None
    assert check.percent_over_baseline is None


def test_a_run_the_same_day_is_not_the_baseline() -> None:
    checks = spike_checks([run(jan(1), 5.0), run(jan(1), 12.0)])
    assert [check.band for check in checks] == ["no_recent_baseline", "no_recent_baseline"]


def test_same_day_runs_both_use_the_previous_days_and_then_count() -> None:
    sessions = [run(dt.date(2023, 12, 31), 10.0), run(jan(1), 12.0), run(jan(1), 5.0), run(jan(2), 13.0)]
    checks = spike_checks(sessions)
    assert [(c.session.distance_km, c.baseline_km, c.band) for c in checks] == [
        (10.0, None, "no_recent_baseline"),
        (12.0, 10.0, "over_10_to_30"),
        (5.0, 10.0, "none"),
        (13.0, 12.0, "none"),  # 8.3 % over the 12 km of the day before
    ]


def test_the_longest_run_leaves_the_window_and_the_next_longest_takes_over() -> None:
    sessions = [run(jan(1), 20.0), run(jan(11), 8.0), run(jan(21), 12.0), run(jan(32), 13.0), run(jan(42), 15.0)]
    checks = spike_checks(sessions)
    # 1 Feb: the 20 km of 1 Jan is 31 days back, so 12 km (21 Jan) is the longest; 11 Feb: 13 km (1 Feb).
    assert [(c.baseline_km, c.band) for c in checks] == [
        (None, "no_recent_baseline"),
        (20.0, "none"),
        (20.0, "none"),
        (12.0, "none"),
        (13.0, "over_10_to_30"),
    ]


def test_checks_come_back_in_date_order() -> None:
    checks = spike_checks([run(jan(9), 8.0), run(jan(1), 10.0), run(jan(5), 4.0)])
    assert [check.session.date for check in checks] == [jan(1), jan(5), jan(9)]


def test_planned_sessions_alert_but_never_become_the_baseline() -> None:
    sessions = [run(jan(1), 10.0), run(jan(3), 20.0, planned=True), run(jan(5), 11.5)]
    alerts = primary_alerts(sessions)
    assert [(a.session.date, a.session.planned, a.baseline_km, a.band) for a in alerts] == [
        (jan(3), True, 10.0, "over_30_to_100"),  # exactly +100 %
        (jan(5), False, 10.0, "over_10_to_30"),  # against 10 km, not the planned 20 km
    ]


def test_spike_series_lists_completed_spikes_for_the_chart() -> None:
    sessions = [run(jan(1), 10.0), run(jan(3), 20.0, planned=True), run(jan(5), 11.5), run(jan(8), 12.0)]
    ((day, km, percent),) = spike_series(sessions)  # 12 km on the 8th is only +4.3 % over 11.5
    assert (day, km) == (jan(5), 11.5)
    assert percent == pytest.approx(15.0)


def test_check_planned_session_against_the_log() -> None:
    log = [run(jan(1), 10.0), run(jan(20), 12.0)]
    check = check_planned_session(log, run(jan(36), 14.0, planned=True))  # 5 Feb: window 6 Jan - 4 Feb
    assert (check.baseline_km, check.band, check.alert) == (12.0, "over_10_to_30", True)
    assert check.percent_over_baseline == pytest.approx(16.6667, abs=1e-4)
    later = check_planned_session(log, run(jan(56), 5.0, planned=True))  # 25 Feb: 20 Jan is 36 days back
    assert (later.band, later.is_spike) == ("no_recent_baseline", None)


def test_longest_run_before_a_day() -> None:
    log = [run(jan(1), 10.0), run(jan(31), 4.0), run(jan(10), 3.0, planned=True)]
    assert longest_run_before(log, jan(31)) == 10.0  # same day excluded, planned ignored
    assert longest_run_before(log, jan(32)) == 4.0
    assert longest_run_before(log, jan(1)) is None


_DAYS = st.integers(0, 120)
_TENTHS = st.integers(1, 500)
_SESSIONS = st.lists(st.tuples(_DAYS, _TENTHS, st.booleans()), max_size=40)


def _sessions_of(raw: list[tuple[int, int, bool]]) -> list[RunningSession]:
    return [run(jan(1) + dt.timedelta(days=day), tenths / 10, planned=planned) for day, tenths, planned in raw]


def _oracle_band(km: Fraction, baseline: Fraction | None) -> str:
    if baseline is None:
        return "no_recent_baseline"
    over = (km / baseline - 1) * 100
    if over > 100:
        return "over_100"
    if over > 30:
        return "over_30_to_100"
    return "over_10_to_30" if over > 10 else "none"


@given(_SESSIONS)
def test_spike_rule_equals_a_brute_force_oracle(raw: list[tuple[int, int, bool]]) -> None:
    sessions = _sessions_of(raw)
    expected = []
    for session in sorted(sessions, key=lambda s: s.date):
        window = [
            Fraction(str(other.distance_km))
            for other in sessions
            if not other.planned and 1 <= (session.date - other.date).days <= 30
        ]
        baseline = max(window, default=None)
        expected.append(
            (session.date, session.distance_km, baseline, _oracle_band(Fraction(str(session.distance_km)), baseline))
        )
    actual = [
        (c.session.date, c.session.distance_km, None if c.baseline_km is None else Fraction(str(c.baseline_km)), c.band)
        for c in spike_checks(sessions)
    ]
    assert actual == expected


@given(_SESSIONS)
def test_weekly_totals_sum_to_the_distance_run(raw: list[tuple[int, int, bool]]) -> None:
    sessions = _sessions_of(raw)
    done = [s for s in sessions if not s.planned]
    weeks = weekly_loads(sessions)
    assert math.isclose(sum(w.distance_km for w in weeks), sum(s.distance_km for s in done), abs_tol=1e-9)
    assert sum(w.runs for w in weeks) == len(done)
    assert all(
        later.week_start - earlier.week_start == dt.timedelta(days=7) for earlier, later in itertools.pairwise(weeks)
    )
    assert all(w.week_start.weekday() == 0 for w in weeks)
    if done:
        assert weeks[0].week_start <= min(s.date for s in done) < weeks[0].week_start + dt.timedelta(days=7)
        assert weeks[-1].week_start <= max(s.date for s in done) < weeks[-1].week_start + dt.timedelta(days=7)


# --- ACWR (contested) -----------------------------------------------------------------------------------------

MONDAY_TENS = [run(jan(1), 10.0), run(jan(8), 10.0), run(jan(15), 10.0), run(jan(22), 10.0)]


def test_acwr_steady_weeks_give_one() -> None:
    acwr = acwr_reference(MONDAY_TENS, jan(28))
    assert (acwr.acute_km, acwr.chronic_weekly_km, acwr.ratio) == (10.0, 10.0, 1.0)


def test_acwr_acute_over_chronic_weekly_average() -> None:
    sessions = [*MONDAY_TENS, run(jan(27), 20.0)]
    acwr = acwr_reference(sessions, jan(28))
    assert (acwr.acute_km, acwr.chronic_weekly_km, acwr.ratio) == (30.0, 15.0, 2.0)


def test_acwr_windows_end_on_the_day_and_ignore_plans_and_the_future() -> None:
    extra = [run(dt.date(2023, 12, 31), 50.0), run(jan(29), 50.0), run(jan(26), 50.0, planned=True)]
    acwr = acwr_reference([*MONDAY_TENS, *extra], jan(28))  # 28 days ending 28 Jan start on 1 Jan
    assert (acwr.acute_km, acwr.chronic_weekly_km, acwr.ratio) == (10.0, 10.0, 1.0)


def test_acwr_without_running_has_no_ratio() -> None:
    acwr = acwr_reference([], jan(28))
    assert (acwr.acute_km, acwr.chronic_weekly_km, acwr.ratio) == (0.0, 0.0, None)


def test_acwr_always_says_it_is_contested() -> None:
    acwr = acwr_reference(MONDAY_TENS, jan(28))
    assert acwr.contested is True
    assert "contested metric" in acwr.label
    assert "Impellizzeri 2020" in acwr.label
    with pytest.raises(TypeError):
        AcwrReference(on=jan(28), acute_km=1.0, chronic_weekly_km=1.0, ratio=1.0, contested=False)  # type: ignore[call-arg]
