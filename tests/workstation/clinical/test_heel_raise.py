"""Heel-raise test (CLINICAL.md 2): contract boundaries through ``evaluate_document``, and the protocol record.

Expected values are worked by hand from CLINICAL.md 2.2-2.4 and assessment-json.md, never recomputed with
the code under test.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workstation.clinical.assessment import Assessment, HeelRaiseTest
from workstation.clinical.evaluate import evaluate, evaluate_document
from workstation.clinical.heel_raise_protocol import (
    HeelRaiseRecord,
    LegTrial,
    ReferenceLine,
    as_contract_test,
    assess_recorded_heel_raise,
    compare_reps,
    compare_tests,
    contract_protocol,
    is_research_standard,
    norm_is_like_for_like,
    pain_limited_legs,
    protocol_deviations,
    record_problems,
    reference_lines,
)
from workstation.problems import Severity

TODAY = date(2026, 12, 1)
ASSESSED_ON = "2026-11-20"


def heel_raise_output(
    heel_raise: dict[str, Any] | None, side: str = "left", patient: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The evaluation's ``heel_raise`` object for a minimal valid document."""
    document: dict[str, Any] = {"schema": "calfdesk.assessment/1", "assessed_on": ASSESSED_ON, "symptomatic_side": side}
    if patient is not None:
        document["patient"] = patient
    if heel_raise is not None:
        document["heel_raise"] = heel_raise
    result: dict[str, Any] = evaluate_document(document, today=TODAY)["heel_raise"]
    return result


# --- LSI either side of 90 % (CLINICAL.md 2.3) ---


@pytest.mark.parametrize(
    ("left", "right", "lsi", "asymmetry", "flags"),
    [
        (27, 30, 90.0, 10.0, ["below_30_reps"]),  # exactly 90 %: no LSI flag
        (26, 29, 89.7, 10.3, ["below_30_reps", "lsi_below_90"]),  # 89.655 %
        # 224/249 = 0.9 - 0.1/249 = 89.9598 %: shown as 90.0, but the threshold compares the unrounded value
        (224, 249, 90.0, 10.0, ["lsi_below_90"]),
        (36, 40, 90.0, 10.0, []),  # 90 % with both legs over 30: no flag at all
        (35, 40, 87.5, 12.5, ["lsi_below_90"]),
        (44, 40, 110.0, -10.0, []),  # the involved leg is stronger: asymmetry carries the sign
    ],
)
def test_lsi_boundary(left: int, right: int, lsi: float, asymmetry: float, flags: list[str]) -> None:
    out = heel_raise_output({"left_reps": left, "right_reps": right})
    assert out == {"lsi_percent": lsi, "asymmetry_percent": asymmetry, "age_sex_norm_reps": None, "flags": flags}


def test_lsi_uses_the_symptomatic_side_as_involved() -> None:
    # Right symptomatic: 27 (right) / 30 (left) = 90 %; the left's 30 raises no flag.
    out = heel_raise_output({"left_reps": 30, "right_reps": 27}, side="right")
    assert (out["lsi_percent"], out["flags"]) == (90.0, ["below_30_reps"])


@pytest.mark.parametrize(("reps", "flags"), [(30, []), (29, ["below_30_reps"]), (31, [])])
def test_runner_target_of_30(reps: int, flags: list[str]) -> None:
    assert heel_raise_output({"left_reps": reps, "right_reps": reps})["flags"] == flags


# --- Decade norms (CLINICAL.md 2.2 table) ---

NORMS = [  # (age in the decade, sex, norm in reps), from the CLINICAL.md 2.2 table
    (25, "male", 37), (35, "male", 32), (45, "male", 28), (55, "male", 23),
    (65, "male", 19), (75, "male", 14), (85, "male", 10),
    (25, "female", 30), (35, "female", 27), (45, "female", 24), (55, "female", 21),
    (65, "female", 19), (75, "female", 16), (85, "female", 13),
]  # fmt: skip


