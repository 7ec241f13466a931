"""Help › About CalfDesk on a real main window: Help is the last menu whoever logs in; the dialog shows the
version and the facts for a support call, filters its list by name or licence, follows the arrow keys with
the licence text, copies its facts, opens Qt's own About, closes on Esc; a frozen bundle without its list
says so."""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import PySide6
import pytest
from PySide6.QtCore import Qt, QTimer, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

import workstation
from tests.clock import Clock
from tests.ui.conftest import discard_dialogs
from ui.about_dialog import LIST_MISSING, AboutDialog, ComponentColumn
from ui.desktop_session import DesktopSession
from ui.licences import BundledComponent, gather
from ui.main_window import MainWindow
from workstation.audit.auditor import Auditor
from workstation.ports import ClinicStore
from workstation.security.accounts import Role
from workstation.services.accounts import Accounts

PASSWORD = "kettle orbit saffron lane"
STAFF = {Role.CLINICIAN: "dr.chen", Role.RECEPTION: "ana.lima", Role.CLUB: "coach.rua"}
OWNER = "sam.okafor"


@pytest.fixture
def desktops(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], today: Callable[[], date]
) -> Iterator[Callable[[Role], MainWindow]]:
    """Logs in someone of a role through a real DesktopSession (the owner is the administrator)."""
    store = open_store()
    accounts = Accounts(store.users, Auditor(store.audit, "set-up", Clock()))
    owner = accounts.create_owner(OWNER, "Sam Okafor", PASSWORD)
    for role, name in STAFF.items():
        user = accounts.create_user(owner.actor, name, name.title(), role, PASSWORD)
        store.users.update(user.with_changes(must_change_password=False))  # as if chosen at the first login
    sessions: list[DesktopSession] = []

    def log_in(role: Role) -> MainWindow:
        desktop = DesktopSession(
            store, workstation="room-2", now=Clock(),
            window_factory=lambda records: MainWindow(records, can=records.can, today=today),
        )  # fmt: skip
        sessions.append(desktop)
        desktop.begin(desktop.accounts.log_in(STAFF.get(role, OWNER), PASSWORD))
        qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.isVisible(), timeout=10_000)
        assert desktop.window is not None
        return desktop.window

    yield log_in
    for desktop in sessions:
        if desktop.window is not None:
            discard_dialogs(desktop.window)
            desktop.window.close()
        desktop.tasks.shutdown()


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def help_menu(window: MainWindow) -> QMenu:
    menus = [action.menu() for action in window.menuBar().actions() if action.text() == "&Help"]
    assert len(menus) == 1 and isinstance(menus[0], QMenu)
    return menus[0]


def open_about(qtbot: QtBot, window: MainWindow) -> AboutDialog:
    """Help › About CalfDesk… chosen in the window's menu bar."""
    about = next(a for a in help_menu(window).actions() if a.text() == "&About CalfDesk…")
    about.trigger()
    dialogs = [d for d in window.findChildren(AboutDialog) if d.isVisible()]
    assert len(dialogs) == 1
    qtbot.waitUntil(lambda: dialogs[0].isActiveWindow(), timeout=5_000)
    return dialogs[0]


def listed(dialog: AboutDialog) -> list[BundledComponent]:
    """The components in the table as shown (after the filter)."""
    proxy = dialog.proxy
    return [dialog.model.component(proxy.mapToSource(proxy.index(row, 0)).row()) for row in range(proxy.rowCount())]


@pytest.mark.parametrize("role", list(Role))
def test_help_is_the_last_menu_whoever_logs_in(desktops: Callable[[Role], MainWindow], role: Role) -> None:
    window = desktops(role)
    titles = menu_titles(window)
    assert titles[-1] == "&Help" and titles.count("&Help") == 1
    assert titles[:2] == ["&File", "&Patient"]
    assert ("Admi&n" in titles) is (role is Role.ADMIN)
    assert window.menuBar().actions()[-1].menu() is help_menu(window)
    assert [a.text() for a in help_menu(window).actions()] == ["&About CalfDesk…"]


