"""The heel-raise test as it was done: its protocol, the bent-knee variant, and change between two tests.

The literature has no single protocol and cadence alone changes the count, so every result keeps its
protocol, a non-standard result says so, and two results are only called comparable when they were done
the same way (CLINICAL.md 2.1). Changes under 6 reps are within measurement error (CLINICAL.md 2.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workstation.clinical.assessment import HeelRaiseTest, Sex, Side
from workstation.clinical.heel_raise import (
    HEEL_RAISE_ASPIRATIONAL_REPS,
    HEEL_RAISE_RUNNER_TARGET_REPS,
    MEASUREMENT_ERROR_REPS,
    HeelRaiseResult,
    age_sex_norm_reps,
    assess_heel_raise,
)
from workstation.problems import Problem, Severity

Surface = Literal["flat", "incline_10deg", "step"]
KneePosition = Literal["straight", "bent"]
TerminationReason = Literal["height", "cadence", "alignment", "support", "pain", "fatigue"]
Footwear = Literal["barefoot", "shod"]
Leg = Literal["left", "right"]
Cadence = int | Literal["self_paced"]  # metronome beats per minute, or the patient's own pace
ContractProtocol = Literal["incline_10deg_60bpm", "flat_floor", "step", "other"]
ProtocolPart = Literal["surface", "cadence", "knee"]
ProtocolField = Literal["surface", "cadence", "knee", "knee_flexion_deg", "footwear"]

STANDARD_SURFACE: Surface = "incline_10deg"  # CLINICAL.md 2.1 step 2: 10° incline board [Hébert-Losier 2017]
STANDARD_CADENCE_BPM = 60  # CLINICAL.md 2.1 step 3: beats/min, up on one beat and down on the next [cadence RCT]
STANDARD_KNEE: KneePosition = "straight"  # CLINICAL.md 2.1 step 2: knee and trunk stay straight
BENT_KNEE_USUAL_DEG = 30  # CLINICAL.md 2.4: degrees of knee flexion in the bent-knee test [Hébert-Losier 2011]
# CLINICAL.md 2.4: degrees; 20° of knee flexion already takes the gastrocnemius out of ankle range [Baumbach 2014],
# so a "bent" knee held at less may still be testing the gastrocnemius as much as the soleus.
BENT_KNEE_LEAST_DEG = 20
MAX_REPS = 500  # the contract's limit for heel_raise.*_reps (a larger count is a typing error)
MAX_KNEE_FLEXION_DEG = 120  # degrees; the seated soleus test uses 90-110° (CLINICAL.md 2.4), beyond is an error
MAX_CADENCE_BPM = 240  # beats/min; a sanity limit far above any protocol in CLINICAL.md 2.1 (60 bpm)


@dataclass(frozen=True, slots=True)
class LegTrial:
    """One leg's result: full raises counted, why the test stopped, and pain (NRS 0-10) during and after."""

    reps: int
    stopped_by: TerminationReason | None = None
    nrs_during: int | None = None
    nrs_after: int | None = None


@dataclass(frozen=True, slots=True)
class HeelRaiseRecord:
    """One single-leg heel-raise test with the protocol it was done by (CLINICAL.md 2.1).

    ``None`` is "not recorded", never "standard". A leg that was not tested is ``None``. ``knee_flexion_deg``
    is the angle held in the bent-knee variant; a straight knee is 0° and may leave it out.
    ``reproduced_symptoms`` is whether the test brought on the patient's own calf pain (CLINICAL.md 2.1 step 7).
    """

    left: LegTrial | None = None
    right: LegTrial | None = None
    surface: Surface | None = None
    cadence: Cadence | None = None
    knee: KneePosition | None = None
    knee_flexion_deg: int | None = None
    footwear: Footwear | None = None
    first_leg: Leg | None = None
    reproduced_symptoms: bool | None = None

    def trial(self, leg: Leg) -> LegTrial | None:
        return self.left if leg == "left" else self.right

    def reps(self, leg: Leg) -> int | None:
        trial = self.trial(leg)
        return None if trial is None else trial.reps


