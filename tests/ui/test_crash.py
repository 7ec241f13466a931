"""Bugs are logged and shown with copyable details; neither the log nor the report names a patient."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.crash import LOG_FILE_NAME, WITHHELD, CrashDialog, CrashReporter, crash_report
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from workstation.errors import DatabaseLocked
from workstation.ports import ClinicStore

NAME = "Zoë"
FAMILY = "Nguyễn"
BORN = "02/04/1990"
NHS_NUMBER = "9434765919"


@pytest.fixture
def reporter(tmp_path: Path) -> Iterator[CrashReporter]:
    installed = CrashReporter(tmp_path / "logs")
    installed.install()
    yield installed
    installed.uninstall()
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, CrashDialog):
            dialog.close()


def _raise_with_patient_data() -> None:
    try:
        {}[f"{NAME} {FAMILY}"]
    except KeyError as lookup:
        raise ValueError(f"cannot file {NAME} {FAMILY}, born {BORN}, NHS {NHS_NUMBER}") from lookup


def _log_text(reporter: CrashReporter) -> str:
    return reporter.log_path.read_text(encoding="utf-8")


def test_a_report_keeps_the_code_and_withholds_messages_that_may_carry_data() -> None:
    with pytest.raises(ValueError) as caught:
        _raise_with_patient_data()
    report = crash_report(caught.value, "MainThread")
    assert "in _raise_with_patient_data" in report  # where it happened
    assert "builtins.ValueError: " + WITHHELD in report
    assert "builtins.KeyError: " + WITHHELD in report  # the chained cause too
    assert "was the direct cause of the following exception" in report
    for detail in (NAME, FAMILY, BORN, NHS_NUMBER):
        assert detail not in report


def test_messages_python_writes_about_code_are_kept() -> None:
    with pytest.raises(AttributeError) as caught:
        object().given_name  # type: ignore[attr-defined]  # noqa: B018
    assert "'object' object has no attribute 'given_name'" in crash_report(caught.value, "MainThread")


def test_expected_errors_keep_their_clinician_message() -> None:
    report = crash_report(DatabaseLocked("The database is in use by another program."), "MainThread")
    assert "The database is in use by another program." in report


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_shows_the_crash_dialog_and_logs_without_names(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    QTimer.singleShot(0, _raise_with_patient_data)
    qtbot.waitUntil(lambda: _crash_dialog() is not None)
    dialog = _crash_dialog()
    assert dialog is not None
    assert "ValueError" in dialog.details and NAME not in dialog.details
    log = _log_text(reporter)
    assert "Unexpected error" in log and "_raise_with_patient_data" in log
    assert NAME not in log and FAMILY not in log and NHS_NUMBER not in log and BORN not in log
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.details


@pytest.mark.qt_no_exception_capture
def test_a_bug_on_another_thread_is_reported_on_the_gui_thread(qtbot: QtBot, reporter: CrashReporter) -> None:
    worker = threading.Thread(target=_raise_with_patient_data, name="import-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: _crash_dialog() is not None)
    dialog = _crash_dialog()
    assert dialog is not None and "Thread: import-worker" in dialog.details
    assert NAME not in _log_text(reporter)


@pytest.mark.qt_no_exception_capture
def test_a_second_bug_joins_the_open_dialog(qtbot: QtBot, reporter: CrashReporter) -> None:
    QTimer.singleShot(0, _raise_with_patient_data)
    QTimer.singleShot(0, _raise_with_patient_data)
    qtbot.waitUntil(lambda: _crash_dialog() is not None and _crash_dialog().details.count("crash report") == 2)
    assert sum(isinstance(w, CrashDialog) and w.isVisible() for w in QApplication.topLevelWidgets()) == 1


def test_uninstall_restores_the_previous_hooks(tmp_path: Path) -> None:
    import sys

    before = (sys.excepthook, threading.excepthook)
    installed = CrashReporter(tmp_path / "logs")
    installed.install()
    assert sys.excepthook != before[0]
    installed.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    assert (tmp_path / "logs" / LOG_FILE_NAME).exists()


def test_saving_a_patient_logs_the_id_but_no_patient_details(
    qtbot: QtBot,
    clinic: ClinicStore,
    make_window: Callable[[ClinicStore], MainWindow],
    reporter: CrashReporter,
) -> None:
    window = make_window(clinic)
    window.new_patient_action.trigger()
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None
    typed = {"family_name": FAMILY, "given_name": NAME, "date_of_birth": "02/04/1990", "phone": "07700 900777"}
    for key, text in typed.items():
        editor.form.fields[key].setText(text)  # type: ignore[attr-defined]
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000) as saved:
        editor.save()
    log = _log_text(reporter)
    assert f"patient {saved.args[0].id} saved" in log
    for text in (*typed.values(), "1990-04-02", "INSERT"):
        assert text not in log


def _crash_dialog() -> CrashDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()]
    return found[0] if found else None
