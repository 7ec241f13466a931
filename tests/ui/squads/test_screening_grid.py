"""The screening grid by keyboard alone on a real database: a whole row typed with Enter and Tab, stored when
the physio moves to the next athlete; flags that follow the typing and tint the cells they are about; a
value out of range shown inline and never stored; an unfinished screening that resumes; completing it
(after a confirmation) writes each athlete's measurements once and makes the worksheet read-only."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.squads.conftest import SCREENED_ON, SquadDesk, activate, open_window, settle
from ui.squads.screening_model import (
    FIRST_MEASURE_COLUMN,
    FLAGS_COLUMN,
    NOTE_COLUMN,
    PATIENT_ID_ROLE,
    PROBLEM_ROLE,
)
from ui.squads.squad_style import error_tint, flag_tint
from ui.squads.squads_window import SquadsWindow
from workstation.security.accounts import Role
from workstation.squads.records import SCREENING_KEYS, ScreeningStatus
from workstation.squads.views import FlagLevel

ROW = ("20", "31", "18", "19", "9.5", "11", "0")  # heel raise L/R, bent knee L/R, knee to wall L/R, pain


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key on whatever has the focus: a cell the keyboard cannot reach fails the test."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def move_on(qtbot: QtBot, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Enter or Tab in a cell: the editor stores its text on the next turn of the event loop (Qt queues it)."""
    press(qtbot, key)
    qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit), timeout=2_000)


def type_keys(qtbot: QtBot, text: str) -> None:
    """Each character to the focused widget (the first opens the cell's editor, which then has the focus)."""
    for character in text:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        qtbot.keyClicks(target, character)


def start_screening(qtbot: QtBot, desk: SquadDesk, window: SquadsWindow) -> Any:
    window.tabs.setCurrentWidget(window.screening)
    settle(qtbot, desk)
    tab = window.screening
    if tab.start_button.isVisible():
        tab.start_button.click()
        settle(qtbot, desk)
    assert tab.worksheet is not None
    activate(qtbot, window)
    tab.grid.setFocus()
    return tab


def stored_entries(desk: SquadDesk, tab: Any) -> dict[int, Any]:
    return {e.patient_id: e for e in desk.store.screenings.entries(tab.worksheet.screening.id)}


def test_a_whole_row_by_keyboard_is_stored_when_the_next_athlete_starts(
    qtbot: QtBot, desk: SquadDesk, qtmodeltester: Any
) -> None:
    desk.import_squad(6)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    qtmodeltester.check(tab.model)
    grid, model = tab.grid, tab.model
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, FIRST_MEASURE_COLUMN)
    first = model.index(0, 0).data(PATIENT_ID_ROLE)
    for position, value in enumerate(ROW):
        type_keys(qtbot, value)
        move_on(qtbot, Qt.Key.Key_Tab if position % 2 else Qt.Key.Key_Return)  # either moves on
    assert grid.currentIndex().column() == NOTE_COLUMN
    type_keys(qtbot, "Sore left Achilles last week")
    assert stored_entries(desk, tab) == {}  # nothing stored while the row is being typed
    assert model.headerData(0, Qt.Orientation.Vertical) == "1 •"
    move_on(qtbot)  # the end of the row: the next athlete's first measure
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, FIRST_MEASURE_COLUMN)
    settle(qtbot, desk)
    entry = stored_entries(desk, tab)[first]
    assert dict(entry.values) == dict(zip(SCREENING_KEYS, (20, 31, 18, 19, 9.5, 11, 0), strict=True))
    assert entry.note == "Sore left Achilles last week"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert tab.progress_label.text() == "Screened 1 of 6 athletes · all saved"