def protocol_deviations(record: HeelRaiseRecord) -> tuple[ProtocolPart, ...]:
    """The parts of the protocol that are not the research standard (10° incline, 60 bpm, straight knee).

    A part that was not recorded counts as a deviation: a result can only claim the standard (and the
    norms gathered under it) when the record shows the standard was used.
    """
    deviations: list[ProtocolPart] = []
    if record.surface != STANDARD_SURFACE:
        deviations.append("surface")
    if record.cadence != STANDARD_CADENCE_BPM:
        deviations.append("cadence")
    if record.knee != STANDARD_KNEE:
        deviations.append("knee")
    return tuple(deviations)


def is_research_standard(record: HeelRaiseRecord) -> bool:
    """Whether the test followed the research-standard protocol, so it can be shown without a "non-standard" mark."""
    return not protocol_deviations(record)


def norm_is_like_for_like(knee: KneePosition | None) -> bool:
    """Whether the decade norms (CLINICAL.md 2.2, gathered with a straight knee) were measured the same way.

    Not for the bent-knee (soleus) variant: no decade norms exist for it. The straight-knee norm is still
    shown and flagged against it, as the contract does (``docs/assessment-contract.md``, choice 4), and
    labelled as a straight-knee norm: bent-knee counts are usually lower, so this errs towards flagging a
    deficit rather than hiding one; the runner targets 30 and 40 compare either way (about 40 both knee
    straight and bent in the general population [Hébert-Losier 2011]). An unrecorded knee position is
    taken as the straight-knee default.
    """
    return knee != "bent"


def pain_limited_legs(record: HeelRaiseRecord) -> tuple[Leg, ...]:
    """The legs whose test stopped for pain: still valid results, but a pain-limited capacity (CLINICAL.md 2.1)."""
    return tuple(leg for leg in ("left", "right") if (trial := record.trial(leg)) and trial.stopped_by == "pain")


@dataclass(frozen=True, slots=True)
class RecordedHeelRaise:
    """What one recorded test means: the contract's result, plus how far its protocol can be trusted."""

    result: HeelRaiseResult
    deviations: tuple[ProtocolPart, ...]
    norm_like_for_like: bool  # False: the norm shown is the straight-knee one, for a bent-knee test
    pain_limited: tuple[Leg, ...]

    @property
    def research_standard(self) -> bool:
        return not self.deviations


def assess_recorded_heel_raise(
    record: HeelRaiseRecord, side: Side, age_years: int | None, sex: Sex | None
) -> RecordedHeelRaise:
    """LSI, norm and flags exactly as :func:`assess_heel_raise` (the contract's), with the protocol's reading.

    Args:
        record: the test with its protocol.
        side: the symptomatic side (``"both"``: no LSI, flags from either leg).
        age_years: completed years on the day, or None.
        sex: the patient's sex, or None.
    """
    result = assess_heel_raise(record.reps("left"), record.reps("right"), side, age_years, sex)
    return RecordedHeelRaise(
        result=result,
        deviations=protocol_deviations(record),
        norm_like_for_like=norm_is_like_for_like(record.knee),
        pain_limited=pain_limited_legs(record),
    )


def contract_protocol(record: HeelRaiseRecord) -> ContractProtocol | None:
    """The contract's ``heel_raise.protocol`` code for this test, or None when the surface was not recorded."""
    if record.surface == "flat":
        return "flat_floor"
    if record.surface == "step":
        return "step"
    if record.surface == "incline_10deg":
        return "incline_10deg_60bpm" if record.cadence == STANDARD_CADENCE_BPM else "other"
    return None


