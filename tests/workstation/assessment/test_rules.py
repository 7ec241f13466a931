"""When a wizard page may go on, and when a draft may be finalised (issue 6, items 2 and 6)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.workstation.assessment import TODAY, WELLS_KEYS, complete_draft, evaluation_of
from workstation.assessment.plan import plan_for
from workstation.assessment.records import RedFlagRecord
from workstation.assessment.rules import PAGES, finalise_problems, flags_needing_action, page_of, page_problems
from workstation.clinical.contract import parse_assessment
from workstation.clinical.evaluate import evaluate
from workstation.problems import Problem


def _finalise(draft, raised=()):
    return finalise_problems(draft, evaluation_of(draft), raised, today=TODAY)


def test_a_complete_draft_can_be_finalised_and_every_page_can_go_on():
    draft = complete_draft()
    assert _finalise(draft) == []
    for page in PAGES:
        assert page_problems(draft, page, today=TODAY, evaluation=evaluation_of(draft)) == []


def test_one_unanswered_wells_item_is_named_and_needs_no_action_for_the_incomplete_screen_flag():
    draft = complete_draft()
    draft.set("red_flags.wells.previous_dvt", None)
    evaluation = evaluation_of(draft)
    assert [flag.code for flag in evaluation.red_flags] == ["dvt_screen_incomplete"]
    expected = [Problem("red_flags.wells.previous_dvt", "Answer yes or no")]
    assert finalise_problems(draft, evaluation, (), today=TODAY) == expected
    assert page_problems(draft, "red_flags", today=TODAY) == expected
    assert page_problems(draft, "heel_raise", today=TODAY) == []


def test_the_red_flag_page_names_all_ten_wells_items_when_none_is_answered():
    draft = complete_draft()
    draft.set("red_flags.wells", None)
    problems = page_problems(draft, "red_flags", today=TODAY)
    assert [p.field for p in problems] == [f"red_flags.wells.{key}" for key in WELLS_KEYS]
    assert {p.message for p in problems} == {"Answer yes or no"}


def test_the_red_flag_page_needs_every_red_flag_question_answered():
    draft = complete_draft()
    draft.set("red_flags.cauda_equina_signs", None)
    draft.set("red_flags.severe_unexplained_pain", None)
    assert page_problems(draft, "red_flags", today=TODAY) == [
        Problem("red_flags.cauda_equina_signs", "Answer yes or no"),
        Problem("red_flags.severe_unexplained_pain", "Answer yes or no"),
    ]


def test_systemic_illness_is_asked_only_with_skin_signs_and_the_flag_needs_an_action():
    draft = complete_draft()
    assert "systemic_illness" not in draft.document["red_flags"]
    assert page_problems(draft, "red_flags", today=TODAY) == []
    draft.set("red_flags.cellulitis_signs", True)
    assert page_problems(draft, "red_flags", today=TODAY) == [Problem("red_flags.systemic_illness", "Answer yes or no")]
    draft.set("red_flags.systemic_illness", False)
    assert _finalise(draft) == [
        Problem("detail.red_flag_actions.cellulitis", "Record what you did about the possible cellulitis")
    ]
    draft.set_detail("red_flag_actions.cellulitis", "Phoned GP practice 10:05, seen this afternoon")
    assert _finalise(draft) == []


def test_a_suspected_dvt_cannot_be_finalised_without_a_recorded_action():
    draft = complete_draft()
    draft.set("red_flags.dvt_suspected", True)
    missing = [Problem("detail.red_flag_actions.dvt", "Record what you did about the suspected DVT")]
    assert _finalise(draft) == missing
    draft.set_detail("red_flag_actions.dvt", "   ")  # blank is not an action
    assert _finalise(draft) == missing
    draft.set_detail("red_flag_actions.dvt", "phoned GP practice 11:20, patient sent to ED")
    assert _finalise(draft) == []
    assert page_problems(draft, "summary", today=TODAY, evaluation=evaluation_of(draft)) == []


def test_a_flag_raised_earlier_in_the_wizard_still_needs_its_action_after_the_answer_changes():
    draft = complete_draft()  # nothing raised now
    problems = _finalise(draft, raised=["suspected_rupture"])
    assert problems == [
        Problem("detail.red_flag_actions.suspected_rupture", "Record what you did about the suspected rupture")
    ]


def test_the_working_impression_is_chosen_by_the_clinician():
    draft = complete_draft()
    draft.set_detail("impression", None)
    assert _finalise(draft) == [Problem("detail.impression.condition", "Choose your working impression")]
    draft.set_detail("impression.condition", "best guess")
    assert [p.field for p in _finalise(draft)] == ["detail.impression.condition"]
    draft.set_detail("impression.condition", "other")
    assert _finalise(draft) == [Problem("detail.impression.text", "Describe your working impression")]
    draft.set_detail("impression.text", "Plantaris strain")
    assert _finalise(draft) == []


def test_a_missing_side_is_one_plain_problem_on_the_history_page():
    draft = complete_draft()
    draft.set("symptomatic_side", None)
    expected = [Problem("symptomatic_side", "Choose the painful side: left, right or both")]
    assert page_problems(draft, "history", today=TODAY) == expected
    assert finalise_problems(draft, None, (), today=TODAY) == expected


def test_contract_problems_are_named_by_path_on_their_own_page():
    draft = complete_draft()
    draft.set("heel_raise.left_reps", 501)
    draft.set("history.nprs_now", 11)
    draft.set("history.pain_location", "thigh")
    heel = page_problems(draft, "heel_raise", today=TODAY)
    assert heel == [Problem("heel_raise.left_reps", "must be an integer from 0 to 500")]
    assert [p.field for p in page_problems(draft, "outcomes", today=TODAY)] == ["history.nprs_now"]
    assert [p.field for p in page_problems(draft, "body_chart", today=TODAY)] == ["history.pain_location"]
    assert page_problems(draft, "history", today=TODAY) == []
    assert [p.field for p in finalise_problems(draft, None, (), today=TODAY)] == [
        "heel_raise.left_reps", "history.nprs_now", "history.pain_location",
    ]  # fmt: skip


def test_an_assessment_dated_after_today_is_refused_on_the_first_page():
    draft = complete_draft()
    draft.set("assessed_on", "2026-12-02")
    problems = page_problems(draft, "history", today=TODAY)
    assert [p.field for p in problems] == ["assessed_on"]
    assert "in the future" in problems[0].message


def test_detail_numbers_must_be_numbers_in_range():
    draft = complete_draft()
    draft.set_detail("heel_raise.bent_left_reps", 12.5)
    draft.set_detail("knee_to_wall.straight_knee_deg_right", 95)
    assert page_problems(draft, "heel_raise", today=TODAY) == [
        Problem("detail.heel_raise.bent_left_reps", "Enter a whole number from 0 to 500 (reps)")
    ]
    assert page_problems(draft, "flexibility", today=TODAY) == [
        Problem("detail.knee_to_wall.straight_knee_deg_right", "Enter a number from 0 to 90 (degrees)")
    ]
    draft.set_detail("knee_to_wall.straight_knee_deg_right", 35.5)
    assert page_problems(draft, "flexibility", today=TODAY) == []


def test_the_summary_refuses_massage_in_a_plan_while_a_dvt_is_suspected():
    draft = complete_draft()
    draft.set_detail("plan", plan_for("overload").as_detail())  # includes the foam roller
    assert _finalise(draft) == []
    draft.set("red_flags.dvt_suspected", True)
    draft.set_detail("red_flag_actions.dvt", "Sent to the DVT clinic, phoned 09:40")
    problems = _finalise(draft)
    assert [p.field for p in problems] == ["detail.plan.exercises[2].code"]
    assert problems[0].message == "No massage or rolling of the calf while a DVT is suspected"


def test_pages_are_known_by_name():
    with pytest.raises(ValueError, match="unknown page 'plan'"):
        page_problems(complete_draft(), "plan", today=TODAY)
    assert page_of("history.nprs_worst_24h") == "outcomes"
    assert page_of("outcomes.psfs[0].score") == "outcomes"
    assert page_of("knee_to_wall.left_cm") == "flexibility"
    assert page_of("detail.red_flag_actions.dvt") == "summary"
    assert page_of("patient.date_of_birth") == "history"


def _stored(code, action=None):
    return RedFlagRecord(7, 3, code, "urgent", "...", datetime(2026, 11, 20, 11, 0), action=action)


def test_stored_flags_count_until_resolved_and_a_resolved_one_needs_no_draft_action():
    draft = complete_draft()
    draft.set("red_flags.dvt_suspected", True)
    evaluation = evaluation_of(draft)
    assert [p.field for p in finalise_problems(draft, evaluation, [_stored("dvt")])] == ["detail.red_flag_actions.dvt"]
    resolved = _stored("dvt", action="Phoned GP practice 11:20, patient sent to ED")
    assert finalise_problems(draft, evaluation, [resolved]) == []
    assert [p.field for p in finalise_problems(draft, evaluation, [resolved, _stored("cellulitis")])] == [
        "detail.red_flag_actions.cellulitis"
    ]
    assert flags_needing_action(evaluation, ["dvt", "dvt_screen_incomplete"]) == ["dvt"]


def test_without_a_day_the_future_date_rule_is_left_to_the_caller():
    draft = complete_draft()
    draft.set("assessed_on", "2026-12-02")
    evaluation = evaluate(parse_assessment(draft.document, today=date(2026, 12, 2)))
    assert finalise_problems(draft, evaluation) == []
    assert [p.field for p in finalise_problems(draft, evaluation, today=TODAY)] == ["assessed_on"]
