"""Knee-to-wall and knee-position flexibility (CLINICAL.md 3): contract boundaries and the follow-up rules.

Degrees are worked by hand at 3.6° per cm (CLINICAL.md 3.1) and rounded halves up to one decimal place.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workstation.clinical.evaluate import evaluate_document
from workstation.clinical.flexibility import (
    FlexibilityMeasures,
    KneePositionReading,
    asymmetry_above_target,
    change_since_baseline,
    minimal_detectable_change,
    range_asymmetry_percent,
    read_knee_positions,
    restriction_pattern,
)

TODAY = date(2026, 12, 1)


def knee_to_wall_output(knee_to_wall: dict[str, Any] | None, side: str = "left") -> dict[str, Any]:
    """The evaluation's ``knee_to_wall`` object for a minimal valid document."""
    document: dict[str, Any] = {
        "schema": "calfdesk.assessment/1",
        "assessed_on": "2026-11-20",
        "symptomatic_side": side,
    }
    if knee_to_wall is not None:
        document["knee_to_wall"] = knee_to_wall
    result: dict[str, Any] = evaluate_document(document, today=TODAY)["knee_to_wall"]
    return result


# --- The contract's side-difference flag (CLINICAL.md 3.1) ---


@pytest.mark.parametrize(
    ("right", "difference", "right_deg", "flag"),
    [
        (11.4, 1.4, 41.0, "none"),  # 41.04
        (11.5, 1.5, 41.4, "possible_asymmetry"),
        (11.9, 1.9, 42.8, "possible_asymmetry"),  # 42.84
        (12.0, 2.0, 43.2, "likely_meaningful"),
        (10.0, 0.0, 36.0, "none"),
        (13.0, 3.0, 46.8, "likely_meaningful"),
    ],
)
def test_side_difference_boundaries(right: float, difference: float, right_deg: float, flag: str) -> None:
    out = knee_to_wall_output({"left_cm": 10.0, "right_cm": right})
    assert out == {"difference_cm": difference, "left_deg": 36.0, "right_deg": right_deg, "flag": flag}


@pytest.mark.parametrize(
    ("left", "difference", "left_deg", "flag"),
    [
        # 11.45 - 10.0 is 1.4499999999999993 in binary floating point; as typed it is 1.45, which rounds up to 1.5.
        (11.45, 1.5, 41.2, "possible_asymmetry"),  # 41.22
        (11.44, 1.4, 41.2, "none"),  # 41.184
        (11.95, 2.0, 43.0, "likely_meaningful"),  # 1.95 rounds up; 43.02
        (11.94, 1.9, 43.0, "possible_asymmetry"),  # 42.984
    ],
)
def test_typed_decimals_are_rounded_before_the_flag(left: float, difference: float, left_deg: float, flag: str) -> None:
    out = knee_to_wall_output({"left_cm": left, "right_cm": 10.0})
    assert out == {"difference_cm": difference, "left_deg": left_deg, "right_deg": 36.0, "flag": flag}


def test_the_difference_is_absolute_whichever_leg_is_shorter() -> None:
    assert knee_to_wall_output({"left_cm": 12.0, "right_cm": 10.0})["flag"] == "likely_meaningful"
    assert knee_to_wall_output({"left_cm": 12.0, "right_cm": 10.0}, side="right")["difference_cm"] == 2.0


@pytest.mark.parametrize(
    ("knee_to_wall", "left_deg", "right_deg"),
    [
        ({"left_cm": 10.0}, 36.0, None),
        ({"left_cm": 10.0, "right_cm": None}, 36.0, None),
        ({"right_cm": 9.5}, None, 34.2),
        ({}, None, None),
        (None, None, None),
    ],
)
def test_a_missing_side_gives_no_difference_and_no_flag(
    knee_to_wall: dict[str, Any] | None, left_deg: float | None, right_deg: float | None
) -> None:
    # Not measured is not "none": the flag is null, not "none".
    out = knee_to_wall_output(knee_to_wall)
    assert out == {"difference_cm": None, "left_deg": left_deg, "right_deg": right_deg, "flag": None}


def test_zero_cm_is_a_measurement() -> None:
    out = knee_to_wall_output({"left_cm": 0, "right_cm": 2.0}, side="both")
    assert out == {"difference_cm": 2.0, "left_deg": 0.0, "right_deg": 7.2, "flag": "likely_meaningful"}


# --- Change since baseline against the MDC (CLINICAL.md 3.1, Powden 2015) ---