def as_contract_test(record: HeelRaiseRecord) -> HeelRaiseTest:
    """The record as the contract's ``heel_raise`` section (what the wizard hands to the engine).

    ``stopped_by_pain`` names the legs that stopped for pain. It is "none" only when every tested leg has a
    recorded reason and none was pain; with no pain recorded and a reason missing it is not answered (None).
    """
    painful = pain_limited_legs(record)
    tested = [trial for trial in (record.left, record.right) if trial is not None]
    stopped_by_pain: Literal["none", "left", "right", "both"] | None
    if len(painful) == 2:
        stopped_by_pain = "both"
    elif painful:
        stopped_by_pain = painful[0]
    elif tested and all(trial.stopped_by is not None for trial in tested):
        stopped_by_pain = "none"
    else:
        stopped_by_pain = None
    return HeelRaiseTest(
        left_reps=record.reps("left"),
        right_reps=record.reps("right"),
        protocol=contract_protocol(record),
        knee=record.knee,
        stopped_by_pain=stopped_by_pain,
        reproduced_symptoms=record.reproduced_symptoms,
    )


def record_problems(record: HeelRaiseRecord) -> list[Problem]:
    """What is wrong (errors) or missing (warnings) in a record, each naming its field."""
    problems: list[Problem] = []
    for leg in ("left", "right"):
        trial = record.trial(leg)
        if trial is not None:
            problems.extend(_trial_problems(trial, leg))
    cadence = record.cadence
    if isinstance(cadence, bool) or (isinstance(cadence, int) and not 1 <= cadence <= MAX_CADENCE_BPM):
        problems.append(Problem("cadence", f"Give the metronome rate in beats per minute (1-{MAX_CADENCE_BPM})."))
    problems.extend(_knee_problems(record.knee, record.knee_flexion_deg))
    return problems


def _trial_problems(trial: LegTrial, leg: Leg) -> list[Problem]:
    problems: list[Problem] = []
    if not 0 <= trial.reps <= MAX_REPS:
        problems.append(Problem(f"{leg}.reps", f"Count the full raises: 0 to {MAX_REPS}."))
    for name, score in (("nrs_during", trial.nrs_during), ("nrs_after", trial.nrs_after)):
        if score is not None and not 0 <= score <= 10:
            problems.append(Problem(f"{leg}.{name}", "Pain is scored 0 to 10."))
    if trial.stopped_by == "pain" and trial.nrs_during is None:
        # CLINICAL.md 2.1 step 7: a pain-limited test is recorded with its NRS score.
        problems.append(Problem(f"{leg}.nrs_during", "Record the pain score (0-10).", Severity.WARNING))
    return problems


def _knee_problems(knee: KneePosition | None, angle: int | None) -> list[Problem]:
    if angle is not None and not 0 <= angle <= MAX_KNEE_FLEXION_DEG:
        return [Problem("knee_flexion_deg", f"Knee flexion is 0° to {MAX_KNEE_FLEXION_DEG}°.")]
    if knee == "straight" and angle not in (None, 0):
        return [Problem("knee_flexion_deg", "A straight knee is 0°; choose bent knee to record an angle.")]
    if knee == "bent" and angle is None:
        # CLINICAL.md 2.4: knee-angle control is imperfect (22-43° at a 30° target), so the angle is recorded.
        return [Problem("knee_flexion_deg", "Record the knee angle used.", Severity.WARNING)]
    if knee == "bent" and angle is not None and angle < BENT_KNEE_LEAST_DEG:
        return [
            Problem(
                "knee_flexion_deg",
                f"Under {BENT_KNEE_LEAST_DEG}° the gastrocnemius may still take part; about "
                f"{BENT_KNEE_USUAL_DEG}° is usual.",
                Severity.WARNING,
            )
        ]
    return []


# --- Change between two tests: the measurement-error rule (CLINICAL.md 2.3) ---

RepDirection = Literal["more", "fewer", "same"]
RepVerdict = Literal["improved", "declined", "within_measurement_error"]


@dataclass(frozen=True, slots=True)
class RepChange:
    """The change from an earlier count to a later one (later minus earlier), and whether it is real."""

    change_reps: int

    @property
    def direction(self) -> RepDirection:
        return "more" if self.change_reps > 0 else "fewer" if self.change_reps < 0 else "same"

    @property
    def within_measurement_error(self) -> bool:
        """CLINICAL.md 2.3: changes under 6 reps are within the test's between-day error."""
        return abs(self.change_reps) < MEASUREMENT_ERROR_REPS

    @property
    def verdict(self) -> RepVerdict:
        if self.within_measurement_error:
            return "within_measurement_error"
        return "improved" if self.change_reps > 0 else "declined"


