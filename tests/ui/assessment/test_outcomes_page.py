"""The outcomes page writes every score to the draft as typed, keeps blanks blank, and shows the PSFS mean live."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.assessment.outcomes_page import OutcomesPage
from ui.assessment.wizard_state import WizardState
from workstation.assessment.draft import AssessmentDraft
from workstation.clinical.country import Country

TODAY = date(2025, 6, 15)


def make_state() -> WizardState:
    draft = AssessmentDraft.new(7, None, assessed_on=TODAY, side="right", patient={"age_years": 41, "sex": "male"})
    return WizardState(draft, today=lambda: TODAY, country=Country.UK)


@pytest.fixture
def page(qtbot: QtBot) -> OutcomesPage:
    page = OutcomesPage(make_state())
    qtbot.addWidget(page)
    page.initializePage()
    page.show()
    return page


def type_number(qtbot: QtBot, box: object, text: str) -> None:
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)


def test_nprs_and_lefs_typed_by_keyboard_are_written_and_blanks_stay_unanswered(
    qtbot: QtBot, page: OutcomesPage
) -> None:
    state = page._state
    assert state.value("history.nprs_now") is None  # nothing typed: not a 0
    type_number(qtbot, page.nprs["history.nprs_now"], "2")
    type_number(qtbot, page.nprs["history.nprs_worst_24h"], "7")
    type_number(qtbot, page.lefs, "54")
    assert state.value("history.nprs_now") == 2
    assert state.value("history.nprs_worst_24h") == 7
    assert state.value("history.nprs_during_run") is None
    assert state.value("outcomes.lefs_total") == 54
    page.nprs["history.nprs_now"].setValue(-1)  # back to "–"
    assert state.value("history.nprs_now") is None
    assert state.evaluation is not None


def test_psfs_rows_are_written_and_the_mean_follows(qtbot: QtBot, page: OutcomesPage) -> None:
    qtbot.keyClicks(page.activities[0], "Running 5 km")
    type_number(qtbot, page.scores[0], "4")
    qtbot.keyClicks(page.activities[1], "Stairs")
    type_number(qtbot, page.scores[1], "7")
    qtbot.keyClicks(page.activities[2], "Hopping")  # named, not yet scored
    assert page._state.value("outcomes.psfs") == [
        {"activity": "Running 5 km", "score": 4},
        {"activity": "Stairs", "score": 7},
        {"activity": "Hopping", "score": None},
    ]
    assert page.psfs_mean.text() == "PSFS mean: 5.5 from 2 scored"
    assert page._state.evaluation is not None  # the contract accepts what was written


def test_a_score_without_an_activity_is_named_beside_it(qtbot: QtBot, page: OutcomesPage) -> None:
    type_number(qtbot, page.scores[3], "5")
    assert not page.isComplete()
    assert page.psfs_messages[3].message == "Name the activity this score is for."
    qtbot.keyClicks(page.activities[3], "Walking the dog")
    assert page.isComplete()
    assert not page.psfs_messages[3].is_problem


def test_a_draft_is_shown_again(qtbot: QtBot) -> None:
    state = make_state()
    state.edit("history.nprs_during_run", 6)
    state.edit("outcomes.psfs", [{"activity": "Hills", "score": 3}])
    page = OutcomesPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    assert page.nprs["history.nprs_during_run"].value() == 6
    assert page.nprs["history.nprs_now"].text() == "–"
    assert page.activities[0].text() == "Hills" and page.scores[0].value() == 3
    assert state.value("outcomes.psfs") == [{"activity": "Hills", "score": 3}]  # loading writes nothing back