@pytest.mark.parametrize(
    ("unit", "same_rater", "mdc"),
    [
        ("cm", True, 1.9),
        ("deg", True, 4.7),
        ("cm", False, 1.6),
        ("deg", False, 4.6),
        ("cm", None, 1.9),
        ("deg", None, 4.7),
    ],
)
def test_minimal_detectable_change(unit: Any, same_rater: bool | None, mdc: float) -> None:
    assert minimal_detectable_change(unit, same_rater) == mdc


@pytest.mark.parametrize(
    ("baseline", "current", "unit", "same_rater", "exceeds", "verdict"),
    [
        (10.0, 11.9, "cm", True, True, "more_range"),  # 1.9 = the one-rater MDC
        (10.0, 11.8, "cm", True, False, "within_measurement_error"),
        (10.0, 11.6, "cm", False, True, "more_range"),  # 1.6 = the between-rater MDC
        (10.0, 11.5, "cm", False, False, "within_measurement_error"),
        (10.0, 11.6, "cm", None, False, "within_measurement_error"),  # rater not recorded: the larger MDC
        (12.0, 10.1, "cm", True, True, "less_range"),  # -1.9
        (12.0, 10.2, "cm", True, False, "within_measurement_error"),
        (30.0, 34.7, "deg", True, True, "more_range"),
        (30.0, 34.6, "deg", True, False, "within_measurement_error"),
        (30.0, 34.6, "deg", False, True, "more_range"),
        (30.0, 34.5, "deg", False, False, "within_measurement_error"),
        (34.6, 30.0, "deg", False, True, "less_range"),
        # 1.55 cm is shown as 1.6 but is under the 1.6 cm MDC: the threshold compares the unrounded change.
        (10.05, 11.6, "cm", False, False, "within_measurement_error"),
        # 11.7 - 9.8 is 1.8999999999999986 in binary; as typed it is exactly the MDC.
        (9.8, 11.7, "cm", True, True, "more_range"),
    ],
)
def test_change_since_baseline(
    baseline: float, current: float, unit: Any, same_rater: bool | None, exceeds: bool, verdict: str
) -> None:
    change = change_since_baseline(baseline, current, unit=unit, same_rater=same_rater)
    assert change is not None
    assert (change.exceeds_mdc, change.verdict) == (exceeds, verdict)


def test_change_since_baseline_reports_the_change_and_its_direction() -> None:
    change = change_since_baseline(10.05, 11.6, unit="cm", same_rater=False)
    assert change is not None
    assert (change.change, change.shown, change.mdc, change.unit) == (1.55, 1.6, 1.6, "cm")
    assert change.direction == "more_range"
    same = change_since_baseline(10.0, 10.0, unit="cm", same_rater=True)
    assert same is not None and (same.direction, same.verdict) == ("same", "within_measurement_error")


@pytest.mark.parametrize(("baseline", "current"), [(None, 10.0), (10.0, None), (None, None)])
def test_change_since_baseline_not_assessed(baseline: float | None, current: float | None) -> None:
    assert change_since_baseline(baseline, current, unit="cm", same_rater=True) is None


# --- Side-to-side % asymmetry (CLINICAL.md 3.1, <= 10 % [Green 2022]) ---


@pytest.mark.parametrize(
    ("left", "right", "side", "percent", "above"),
    [
        (9.0, 10.0, "left", 10.0, False),  # (10 - 9) / 10
        (8.9, 10.0, "left", 11.0, True),  # (10 - 8.9) / 10
        (11.0, 10.0, "left", -10.0, False),  # the involved leg has more range
        (12.0, 10.0, "left", -20.0, True),
        (9.0, 10.0, "right", -11.11111111111111, True),  # right involved: (9 - 10) / 9
        (9.0, 10.0, "both", 10.0, False),  # both: over the larger leg, unsigned
        (10.0, 9.0, "both", 10.0, False),
        (10.0, 10.0, "left", 0.0, False),
    ],
)
def test_range_asymmetry(left: float, right: float, side: Any, percent: float, above: bool) -> None:
    result = range_asymmetry_percent(left, right, side)
    assert result == pytest.approx(percent, abs=1e-9)
    assert asymmetry_above_target(result) is above


@pytest.mark.parametrize(
    ("left", "right", "side"), [(None, 10.0, "left"), (10.0, None, "both"), (5.0, 0.0, "left"), (0.0, 0.0, "both")]
)
def test_range_asymmetry_not_assessed(left: float | None, right: float | None, side: Any) -> None:
    assert range_asymmetry_percent(left, right, side) is None
    assert asymmetry_above_target(None) is None


