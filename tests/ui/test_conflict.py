"""Two workstations edit the same patient or episode: the later save is refused and the user chooses, on
a real database opened twice (two stores, as two copies of CalfDesk would), SQLite file and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TODAY
from ui.main_window import MainWindow
from ui.patients.conflict_dialog import ConflictDialog
from ui.patients.episode_dialog import EpisodeDialog
from ui.patients.patient_editor import PatientEditorDialog
from workstation.ports import ClinicStore
from workstation.records import Episode, EpisodeStatus, Side
from workstation.services.patients import save_patient


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every conflict here on both backends (this overrides the SQLite-only fixture of tests/ui)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(autouse=True)
def pg_watchdogs_ended(db_url: str) -> Iterator[None]:
    """After the stores are closed, let PostgreSQL's deadline watchdogs (db.deadline) end on their own,
    as they do once idle, before tests/ui's check that no thread outlives a test."""
    yield
    for thread in threading.enumerate():
        if thread.name == "calfdesk-pg-deadline":
            thread.join(5)


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


@pytest.fixture
def episode_dialog_with_stale_record(
    qtbot: QtBot,
    clinic: ClinicStore,
    open_store: Callable[..., ClinicStore],
    make_window: Callable[[ClinicStore], MainWindow],
) -> tuple[EpisodeDialog, Episode]:
    """Zoë's episode is open here with a new complaint typed, while another workstation put it on hold."""
    zoe_id = _patient_id(clinic, "Zoë")
    episode = clinic.episodes.add(Episode(zoe_id, "Right calf pain at 5 km", Side.RIGHT, date(2025, 6, 1)))
    window = make_window(clinic)
    window.open_patient(zoe_id)
    view = window.patient_view
    qtbot.waitUntil(lambda: view.patient is not None and view.episodes.rowCount() == 1)
    view.episode_table.setCurrentIndex(view.episodes.index(0, 0))
    qtbot.mouseClick(view.edit_episode_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(EpisodeDialog) is not None)
    dialog = window.findChild(EpisodeDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    _complaint(dialog).setPlainText("Right calf pain at 5 km, now also at rest")
    other_workstation = open_store()
    theirs = replace(episode, status=EpisodeStatus.ON_HOLD, complaint="Right calf pain at 5 km (scan booked)")
    other_workstation.episodes.update(theirs)
    return dialog, episode


def _patient_id(store: ClinicStore, given_name: str) -> int:
    (found,) = [s.id for s in store.patients.summaries() if s.given_name == given_name]
    return found


def _complaint(dialog: EpisodeDialog) -> QPlainTextEdit:
    widget = dialog.fields["complaint"]
    assert isinstance(widget, QPlainTextEdit)
    return widget


def _episode_conflict(qtbot: QtBot, dialog: EpisodeDialog) -> ConflictDialog:
    dialog.save()
    qtbot.waitUntil(lambda: dialog.findChild(ConflictDialog) is not None, timeout=10_000)
    conflict = dialog.findChild(ConflictDialog)
    assert conflict is not None and conflict.isVisible()
    assert conflict.windowTitle() == "Someone else changed this episode of care"
    return conflict


def test_an_episode_saved_elsewhere_offers_review_and_saving_mine_over_theirs(
    qtbot: QtBot, episode_dialog_with_stale_record: tuple[EpisodeDialog, Episode], clinic: ClinicStore
) -> None:
    dialog, episode = episode_dialog_with_stale_record
    conflict = _episode_conflict(qtbot, dialog)
    (stored,) = clinic.episodes.for_patient(episode.patient_id)  # nothing of mine was written by the refused save
    assert (stored.complaint, stored.status, stored.version) == (
        "Right calf pain at 5 km (scan booked)", EpisodeStatus.ON_HOLD, 2,
    )  # fmt: skip
    qtbot.mouseClick(conflict.review_button, Qt.MouseButton.LeftButton)
    assert _difference_rows(conflict) == [
        ["Complaint", "Right calf pain at 5 km (scan booked)", "Right calf pain at 5 km, now also at rest"],
        ["Status", "On hold", "Open"],
    ]
    with qtbot.waitSignal(dialog.episode_saved, timeout=10_000) as saved:
        qtbot.mouseClick(conflict.save_mine_button, Qt.MouseButton.LeftButton)
    (stored,) = clinic.episodes.for_patient(episode.patient_id)
    assert (stored.complaint, stored.status, stored.version) == (
        "Right calf pain at 5 km, now also at rest", EpisodeStatus.OPEN, 3,
    )  # fmt: skip
    assert saved.args[0] == stored


def test_an_episode_saved_elsewhere_can_be_reloaded_and_then_saved_without_a_second_conflict(
    qtbot: QtBot, episode_dialog_with_stale_record: tuple[EpisodeDialog, Episode], clinic: ClinicStore
) -> None:
    dialog, episode = episode_dialog_with_stale_record
    conflict = _episode_conflict(qtbot, dialog)
    qtbot.mouseClick(conflict.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _complaint(dialog).toPlainText() == "Right calf pain at 5 km (scan booked)")
    assert "Their version is shown now" in dialog.banner.text
    assert dialog.isVisible() and not dialog.dirty
    _complaint(dialog).setPlainText("Right calf pain at 5 km (scan booked for Friday)")
    with qtbot.waitSignal(dialog.episode_saved, timeout=10_000):
        dialog.save()
    (stored,) = clinic.episodes.for_patient(episode.patient_id)
    assert (stored.complaint, stored.status, stored.version) == (
        "Right calf pain at 5 km (scan booked for Friday)", EpisodeStatus.ON_HOLD, 3,
    )  # fmt: skip


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
