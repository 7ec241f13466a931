"""The choices the contract left open (docs/assessment-contract.md, "Choices"), each pinned by a test."""

from __future__ import annotations

import pytest

from tests.workstation.clinical.documents import evaluate, flag_codes, minimal_document, negative_red_flags, wells


def _screen(examination: dict[str, bool], **items: bool | None) -> dict[str, object]:
    return minimal_document(red_flags=negative_red_flags(wells=wells(**items)), examination=examination)


@pytest.mark.parametrize(
    ("items", "swollen", "raised"),
    [
        # One +1 item answered yes, "alternative diagnosis" answered no, another item unanswered:
        # the score is at least 1 whatever the unanswered item is, and the calf is swollen -> dvt.
        ({"active_cancer": True, "alternative_diagnosis_as_likely": False, "previous_dvt": None}, True, "dvt"),
        # The same without the swollen calf: at least 1 is not "likely" -> only the incomplete screen.
        ({"active_cancer": True, "alternative_diagnosis_as_likely": False, "previous_dvt": None}, False, None),
        # One yes but "alternative diagnosis" unanswered: it could be -2, so nothing is guaranteed.
        ({"active_cancer": True, "alternative_diagnosis_as_likely": None}, True, None),
        # Three yes, one +1 item unanswered, "alternative diagnosis" no: at least 3 -> likely whatever -> dvt.
        (
            {"active_cancer": True, "previous_dvt": True, "whole_leg_swollen": True, "calf_swelling_3cm": None},
            True,
            "dvt",
        ),
    ],
)
def test_an_incomplete_wells_screen_that_already_reaches_one_with_a_swollen_calf_raises_dvt(
    items: dict[str, bool | None], swollen: bool, raised: str | None
) -> None:
    evaluation = evaluate(_screen({"calf_swelling_warmth_or_redness": swollen}, **items))
    assert evaluation["wells"] == {"score": None, "category": "incomplete", "three_level": None}
    codes = flag_codes(evaluation)
    if raised == "dvt":
        assert codes == ["dvt"]
        assert evaluation["urgency"] == "urgent"
        assert evaluation["differential"][0]["condition"] == "dvt"
    else:
        assert codes == ["dvt_screen_incomplete"]
        assert evaluation["urgency"] == "soon"


def test_low_confidence_compares_the_two_highest_scores_not_the_pinned_first_entry() -> None:
    # Suspected DVT pins dvt on top with a low score; below it, overload leads the next condition by 3.
    document = minimal_document(
        red_flags=negative_red_flags(dvt_suspected=True),
        history={
            "onset": "gradual", "pain_builds_predictably_in_run": True, "tightness_lingers_after_runs": True,
            "recent_load_changes": ["hills"], "could_continue_running": True,
            "settles_within_minutes_of_stopping": False,
        },
    )  # fmt: skip
    evaluation = evaluate(document)
    ranking = evaluation["differential"]
    assert ranking[0]["condition"] == "dvt"
    by_score = sorted((entry["score"] for entry in ranking), reverse=True)
    # overload: F2 +2, F3 +2, F5 +2, F28 +2, F32 +1 = 9; silent soleus: F2 +2, F3 +1, F5 +1, F28 +1, F32 +1 = 6.
    assert ranking[1] == {
        "condition": "overload", "score": 9, "supporting": ["F2", "F3", "F5", "F28", "F32"], "opposing": [],
    }  # fmt: skip
    assert by_score[:2] == [9, 6]
    assert evaluation["low_confidence"] is False, "3 points apart, many findings answered: not low confidence"


def test_a_knee_to_wall_side_missing_is_not_called_normal() -> None:
    evaluation = evaluate(minimal_document(knee_to_wall={"left_cm": 9.0, "right_cm": None}))
    assert evaluation["knee_to_wall"] == {"difference_cm": None, "left_deg": 32.4, "right_deg": None, "flag": None}


def test_a_borderline_knee_to_wall_difference_as_typed_lands_on_the_flag() -> None:
    # 11.45 - 10.0 in binary is 1.4499999999999993; the clinician typed a 1.45 cm difference -> 1.5 -> flagged.
    evaluation = evaluate(minimal_document(knee_to_wall={"left_cm": 11.45, "right_cm": 10.0}))
    assert evaluation["knee_to_wall"]["difference_cm"] == 1.5
    assert evaluation["knee_to_wall"]["flag"] == "possible_asymmetry"


def test_a_bent_knee_test_is_still_held_against_the_norm_and_the_runner_target() -> None:
    evaluation = evaluate(
        minimal_document(
            patient={"age_years": 45, "sex": "male"},
            heel_raise={"left_reps": 26, "right_reps": 27, "knee": "bent"},
        )
    )
    # 40-49 men: 28 reps. 26 < 28 and < 30; LSI 96.3 is fine.
    assert evaluation["heel_raise"]["age_sex_norm_reps"] == 28
    assert evaluation["heel_raise"]["flags"] == ["below_30_reps", "below_age_sex_norm"]