def test_asymmetry_target_compares_the_unrounded_percent() -> None:
    assert asymmetry_above_target(10.0) is False
    assert asymmetry_above_target(10.04) is True  # shown as 10.0, still over


# --- Straight knee versus bent knee (CLINICAL.md 3.2) ---


def test_restricted_straight_but_not_bent_is_the_gastrocnemius_pattern() -> None:
    # Left straight-knee 28° vs 35° (7° short, >= 6°); knee-to-wall 11.0 vs 11.5 cm (0.5 cm, < 1.5).
    left, right = read_knee_positions(FlexibilityMeasures(11.0, 11.5, 28.0, 35.0))
    # Knee-bend gain: 11.0 cm = 39.6°, minus 28° = 11.6°; right 11.5 cm = 41.4° - 35° = 6.4°.
    assert left == KneePositionReading(True, False, 11.6, False, "gastrocnemius")
    assert right == KneePositionReading(False, False, 6.4, False, "no_side_difference")


def test_restricted_in_both_positions_is_the_soleus_joint_or_capsule_pattern() -> None:
    # Left straight 29° vs 35° (6.0°: the boundary counts); knee-to-wall 9.0 vs 11.0 cm (2.0 cm).
    left, right = read_knee_positions(FlexibilityMeasures(9.0, 11.0, 29.0, 35.0))
    assert left == KneePositionReading(True, True, 3.4, False, "soleus_joint_or_capsule")  # 32.4 - 29
    assert right.pattern == "no_side_difference"


@pytest.mark.parametrize(
    ("wblt_left", "straight_left", "straight_restricted", "bent_restricted", "pattern"),
    [
        (10.1, 29.1, False, False, "no_side_difference"),  # 5.9° and 1.4 cm short: under both thresholds
        (10.0, 29.1, False, True, "soleus_joint_or_capsule"),  # 1.5 cm short with the knee bent only
        (10.1, 29.0, True, False, "gastrocnemius"),  # 6.0° short with the knee straight only
        (10.0, 29.0, True, True, "soleus_joint_or_capsule"),
    ],
)
def test_knee_position_thresholds(
    wblt_left: float, straight_left: float, straight_restricted: bool, bent_restricted: bool, pattern: str
) -> None:
    left, _ = read_knee_positions(FlexibilityMeasures(wblt_left, 11.5, straight_left, 35.0))
    assert (left.straight_knee_restricted, left.bent_knee_restricted, left.pattern) == (
        straight_restricted,
        bent_restricted,
        pattern,
    )


@pytest.mark.parametrize(
    ("wblt", "straight", "gain", "above"),
    [
        (12.0, 29.0, 14.2, True),  # 43.2 - 29
        (12.0, 30.2, 13.0, False),  # exactly the earlier study's 13°: not above it
        (12.0, 30.1, 13.1, True),
        (10.0, 26.0, 10.0, False),  # the usual 10° gain
    ],
)
def test_knee_bend_gain(wblt: float, straight: float, gain: float, above: bool) -> None:
    left, _ = read_knee_positions(FlexibilityMeasures(wblt_cm_left=wblt, straight_knee_deg_left=straight))
    assert (left.knee_bend_gain_deg, left.gain_above_published_normal) == (gain, above)


def test_missing_measurements_are_not_assessed_never_normal() -> None:
    left, right = read_knee_positions(FlexibilityMeasures(11.0, 11.5, 28.0, None))
    assert left.straight_knee_restricted is None
    assert left.bent_knee_restricted is False
    assert left.pattern is None
    assert left.knee_bend_gain_deg == 11.6  # the leg's own two positions are enough for its gain
    assert right.knee_bend_gain_deg is None
    nothing = read_knee_positions(FlexibilityMeasures())
    assert nothing == (KneePositionReading(None, None, None, None, None),) * 2


@pytest.mark.parametrize(
    ("straight", "bent", "pattern"),
    [
        (True, False, "gastrocnemius"),
        (True, True, "soleus_joint_or_capsule"),
        (False, True, "soleus_joint_or_capsule"),
        (False, False, "no_side_difference"),
        (None, False, None),
        (True, None, None),
        (None, True, None),
        (None, None, None),
    ],
)
def test_restriction_pattern_table(straight: bool | None, bent: bool | None, pattern: str | None) -> None:
    assert restriction_pattern(straight, bent) == pattern