def test_flags_follow_the_typing_and_tint_the_cells_they_are_about(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(4)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    model = tab.model
    type_keys(qtbot, "20")
    move_on(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "31")
    move_on(qtbot, Qt.Key.Key_Tab)
    flags = model.index(0, FLAGS_COLUMN).data()
    assert "LSI" in flags and flags.startswith("Caution")
    left = model.index(0, FIRST_MEASURE_COLUMN)
    assert left.data(Qt.ItemDataRole.BackgroundRole) == flag_tint(FlagLevel.CAUTION).background
    pain = model.index(0, FIRST_MEASURE_COLUMN + SCREENING_KEYS.index("pain"))
    assert pain.data(Qt.ItemDataRole.BackgroundRole) is None
    tab.grid.go_to(pain)
    type_keys(qtbot, "3")
    move_on(qtbot)
    assert model.index(0, FLAGS_COLUMN).data().startswith("Alert: Pain 3/10")  # the most pressing first
    assert pain.data(Qt.ItemDataRole.BackgroundRole) == flag_tint(FlagLevel.ALERT).background
    tab.grid.go_to(left)
    press(qtbot, Qt.Key.Key_Delete)  # a cleared value takes its flags with it
    assert "LSI" not in model.index(0, FLAGS_COLUMN).data()


def test_a_value_out_of_range_is_shown_inline_and_its_row_is_not_stored(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    model, grid = tab.model, tab.grid
    type_keys(qtbot, "200")
    move_on(qtbot)
    cell = model.index(0, FIRST_MEASURE_COLUMN)
    assert cell.data() == "200"  # kept as typed, so it can be put right
    assert cell.data(PROBLEM_ROLE) == "Heel raise L: 0 to 150 reps."
    assert cell.data(Qt.ItemDataRole.BackgroundRole) == error_tint().background
    grid.go_to(grid.first_cell(1))
    settle(qtbot, desk)
    assert stored_entries(desk, tab) == {}
    assert "not saved" in tab.banner.text
    grid.go_to(cell)
    assert tab.cell_message.message == "Heel raise L: 0 to 150 reps."
    type_keys(qtbot, "12.5")
    move_on(qtbot)
    assert cell.data(PROBLEM_ROLE) == "Heel raise L: whole numbers only (0 to 150 reps)."
    grid.go_to(cell)
    type_keys(qtbot, "42")
    move_on(qtbot)
    grid.go_to(grid.first_cell(2))
    settle(qtbot, desk)
    assert [dict(e.values) for e in stored_entries(desk, tab).values()] == [{"heel_raise_left": 42.0}]


def test_an_unfinished_screening_resumes_at_the_first_athlete_not_screened(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(5)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    for row in range(2):
        tab.grid.go_to(tab.grid.first_cell(row))
        type_keys(qtbot, str(30 + row))
        move_on(qtbot)
    window.close()  # closing stores the row still being typed
    settle(qtbot, desk)
    again = open_window(qtbot, desk)
    resumed = start_screening(qtbot, desk, again)
    assert not resumed.start_button.isVisible()  # the open screening was picked up, not a new one begun
    assert [resumed.model.index(r, FIRST_MEASURE_COLUMN).data() for r in range(3)] == ["30", "31", ""]
    assert resumed.grid.currentIndex().row() == 2
    assert len(desk.store.screenings.for_squad(resumed.worksheet.screening.squad_id)) == 1


def test_completing_asks_first_then_stores_measurements_once_and_locks_the_sheet(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    patient_id = tab.model.index(0, 0).data(PATIENT_ID_ROLE)
    type_keys(qtbot, "28")
    move_on(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "30")  # still being typed when Complete is pressed: stored first
    tab.complete_button.click()
    qtbot.waitUntil(lambda: tab.question is not None and tab.question.isVisible(), timeout=5_000)
    assert "1 of 3 athletes have values" in tab.question.text()
    tab.question.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: tab.model.read_only, timeout=10_000)
    settle(qtbot, desk)
    assert tab.worksheet.screening.status is ScreeningStatus.COMPLETED
    heel_raise = [o for o in desk.store.observations.for_patient(patient_id) if o.code == "heel_raise_reps"]
    assert sorted(o.value for o in heel_raise) == [28.0, 30.0]
    assert all(o.observed_on == SCREENED_ON for o in heel_raise)
    assert not tab.complete_button.isVisible() and "completed" in tab.title.text()
    assert not tab.model.flags(tab.model.index(0, FIRST_MEASURE_COLUMN)) & Qt.ItemFlag.ItemIsEditable
    assert tab.start_button.isVisible()  # the next screening can begin


def test_a_role_that_may_not_see_clinical_records_has_no_screening_tab(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk, Role.CLUB)
    assert window.tabs.indexOf(window.screening) == -1


def test_the_evening_starts_from_the_keyboard_alone(qtbot: QtBot, desk: SquadDesk) -> None:
    """Alt+S for the Screening tab, Alt+T to start: the cursor waits in the first athlete's first cell."""
    desk.import_squad(3)
    window = open_window(qtbot, desk)
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, desk)
    tab = window.screening
    assert window.tabs.currentWidget() is tab and tab.start_button.isVisible()
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # the button clicks itself a moment later
    qtbot.waitUntil(lambda: tab.worksheet is not None, timeout=5_000)
    assert QApplication.focusWidget() is tab.grid
    assert (tab.grid.currentIndex().row(), tab.grid.currentIndex().column()) == (0, FIRST_MEASURE_COLUMN)
    type_keys(qtbot, "35")
    move_on(qtbot)
    assert tab.model.index(0, FIRST_MEASURE_COLUMN).data() == "35"


def test_an_arrow_key_or_a_click_while_typing_keeps_the_value_and_goes_where_asked(
    qtbot: QtBot, desk: SquadDesk
) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    grid, model = tab.grid, tab.model
    type_keys(qtbot, "33")
    press(qtbot, Qt.Key.Key_Down)  # not Enter: down to the next athlete, the same column
    qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit), timeout=2_000)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, FIRST_MEASURE_COLUMN)
    assert model.index(0, FIRST_MEASURE_COLUMN).data() == "33"
    type_keys(qtbot, "29")
    target = model.index(2, FIRST_MEASURE_COLUMN + 3)
    grid.setCurrentIndex(target)  # as a click on another cell does
    assert grid.currentIndex() == target and model.index(1, FIRST_MEASURE_COLUMN).data() == "29"