@pytest.mark.parametrize(("age", "sex", "norm"), NORMS)
def test_reps_at_the_norm_raise_no_norm_flag(age: int, sex: str, norm: int) -> None:
    out = heel_raise_output({"left_reps": norm, "right_reps": norm}, patient={"age_years": age, "sex": sex})
    assert out["age_sex_norm_reps"] == norm
    assert "below_age_sex_norm" not in out["flags"]


@pytest.mark.parametrize(("age", "sex", "norm"), NORMS)
def test_one_rep_under_the_norm_is_flagged(age: int, sex: str, norm: int) -> None:
    out = heel_raise_output({"left_reps": norm - 1, "right_reps": norm - 1}, patient={"age_years": age, "sex": sex})
    assert "below_age_sex_norm" in out["flags"]


def test_norm_and_runner_target_flags_together() -> None:
    # Man of 25: norm 37. 29 raises is under both; LSI 29/29 = 100 %.
    out = heel_raise_output({"left_reps": 29, "right_reps": 29}, patient={"age_years": 25, "sex": "male"})
    assert out["flags"] == ["below_30_reps", "below_age_sex_norm"]
    # 33 is over the runner target but under the norm.
    out = heel_raise_output({"left_reps": 33, "right_reps": 33}, patient={"age_years": 25, "sex": "male"})
    assert out["flags"] == ["below_age_sex_norm"]


@pytest.mark.parametrize(
    ("age", "men", "women"),
    [
        (0, 37, 30), (19, 37, 30), (20, 37, 30), (29, 37, 30), (30, 32, 27), (39, 32, 27), (40, 28, 24),
        (79, 14, 16), (80, 10, 13), (89, 10, 13), (90, 10, 13), (120, 10, 13),
    ],
)  # fmt: skip
def test_decade_edges_by_age_years(age: int, men: int, women: int) -> None:
    both = {"left_reps": 40, "right_reps": 40}
    assert heel_raise_output(both, patient={"age_years": age, "sex": "male"})["age_sex_norm_reps"] == men
    assert heel_raise_output(both, patient={"age_years": age, "sex": "female"})["age_sex_norm_reps"] == women


@pytest.mark.parametrize(
    ("born", "sex", "norm"),
    [
        ("2006-11-20", "male", 37),  # 20 on the day
        ("2006-11-21", "male", 37),  # birthday tomorrow: still 19, which uses 20-29
        ("1996-11-20", "male", 32),  # 30 on the day
        ("1996-11-21", "male", 37),  # 29 until tomorrow
        ("1986-11-20", "male", 28),  # 40 on the day
        ("1986-11-21", "male", 32),  # 39 until tomorrow
        ("1986-11-20", "female", 24),
        ("1986-11-21", "female", 27),
        ("1936-11-20", "female", 13),  # 90: uses 80-89
        ("1936-11-21", "female", 13),  # 89
        ("1947-11-20", "male", 14),  # 79 on the day
        ("1946-11-20", "male", 10),  # 80
        ("1946-11-21", "male", 14),  # 79 until tomorrow
    ],
)
def test_decade_edges_by_date_of_birth(born: str, sex: str, norm: int) -> None:
    out = heel_raise_output({"left_reps": 40, "right_reps": 40}, patient={"date_of_birth": born, "sex": sex})
    assert out["age_sex_norm_reps"] == norm


@pytest.mark.parametrize("patient", [{"age_years": 40, "sex": "other"}, {"age_years": 40, "sex": "unknown"},
                                     {"age_years": 40}, {"sex": "female"}, None])  # fmt: skip
def test_no_norm_without_age_and_a_male_or_female_sex(patient: dict[str, Any] | None) -> None:
    out = heel_raise_output({"left_reps": 5, "right_reps": 5}, patient=patient)
    assert out["age_sex_norm_reps"] is None
    assert out["flags"] == ["below_30_reps"]  # 5 is under 30 whoever the patient is, but no norm flag


# --- Missing sides, a zero, both sides (assessment-json.md "Heel raise") ---


