"""The dashboard's charts as data: the LSI distribution, reps against the norm, change between screenings.

Computed here so the window's pyqtgraph plots and the PDF report draw the same numbers (ARCHITECTURE.md
3.6). Every chart reads each athlete's last completed screening on or before the dashboard's day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workstation.squads.athletes import AthleteFacts, age_of, heel_raise_lsi, history_of
from workstation.squads.records import SCREENING_KEYS
from workstation.squads.screening_flags import HEEL_RAISE_KEYS, norm_for
from workstation.squads.views import ChangePoint, DashboardCharts, LsiBin, RepsPoint

LSI_BIN_WIDTH_PERCENT = 10  # 90 % (CLINICAL.md 2.3, the target) falls on a bin edge
LSI_BIN_COUNT = 10  # 0-10 %, ..., 90-100 % (the lower side over the higher is never over 100 %)


def dashboard_charts(athletes: Sequence[AthleteFacts], on: date) -> DashboardCharts:
    """The three charts for the athletes' last screenings on or before ``on``."""
    return DashboardCharts(lsi_bins(athletes, on), reps_vs_norm(athletes, on), changes(athletes, on))


def lsi_bins(athletes: Sequence[AthleteFacts], on: date) -> tuple[LsiBin, ...]:
    """How many athletes' heel-raise LSI falls in each 10 % band; the last band includes 100 %."""
    counts = [0] * LSI_BIN_COUNT
    for athlete in athletes:
        last = history_of(athlete.results, on).last
        lsi = None if last is None else heel_raise_lsi(last.values)
        if lsi is not None:
            counts[min(int(lsi // LSI_BIN_WIDTH_PERCENT), LSI_BIN_COUNT - 1)] += 1
    return tuple(
        LsiBin(float(index * LSI_BIN_WIDTH_PERCENT), float((index + 1) * LSI_BIN_WIDTH_PERCENT), count)
        for index, count in enumerate(counts)
    )


def reps_vs_norm(athletes: Sequence[AthleteFacts], on: date) -> tuple[RepsPoint, ...]:
    """One point per leg measured at each athlete's last screening, with the age-sex norm (CLINICAL.md 2.2)."""
    points = []
    for athlete in athletes:
        last = history_of(athlete.results, on).last
        if last is None:
            continue
        age = age_of(athlete.member, last.held_on)
        norm = norm_for(age, athlete.member.sex)
        for key in HEEL_RAISE_KEYS:
            if key in last.values:
                points.append(RepsPoint(athlete.member.patient_id, age, last.values[key], None if norm is None else
                                        float(norm)))  # fmt: skip
    return tuple(points)


def changes(athletes: Sequence[AthleteFacts], on: date) -> tuple[ChangePoint, ...]:
    """Each measure taken at both of an athlete's last two screenings: before and after."""
    points = []
    for athlete in athletes:
        history = history_of(athlete.results, on)
        if history.last is None or history.before is None:
            continue
        for key in SCREENING_KEYS:
            if key in history.last.values and key in history.before.values:
                before, after = history.before.values[key], history.last.values[key]
                points.append(ChangePoint(athlete.member.patient_id, key, before, after))
    return tuple(points)
