"""User administration: the list, each action through its callable, results and refusals shown in the
banner, the owner (and oneself) protected from deactivation, and adding a user by keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
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
    user,
)
from ui.security.user_forms import AddUserDialog, ChangeRoleDialog, ResetPasswordDialog
from ui.security.user_table import UserColumn
from ui.security.users_dialog import OWNER_ROLE_TOOLTIP, OWNER_TOOLTIP, SELF_TOOLTIP, UserActions, UsersDialog
from ui.theme import Tone
from workstation.errors import PermissionDenied, ValidationFailed
from workstation.problems import Problem
from workstation.security.accounts import Actor, Role


def by_id(user_id: int) -> Any:
    return next(u for u in USERS if u.id == user_id)


class Accounts:
    """The admin's Accounts methods, recording each call and answering with the changed user."""

    def __init__(self) -> None:
        self.users = Recorder(list(USERS))
        self.create_user = Recorder(lambda name, full, role, _pw: user(5, name, full, role, must_change_password=True))
        self.reset_password = Recorder(lambda uid, _pw: by_id(uid).with_changes(must_change_password=True))
        self.set_role = Recorder(lambda uid, role: by_id(uid).with_changes(role=role))
        self.deactivate = Recorder(lambda uid: by_id(uid).with_changes(active=False))
        self.reactivate = Recorder(lambda uid: by_id(uid).with_changes(active=True))
        self.unlock = Recorder(None)

    def actions(self) -> UserActions:
        return UserActions(
            self.users,
            self.create_user,
            self.reset_password,
            self.set_role,
            self.deactivate,
            self.reactivate,
            self.unlock,
        )


@pytest.fixture
def accounts() -> Accounts:
    return Accounts()


def make_dialog(qtbot: QtBot, accounts: Accounts, *, confirm: bool = True, current_user_id: int = 1) -> UsersDialog:
    questions: list[str] = []

    def answer(_parent: object, _title: str, question: str) -> bool:
        questions.append(question)
        return confirm

    dialog = UsersDialog(
        accounts.actions(), current_user_id=current_user_id, password_problems=password_problems, confirm=answer
    )
    dialog.questions = questions  # type: ignore[attr-defined]
    show_active(qtbot, dialog)
    return dialog


def row_texts(dialog: UsersDialog, column: UserColumn) -> list[str]:
    proxy = dialog.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def open_form(qtbot: QtBot, dialog: UsersDialog, button: Any, kind: type) -> Any:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    form = dialog.form
    assert isinstance(form, kind) and form.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    return form


