"""The walk-run programme after a calf strain: its phases, the symptom rules, and when to progress (CLINICAL.md 7.2).

The phases are a data table (the Trials 2023 template, in miles and km); the symptom-monitoring rule is
editable (``SymptomRules``). Breaking a rule drops one phase; an unanswered symptom report blocks
progress but never drops a phase on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from workstation.clinical.load import miles_to_km

Decision = Literal["progress", "repeat", "drop"]

MIN_RUNS_PER_PHASE = 2  # CLINICAL.md 7.2: repeat each walk-run phase at least twice [Trials 2023]
MIN_REST_DAYS_BETWEEN_RUNS = 1  # CLINICAL.md 7.2: days, at least 1 rest day between runs [Trials 2023]
DEFAULT_MAX_DURING_RUN_PAIN = 2  # CLINICAL.md 7.2: app default, during-run pain <= 2/10 [runcalcs; Green 2022]


@dataclass(frozen=True, slots=True)
class WalkRunPhase:
    """One phase of the walk-run template. ``walk_min`` and ``run_min`` are None for continuous running."""

    phase: int
    effort_rpe: int
    walk_min: int | None
    run_min: int | None
    total_miles: float
    total_km: float

    @property
    def continuous(self) -> bool:
        return self.run_min is None


def _phase(phase: int, rpe: int, walk: int | None, run: int | None, miles: float) -> WalkRunPhase:
    return WalkRunPhase(phase, rpe, walk, run, miles, miles_to_km(miles))


# CLINICAL.md 7.2, walk-run template (an example to adjust to the patient) [Trials 2023 RCT protocol].
WALK_RUN_PHASES: tuple[WalkRunPhase, ...] = (
    _phase(1, 3, 2, 3, 1.0),
    _phase(2, 3, 2, 3, 1.5),
    _phase(3, 4, 2, 4, 1.5),
    _phase(4, 4, 2, 4, 2.0),
    _phase(5, 5, 1, 4, 2.0),
    _phase(6, 5, None, None, 2.0),
)


@dataclass(frozen=True, slots=True)
class SymptomRules:
    """The symptom-monitoring rule; the app default, which the clinician may edit (CLINICAL.md 7.2)."""

    max_during_run_pain: int = DEFAULT_MAX_DURING_RUN_PAIN
    pain_must_not_escalate: bool = True
    back_to_baseline_within_24h: bool = True
    no_next_morning_limp: bool = True

    def __post_init__(self) -> None:
        pain = self.max_during_run_pain
        if isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= 10:
            raise ValueError(f"max_during_run_pain must be an integer from 0 to 10, got {pain!r}")


DEFAULT_SYMPTOM_RULES = SymptomRules()


@dataclass(frozen=True, slots=True)
class WalkRunSession:
    """One walk-run session and the runner's symptom report. None = not (yet) reported.

    ``pain_escalated_during_run`` is pain rising as the run goes on (the symptom rule); the ``*_increased``
    fields compare during and after the run with before it (the template's "don't progress" rule).
    """

    date: dt.date
    during_run_pain: int | None = None
    pain_escalated_during_run: bool | None = None
    back_to_baseline_within_24h: bool | None = None
    next_morning_limp: bool | None = None
    swelling_increased: bool | None = None
    stiffness_increased: bool | None = None
    pain_increased: bool | None = None

    def __post_init__(self) -> None:
        pain = self.during_run_pain
        if pain is not None and (isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= 10):
            raise ValueError(f"during_run_pain must be an integer from 0 to 10, got {pain!r}")


@dataclass(frozen=True, slots=True)
class ProgressionAdvice:
    """What to do next. ``next_phase`` is None when dropping from phase 1 (pause running and review) or
    progressing from the last phase (the programme is complete)."""

    decision: Decision
    phase: int
    next_phase: int | None
    reasons: tuple[str, ...]


def symptom_rule_breaks(session: WalkRunSession, rules: SymptomRules = DEFAULT_SYMPTOM_RULES) -> tuple[str, ...]:
    """The symptom-monitoring rules this session broke; an unreported item breaks nothing (and counts for nothing)."""
    breaks = []
    pain = session.during_run_pain
    if pain is not None and pain > rules.max_during_run_pain:
        breaks.append(f"pain during the run {pain}/10, above {rules.max_during_run_pain}/10")
    if rules.pain_must_not_escalate and session.pain_escalated_during_run:
        breaks.append("pain escalated during the run")
    if rules.back_to_baseline_within_24h and session.back_to_baseline_within_24h is False:
        breaks.append("symptoms not back to baseline within 24 h")
    if rules.no_next_morning_limp and session.next_morning_limp:
        breaks.append("limping the next morning")
    return tuple(breaks)


def _unreported(session: WalkRunSession, rules: SymptomRules) -> list[str]:
    """Report items still unanswered; items of a rule the clinician switched off are not needed."""
    needed: list[tuple[str, object]] = [
        ("pain during the run", session.during_run_pain),
        ("swelling", session.swelling_increased),
        ("stiffness", session.stiffness_increased),
        ("pain compared with before", session.pain_increased),
    ]
    if rules.pain_must_not_escalate:
        needed.append(("pain escalation", session.pain_escalated_during_run))
    if rules.back_to_baseline_within_24h:
        needed.append(("back to baseline within 24 h", session.back_to_baseline_within_24h))
    if rules.no_next_morning_limp:
        needed.append(("next-morning limp", session.next_morning_limp))
    return [item for item, value in needed if value is None]


def _why_session_does_not_count(session: WalkRunSession, previous: dt.date | None, rules: SymptomRules) -> list[str]:
    reasons = []
    increased = [
        name
        for name, value in (
            ("swelling", session.swelling_increased),
            ("stiffness", session.stiffness_increased),
            ("pain", session.pain_increased),
        )
        if value
    ]
    if increased:
        reasons.append(f"{session.date}: {', '.join(increased)} increased during or after the run")
    unreported = _unreported(session, rules)
    if unreported:
        reasons.append(f"{session.date}: symptom report incomplete ({', '.join(unreported)})")
    if previous is not None and (session.date - previous).days <= MIN_REST_DAYS_BETWEEN_RUNS:
        reasons.append(f"{session.date}: no rest day since the run on {previous}")
    return reasons


def _counted_runs(ordered: Sequence[WalkRunSession], rules: SymptomRules) -> tuple[int, list[str]]:
    """Runs in a row, ending with the latest, that count towards progressing, and why the streak last broke."""
    streak, blockers = 0, []
    previous: dt.date | None = None
    for session in ordered:
        reasons = _why_session_does_not_count(session, previous, rules)
        if reasons:
            streak, blockers = 0, reasons
        else:
            streak += 1
        previous = session.date
    return streak, blockers


def advise_progression(
    phase: int, sessions: Sequence[WalkRunSession], rules: SymptomRules = DEFAULT_SYMPTOM_RULES
) -> ProgressionAdvice:
    """Progress, repeat or drop one phase, from the sessions logged since the runner reached ``phase``.

    Drop one phase if any of those sessions broke the symptom-monitoring rule. Progress only after at least
    two sessions in a row (ending with the latest) with a complete symptom report, no increase in swelling,
    stiffness or pain, and a rest day before each. Otherwise repeat the phase.

    Raises:
        ValueError: if ``phase`` is not a phase of ``WALK_RUN_PHASES``.
    """
    last_phase = WALK_RUN_PHASES[-1].phase
    if isinstance(phase, bool) or not isinstance(phase, int) or not 1 <= phase <= last_phase:
        raise ValueError(f"phase must be an integer from 1 to {last_phase}, got {phase!r}")
    ordered = sorted(sessions, key=lambda session: session.date)
    breaks = [f"{session.date}: {rule}" for session in ordered for rule in symptom_rule_breaks(session, rules)]
    if breaks:
        if phase == 1:
            return ProgressionAdvice("drop", phase, None, (*breaks, "no lower phase: pause running and review"))
        return ProgressionAdvice("drop", phase, phase - 1, (*breaks, f"drop to phase {phase - 1}"))
    streak, blockers = _counted_runs(ordered, rules)
    if streak >= MIN_RUNS_PER_PHASE:
        done = f"{streak} runs in a row at phase {phase} within the rules"
        if phase == last_phase:
            return ProgressionAdvice("progress", phase, None, (done, "walk-run programme complete"))
        return ProgressionAdvice("progress", phase, phase + 1, (done, f"progress to phase {phase + 1}"))
    needed = f"{streak} of {MIN_RUNS_PER_PHASE} runs in a row needed at phase {phase}"
    return ProgressionAdvice("repeat", phase, phase, (*blockers, needed))
