"""The neural page: what was recorded goes to the detail, the engine's result (with its reason) to the contract."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TODAY
from ui.assessment.neural_page import NeuralPage
from ui.assessment.wizard_state import WizardState
from workstation.assessment.draft import AssessmentDraft


@pytest.fixture
def state() -> WizardState:
    draft = AssessmentDraft.new(7, 3, assessed_on=TODAY, side="left", patient={"age_years": 34, "sex": "female"})
    return WizardState(draft, today=lambda: TODAY, country=None)


@pytest.fixture
def page(qtbot: QtBot, state: WizardState) -> NeuralPage:
    page = NeuralPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    qtbot.waitExposed(page)
    return page


def choose(qtbot: QtBot, box: QComboBox, text: str) -> None:
    """Pick an item by keyboard: focus the box and step down until its text shows."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.count()):
        if box.currentText() == text:
            return
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == text


def test_familiar_symptoms_eased_by_neck_release_is_positive(
    qtbot: QtBot, page: NeuralPage, state: WizardState
) -> None:
    slump = page.forms["slump"]
    assert state.value("neural.slump") is None  # nothing recorded, nothing answered
    choose(qtbot, slump.response, "Their familiar symptoms")
    assert state.value("neural.slump") == "inconclusive"  # not yet differentiated
    choose(qtbot, slump.stage, "Knee extension")
    slump.symptoms.setFocus()
    qtbot.keyClicks(slump.symptoms, "Burning, back of left calf")
    choose(qtbot, slump.differentiation, "Eased when the neck was released")
    choose(qtbot, slump.other_side, "Different")
    assert state.value("neural.slump") == "positive"
    assert slump.result_label.text() == "Positive: familiar symptoms that changed with neck release"
    assert state.detail("neural.slump") == {
        "response": "familiar",
        "familiar": True,
        "stage": "knee_extension",
        "symptoms": "Burning, back of left calf",
        "differentiation": "eased",
        "other_side": "different",
    }


def test_familiar_symptoms_without_differentiation_are_inconclusive(
    qtbot: QtBot, page: NeuralPage, state: WizardState
) -> None:
    slr = page.forms["straight_leg_raise"]
    choose(qtbot, slr.response, "Their familiar symptoms")
    choose(qtbot, slr.differentiation, "Not done")
    slr.hip_angle.setFocus()
    slr.hip_angle.selectAll()
    qtbot.keyClicks(slr.hip_angle, "45")
    assert state.value("neural.straight_leg_raise") == "inconclusive"
    assert state.detail("neural.straight_leg_raise.hip_angle_deg") == 45
    assert state.detail("neural.straight_leg_raise.differentiation") == "not_done"
    assert "differentiation not done" in slr.result_label.text()


def test_a_stretch_alone_is_negative_and_a_different_abnormal_response_is_not(
    qtbot: QtBot, page: NeuralPage, state: WizardState
) -> None:
    slump = page.forms["slump"]
    choose(qtbot, slump.response, "A stretch or pull only")
    assert state.value("neural.slump") == "negative"
    assert state.detail("neural.slump.familiar") is False
    choose(qtbot, slump.response, "A different abnormal response")
    assert state.value("neural.slump") == "inconclusive"


def test_not_tested_is_recorded_and_locks_the_fields(qtbot: QtBot, page: NeuralPage, state: WizardState) -> None:
    slr = page.forms["straight_leg_raise"]
    slr.not_tested.setFocus()
    qtbot.keyClick(slr.not_tested, Qt.Key.Key_Space)
    assert state.value("neural.straight_leg_raise") == "not_tested"
    assert slr.result_label.text() == "Not tested"
    assert not slr.response.isEnabled()
    qtbot.keyClick(slr.not_tested, Qt.Key.Key_Space)
    assert state.value("neural.straight_leg_raise") is None
    assert slr.response.isEnabled()


def test_neurological_deficit_yes_or_no(qtbot: QtBot, page: NeuralPage, state: WizardState) -> None:
    choose(qtbot, page.deficit, "No")
    assert state.value("neural.neurological_deficit") is False
    choose(qtbot, page.deficit, "Yes")
    assert state.value("neural.neurological_deficit") is True


def test_the_page_reloads_the_draft_and_writes_nothing(qtbot: QtBot, state: WizardState) -> None:
    state.edit("neural.slump", "positive")
    state.edit("neural.straight_leg_raise", "not_tested")
    state.edit_detail("neural.slump", {"familiar": True, "differentiation": "worse", "stage": "ankle_dorsiflexion"})
    page = NeuralPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    assert page.forms["slump"].response.currentData() == "familiar"
    worse = "Positive: familiar symptoms that got worse with ankle dorsiflexion"
    assert page.forms["slump"].result_label.text() == worse
    assert page.forms["straight_leg_raise"].not_tested.isChecked()
    assert state.detail("neural.slump") == {"familiar": True, "differentiation": "worse", "stage": "ankle_dorsiflexion"}