def test_the_dialog_from_the_help_menu_shows_the_version_and_the_facts_for_support(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    window = make_window(clinic)
    dialog = open_about(qtbot, window)
    assert dialog.windowTitle() == "About CalfDesk"
    assert dialog.title.text() == f"CalfDesk {workstation.__version__}"
    assert dialog.parent() is window
    facts = dict(dialog.facts)
    assert facts["Installed as"] == "Running from source (a developer's copy)"
    assert Path(facts["Program folder"]) == Path(__file__).resolve().parents[2]
    assert facts["Python"] == platform.python_version()
    assert facts["Qt"] == f"{qVersion()} (PySide6 {PySide6.__version__})"
    assert facts["Database engine"].startswith("SQLCipher 4.") and "(SQLite 3." in facts["Database engine"]
    assert dialog.focusWidget() is dialog.filter  # typing filters at once
    assert dialog.model.rowCount() == len(gather()) and dialog.count_label.text() == f"{len(gather())} in all"
    assert dialog.shown == listed(dialog)[0]  # the first one's licence is on show from the start
    assert dialog.shown is not None and dialog.shown.texts[0].text in dialog.text_view.toPlainText()
    assert not dialog.banner.isVisible()


def test_typing_filters_by_name_or_licence_and_shows_the_lgpl_of_qt_for_python(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    dialog = open_about(qtbot, make_window(clinic))
    everything = listed(dialog)
    qtbot.keyClicks(dialog.filter, "pyside")
    assert [c.name for c in listed(dialog)] == [c.name for c in everything if "pyside" in c.name.lower()]
    assert dialog.shown is not None and dialog.shown.name == "PySide6_Essentials"
    text = dialog.text_view.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "GNU GENERAL PUBLIC LICENSE" in text
    assert "PySide6_Essentials 6.11" in dialog.heading.text() and "LGPL-3.0" in dialog.heading.text()
    dialog.filter.clear()
    qtbot.keyClicks(dialog.filter, "lgpl")  # a licence: every component under one
    lgpl = [c for c in everything if "lgpl" in c.licence.lower() or "lgpl" in c.name.lower()]
    assert listed(dialog) == lgpl and len(lgpl) >= 3
    assert dialog.count_label.text() == f"{len(lgpl)} of {len(everything)} shown"
    assert dialog.shown is not None and dialog.shown.name == "PySide6_Essentials"  # still the one chosen
    qtbot.keyClicks(dialog.filter, "zzz")
    assert listed(dialog) == [] and dialog.count_label.text() == "None match"
    assert dialog.shown is None and dialog.text_view.toPlainText() == ""
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # Return in the filter box does not close the dialog
    assert dialog.isVisible()


def test_the_arrow_keys_move_through_the_list_and_the_text_follows(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    dialog = open_about(qtbot, make_window(clinic))
    everything = listed(dialog)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)  # from the filter box, with no Tab
    assert dialog.shown == everything[1] and dialog.focusWidget() is dialog.filter
    assert everything[1].texts[0].text.strip() in dialog.text_view.toPlainText()
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.shown == everything[3]
    assert everything[3].texts[-1].text.strip() in dialog.text_view.toPlainText()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    assert dialog.shown == everything[2]
    qtbot.keyClick(dialog.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert dialog.shown == everything[-1]


def test_the_table_model_is_sound(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow], qtmodeltester: Any
) -> None:
    dialog = open_about(qtbot, make_window(clinic))
    qtmodeltester.check(dialog.model)
    python = next(row for row in range(dialog.model.rowCount()) if dialog.model.component(row).name == "Python")
    cells = [dialog.model.index(python, column).data() for column in range(dialog.model.columnCount())]
    assert cells == ["Python", platform.python_version(), "PSF-2.0"]
    titles = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(ComponentColumn.TITLES))]
    assert titles == ["Name", "Version", "Licence"]


def test_copy_details_puts_the_facts_on_the_clipboard(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    dialog = open_about(qtbot, make_window(clinic))
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[0] == f"CalfDesk {workstation.__version__}"
    assert f"Python: {platform.python_version()}" in copied and "Database engine: SQLCipher 4." in copied


def test_about_qt_opens_qts_own_box_and_esc_closes_the_dialog(
    qtbot: QtBot, clinic: ClinicStore, make_window: Callable[[ClinicStore], MainWindow]
) -> None:
    window = make_window(clinic)
    dialog = open_about(qtbot, window)
    seen: list[str] = []

    def close_the_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.windowTitle())
            box.accept()

    QTimer.singleShot(200, close_the_box)
    qtbot.mouseClick(dialog.about_qt_button, Qt.MouseButton.LeftButton)  # returns once the box is closed
    assert seen == ["About Qt"]
    assert open_about(qtbot, window) is dialog  # a second choice brings the same one forward
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_frozen_bundle_without_its_list_says_so_plainly(
    qtbot: QtBot,
    clinic: ClinicStore,
    make_window: Callable[[ClinicStore], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(clinic)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)  # a bundle whose licences/ was lost
    dialog = open_about(qtbot, window)
    assert dialog.banner.isVisible() and dialog.banner.text == LIST_MISSING
    widgets: list[QWidget] = [dialog.table, dialog.filter, dialog.text_view]
    assert not any(widget.isVisible() for widget in widgets)
    facts = dict(dialog.facts)
    assert facts["Installed as"] == "An installed package"
    assert Path(facts["Program folder"]) == Path(sys.executable).parent
    assert dialog.title.text() == f"CalfDesk {workstation.__version__}"  # the rest is there as always
