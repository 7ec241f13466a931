"""The patient view and the episode dialog, on a real database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.patients.episode_dialog import EpisodeDialog
from ui.patients.episode_table import EpisodeColumn
from workstation.ports import ClinicStore
from workstation.records import EpisodeStatus


@pytest.fixture
def window(clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]) -> MainWindow:
    return make_window(clinic)


def open_patient(qtbot: QtBot, window: MainWindow, query: str) -> None:
    patient_id = int(window.directory.search(query)[0])
    window.open_patient(patient_id)
    qtbot.waitUntil(lambda: window.patient_view.patient is not None and window.patient_view.patient.id == patient_id)


def value(window: MainWindow, key: str) -> str:
    label = window.patient_view.findChild(QLabel, f"value_{key}")
    assert label is not None
    return label.text()


def test_the_view_shows_who_the_patient_is_in_clinic_terms(qtbot: QtBot, window: MainWindow) -> None:
    open_patient(qtbot, window, "oliver")
    view = window.patient_view
    assert view.findChild(QLabel, "patientName").text() == "Smith-Jones, Oliver"
    assert view.findChild(QLabel, "patientDetails").text() == "Born 14/03/1968 (aged 57) · Not stated"
    assert value(window, "gp.name") == "Dr Amara Singh"
    assert value(window, "gp.practice") == "Riverside Surgery"
    assert value(window, "gp_consent") == "Given on 01/05/2024"
    assert value(window, "club_consent") == "Not given"
    assert value(window, "emergency_contact.name") == "—"


def test_preferred_name_and_identifiers_are_shown(qtbot: QtBot, window: MainWindow) -> None:
    open_patient(qtbot, window, "nguyen")
    assert window.patient_view.findChild(QLabel, "patientDetails").text().startswith("Prefers “Minh”")
    open_patient(qtbot, window, "zoe")
    assert value(window, "nhs_number") == "943 476 5919"


def _episode_dialog(qtbot: QtBot, window: MainWindow) -> EpisodeDialog:
    dialog = window.findChild(EpisodeDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _message(dialog: EpisodeDialog, key: str) -> str:
    label = dialog.messages[key]
    return label.message if label.isVisible() else ""


def test_an_incomplete_episode_is_refused_beside_each_field(qtbot: QtBot, window: MainWindow) -> None:
    open_patient(qtbot, window, "zoe")
    qtbot.mouseClick(window.patient_view.add_episode_button, Qt.MouseButton.LeftButton)
    dialog = _episode_dialog(qtbot, window)
    onset = dialog.fields["onset_date"]
    assert isinstance(onset, QLineEdit)
    onset.setText("01/01/1980")  # before she was born
    status = dialog.fields["status"]
    assert isinstance(status, QComboBox)
    assert not dialog.fields["discharge_date"].isVisibleTo(dialog)
    status.setCurrentIndex(status.findData(EpisodeStatus.DISCHARGED))
    assert dialog.fields["discharge_date"].isVisibleTo(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert _message(dialog, "complaint").startswith("Describe the complaint")
    assert _message(dialog, "side") == "Choose the side."
    assert _message(dialog, "onset_date") == "The onset date is before the date of birth."
    assert _message(dialog, "discharge_date") == "Enter the discharge date."
    assert _message(dialog, "discharge_reason") == "Choose the reason for discharge."


def test_an_episode_is_added_and_then_edited(qtbot: QtBot, window: MainWindow, clinic: ClinicStore) -> None:
    open_patient(qtbot, window, "zoe")
    window.patient_view.add_episode_requested.emit()
    dialog = _episode_dialog(qtbot, window)
    complaint = dialog.fields["complaint"]
    assert isinstance(complaint, QPlainTextEdit)
    complaint.setPlainText("Right calf pain at 8 km, worse on hills")
    side = dialog.fields["side"]
    assert isinstance(side, QComboBox)
    side.setCurrentIndex(side.findText("Right"))
    dialog.fields["onset_date"].setText("01/06/2025")  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.episode_saved, timeout=10_000):
        dialog.save()
    view = window.patient_view
    qtbot.waitUntil(lambda: view.episodes.rowCount() == 1)
    assert view.episodes.index(0, EpisodeColumn.COMPLAINT).data() == "Right calf pain at 8 km, worse on hills"
    assert view.episodes.index(0, EpisodeColumn.ONSET).data() == "01/06/2025"

    view.episode_table.setCurrentIndex(view.episodes.index(0, 0))
    qtbot.mouseClick(view.edit_episode_button, Qt.MouseButton.LeftButton)
    editing = _episode_dialog(qtbot, window)
    assert editing.windowTitle() == "Edit episode of care"
    status = editing.fields["status"]
    assert isinstance(status, QComboBox)
    status.setCurrentIndex(status.findData(EpisodeStatus.DISCHARGED))
    editing.fields["discharge_date"].setText("14/06/2025")  # type: ignore[attr-defined]
    reason = editing.fields["discharge_reason"]
    assert isinstance(reason, QComboBox)
    reason.setCurrentIndex(reason.findText("Returned to running"))
    with qtbot.waitSignal(editing.episode_saved, timeout=10_000):
        editing.save()
    qtbot.waitUntil(lambda: view.episodes.index(0, EpisodeColumn.STATUS).data() == "Discharged")
    stored = clinic.episodes.for_patient(view.patient.id)
    assert [(e.status, e.version) for e in stored] == [(EpisodeStatus.DISCHARGED, 2)]
