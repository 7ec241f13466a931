"""Outcome measures: NPRS, PSFS and the LEFS total, and what a change between two scores means (CLINICAL.md 7.1).

Each change is read against the threshold its own source gives: NPRS against the clinically important change
of 2 points or 30 % [Farrar 2001], PSFS against its minimal detectable change [Stratford 1995], the LEFS total
against its MCID [Binkley 1999]. Only the LEFS *total* exists here: the 20 item wordings are copyrighted (APTA)
and are deliberately not embedded.

Thresholds compare exact values (integers, or fractions of the decimals as typed), so a change that sits
exactly on a threshold is never pushed either side of it by binary floating point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from workstation.clinical.rounding import decimal_of

NPRS_MIN, NPRS_MAX = 0, 10  # CLINICAL.md 7.1: points; 0 = no pain, 10 = worst imaginable
NPRS_IMPORTANT_CHANGE_POINTS = 2  # CLINICAL.md 7.1: points, clinically important change [Farrar 2001]
NPRS_IMPORTANT_CHANGE_PERCENT = 30  # CLINICAL.md 7.1: % of the baseline, the alternative threshold [Farrar 2001]
PSFS_MIN_SCORE, PSFS_MAX_SCORE = 0, 10  # CLINICAL.md 7.1: points; 0 = unable, 10 = pre-injury level
PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES = 1, 5  # assessment-json.md outcomes.psfs: 1-5 activities
PSFS_MEAN_MDC_POINTS = 2  # CLINICAL.md 7.1: points, MDC (90 % CI) of the mean score [Stratford 1995]
PSFS_ACTIVITY_MDC_POINTS = 3  # CLINICAL.md 7.1: points, MDC (90 % CI) of one activity [Stratford 1995]
LEFS_MIN_TOTAL, LEFS_MAX_TOTAL = 0, 80  # CLINICAL.md 7.1: points, 20 items x 0-4, higher = better
LEFS_MCID_POINTS = 9  # CLINICAL.md 7.1: points, MCID (and MDC) 9 [Binkley 1999]

Verdict = Literal["improved", "worse", "no_important_change"]
NprsContext = Literal["now", "worst_24h", "during_run", "after_run", "next_morning"]
# CLINICAL.md 1.2 names five contexts; the assessment contract records the first three today.
NPRS_CONTEXTS: tuple[NprsContext, ...] = ("now", "worst_24h", "during_run", "after_run", "next_morning")


def _require_int(value: object, low: int, high: int, name: str) -> int:
    # bool is an int subclass; True is not a pain score.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return value


def _check_score(value: object, low: int, high: int, name: str) -> None:
    # NaN fails the range test by itself (it compares false with everything); a bool must be refused by name.
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low} to {high}, got {value!r}")


def _verdict_for_gain(gain: Fraction | int, threshold: int) -> Verdict:
    """For scales where higher is better: a gain of at least the threshold is real, so is a loss."""
    if gain >= threshold:
        return "improved"
    if gain <= -threshold:
        return "worse"
    return "no_important_change"


# --- NPRS -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NprsChange:
    """One NPRS context compared between two visits. Lower pain is better.

    ``change_points`` is follow-up minus baseline (negative = less pain); ``change_percent`` is that change
    as a percentage of the baseline, None from a baseline of 0 (no percentage of nothing).
    """

    context: NprsContext
    baseline: int
    follow_up: int
    change_points: int
    change_percent: float | None
    verdict: Verdict
    reason: str


def check_nprs(score: object, name: str = "nprs") -> int:
    """Return the score if it is an integer 0-10.

    Raises:
        ValueError: naming ``name`` and the value, for anything else (including bools and floats).
    """
    return _require_int(score, NPRS_MIN, NPRS_MAX, name)


def _nprs_change_is_important(points: int, baseline: int) -> bool:
    """At least 2 points, or at least 30 % of the baseline; integer arithmetic so 3 -> 2 is exactly 33 %.

    From a baseline of 0 any rise passes the percentage test (every rise is 30 % or more of nothing): new pain
    where there was none is reported as worse, the reading that keeps the patient safe.
    """
    return points >= NPRS_IMPORTANT_CHANGE_POINTS or points * 100 >= NPRS_IMPORTANT_CHANGE_PERCENT * baseline


def _nprs_reason(verdict: Verdict, baseline: int, follow_up: int) -> str:
    rule = (
        f"{NPRS_IMPORTANT_CHANGE_POINTS} points or {NPRS_IMPORTANT_CHANGE_PERCENT} % of the baseline, "
        "the same threshold either way [Farrar 2001]"
    )
    if verdict == "improved":
        return f"pain fell from {baseline} to {follow_up}: at least {rule}"
    if verdict == "worse":
        return f"pain rose from {baseline} to {follow_up}: at least {rule}"
    if baseline == 0 and follow_up == 0:
        return "no pain at either visit; a baseline of 0 cannot improve"
    return f"pain went from {baseline} to {follow_up}: less than {rule}"


def nprs_change(baseline: int, follow_up: int, context: NprsContext = "now") -> NprsChange:
    """Whether pain changed importantly between two NPRS scores [Farrar 2001].

    Improved when the score drops by at least 2 points or at least 30 % of the baseline; worse when it rises
    by the same thresholds (30 % of the baseline, so from 0 any new pain is worse); otherwise no important
    change. A baseline of 0 cannot improve.

    Raises:
        ValueError: if either score is not an integer 0-10, or the context is unknown.
    """
    if context not in NPRS_CONTEXTS:
        raise ValueError(f"nprs context must be one of {', '.join(NPRS_CONTEXTS)}, got {context!r}")
    check_nprs(baseline, f"nprs_{context} baseline")
    check_nprs(follow_up, f"nprs_{context} follow-up")
    change = follow_up - baseline
    verdict: Verdict = "no_important_change"
    if change < 0 and _nprs_change_is_important(-change, baseline):
        verdict = "improved"
    elif change > 0 and _nprs_change_is_important(change, baseline):
        verdict = "worse"
    return NprsChange(
        context=context,
        baseline=baseline,
        follow_up=follow_up,
        change_points=change,
        change_percent=None if baseline == 0 else change / baseline * 100,
        verdict=verdict,
        reason=_nprs_reason(verdict, baseline, follow_up),
    )


def nprs_changes(
    baseline: Mapping[NprsContext, int | None], follow_up: Mapping[NprsContext, int | None]
) -> tuple[NprsChange, ...]:
    """Compare every NPRS context scored at both visits, in ``NPRS_CONTEXTS`` order.

    A context missing (or None) at either visit is left out: it was not measured, which is not "no change".

    Raises:
        ValueError: for an unknown context or a score out of range.
    """
    for key in (*baseline, *follow_up):
        if key not in NPRS_CONTEXTS:
            raise ValueError(f"nprs context must be one of {', '.join(NPRS_CONTEXTS)}, got {key!r}")
    changes = []
    for context in NPRS_CONTEXTS:
        before, after = baseline.get(context), follow_up.get(context)
        if before is not None and after is not None:
            changes.append(nprs_change(before, after, context))
    return tuple(changes)


# --- PSFS -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PsfsActivity:
    """One patient-named activity and its score, 0 (unable) to 10 (pre-injury level)."""

    activity: str
    score: float

    def __post_init__(self) -> None:
        if not isinstance(self.activity, str) or not self.activity.strip():
            raise ValueError(f"psfs activity must be a non-empty name, got {self.activity!r}")
        _check_score(self.score, PSFS_MIN_SCORE, PSFS_MAX_SCORE, f"psfs score for {self.activity!r}")


@dataclass(frozen=True, slots=True)
class PsfsActivityChange:
    """One activity scored at both visits (matched by name), against the one-activity MDC of 3 points."""

    activity: str
    baseline: float
    follow_up: float
    change: float
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class PsfsChange:
    """The PSFS mean at both visits, its change against the MDC of 2 points, and each matched activity.

    The mean is compared even when the patient named different activities at the two visits, but then
    ``same_activities`` is False and the UI should say the two means do not cover the same activities.
    """

    baseline_mean: float
    follow_up_mean: float
    mean_change: float
    mean_verdict: Verdict
    activities: tuple[PsfsActivityChange, ...]
    only_at_baseline: tuple[str, ...]
    only_at_follow_up: tuple[str, ...]

    @property
    def same_activities(self) -> bool:
        return not self.only_at_baseline and not self.only_at_follow_up


def activity_key(name: str) -> str:
    """How activities are matched between visits: case and spacing are ignored ("Run  10 km" = "run 10 km")."""
    return " ".join(name.split()).casefold()


def _checked_activities(activities: Sequence[PsfsActivity], visit: str) -> dict[str, PsfsActivity]:
    count = len(activities)
    if not PSFS_MIN_ACTIVITIES <= count <= PSFS_MAX_ACTIVITIES:
        raise ValueError(
            f"psfs {visit} must have {PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} activities, got {count}"
        )
    by_key: dict[str, PsfsActivity] = {}
    for item in activities:
        key = activity_key(item.activity)
        if key in by_key:
            raise ValueError(f"psfs {visit} names the activity {item.activity!r} twice")
        by_key[key] = item
    return by_key


def _exact_score(item: PsfsActivity) -> Fraction:
    return Fraction(decimal_of(float(item.score)))


def _exact_mean(activities: Mapping[str, PsfsActivity]) -> Fraction:
    return sum((_exact_score(item) for item in activities.values()), Fraction(0)) / len(activities)


def psfs_mean(activities: Sequence[PsfsActivity]) -> float:
    """The PSFS score: the mean of the 1-5 scored activities.

    Raises:
        ValueError: for no activities, more than five, or the same activity named twice.
    """
    return float(_exact_mean(_checked_activities(activities, "activities")))


def psfs_change(baseline: Sequence[PsfsActivity], follow_up: Sequence[PsfsActivity]) -> PsfsChange:
    """Change of the PSFS mean (MDC 2 points) and of each activity named at both visits (MDC 3 points).

    Higher is better, so a rise of at least the MDC is "improved" and a fall of at least the MDC "worse";
    smaller changes are within measurement error [Stratford 1995].

    Raises:
        ValueError: as ``psfs_mean`` for either visit.
    """
    before = _checked_activities(baseline, "baseline")
    after = _checked_activities(follow_up, "follow-up")
    mean_change = _exact_mean(after) - _exact_mean(before)
    matched = []
    for key, item in after.items():
        if key in before:
            change = _exact_score(item) - _exact_score(before[key])
            matched.append(
                PsfsActivityChange(
                    activity=item.activity,
                    baseline=float(before[key].score),
                    follow_up=float(item.score),
                    change=float(change),
                    verdict=_verdict_for_gain(change, PSFS_ACTIVITY_MDC_POINTS),
                )
            )
    return PsfsChange(
        baseline_mean=float(_exact_mean(before)),
        follow_up_mean=float(_exact_mean(after)),
        mean_change=float(mean_change),
        mean_verdict=_verdict_for_gain(mean_change, PSFS_MEAN_MDC_POINTS),
        activities=tuple(matched),
        only_at_baseline=tuple(item.activity for key, item in before.items() if key not in after),
        only_at_follow_up=tuple(item.activity for key, item in after.items() if key not in before),
    )


# --- LEFS -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LefsChange:
    """The LEFS total at two visits and its change against the MCID of 9 points. Higher is better.

    ``ceiling_limited`` is True when the baseline is so high (above 71) that a 9-point gain cannot be
    shown: runners often score at or near the maximum (CLINICAL.md 7.1, ceiling effect).
    """

    baseline: int
    follow_up: int
    change: int
    verdict: Verdict
    ceiling_limited: bool


def check_lefs_total(total: object, name: str = "lefs_total") -> int:
    """Return the total if it is an integer 0-80 (the total only; the items are not recorded).

    Raises:
        ValueError: naming ``name`` and the value, for anything else.
    """
    return _require_int(total, LEFS_MIN_TOTAL, LEFS_MAX_TOTAL, name)


def lefs_change(baseline: int, follow_up: int) -> LefsChange:
    """Whether the LEFS total changed by at least the MCID of 9 points [Binkley 1999].

    Raises:
        ValueError: if either total is not an integer 0-80.
    """
    check_lefs_total(baseline, "lefs_total baseline")
    check_lefs_total(follow_up, "lefs_total follow-up")
    change = follow_up - baseline
    return LefsChange(
        baseline=baseline,
        follow_up=follow_up,
        change=change,
        verdict=_verdict_for_gain(change, LEFS_MCID_POINTS),
        ceiling_limited=baseline + LEFS_MCID_POINTS > LEFS_MAX_TOTAL,
    )