@pytest.mark.parametrize(
    "heel_raise",
    [None, {}, {"left_reps": None, "right_reps": None}, {"right_reps": 12}, {"left_reps": None, "right_reps": 12}],
)
def test_involved_side_not_measured_gives_nulls_and_no_flags(heel_raise: dict[str, Any] | None) -> None:
    # Left symptomatic, left not measured: nothing can be said, which is not the same as "no deficit".
    out = heel_raise_output(heel_raise, patient={"age_years": 30, "sex": "male"})
    assert out == {"lsi_percent": None, "asymmetry_percent": None, "age_sex_norm_reps": 32, "flags": []}


@pytest.mark.parametrize("heel_raise", [{"left_reps": 20}, {"left_reps": 20, "right_reps": None}])
def test_uninvolved_side_missing_still_judges_the_involved_leg(heel_raise: dict[str, Any]) -> None:
    out = heel_raise_output(heel_raise, patient={"age_years": 30, "sex": "male"})
    assert out == {
        "lsi_percent": None,
        "asymmetry_percent": None,
        "age_sex_norm_reps": 32,
        "flags": ["below_30_reps", "below_age_sex_norm"],
    }


def test_zero_on_the_uninvolved_side_gives_no_lsi() -> None:
    out = heel_raise_output({"left_reps": 10, "right_reps": 0})
    assert out == {
        "lsi_percent": None,
        "asymmetry_percent": None,
        "age_sex_norm_reps": None,
        "flags": ["below_30_reps"],
    }


def test_zero_on_the_involved_side_is_an_lsi_of_0() -> None:
    out = heel_raise_output({"left_reps": 0, "right_reps": 30})
    assert out == {
        "lsi_percent": 0.0,
        "asymmetry_percent": 100.0,
        "age_sex_norm_reps": None,
        "flags": ["below_30_reps", "lsi_below_90"],
    }


@pytest.mark.parametrize(
    ("left", "right", "patient", "norm", "flags"),
    [
        (35, 20, {"age_years": 25, "sex": "male"}, 37, ["below_30_reps", "below_age_sex_norm"]),
        (40, 29, None, None, ["below_30_reps"]),  # the right leg alone raises it
        (25, 40, {"age_years": 35, "sex": "female"}, 27, ["below_30_reps", "below_age_sex_norm"]),
        (40, 28, {"age_years": 35, "sex": "female"}, 27, ["below_30_reps"]),  # 28 >= 27
        (40, 10, {"age_years": 35, "sex": "female"}, 27, ["below_30_reps", "below_age_sex_norm"]),
        (40, 40, None, None, []),
        (None, 29, None, None, ["below_30_reps"]),  # one leg measured is still judged
    ],
)
def test_both_sides_symptomatic_no_lsi_and_flags_from_either(
    left: int | None, right: int, patient: dict[str, Any] | None, norm: int | None, flags: list[str]
) -> None:
    out = heel_raise_output({"left_reps": left, "right_reps": right}, side="both", patient=patient)
    assert out == {"lsi_percent": None, "asymmetry_percent": None, "age_sex_norm_reps": norm, "flags": flags}


# --- The protocol record (CLINICAL.md 2.1) ---

STANDARD = HeelRaiseRecord(
    left=LegTrial(24, "height"),
    right=LegTrial(31, "fatigue"),
    surface="incline_10deg",
    cadence=60,
    knee="straight",
    footwear="barefoot",
    first_leg="right",
)


def record(**changes: Any) -> HeelRaiseRecord:
    values = {name: getattr(STANDARD, name) for name in HeelRaiseRecord.__slots__}
    values.update(changes)
    return HeelRaiseRecord(**values)


def test_the_research_standard_is_recognised() -> None:
    assert protocol_deviations(STANDARD) == ()
    assert is_research_standard(STANDARD)


