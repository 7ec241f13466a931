"""The summary page: the findings model, the differential with its notice, an impression never pre-filled, the plan."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.assessment.summary_page import FINDING_KEY_ROLE, FindingsTableModel, SummaryPage, finding_rows
from ui.assessment.wizard_state import WizardState
from workstation.assessment.draft import AssessmentDraft
from workstation.clinical.country import Country
from workstation.clinical.differential import NOTICE
from workstation.clinical.wells import WELLS_ITEMS

TODAY = date(2025, 6, 15)


def overload_state() -> WizardState:
    """A gradual-onset left calf overload, with a complete (negative) Wells screen."""
    draft = AssessmentDraft.new(7, None, assessed_on=TODAY, side="left", patient={"age_years": 34, "sex": "female"})
    state = WizardState(draft, today=lambda: TODAY, country=Country.UK)
    for path, value in {
        "history.onset": "gradual",
        "history.pain_builds_predictably_in_run": True,
        "history.tightness_lingers_after_runs": True,
        "history.recent_load_changes": ["hills"],
        "examination.local_muscle_tenderness": True,
        "heel_raise.left_reps": 18,
        "heel_raise.right_reps": 31,
        "knee_to_wall.left_cm": 9.0,
        "knee_to_wall.right_cm": 11.5,
        "neural.slump": "negative",
        "history.nprs_now": 2,
        "outcomes.lefs_total": 61,
    }.items():
        state.edit(path, value)
    for item in WELLS_ITEMS:
        state.edit(f"red_flags.wells.{item.key}", item.key == "alternative_diagnosis_as_likely")
    state.edit_detail("heel_raise.bent_left_reps", 15)
    state.edit_detail("heel_raise.bent_right_reps", 20)
    return state


@pytest.fixture
def page(qtbot: QtBot) -> SummaryPage:
    page = SummaryPage(overload_state())
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    return page


def test_the_findings_model_passes_the_model_tester(qtmodeltester: object, page: SummaryPage) -> None:
    qtmodeltester.check(page.findings_model)  # type: ignore[attr-defined]
    empty = FindingsTableModel()
    qtmodeltester.check(empty)  # type: ignore[attr-defined]


def test_the_findings_read_as_the_engine_computed_them(page: SummaryPage) -> None:
    model = page.findings_model
    keys = [model.index(row, 0).data(FINDING_KEY_ROLE) for row in range(model.rowCount())]
    assert keys == ["heel_raise", "bent_knee", "knee_to_wall", "straight_knee", "slump", "slr", "nprs", "lefs"]
    heel = model.row_of("heel_raise")
    assert (heel.left, heel.right, heel.difference) == ("18", "31", "LSI 58.1 %")
    assert "Under 30 reps" in heel.flag and "LSI under 90 %" in heel.flag
    assert model.row_of("bent_knee").difference == "LSI 75.0 %"
    knee = model.row_of("knee_to_wall")
    assert knee.left == "9 cm (32.4°)" and knee.difference == "2.5 cm" and knee.flag == "Likely meaningful"
    assert model.row_of("slump").difference == "Negative"
    assert model.row_of("lefs").difference == "61 of 80"
    assert model.index(0, 3).data(Qt.ItemDataRole.DisplayRole) == "LSI 58.1 %"


def test_differential_in_words_and_the_notice_always_shown(page: SummaryPage) -> None:
    assert page.notice.text() == NOTICE and page.notice.isVisible()
    text = page.ranking.text()
    assert text.startswith("1. Calf overload")
    assert "Pain builds predictably during runs" in text
    assert text.count("\n\n") == 2  # three conditions


def test_the_impression_stays_empty_after_evaluation(qtbot: QtBot, page: SummaryPage) -> None:
    state = page._state
    assert state.evaluation is not None and state.evaluation.differential.ranking[0].condition == "overload"
    assert page.impression_condition.currentData() is None
    assert state.detail("impression.condition") is None
    state.edit("history.settles_within_minutes_of_stopping", True)  # a new evaluation
    page.initializePage()
    assert page.impression_condition.currentData() is None
    assert state.detail("impression") is None
    page.impression_condition.setFocus()
    qtbot.keyClicks(page.impression_condition, "Soleus")
    assert state.detail("impression.condition") == "soleus_strain"
    qtbot.keyClicks(page.impression_text, "Low calf, worse bent knee")
    assert state.detail("impression.text") == "Low calf, worse bent knee"


def test_choosing_a_pathway_fills_an_editable_plan(qtbot: QtBot, page: SummaryPage) -> None:
    state = page._state
    page.pathway.setCurrentIndex(page.pathway.findData("overload"))
    plan = state.detail("plan")
    assert plan["pathway"] == "overload" and plan["exercises"]
    assert "999" in plan["safety_net"]  # the clinic's country
    assert len(page.exercise_rows) == len(plan["exercises"])
    row = page.exercise_rows[0]
    row.sets.setValue(4)
    assert state.detail("plan.exercises")[0]["sets"] == 4
    page.load_advice.setFocus()
    qtbot.keyClick(page.load_advice, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.load_advice, " Keep runs flat for two weeks.")
    typed = state.detail("plan.load_advice")
    assert typed.endswith("Keep runs flat for two weeks.")
    page.pathway.setCurrentIndex(page.pathway.findData("neural"))
    assert state.detail("plan.pathway") == "neural"
    assert state.detail("plan.load_advice") == typed  # edited advice is kept across a pathway change


def test_a_raised_flag_is_listed_with_its_action(qtbot: QtBot, page: SummaryPage) -> None:
    assert page.no_flags.isVisible() and page.banner.isHidden()
    page._state.edit("red_flags.dvt_suspected", True)
    card = page.banner.card("dvt")
    assert card is not None and card.action_field is not None
    qtbot.keyClicks(card.action_field, "DVT clinic 14:00 today")
    assert page._state.detail("red_flag_actions.dvt") == "DVT clinic 14:00 today"
    assert finding_rows(page._state)[0].key == "heel_raise"


def test_a_follow_up_shows_the_change_since_last_and_marks_what_is_within_measurement_error(qtbot: QtBot) -> None:
    import json
    from datetime import date as day

    from ui.assessment.summary_page import SummaryPage, changes_text
    from ui.assessment.wizard_state import WizardState
    from workstation.assessment.draft import AssessmentDraft
    from workstation.assessment.records import AssessmentRecord

    before = {"schema": "calfdesk.assessment/1", "assessed_on": "2026-10-01", "symptomatic_side": "left",
              "heel_raise": {"left_reps": 18, "right_reps": 31}}  # fmt: skip
    previous = AssessmentRecord(1, 1, day(2026, 10, 1), json.dumps(before), "{}", "{}", "routine", id=7)
    draft = AssessmentDraft.new(1, 1, assessed_on=day(2026, 11, 20), side="left", patient={})
    draft.set("heel_raise.left_reps", 26)  # +8: more than the 6-rep error
    draft.set("heel_raise.right_reps", 33)  # +2: within it
    state = WizardState(draft, today=lambda: day(2026, 12, 1), country=None, previous=previous)
    page = SummaryPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    text = changes_text(state)
    lines = text.splitlines()
    left = next(line for line in lines if "(left)" in line)
    right = next(line for line in lines if "(right)" in line)
    assert "18 → 26" in left and "+8" in left and "better" in left
    assert "31 → 33" in right and "within measurement error" in right
    assert page.changes.text() == text
    assert not page.since_last.isHidden()
