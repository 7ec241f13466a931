"""Return to running after a calf strain: the criteria checklists (CLINICAL.md 7.2; the walk-run programme is
in ``walk_run``).

Criteria-based, not time-based. Each criterion reads only what the clinician recorded and is met, not met
or not assessed: missing data never makes a criterion met, because unrecorded is not normal. The checklists
and the walk-run phases are data tables, so a clinical reviewer can read them in one place.

Asymmetry is the involved leg's deficit against the other leg, 100 - LSI (CLINICAL.md 2.3), so an involved
leg that does better than the other has a negative deficit and meets the symmetry target. When both legs
are symptomatic leave ``uninvolved`` unset: symmetry then reads "not assessed" (CLINICAL.md 2.3, caveat 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from workstation.clinical.heel_raise import HEEL_RAISE_RUNNER_TARGET_REPS, LSI_TARGET_PERCENT
from workstation.clinical.rounding import decimal_of, one_decimal

Status = Literal["met", "not_met", "not_assessed"]
Checklist = Literal["green_2022", "healthhp_before_jogging", "healthhp_before_faster_running"]
CHECKLISTS: tuple[Checklist, ...] = ("green_2022", "healthhp_before_jogging", "healthhp_before_faster_running")

MAX_ASYMMETRY_PERCENT = 100 - LSI_TARGET_PERCENT  # CLINICAL.md 2.3, 7.2: % deficit, 10 [Green 2022; healthhp]
RTR_CALF_RAISE_REPS = HEEL_RAISE_RUNNER_TARGET_REPS  # CLINICAL.md 7.2: >= 30 raises from the floor [Green 2022]
JOGGING_CALF_RAISE_REPS = 25  # CLINICAL.md 7.2: reps, 25+ raises before jogging [healthhp]
SYMPTOM_TARGET_NPRS = 0  # CLINICAL.md 7.2: pain, tightness and cramping all 0/10 [Green 2022]

Assessment = tuple[Status, str]


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


# --- findings -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LimbPair:
    """One measure on both legs, in one unit where more is better (reps, cm, degrees, N, hop distance)."""

    involved: float | None = None
    uninvolved: float | None = None

    def __post_init__(self) -> None:
        for name, value in (("involved", self.involved), ("uninvolved", self.uninvolved)):
            if value is not None and not (_is_number(value) and value >= 0):
                raise ValueError(f"{name} must be a number of 0 or more, got {value!r}")

    @property
    def deficit_percent(self) -> float | None:
        """The involved leg's deficit, 100 - LSI; None unless both legs were measured (and the other is not 0)."""
        deficit = _deficit(self)
        return None if deficit is None else float(deficit)


def _deficit(pair: LimbPair) -> Fraction | None:
    if pair.involved is None or pair.uninvolved is None or pair.uninvolved == 0:
        return None
    involved, uninvolved = Fraction(decimal_of(float(pair.involved))), Fraction(decimal_of(float(pair.uninvolved)))
    return (uninvolved - involved) * 100 / uninvolved


@dataclass(frozen=True, slots=True)
class NamedLimbTest:
    """A test the clinic chose, such as a 10/5 hop or a drop hop, with its result on both legs."""

    name: str
    result: LimbPair


@dataclass(frozen=True, slots=True)
class ReturnToRunFindings:
    """Everything the checklists can read. Leave a field unset (None / empty) when it was not tested."""

    pain_nprs: int | None = None
    tightness_nprs: int | None = None
    cramping_nprs: int | None = None
    feels_ready: bool | None = None
    tender_on_palpation: bool | None = None
    knee_to_wall_cm: LimbPair = LimbPair()
    straight_knee_stretch: LimbPair = LimbPair()  # gastrocnemius length, e.g. degrees of dorsiflexion
    calf_raise_reps: LimbPair = LimbPair()  # single-leg, from the floor; also the healthhp endurance test
    loaded_strength_benchmark_met: bool | None = None  # straight and bent knee, the clinician's sport benchmark
    vertical_power: LimbPair = LimbPair()
    horizontal_power: LimbPair = LimbPair()
    running_reconditioned: bool | None = None
    full_training_session_completed: bool | None = None
    walking_pain_free: bool | None = None
    seated_calf_raise_strength: LimbPair = LimbPair()
    standing_calf_raise_strength: LimbPair = LimbPair()
    double_leg_jumping_pain_free: bool | None = None
    hopping_on_the_spot_pain_free: bool | None = None
    hopping_in_a_line_pain_free: bool | None = None
    reactive_strength_tests: tuple[NamedLimbTest, ...] = ()

    def __post_init__(self) -> None:
        for name in ("pain_nprs", "tightness_nprs", "cramping_nprs"):
            score = getattr(self, name)
            if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10):
                raise ValueError(f"{name} must be an integer from 0 to 10, got {score!r}")