@pytest.mark.parametrize(
    ("changes", "deviations"),
    [
        ({"surface": "flat", "cadence": "self_paced"}, ("surface", "cadence")),
        ({"surface": "step"}, ("surface",)),
        ({"cadence": 40}, ("cadence",)),
        ({"cadence": 30}, ("cadence",)),  # 30 raises a minute is 60 beats; 30 bpm is half the pace
        ({"knee": "bent", "knee_flexion_deg": 30}, ("knee",)),
        ({"surface": None, "cadence": None, "knee": None}, ("surface", "cadence", "knee")),  # unrecorded
    ],
)
def test_non_standard_parts_are_named(changes: dict[str, Any], deviations: tuple[str, ...]) -> None:
    assert protocol_deviations(record(**changes)) == deviations
    assert not is_research_standard(record(**changes))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, "incline_10deg_60bpm"),
        ({"knee": "bent", "knee_flexion_deg": 30}, "incline_10deg_60bpm"),  # the contract keeps knee apart
        ({"surface": "flat", "cadence": "self_paced"}, "flat_floor"),
        ({"surface": "flat"}, "flat_floor"),
        ({"surface": "step", "cadence": 60}, "step"),
        ({"cadence": "self_paced"}, "other"),
        ({"cadence": 50}, "other"),
        ({"cadence": None}, "other"),
        ({"surface": None}, None),
    ],
)
def test_contract_protocol_code(changes: dict[str, Any], code: str | None) -> None:
    assert contract_protocol(record(**changes)) == code


@pytest.mark.parametrize(
    ("left", "right", "stopped_by_pain"),
    [
        (LegTrial(18, "pain", 6), LegTrial(31, "fatigue"), "left"),
        (LegTrial(18, "height"), LegTrial(12, "pain", 5), "right"),
        (LegTrial(18, "pain", 6), LegTrial(12, "pain", 5), "both"),
        (LegTrial(18, "pain", 6), LegTrial(12), "left"),  # a known pain stop is kept
        (LegTrial(18, "cadence"), LegTrial(31, "alignment"), "none"),
        (LegTrial(18, "support"), None, "none"),  # the one leg tested stopped for support
        (LegTrial(18, "fatigue"), LegTrial(31), None),  # one reason missing: not answered, not "none"
        (None, None, None),
    ],
)
def test_as_contract_test_stopped_by_pain(
    left: LegTrial | None, right: LegTrial | None, stopped_by_pain: str | None
) -> None:
    assert as_contract_test(record(left=left, right=right)).stopped_by_pain == stopped_by_pain


def test_as_contract_test_carries_counts_protocol_and_reproduction() -> None:
    bent = record(knee="bent", knee_flexion_deg=30, reproduced_symptoms=True, right=None)
    assert as_contract_test(bent) == HeelRaiseTest(
        left_reps=24,
        right_reps=None,
        protocol="incline_10deg_60bpm",
        knee="bent",
        stopped_by_pain="none",
        reproduced_symptoms=True,
    )


def test_a_pain_limited_test_from_the_wizard_is_not_called_weakness() -> None:
    # F18 (capacity deficit without symptom reproduction) must not fire when the test reproduced the pain.
    painful = record(left=LegTrial(12, "pain", 7), reproduced_symptoms=True)
    assessment = Assessment(assessed_on_iso=ASSESSED_ON, symptomatic_side="left", heel_raise=as_contract_test(painful))
    overload = next(r for r in evaluate(assessment).differential.ranking if r.condition == "overload")
    assert "F18" not in overload.supporting
    weak = record(left=LegTrial(12, "fatigue"), reproduced_symptoms=False)
    assessment = Assessment(assessed_on_iso=ASSESSED_ON, symptomatic_side="left", heel_raise=as_contract_test(weak))
    overload = next(r for r in evaluate(assessment).differential.ranking if r.condition == "overload")
    assert "F18" in overload.supporting


def test_pain_limited_legs() -> None:
    assert pain_limited_legs(record(right=LegTrial(9, "pain", 6))) == ("right",)
    assert pain_limited_legs(record(left=LegTrial(9, "pain", 4), right=LegTrial(9, "pain", 6))) == ("left", "right")
    assert pain_limited_legs(STANDARD) == ()


# --- Record problems ---


ERROR = Severity.ERROR


def problem_fields(rec: HeelRaiseRecord) -> dict[str, Severity]:
    return {p.field: p.severity for p in record_problems(rec)}