def compare_reps(earlier: int | None, later: int | None) -> RepChange | None:
    """The change between two counts of the same leg, or None when either was not measured."""
    if earlier is None or later is None:
        return None
    return RepChange(later - earlier)


@dataclass(frozen=True, slots=True)
class HeelRaiseComparison:
    """Two tests of one patient side by side: each leg's change, and what differed in how they were done.

    ``protocol_differences`` lists the protocol fields that differ or were not recorded in either test; only
    with none can the change be read as the patient's (cadence alone changes the count, CLINICAL.md 2.1).
    """

    left: RepChange | None
    right: RepChange | None
    protocol_differences: tuple[ProtocolField, ...]

    @property
    def same_protocol(self) -> bool:
        return not self.protocol_differences


def compare_tests(earlier: HeelRaiseRecord, later: HeelRaiseRecord) -> HeelRaiseComparison:
    """Each leg's change from ``earlier`` to ``later``, and whether the two were done the same way."""
    return HeelRaiseComparison(
        left=compare_reps(earlier.reps("left"), later.reps("left")),
        right=compare_reps(earlier.reps("right"), later.reps("right")),
        protocol_differences=protocol_differences(earlier, later),
    )


def protocol_differences(first: HeelRaiseRecord, second: HeelRaiseRecord) -> tuple[ProtocolField, ...]:
    """The protocol fields that differ between two tests, or that either test left unrecorded."""
    pairs: tuple[tuple[ProtocolField, object, object], ...] = (
        ("surface", first.surface, second.surface),
        ("cadence", first.cadence, second.cadence),
        ("knee", first.knee, second.knee),
        ("knee_flexion_deg", _knee_angle(first), _knee_angle(second)),
        ("footwear", first.footwear, second.footwear),
    )
    return tuple(name for name, a, b in pairs if a is None or b is None or a != b)


def _knee_angle(record: HeelRaiseRecord) -> int | None:
    # A straight knee is 0° whether or not the angle was typed.
    return 0 if record.knee == "straight" and record.knee_flexion_deg is None else record.knee_flexion_deg


# --- Reference lines for charts (CLINICAL.md 2.2 "default app logic") ---

ReferenceCode = Literal["age_sex_norm", "runner_target", "aspirational", "other_leg"]


@dataclass(frozen=True, slots=True)
class ReferenceLine:
    """A horizontal line on a heel-raise chart: what it is, where (reps), and its legend text."""

    code: ReferenceCode
    reps: int
    label: str


def reference_lines(
    *, age_years: int | None, sex: Sex | None, knee: KneePosition | None = "straight", other_leg_reps: int | None = None
) -> tuple[ReferenceLine, ...]:
    """The chart's reference lines: the age and sex norm, the runner target (30), 40 as aspirational, the other leg.

    The norm line is left out when there is no norm (age or sex not known, sex other or unknown); for a
    bent-knee test it is labelled as the straight-knee norm (:func:`norm_is_like_for_like`). The other-leg
    line is left out when that leg was not measured.
    """
    lines: list[ReferenceLine] = []
    norm = age_sex_norm_reps(age_years, sex)
    if norm is not None:
        label = "Norm for age and sex" if norm_is_like_for_like(knee) else "Norm for age and sex (straight knee)"
        lines.append(ReferenceLine("age_sex_norm", norm, label))
    lines.append(ReferenceLine("runner_target", HEEL_RAISE_RUNNER_TARGET_REPS, "Runner target"))
    lines.append(ReferenceLine("aspirational", HEEL_RAISE_ASPIRATIONAL_REPS, "Aspirational (expert opinion)"))
    if other_leg_reps is not None:
        lines.append(ReferenceLine("other_leg", other_leg_reps, "Other leg"))
    return tuple(lines)