# --- evaluating one criterion ---------------------------------------------------------------------------------


def _all_of(parts: Sequence[Assessment]) -> Assessment:
    """Met only when every part is met; any part not met makes the whole not met; otherwise not assessed."""
    statuses = {status for status, _ in parts}
    status: Status = "not_met" if "not_met" in statuses else "not_assessed" if "not_assessed" in statuses else "met"
    return status, "; ".join(detail for _, detail in parts)


def _answer(value: bool | None, wanted: bool, label: str) -> Assessment:
    if value is None:
        return "not_assessed", f"{label}: not recorded"
    return ("met" if value is wanted else "not_met"), f"{label}: {'yes' if value else 'no'}"


def _zero_of_ten(score: int | None, label: str) -> Assessment:
    if score is None:
        return "not_assessed", f"{label}: not recorded"
    return ("met" if score == SYMPTOM_TARGET_NPRS else "not_met"), f"{label} {score}/10"


def _symmetric(pair: LimbPair, label: str, *, strict: bool = False) -> Assessment:
    """Deficit within 10 %: at most 10 % ("within", "<=") or, with ``strict``, under 10 % ("<")."""
    deficit = _deficit(pair)
    limit = Fraction(decimal_of(MAX_ASYMMETRY_PERCENT))
    target = f"{'<' if strict else '<='} {MAX_ASYMMETRY_PERCENT:g} %"
    if deficit is None:
        return "not_assessed", f"{label}: both legs needed (target {target})"
    within = deficit < limit if strict else deficit <= limit
    return ("met" if within else "not_met"), f"{label}: deficit {one_decimal(float(deficit))} % (target {target})"


def _reps_at_least(pair: LimbPair, minimum: int, label: str) -> Assessment:
    if pair.involved is None:
        return "not_assessed", f"{label}: not recorded (target >= {minimum})"
    reps = pair.involved
    return ("met" if reps >= minimum else "not_met"), f"{label}: {reps:g} on the involved leg (target >= {minimum})"


def _symptoms_zero(f: ReturnToRunFindings) -> Assessment:
    return _all_of(
        [
            _zero_of_ten(f.pain_nprs, "pain"),
            _zero_of_ten(f.tightness_nprs, "tightness"),
            _zero_of_ten(f.cramping_nprs, "cramping"),
        ]
    )


def _calf_raise_green(f: ReturnToRunFindings) -> Assessment:
    reps = _reps_at_least(f.calf_raise_reps, RTR_CALF_RAISE_REPS, "calf raises")
    return _all_of([reps, _symmetric(f.calf_raise_reps, "calf raises")])


def _power(f: ReturnToRunFindings) -> Assessment:
    return _all_of([_symmetric(f.vertical_power, "vertical power"), _symmetric(f.horizontal_power, "horizontal power")])


def _calf_raise_strength(f: ReturnToRunFindings) -> Assessment:
    return _all_of(
        [
            _symmetric(f.seated_calf_raise_strength, "seated calf-raise strength"),
            _symmetric(f.standing_calf_raise_strength, "standing calf-raise strength"),
        ]
    )


def _calf_raise_jogging(f: ReturnToRunFindings) -> Assessment:
    reps = _reps_at_least(f.calf_raise_reps, JOGGING_CALF_RAISE_REPS, "calf raises")
    return _all_of([reps, _symmetric(f.calf_raise_reps, "calf raises", strict=True)])


def _hopping(f: ReturnToRunFindings) -> Assessment:
    return _all_of(
        [
            _answer(f.hopping_on_the_spot_pain_free, True, "hopping on the spot pain-free"),
            _answer(f.hopping_in_a_line_pain_free, True, "hopping in a line pain-free"),
        ]
    )


def _strength_and_reactive(f: ReturnToRunFindings) -> Assessment:
    reactive = [_symmetric(test.result, test.name) for test in f.reactive_strength_tests]
    if not reactive:
        reactive = [("not_assessed", "reactive-strength tests: none recorded")]
    return _all_of([_calf_raise_strength(f), *reactive])


# --- the checklists -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    checklist: Checklist
    text: str
    source: str
    evaluate: Callable[[ReturnToRunFindings], Assessment]


@dataclass(frozen=True, slots=True)
class CriterionResult:
    code: str
    checklist: Checklist
    text: str
    source: str
    status: Status
    detail: str  # what was read, e.g. "calf raises: deficit 12.5 % (target <= 10 %)"


