"""Typing a new patient into the editor as a person would, for the window fault tests."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog

TODAY = date(2025, 6, 15)
TYPED = {"family_name": "Achterberg", "given_name": "Marit", "date_of_birth": "14/03/1988", "phone": "0131 555 0142"}


def type_new_patient(qtbot: QtBot, window: MainWindow) -> PatientEditorDialog:
    """Ctrl+N, then ``TYPED`` key by key into its fields."""
    qtbot.keyClick(window.patient_list.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None
    qtbot.waitActive(editor)
    for key, text in TYPED.items():
        field = line(editor, key)
        field.setFocus()
        qtbot.keyClicks(field, text)
    return editor


def line(editor: PatientEditorDialog, key: str) -> QLineEdit:
    widget = editor.form.fields[key]
    assert isinstance(widget, QLineEdit)
    return widget


def typed(editor: PatientEditorDialog) -> dict[str, str]:
    return {key: line(editor, key).text() for key in TYPED}


def uid_of(editor: PatientEditorDialog) -> str:
    """The uid the editor saves a new patient under (kept for the editor's life, so retries match)."""
    candidate, _problems = editor.form.read()
    return candidate.uid
