"""The main window around the list: first-run screen, read-only mode, errors in plain words, settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests import dbkit
from tests.db.test_sqlite_safety import damage_patient_table
from tests.ui.conftest import patient
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from ui.theme import Tone
from ui.window_state import WindowStateStore, open_settings
from workstation.errors import DatabaseLocked
from workstation.ports import ClinicStore


def test_an_empty_database_shows_the_first_run_screen(
    qtbot: QtBot, empty_clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    window = make_window(empty_clinic)
    assert window.first_run.isVisible()
    assert not window.patient_list.table.isVisible()
    assert window.first_run.add_button.text() == "Add the first patient (Ctrl+N)"
    qtbot.mouseClick(window.first_run.add_button, Qt.MouseButton.LeftButton)
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None and editor.isVisible()


def test_the_first_saved_patient_replaces_the_first_run_screen(
    qtbot: QtBot, empty_clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    window = make_window(empty_clinic)
    window.new_patient_action.trigger()
    editor = window.findChild(PatientEditorDialog)
    assert editor is not None
    editor.form.fields["family_name"].setText("Wiranto")  # type: ignore[attr-defined]
    editor.form.fields["date_of_birth"].setText("01/01/1970")  # type: ignore[attr-defined]
    with qtbot.waitSignal(editor.patient_saved, timeout=10_000):
        editor.save()
    qtbot.waitUntil(lambda: window.patient_list.table.isVisible())
    assert not window.first_run.isVisible()
    assert window.patient_list.count_label.text() == "1 patient"


def test_a_read_only_database_shows_a_banner_and_disables_every_write(
    qtbot: QtBot, clinic: ClinicStore, open_store: Callable[..., ClinicStore],
    make_window: Callable[[ClinicStore], MainWindow],
) -> None:
    window = make_window(open_store(read_only=True))
    assert window.read_only_banner.isVisible()
    assert window.read_only_banner.tone is Tone.NOTICE
    assert window.read_only_banner.text.startswith("This database is open read-only")
    assert "Ctrl+N" not in window.patient_view.currentWidget().text()
    window.open_patient(int(window.directory.search("zoe")[0]))
    qtbot.waitUntil(lambda: window.patient_view.patient is not None)
    assert not any(action.isEnabled() for action in window.write_actions)
    view = window.patient_view
    assert not (view.edit_button.isEnabled() or view.add_episode_button.isEnabled())
    view.episode_table.selectRow(0)
    assert not view.edit_episode_button.isEnabled()
    qtbot.keyClick(window.patient_list.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(PatientEditorDialog) is None


def test_read_only_first_run_cannot_add(
    qtbot: QtBot, empty_clinic: ClinicStore, open_store: Callable[..., ClinicStore],
    make_window: Callable[[ClinicStore], MainWindow],
) -> None:
    window = make_window(open_store(read_only=True))
    assert window.first_run.isVisible()
    assert not window.first_run.add_button.isEnabled()


def test_an_expected_failure_is_a_banner_in_plain_words(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    window = make_window(clinic)
    window.directory.load_failed.emit(DatabaseLocked("The database is in use by another program.", hint="Wait."))
    assert window.banner.isVisible()
    assert window.banner.text == "The database is in use by another program. Wait."
    qtbot.mouseClick(window.banner.close_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()


def test_opening_a_patient_that_was_deleted_says_so(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    window = make_window(clinic)
    window.open_patient(987_654)
    qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.text.startswith("This patient's record no longer exists.")
    assert window.patient_view.patient is None


def test_window_and_column_state_are_remembered_in_the_test_folder(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow], isolated_settings: Path
) -> None:
    window = make_window(clinic)
    window.resize(720, 520)  # within the offscreen screen (800x600), which clamps geometry
    window.patient_list.table.setColumnWidth(0, 321)
    window.close()
    written = sorted(p.relative_to(isolated_settings).as_posix() for p in isolated_settings.rglob("*"))
    assert written == ["CalfDesk", "CalfDesk/CalfDesk.ini"]
    assert open_settings().fileName() == str(isolated_settings / "CalfDesk" / "CalfDesk.ini")
    assert not (Path.home() / ".config" / "CalfDesk").exists()
    again = make_window(clinic)
    assert again.patient_list.table.columnWidth(0) == 321
    assert (again.width(), again.height()) == (720, 520)


def test_saved_state_of_another_layout_version_is_ignored(
    clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    window = make_window(clinic)
    window.close()
    settings = open_settings()
    settings.setValue("window/schema", 999)
    state = WindowStateStore(settings)
    assert not state.restore(window, window.splitter, window.patient_list.table.horizontalHeader())
    settings.setValue("window/schema", 1)
    assert state.restore(window, window.splitter, window.patient_list.table.horizontalHeader())


def test_a_damaged_file_found_after_start_turns_the_window_read_only(
    qtbot: QtBot, clinic: ClinicStore, db_url: str, today: Callable[[], date]
) -> None:
    clinic.close()
    path = Path(db_url.removeprefix("sqlite:///"))
    store = dbkit.open_store(db_url)
    store.patients.add_many(
        patient(f"Runner{n}", "Okafor", date(1990, 1, 1), address="x" * 300) for n in range(400)
    )
    store.close()
    damage_patient_table(path, 8)  # cell pointers: the file opens, its quick check fails
    damaged = dbkit.open_store(db_url, check_integrity=False)  # as the app opens it
    try:
        window = MainWindow(damaged, today=today)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.read_only_banner.isVisible())
        assert window.read_only_banner.tone is Tone.ERROR
        assert "damaged" in window.read_only_banner.text
        assert not any(action.isEnabled() for action in window.write_actions)
        # Reading the list crosses the damaged page: it says so in plain words (a crash would fail the test).
        qtbot.waitUntil(lambda: window.banner.isVisible())
        assert window.banner.text.startswith("This file is not a CalfDesk database, or it is damaged.")
        assert damaged.read_only
        window.close()
    finally:
        damaged.close()


def test_a_window_that_is_never_painted_still_builds_its_search_index(
    qtbot: QtBot, clinic: ClinicStore, today: Callable[[], date]
) -> None:
    window = MainWindow(clinic, today=today)
    qtbot.addWidget(window)  # never shown, as when started minimised
    qtbot.waitUntil(lambda: window.directory.ready, timeout=5_000)
    assert len(window.directory.search("zoe")) == 1
