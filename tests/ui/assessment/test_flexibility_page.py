"""The flexibility page: knee to wall typed in cm shows degrees, the side difference and its flag."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDoubleSpinBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TODAY
from ui.assessment.flexibility_page import FlexibilityPage
from ui.assessment.wizard_state import WizardState
from workstation.assessment.draft import AssessmentDraft


@pytest.fixture
def state() -> WizardState:
    draft = AssessmentDraft.new(7, 3, assessed_on=TODAY, side="left", patient={"age_years": 34, "sex": "female"})
    return WizardState(draft, today=lambda: TODAY, country=None)


@pytest.fixture
def page(qtbot: QtBot, state: WizardState) -> FlexibilityPage:
    page = FlexibilityPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    qtbot.waitExposed(page)
    return page


def type_into(qtbot: QtBot, spin: QDoubleSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_knee_to_wall_shows_degrees_the_difference_and_its_flag(
    qtbot: QtBot, page: FlexibilityPage, state: WizardState
) -> None:
    assert page.cm["left"].text() == "Not measured"
    type_into(qtbot, page.cm["left"], "9")
    assert state.value("knee_to_wall.left_cm") == 9.0
    assert page.degrees["left"].text() == "= 32.4°"
    assert "needs both legs" in page.difference_label.text()
    type_into(qtbot, page.cm["right"], "11.5")
    assert state.value("knee_to_wall.right_cm") == 11.5
    assert page.degrees["right"].text() == "= 41.4°"
    text = page.difference_label.text()
    assert "2.5 cm" in text and "likely meaningful" in text.lower()
    assert state.evaluation is not None
    assert state.evaluation.as_json()["knee_to_wall"]["flag"] == "likely_meaningful"


def test_a_borderline_difference_is_flagged_as_possible(qtbot: QtBot, page: FlexibilityPage) -> None:
    type_into(qtbot, page.cm["left"], "10")
    type_into(qtbot, page.cm["right"], "11.5")
    assert "1.5 cm" in page.difference_label.text()
    assert "Possible asymmetry" in page.difference_label.text()


def test_straight_knee_angle_and_shoes_go_to_the_detail_with_the_knee_position_reading(
    qtbot: QtBot, page: FlexibilityPage, state: WizardState
) -> None:
    type_into(qtbot, page.cm["left"], "12")
    type_into(qtbot, page.cm["right"], "12")
    type_into(qtbot, page.straight["left"], "25")
    type_into(qtbot, page.straight["right"], "34")
    assert state.detail("knee_to_wall.straight_knee_deg_left") == 25.0
    assert state.detail("knee_to_wall.straight_knee_deg_right") == 34.0
    reading = page.positions_label.text()
    assert "Left: less range with the knee straight only: points to the gastrocnemius" in reading
    assert "bending the knee adds 18.2°" in reading  # 12 cm is 43.2°, 18.2° more than the straight knee
    page.shod.setFocus()
    qtbot.keyClicks(page.shod, " ")
    assert state.detail("knee_to_wall.shod") is True


def test_clearing_a_measurement_removes_it_from_the_draft(
    qtbot: QtBot, page: FlexibilityPage, state: WizardState
) -> None:
    type_into(qtbot, page.cm["left"], "9")
    page.cm["left"].setValue(page.cm["left"].minimum())
    assert state.value("knee_to_wall.left_cm") is None
    assert page.degrees["left"].text() == ""


def test_the_page_reloads_the_draft(qtbot: QtBot, state: WizardState) -> None:
    state.edit("knee_to_wall.left_cm", 9.0)
    state.edit("knee_to_wall.right_cm", 11.5)
    state.edit_detail("knee_to_wall.shod", True)
    page = FlexibilityPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    assert page.cm["left"].value() == 9.0
    assert page.shod.isChecked()
    assert "2.5 cm" in page.difference_label.text()
