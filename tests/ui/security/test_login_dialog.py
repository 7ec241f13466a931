"""Logging in and unlocking: Enter submits, refusals say exactly what the services say, the password is
cleared and focused after each refusal, and the unlock prompt offers another user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.ui.security.fakes import (
    GOOD_PASSWORD,
    USERS,
    Login,
    Recorder,
    focused,
    press_enter,
    show_active,
    type_and_tab,
)
from ui.security.login_dialog import ACCOUNT_LOCKED_TEXT, LoginDialog
from workstation.errors import AccountLocked, AuthenticationFailed, DatabaseLocked
from workstation.security.accounts import Actor, Role

WRONG = AuthenticationFailed("The user name or password is wrong.")
LOGIN = Login(Actor(2, "samo", Role.CLINICIAN), USERS[1])


def make_dialog(qtbot: QtBot, log_in: Recorder, **options: str) -> LoginDialog:
    dialog = LoginDialog(log_in, **options)
    show_active(qtbot, dialog)
    return dialog


def test_keyboard_only_login(qtbot: QtBot) -> None:
    log_in = Recorder(LOGIN)
    dialog = make_dialog(qtbot, log_in)
    assert dialog.windowTitle() == "CalfDesk – Log in"
    assert focused() is dialog.user_name_field
    type_and_tab(qtbot, "samo")
    assert focused() is dialog.password_field
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    with qtbot.waitSignal(dialog.logged_in) as logged_in:
        press_enter(qtbot)
    assert log_in.calls == [("samo", GOOD_PASSWORD)]
    assert logged_in.args == [LOGIN]
    assert dialog.result_value is LOGIN
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_enter_in_the_user_name_moves_on_to_the_password(qtbot: QtBot) -> None:
    log_in = Recorder(LOGIN)
    dialog = make_dialog(qtbot, log_in)
    qtbot.keyClicks(focused(), "samo")
    press_enter(qtbot)
    assert focused() is dialog.password_field
    assert log_in.calls == []
    assert dialog.error_text == ""
    press_enter(qtbot)
    assert dialog.error_text == "Type your password."


def test_a_wrong_password_shows_the_services_words_and_clears_the_password(qtbot: QtBot) -> None:
    log_in = Recorder(LOGIN, error=WRONG)
    dialog = make_dialog(qtbot, log_in)
    type_and_tab(qtbot, "samo")
    qtbot.keyClicks(focused(), "not the password")
    press_enter(qtbot)
    assert dialog.isVisible()
    assert dialog.error_text == "The user name or password is wrong."
    assert dialog.user_name_field.text() == "samo"
    assert dialog.password_field.text() == ""
    assert focused() is dialog.password_field
    assert dialog.password_field.accessibleDescription() == "The user name or password is wrong."
    qtbot.keyClicks(focused(), GOOD_PASSWORD)  # straight on with the next try
    press_enter(qtbot)
    assert log_in.calls[-1] == ("samo", GOOD_PASSWORD)
    assert dialog.result_value is LOGIN


def test_a_locked_account_gets_its_own_message(qtbot: QtBot) -> None:
    locked = AccountLocked("Too many wrong passwords: this account is locked for 15 minutes.")
    dialog = make_dialog(qtbot, Recorder(error=locked))
    type_and_tab(qtbot, "samo")
    qtbot.keyClicks(focused(), "guess")
    press_enter(qtbot)
    assert dialog.error_text == "Too many wrong passwords: this account is locked for 15 minutes."
    assert dialog.error_text != str(WRONG)
    assert dialog.password_field.text() == ""
    assert focused() is dialog.password_field


def test_a_database_problem_keeps_the_password_for_another_try(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder(error=DatabaseLocked("The database is in use by another program.")))
    type_and_tab(qtbot, "samo")
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert dialog.error_text == "The database is in use by another program."
    assert dialog.password_field.text() == GOOD_PASSWORD


def test_an_empty_user_name_is_asked_for(qtbot: QtBot) -> None:
    log_in = Recorder(LOGIN)
    dialog = make_dialog(qtbot, log_in)
    dialog.password_field.setFocus()
    qtbot.keyClicks(dialog.password_field, GOOD_PASSWORD)
    press_enter(qtbot)
    assert log_in.calls == []
    assert dialog.error_text == "Type your user name."
    assert focused() is dialog.user_name_field


def test_as_an_unlock_prompt_the_user_is_fixed_and_another_user_can_be_chosen(qtbot: QtBot) -> None:
    log_in = Recorder(LOGIN)
    dialog = make_dialog(qtbot, log_in, user_name="samo", title_hint="Unlock")
    assert dialog.windowTitle() == "CalfDesk – Unlock"
    assert dialog.user_name_field.isReadOnly()
    assert dialog.user_name_field.text() == "samo"
    assert focused() is dialog.password_field
    assert dialog.switch_user_button.isVisible()
    with qtbot.waitSignal(dialog.switch_user_requested):
        qtbot.mouseClick(dialog.switch_user_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == LoginDialog.SWITCH_USER
    assert log_in.calls == []


def test_the_plain_login_has_no_switch_user_button(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder(LOGIN))
    assert not dialog.switch_user_button.isVisible()
    assert not dialog.user_name_field.isReadOnly()
    assert dialog.user_name_field.accessibleName() == "User name"
    assert dialog.password_field.accessibleName() == "Password"


def test_a_locked_account_without_words_still_says_what_to_do(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder(error=AccountLocked("")))
    type_and_tab(qtbot, "samo")
    qtbot.keyClicks(focused(), "guess")
    press_enter(qtbot)
    assert dialog.error_text == ACCOUNT_LOCKED_TEXT
