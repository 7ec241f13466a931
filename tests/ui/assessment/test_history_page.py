"""The history page: the onset gate shows its branch, by keyboard, and a hidden branch keeps its answers."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from ui.assessment.history_page import HistoryPage
from ui.assessment.wizard_state import WizardState
from ui.assessment.yes_no import YesNoField
from workstation.assessment.draft import AssessmentDraft
from workstation.clinical.country import Country

TODAY = date(2025, 6, 15)
SUDDEN_ONLY = ("history.onset_activity", "history.could_continue_running", "detail:history.could_rise_on_toes")
GRADUAL_ONLY = (
    "history.recent_load_changes",
    "history.pain_builds_predictably_in_run",
    "detail:history.pain_timing_in_run",
)
COMMON = ("history.pain_location", "history.pain_at_rest_or_night", "symptomatic_side")


def make_state() -> WizardState:
    draft = AssessmentDraft.new(7, None, assessed_on=TODAY, side="left", patient={"age_years": 34, "sex": "female"})
    return WizardState(draft, today=lambda: TODAY, country=Country.UK)


@pytest.fixture
def page(qtbot: QtBot) -> HistoryPage:
    page = HistoryPage(make_state())
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    qtbot.waitExposed(page)
    return page


def shown(page: HistoryPage, path: str) -> bool:
    return page.fields[path].isVisible()


def press_accelerator(qtbot: QtBot, page: HistoryPage, text: str) -> None:
    """Alt + the underlined letter of the onset choice labelled ``text``; Qt clicks the button just after."""
    button = next(b for b in page.onset_buttons.values() if b.text().replace("&", "") == text)
    letter = button.text()[button.text().index("&") + 1]
    key = getattr(Qt.Key, f"Key_{letter.upper()}")
    qtbot.keyClick(QApplication.focusWidget() or page, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(button.isChecked)


def test_only_the_common_questions_before_the_gate_is_answered(page: HistoryPage) -> None:
    assert all(shown(page, p) for p in COMMON)
    assert not any(shown(page, p) for p in SUDDEN_ONLY + GRADUAL_ONLY)
    assert not page.isComplete()


def test_sudden_and_gradual_show_their_own_questions_by_keyboard(qtbot: QtBot, page: HistoryPage) -> None:
    page.activateWindow()
    qtbot.waitActive(page)  # accelerators only work in the active window
    page.fields["symptomatic_side"].setFocus()
    press_accelerator(qtbot, page, "Sudden, at a moment")
    assert page._state.value("history.onset") == "sudden"
    assert all(shown(page, p) for p in SUDDEN_ONLY + COMMON)
    assert not any(shown(page, p) for p in GRADUAL_ONLY)
    assert page.isComplete()
    press_accelerator(qtbot, page, "Gradual, no incident")
    assert page._state.value("history.onset") == "gradual"
    assert all(shown(page, p) for p in GRADUAL_ONLY + COMMON)
    assert not any(shown(page, p) for p in SUDDEN_ONLY)
    press_accelerator(qtbot, page, "Unsure")
    assert all(shown(page, p) for p in SUDDEN_ONLY + GRADUAL_ONLY + COMMON)


def test_answers_typed_by_keyboard_reach_the_draft(qtbot: QtBot, page: HistoryPage) -> None:
    page.onset_buttons["sudden"].click()
    could_continue = page.fields["history.could_continue_running"]
    assert isinstance(could_continue, YesNoField)
    could_continue.setFocus()
    qtbot.keyClick(could_continue, Qt.Key.Key_N)
    qtbot.keyClick(could_continue, Qt.Key.Key_Tab)
    toes = QApplication.focusWidget()
    assert toes is page.fields["detail:history.could_rise_on_toes"]
    qtbot.keyClick(toes, Qt.Key.Key_Y)
    activity = page.fields["history.onset_activity"]
    assert isinstance(activity, QComboBox)
    activity.setFocus()
    qtbot.keyClicks(activity, "Sprinting")
    qtbot.keyClicks(page.fields["detail:history.mechanism"], "pushing off at a hill start")
    state = page._state
    assert state.value("history.could_continue_running") is False
    assert state.detail("history.could_rise_on_toes") is True
    assert state.value("history.onset_activity") == "sprint"
    assert state.detail("history.mechanism") == "pushing off at a hill start"
    assert state.evaluation is not None


def test_a_hidden_branch_keeps_its_answers_and_says_so(qtbot: QtBot, page: HistoryPage) -> None:
    page.onset_buttons["gradual"].click()
    page.load_boxes["hills"].click()
    page.load_boxes["speed_work"].click()
    qtbot.keyClick(page.fields["history.pain_builds_predictably_in_run"], Qt.Key.Key_Y)
    assert page._state.value("history.recent_load_changes") == ["hills", "speed_work"]
    assert page.hidden_note.isHidden()
    page.onset_buttons["sudden"].click()
    assert page._state.value("history.recent_load_changes") == ["hills", "speed_work"]  # nothing lost
    assert page._state.value("history.pain_builds_predictably_in_run") is True
    assert page.hidden_note.isVisible()
    assert "gradual-onset questions are kept" in page.hidden_note.text()
    page.onset_buttons["gradual"].click()
    assert page.load_boxes["hills"].isVisible() and page.load_boxes["hills"].isChecked()
    assert page.hidden_note.isHidden()


def test_none_of_these_records_an_empty_list_not_a_blank(page: HistoryPage) -> None:
    page.onset_buttons["gradual"].click()
    page.load_boxes["hills"].click()
    page.load_none.click()
    assert page._state.value("history.recent_load_changes") == []
    assert not page.load_boxes["hills"].isChecked()
    page.load_none.click()
    assert page._state.value("history.recent_load_changes") is None


def test_body_chart_leaves_the_location_to_the_chart(qtbot: QtBot, page: HistoryPage) -> None:
    location = page.fields["history.pain_location"]
    assert isinstance(location, QComboBox)
    location.setCurrentIndex(location.findData("mid"))
    assert page._state.value("history.pain_location") == "mid"
    location.setCurrentIndex(location.findData("body_chart"))
    assert page._state.value("history.pain_location") is None
    assert page._state.detail("history.pain_location_from_chart") is True


def test_a_draft_is_shown_again_with_its_branch(qtbot: QtBot) -> None:
    state = make_state()
    state.edit("history.onset", "gradual")
    state.edit("history.recent_load_changes", ["mileage_increase"])
    state.edit_detail("history.pain_timing_in_run", "after 3 km")
    page = HistoryPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    assert page.onset_buttons["gradual"].isChecked()
    assert page.load_boxes["mileage_increase"].isChecked()
    assert page.fields["detail:history.pain_timing_in_run"].text() == "after 3 km"
    assert shown(page, "history.recent_load_changes") and not shown(page, "history.onset_activity")
