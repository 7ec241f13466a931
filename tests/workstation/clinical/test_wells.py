"""Oracle tests of the two-level Wells score (CLINICAL.md 5.2, assessment-json.md "wells" and red flags).

The expected values come from a table written out by hand from the NICE criteria, not from a sum: the
score of a complete screen depends only on how many of the nine +1 items are "yes" and on whether the
"alternative diagnosis at least as likely" item (-2) is "yes".
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.workstation.clinical.documents import (
    ALTERNATIVE_DIAGNOSIS,
    PLUS_ONE_ITEMS,
    WELLS_ITEMS,
    evaluate,
    flag,
    flag_codes,
    minimal_document,
    wells,
)

# (number of +1 items answered yes, alternative diagnosis as likely) -> (score, two-level, three-level).
# Written out row by row from CLINICAL.md 5.2: two-level >= 2 likely, <= 1 unlikely;
# three-level >= 3 high, 1-2 moderate, <= 0 low.
EXPECTED_BY_COUNT: dict[tuple[int, bool], tuple[int, str, str]] = {
    (0, False): (0, "unlikely", "low"),
    (1, False): (1, "unlikely", "moderate"),
    (2, False): (2, "likely", "moderate"),
    (3, False): (3, "likely", "high"),
    (4, False): (4, "likely", "high"),
    (5, False): (5, "likely", "high"),
    (6, False): (6, "likely", "high"),
    (7, False): (7, "likely", "high"),
    (8, False): (8, "likely", "high"),
    (9, False): (9, "likely", "high"),
    (0, True): (-2, "unlikely", "low"),
    (1, True): (-1, "unlikely", "low"),
    (2, True): (0, "unlikely", "low"),
    (3, True): (1, "unlikely", "moderate"),
    (4, True): (2, "likely", "moderate"),
    (5, True): (3, "likely", "high"),
    (6, True): (4, "likely", "high"),
    (7, True): (5, "likely", "high"),
    (8, True): (6, "likely", "high"),
    (9, True): (7, "likely", "high"),
}

# The same cut-offs as explicit score ranges (score range -2 to +9), used only to check the table above.
TWO_LEVEL_RANGES = {"likely": range(2, 10), "unlikely": range(-2, 2)}
THREE_LEVEL_RANGES = {"high": range(3, 10), "moderate": range(1, 3), "low": range(-2, 1)}

ALL_ANSWER_COMBINATIONS = list(itertools.product((False, True), repeat=len(WELLS_ITEMS)))


def _combination_id(answers: tuple[bool, ...]) -> str:
    return "".join("1" if answer else "0" for answer in answers)


def _expected(answers: tuple[bool, ...]) -> tuple[int, str, str]:
    by_item = dict(zip(WELLS_ITEMS, answers, strict=True))
    positives = [item for item in PLUS_ONE_ITEMS if by_item[item]]
    return EXPECTED_BY_COUNT[(len(positives), by_item[ALTERNATIVE_DIAGNOSIS])]


def _wells_document(items: dict[str, Any] | None, **sections: Any) -> dict[str, Any]:
    return minimal_document(red_flags={"wells": items}, **sections)


def test_the_hand_written_table_agrees_with_the_cut_off_ranges() -> None:
    assert len(EXPECTED_BY_COUNT) == 20
    for score, two_level, three_level in EXPECTED_BY_COUNT.values():
        assert score in TWO_LEVEL_RANGES[two_level]
        assert score in THREE_LEVEL_RANGES[three_level]


@pytest.mark.parametrize("answers", ALL_ANSWER_COMBINATIONS, ids=_combination_id)
def test_every_complete_screen_scores_as_nice_says(answers: tuple[bool, ...]) -> None:
    score, category, three_level = _expected(answers)
    evaluation = evaluate(_wells_document(dict(zip(WELLS_ITEMS, answers, strict=True))))

    assert evaluation["wells"] == {"score": score, "category": category, "three_level": three_level}
    # No other DVT input is given, so the dvt flag follows the two-level category alone; a complete
    # screen never reports itself incomplete.
    if category == "likely":
        assert flag_codes(evaluation) == ["dvt"]
        assert evaluation["urgency"] == "urgent"
    else:
        assert flag_codes(evaluation) == []
        assert evaluation["urgency"] == "routine"


@pytest.mark.parametrize("answers", ALL_ANSWER_COMBINATIONS, ids=_combination_id)
def test_score_of_one_with_a_swollen_warm_red_calf_raises_dvt(answers: tuple[bool, ...]) -> None:
    score, _, _ = _expected(answers)
    document = _wells_document(
        dict(zip(WELLS_ITEMS, answers, strict=True)), examination={"calf_swelling_warmth_or_redness": True}
    )

    codes = flag_codes(evaluate(document))

    # Contract: dvt when Wells is likely (>= 2) or the score is >= 1 with one-sided swelling/warmth/redness.
    assert codes == (["dvt"] if score >= 1 else [])


@pytest.mark.parametrize("swelling", [False, None], ids=["swelling_no", "swelling_unanswered"])
def test_score_of_one_without_a_swollen_calf_is_not_a_dvt_flag(swelling: bool | None) -> None:
    document = _wells_document(wells(previous_dvt=True), examination={"calf_swelling_warmth_or_redness": swelling})

    evaluation = evaluate(document)

    assert evaluation["wells"] == {"score": 1, "category": "unlikely", "three_level": "moderate"}
    assert flag_codes(evaluation) == []


def _assert_incomplete(evaluation: dict[str, Any]) -> None:
    assert evaluation["wells"] == {"score": None, "category": "incomplete", "three_level": None}
    assert flag(evaluation, "dvt_screen_incomplete")["tier"] == "soon"
    assert "dvt" not in flag_codes(evaluation)


@pytest.mark.parametrize("item", WELLS_ITEMS)
def test_one_unanswered_item_makes_the_screen_incomplete(item: str) -> None:
    _assert_incomplete(evaluate(_wells_document(wells(**{item: None}))))


@pytest.mark.parametrize("item", WELLS_ITEMS)
def test_one_missing_item_makes_the_screen_incomplete(item: str) -> None:
    items = wells()
    del items[item]

    _assert_incomplete(evaluate(_wells_document(items)))


@pytest.mark.parametrize(
    "unanswered",
    [
        ("active_cancer", "previous_dvt"),
        ("deep_vein_tenderness", "whole_leg_swollen", "calf_swelling_3cm", ALTERNATIVE_DIAGNOSIS),
        PLUS_ONE_ITEMS,  # only "alternative diagnosis" answered
    ],
    ids=["two_items", "four_items", "nine_items"],
)
def test_several_unanswered_items_make_the_screen_incomplete_never_unlikely(unanswered: tuple[str, ...]) -> None:
    items = wells(**dict.fromkeys(unanswered, None))

    evaluation = evaluate(_wells_document(items))

    _assert_incomplete(evaluation)
    assert evaluation["wells"]["category"] != "unlikely"


@pytest.mark.parametrize(
    "document",
    [
        minimal_document(),
        minimal_document(red_flags={}),
        minimal_document(red_flags={"dvt_suspected": False}),
        _wells_document(None),
        _wells_document({}),
        _wells_document(dict.fromkeys(WELLS_ITEMS, None)),
    ],
    ids=["no_red_flags_section", "empty_red_flags", "no_wells_key", "wells_null", "wells_empty", "all_items_null"],
)
def test_a_screen_never_started_is_not_assessed(document: dict[str, Any]) -> None:
    evaluation = evaluate(document)

    assert evaluation["wells"] == {"score": None, "category": "not_assessed", "three_level": None}
    assert flag(evaluation, "dvt_screen_incomplete")["tier"] == "soon"
    assert flag_codes(evaluation) == ["dvt_screen_incomplete"]
    assert evaluation["urgency"] == "soon"


# Safety choice beyond the contract (project docs): an incomplete screen whose answered items already
# reach "likely" whatever the unanswered ones turn out to be raises dvt. The lowest possible score
# counts every unanswered +1 item as 0 and an unanswered "alternative diagnosis" item as -2.
GUARANTEE_CASES = [
    # cancer +1, previous DVT +1, alternative unanswered -2 -> lowest 0: not guaranteed.
    pytest.param(
        dict(active_cancer=True, previous_dvt=True, alternative_diagnosis_as_likely=None), False, id="lowest_0"
    ),
    # cancer +1, previous DVT +1, alternative no 0, whole leg unanswered 0 -> lowest 2: guaranteed.
    pytest.param(dict(active_cancer=True, previous_dvt=True, whole_leg_swollen=None), True, id="lowest_2"),
    # three +1 items, alternative unanswered -2 -> lowest 1: not guaranteed.
    pytest.param(
        dict(active_cancer=True, previous_dvt=True, deep_vein_tenderness=True, alternative_diagnosis_as_likely=None),
        False,
        id="lowest_1_alternative_unanswered",
    ),
    # four +1 items, alternative unanswered -2 -> lowest 2: guaranteed.
    pytest.param(
        dict(
            active_cancer=True,
            previous_dvt=True,
            deep_vein_tenderness=True,
            calf_swelling_3cm=True,
            alternative_diagnosis_as_likely=None,
        ),
        True,
        id="lowest_2_alternative_unanswered",
    ),
    # one +1 item, alternative no, one item unanswered -> lowest 1 (highest 2): not guaranteed.
    pytest.param(dict(previous_dvt=True, whole_leg_swollen=None), False, id="lowest_1_highest_2"),
    # two +1 items, alternative yes -2, one item unanswered -> lowest 0: not guaranteed.
    pytest.param(
        dict(active_cancer=True, previous_dvt=True, alternative_diagnosis_as_likely=True, whole_leg_swollen=None),
        False,
        id="lowest_0_alternative_yes",
    ),
    # four +1 items, alternative yes -2, the other five unanswered 0 -> lowest 2: guaranteed.
    pytest.param(
        dict(
            active_cancer=True,
            previous_dvt=True,
            deep_vein_tenderness=True,
            calf_swelling_3cm=True,
            alternative_diagnosis_as_likely=True,
            paralysis_paresis_or_plaster=None,
            bedridden_3_days_or_major_surgery_12_weeks=None,
            whole_leg_swollen=None,
            pitting_oedema_symptomatic_leg=None,
            collateral_superficial_veins=None,
        ),
        True,
        id="lowest_2_five_unanswered",
    ),
]


@pytest.mark.parametrize(("answers", "dvt_guaranteed"), GUARANTEE_CASES)
def test_incomplete_screen_raises_dvt_only_when_the_answers_already_guarantee_likely(
    answers: dict[str, bool | None], dvt_guaranteed: bool
) -> None:
    evaluation = evaluate(_wells_document(wells(**answers)))

    assert evaluation["wells"] == {"score": None, "category": "incomplete", "three_level": None}
    if dvt_guaranteed:
        # "dvt_screen_incomplete ... unless dvt is already raised".
        assert flag_codes(evaluation) == ["dvt"]
        assert evaluation["urgency"] == "urgent"
    else:
        assert flag_codes(evaluation) == ["dvt_screen_incomplete"]
        assert evaluation["urgency"] == "soon"


def test_incomplete_screen_with_an_unanswered_item_absent_rather_than_null_is_guaranteed_too() -> None:
    items = wells(active_cancer=True, previous_dvt=True)
    del items["whole_leg_swollen"]  # cancer +1, previous DVT +1, alternative no -> lowest 2

    evaluation = evaluate(_wells_document(items))

    assert evaluation["wells"]["category"] == "incomplete"
    assert flag_codes(evaluation) == ["dvt"]
