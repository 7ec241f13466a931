"""The "Reading" cell of a letter's heel-raise rows: one phrase a GP reads at a glance.

"LSI 25 % (target ≥ 90 %); below the runner target of 30 and the age-sex norm of 27" rather than the
evaluation's flags one after another ("Under 30 reps; Below the age and sex norm; LSI under 90 %"), which
named the norm twice and read as a list of codes. The numbers are the stored evaluation's (the LSI and the
decade norm) and the app's thresholds (CLINICAL.md 2.2 runner target, 2.3 LSI target); whether a target is
met is the stored flags' say, never worked out again here. A target is said to be met only when the
involved side's reps were recorded: a count that was not measured meets nothing (CLINICAL.md 2.2, J3).
"""

from __future__ import annotations

from typing import Any

from workstation.clinical.heel_raise import HEEL_RAISE_RUNNER_TARGET_REPS, LSI_TARGET_PERCENT
from workstation.letters.stored import as_list, is_number, is_whole, number
from workstation.letters.wording import NOT_DONE

LSI_WORDS = "LSI {lsi} %"
LSI_BELOW_WORDS = "LSI {lsi} % (target ≥ {target:g} %)"  # lsi_below_90: LSI < 90 % [Green 2022]
# The rep-count flags, each as the target it compares with (CLINICAL.md 2.2), in the evaluation's order.
REP_TARGETS: dict[str, str] = {
    "below_30_reps": "the runner target of {target}",
    "below_age_sex_norm": "the age-sex norm of {norm}",
}
BELOW, MET = "below", "at or above"
NO_NORM = "no age-sex norm"  # sex other or not stated: the decade table has no row (CLINICAL.md 2.2)
NOT_TESTED = "Not tested"


def heel_raise_reading(result: dict[str, Any], involved_recorded: bool) -> str:
    """The straight-knee row's reading from the stored evaluation ``result`` (``evaluation["heel_raise"]``).

    Args:
        result: the stored heel-raise evaluation (LSI, norm and flags), read defensively.
        involved_recorded: whether the involved side's reps (either side's, when both hurt) were recorded,
            so that an unflagged target may be said to be met.
    """
    codes = [str(code) for code in as_list(result.get("flags"))]
    parts = [_lsi_words(result.get("lsi_percent"), "lsi_below_90" in codes)]
    norm = result.get("age_sex_norm_reps")
    if involved_recorded:
        parts += _rep_words(codes, norm if is_whole(norm) else None)
    known = {"lsi_below_90", *REP_TARGETS}
    parts += [code for code in codes if code not in known]  # a new flag prints as its code, never dropped
    return "; ".join(parts)


def bent_knee_reading(lsi: float | None) -> str:
    """The bent-knee row's reading: its LSI, worked out for the letter (the evaluation has none)."""
    if lsi is None:
        return f"LSI {NOT_DONE}"
    return _lsi_words(round(lsi, 1), lsi < LSI_TARGET_PERCENT)


def _lsi_words(lsi: Any, below: bool) -> str:
    if not is_number(lsi):
        return f"LSI {NOT_DONE}"
    template = LSI_BELOW_WORDS if below else LSI_WORDS
    return template.format(lsi=number(lsi), target=LSI_TARGET_PERCENT)


def _rep_words(codes: list[str], norm: int | None) -> list[str]:
    """ "below the runner target of 30 and the age-sex norm of 27"; the targets met after a semicolon."""
    targets = {code: words.format(target=HEEL_RAISE_RUNNER_TARGET_REPS, norm=norm)
               for code, words in REP_TARGETS.items() if code != "below_age_sex_norm" or norm is not None}  # fmt: skip
    below = [words for code, words in targets.items() if code in codes]
    met = [words for code, words in targets.items() if code not in codes]
    parts = [f"{BELOW} {' and '.join(below)}"] if below else []
    parts += [f"{MET} {' and '.join(met)}"] if met else []
    return parts if norm is not None else [*parts, NO_NORM]
