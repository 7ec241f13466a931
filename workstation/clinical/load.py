"""Running load: weekly distance, 2-week progression, single-session spikes and ACWR (CLINICAL.md 7.3).

The primary alert is a planned or completed session longer than 110 % of the longest run in the previous
30 days [Frandsen 2025]; the 2-week progression over 30 % is secondary [Nielsen 2014]. ACWR is offered only
labelled as a contested metric, for reference [Gabbett 2016; Lolli 2019; Impellizzeri 2020].

Distances are kilometres throughout; the clinic's unit setting converts at the edge (``distance_in_unit``).
Thresholds compare exact decimals of the distances as entered, so "exactly 110 %" is exactly 110 %.
Planned sessions are checked for spikes but never counted as running done: they add nothing to weekly
totals, to the 30-day baseline or to ACWR.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from workstation.clinical.rounding import decimal_of

KM_PER_MILE = 1.609344  # km, the international mile (exact by definition)
TWO_WEEK_FLAG_PERCENT = 30  # CLINICAL.md 7.3: % increase over 2 weeks, flagged when greater [Nielsen 2014]
SPIKE_FROM_PERCENT_OVER = 10  # CLINICAL.md 7.3: a spike is > 110 % of the 30-day longest run [Frandsen 2025]
SPIKE_LOOKBACK_DAYS = 30  # CLINICAL.md 7.3: days; the baseline is the longest run of the previous 30 days
ACUTE_DAYS = 7  # CLINICAL.md 7.3: days of acute load in ACWR [Gabbett 2016]
CHRONIC_DAYS = 28  # CLINICAL.md 7.3: days of chronic load, averaged per week [Gabbett 2016]
ACWR_LABEL = "For reference — contested metric [Gabbett 2016; Lolli 2019; Impellizzeri 2020]"
MAX_SESSION_KM = 1000.0  # plausibility bound for one logged session (the longest ultramarathons are shorter)

DistanceUnit = Literal["km", "mi"]
Surface = Literal["road", "track", "trail", "grass", "sand", "loose_dirt", "treadmill", "other"]
SURFACES: tuple[Surface, ...] = ("road", "track", "trail", "grass", "sand", "loose_dirt", "treadmill", "other")
SpikeBand = Literal["no_recent_baseline", "none", "over_10_to_30", "over_30_to_100", "over_100"]

_WEEK = dt.timedelta(days=7)
_LOOKBACK = dt.timedelta(days=SPIKE_LOOKBACK_DAYS)
_HUNDRED = Decimal(100)


def km_to_miles(km: float) -> float:
    """Kilometres to miles (1 mile = 1.609344 km)."""
    return km / KM_PER_MILE


def miles_to_km(miles: float) -> float:
    """Miles to kilometres (1 mile = 1.609344 km)."""
    return miles * KM_PER_MILE


def distance_in_unit(km: float, unit: DistanceUnit) -> float:
    """A distance in km, shown in the clinic's chosen unit."""
    return km if unit == "km" else km_to_miles(km)


def distance_to_km(value: float, unit: DistanceUnit) -> float:
    """A distance typed in the clinic's chosen unit, stored in km."""
    return value if unit == "km" else miles_to_km(value)


@dataclass(frozen=True, slots=True)
class RunningSession:
    """One run, done or planned. Optional fields are None when not recorded.

    ``perceived_effort`` is RPE 0-10; ``shoes`` is the clinic's free-text name for the pair worn.
    """

    date: dt.date
    distance_km: float
    duration_min: float | None = None
    perceived_effort: int | None = None
    surface: Surface | None = None
    shoes: str | None = None
    hills: bool | None = None
    speed_work: bool | None = None
    planned: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise ValueError(f"session date must be a date, got {self.date!r}")
        if not _is_number(self.distance_km) or not 0 < self.distance_km <= MAX_SESSION_KM:
            raise ValueError(
                f"distance_km must be more than 0 and at most {MAX_SESSION_KM:g}, got {self.distance_km!r}"
            )
        if self.duration_min is not None and not (_is_number(self.duration_min) and self.duration_min > 0):
            raise ValueError(f"duration_min must be a positive number, got {self.duration_min!r}")
        effort = self.perceived_effort
        if effort is not None and (isinstance(effort, bool) or not isinstance(effort, int) or not 0 <= effort <= 10):
            raise ValueError(f"perceived_effort must be an integer from 0 to 10, got {effort!r}")
        if self.surface is not None and self.surface not in SURFACES:
            raise ValueError(f"surface must be one of {', '.join(SURFACES)}, got {self.surface!r}")