def test_the_list_is_loaded_and_sorted_by_user_name(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    assert dialog.windowTitle() == "Users"
    assert accounts.users.calls == [()]
    assert row_texts(dialog, UserColumn.USER_NAME) == ["amara", "kit", "lee", "samo"]
    assert dialog.selected_user() is None
    assert not dialog.reset_button.isEnabled() and dialog.add_button.isEnabled()


def test_selection_is_read_through_the_id_role_on_the_proxy(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    dialog.table.selectRow(3)  # "samo" sorts last, though the model has Sam second
    assert dialog.selected_user() == USERS[1]
    dialog.select_user(3)
    assert dialog.selected_user() == USERS[2]


def test_the_owners_account_cannot_be_deactivated_and_says_why(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts, current_user_id=2)  # another administrator looks at the owner
    dialog.select_user(1)
    assert not dialog.active_button.isEnabled()
    assert dialog.active_button.toolTip() == OWNER_TOOLTIP
    assert not dialog.role_button.isEnabled()
    assert dialog.role_button.toolTip() == OWNER_ROLE_TOOLTIP
    assert dialog.reset_button.isEnabled()
    dialog.select_user(2)
    assert dialog.active_button.toolTip() == SELF_TOOLTIP


def test_one_cannot_deactivate_oneself(qtbot: QtBot, accounts: Accounts) -> None:
    admin = user(1, "amara", "Amara Singh", Role.ADMIN)  # an administrator who is not the owner
    accounts.users.result = [admin, USERS[1]]
    dialog = make_dialog(qtbot, accounts)
    dialog.select_user(1)
    assert not dialog.active_button.isEnabled()
    assert dialog.active_button.toolTip() == SELF_TOOLTIP


def test_deactivate_asks_first_then_shows_the_result(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    dialog.select_user(2)
    assert dialog.active_button.text() == "Deactivate"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert "Sam O'Neill will no longer be able to log in" in dialog.questions[0]  # type: ignore[attr-defined]
    assert accounts.deactivate.calls == [(2,)]
    assert dialog.banner.text == "Sam O'Neill's account is deactivated."
    assert dialog.banner.tone is Tone.NOTICE
    assert dialog.selected_user() is not None and not dialog.selected_user().active  # type: ignore[union-attr]
    assert dialog.active_button.text() == "Reactivate"


def test_a_declined_confirmation_changes_nothing(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts, confirm=False)
    dialog.select_user(2)
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert accounts.deactivate.calls == []
    assert not dialog.banner.isVisible()


def test_reactivate_and_unlock(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    dialog.select_user(4)
    assert dialog.active_button.text() == "Reactivate"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert accounts.reactivate.calls == [(4,)]
    assert dialog.banner.text == "Lee Park can log in again."
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert accounts.unlock.calls == [(4,)]
    assert dialog.banner.text == "Lee Park can try to log in again now."


def test_a_refusal_is_shown_in_plain_words(qtbot: QtBot, accounts: Accounts) -> None:
    accounts.unlock.errors.append(PermissionDenied("Only an administrator can manage users."))
    dialog = make_dialog(qtbot, accounts)
    dialog.select_user(2)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.text == "Only an administrator can manage users."
    assert dialog.banner.tone is Tone.ERROR
    assert dialog.unlock_button.isEnabled()  # not stuck busy


def test_add_a_user_by_keyboard(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    form = open_form(qtbot, dialog, dialog.add_button, AddUserDialog)
    assert focused() is form.fields.fields["user_name"]
    type_and_tab(qtbot, "noor")
    type_and_tab(qtbot, "Noor Haddad")
    assert focused() is form.role_box.combo
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # Clinician -> Club staff
    assert form.role_box.description.text().startswith("Squads, availability")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert accounts.create_user.calls == [("noor", "Noor Haddad", Role.CLUB, GOOD_PASSWORD)]
    qtbot.waitUntil(lambda: dialog.form is None)
    assert dialog.banner.text == "Noor Haddad can now log in as “noor”."
    assert "noor" in row_texts(dialog, UserColumn.USER_NAME)
    assert dialog.selected_user() is not None and dialog.selected_user().id == 5  # type: ignore[union-attr]


def test_add_user_checks_inline_and_keeps_typing_on_refusal(qtbot: QtBot, accounts: Accounts) -> None:
    accounts.create_user.errors.append(ValidationFailed([Problem("user_name", "This user name is taken.")]))
    dialog = make_dialog(qtbot, accounts)
    form = open_form(qtbot, dialog, dialog.add_button, AddUserDialog)
    type_and_tab(qtbot, "samo")
    type_and_tab(qtbot, "Sam Other")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "short")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert form.fields.message("password") == "Use at least 15 characters (5 so far)."
    assert not form.ok_button.isEnabled()
    form.fields.fields["password"].setText(GOOD_PASSWORD)
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert form.fields.message("user_name") == "This user name is taken."
    assert (form.fields.text("user_name"), form.fields.text("display_name")) == ("samo", "Sam Other")
    form.done(QDialog.DialogCode.Rejected)
    qtbot.waitUntil(lambda: dialog.form is None)
    assert "Sam Other" not in row_texts(dialog, UserColumn.FULL_NAME)


def test_reset_a_password(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    dialog.select_user(2)
    form = open_form(qtbot, dialog, dialog.reset_button, ResetPasswordDialog)
    assert "Sam O'Neill" in form.intro.text()
    qtbot.keyClicks(focused(), GOOD_PASSWORD)
    press_enter(qtbot)
    assert accounts.reset_password.calls == [(2, GOOD_PASSWORD)]
    qtbot.waitUntil(lambda: dialog.form is None)
    assert dialog.selected_user().must_change_password  # type: ignore[union-attr]
    assert "temporary password" in dialog.banner.text


def test_change_a_role(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    dialog.select_user(2)
    form = open_form(qtbot, dialog, dialog.role_button, ChangeRoleDialog)
    assert not form.ok_button.isEnabled()  # still the same role
    qtbot.keyClick(focused(), Qt.Key.Key_Up)  # Clinician -> Administrator
    assert form.ok_button.isEnabled()
    press_enter(qtbot)
    assert accounts.set_role.calls == [(2, Role.ADMIN)]
    qtbot.waitUntil(lambda: dialog.form is None)
    assert dialog.banner.text == "Sam O'Neill is now: Administrator."
    assert "Administrator" in row_texts(dialog, UserColumn.ROLE)


def test_buttons_have_accessible_text(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    buttons = (dialog.add_button, dialog.reset_button, dialog.role_button, dialog.active_button, dialog.unlock_button)
    assert [b.text() for b in buttons] == ["Add user…", "Reset password…", "Change role…", "Deactivate", "Unlock"]
    assert dialog.table.accessibleName() == "Users"


def test_actions_can_be_bound_to_the_acting_administrator() -> None:
    admin = Actor(1, "amara", Role.ADMIN)

    class Service:
        def __getattr__(self, name: str) -> Any:
            return lambda *args: (name, args)

    actions = UserActions.for_admin(Service(), admin)
    assert actions.users() == ("users", (admin,))
    assert actions.set_role(2, Role.CLUB) == ("set_role", (admin, 2, Role.CLUB))
    assert actions.unlock(3) == ("unlock", (admin, 3))


def test_a_row_is_chosen_and_acted_on_by_keyboard(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = make_dialog(qtbot, accounts)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # the last row: samo
    assert dialog.selected_user() == USERS[1]
    dialog.unlock_button.setFocus()
    qtbot.keyClick(dialog.unlock_button, Qt.Key.Key_Space)
    assert accounts.unlock.calls == [(2,)]
