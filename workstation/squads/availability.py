"""Whether an athlete can train today, from their record: the one thing club staff always see (G5).

The rules are a table, read top to bottom; the first that holds for the athlete gives the availability
and a reason with no clinical detail (a coach reads "Awaiting assessment", never the complaint). An
athlete with several episodes under way gets the most restrictive answer, because the rules are ordered
from the most restrictive down, and among walk-run phases the earliest phase wins.

An episode is under way while it is open or on hold. Its plan is the latest current assessment of that
episode that recorded one, read as the progress view reads it (``workstation.progress.timeline.plan_phase``:
``detail["plan"]["return_to_run_phase"]``, a walk-run phase of CLINICAL.md 7.2, or None for "not running").
An assessment with no plan does not end the stage an earlier plan set, as on the progress view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.clinical.walk_run import WALK_RUN_PHASES
from workstation.progress.timeline import plan_phase
from workstation.records import Episode, EpisodeStatus
from workstation.squads.records import Availability, AvailabilityStatus

UNDER_WAY = frozenset({EpisodeStatus.OPEN, EpisodeStatus.ON_HOLD})

RED_FLAG_REASON = "Red flag: see the physio"
AWAITING_ASSESSMENT_REASON = "Awaiting assessment"
NOT_RUNNING_REASON = "Not running yet"
NO_PLAN_REASON = "Under treatment: check with the physio"
FIT_REASON = "Fit to train"


@dataclass(frozen=True, slots=True)
class EpisodeState:
    """One episode under way and what its assessments say, as the rules read it."""

    episode: Episode
    assessed: bool  # at least one current assessment of this episode, on or before the day
    has_plan: bool  # one of them recorded a plan
    phase: int | None  # the latest plan's walk-run phase; None with a plan: not running
    plan_on: date | None  # the day of that plan's assessment


@dataclass(frozen=True, slots=True)
class AthleteState:
    """Everything the availability rules look at for one athlete on one day."""

    unresolved_flags: tuple[RedFlagRecord, ...]
    episodes: tuple[EpisodeState, ...]  # under way only


@dataclass(frozen=True, slots=True)
class AvailabilityRule:
    """One row of the table: when it holds, and what it then says."""

    name: str
    decide: Callable[[AthleteState], AvailabilityStatus | None]


def _red_flag(state: AthleteState) -> AvailabilityStatus | None:
    if not state.unresolved_flags:
        return None
    since = min(_local_day(flag) for flag in state.unresolved_flags)
    return AvailabilityStatus(Availability.UNAVAILABLE, RED_FLAG_REASON, since)


def _awaiting_assessment(state: AthleteState) -> AvailabilityStatus | None:
    waiting = [e.episode for e in state.episodes if not e.assessed]
    if not waiting:
        return None
    onsets = [episode.onset_date for episode in waiting if episode.onset_date is not None]
    return AvailabilityStatus(Availability.UNAVAILABLE, AWAITING_ASSESSMENT_REASON, min(onsets, default=None))


def _not_running(state: AthleteState) -> AvailabilityStatus | None:
    stopped = [e.plan_on for e in state.episodes if e.has_plan and e.phase is None]
    if not stopped:
        return None
    return AvailabilityStatus(Availability.UNAVAILABLE, NOT_RUNNING_REASON, _earliest(stopped))


def _walk_run(state: AthleteState) -> AvailabilityStatus | None:
    phased = [e for e in state.episodes if e.has_plan and e.phase is not None]
    if not phased:
        return None
    earliest = min(phased, key=lambda e: (e.phase or 0))
    assert earliest.phase is not None
    return AvailabilityStatus(Availability.MODIFIED, walk_run_reason(earliest.phase), earliest.plan_on)


def _no_plan(state: AthleteState) -> AvailabilityStatus | None:
    # Assessed but no return-to-run plan recorded: under care, so not simply fit; the physio decides.
    unplanned = [e for e in state.episodes if e.assessed and not e.has_plan]
    if not unplanned:
        return None
    return AvailabilityStatus(Availability.MODIFIED, NO_PLAN_REASON, None)


def _fit(state: AthleteState) -> AvailabilityStatus | None:
    return AvailabilityStatus(Availability.AVAILABLE, FIT_REASON, None)


# Most restrictive first: the first rule that holds decides.
AVAILABILITY_RULES: tuple[AvailabilityRule, ...] = (
    AvailabilityRule("unresolved red flag", _red_flag),
    AvailabilityRule("episode under way, not assessed yet", _awaiting_assessment),
    AvailabilityRule("latest plan: not running", _not_running),
    AvailabilityRule("latest plan: a walk-run phase", _walk_run),
    AvailabilityRule("assessed, no return-to-run plan", _no_plan),
    AvailabilityRule("nothing under way", _fit),
)


def walk_run_reason(phase: int) -> str:
    """ "Return to running: walk-run phase 3" (phase 6 is continuous running, CLINICAL.md 7.2)."""
    continuous = WALK_RUN_PHASES[phase - 1].continuous
    return f"Return to running: walk-run phase {phase}" + (" (continuous running)" if continuous else "")


def athlete_state(
    episodes: Iterable[Episode],
    unresolved_flags: Iterable[RedFlagRecord],
    assessments: Iterable[AssessmentRecord],
    today: date,
) -> AthleteState:
    """What the rules read: the unresolved red flags and each episode under way with its latest plan.

    Args:
        episodes: the athlete's episodes (any status; only open and on-hold ones count).
        unresolved_flags: red flags with no action recorded yet.
        assessments: the current (not amended) assessments; those after ``today`` are ignored.
        today: the day the availability is for.
    """
    by_episode: dict[int, list[AssessmentRecord]] = {}
    for record in assessments:
        if record.episode_id is not None and record.assessed_on <= today:
            by_episode.setdefault(record.episode_id, []).append(record)
    states = tuple(
        _episode_state(episode, by_episode.get(episode.id, []) if episode.id is not None else [])
        for episode in episodes
        if episode.status in UNDER_WAY
    )
    return AthleteState(tuple(flag for flag in unresolved_flags if not flag.resolved), states)


def _episode_state(episode: Episode, records: Sequence[AssessmentRecord]) -> EpisodeState:
    latest: tuple[date, int, int | None] | None = None
    for record in records:
        has_plan, phase = plan_phase(record)
        if has_plan:
            key = (record.assessed_on, record.id or 0, phase)
            if latest is None or key[:2] >= latest[:2]:
                latest = key
    if latest is None:
        return EpisodeState(episode, assessed=bool(records), has_plan=False, phase=None, plan_on=None)
    return EpisodeState(episode, assessed=True, has_plan=True, phase=latest[2], plan_on=latest[0])


def availability_of(
    episodes: Iterable[Episode],
    unresolved_flags: Iterable[RedFlagRecord],
    assessments: Iterable[AssessmentRecord],
    today: date,
) -> AvailabilityStatus:
    """The athlete's availability on ``today``: the first rule of ``AVAILABILITY_RULES`` that holds.

    Args:
        episodes: the athlete's episodes of care.
        unresolved_flags: their red flags with no action recorded.
        assessments: their current assessments (the plans are read from these).
        today: the day asked about.
    """
    return decide(athlete_state(episodes, unresolved_flags, assessments, today))


def decide(state: AthleteState) -> AvailabilityStatus:
    """The first rule of the table that holds for ``state`` (the last always does)."""
    for rule in AVAILABILITY_RULES:
        status = rule.decide(state)
        if status is not None:
            return status
    raise AssertionError("the last availability rule always holds")  # pragma: no cover


def _local_day(flag: RedFlagRecord) -> date:
    # Stored in UTC: the clinic's own calendar day is the one it was raised on (as the progress markers).
    raised = flag.raised_at.astimezone() if flag.raised_at.tzinfo is not None else flag.raised_at
    return raised.date()


def _earliest(days: Iterable[date | None]) -> date | None:
    return min((day for day in days if day is not None), default=None)
