"""Weight-bearing lunge (knee-to-wall) test: side difference and its flag (CLINICAL.md 3.1).

The flag compares the difference *as rounded for display* (the contract's one exception to comparing
unrounded values): a physio who reads "1.5 cm" on screen must see the 1.5 cm flag beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

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
