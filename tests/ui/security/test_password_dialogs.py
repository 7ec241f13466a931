"""Changing one's password (also when forced after a reset) and confirming it before a sensitive action."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.ui.security.fakes import (
    GOOD_PASSWORD,
    USERS,
    Recorder,
    focused,
    password_problems,
    press_enter,
    show_active,
    type_and_tab,
)
from ui.security.password_dialogs import FORCED_EXPLANATION, ChangePasswordDialog, ReauthenticateDialog
from workstation.errors import AuthenticationFailed, ValidationFailed
from workstation.problems import Problem

WRONG = AuthenticationFailed("The user name or password is wrong.")
NEW = "copper kettle meadow lane"


def make_change(qtbot: QtBot, change: Recorder, *, forced: bool) -> ChangePasswordDialog:
    dialog = ChangePasswordDialog(change, password_problems, forced=forced, user_name="samo")
    show_active(qtbot, dialog)
    return dialog


def fill(qtbot: QtBot, current: str = GOOD_PASSWORD, new: str = NEW, repeat: str = NEW) -> None:
    type_and_tab(qtbot, current)
    type_and_tab(qtbot, new)
    qtbot.keyClicks(focused(), repeat)


def test_keyboard_only_change(qtbot: QtBot) -> None:
    change = Recorder(USERS[1])
    dialog = make_change(qtbot, change, forced=False)
    assert focused() is dialog.fields.fields["current"]
    fill(qtbot)
    with qtbot.waitSignal(dialog.password_changed) as changed:
        press_enter(qtbot)
    assert change.calls == [(GOOD_PASSWORD, NEW)]
    assert changed.args == [USERS[1]]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_new_password_is_checked_inline_with_the_users_name(qtbot: QtBot) -> None:
    dialog = make_change(qtbot, Recorder(), forced=False)
    fill(qtbot, new="samo-has-a-new-one", repeat="samo-has-a-new-one")
    assert dialog.fields.message("password") == "Do not use your user name in your password."
    assert not dialog.ok_button.isEnabled()


def test_the_same_password_again_is_refused_inline(qtbot: QtBot) -> None:
    dialog = make_change(qtbot, Recorder(), forced=False)
    fill(qtbot, new=GOOD_PASSWORD, repeat=GOOD_PASSWORD)
    assert dialog.fields.message("password") == "Choose a password different from the current one."


def test_a_wrong_current_password_clears_only_that_field(qtbot: QtBot) -> None:
    change = Recorder(error=WRONG)
    dialog = make_change(qtbot, change, forced=False)
    fill(qtbot)
    press_enter(qtbot)
    assert dialog.isVisible()
    assert dialog.fields.message("current") == "The user name or password is wrong."
    assert dialog.fields.text("current") == ""
    assert (dialog.fields.text("password"), dialog.fields.text("repeat")) == (NEW, NEW)
    assert focused() is dialog.fields.fields["current"]
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert change.calls[-1] == (GOOD_PASSWORD, NEW)


def test_a_refused_new_password_is_shown_beside_it(qtbot: QtBot) -> None:
    refusal = ValidationFailed([Problem("password", "This password is on the list of common passwords.")])
    dialog = make_change(qtbot, Recorder(error=refusal), forced=False)
    fill(qtbot)
    press_enter(qtbot)
    assert dialog.fields.message("password") == "This password is on the list of common passwords."
    assert dialog.fields.text("password") == NEW


def test_a_forced_change_explains_why_and_cannot_be_cancelled(qtbot: QtBot) -> None:
    dialog = make_change(qtbot, Recorder(), forced=True)
    assert dialog.intro.text() == FORCED_EXPLANATION
    assert not dialog.cancel_button.isVisible()
    assert dialog.form.labelForField(dialog.fields.fields["current"].parentWidget()).text() == "Temporary password"
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    dialog.close()
    assert dialog.isVisible()


def test_a_forced_change_can_be_left_by_logging_out(qtbot: QtBot) -> None:
    change = Recorder()
    dialog = make_change(qtbot, change, forced=True)
    with qtbot.waitSignal(dialog.log_out_requested):
        qtbot.mouseClick(dialog.log_out_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ChangePasswordDialog.LOG_OUT
    assert not dialog.isVisible()
    assert change.calls == []


def test_an_optional_change_can_be_cancelled_with_escape(qtbot: QtBot) -> None:
    dialog = make_change(qtbot, Recorder(), forced=False)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def make_reauthenticate(qtbot: QtBot, reauthenticate: Recorder) -> ReauthenticateDialog:
    dialog = ReauthenticateDialog(reauthenticate, "Exporting needs your password.")
    show_active(qtbot, dialog)
    return dialog


def test_reauthenticate_by_keyboard(qtbot: QtBot) -> None:
    reauthenticate = Recorder()
    dialog = make_reauthenticate(qtbot, reauthenticate)
    assert dialog.intro.text() == "Exporting needs your password."
    assert focused() is dialog.fields.fields["password"]
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert reauthenticate.calls == [(GOOD_PASSWORD,)]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_reauthenticate_refused_says_so_and_clears_the_field(qtbot: QtBot) -> None:
    reauthenticate = Recorder(error=WRONG)
    dialog = make_reauthenticate(qtbot, reauthenticate)
    qtbot.keyClicks(focused(), "guess")
    press_enter(qtbot)
    assert dialog.isVisible()
    assert dialog.fields.message("password") == "The user name or password is wrong."
    assert dialog.fields.text("password") == ""
    assert focused() is dialog.fields.fields["password"]
    assert not dialog.ok_button.isEnabled()
