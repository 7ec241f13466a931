"""First start: the owner's account form checks itself inline, completes by keyboard, keeps text on refusal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.security.fakes import (
    GOOD_PASSWORD,
    Login,
    Recorder,
    focused,
    password_problems,
    press_enter,
    show_active,
    type_and_tab,
)
from ui.security.owner_setup_dialog import OwnerSetupDialog
from workstation.errors import DatabaseLocked, ValidationFailed
from workstation.problems import Problem
from workstation.security.accounts import Actor, Role
from workstation.services.accounts import account_problems


def make_dialog(qtbot: QtBot, create: Recorder) -> OwnerSetupDialog:
    dialog = OwnerSetupDialog(create, password_problems=password_problems)
    show_active(qtbot, dialog)
    return dialog


def line(dialog: OwnerSetupDialog, key: str) -> QLineEdit:
    return dialog.fields.fields[key]


def fill_by_keyboard(qtbot: QtBot, dialog: OwnerSetupDialog, password: str = GOOD_PASSWORD) -> None:
    assert focused() is line(dialog, "user_name")
    type_and_tab(qtbot, "amara")
    assert focused() is line(dialog, "display_name")
    type_and_tab(qtbot, "Amara Singh")
    assert focused() is line(dialog, "password")
    type_and_tab(qtbot, password)
    assert focused() is line(dialog, "repeat")
    qtbot.keyClicks(focused(), password)


def test_it_says_what_the_owner_is_and_who_can_reset_a_lost_password(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder())
    assert dialog.windowTitle() == "Create the practice owner's account"
    assert "administrator" in dialog.intro.text()
    assert "only another administrator can reset it" in dialog.intro.text()


def test_keyboard_only_creates_the_owner(qtbot: QtBot) -> None:
    login = Login(Actor(1, "amara", Role.ADMIN), user=None)  # type: ignore[arg-type]
    create = Recorder(login)
    dialog = make_dialog(qtbot, create)
    fill_by_keyboard(qtbot, dialog)
    with qtbot.waitSignal(dialog.owner_created) as created:
        press_enter(qtbot)
    assert create.calls == [("amara", "Amara Singh", GOOD_PASSWORD)]
    assert created.args == [login]
    assert dialog.result_value is login
    assert not dialog.isVisible()


def test_create_is_enabled_only_when_nothing_blocks(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder())
    assert not dialog.ok_button.isEnabled()
    fill_by_keyboard(qtbot, dialog)
    assert dialog.ok_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)  # the repeat no longer matches
    assert not dialog.ok_button.isEnabled()


def test_password_problems_appear_beside_the_field_once_it_is_left(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder())
    type_and_tab(qtbot, "amara")
    type_and_tab(qtbot, "Amara Singh")
    qtbot.keyClicks(focused(), "short one")
    assert dialog.fields.message("password").startswith("A few unrelated words")  # the hint, while typing
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert dialog.fields.message("password") == "Use at least 15 characters (9 so far)."
    line(dialog, "password").setFocus()
    qtbot.keyClicks(line(dialog, "password"), " and more")
    assert dialog.fields.message("password").startswith("A few unrelated words")  # gone once put right


def test_the_password_rules_hear_the_names(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder())
    fill_by_keyboard(qtbot, dialog, password="amara-is-the-owner-here")
    assert dialog.fields.message("password") == "Do not use your user name in your password."
    assert not dialog.ok_button.isEnabled()


def test_a_different_repeat_is_shown_inline(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder())
    fill_by_keyboard(qtbot, dialog)
    qtbot.keyClicks(focused(), "x")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert dialog.fields.message("repeat") == "The two passwords are not the same."
    assert QApplication.activeModalWidget() in (None, dialog)  # inline, not a message box


def test_enter_with_blank_fields_points_at_the_first(qtbot: QtBot) -> None:
    create = Recorder()
    dialog = make_dialog(qtbot, create)
    press_enter(qtbot)
    assert create.calls == []
    assert dialog.fields.message("user_name") == account_problems("", "")[0].message  # the core's words
    assert dialog.fields.message("repeat") == "Type the password again."
    assert focused() is line(dialog, "user_name")


def test_a_refusal_shows_each_problem_beside_its_field_and_keeps_every_character(qtbot: QtBot) -> None:
    refusal = ValidationFailed(
        [
            Problem("user_name", "This user name is taken."),
            Problem("password", "This password is on the list of common passwords."),
        ]
    )
    create = Recorder(error=refusal)
    dialog = make_dialog(qtbot, create)
    fill_by_keyboard(qtbot, dialog)
    press_enter(qtbot)
    assert dialog.isVisible()
    assert dialog.fields.message("user_name") == "This user name is taken."
    assert dialog.fields.message("password") == "This password is on the list of common passwords."
    typed = {key: line(dialog, key).text() for key in ("user_name", "display_name", "password", "repeat")}
    assert typed == {
        "user_name": "amara",
        "display_name": "Amara Singh",
        "password": GOOD_PASSWORD,
        "repeat": GOOD_PASSWORD,
    }
    assert focused() is line(dialog, "user_name")
    assert not dialog.ok_button.isEnabled()  # until the refused field is changed
    qtbot.keyClicks(line(dialog, "user_name"), "2")
    assert dialog.fields.message("user_name") != "This user name is taken."
    assert dialog.ok_button.isEnabled() is False  # the password was refused too


def test_other_expected_errors_go_to_the_banner(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder(error=DatabaseLocked("The database is in use by another program.")))
    fill_by_keyboard(qtbot, dialog)
    press_enter(qtbot)
    assert dialog.banner.isVisible()
    assert dialog.banner.text == "The database is in use by another program."
    assert line(dialog, "password").text() == GOOD_PASSWORD


def test_the_module_imports_without_the_password_policy_module() -> None:
    import ui.security.owner_setup_dialog as module

    assert (
        module.OwnerSetupDialog.__init__.__kwdefaults__["password_problems"].__module__ == "ui.security.account_rules"
    )


def test_fields_have_accessible_names_and_the_password_is_hidden(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Recorder())
    names = [line(dialog, key).accessibleName() for key in ("user_name", "display_name", "password", "repeat")]
    assert names == ["User name", "Full name", "Password", "Repeat password"]
    assert line(dialog, "password").echoMode() is QLineEdit.EchoMode.Password
    dialog.show_passwords.setChecked(True)
    assert line(dialog, "repeat").echoMode() is QLineEdit.EchoMode.Normal


def test_by_default_the_cores_password_policy_speaks(qtbot: QtBot) -> None:
    from workstation.security.passwords import TOO_SHORT

    dialog = OwnerSetupDialog(Recorder())
    show_active(qtbot, dialog)
    line(dialog, "password").setFocus()
    qtbot.keyClicks(focused(), "short")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert dialog.fields.message("password") == TOO_SHORT