def test_a_complete_standard_record_has_no_problems() -> None:
    assert record_problems(STANDARD) == []
    assert record_problems(record(knee="bent", knee_flexion_deg=30)) == []
    assert record_problems(record(knee="bent", knee_flexion_deg=20)) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"left": LegTrial(501)}, {"left.reps": Severity.ERROR}),
        ({"right": LegTrial(-1)}, {"right.reps": Severity.ERROR}),
        ({"left": LegTrial(20, "fatigue", 11, -1)}, {"left.nrs_during": ERROR, "left.nrs_after": ERROR}),
        ({"left": LegTrial(20, "pain")}, {"left.nrs_during": Severity.WARNING}),  # CLINICAL.md 2.1 step 7
        ({"cadence": 0}, {"cadence": Severity.ERROR}),
        ({"cadence": 241}, {"cadence": Severity.ERROR}),
        ({"knee_flexion_deg": 30}, {"knee_flexion_deg": Severity.ERROR}),  # straight knee with an angle
        ({"knee": "bent"}, {"knee_flexion_deg": Severity.WARNING}),  # CLINICAL.md 2.4: record the angle
        ({"knee": "bent", "knee_flexion_deg": 19}, {"knee_flexion_deg": Severity.WARNING}),
        ({"knee": "bent", "knee_flexion_deg": 121}, {"knee_flexion_deg": Severity.ERROR}),
    ],
)  # fmt: skip
def test_record_problems(changes: dict[str, Any], expected: dict[str, Severity]) -> None:
    assert problem_fields(record(**changes)) == expected


# --- The bent-knee (soleus) variant (CLINICAL.md 2.4) ---


def test_bent_knee_test_is_held_to_the_straight_knee_norm_marked_as_not_like_for_like() -> None:
    # Woman of 45 (straight-knee norm 24); 20 / 30 = 66.7 % LSI. The contract flags against the norm whatever
    # the knee (docs/assessment-contract.md, choice 4); the reading says the norm is the straight-knee one.
    bent = record(left=LegTrial(20, "fatigue"), right=LegTrial(30, "fatigue"), knee="bent", knee_flexion_deg=30)
    reading = assess_recorded_heel_raise(bent, "left", 45, "female")
    assert reading.norm_like_for_like is False
    assert reading.result.age_sex_norm_reps == 24
    assert reading.result.flags == ("below_30_reps", "below_age_sex_norm", "lsi_below_90")
    assert reading.result.lsi_percent == pytest.approx(66.667, abs=0.001)
    assert reading.deviations == ("knee",)
    assert not reading.research_standard


def test_straight_knee_test_holds_the_norm() -> None:
    straight = record(left=LegTrial(20, "fatigue"), right=LegTrial(30, "fatigue"))
    reading = assess_recorded_heel_raise(straight, "left", 45, "female")
    assert reading.result.age_sex_norm_reps == 24
    assert reading.result.flags == ("below_30_reps", "below_age_sex_norm", "lsi_below_90")
    assert reading.research_standard


def test_unrecorded_knee_is_held_to_the_straight_knee_norm_but_marked_non_standard() -> None:
    unknown = record(left=LegTrial(20, "pain", 5), right=LegTrial(30), knee=None)
    reading = assess_recorded_heel_raise(unknown, "left", 45, "female")
    assert reading.result.age_sex_norm_reps == 24
    assert reading.deviations == ("knee",)
    assert reading.pain_limited == ("left",)


@pytest.mark.parametrize(("knee", "same_way"), [("straight", True), ("bent", False), (None, True)])
def test_norm_is_like_for_like_only_for_a_straight_knee(knee: Any, same_way: bool) -> None:
    assert norm_is_like_for_like(knee) is same_way


# --- Measurement error (CLINICAL.md 2.3: changes under 6 reps) ---