def _is_number(value: object) -> bool:
    # NaN fails every range test that follows; bools are refused here.
    return not isinstance(value, bool) and isinstance(value, int | float)


def _completed(sessions: Iterable[RunningSession]) -> list[RunningSession]:
    return [session for session in sessions if not session.planned]


# --- weekly distance ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeeklyLoad:
    """One ISO week (Monday start) of completed running.

    ``week_to_week_percent`` compares with the week before, ``two_week_percent`` with the week two weeks
    earlier; either is None when that week had no running (a percentage of nothing is undefined) or lies
    before the log. ``two_week_flag`` is True above 30 % and None when ``two_week_percent`` is undefined:
    undefined is not the same as safe.
    """

    week_start: dt.date
    distance_km: float
    runs: int
    week_to_week_percent: float | None
    two_week_percent: float | None
    two_week_flag: bool | None


def week_start(day: dt.date) -> dt.date:
    """The Monday that starts the ISO week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


def _percent_change(current: Decimal, earlier: Decimal | None) -> float | None:
    if earlier is None or earlier == 0:
        return None
    return float((current - earlier) * _HUNDRED / earlier)


def _two_week_flag(current: Decimal, earlier: Decimal | None) -> bool | None:
    if earlier is None or earlier == 0:
        return None
    return (current - earlier) * _HUNDRED > TWO_WEEK_FLAG_PERCENT * earlier


def weekly_loads(sessions: Iterable[RunningSession], through: dt.date | None = None) -> tuple[WeeklyLoad, ...]:
    """Weekly distance of completed runs, every week from the first run's week to the last (or ``through``).

    Weeks without a run inside that span are present with 0 km, not missing. No completed run: empty.
    """
    done = _completed(sessions)
    if not done:
        return ()
    totals: dict[dt.date, Decimal] = {}
    counts: dict[dt.date, int] = {}
    for session in done:
        start = week_start(session.date)
        totals[start] = totals.get(start, Decimal(0)) + decimal_of(session.distance_km)
        counts[start] = counts.get(start, 0) + 1
    first = min(totals)
    last = max(max(totals), week_start(through) if through is not None else first)
    starts = (first + _WEEK * index for index in range((last - first).days // 7 + 1))
    series = [(start, totals.get(start, Decimal(0))) for start in starts]
    loads = []
    for index, (start, km) in enumerate(series):
        previous = series[index - 1][1] if index >= 1 else None
        two_back = series[index - 2][1] if index >= 2 else None
        loads.append(
            WeeklyLoad(
                week_start=start,
                distance_km=float(km),
                runs=counts.get(start, 0),
                week_to_week_percent=_percent_change(km, previous),
                two_week_percent=_percent_change(km, two_back),
                two_week_flag=_two_week_flag(km, two_back),
            )
        )
    return tuple(loads)


def weekly_distance_series(
    sessions: Iterable[RunningSession], through: dt.date | None = None
) -> tuple[tuple[dt.date, float], ...]:
    """Chart points (week start, km) for the weekly distance chart, zero weeks included."""
    return tuple((week.week_start, week.distance_km) for week in weekly_loads(sessions, through))


# --- single-session spikes ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpikeBandRow:
    """One band of Frandsen 2025: percent over the 30-day longest run, (above, up to], and its hazard ratio."""

    band: SpikeBand
    above_percent: int | None  # exclusive lower bound; None = no lower bound
    up_to_percent: int | None  # inclusive upper bound; None = no upper bound
    hazard_rate_ratio: float


# CLINICAL.md 7.3 [Frandsen 2025]: injury hazard-rate ratios against sessions at most 10 % above the baseline.
SPIKE_BANDS: tuple[SpikeBandRow, ...] = (
    SpikeBandRow("none", None, SPIKE_FROM_PERCENT_OVER, 1.0),  # the reference category
    SpikeBandRow("over_10_to_30", SPIKE_FROM_PERCENT_OVER, 30, 1.64),
    SpikeBandRow("over_30_to_100", 30, 100, 1.52),
    SpikeBandRow("over_100", 100, None, 2.28),
)


@dataclass(frozen=True, slots=True)
class SpikeCheck:
    """One session against the longest completed run in the 30 days before its date.

    The window is the 30 calendar days before the session: a run 30 days earlier counts, one 31 days
    earlier does not, and a run earlier on the same day does not. With no run in that window the band is
    "no_recent_baseline" and ``is_spike`` is None: there is nothing to compare with, which is not "safe".
    """

    session: RunningSession
    baseline_km: float | None
    percent_over_baseline: float | None
    band: SpikeBand
    hazard_rate_ratio: float | None

    @property
    def is_spike(self) -> bool | None:
        """True above 110 % of the baseline, False at or below it, None without a baseline."""
        if self.band == "no_recent_baseline":
            return None
        return self.band != "none"

    @property
    def alert(self) -> bool:
        """The primary alert: this planned or completed session is a spike [Frandsen 2025]."""
        return self.is_spike is True


@dataclass(frozen=True, slots=True)
class _Baseline:
    """A 30-day longest run, with each band's lower limit in km worked out once (most severe band first)."""

    km: Decimal
    limits: tuple[tuple[Decimal, SpikeBandRow], ...]


