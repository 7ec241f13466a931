"""Findings F1-F32 of the differential (CLINICAL.md 6.2), derived from an assessment as the contract says.

Each finding is *true* or not, and *answered* or not. It is answered when enough of the input behind it
is present (not null) to decide it: an "either" finding (F21, F29) is decided by one true input, an
"all" finding (F22) by one input that rules it out; otherwise every input it reads must be present.
Only answered findings count towards the differential's "fewer than 6 answered" warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workstation.clinical.assessment import Assessment
from workstation.clinical.heel_raise import HeelRaiseResult

AGE_STRAIN_RISK_FROM = 40  # CLINICAL.md 6.2 F29: age >= 40 [Green & Pizzari 2017]

Answer = bool | None  # True, False, or None (not decided from what was answered)


@dataclass(frozen=True, slots=True)
class Context:
    assessment: Assessment
    heel_raise: HeelRaiseResult


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    wording: str
    read: Callable[[Context], Answer]


def _is(value: object, wanted: object) -> Answer:
    return None if value is None else value == wanted


def _yes(value: bool | None) -> Answer:
    return value


def _not_empty(value: tuple[str, ...] | None) -> Answer:
    return None if value is None else len(value) > 0


def _any(*answers: Answer) -> Answer:
    if any(answer is True for answer in answers):
        return True
    return None if any(answer is None for answer in answers) else False


def _all(*answers: Answer) -> Answer:
    if any(answer is False for answer in answers):
        return False
    return None if any(answer is None for answer in answers) else True


def _history(name: str) -> Callable[[Context], Answer]:
    return lambda c: _yes(getattr(c.assessment.history, name))


def _examination(name: str) -> Callable[[Context], Answer]:
    return lambda c: _yes(getattr(c.assessment.examination, name))


def _capacity_deficit(c: Context) -> Answer:
    """F18: a heel-raise flag, and the test did not reproduce the symptoms (a pain-limited test is not weakness)."""
    test, side = c.assessment.heel_raise, c.assessment.symptomatic_side
    involved = (test.left_reps, test.right_reps) if side == "both" else (getattr(test, f"{side}_reps"),)
    if all(reps is None for reps in involved):
        return None
    return bool(c.heel_raise.flags) and test.reproduced_symptoms is not True


def _age_or_previous_strain(c: Context) -> Answer:
    age = c.assessment.patient.age_years
    return _any(None if age is None else age >= AGE_STRAIN_RISK_FROM, c.assessment.history.previous_calf_strain)


def _neural(c: Context, result: str) -> tuple[Answer, Answer]:
    tests = c.assessment.neural
    return _is(tests.slump, result), _is(tests.straight_leg_raise, result)


FINDINGS: tuple[Finding, ...] = (
    Finding("F1", "Sudden onset at an identifiable moment", lambda c: _is(c.assessment.history.onset, "sudden")),
    Finding("F2", "Gradual onset, no incident", lambda c: _is(c.assessment.history.onset, "gradual")),
    Finding("F3", "Pain builds predictably during runs", _history("pain_builds_predictably_in_run")),
    Finding("F4", "Settles within minutes of stopping", _history("settles_within_minutes_of_stopping")),
    Finding("F5", "Tightness lingers 1-2 days after runs", _history("tightness_lingers_after_runs")),
    Finding("F6", "Delayed soreness after an unaccustomed session",
            _history("delayed_soreness_after_unaccustomed_session")),
    Finding("F7", "Involuntary cramp episode", _history("involuntary_cramp_episode")),
    Finding("F8", "Pain walking or in daily activity", _history("pain_walking_or_daily_activity")),
    Finding("F9", "Rest or night pain", _history("pain_at_rest_or_night")),
    Finding("F10", "Upper medial calf", lambda c: _is(c.assessment.history.pain_location, "upper_medial")),
    Finding("F11", "Low calf just above the Achilles",
            lambda c: _is(c.assessment.history.pain_location, "low_above_achilles")),
    Finding("F12", "Focal tenderness over the fibula", _examination("focal_fibula_tenderness")),
    Finding("F13", "Bruising", _history("bruising")),
    Finding("F14", "One-sided calf swelling, warmth or redness", _examination("calf_swelling_warmth_or_redness")),
    Finding("F15", "DVT risk factors present", lambda c: _not_empty(c.assessment.red_flags.dvt_risk_factors)),
    Finding("F16", "Straight-knee loading worse than bent", _examination("straight_knee_loading_worse_than_bent")),
    Finding("F17", "Bent-knee loading worse than straight", _examination("bent_knee_loading_worse_than_straight")),
    Finding("F18", "Heel-raise capacity deficit without symptom reproduction", _capacity_deficit),
    Finding("F19", "Local muscle tenderness", _examination("local_muscle_tenderness")),
    Finding("F20", "Back, buttock or thigh symptoms", _history("back_buttock_or_thigh_symptoms")),
    Finding("F21", "Slump or SLR positive (reproduced and differentiated)", lambda c: _any(*_neural(c, "positive"))),
    Finding("F22", "Slump and SLR both negative", lambda c: _all(*_neural(c, "negative"))),
    Finding("F23", "Neurological deficit", lambda c: _yes(c.assessment.neural.neurological_deficit)),
    Finding("F24", "Foot tingling or numbness only during exercise",
            lambda c: _is(c.assessment.history.foot_tingling_or_numbness, "exercise_only")),
    Finding("F25", "Pressure or fullness during exercise", _history("pressure_or_fullness_during_exercise")),
    Finding("F26", "Both legs affected", lambda c: c.assessment.symptomatic_side == "both"),
    Finding("F27", "Examination normal at rest", _examination("normal_at_rest")),
    Finding("F28", "Recent load change", lambda c: _not_empty(c.assessment.history.recent_load_changes)),
    Finding("F29", "Age 40 or over, or a previous calf strain", _age_or_previous_strain),
    Finding("F30", "Bone-health risk", _history("bone_health_risk")),
    Finding("F31", "Previous cramping in races", _history("previous_race_cramping")),
    Finding("F32", "Could keep running after onset", _history("could_continue_running")),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FindingValues:
    true: frozenset[str]
    answered: frozenset[str]


def read_findings(context: Context) -> FindingValues:
    """Which findings are true, and which could be decided from the answers given."""
    answers = [(finding.code, finding.read(context)) for finding in FINDINGS]
    return FindingValues(
        true=frozenset(code for code, answer in answers if answer is True),
        answered=frozenset(code for code, answer in answers if answer is not None),
    )
