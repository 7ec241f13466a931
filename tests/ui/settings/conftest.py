"""A real database with an owner (admin), a clinician and a receptionist, and the desktop they log in to.

Each test logs someone in the way the login dialog does (``DesktopSession.begin``), so the menus, the
services and the audit are the real ones; pictures for the logo and signature fields are real PNG files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.clock import Clock
from tests.ui.assessment import keyboard as kb
from tests.ui.conftest import discard_dialogs
from ui.desktop_session import DesktopSession
from ui.letters.mnemonics import letters_of
from ui.main_window import MainWindow
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent
from workstation.ports import AuditQuery, ClinicStore
from workstation.security.accounts import Role
from workstation.services.accounts import Accounts

PASSWORD = "kettle orbit saffron lane"
STAFF = (("dr.chen", "Mei Chen", Role.CLINICIAN), ("ana.lima", "Ana Lima", Role.RECEPTION))
OWNER = "sam.okafor"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def desktop(
    qtbot: QtBot, open_store: Callable[..., ClinicStore], clock: Clock, today: Callable[[], date]
) -> Iterator[DesktopSession]:
    store = open_store()
    accounts = Accounts(store.users, Auditor(store.audit, "set-up", clock))
    owner = accounts.create_owner(OWNER, "Sam Okafor", PASSWORD)
    for name, full_name, role in STAFF:
        user = accounts.create_user(owner.actor, name, full_name, role, PASSWORD)
        # As if each had chosen this password at their first login (that flow is tested elsewhere).
        store.users.update(user.with_changes(must_change_password=False))
    session = DesktopSession(
        store, workstation="room-2", now=clock,
        window_factory=lambda records: MainWindow(records, can=records.can, today=today),
    )  # fmt: skip
    yield session
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QWidget) and widget.isVisible():
            discard_dialogs(widget)
    if session.window is not None:
        session.window.close()
    session.tasks.shutdown()


def log_in(qtbot: QtBot, desktop: DesktopSession, user_name: str) -> MainWindow:
    """``user_name`` logged in as through the login dialog; their window is up with its list loaded."""
    desktop.begin(desktop.accounts.log_in(user_name, PASSWORD))
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window.isVisible(), timeout=10_000)
    window = desktop.window
    assert window is not None
    qtbot.waitUntil(lambda: window.directory.ready, timeout=10_000)
    return window


def menu_texts(window: MainWindow) -> dict[str, list[str]]:
    """Every menu of the window by its title, with its actions' texts (separators left out)."""
    menus = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None:
            menus[action.text()] = [a.text() for a in menu.actions() if not a.isSeparator()]  # type: ignore[attr-defined]
    return menus


def settings_changes(store: ClinicStore) -> list[tuple[str, str]]:
    """The audited clinic-setting changes, oldest first: (setting key, before -> after)."""
    entries = store.audit.query(AuditQuery(event=AuditEvent.SETTING_CHANGED))
    return [(entry.object_id or "", entry.detail or "") for entry in sorted(entries, key=lambda e: e.sequence or 0)]


def picture(folder: Path, name: str, colour: str = "#1f5fa8", size: tuple[int, int] = (240, 80)) -> Path:
    """A real PNG (or JPEG, by the name's suffix) of one colour with a lighter band, as a logo would be."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    for x in range(size[0] // 3, 2 * size[0] // 3):
        for y in range(size[1]):
            image.setPixelColor(x, y, QColor("#f4f4f4"))
    path = folder / name
    assert image.save(str(path))
    return path


def ink_on_nothing(folder: Path, name: str = "signature.png", ink: str = "#102050") -> Path:
    """A PNG that is see-through but for a band of dark ink across its middle, as a scanned signature is once
    its paper is taken out: 240 x 80 pixels, the ink in rows 30 to 49."""
    image = QImage(240, 80, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    for x in range(20, 220):
        for y in range(30, 50):
            image.setPixelColor(x, y, QColor(ink))
    path = folder / name
    assert image.save(str(path))
    return path


def not_a_picture(folder: Path) -> Path:
    path = folder / "letterhead.png"
    path.write_text("Riverside Physio, 1 High Street\n", encoding="utf-8")
    return path


def check_alt_letters(qtbot: QtBot, dialog: QDialog, fields: list[QWidget], buttons: list[QAbstractButton]) -> None:
    """Each of ``fields`` has an Alt letter on its label, and Alt+that letter puts the focus on it; each of
    ``buttons`` has its own; no letter is used twice in ``dialog``, shown or not (a conflict's buttons appear
    beside the fields). Save and Cancel have none: Enter and Esc are theirs."""
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    marked = [button.text() for button in dialog.findChildren(QAbstractButton) if letters_of([button.text()])]
    assert len(letters_of(labels + marked)) == len(labels + marked), f"an Alt letter used twice: {labels + marked}"
    unmarked = [button.text() for button in buttons if not letters_of([button.text()])]
    assert not unmarked, f"buttons without an Alt letter: {unmarked}"
    for field in fields:
        assert kb.mnemonic_of(field) is not None, f"{field.objectName()} has no Alt letter"
        kb.focus_on(qtbot, field)  # Alt+its letter; fails unless the focus lands on it


def too_big_picture(folder: Path) -> Path:
    """A PNG's first bytes, then 1.5 MB: refused for its size whatever it holds."""
    path = folder / "huge-logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1536 * 1024))
    return path
