"""No typed screening row is lost while the database thread is busy: not when the squads window closes, not
when the lock screen hides it and the app then quits, not when someone else logs in from the lock screen.
Each test holds the database thread with a slow task, so the row's save waits in the queue and the task
runner's shutdown (the app closing) has to run it."""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import discard_dialogs
from tests.ui.squads.conftest import PASSWORD, SquadDesk, activate, open_window
from tests.ui.squads.test_screening_grid import move_on, start_screening, stored_entries, type_keys
from ui.desktop_session import DesktopSession
from ui.main_window import MainWindow
from ui.squads.screening_model import FIRST_MEASURE_COLUMN, PATIENT_ID_ROLE
from ui.squads.squads_window import SquadsWindow
from ui.tasks import TaskRunner
from workstation.security.accounts import Role
from workstation.services.accounts import Accounts

COLLEAGUE_PASSWORD = "violet harbour pencil drum"


class BusyDatabase:
    """A slow task on the database thread that lasts until the runner starts shutting down."""

    def __init__(self, tasks: TaskRunner) -> None:
        self.running = threading.Event()
        self._release = threading.Event()
        tasks.submit(self._hold, done=lambda _none: None, failed=lambda _error: None)
        self._watcher = threading.Thread(target=self._release_once_closed, args=(tasks,))
        self._watcher.start()
        assert self.running.wait(5)

    def _hold(self) -> None:
        self.running.set()
        self._release.wait(10)

    def _release_once_closed(self, tasks: TaskRunner) -> None:
        for _ in range(1_000):
            if tasks.closed:
                break
            time.sleep(0.01)
        self._release.set()

    def join(self) -> None:
        self._watcher.join(10)


def test_closing_the_window_then_the_app_stores_the_row_being_typed(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    first = tab.model.index(0, 0).data(PATIENT_ID_ROLE)
    busy = BusyDatabase(desk.tasks)
    type_keys(qtbot, "27")
    move_on(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "29")  # the editor is still open when the window closes
    window.close()
    assert desk.tasks.shutdown()  # the app quits while the save still waits behind the slow task
    busy.join()
    entry = stored_entries(desk, tab)[first]
    assert dict(entry.values) == {"heel_raise_left": 27.0, "heel_raise_right": 29.0}


def test_a_row_typed_again_while_its_first_save_waits_is_stored_as_last_typed(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    first = tab.model.index(0, 0).data(PATIENT_ID_ROLE)
    busy = BusyDatabase(desk.tasks)
    type_keys(qtbot, "30")
    tab.grid.go_to(tab.grid.first_cell(1))  # leaving the row: its save is queued
    tab.grid.go_to(tab.model.index(0, FIRST_MEASURE_COLUMN))
    type_keys(qtbot, "33")
    move_on(qtbot)
    tab.grid.go_to(tab.grid.first_cell(2))  # queued again, while the first save has not run yet
    window.close()
    assert desk.tasks.shutdown()
    busy.join()
    entry = stored_entries(desk, tab)[first]
    assert dict(entry.values) == {"heel_raise_left": 33.0}


def test_closing_keeps_the_rest_of_a_row_whose_cell_is_marked_red(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(3)
    window = open_window(qtbot, desk)
    tab = start_screening(qtbot, desk, window)
    first = tab.model.index(0, 0).data(PATIENT_ID_ROLE)
    type_keys(qtbot, "28")
    move_on(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "300")  # out of range: never stored
    move_on(qtbot, Qt.Key.Key_Tab)
    busy = BusyDatabase(desk.tasks)
    window.close()
    assert desk.tasks.shutdown()
    busy.join()
    assert dict(stored_entries(desk, tab)[first].values) == {"heel_raise_left": 28.0}


def _main_window_with_screening(qtbot: QtBot, window: MainWindow) -> Any:
    """The main window's squads window on the Screening tab, today's screening started."""
    window.squads_action.trigger()
    squads = window.squads.squads_window
    assert isinstance(squads, SquadsWindow)
    qtbot.waitUntil(lambda: squads.model.rowCount() == 1 and not window.tasks.busy, timeout=10_000)
    squads.tabs.setCurrentWidget(squads.screening)
    qtbot.waitUntil(lambda: squads.screening.start_button.isVisible(), timeout=10_000)
    squads.screening.start_button.click()
    qtbot.waitUntil(lambda: squads.screening.worksheet is not None and not window.tasks.busy, timeout=10_000)
    activate(qtbot, squads)
    squads.screening.grid.setFocus()
    return squads.screening


def test_the_lock_screen_stores_the_rows_before_the_app_quits_behind_it(qtbot: QtBot, desk: SquadDesk) -> None:
    desk.import_squad(2)
    session = desk.session(Role.CLINICIAN)
    window = MainWindow(session, can=session.can, today=desk.today)
    qtbot.addWidget(window, before_close_func=discard_dialogs)
    window.show()
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    tab = _main_window_with_screening(qtbot, window)
    first = tab.model.index(0, 0).data(PATIENT_ID_ROLE)
    busy = BusyDatabase(window.tasks)
    type_keys(qtbot, "24")  # still in its editor when the screen locks
    window.lock(QWidget())
    assert not tab.window().isVisible()
    window.close()  # quitting while locked: the hidden squads window is not closed first
    busy.join()
    assert dict(stored_entries(desk, tab)[first].values) == {"heel_raise_left": 24.0}


def test_someone_else_logging_in_stores_the_first_persons_rows(qtbot: QtBot, desk: SquadDesk) -> None:
    from ui.security.login_dialog import LoginDialog

    desk.import_squad(2)
    accounts = Accounts(desk.store.users, desk.auditor)
    accounts.create_user(desk.owner, "dr.chen", "Dr Chen", Role.CLINICIAN, COLLEAGUE_PASSWORD)
    accounts.change_password(accounts.log_in("dr.chen", COLLEAGUE_PASSWORD).actor, COLLEAGUE_PASSWORD, PASSWORD)
    desktop = DesktopSession(
        desk.store, workstation="pitch-side",
        window_factory=lambda records: MainWindow(records, can=records.can, today=desk.today),
    )  # fmt: skip
    try:
        desktop.start()
        login = desktop.entry_dialog
        assert isinstance(login, LoginDialog)
        qtbot.keyClicks(login.user_name_field, "sam.okafor")
        qtbot.keyClicks(login.password_field, PASSWORD)
        qtbot.keyClick(login.password_field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.directory.ready, timeout=10_000)
        window = desktop.window
        assert window is not None
        tab = _main_window_with_screening(qtbot, window)
        first = tab.model.index(0, 0).data(PATIENT_ID_ROLE)
        busy = BusyDatabase(window.tasks)
        type_keys(qtbot, "31")
        desktop.lock(idle=False)
        assert desktop.lock_screen is not None
        desktop.lock_screen.switch_user_button.click()
        handover = desktop.entry_dialog
        assert isinstance(handover, LoginDialog)
        qtbot.keyClicks(handover.user_name_field, "dr.chen")
        qtbot.keyClicks(handover.password_field, PASSWORD)
        qtbot.keyClick(handover.password_field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: desktop.window is not None and desktop.window is not window, timeout=10_000)
        busy.join()
        assert dict(stored_entries(desk, tab)[first].values) == {"heel_raise_left": 31.0}
    finally:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QWidget) and widget.isVisible():
                discard_dialogs(widget)
        if desktop.window is not None:
            desktop.window.close()
        desktop.tasks.shutdown()
