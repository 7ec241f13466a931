"""The progress view's shared time axis: running weeks and spikes, return-to-run stages, episode markers.

Return-to-run stages run from one assessment's plan (``detail["plan"]["return_to_run_phase"]``, see
``workstation.assessment.draft``) to the next assessment with a plan; the latest runs to today, or to its
episode's discharge when the episode was discharged (a stage is not still in force years after discharge).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.assessment.rules import FLAG_NAMES
from workstation.clinical.load import (
    SPIKE_LOOKBACK_DAYS,
    TWO_WEEK_FLAG_PERCENT,
    DistanceUnit,
    distance_in_unit,
    spike_checks,
    week_start,
    weekly_loads,
)
from workstation.clinical.rounding import one_decimal
from workstation.clinical.walk_run import WALK_RUN_PHASES
from workstation.dates import DateOrder, format_date
from workstation.progress.chart_data import Marker, SpikeMark, StageSpan, WeekBar
from workstation.records import Episode, EpisodeStatus
from workstation.running.records import RunRecord

NO_ACTION_YET = "No action recorded yet"


class DayNames:
    """format_date once per day: the same few hundred days label thousands of points."""

    def __init__(self, order: DateOrder) -> None:
        self._order = order
        self._names: dict[date, str] = {}

    def __call__(self, day: date) -> str:
        name = self._names.get(day)
        if name is None:
            name = self._names[day] = format_date(day, self._order)
        return name


# --- running --------------------------------------------------------------------------------------------------


def running_series(
    runs: Sequence[RunRecord], unit: DistanceUnit, day: DayNames
) -> tuple[tuple[WeekBar, ...], tuple[SpikeMark, ...]]:
    """Weekly bars (every week of the logged span, 0 when no run) and the completed runs that were spikes."""
    sessions = [run.as_session() for run in runs]
    loads = weekly_loads(sessions)
    weeks = []
    totals: dict[date, float] = {}
    for load in loads:
        distance = one_decimal(distance_in_unit(load.distance_km, unit))
        totals[load.week_start] = distance
        count = "1 run" if load.runs == 1 else f"{load.runs} runs"
        hover = f"Week of {day(load.week_start)} · {distance:.1f} {unit} · {count}"
        if load.two_week_flag and load.two_week_percent is not None:
            hover += (
                f" · up {one_decimal(load.two_week_percent):.1f} % on 2 weeks before (over {TWO_WEEK_FLAG_PERCENT} %)"
            )
        weeks.append(WeekBar(load.week_start, distance, hover))
    spikes = []
    for check in spike_checks(sessions):
        if not check.alert or check.session.planned or check.percent_over_baseline is None or check.baseline_km is None:
            continue
        on = check.session.date
        distance = one_decimal(distance_in_unit(check.session.distance_km, unit))
        baseline = one_decimal(distance_in_unit(check.baseline_km, unit))
        percent = one_decimal(100 + check.percent_over_baseline)
        hover = (
            f"{day(on)} · {distance:.1f} {unit} run, {percent:g} % of the longest run in the previous "
            f"{SPIKE_LOOKBACK_DAYS} days ({baseline:.1f} {unit})"
        )
        spikes.append(SpikeMark(on, distance, totals[week_start(on)], percent, check.band, hover))
    return tuple(weeks), tuple(spikes)


# --- stages and markers ---------------------------------------------------------------------------------------


def _phase_of(record: AssessmentRecord) -> tuple[bool, int | None]:
    """(has a plan, its walk-run phase or None for not running)."""
    try:
        detail = json.loads(record.detail or "{}")
    except ValueError:
        return False, None
    plan = detail.get("plan") if isinstance(detail, dict) else None
    if not isinstance(plan, dict):
        return False, None
    phase = plan.get("return_to_run_phase")
    valid = isinstance(phase, int) and not isinstance(phase, bool) and 1 <= phase <= len(WALK_RUN_PHASES)
    return True, phase if valid else None


def plan_phase(record: AssessmentRecord) -> tuple[bool, int | None]:
    """Whether the assessment recorded a plan, and its walk-run phase (None: not running), as the stages read it.

    Public for the squad availability (``workstation.squads.availability``), which must read a plan the
    same way the progress view draws it.
    """
    return _phase_of(record)


def _stage_label(phase: int | None) -> str:
    if phase is None:
        return "Not running"
    continuous = WALK_RUN_PHASES[phase - 1].walk_min is None
    return f"Walk-run phase {phase}" + (" (continuous running)" if continuous else "")


def stage_spans(
    assessments: Sequence[AssessmentRecord], episodes: Sequence[Episode], today: date
) -> tuple[StageSpan, ...]:
    """One span per assessment with a plan, oldest first."""
    discharged = {
        e.id: e.discharge_date
        for e in episodes
        if e.status is EpisodeStatus.DISCHARGED and e.discharge_date is not None and e.id is not None
    }
    planned = []
    for record in assessments:
        has_plan, phase = _phase_of(record)
        if has_plan:
            planned.append((record, phase))
    planned.sort(key=lambda pair: pair[0].assessed_on)
    stages = []
    for index, (record, phase) in enumerate(planned):
        start = record.assessed_on
        end = planned[index + 1][0].assessed_on if index + 1 < len(planned) else today
        if end <= start and index + 1 < len(planned):
            continue  # a later plan the same day replaces this one
        stop = discharged.get(record.episode_id) if record.episode_id is not None else None
        if stop is not None and stop >= start:
            end = min(end, stop)
        stages.append(StageSpan(start, max(start, end), phase, _stage_label(phase), record.id))
    return tuple(stages)


def episode_markers(episodes: Iterable[Episode], red_flags: Iterable[RedFlagRecord]) -> tuple[Marker, ...]:
    """Onsets, discharges and red flags (with their recorded action), in date order."""
    markers = []
    for episode in episodes:
        if episode.onset_date is not None:
            markers.append(Marker(episode.onset_date, "onset", "Onset", episode.complaint))
        if episode.status is EpisodeStatus.DISCHARGED and episode.discharge_date is not None:
            reason = f" · {episode.discharge_reason.label}" if episode.discharge_reason is not None else ""
            markers.append(Marker(episode.discharge_date, "discharge", "Discharged", episode.complaint + reason))
    for flag in red_flags:
        name = FLAG_NAMES.get(flag.code, flag.code.replace("_", " ")).removeprefix("the ")
        action = f"Action: {flag.action}" if flag.action is not None else NO_ACTION_YET
        detail = f"{flag.tier.capitalize()} · {flag.message} · {action}"
        # Stored in UTC: the clinic's own calendar day is the one it was raised on.
        raised = flag.raised_at.astimezone() if flag.raised_at.tzinfo is not None else flag.raised_at
        markers.append(Marker(raised.date(), "red_flag", f"Red flag: {name}", detail))
    markers.sort(key=lambda marker: marker.on)
    return tuple(markers)
