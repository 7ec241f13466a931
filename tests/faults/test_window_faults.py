"""What the person at the desk sees when SQLite fails (RELIABILITY.md B1, B4): the window never says "saved"
for what was not committed, never loses typing, and a read-only database is shown as such at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from db.errors import translated
from tests import dbkit
from tests.faults.disk_full import page_cap
from tests.faults.editing import TODAY, TYPED, type_new_patient, typed
from tests.ui.conftest import SAMPLE_PATIENTS, discard_dialogs
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from ui.patients.patient_editor import PatientEditorDialog
from workstation.audit.auditor import Auditor
from workstation.errors import DiskFull, ReadOnlyDatabase
from workstation.records import Patient, new_uid
from workstation.services.accounts import Accounts

OWNER_PASSWORD = "kettle orbit saffron lane"
# Actions that only read (or leave the session): everything else must be off on a read-only database.
# Backups read the file; restoring one replaces the whole file once the app has closed it, which is the
# way out of a damaged database (A4), so it stays.
READING_ACTIONS = {
    "&Lock", "Log &out…", "&Quit", "&Find patient", "&Clear search", "&Who has accessed this patient…",
    "&Audit trail…", "Export everything held about this patient…", "&Backups…", "&Squads…",
    "&About CalfDesk…",
}  # fmt: skip


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'clinic.sqlite3'}"


def _fill_the_disk(store: Any) -> int:
    """No page may be added, and the last page has no room left for one more patient like the typed one."""
    page_cap(store.engine)(0)
    like_typed = Patient("Marit", "Achterberg", date(1988, 3, 14), phone="0131 555 0142")
    added = 0
    while True:
        try:
            store.patients.add(like_typed.with_changes(uid=new_uid()))
        except DiskFull:
            return added
        added += 1
        assert added < 200, "the disk never filled"


def test_a_full_disk_keeps_every_typed_character_and_adds_no_row(
    qtbot: QtBot, url: str, window_on: Callable[[Any], MainWindow], unexpected_errors: list[object]
) -> None:
    store = dbkit.open_store(url)
    store.patients.add_many(SAMPLE_PATIENTS)
    try:
        rows = len(SAMPLE_PATIENTS) + _fill_the_disk(store)
        window = window_on(store)
        editor = type_new_patient(qtbot, window)
        saved: list[object] = []
        editor.patient_saved.connect(saved.append)
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(editor.banner.isVisible, timeout=10_000)
        assert editor.banner.text.startswith("The disk is full, so this could not be saved.")
        assert editor.isVisible() and editor.save_button.isEnabled() and editor.dirty
        assert typed(editor) == TYPED
        assert saved == []  # never "saved"
        assert (window.directory.total, window.patient_list.model.rowCount()) == (rows, rows)
        assert store.patients.count() == rows
        page_cap(store.engine)(None)  # space freed: the same Save now works, once
        with qtbot.waitSignal(editor.patient_saved, timeout=10_000):
            qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        assert store.patients.count() == rows + 1
        assert window.directory.total == rows + 1
    finally:
        store.close()
    assert unexpected_errors == []
    with closing(dbkit.raw(dbkit.sqlite_path(url))) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def _clinic_with_an_owner(url: str) -> None:
    store = dbkit.open_store(url)
    Accounts(store.users, Auditor(store.audit, "set-up")).create_owner("sam.okafor", "Sam Okafor", OWNER_PASSWORD)
    store.patients.add_many(SAMPLE_PATIENTS)
    store.close()


def _every_action(widget: QWidget) -> list[QAction]:
    return [a for a in widget.findChildren(QAction) if a.text() and not a.isSeparator() and a.menu() is None]


def _writing_actions_enabled(window: MainWindow) -> list[str]:
    return sorted(a.text() for a in _every_action(window) if a.isEnabled() and a.text() not in READING_ACTIONS)


def test_a_read_only_database_is_shown_read_only_within_a_second_with_every_write_off(
    qtbot: QtBot, url: str, window_settings: Path, unexpected_errors: list[object]
) -> None:
    _clinic_with_an_owner(url)
    reader = dbkit.open_store(url, read_only=True)  # a mode=ro URI: SQLite itself refuses writes
    desktop = DesktopSession(
        reader,
        workstation="room-2",
        window_factory=lambda records: MainWindow(records, can=records.can, today=lambda: TODAY),
    )
    try:
        login = desktop.accounts.log_in("sam.okafor", OWNER_PASSWORD)
        started = time.monotonic()
        desktop.begin(login)  # the window of a logged-in person, as after the login dialog
        window = desktop.window
        assert window is not None
        qtbot.waitUntil(
            lambda: window.read_only_banner.isVisible() and not _writing_actions_enabled(window), timeout=1_000
        )
        shown_after = time.monotonic() - started
        print(f"\nB4: read-only banner and writes off after {shown_after * 1000:.0f} ms")
        assert window.read_only_banner.text.startswith("This database is open read-only")
        qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
        window.open_patient(int(window.directory.search("zoe")[0]))
        qtbot.waitUntil(lambda: window.patient_view.patient is not None, timeout=10_000)
        assert _writing_actions_enabled(window) == []  # with a patient open too
        view = window.patient_view
        assert not (view.edit_button.isEnabled() or view.add_episode_button.isEnabled())
        for key in (Qt.Key.Key_N, Qt.Key.Key_E):  # New patient, Edit patient
            qtbot.keyClick(window.patient_list.search, key, Qt.KeyboardModifier.ControlModifier)
        assert [w for w in QApplication.topLevelWidgets() if isinstance(w, PatientEditorDialog)] == []
        window.squads.open()  # looking at squads is fine; nothing in the squads window may write
        squads = window.squads.squads_window
        assert squads is not None
        assert not any(b.isVisibleTo(squads) for b in (squads.new_button, squads.edit_button, squads.import_button))
        assert not squads.screening.start_button.isVisibleTo(squads)
        with pytest.raises(ReadOnlyDatabase), translated(), reader.engine.connect() as connection:
            connection.exec_driver_sql("UPDATE patient SET phone = ''")  # past the window, the file refuses
    finally:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                discard_dialogs(widget)
        if desktop.window is not None:
            desktop.window.close()
        desktop.tasks.shutdown()
        reader.close()
    assert unexpected_errors == []