# CLINICAL.md 7.2. Green 2022 is the expert return-to-play checklist; healthhp gives two clinic stages.
CRITERIA: tuple[Criterion, ...] = (
    Criterion("symptoms_zero", "green_2022", "Pain, tightness and cramping all 0/10", "Green 2022", _symptoms_zero),
    Criterion(
        "feels_ready", "green_2022", "The athlete feels ready", "Green 2022",
        lambda f: _answer(f.feels_ready, True, "feels ready"),
    ),
    Criterion(
        "no_palpation_tenderness", "green_2022", "No tenderness on palpation", "Green 2022",
        lambda f: _answer(f.tender_on_palpation, False, "tender on palpation"),
    ),
    Criterion(
        "knee_to_wall_symmetry", "green_2022", "Weight-bearing lunge (knee-to-wall): <= 10 % asymmetry",
        "Green 2022", lambda f: _symmetric(f.knee_to_wall_cm, "knee-to-wall"),
    ),
    Criterion(
        "straight_knee_stretch_symmetry", "green_2022", "Straight-knee (gastrocnemius) stretch: <= 10 % asymmetry",
        "Green 2022", lambda f: _symmetric(f.straight_knee_stretch, "straight-knee stretch"),
    ),
    Criterion(
        "calf_raise_30_reps", "green_2022", "Single-leg calf raise from the floor: >= 30 reps, <= 10 % asymmetry",
        "Green 2022", _calf_raise_green,
    ),
    Criterion(
        "loaded_strength_benchmark", "green_2022",
        "Loaded strength (straight and bent knee) meets a sport-specific benchmark", "Green 2022",
        lambda f: _answer(f.loaded_strength_benchmark_met, True, "benchmark met"),
    ),
    Criterion(
        "power_symmetry", "green_2022", "Vertical and horizontal power tests: <= 10 % asymmetry", "Green 2022",
        _power,
    ),
    Criterion(
        "running_reconditioned", "green_2022",
        "Running reconditioned across volume, speed bands, accelerations and decelerations", "Green 2022",
        lambda f: _answer(f.running_reconditioned, True, "running reconditioned"),
    ),
    Criterion(
        "full_training_session", "green_2022", "At least one full training session completed before return to play",
        "Green 2022", lambda f: _answer(f.full_training_session_completed, True, "full session completed"),
    ),
    Criterion(
        "walking_pain_free", "healthhp_before_jogging", "Walking pain-free", "healthhp",
        lambda f: _answer(f.walking_pain_free, True, "walking pain-free"),
    ),
    Criterion(
        "calf_raise_strength_symmetry", "healthhp_before_jogging",
        "Seated and standing calf-raise strength within 10 %", "healthhp", _calf_raise_strength,
    ),
    Criterion(
        "calf_raise_25_reps", "healthhp_before_jogging", "25+ calf raises with < 10 % asymmetry", "healthhp",
        _calf_raise_jogging,
    ),
    Criterion(
        "double_leg_jumping_pain_free", "healthhp_before_jogging", "Double-leg jumping pain-free", "healthhp",
        lambda f: _answer(f.double_leg_jumping_pain_free, True, "double-leg jumping pain-free"),
    ),
    Criterion(
        "hopping_pain_free", "healthhp_before_faster_running", "Hopping on the spot and in a line pain-free",
        "healthhp", _hopping,
    ),
    Criterion(
        "calf_endurance_symmetry", "healthhp_before_faster_running", "Calf endurance < 10 % asymmetry", "healthhp",
        lambda f: _symmetric(f.calf_raise_reps, "calf raises", strict=True),
    ),
    Criterion(
        "strength_and_reactive_strength_symmetry", "healthhp_before_faster_running",
        "Strength and reactive-strength tests (e.g. 10/5 hop, single-leg rebound, drop hop, side hop) within 10 %",
        "healthhp", _strength_and_reactive,
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ChecklistResult:
    """One checklist: met only when every criterion is met; not met if any is; otherwise not assessed."""

    checklist: Checklist
    criteria: tuple[CriterionResult, ...]
    status: Status

    @property
    def outstanding(self) -> tuple[str, ...]:
        """Codes of the criteria not yet met, including those not assessed."""
        return tuple(result.code for result in self.criteria if result.status != "met")


def assess_checklist(findings: ReturnToRunFindings, checklist: Checklist) -> ChecklistResult:
    """Evaluate one checklist's criteria from whatever ``findings`` hold.

    Raises:
        ValueError: for an unknown checklist.
    """
    if checklist not in CHECKLISTS:
        raise ValueError(f"checklist must be one of {', '.join(CHECKLISTS)}, got {checklist!r}")
    results = []
    for criterion in CRITERIA:
        if criterion.checklist == checklist:
            status, detail = criterion.evaluate(findings)
            results.append(
                CriterionResult(criterion.code, criterion.checklist, criterion.text, criterion.source, status, detail)
            )
    overall, _ = _all_of([(result.status, "") for result in results])
    return ChecklistResult(checklist, tuple(results), overall)


def assess_return_to_run(findings: ReturnToRunFindings) -> tuple[ChecklistResult, ...]:
    """All three checklists, in ``CHECKLISTS`` order."""
    return tuple(assess_checklist(findings, checklist) for checklist in CHECKLISTS)