@pytest.mark.parametrize(
    ("earlier", "later", "change", "direction", "within", "verdict"),
    [
        (20, 25, 5, "more", True, "within_measurement_error"),
        (20, 26, 6, "more", False, "improved"),
        (26, 20, -6, "fewer", False, "declined"),
        (26, 21, -5, "fewer", True, "within_measurement_error"),
        (20, 20, 0, "same", True, "within_measurement_error"),
        (0, 40, 40, "more", False, "improved"),
    ],
)
def test_compare_reps(earlier: int, later: int, change: int, direction: str, within: bool, verdict: str) -> None:
    result = compare_reps(earlier, later)
    assert result is not None
    assert (result.change_reps, result.direction, result.within_measurement_error, result.verdict) == (
        change,
        direction,
        within,
        verdict,
    )


@pytest.mark.parametrize(("earlier", "later"), [(None, 20), (20, None), (None, None)])
def test_compare_reps_needs_both_counts(earlier: int | None, later: int | None) -> None:
    assert compare_reps(earlier, later) is None


def test_compare_tests_same_protocol() -> None:
    later = record(left=LegTrial(30, "fatigue"), right=LegTrial(33, "fatigue"))
    comparison = compare_tests(STANDARD, later)
    assert comparison.same_protocol
    assert comparison.left is not None and (comparison.left.change_reps, comparison.left.verdict) == (6, "improved")
    assert comparison.right is not None and comparison.right.verdict == "within_measurement_error"  # +2


def test_compare_tests_names_what_differed_or_was_not_recorded() -> None:
    flat = record(surface="flat", cadence="self_paced")
    assert compare_tests(STANDARD, flat).protocol_differences == ("surface", "cadence")
    assert compare_tests(STANDARD, record(footwear=None)).protocol_differences == ("footwear",)
    assert compare_tests(STANDARD, record(footwear="shod")).protocol_differences == ("footwear",)
    bent_30, bent_45 = record(knee="bent", knee_flexion_deg=30), record(knee="bent", knee_flexion_deg=45)
    assert compare_tests(bent_30, bent_45).protocol_differences == ("knee_flexion_deg",)
    assert compare_tests(STANDARD, bent_30).protocol_differences == ("knee", "knee_flexion_deg")
    assert not compare_tests(STANDARD, flat).same_protocol


def test_compare_tests_a_straight_knee_is_0_degrees_typed_or_not() -> None:
    assert compare_tests(STANDARD, record(knee_flexion_deg=0)).same_protocol


def test_compare_tests_leg_not_tested() -> None:
    comparison = compare_tests(STANDARD, record(right=None))
    assert comparison.right is None
    assert comparison.left is not None and comparison.left.change_reps == 0


# --- Reference lines (CLINICAL.md 2.2 default app logic) ---


def test_reference_lines_for_a_man_of_35() -> None:
    assert reference_lines(age_years=35, sex="male", other_leg_reps=28) == (
        ReferenceLine("age_sex_norm", 32, "Norm for age and sex"),
        ReferenceLine("runner_target", 30, "Runner target"),
        ReferenceLine("aspirational", 40, "Aspirational (expert opinion)"),
        ReferenceLine("other_leg", 28, "Other leg"),
    )


@pytest.mark.parametrize(
    ("age", "sex", "knee"),
    [(35, "other", "straight"), (35, "unknown", "straight"), (None, "female", "straight"), (35, None, "straight"),
     (35, "other", "bent")],
)  # fmt: skip
def test_reference_lines_without_a_norm(age: int | None, sex: Any, knee: Any) -> None:
    codes = [line.code for line in reference_lines(age_years=age, sex=sex, knee=knee)]
    assert codes == ["runner_target", "aspirational"]


def test_reference_line_for_a_bent_knee_test_names_the_straight_knee_norm() -> None:
    lines = reference_lines(age_years=45, sex="female", knee="bent")
    assert lines[0] == ReferenceLine("age_sex_norm", 24, "Norm for age and sex (straight knee)")


def test_reference_line_for_a_woman_of_45_with_an_unrecorded_knee() -> None:
    lines = reference_lines(age_years=45, sex="female", knee=None, other_leg_reps=0)
    assert [(line.code, line.reps) for line in lines] == [
        ("age_sex_norm", 24),
        ("runner_target", 30),
        ("aspirational", 40),
        ("other_leg", 0),  # 0 is a count, not a missing leg
    ]
