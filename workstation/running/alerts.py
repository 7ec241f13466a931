"""Load alerts for the patient banner: recent running that broke the load rules (CLINICAL.md 7.3).

The primary alert is a run in the last two weeks longer than 110 % of the longest run of the 30 days before
it [Frandsen 2025]; the secondary one a weekly distance more than 30 % above the week two weeks earlier,
for the current or the last week [Nielsen 2014]. A recent run with no run in the 30 days before it could not
be checked at all: that is said too, never passed over as if it were safe. The figures come from
``workstation.clinical.load``, so the banner and the charts agree to the decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from workstation.clinical.load import (
    SPIKE_FROM_PERCENT_OVER,
    SPIKE_LOOKBACK_DAYS,
    TWO_WEEK_FLAG_PERCENT,
    DistanceUnit,
    RunningSession,
    SpikeCheck,
    distance_in_unit,
    spike_checks,
    week_start,
    weekly_loads,
)
from workstation.clinical.rounding import one_decimal
from workstation.dates import DateOrder, format_date
from workstation.running.records import RunRecord

RECENT_DAYS = 14  # days, today included: issue 7 app rule, how far back a spike still shows on the banner
SPIKE_PERCENT_OF_LONGEST = 100 + SPIKE_FROM_PERCENT_OVER  # %, CLINICAL.md 7.3 [Frandsen 2025]
TWO_WEEKS = 2  # weeks: the progression compares a week with the one two weeks earlier [Nielsen 2014]

AlertKind = Literal["spike", "no_baseline", "two_week"]
_WEEKS_COMPARED = timedelta(weeks=1 + TWO_WEEKS)  # last week against the week two before it


@dataclass(frozen=True, slots=True)
class LoadAlert:
    """One line of the banner. ``on`` is the run's day, or the Monday of the week for ``two_week``."""

    kind: AlertKind
    on: date
    message: str


def load_alerts(
    runs: Sequence[RunRecord], *, today: date, unit: DistanceUnit, date_order: DateOrder
) -> tuple[LoadAlert, ...]:
    """The banner's load alerts, most serious first: spikes, then unchecked runs, then the 2-week rise."""
    # Only what the alerts can look at: the last fortnight's runs with their 30-day baselines, and the
    # weeks the 2-week rise compares. A five-year log then costs what a two-month one does.
    since = min(today - timedelta(days=RECENT_DAYS - 1 + SPIKE_LOOKBACK_DAYS), week_start(today) - _WEEKS_COMPARED)
    done = [run.as_session() for run in runs if since <= run.run_on <= today]
    if not done:
        return ()
    oldest_recent = today - timedelta(days=RECENT_DAYS - 1)
    recent = [check for check in spike_checks(done) if check.session.date >= oldest_recent]
    alerts = []
    spikes = [check for check in recent if check.alert]
    if spikes:
        alerts.append(_spike_alert(spikes, unit, date_order))
    unchecked = [check for check in recent if check.is_spike is None]
    if unchecked:
        alerts.append(_unchecked_alert(unchecked, unit, date_order))
    alerts.extend(_two_week_alerts(done, today, unit, date_order))
    return tuple(alerts)


def _distance(km: float, unit: DistanceUnit) -> str:
    return f"{one_decimal(distance_in_unit(km, unit)):.1f} {unit}"


def _more(count: int) -> str:
    if count <= 0:
        return ""
    return f" {count} more {'run was' if count == 1 else 'runs were'} over the limit in the last {RECENT_DAYS} days."


def _spike_alert(spikes: Sequence[SpikeCheck], unit: DistanceUnit, order: DateOrder) -> LoadAlert:
    """The latest spike; the others are counted, so the banner stays one sentence or two."""
    latest = spikes[-1]
    run = latest.session
    over = latest.percent_over_baseline or 0.0
    baseline = latest.baseline_km or 0.0
    message = (
        f"Load spike: {_distance(run.distance_km, unit)} on {format_date(run.date, order)} was "
        f"{one_decimal(100 + over):g} % of the longest run in the previous {SPIKE_LOOKBACK_DAYS} days "
        f"({_distance(baseline, unit)}); over {SPIKE_PERCENT_OF_LONGEST} % is linked to more injuries."
        + _more(len(spikes) - 1)
    )
    return LoadAlert("spike", run.date, message)


def _unchecked_alert(unchecked: Sequence[SpikeCheck], unit: DistanceUnit, order: DateOrder) -> LoadAlert:
    run = unchecked[-1].session
    message = (
        f"Not checked for a spike: {_distance(run.distance_km, unit)} on {format_date(run.date, order)} had no "
        f"run logged in the {SPIKE_LOOKBACK_DAYS} days before it to compare with."
    )
    return LoadAlert("no_baseline", run.date, message)


def _two_week_alerts(
    done: Sequence[RunningSession], today: date, unit: DistanceUnit, order: DateOrder
) -> list[LoadAlert]:
    this_week = week_start(today)
    wanted = (this_week - timedelta(weeks=1), this_week)
    weeks = {load.week_start: load for load in weekly_loads(done, through=today)}
    alerts = []
    for start in wanted:
        load = weeks.get(start)
        if load is None or not load.two_week_flag or load.two_week_percent is None:
            continue
        earlier = weeks[start - timedelta(weeks=TWO_WEEKS)]
        which = "this week" if start == this_week else f"the week of {format_date(start, order)}"
        message = (
            f"Weekly distance up {one_decimal(load.two_week_percent):g} % in {TWO_WEEKS} weeks: "
            f"{_distance(load.distance_km, unit)} {which} against {_distance(earlier.distance_km, unit)} "
            f"two weeks before (over {TWO_WEEK_FLAG_PERCENT} % is a warning sign)."
        )
        alerts.append(LoadAlert("two_week", start, message))
    return alerts
