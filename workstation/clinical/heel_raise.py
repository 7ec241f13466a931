"""Single-leg heel-raise (calf-raise) test: limb symmetry, age and sex norms, runner targets (CLINICAL.md 2).

The involved side is the symptomatic side. When both legs hurt there is no healthy side to compare
with, so no LSI is computed and each leg is held against the norms and targets instead (CLINICAL.md 2.3).
The test *as it was done* (its protocol, the bent-knee variant, change between two tests) is in
``heel_raise_protocol``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from workstation.clinical.assessment import Sex, Side

HEEL_RAISE_RUNNER_TARGET_REPS = 30  # CLINICAL.md 2.2: fewer than 30 may mean an endurance deficit [S0]
HEEL_RAISE_ASPIRATIONAL_REPS = 40  # CLINICAL.md 2.2: Goom's 40+ per leg, shown as aspirational only [S0]
LSI_TARGET_PERCENT = 90.0  # CLINICAL.md 2.3: LSI >= 90 % (<= 10 % deficit) [Green 2022]
MEASUREMENT_ERROR_REPS = 6  # CLINICAL.md 2.3: between-day 95 % limits of agreement about +-6 reps [Hébert-Losier 2017]

# CLINICAL.md 2.2, per-decade values (reps) for men and women, 10° incline at 60 bpm [Hébert-Losier 2017 as
# quoted by healthhp and Naas Physiotherapy]. Townsville Podiatry quotes values 0-1 rep higher in some cells;
# docs/clinical-safety.md (hazard H-NORM) records the disagreement and why the runner target still applies.
DECADE_NORMS_REPS: dict[int, tuple[int, int]] = {
    # decade start: (men, women)
    20: (37, 30),
    30: (32, 27),
    40: (28, 24),
    50: (23, 21),
    60: (19, 19),
    70: (14, 16),
    80: (10, 13),
}
YOUNGEST_NORM_DECADE = 20  # under 20 use 20-29 (the study had no one younger)
OLDEST_NORM_DECADE = 80  # 90 and over use 80-89

Flag = Literal["below_30_reps", "below_age_sex_norm", "lsi_below_90"]
FLAG_ORDER: tuple[Flag, ...] = ("below_30_reps", "below_age_sex_norm", "lsi_below_90")


@dataclass(frozen=True, slots=True)
class HeelRaiseResult:
    """What one test means. Percentages are unrounded: thresholds compare these, output rounds them.

    ``lsi_exact`` is the LSI as an exact fraction of the two counts: 23 / 80 is 28.75 %, which float
    division makes 28.749999..., and which must still round to 28.8 and compare exactly with 90.
    """

    lsi_percent: float | None
    asymmetry_percent: float | None
    age_sex_norm_reps: int | None
    flags: tuple[Flag, ...]
    lsi_exact: Fraction | None = None

    @property
    def capacity_deficit(self) -> bool:
        """CLINICAL.md 2.2: reps < 30, or below the age and sex norm, or LSI < 90 %."""
        return bool(self.flags)


def age_sex_norm_reps(age_years: int | None, sex: Sex | None) -> int | None:
    """The decade norm for this age and sex, or None when either is unknown (or sex is other/unknown)."""
    if age_years is None or sex not in ("male", "female"):
        return None
    decade = min(max(age_years // 10 * 10, YOUNGEST_NORM_DECADE), OLDEST_NORM_DECADE)
    men, women = DECADE_NORMS_REPS[decade]
    return men if sex == "male" else women


def limb_symmetry_percent(involved_reps: int | None, uninvolved_reps: int | None) -> float | None:
    """LSI = involved / uninvolved x 100 [Silbernagel 2010]; None without both sides or with a zero divisor."""
    exact = limb_symmetry_fraction(involved_reps, uninvolved_reps)
    return None if exact is None else float(exact)


def limb_symmetry_fraction(involved_reps: int | None, uninvolved_reps: int | None) -> Fraction | None:
    """The LSI in percent as an exact fraction (what thresholds and rounding use)."""
    if involved_reps is None or uninvolved_reps is None or uninvolved_reps == 0:
        return None
    return Fraction(involved_reps * 100, uninvolved_reps)


def assess_heel_raise(
    left_reps: int | None, right_reps: int | None, side: Side, age_years: int | None, sex: Sex | None
) -> HeelRaiseResult:
    """LSI, asymmetry, the decade norm and the flags for one heel-raise test.

    Flags apply to the involved side, or to either side when ``side`` is ``"both"``; a side with no
    count raises no flag (it was not measured, which is not the same as normal).
    """
    norm = age_sex_norm_reps(age_years, sex)
    if side == "both":
        involved = [reps for reps in (left_reps, right_reps) if reps is not None]
        lsi = None
    else:
        involved_reps, uninvolved_reps = (left_reps, right_reps) if side == "left" else (right_reps, left_reps)
        involved = [] if involved_reps is None else [involved_reps]
        lsi = limb_symmetry_fraction(involved_reps, uninvolved_reps)
    raised: set[Flag] = set()
    if any(reps < HEEL_RAISE_RUNNER_TARGET_REPS for reps in involved):
        raised.add("below_30_reps")
    if norm is not None and any(reps < norm for reps in involved):
        raised.add("below_age_sex_norm")
    if lsi is not None and lsi < LSI_TARGET_PERCENT:
        raised.add("lsi_below_90")
    return HeelRaiseResult(
        lsi_percent=None if lsi is None else float(lsi),
        asymmetry_percent=None if lsi is None else float(100 - lsi),
        age_sex_norm_reps=norm,
        flags=tuple(flag for flag in FLAG_ORDER if flag in raised),
        lsi_exact=lsi,
    )
