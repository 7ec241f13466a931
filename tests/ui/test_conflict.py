"""Two workstations edit the same patient: the later save is refused and the user chooses, on a real
database file opened twice (two stores, as two copies of CalfDesk would)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TODAY
from ui.main_window import MainWindow
from ui.patients.conflict_dialog import ConflictDialog
from ui.patients.patient_editor import PatientEditorDialog
from workstation.ports import ClinicStore
from workstation.services.patients import save_patient


@pytest.fixture
def editor_with_stale_record(
    qtbot: QtBot,
    clinic: ClinicStore,
    open_store: Callable[..., ClinicStore],
    make_window: Callable[[ClinicStore], MainWindow],
) -> tuple[MainWindow, PatientEditorDialog, int]:
    """Zoë's editor is open here with a new phone number typed, while another workstation saved a change."""
    window = make_window(clinic)
    zoe_id = int(window.directory.search("zoe")[0])
    window.open_patient(zoe_id)
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    window.edit_patient_action.trigger()
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None
    _field(editor, "phone").setText("07700 900456")
    other_workstation = open_store()
    theirs = other_workstation.patients.get(zoe_id).with_changes(family_name="Clarke-Hughes", email="zoe@example.org")
    save_patient(other_workstation.patients, theirs, TODAY)
    return window, editor, zoe_id


def _field(editor: PatientEditorDialog, key: str) -> QLineEdit:
    widget = editor.form.fields[key]
    assert isinstance(widget, QLineEdit)
    return widget


def _conflict_dialog(qtbot: QtBot, editor: PatientEditorDialog) -> ConflictDialog:
    editor.save()
    qtbot.waitUntil(lambda: editor.findChild(ConflictDialog) is not None, timeout=10_000)
    dialog = editor.findChild(ConflictDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_keep_mine_shows_the_differences_and_saves_over_theirs_on_request(
    qtbot: QtBot, editor_with_stale_record: tuple[MainWindow, PatientEditorDialog, int], clinic: ClinicStore
) -> None:
    window, editor, zoe_id = editor_with_stale_record
    dialog = _conflict_dialog(qtbot, editor)
    assert clinic.patients.get(zoe_id).phone == ""  # nothing of mine was written by the refused save
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    assert _difference_rows(dialog) == [
        ["Family name", "Clarke-Hughes", "Clarke"],
        ["Phone", "(empty)", "07700 900456"],
        ["Email", "zoe@example.org", "(empty)"],
    ]
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_mine_button, Qt.MouseButton.LeftButton)
    stored = clinic.patients.get(zoe_id)
    assert (stored.family_name, stored.phone, stored.email) == ("Clarke", "07700 900456", "")
    assert saved.args[0].version == stored.version
    qtbot.waitUntil(lambda: window.patient_view.patient is not None and window.patient_view.patient.phone != "")


def test_reload_theirs_replaces_the_form_and_saves_nothing(
    qtbot: QtBot, editor_with_stale_record: tuple[MainWindow, PatientEditorDialog, int], clinic: ClinicStore
) -> None:
    _window, editor, zoe_id = editor_with_stale_record
    dialog = _conflict_dialog(qtbot, editor)
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _field(editor, "family_name").text() == "Clarke-Hughes")
    assert _field(editor, "phone").text() == ""
    assert "Their version is shown now" in editor.banner.text
    assert editor.isVisible()
    assert clinic.patients.get(zoe_id).phone == ""
    # Saving now is an ordinary save on top of their version: no second conflict.
    _field(editor, "phone").setText("07700 900789")
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000):
        editor.save()
    assert clinic.patients.get(zoe_id).family_name == "Clarke-Hughes"


def test_edit_mine_first_keeps_my_text_and_the_next_save_goes_over_theirs(
    qtbot: QtBot, editor_with_stale_record: tuple[MainWindow, PatientEditorDialog, int], clinic: ClinicStore
) -> None:
    _window, editor, zoe_id = editor_with_stale_record
    dialog = _conflict_dialog(qtbot, editor)
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    edit_mine = dialog.findChild(type(dialog.review_button), "editMine")
    qtbot.mouseClick(edit_mine, Qt.MouseButton.LeftButton)
    assert _field(editor, "phone").text() == "07700 900456"
    _field(editor, "family_name").setText("Clarke-Hughes")  # take their surname by hand
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000):
        editor.save()
    stored = clinic.patients.get(zoe_id)
    assert (stored.family_name, stored.phone) == ("Clarke-Hughes", "07700 900456")


def _difference_rows(dialog: ConflictDialog) -> list[list[str]]:
    grid = dialog.differences_grid
    rows = []
    for row in range(1, grid.rowCount()):
        cells = [grid.itemAtPosition(row, column) for column in range(3)]
        if all(cells):
            rows.append([_label_text(cell.widget()) for cell in cells])
    return rows


def _label_text(widget: object) -> str:
    assert isinstance(widget, QLabel)
    return widget.text()
