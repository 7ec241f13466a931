"""The first minutes on a practice's computer, as the app runs them: the owner's set-up creates the
encrypted database and shows its recovery key over the new window; later, the recovery key is the way in
when every password is lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from db import cipher
from tests.ui.conftest import discard_dialogs
from ui import app
from ui.desktop_session import DesktopSession
from ui.entry_flow import EntryFlow
from ui.security.login_dialog import LoginDialog
from ui.security.owner_setup_dialog import OwnerSetupDialog
from ui.security.recovery_dialog import RecoveryDialog
from ui.security.recovery_key_dialog import RecoveryKeyDialog
from ui.unlock import Entry, Opened

OWNER, PASSWORD, NEW_PASSWORD = "sam.okafor", "kettle orbit saffron lane", "amber falcon meadow quill"


@pytest.fixture
def started() -> Iterator[list[tuple[Opened, DesktopSession]]]:
    sessions: list[tuple[Opened, DesktopSession]] = []
    yield sessions
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QWidget) and widget.isVisible():
            discard_dialogs(widget)
    for opened, desktop in sessions:
        app._close_session(desktop)
        opened.store.close()


def _flow(path: Path, started: list[tuple[Opened, DesktopSession]]) -> EntryFlow:
    flow = EntryFlow(Entry(f"sqlite:///{path}", workstation="room-2"))
    flow.opened.connect(lambda opened: started.append((opened, app._begin_session(opened))))
    flow.start()
    return flow


def _recovery_key_dialog(desktop: DesktopSession) -> RecoveryKeyDialog:
    assert desktop.window is not None
    dialog = desktop.window.findChild(RecoveryKeyDialog)
    assert isinstance(dialog, RecoveryKeyDialog)
    return dialog


def test_the_owners_set_up_creates_an_encrypted_database_and_shows_its_recovery_key(
    qtbot: QtBot, tmp_path: Path, started: list[tuple[Opened, DesktopSession]]
) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    flow = _flow(path, started)
    dialog = flow.dialog
    assert isinstance(dialog, OwnerSetupDialog)
    for key, text in (("user_name", OWNER), ("display_name", "Sam Okafor"), ("password", PASSWORD),
                      ("repeat", PASSWORD)):  # fmt: skip
        dialog.fields.fields[key].setText(text)
    dialog.submit()
    qtbot.waitUntil(lambda: bool(started), timeout=15_000)
    opened, desktop = started[0]
    assert desktop.window is not None and desktop.window.isVisible()
    shown = _recovery_key_dialog(desktop)
    assert shown.isVisible() and shown.key_label.text() == opened.recovery_key
    assert not shown.continue_button.isEnabled()  # not before the owner says it is written down
    assert not cipher.is_plain_sqlite(path)
    shown.confirm_box.setChecked(True)
    shown.continue_button.click()
    qtbot.waitUntil(lambda: not shown.isVisible())
    flow.tasks.shutdown()


def test_the_recovery_key_on_the_login_opens_the_window_as_the_owner(
    qtbot: QtBot, tmp_path: Path, started: list[tuple[Opened, DesktopSession]]
) -> None:
    path = tmp_path / "calfdesk.sqlite3"
    first = Entry(f"sqlite:///{path}", workstation="room-2").create_owner(OWNER, "Sam Okafor", PASSWORD)
    first.store.close()
    assert first.recovery_key is not None
    flow = _flow(path, started)
    login = flow.dialog
    assert isinstance(login, LoginDialog)
    button = login.findChild(QWidget, "recoveryButton")
    assert button is not None and button.isVisibleTo(login)
    login.recovery_requested.emit()
    recovery = login.findChild(RecoveryDialog)
    assert isinstance(recovery, RecoveryDialog)
    recovery.recovery_field.setText(first.recovery_key.lower())
    recovery.password_field.setText(NEW_PASSWORD)
    recovery.confirm_field.setText(NEW_PASSWORD)
    recovery.submit()
    qtbot.waitUntil(lambda: bool(started), timeout=15_000)
    opened, desktop = started[0]
    assert opened.login.user.is_owner
    assert desktop.window is not None and desktop.window.isVisible()
    assert flow.dialog is None  # the login went away with the recovery
    flow.tasks.shutdown()


def test_closing_before_the_daily_backup_is_due_leaves_no_timer_behind(qtbot: QtBot, tmp_path: Path) -> None:
    """A window closed within the daily backup's delay: the backup on closing runs, and the daily one,
    whose timer would otherwise fire into a finished runner, never does."""
    from ui.backups.automatic import AutomaticBackups

    opened = Entry(f"sqlite:///{tmp_path / 'calfdesk.sqlite3'}", workstation="room-2").create_owner(
        OWNER, "Sam Okafor", PASSWORD
    )
    desktop = DesktopSession(opened.store, workstation="room-2")
    backups = AutomaticBackups.attach(desktop, opened.store, "room-2", delay_ms=100)
    daily: list[object] = []
    backups.daily_finished.connect(daily.append)
    desktop.begin(opened.login)
    assert desktop.window is not None
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.directory.loaded, timeout=10_000)
    try:
        backups.finish(opened.login.actor)  # at once, inside the 100 ms
        qtbot.wait(400)  # well past the delay: an exception here fails the test (pytest-qt)
        assert daily == []
        assert len(list((tmp_path / "backups").glob("calfdesk-exit-*.sqlite3"))) == 1
    finally:
        app._close_session(desktop)
        opened.store.close()
