"""Weight-bearing lunge (knee-to-wall) test: side difference and its flag (CLINICAL.md 3.1).

The flag compares the difference *as rounded for display* (the contract's one exception to comparing
unrounded values): a physio who reads "1.5 cm" on screen must see the 1.5 cm flag beside it. The
straight-knee side difference is a flag of the same kind and follows the same rule. Change since baseline
and percentages compare the unrounded value, as the contract's other thresholds do (for the MDC that is
also the cautious way: a change of 1.55 cm is not called real against a 1.6 cm MDC). Differences are
always taken between the decimals as typed, so binary floating point never moves a value across a line.

Also: change since baseline against the minimal detectable change, side-to-side % asymmetry, and the
straight-knee (gastrocnemius) versus bent-knee (soleus, joint) reading of CLINICAL.md 3.2. A missing
measurement gives None ("not assessed"), never "no difference".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from workstation.clinical.assessment import Side
from workstation.clinical.rounding import decimal_of, one_decimal

DEGREES_PER_CM = Decimal("3.6")  # CLINICAL.md 3.1: 1 cm ≈ 3.6° of ankle dorsiflexion [Bennell 1998]
POSSIBLE_ASYMMETRY_CM = 1.5  # CLINICAL.md 3.1: >= 1.5 cm exceeds the MDC of a difference [Chisholm 2012]
LIKELY_MEANINGFUL_CM = 2.0  # CLINICAL.md 3.1: app rule, >= 2.0 cm (≈ 7°)

KneeToWallFlag = Literal["none", "possible_asymmetry", "likely_meaningful"]


@dataclass(frozen=True, slots=True)
class KneeToWallResult:
    """Both sides in degrees, the side difference (cm, rounded) and its flag; None where a side is missing."""

    difference_cm: float | None
    left_deg: float | None
    right_deg: float | None
    flag: KneeToWallFlag | None


def degrees_of(cm: float | None) -> float | None:
    """Knee-to-wall distance in degrees of dorsiflexion, to one decimal place."""
    return None if cm is None else one_decimal(decimal_of(cm) * DEGREES_PER_CM)


def side_difference_flag(difference_cm: float) -> KneeToWallFlag:
    """The flag for a (rounded, absolute) side difference in cm."""
    if difference_cm >= LIKELY_MEANINGFUL_CM:
        return "likely_meaningful"
    if difference_cm >= POSSIBLE_ASYMMETRY_CM:
        return "possible_asymmetry"
    return "none"


def assess_knee_to_wall(left_cm: float | None, right_cm: float | None) -> KneeToWallResult:
    """Degrees per side and, when both sides were measured, the absolute difference and its flag.

    The difference is taken between the decimals as typed (11.45 - 10.0 is 1.45, not 1.4499...), then
    rounded halves-up, so a borderline difference lands on the flagged side.
    """
    if left_cm is None or right_cm is None:
        difference, flag = None, None
    else:
        difference = one_decimal(abs(decimal_of(left_cm) - decimal_of(right_cm)))
        flag = side_difference_flag(difference)
    return KneeToWallResult(
        difference_cm=difference, left_deg=degrees_of(left_cm), right_deg=degrees_of(right_cm), flag=flag
    )


# --- Change since baseline against the minimal detectable change (CLINICAL.md 3.1) ---

Unit = Literal["cm", "deg"]
RangeDirection = Literal["more_range", "less_range", "same"]
RangeVerdict = Literal["more_range", "less_range", "within_measurement_error"]

# CLINICAL.md 3.1 [Powden 2015]: MDC of the WBLT, in cm of knee-to-wall distance and degrees of tibial angle.
# Choice: the spec's own rule for follow-ups: one rater uses 1.9 cm / 4.7°, the top of its 1.0-1.9 cm range
# (so a change has to be large before it is called real); different raters use 1.6 cm / 4.6°, as the spec
# says, although Powden's pooled between-rater MDC is smaller than the within-rater one. When nobody recorded
# whether the rater was the same, the larger (one-rater) MDC applies: calling noise progress is the worse error.
# Chisholm 2012's 1.0 cm for the affected leg is not used: it is the least demanding figure.
MDC_SAME_RATER: dict[Unit, Decimal] = {"cm": Decimal("1.9"), "deg": Decimal("4.7")}
MDC_DIFFERENT_RATERS: dict[Unit, Decimal] = {"cm": Decimal("1.6"), "deg": Decimal("4.6")}


def minimal_detectable_change(unit: Unit, same_rater: bool | None) -> float:
    """The MDC for a follow-up in ``unit``; ``same_rater`` None (not recorded) takes the one-rater value."""
    table = MDC_DIFFERENT_RATERS if same_rater is False else MDC_SAME_RATER
    return float(table[unit])


@dataclass(frozen=True, slots=True)
class RangeChange:
    """A change since baseline (current minus baseline, exact) and the MDC it is held against."""

    change: float
    unit: Unit
    mdc: float

    @property
    def shown(self) -> float:
        """The change to one decimal place, for display."""
        return one_decimal(self.change)

    @property
    def exceeds_mdc(self) -> bool:
        """CLINICAL.md 3.1: a change counts only if it is at least the MDC."""
        return abs(self.change) >= self.mdc

    @property
    def direction(self) -> RangeDirection:
        return "more_range" if self.change > 0 else "less_range" if self.change < 0 else "same"

    @property
    def verdict(self) -> RangeVerdict:
        if not self.exceeds_mdc:
            return "within_measurement_error"
        return "more_range" if self.change > 0 else "less_range"


def change_since_baseline(
    baseline: float | None, current: float | None, *, unit: Unit, same_rater: bool | None
) -> RangeChange | None:
    """How one leg's knee-to-wall distance (cm) or angle (degrees) moved since baseline, or None if either is missing.

    Args:
        baseline: the first measurement of this leg.
        current: the measurement now.
        unit: ``"cm"`` (toe-to-wall distance) or ``"deg"`` (tibial angle).
        same_rater: True if one clinician took both, False if two, None if not recorded.
    """
    if baseline is None or current is None:
        return None
    change = float(decimal_of(current) - decimal_of(baseline))
    return RangeChange(change=change, unit=unit, mdc=minimal_detectable_change(unit, same_rater))


# --- Side-to-side % asymmetry (CLINICAL.md 3.1) ---

RANGE_ASYMMETRY_TARGET_PERCENT = 10.0  # CLINICAL.md 3.1: aim for <= 10 % side-to-side asymmetry [Green 2022]


def range_asymmetry_percent(left: float | None, right: float | None, side: Side) -> float | None:
    """Side-to-side asymmetry in %, unrounded; None when a side is missing or the divisor is 0.

    One symptomatic side: (uninvolved - involved) / uninvolved x 100, so it is positive when the involved
    leg has less range and negative when it has more (as heel-raise asymmetry, CLINICAL.md 2.3). Both legs
    symptomatic: no healthy side, so the difference over the larger leg, unsigned.
    """
    if left is None or right is None:
        return None
    a, b = decimal_of(left), decimal_of(right)
    if side == "both":
        involved, reference = min(a, b), max(a, b)
    else:
        involved, reference = (a, b) if side == "left" else (b, a)
    if reference == 0:
        return None
    return float((reference - involved) / reference * 100)


def asymmetry_above_target(percent: float | None) -> bool | None:
    """Whether a side-to-side asymmetry misses the <= 10 % return-to-play aim (either direction); None if unknown."""
    return None if percent is None else abs(percent) > RANGE_ASYMMETRY_TARGET_PERCENT


# --- Straight knee (gastrocnemius) versus bent knee (soleus, joint) (CLINICAL.md 3.2) ---

# CLINICAL.md 3.2 [Baumbach 2016]: degrees; a side difference of the straight-knee angle under 6° is normal.
STRAIGHT_KNEE_NORMAL_SIDE_DIFFERENCE_DEG = 6.0
# CLINICAL.md 3.2: degrees gained by bending the knee: about 10° [Baumbach 2016], 13° in an earlier study
# [Baumbach 2014]. A gain above the larger figure is reported as supporting a gastrocnemius limit ("well above
# about 10-13°"); it does not decide the pattern, which rests on side-to-side comparison as the spec advises.
KNEE_BEND_GAIN_DEG = 10.0
KNEE_BEND_GAIN_EARLIER_STUDY_DEG = 13.0

EndRangeFeeling = Literal["calf", "achilles", "front_of_ankle"]
RestrictionPattern = Literal["gastrocnemius", "soleus_joint_or_capsule", "no_side_difference"]


@dataclass(frozen=True, slots=True)
class FlexibilityMeasures:
    """Both legs in both knee positions (CLINICAL.md 3.2 fields); None is "not measured".

    The bent-knee figure is the knee-to-wall distance (cm); its angle comes from the 3.6°/cm conversion.
    The straight-knee figure is the tibial angle (°) in a standing lunge with the back knee locked.
    ``shod`` and where the stretch is felt at end range are recorded for the clinician, not interpreted.
    """

    wblt_cm_left: float | None = None
    wblt_cm_right: float | None = None
    straight_knee_deg_left: float | None = None
    straight_knee_deg_right: float | None = None
    shod: bool | None = None
    end_range_feeling_left: EndRangeFeeling | None = None
    end_range_feeling_right: EndRangeFeeling | None = None


@dataclass(frozen=True, slots=True)
class KneePositionReading:
    """One leg against the other in both knee positions; None wherever a measurement is missing.

    ``*_restricted``: this leg has less range than the other by at least the threshold (straight knee
    >= 6°, bent knee >= 1.5 cm, the knee-to-wall flag's figure). ``knee_bend_gain_deg``: bent-knee angle
    minus straight-knee angle for this leg, to one decimal.
    """

    straight_knee_restricted: bool | None
    bent_knee_restricted: bool | None
    knee_bend_gain_deg: float | None
    gain_above_published_normal: bool | None
    pattern: RestrictionPattern | None


def read_knee_positions(measures: FlexibilityMeasures) -> tuple[KneePositionReading, KneePositionReading]:
    """The (left, right) readings: each leg's straight- and bent-knee range against the other leg's."""
    m = measures
    left = _reading(m.straight_knee_deg_left, m.straight_knee_deg_right, m.wblt_cm_left, m.wblt_cm_right)
    right = _reading(m.straight_knee_deg_right, m.straight_knee_deg_left, m.wblt_cm_right, m.wblt_cm_left)
    return left, right


def restriction_pattern(straight_restricted: bool | None, bent_restricted: bool | None) -> RestrictionPattern | None:
    """CLINICAL.md 3.2 (Silfverskiöld logic), None unless both positions were compared.

    Restricted with the knee straight only: the gastrocnemius (it crosses the knee and is slack when the
    knee bends). Restricted with the knee bent, straight or not: something that does not cross the knee
    (soleus, joint or capsule). Neither: no side difference, which is not "normal" when both legs are affected.
    """
    if straight_restricted is None or bent_restricted is None:
        return None
    if bent_restricted:
        return "soleus_joint_or_capsule"
    return "gastrocnemius" if straight_restricted else "no_side_difference"


def _reading(
    straight_deg: float | None, other_straight_deg: float | None, wblt_cm: float | None, other_wblt_cm: float | None
) -> KneePositionReading:
    straight_gap = _gap(straight_deg, other_straight_deg)
    bent_gap = _gap(wblt_cm, other_wblt_cm)
    straight = None if straight_gap is None else straight_gap >= STRAIGHT_KNEE_NORMAL_SIDE_DIFFERENCE_DEG
    bent = None if bent_gap is None else bent_gap >= POSSIBLE_ASYMMETRY_CM
    gain = _gap(straight_deg, degrees_of(wblt_cm))
    return KneePositionReading(
        straight_knee_restricted=straight,
        bent_knee_restricted=bent,
        knee_bend_gain_deg=gain,
        gain_above_published_normal=None if gain is None else gain > KNEE_BEND_GAIN_EARLIER_STUDY_DEG,
        pattern=restriction_pattern(straight, bent),
    )


def _gap(value: float | None, other: float | None) -> float | None:
    """How much more ``other`` is than ``value`` (0 or negative if it is not), between the typed decimals, rounded."""
    if value is None or other is None:
        return None
    return one_decimal(decimal_of(other) - decimal_of(value))
