"""The patient editor: opening it, inline validation as fields are left, saves that fail keep every
character, and a save updates the list and the search index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from tests import dbkit
from tests.ui.conftest import TODAY, discard_dialogs
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from ui.tasks import TaskRunner
from workstation.dates import DateOrder
from workstation.ports import ClinicStore


@pytest.fixture
def window(clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]) -> MainWindow:
    return make_window(clinic)


def open_new_editor(qtbot: QtBot, window: MainWindow) -> PatientEditorDialog:
    qtbot.keyClick(window.patient_list.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None and editor.isVisible()
    qtbot.waitActive(editor)
    return editor


def line(editor: PatientEditorDialog, key: str) -> QLineEdit:
    widget = editor.form.fields[key]
    assert isinstance(widget, QLineEdit)
    return widget


def type_and_leave(qtbot: QtBot, editor: PatientEditorDialog, key: str, text: str) -> None:
    """Type into a field as a person would, then move on with Tab (which is what 'leaving' means)."""
    widget = line(editor, key)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)  # as an input method commits it: QTest can only type ASCII
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not widget.hasFocus())


def message(editor: PatientEditorDialog, key: str) -> str:
    label = editor.form.messages[key]
    return label.message if label.isVisible() else ""


def test_ctrl_n_opens_an_empty_editor(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_new_editor(qtbot, window)
    assert editor.windowTitle() == "New patient"
    assert line(editor, "family_name").text() == ""
    assert line(editor, "date_of_birth").placeholderText() == "DD/MM/YYYY"


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("date_of_birth", "16/06/2025", "The date of birth is in the future."),
        ("date_of_birth", "01/01/1900", "That would make the person over 120: check the year."),
        ("date_of_birth", "31/02/1990", "Type the date as DD/MM/YYYY, for example 02/04/1990."),
        ("nhs_number", "943 476 5918", "This NHS number's check digit is wrong: please check each digit."),
        ("email", "zoe.clarke@", "This does not look like an email address (name@example.org)."),
        ("email", "zoe clarke@example.org", "This does not look like an email address (name@example.org)."),
    ],
)
def test_a_problem_appears_under_the_field_when_it_is_left(
    qtbot: QtBot, window: MainWindow, key: str, text: str, expected: str
) -> None:
    editor = open_new_editor(qtbot, window)
    widget = line(editor, key)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClicks(widget, text)
    assert message(editor, key) == ""  # not while typing: only once the field is left
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: message(editor, key) == expected)
    assert not QApplication.activeModalWidget() or QApplication.activeModalWidget() is editor  # no message box


def test_a_message_goes_away_as_soon_as_the_field_is_put_right(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_new_editor(qtbot, window)
    type_and_leave(qtbot, editor, "nhs_number", "943 476 5918")
    assert "check digit" in message(editor, "nhs_number")
    widget = line(editor, "nhs_number")
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, "9")
    assert message(editor, "nhs_number") == ""


def test_a_valid_birth_date_is_read_back_in_words(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_new_editor(qtbot, window)
    type_and_leave(qtbot, editor, "date_of_birth", "02/04/1990")
    assert message(editor, "date_of_birth") == "2 April 1990, aged 35"


def test_a_refused_save_keeps_every_typed_character(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_new_editor(qtbot, window)
    typed = {
        "family_name": "Nguyễn-O'Brien",
        "given_name": "Zoë Thị",
        "date_of_birth": "02/04/1990",
        "email": "zoe@example",
        "nhs_number": "943 476 5918",
    }
    for key, text in typed.items():
        type_and_leave(qtbot, editor, key, text)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.summary.text() == "Please correct the 2 fields with a message beside them."
    assert {key: line(editor, key).text() for key in typed} == typed
    assert message(editor, "email") and message(editor, "nhs_number")
    assert window.directory.total == 6  # nothing was written


def test_saving_a_new_patient_updates_the_list_and_selects_them(qtbot: QtBot, window: MainWindow) -> None:
    window.patient_list.search.setText("zoe")  # a query the new patient will not match
    editor = open_new_editor(qtbot, window)
    type_and_leave(qtbot, editor, "family_name", "Ōtsuka")
    type_and_leave(qtbot, editor, "given_name", "Haruto")
    type_and_leave(qtbot, editor, "date_of_birth", "09/10/1994")
    type_and_leave(qtbot, editor, "nhs_number", "401 023 2137")
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    patient = saved.args[0]
    qtbot.waitUntil(lambda: window.patient_list.selected_patient_id() == patient.id)
    assert window.patient_list.search.text() == ""
    assert window.patient_list.count_label.text() == "7 patients"
    assert patient.nhs_number == "4010232137"
    assert window.directory.search("otsuka 4010232137").tolist() == [patient.id]
    qtbot.waitUntil(lambda: window.patient_view.patient is not None and window.patient_view.patient.id == patient.id)


def test_editing_a_patient_reindexes_them(qtbot: QtBot, window: MainWindow, clinic: ClinicStore) -> None:
    zoe_id = int(window.directory.search("zoe")[0])
    window.open_patient(zoe_id)
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    qtbot.keyClick(window.patient_list.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None and line(editor, "family_name").text() == "Clarke"
    assert line(editor, "nhs_number").text() == "943 476 5919"
    type_and_leave(qtbot, editor, "family_name", "Hughes")
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert window.directory.search("hughes zoe").tolist() == [zoe_id]
    assert window.directory.search("clarke").tolist() == []
    assert clinic.patients.get(zoe_id).family_name == "Hughes"


@pytest.fixture
def locked_database(db_url: str) -> Iterator[None]:
    """Another program holds the write lock on the database file until the test ends."""
    connection = dbkit.raw(db_url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    yield
    connection.execute("ROLLBACK")
    connection.close()


def test_a_locked_database_keeps_the_editor_open_with_its_text(
    qtbot: QtBot, clinic: ClinicStore, today: Callable[[], date], locked_database: None
) -> None:
    tasks = TaskRunner()
    editor = PatientEditorDialog(clinic.patients, tasks, None, DateOrder.DAY_MONTH_YEAR, today)
    qtbot.addWidget(editor, before_close_func=discard_dialogs)
    editor.show()
    line(editor, "family_name").setText("Okafor")
    line(editor, "date_of_birth").setText("12/12/1999")
    editor.save()
    try:
        qtbot.waitUntil(lambda: editor.banner.isVisible(), timeout=15_000)  # after SQLite's 5 s busy wait
    finally:
        tasks.shutdown()
    assert editor.banner.text.startswith("The database is in use by another program.")
    assert editor.isVisible() and editor.save_button.isEnabled()
    assert (line(editor, "family_name").text(), line(editor, "date_of_birth").text()) == ("Okafor", "12/12/1999")


def test_a_read_only_database_refuses_the_save_in_plain_words(
    qtbot: QtBot, clinic: ClinicStore, open_store: Callable[..., ClinicStore], today: Callable[[], date]
) -> None:
    reader = open_store(read_only=True)
    tasks = TaskRunner()
    editor = PatientEditorDialog(reader.patients, tasks, None, DateOrder.DAY_MONTH_YEAR, today)
    qtbot.addWidget(editor, before_close_func=discard_dialogs)
    editor.show()
    line(editor, "family_name").setText("Okafor")
    line(editor, "date_of_birth").setText("12/12/1999")
    editor.save()
    qtbot.waitUntil(lambda: editor.banner.isVisible(), timeout=10_000)
    tasks.shutdown()
    assert "read-only" in editor.banner.text
    assert line(editor, "family_name").text() == "Okafor"


def test_cancel_with_nothing_typed_closes_without_asking(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_new_editor(qtbot, window)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not editor.isVisible())


def test_birth_date_of_today_is_allowed(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_new_editor(qtbot, window)
    type_and_leave(qtbot, editor, "date_of_birth", TODAY.strftime("%d/%m/%Y"))
    assert message(editor, "date_of_birth").startswith("15 June 2025")


@pytest.mark.parametrize(("answer", "window_closes"), [("Cancel", False), ("Discard", True)])
def test_closing_the_window_asks_before_typing_in_an_editor_is_lost(
    qtbot: QtBot, window: MainWindow, answer: str, window_closes: bool
) -> None:
    editor = open_new_editor(qtbot, window)
    line(editor, "family_name").setText("Okafor")
    answered: list[str] = []

    def answer_the_question() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        answered.append(box.text())
        button = box.button(getattr(QMessageBox.StandardButton, answer))
        button.click()

    QTimer.singleShot(0, answer_the_question)
    window.close()
    assert answered == ["Close without saving? What you typed here will be lost."]
    assert window.isVisible() is not window_closes
    assert editor.isVisible() is not window_closes
    if not window_closes:
        assert line(editor, "family_name").text() == "Okafor"
