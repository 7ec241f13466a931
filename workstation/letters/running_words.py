"""The walk-run programme and the week's running in words, for letters and the handout (CLINICAL.md 7.2, 7.3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from workstation.clinical.load import SPIKE_LOOKBACK_DAYS, DistanceUnit, week_start
from workstation.clinical.walk_run import DEFAULT_MAX_DURING_RUN_PAIN, WALK_RUN_PHASES, WalkRunPhase
from workstation.letters.locale import LetterLocale
from workstation.letters.stored import is_whole
from workstation.letters.wording import NOT_DONE
from workstation.progress.chart_data import ProgressSeries

RECENT_WEEKS = 4  # weeks of running a letter quotes
NOT_RUNNING = "Not running for now."
NOT_RUNNING_PLAIN = "No running for now: we will tell you when to start."
# CLINICAL.md 7.2: the walk-run template's rules and the app's default symptom rule, for the patient.
WALK_RUN_RULES = (
    "Leave at least one rest day between runs.",
    "Do each stage at least twice before moving on.",  # MIN_RUNS_PER_PHASE
    "Do not move on if pain, swelling or stiffness increase during or after a run.",
    "Keep to flat ground: no hills for now.",
    f"During a run, pain should stay at {DEFAULT_MAX_DURING_RUN_PAIN} out of 10 or less and not build up; it should "
    "be back to normal within 24 hours, with no limp the next morning. If not, drop back one stage.",
)


def phase_of(plan: dict[str, Any]) -> WalkRunPhase | str | None:
    """The plan's walk-run phase; None for "not running"; "–" when the stored value cannot be read."""
    phase = plan.get("return_to_run_phase")
    if phase is None:
        return None
    if is_whole(phase) and 1 <= int(phase) <= len(WALK_RUN_PHASES):
        return WALK_RUN_PHASES[int(phase) - 1]
    return NOT_DONE


def distance_words(phase: WalkRunPhase, unit: DistanceUnit) -> str:
    """The phase's distance in the clinic's unit only: "3.2 km", or "2 miles" where the clinic runs in miles.

    The walk-run template is written in miles (CLINICAL.md 7.2 [Trials 2023]); a letter gives the one unit
    its reader runs in (``Context.unit``: the clinic's distance setting, else miles in the US and km
    elsewhere), as the running log beside it does, rather than two figures to choose between.
    """
    if unit == "mi":
        return f"{phase.total_miles:g} {'mile' if phase.total_miles == 1 else 'miles'}"
    return f"{phase.total_km:.1f} km"


def phase_line(phase: WalkRunPhase | str | None, unit: DistanceUnit) -> str:
    """For a clinician: "Walk-run phase 3: walk 2 min, run 4 min, 2.4 km in all, effort 4/10."."""
    if phase is None:
        return NOT_RUNNING
    if isinstance(phase, str):
        return phase
    distance = distance_words(phase, unit)
    if phase.continuous:
        return f"Walk-run phase {phase.phase}: continuous running, {distance}, effort {phase.effort_rpe}/10."
    return (
        f"Walk-run phase {phase.phase}: walk {phase.walk_min} min, run {phase.run_min} min, {distance} in all, "
        f"effort {phase.effort_rpe}/10."
    )


def plain_phase_line(phase: WalkRunPhase | str | None, unit: DistanceUnit) -> str:
    """For the patient: "Walk for 2 minutes, then run for 3 minutes, and repeat ..."."""
    if phase is None:
        return NOT_RUNNING_PLAIN
    if isinstance(phase, str):
        return "Ask us which running stage you are at."
    distance = distance_words(phase, unit)
    effort = f"Keep the effort easy: about {phase.effort_rpe} out of 10."
    if phase.continuous:
        return f"Running stage {phase.phase}: run continuously for about {distance}. {effort}"
    return (
        f"Running stage {phase.phase}: walk for {phase.walk_min} minutes, then run for {phase.run_min} minutes, and "
        f"repeat until you have covered about {distance}. {effort}"
    )


def recent_weeks(series: ProgressSeries, today: date, locale: LetterLocale) -> tuple[str, ...]:
    """The last weeks' running, each "week of 23 Nov 2026: 18.0 km", oldest first."""
    first = week_start(today) - timedelta(days=7 * (RECENT_WEEKS - 1))  # this week and the three before
    return tuple(
        f"week of {locale.short_date(week.week_start)}: {week.distance:.1f} {series.unit}"
        for week in series.weeks
        if first <= week.week_start <= today
    )


def recent_spikes(series: ProgressSeries, today: date, locale: LetterLocale) -> tuple[str, ...]:
    """Runs of the last 30 days over 110 % of the longest run before them [Frandsen 2025]."""
    first = today - timedelta(days=SPIKE_LOOKBACK_DAYS)
    return tuple(
        f"{locale.long_date(spike.on)}: a {spike.distance:.1f} {series.unit} run, {spike.percent_of_baseline:g} % "
        f"of the longest run of the {SPIKE_LOOKBACK_DAYS} days before (over 110 % is a spike)"
        for spike in series.spikes
        if first <= spike.on <= today
    )