def _baseline_of(longest: Decimal) -> _Baseline:
    # More than p % over the baseline means longer than baseline x (100 + p) / 100; dividing a Decimal by 100
    # only moves its exponent, so each limit is exact and "exactly 110 %" is not over the limit.
    limits = tuple(
        (longest * (_HUNDRED + row.above_percent) / _HUNDRED, row)
        for row in reversed(SPIKE_BANDS)
        if row.above_percent is not None
    )
    return _Baseline(longest, limits)


def _spike_check(session: RunningSession, distance: Decimal, baseline: _Baseline | None) -> SpikeCheck:
    if baseline is None:
        return SpikeCheck(session, None, None, "no_recent_baseline", None)
    row = SPIKE_BANDS[0]
    for limit, band_row in baseline.limits:
        if distance > limit:
            row = band_row
            break
    return SpikeCheck(
        session=session,
        baseline_km=float(baseline.km),
        # In floats 1.1 km over a 1.0 km baseline comes out as 10.000000000000009 % over, so work in Decimal.
        percent_over_baseline=float((distance - baseline.km) * _HUNDRED / baseline.km),
        band=row.band,
        hazard_rate_ratio=row.hazard_rate_ratio,
    )


def spike_checks(sessions: Iterable[RunningSession]) -> tuple[SpikeCheck, ...]:
    """Check every session, planned or completed, against its 30-day baseline; in date order (stable).

    One pass over the sessions sorted by date, with a deque of (day, longest run that day) whose distances
    decrease from front to back: its front is always the longest run still inside the window, so the
    whole log costs O(n log n) for the sort and O(n) after it.
    """
    ordered = sorted(sessions, key=lambda session: session.date)
    window: deque[tuple[dt.date, Decimal]] = deque()
    checks: list[SpikeCheck] = []
    longest, baseline = Decimal(0), None  # the baseline is rebuilt only when the window's longest run changes
    for day, same_day in itertools.groupby(ordered, key=lambda session: session.date):
        oldest_counted = day - _LOOKBACK
        while window and window[0][0] < oldest_counted:
            window.popleft()
        if not window:
            baseline = None
        elif baseline is None or window[0][1] != longest:
            longest = window[0][1]
            baseline = _baseline_of(longest)
        longest_today: Decimal | None = None
        for session in same_day:
            distance = decimal_of(session.distance_km)
            checks.append(_spike_check(session, distance, baseline))
            if not session.planned:
                longest_today = distance if longest_today is None else max(longest_today, distance)
        if longest_today is not None:
            while window and window[-1][1] <= longest_today:
                window.pop()
            window.append((day, longest_today))
    return tuple(checks)


