"""Load alerts on the patient banner: spikes in the last 14 days, runs with nothing to compare, the 2-week rise."""

from __future__ import annotations

from datetime import date, timedelta

from workstation.dates import DateOrder
from workstation.running.alerts import LoadAlert, load_alerts
from workstation.running.records import RunRecord

TODAY = date(2025, 11, 20)  # a Thursday
DMY = DateOrder.DAY_MONTH_YEAR


def _run(on: date, km: float) -> RunRecord:
    return RunRecord(3, on, km)


def _alerts(runs: list[RunRecord], **kwargs: object) -> tuple[LoadAlert, ...]:
    options: dict[str, object] = {"today": TODAY, "unit": "km", "date_order": DMY, **kwargs}
    return load_alerts(runs, **options)  # type: ignore[arg-type]


def _kinds(alerts: tuple[LoadAlert, ...]) -> list[str]:
    return [alert.kind for alert in alerts]


def _steady(until: date, km: float = 14.0) -> list[RunRecord]:
    """A run every 4 days for six weeks before ``until``: a baseline of ``km`` and no rise in weekly distance."""
    return [_run(until - timedelta(days=4 * n), km) for n in range(10, 0, -1)]


def test_a_spike_is_one_plain_sentence_with_the_date_distance_and_baseline() -> None:
    spike_day = date(2025, 11, 14)
    (alert,) = [a for a in _alerts([*_steady(spike_day), _run(spike_day, 21.0)]) if a.kind == "spike"]
    assert alert.on == spike_day
    assert alert.message.startswith(
        "Load spike: 21.0 km on 14/11/2025 was 150 % of the longest run in the previous 30 days (14.0 km)"
    )


def test_exactly_110_percent_is_no_spike_and_just_over_is() -> None:
    spike_day = date(2025, 11, 14)
    assert "spike" not in _kinds(_alerts([*_steady(spike_day, 10.0), _run(spike_day, 11.0)]))
    assert "spike" in _kinds(_alerts([*_steady(spike_day, 10.0), _run(spike_day, 11.01)]))


def test_only_spikes_of_the_last_14_days_show() -> None:
    edge = TODAY - timedelta(days=13)
    assert "spike" in _kinds(_alerts([*_steady(edge), _run(edge, 20.0)]))
    gone = TODAY - timedelta(days=14)
    assert "spike" not in _kinds(_alerts([*_steady(gone), _run(gone, 20.0)]))


def test_the_latest_spike_is_told_and_the_rest_counted() -> None:
    first, second = date(2025, 11, 10), date(2025, 11, 17)
    runs = [*_steady(first, 10.0), _run(first, 13.0), _run(second, 20.0)]
    (alert,) = [a for a in _alerts(runs) if a.kind == "spike"]
    assert "20.0 km on 17/11/2025" in alert.message
    assert alert.message.endswith("1 more run was over the limit in the last 14 days.")


def test_a_recent_run_with_no_baseline_is_never_passed_as_safe() -> None:
    (alert,) = _alerts([_run(TODAY - timedelta(days=2), 8.0)])
    assert alert.kind == "no_baseline"
    assert alert.message == (
        "Not checked for a spike: 8.0 km on 18/11/2025 had no run logged in the 30 days before it to compare with."
    )


def test_the_two_week_rise_over_30_percent_for_this_or_last_week() -> None:
    this_monday = date(2025, 11, 17)
    # 10 km two weeks before last week, then 13 km (exactly 30 %: no alert) and 13.5 km this week (35 %).
    runs = [_run(this_monday - timedelta(weeks=3), 10.0), _run(this_monday - timedelta(weeks=2), 10.0),
            _run(this_monday - timedelta(weeks=1), 13.0), _run(this_monday, 13.5)]  # fmt: skip
    alerts = [a for a in _alerts(runs) if a.kind == "two_week"]
    assert [a.on for a in alerts] == [this_monday]
    assert alerts[0].message == (
        "Weekly distance up 35 % in 2 weeks: 13.5 km this week against 10.0 km two weeks before "
        "(over 30 % is a warning sign)."
    )


def test_an_older_two_week_rise_is_not_on_the_banner() -> None:
    old = date(2025, 10, 6)
    runs = [_run(old - timedelta(weeks=2), 10.0), _run(old, 20.0)]
    assert "two_week" not in _kinds(_alerts(runs))


def test_miles_and_the_us_date_order() -> None:
    spike_day = date(2025, 11, 14)
    runs = [*_steady(spike_day, 16.09344), _run(spike_day, 24.14016)]
    (alert,) = [a for a in _alerts(runs, unit="mi", date_order=DateOrder.MONTH_DAY_YEAR) if a.kind == "spike"]
    assert alert.message.startswith("Load spike: 15.0 mi on 11/14/2025 was 150 % of the longest run")
    assert "(10.0 mi)" in alert.message


def test_no_runs_no_alerts_and_future_runs_ignored() -> None:
    assert _alerts([]) == ()
    assert _alerts([_run(TODAY + timedelta(days=1), 30.0)]) == ()


def test_years_of_history_give_the_alerts_of_the_last_weeks_alone() -> None:
    # The banner reads only the runs it can speak about: a long log must not change what it says.
    from random import Random

    rng = Random(7)
    history = [_run(TODAY - timedelta(days=day), round(rng.uniform(3, 24), 1)) for day in range(5 * 365, 1, -2)]
    history.append(_run(TODAY - timedelta(days=1), 40.0))  # a spike yesterday, so there is something to say
    for cut in (45, 60, 90):
        recent = [run for run in history if run.run_on >= TODAY - timedelta(days=cut)]
        for day in (TODAY, TODAY - timedelta(days=3), TODAY - timedelta(days=6)):
            assert _alerts(history, today=day) == _alerts(recent, today=day)
    assert "spike" in _kinds(_alerts(history))  # the comparison is not of nothing
