"""Every window here: sizes follow the font (so 200 % scaling and large fonts work), no fixed pixel
sizes, titles that never name a patient, and the default save dialog usable without a window system."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import discard_dialogs
from tests.ui.security.fakes import USERS, Recorder, password_problems
from ui.security.audit_export import ask_save_path
from ui.security.audit_viewer import AuditViewerDialog
from ui.security.lock_screen import LockScreenWidget
from ui.security.login_dialog import LoginDialog
from ui.security.owner_setup_dialog import OwnerSetupDialog
from ui.security.password_dialogs import ChangePasswordDialog, ReauthenticateDialog
from ui.security.user_forms import AddUserDialog, ChangeRoleDialog, ResetPasswordDialog
from ui.security.users_dialog import UserActions, UsersDialog

QWIDGETSIZE_MAX = (1 << 24) - 1

MAKERS: dict[str, Callable[[], QWidget]] = {
    "owner setup": lambda: OwnerSetupDialog(Recorder(), password_problems=password_problems),
    "login": lambda: LoginDialog(Recorder(), user_name="samo"),
    "lock screen": lambda: LockScreenWidget(display_name="Sam O'Neill"),
    "change password": lambda: ChangePasswordDialog(Recorder(), password_problems, forced=True),
    "reauthenticate": lambda: ReauthenticateDialog(Recorder(), "Exporting needs your password."),
    "add user": lambda: AddUserDialog(Recorder(), password_problems=password_problems),
    "reset password": lambda: ResetPasswordDialog(Recorder(), USERS[1], password_problems=password_problems),
    "change role": lambda: ChangeRoleDialog(Recorder(), USERS[1]),
    "users": lambda: UsersDialog(UserActions(*(Recorder(list(USERS)) for _ in range(7)))),
    "audit": lambda: AuditViewerDialog(Recorder([]), Recorder(""), Recorder(), patient_id=42),
}
TITLES = {
    "Create the practice owner's account",
    "CalfDesk – Log in",  # the unlock prompt says "Unlock" only when asked to
    "",
    "Change your password",
    "Confirm it is you",
    "Add a user",
    "Reset a password",
    "Change a role",
    "Users",
    "Audit trail",
}


def made(qtbot: QtBot, name: str, point_size: float | None = None) -> QWidget:
    widget = MAKERS[name]()
    qtbot.addWidget(widget, before_close_func=discard_dialogs)
    if point_size is not None:
        font = widget.font()
        font.setPointSizeF(point_size)
        widget.setFont(font)
    return widget


@pytest.mark.parametrize("name", MAKERS)
def test_sizes_follow_the_font(qtbot: QtBot, name: str) -> None:
    normal = made(qtbot, name).sizeHint()
    base = QApplication.font().pointSizeF()
    large = made(qtbot, name, base * 2).sizeHint()
    assert large.width() > normal.width() and large.height() > normal.height()


@pytest.mark.parametrize("name", MAKERS)
def test_no_widget_has_a_fixed_pixel_size(qtbot: QtBot, name: str) -> None:
    widget = made(qtbot, name)
    fixed = [
        child.objectName() or type(child).__name__
        for child in widget.findChildren(QWidget)
        if child.minimumWidth() == child.maximumWidth() or child.minimumHeight() == child.maximumHeight()
    ]
    assert fixed == []


@pytest.mark.parametrize("name", MAKERS)
def test_titles_never_name_a_patient(qtbot: QtBot, name: str) -> None:
    widget = made(qtbot, name)
    assert widget.windowTitle() in TITLES
    assert "42" not in widget.windowTitle()


def test_the_default_save_dialog_works_without_a_window_system(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    chosen = str(tmp_path / "audit.csv")
    seen: list[bool] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.testOption(QFileDialog.Option.DontUseNativeDialog))
        dialog.selectFile(chosen)
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert ask_save_path(parent) == chosen
    assert seen == [True]