def longest_run_before(sessions: Iterable[RunningSession], day: dt.date) -> float | None:
    """The longest completed run in the 30 days before ``day`` (not ``day`` itself), or None."""
    oldest_counted = day - dt.timedelta(days=SPIKE_LOOKBACK_DAYS)
    distances = [s.distance_km for s in _completed(sessions) if oldest_counted <= s.date < day]
    return max(distances, default=None)


def check_planned_session(sessions: Iterable[RunningSession], planned: RunningSession) -> SpikeCheck:
    """Check one planned (or proposed) session against the completed runs logged before its date."""
    baseline = longest_run_before(sessions, planned.date)
    limits = None if baseline is None else _baseline_of(decimal_of(baseline))
    return _spike_check(planned, decimal_of(planned.distance_km), limits)


def primary_alerts(sessions: Iterable[RunningSession]) -> tuple[SpikeCheck, ...]:
    """Sessions, planned or completed, more than 110 % of the 30-day longest run [Frandsen 2025]."""
    return tuple(check for check in spike_checks(sessions) if check.alert)


def spike_series(sessions: Iterable[RunningSession]) -> tuple[tuple[dt.date, float, float], ...]:
    """Chart points (date, km, percent over baseline) for completed sessions that were spikes."""
    return tuple(
        (check.session.date, check.session.distance_km, check.percent_over_baseline)
        for check in spike_checks(sessions)
        if check.alert and not check.session.planned and check.percent_over_baseline is not None
    )


# --- ACWR (contested) -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AcwrReference:
    """Acute:chronic workload ratio by distance, for reference only: it is a contested metric.

    Acute = km in the 7 days ending on ``on``; chronic = km in the 28 days ending on ``on``, divided by 4
    (the coupled form the spec describes; the coupling is one reason it is disputed [Lolli 2019]). ``ratio``
    is None when there was no running in the 28 days. It was not associated with injury in runners
    [Frandsen 2025], so the app never alerts on it. ``contested`` and ``label`` cannot be set by callers.
    """

    on: dt.date
    acute_km: float
    chronic_weekly_km: float
    ratio: float | None
    contested: bool = field(default=True, init=False)
    label: str = field(default=ACWR_LABEL, init=False)


def acwr_reference(sessions: Iterable[RunningSession], on: dt.date) -> AcwrReference:
    """ACWR on ``on`` from completed runs, labelled as contested [Gabbett 2016; Lolli 2019; Impellizzeri 2020]."""
    acute_from = on - dt.timedelta(days=ACUTE_DAYS - 1)
    chronic_from = on - dt.timedelta(days=CHRONIC_DAYS - 1)
    acute = chronic = Decimal(0)
    for session in _completed(sessions):
        if chronic_from <= session.date <= on:
            distance = decimal_of(session.distance_km)
            chronic += distance
            if session.date >= acute_from:
                acute += distance
    chronic_weekly = chronic * ACUTE_DAYS / CHRONIC_DAYS
    return AcwrReference(
        on=on,
        acute_km=float(acute),
        chronic_weekly_km=float(chronic_weekly),
        ratio=None if chronic == 0 else float(acute / chronic_weekly),
    )
