"""The lock screen: who is logged in and nothing else; a password to unlock, or another user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.security.fakes import GOOD_PASSWORD, focused, press_enter, show_active
from ui.security.lock_screen import LockScreenWidget


def make_screen(qtbot: QtBot) -> LockScreenWidget:
    screen = LockScreenWidget(display_name="Sam O'Neill")
    show_active(qtbot, screen)
    return screen


def test_it_shows_the_app_that_it_is_locked_and_who_is_logged_in(qtbot: QtBot) -> None:
    screen = make_screen(qtbot)
    texts = [label.text() for label in screen.findChildren(QLabel) if label.isVisible() and label.text()]
    assert texts == ["CalfDesk", "Locked", "Logged in: Sam O'Neill", "Type your password to carry on."]
    assert screen.accessibleName() == "CalfDesk is locked. Logged in: Sam O'Neill"
    assert [edit.objectName() for edit in screen.findChildren(QLineEdit)] == ["field_password"]


def test_typing_the_password_and_enter_asks_to_unlock(qtbot: QtBot) -> None:
    screen = make_screen(qtbot)
    assert focused() is screen.password_field  # no mouse needed
    assert screen.password_field.echoMode() is QLineEdit.EchoMode.Password
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    with qtbot.waitSignal(screen.unlock_requested) as unlock:
        press_enter(qtbot)
    assert unlock.args == [GOOD_PASSWORD]


def test_an_empty_password_is_not_sent(qtbot: QtBot) -> None:
    screen = make_screen(qtbot)
    with qtbot.assertNotEmitted(screen.unlock_requested):
        qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert screen.error_text == "Type your password."


def test_show_error_clears_and_focuses_the_field_and_reset_clears_everything(qtbot: QtBot) -> None:
    screen = make_screen(qtbot)
    qtbot.keyClicks(screen.password_field, "wrong")
    screen.set_busy(True)
    assert not screen.unlock_button.isEnabled()
    screen.show_error("The password is wrong.")
    assert screen.error_text == "The password is wrong."
    assert screen.password_field.text() == ""
    assert focused() is screen.password_field
    assert screen.unlock_button.isEnabled()
    qtbot.keyClicks(screen.password_field, "again")
    screen.reset()
    assert screen.password_field.text() == ""
    assert screen.error_text == ""


def test_another_user_can_log_in_from_the_keyboard(qtbot: QtBot) -> None:
    screen = make_screen(qtbot)
    screen.switch_user_button.setFocus()
    with qtbot.waitSignal(screen.switch_user_requested):
        qtbot.keyClick(screen.switch_user_button, Qt.Key.Key_Space)


def test_set_user_changes_the_name_shown(qtbot: QtBot) -> None:
    screen = make_screen(qtbot)
    screen.set_user("Amara Singh")
    assert screen.user_label.text() == "Logged in: Amara Singh"
