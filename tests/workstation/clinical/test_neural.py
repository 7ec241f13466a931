"""Slump test, straight-leg raise and the neurological screen (CLINICAL.md 4.1-4.3)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workstation.clinical.assessment import NeuralTests
from workstation.clinical.evaluate import evaluate_document
from workstation.clinical.neural import (
    NeuralReading,
    NeurologicalScreen,
    SideScreen,
    SlumpTest,
    StraightLegRaise,
    as_contract_neural,
    classical_slr_pattern,
    classify_slump,
    classify_straight_leg_raise,
    deficit_levels,
    neurological_deficit,
    read_neural_test,
    screen_complete,
    screen_pattern,
)

# --- Classification: only reproduced AND differentiated is positive ---

CLASSIFICATION = [
    # (response, differentiation, result, reason)
    ("familiar", "eased_with_neck_release", "positive", "reproduced_and_differentiated"),
    ("familiar", "worse_with_ankle_dorsiflexion", "positive", "reproduced_and_differentiated"),
    ("familiar", "worse_with_hip_internal_rotation", "positive", "reproduced_and_differentiated"),
    ("familiar", "worse_with_neck_flexion", "positive", "reproduced_and_differentiated"),
    ("familiar", "no_change", "inconclusive", "no_change_with_differentiation"),
    ("familiar", "not_done", "inconclusive", "not_differentiated"),
    ("familiar", None, "inconclusive", "not_differentiated"),
    ("stretch_only", None, "negative", "stretch_only"),
    ("stretch_only", "eased_with_neck_release", "negative", "stretch_only"),  # normal neurodynamics
    ("stretch_only", "no_change", "negative", "stretch_only"),
    ("none", None, "negative", "no_symptoms"),
    ("none", "not_done", "negative", "no_symptoms"),
    ("unfamiliar_abnormal", "eased_with_neck_release", "inconclusive", "unfamiliar_response"),
    ("unfamiliar_abnormal", "no_change", "inconclusive", "unfamiliar_response"),
    (None, "eased_with_neck_release", "inconclusive", "response_not_recorded"),
]


@pytest.mark.parametrize(("response", "differentiation", "result", "reason"), CLASSIFICATION)
def test_slump_classification(response: Any, differentiation: Any, result: Any, reason: Any) -> None:
    test = SlumpTest("left", response=response, differentiation=differentiation, locations=("calf",))
    assert read_neural_test(test) == NeuralReading(result, reason)
    assert classify_slump(test) == result


@pytest.mark.parametrize(("response", "differentiation", "result", "reason"), CLASSIFICATION)
def test_straight_leg_raise_classification(response: Any, differentiation: Any, result: Any, reason: Any) -> None:
    test = StraightLegRaise("right", response=response, differentiation=differentiation, hip_flexion_deg=45)
    assert read_neural_test(test) == NeuralReading(result, reason)
    assert classify_straight_leg_raise(test) == result


def test_no_test_is_not_tested() -> None:
    assert read_neural_test(None) == NeuralReading("not_tested", "not_tested")
    assert classify_slump(None) == "not_tested"
    assert classify_straight_leg_raise(None) == "not_tested"


def test_the_other_side_does_not_decide_the_result() -> None:
    # CLINICAL.md 4.1 (c): "ideally" differs from the other side; recorded, not required.
    for other_side in ("same", "different", "not_tested", None):
        test = SlumpTest("left", "familiar", "eased_with_neck_release", other_side=other_side)
        assert classify_slump(test) == "positive"


def test_a_classical_slr_angle_does_not_make_it_positive() -> None:
    # Familiar calf pain at 45° but no sensitiser change: inconclusive, however classical the picture.
    test = StraightLegRaise("left", "familiar", "no_change", hip_flexion_deg=45, locations=("calf",))
    assert classical_slr_pattern(test) is True
    assert classify_straight_leg_raise(test) == "inconclusive"


@pytest.mark.parametrize(
    ("hip", "locations", "classical"),
    [
        (45, ("calf",), True),
        (30, ("foot",), True),
        (70, ("thigh", "calf"), True),
        (29, ("calf",), False),
        (71, ("calf",), False),
        (45, ("thigh",), False),  # not below the knee
        (45, ("buttock", "knee"), False),
        (None, ("calf",), None),
        (45, (), None),
    ],
)
def test_classical_slr_pattern(hip: int | None, locations: Any, classical: bool | None) -> None:
    assert classical_slr_pattern(StraightLegRaise("left", hip_flexion_deg=hip, locations=locations)) is classical


# --- Neurological screen (CLINICAL.md 4.3) ---

NORMAL = SideScreen(
    power_l4="normal",
    power_l5="normal",
    power_s1="normal",
    reflex_l4="normal",
    reflex_s1="normal",
    sensation_l4="normal",
    sensation_l5="normal",
    sensation_s1="normal",
)


def side(**changes: Any) -> SideScreen:
    values = {name: getattr(NORMAL, name) for name in SideScreen.__slots__}
    values.update(changes)
    return SideScreen(**values)


def test_a_complete_normal_screen_has_no_deficit() -> None:
    screen = NeurologicalScreen(NORMAL, NORMAL)
    assert screen_complete(screen)
    assert neurological_deficit(screen) is False
    assert screen_pattern(screen) == "no_deficit"
    assert deficit_levels(screen) == frozenset()


@pytest.mark.parametrize(
    ("changes", "level"),
    [
        ({"power_s1": "reduced"}, "S1"),
        ({"power_l5": "reduced"}, "L5"),
        ({"power_l4": "reduced"}, "L4"),
        ({"reflex_s1": "absent"}, "S1"),
        ({"reflex_l4": "reduced"}, "L4"),
        ({"sensation_s1": "reduced"}, "S1"),  # lateral foot
        ({"sensation_l5": "altered"}, "L5"),
        ({"power_s1": "reduced", "reflex_s1": "absent", "sensation_s1": "reduced"}, "S1"),  # one root, three signs
    ],
)
def test_one_level_in_one_leg_fits_radiculopathy(changes: dict[str, Any], level: str) -> None:
    screen = NeurologicalScreen(side(**changes), NORMAL)
    assert neurological_deficit(screen) is True
    assert deficit_levels(screen) == {("left", level)}
    assert screen_pattern(screen) == "single_level"


@pytest.mark.parametrize(
    "screen",
    [
        NeurologicalScreen(side(power_s1="reduced", sensation_l5="reduced"), NORMAL),  # two levels
        NeurologicalScreen(side(reflex_s1="absent"), side(reflex_s1="reduced")),  # both legs
        NeurologicalScreen(side(power_l4="reduced", power_s1="reduced"), None),  # already two levels on a part screen
    ],
)
def test_several_levels_or_both_legs_means_consider_another_diagnosis(screen: NeurologicalScreen) -> None:
    assert neurological_deficit(screen) is True
    assert screen_pattern(screen) == "several_levels_or_both_sides"


@pytest.mark.parametrize(
    "screen",
    [
        NeurologicalScreen(NORMAL, side(reflex_l4="brisk")),
        NeurologicalScreen(side(power_s1="reduced"), side(reflex_s1="brisk")),
        NeurologicalScreen(SideScreen(reflex_s1="brisk"), None),  # a brisk reflex on a partial screen still counts
    ],
)
def test_a_brisk_reflex_is_an_upper_motor_neuron_sign(screen: NeurologicalScreen) -> None:
    assert screen_pattern(screen) == "upper_motor_neuron_sign"


def test_a_brisk_reflex_alone_is_not_the_contracts_deficit() -> None:
    # The contract's neurological_deficit is sensory change, weakness or a *reduced* reflex.
    assert neurological_deficit(NeurologicalScreen(NORMAL, side(reflex_s1="brisk"))) is False


@pytest.mark.parametrize(
    "screen",
    [
        NeurologicalScreen(NORMAL, None),  # the other leg not examined
        NeurologicalScreen(NORMAL, side(reflex_s1=None)),  # one item not tested
        NeurologicalScreen(SideScreen(), SideScreen()),
        NeurologicalScreen(),
    ],
)
def test_a_partial_screen_with_nothing_found_is_not_answered(screen: NeurologicalScreen) -> None:
    assert not screen_complete(screen)
    assert neurological_deficit(screen) is None
    assert screen_pattern(screen) is None


def test_a_partial_screen_with_a_sign_is_a_deficit_but_not_yet_a_pattern() -> None:
    screen = NeurologicalScreen(side(power_s1="reduced"), None)
    assert neurological_deficit(screen) is True
    assert screen_pattern(screen) is None  # the untested leg could still show a second level


def test_no_screen() -> None:
    assert neurological_deficit(None) is None
    assert screen_pattern(None) is None


# --- Into the contract and through the engine ---


def test_as_contract_neural() -> None:
    slump = SlumpTest("left", "familiar", "eased_with_neck_release", onset_stage="knee_extension", nrs=5)
    slr = StraightLegRaise("left", "stretch_only", hip_flexion_deg=80)
    assert as_contract_neural(slump, slr, NeurologicalScreen(side(power_s1="reduced"), NORMAL)) == NeuralTests(
        slump="positive", straight_leg_raise="negative", neurological_deficit=True
    )
    assert as_contract_neural(None, None, None) == NeuralTests(
        slump="not_tested", straight_leg_raise="not_tested", neurological_deficit=None
    )


def neural_ranking(neural: NeuralTests) -> dict[str, Any]:
    document = {
        "schema": "calfdesk.assessment/1",
        "assessed_on": "2026-11-20",
        "symptomatic_side": "left",
        "neural": {
            "slump": neural.slump,
            "straight_leg_raise": neural.straight_leg_raise,
            "neurological_deficit": neural.neurological_deficit,
        },
    }
    evaluation = evaluate_document(document, today=date(2026, 12, 1))
    entry: dict[str, Any] = next(row for row in evaluation["differential"] if row["condition"] == "neural")
    return entry


def test_a_positive_slump_and_a_deficit_support_the_neural_condition() -> None:
    slump = SlumpTest("left", "familiar", "eased_with_neck_release")
    neural = as_contract_neural(slump, None, NeurologicalScreen(side(sensation_s1="reduced"), NORMAL))
    # F21 (slump or SLR positive) ++ and F23 (neurological deficit) ++ for neural: 2 + 2.
    assert neural_ranking(neural) == {"condition": "neural", "score": 4, "supporting": ["F21", "F23"], "opposing": []}


def test_a_calf_stretch_on_both_tests_counts_against_neural() -> None:
    slump = SlumpTest("left", "stretch_only", "eased_with_neck_release", locations=("calf",))
    slr = StraightLegRaise("left", "none", hip_flexion_deg=85)
    neural = as_contract_neural(slump, slr, NeurologicalScreen(NORMAL, NORMAL))
    # F22 (both negative) -- for neural; F23 is answered (false), so it does not score.
    assert neural_ranking(neural) == {"condition": "neural", "score": -2, "supporting": [], "opposing": ["F22"]}


def test_reproduced_but_undifferentiated_neither_supports_nor_opposes() -> None:
    slump = SlumpTest("left", "familiar", "no_change")
    neural = as_contract_neural(slump, StraightLegRaise("left", "none"), None)
    assert neural == NeuralTests(slump="inconclusive", straight_leg_raise="negative", neurological_deficit=None)
    assert neural_ranking(neural) == {"condition": "neural", "score": 0, "supporting": [], "opposing": []}
