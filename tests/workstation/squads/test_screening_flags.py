"""The screening flags table: each flag at, just below and just above its threshold (CLINICAL.md 2.2, 2.3,
2.4, 3.1, 7.2), their texts and order, and values the grid would refuse being ignored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workstation.clinical.flexibility import LIKELY_MEANINGFUL_CM, POSSIBLE_ASYMMETRY_CM
from workstation.clinical.heel_raise import HEEL_RAISE_RUNNER_TARGET_REPS, LSI_TARGET_PERCENT, MEASUREMENT_ERROR_REPS
from workstation.records import Sex
from workstation.squads.screening_flags import FLAG_CODES, SCREENING_FLAG_RULES, screening_flags
from workstation.squads.views import FlagLevel, ScreeningFlag

NOV_3 = date(2026, 11, 3)
# A 35-year-old woman's norm is 27 reps (CLINICAL.md 2.2), under the runners' 30: the norm flag stands alone.
WOMAN_35: dict[str, Any] = {"age": 35, "sex": Sex.FEMALE}
MAN_25: dict[str, Any] = {"age": 25, "sex": Sex.MALE}  # norm 37, over the runners' 30
UNKNOWN: dict[str, Any] = {"age": None, "sex": None}


def _flags(values: dict[str, float], who: dict[str, Any] = UNKNOWN, previous: dict[str, float] | None = None,
           previous_on: date | None = NOV_3) -> tuple[ScreeningFlag, ...]:  # fmt: skip
    return screening_flags(values, previous=previous, previous_on=previous_on, **who)


def _codes(values: dict[str, float], who: dict[str, Any] = UNKNOWN,
           previous: dict[str, float] | None = None) -> list[str]:  # fmt: skip
    return [flag.code for flag in _flags(values, who, previous)]


def _strong(left: float, right: float, **more: float) -> dict[str, float]:
    """Heel raises that raise no strength flag on their own (40 and over), plus ``more``."""
    return {"heel_raise_left": left, "heel_raise_right": right, **more}


# (case, values, who, previous, the codes expected)
CASES: list[tuple[str, dict[str, float], dict[str, Any], dict[str, float] | None, list[str]]] = [
    # CLINICAL.md 2.3: LSI (lower / higher x 100) under 90 %
    ("LSI 90 % exactly: at target", _strong(45, 50), UNKNOWN, None, []),
    ("LSI 88 %: below", _strong(44, 50), UNKNOWN, None, ["heel_raise_lsi_low"]),
    ("LSI 92 %: above", _strong(46, 50), UNKNOWN, None, []),
    ("LSI below with the right side lower", _strong(50, 44), UNKNOWN, None, ["heel_raise_lsi_low"]),
    ("LSI needs both sides", {"heel_raise_left": 40}, UNKNOWN, None, []),
    ("LSI of two zero counts is not computed", _strong(0, 0), UNKNOWN, None,
     ["heel_raise_below_target", "heel_raise_below_target"]),
    # CLINICAL.md 2.2: the runners' target of 30
    ("29 reps: below the target", _strong(29, 29), UNKNOWN, None, ["heel_raise_below_target"] * 2),
    ("30 reps: at the target", _strong(30, 30), UNKNOWN, None, ["heel_raise_below_aspirational"] * 2),
    ("31 reps: above the target", _strong(31, 31), UNKNOWN, None, ["heel_raise_below_aspirational"] * 2),
    # CLINICAL.md 2.2: the age-sex norm (a woman of 35: 27 reps)
    ("26 reps: below the norm and the target", _strong(26, 26), WOMAN_35, None,
     ["heel_raise_below_target", "heel_raise_below_target", "heel_raise_below_norm", "heel_raise_below_norm"]),
    ("27 reps: at the norm, below the target", _strong(27, 27), WOMAN_35, None, ["heel_raise_below_target"] * 2),
    ("28 reps: above the norm", _strong(28, 28), WOMAN_35, None, ["heel_raise_below_target"] * 2),
    # a man of 25: norm 37, so between 30 and 37 only the norm flags; under 30 the target says it all
    ("36 reps: below the norm of 37", _strong(36, 36), MAN_25, None, ["heel_raise_below_norm"] * 2),
    ("37 reps: at the norm", _strong(37, 37), MAN_25, None, ["heel_raise_below_aspirational"] * 2),
    ("38 reps: above the norm", _strong(38, 38), MAN_25, None, ["heel_raise_below_aspirational"] * 2),
    ("29 reps, norm 37: the target flag only", _strong(29, 29), MAN_25, None, ["heel_raise_below_target"] * 2),
    ("no norm without a sex", _strong(36, 36), {"age": 25, "sex": Sex.NOT_STATED}, None,
     ["heel_raise_below_aspirational"] * 2),
    ("no norm without an age", _strong(36, 36), {"age": None, "sex": Sex.MALE}, None,
     ["heel_raise_below_aspirational"] * 2),
    # CLINICAL.md 2.2: the aspirational 40, information only
    ("39 reps: under the aspirational 40", _strong(39, 40), UNKNOWN, None, ["heel_raise_below_aspirational"]),
    ("40 reps: at it", _strong(40, 40), UNKNOWN, None, []),
    ("41 reps: above it", _strong(41, 41), UNKNOWN, None, []),
    # CLINICAL.md 2.4: bent-knee LSI
    ("bent-knee LSI 90 %", {"bent_knee_left": 27, "bent_knee_right": 30}, UNKNOWN, None, []),
    ("bent-knee LSI 86.7 %", {"bent_knee_left": 26, "bent_knee_right": 30}, UNKNOWN, None, ["bent_knee_lsi_low"]),
    ("bent-knee LSI 93.3 %", {"bent_knee_left": 28, "bent_knee_right": 30}, UNKNOWN, None, []),
    # CLINICAL.md 3.1: knee-to-wall side difference, 1.5 cm possible, 2.0 cm likely meaningful
    ("1.4 cm", {"knee_to_wall_left": 10.0, "knee_to_wall_right": 11.4}, UNKNOWN, None, []),
    ("1.5 cm", {"knee_to_wall_left": 10.0, "knee_to_wall_right": 11.5}, UNKNOWN, None,
     ["knee_to_wall_possible_asymmetry"]),
    ("1.45 cm rounds to 1.5 as shown", {"knee_to_wall_left": 11.45, "knee_to_wall_right": 10.0}, UNKNOWN, None,
     ["knee_to_wall_possible_asymmetry"]),
    ("1.6 cm", {"knee_to_wall_left": 11.6, "knee_to_wall_right": 10.0}, UNKNOWN, None,
     ["knee_to_wall_possible_asymmetry"]),
    ("1.9 cm", {"knee_to_wall_left": 10.0, "knee_to_wall_right": 11.9}, UNKNOWN, None,
     ["knee_to_wall_possible_asymmetry"]),
    ("2.0 cm", {"knee_to_wall_left": 10.0, "knee_to_wall_right": 12.0}, UNKNOWN, None,
     ["knee_to_wall_likely_asymmetry"]),
    ("2.1 cm", {"knee_to_wall_left": 12.1, "knee_to_wall_right": 10.0}, UNKNOWN, None,
     ["knee_to_wall_likely_asymmetry"]),
    ("one side only", {"knee_to_wall_left": 4.0}, UNKNOWN, None, []),
    # CLINICAL.md 7.2: pain aims for 0/10
    ("pain 0", {"pain": 0}, UNKNOWN, None, []),
    ("pain 1", {"pain": 1}, UNKNOWN, None, ["pain_on_screening"]),
    ("pain 10", {"pain": 10}, UNKNOWN, None, ["pain_on_screening"]),
    # CLINICAL.md 2.3: a fall of 6 reps or more is beyond the test's measurement error
    ("down 5 reps: within the error", _strong(45, 45), UNKNOWN, _strong(50, 45), []),
    ("down 6 reps: beyond it", _strong(44, 45), UNKNOWN, _strong(50, 45), ["heel_raise_drop"]),
    ("down 7 reps", _strong(45, 43), UNKNOWN, _strong(45, 50), ["heel_raise_drop"]),
    ("up 10 reps is no flag", _strong(50, 50), UNKNOWN, _strong(40, 40), []),
    ("no previous value for that leg", _strong(44, 45), UNKNOWN, {"heel_raise_right": 45}, []),
    # CLINICAL.md 3.1: a knee-to-wall fall of the one-rater MDC, 1.9 cm, or more
    ("down 1.8 cm", {"knee_to_wall_left": 10.2}, UNKNOWN, {"knee_to_wall_left": 12.0}, []),
    ("down 1.9 cm", {"knee_to_wall_left": 10.1}, UNKNOWN, {"knee_to_wall_left": 12.0}, ["knee_to_wall_drop"]),
    ("down 2.0 cm", {"knee_to_wall_right": 10.0}, UNKNOWN, {"knee_to_wall_right": 12.0}, ["knee_to_wall_drop"]),
    ("up 3 cm is no flag", {"knee_to_wall_right": 13.0}, UNKNOWN, {"knee_to_wall_right": 10.0}, []),
]  # fmt: skip


@pytest.mark.parametrize(("values", "who", "previous", "codes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_flags_table(
    values: dict[str, float], who: dict[str, Any], previous: dict[str, float] | None, codes: list[str]
) -> None:
    assert _codes(values, who, previous) == codes


def test_every_rule_of_the_table_is_exercised() -> None:
    seen = {code for case in CASES for code in case[-1]}
    assert seen == set(FLAG_CODES)
    assert len(FLAG_CODES) == len(set(FLAG_CODES))


def test_the_texts_a_physio_reads() -> None:
    flags = _flags(
        {"heel_raise_left": 22, "heel_raise_right": 27, "knee_to_wall_left": 10.0, "knee_to_wall_right": 12.5,
         "pain": 3},
        WOMAN_35, previous={"heel_raise_right": 36}, previous_on=NOV_3,
    )  # fmt: skip
    assert [flag.text for flag in flags] == [
        "Pain 3/10 on screening: assess before training",
        "Right heel raise down 9 reps since 3 Nov (the ±6 measurement error or more)",
        "Heel-raise LSI 81.5 % (target ≥ 90 %)",
        "Left 22 reps: below the runners' 30",
        "Right 27 reps: below the runners' 30",
        "Left 22 reps: below the age-sex norm of 27",
        "Knee to wall: 2.5 cm side difference (likely meaningful)",
    ]
    assert [flag.level for flag in flags[:2]] == [FlagLevel.ALERT, FlagLevel.ALERT]
    assert {flag.level for flag in flags[2:]} == {FlagLevel.CAUTION}
    by_code = {flag.code: flag for flag in flags}
    assert by_code["heel_raise_lsi_low"].keys == ("heel_raise_left", "heel_raise_right")
    assert by_code["heel_raise_drop"].keys == ("heel_raise_right",)
    assert by_code["pain_on_screening"].keys == ("pain",)
    assert by_code["knee_to_wall_likely_asymmetry"].source == "CLINICAL.md 3.1"
    assert by_code["heel_raise_lsi_low"].source == "CLINICAL.md 2.3"


def test_the_other_texts() -> None:
    texts = {f.code: f.text for f in _flags(_strong(36, 39, bent_knee_left=20, bent_knee_right=30), MAN_25)}
    assert texts["heel_raise_below_norm"] == "Left 36 reps: below the age-sex norm of 37"
    assert texts["bent_knee_lsi_low"] == "Bent-knee LSI 66.7 % (target ≥ 90 %)"
    (aspiration,) = _flags(_strong(40, 37))
    assert (aspiration.text, aspiration.level) == ("Right 37 reps: under the aspirational 40", FlagLevel.INFO)
    (possible,) = _flags({"knee_to_wall_left": 10.0, "knee_to_wall_right": 11.5})
    assert possible.text == "Knee to wall: 1.5 cm side difference (possible asymmetry)"
    (drop,) = _flags({"knee_to_wall_left": 10.0}, previous={"knee_to_wall_left": 12.0}, previous_on=date(2026, 3, 9))
    assert drop.text == "Left knee to wall down 2.0 cm since 9 Mar (the 1.9 cm measurement error or more)"
    (undated,) = _flags(_strong(40, 40), previous=_strong(40, 47), previous_on=None)
    assert undated.text == "Right heel raise down 7 reps since the last screening (the ±6 measurement error or more)"


def test_the_thresholds_are_the_engines() -> None:
    """The table reads the engine's constants: the cases above sit on exactly these lines."""
    assert (HEEL_RAISE_RUNNER_TARGET_REPS, LSI_TARGET_PERCENT, MEASUREMENT_ERROR_REPS) == (30, 90.0, 6)
    assert (POSSIBLE_ASYMMETRY_CM, LIKELY_MEANINGFUL_CM) == (1.5, 2.0)
    assert all(rule.source.startswith("CLINICAL.md ") for rule in SCREENING_FLAG_RULES)


def test_an_lsi_under_target_never_reads_as_the_target() -> None:
    """Every pair of counts the grid accepts: a flagged LSI is shown under 90 %."""
    for higher in range(1, 151):
        for lower in range(higher + 1):
            for flag in _flags(_strong(lower, higher)):
                if flag.code == "heel_raise_lsi_low":
                    shown = float(flag.text.removeprefix("Heel-raise LSI ").split(" %")[0])
                    assert shown < LSI_TARGET_PERCENT, (lower, higher)


@pytest.mark.parametrize("bad", [200, -1, 12.5, float("nan"), float("inf"), True, "30", None])
def test_values_the_grid_refuses_raise_no_flag_and_no_error(bad: Any) -> None:
    assert _flags({"heel_raise_left": bad, "heel_raise_right": 40, "pain": bad}) == ()
    assert _flags(_strong(40, 40), previous={"heel_raise_left": bad}) == ()


def test_unknown_keys_are_ignored_and_nothing_measured_is_no_flag() -> None:
    assert _flags({}) == ()
    assert _flags({"hop_pain": 5}) == ()
