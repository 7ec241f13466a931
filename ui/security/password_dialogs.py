"""Changing one's own password, and confirming one's password before a sensitive action (RELIABILITY.md D6)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from ui.security.account_rules import PasswordProblems
from ui.security.checked_fields import ShowPasswordsBox, password_edit
from ui.security.form_dialog import FormDialog
from ui.security.owner_setup_dialog import repeat_problems
from ui.tasks import TaskRunner
from workstation.errors import AuthenticationFailed, CalfDeskError
from workstation.problems import Problem

FORCED_EXPLANATION = (
    "An administrator has reset your password. Choose a new one that only you know before you carry on, or log out."
)


class ChangePasswordDialog(FormDialog):
    """``forced``: after an admin's reset the dialog cannot be cancelled, only left by logging out."""

    LOG_OUT = 2  # the dialog's result when the person chose to log out instead
    log_out_requested = Signal()
    password_changed = Signal(object)  # what change returned (the updated User)

    def __init__(
        self,
        change: Callable[[str, str], object],
        password_problems: PasswordProblems,
        parent: QWidget | None = None,
        *,
        forced: bool,
        user_name: str = "",
        display_name: str = "",
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Change your password", "Change password", parent, tasks=tasks)
        self.setObjectName("changePasswordDialog")
        self._change = change
        self._password_problems = password_problems
        self._forced = forced
        self._names = (user_name, display_name)
        current_label = "Temporary password" if forced else "Current password"
        current, password, repeat = password_edit(), password_edit(), password_edit()
        self.fields.add_row(self.form, "current", current_label, current)
        self.fields.add_row(
            self.form, "password", "New password", password, hint="A few unrelated words make a strong password."
        )
        self.fields.add_row(self.form, "repeat", "Repeat new password", repeat)
        self.show_passwords = ShowPasswordsBox([current, password, repeat])
        if forced:
            self._make_unskippable()
        self._finish_layout(self.show_passwords)
        current.setFocus()

    @property
    def forced(self) -> bool:
        return self._forced

    def reject(self) -> None:
        if not self._forced:  # Escape and the window's close button do nothing when the change is required
            super().reject()

    def _make_unskippable(self) -> None:
        self.set_intro(FORCED_EXPLANATION)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.cancel_button.hide()
        self.log_out_button = self.buttons.addButton("Log out", QDialogButtonBox.ButtonRole.ActionRole)
        self.log_out_button.setObjectName("logOutButton")
        self.log_out_button.clicked.connect(self._on_log_out_button_clicked)

    def _problems(self) -> list[Problem]:
        current, password = self.fields.text("current"), self.fields.text("password")
        user_name, display_name = self._names
        problems = []
        if not current:
            asked = "the temporary password you were given" if self._forced else "your current password"
            problems.append(Problem("current", f"Type {asked}."))
        problems += self._password_problems(password, user_name=user_name, display_name=display_name)
        if password and password == current:
            problems.append(Problem("password", "Choose a password different from the current one."))
        return problems + repeat_problems(password, self.fields.text("repeat"))

    def _work(self) -> Callable[[], object]:
        change, current, password = self._change, self.fields.text("current"), self.fields.text("password")
        return lambda: change(current, password)

    def _announce(self, result: object) -> None:
        self.password_changed.emit(result)

    def _show_failure(self, error: CalfDeskError) -> None:
        if isinstance(error, AuthenticationFailed):
            self._refuse_password("current", error)
        else:
            super()._show_failure(error)

    @Slot()
    def _on_log_out_button_clicked(self) -> None:
        if not self.busy:
            self.log_out_requested.emit()
            self.done(self.LOG_OUT)


class ReauthenticateDialog(FormDialog):
    """Asks for the logged-in person's password again; accepted only once ``reauthenticate`` returned."""

    def __init__(
        self,
        reauthenticate: Callable[[str], None],
        reason: str,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Confirm it is you", "Confirm", parent, tasks=tasks)
        self.setObjectName("reauthenticateDialog")
        self._reauthenticate = reauthenticate
        self.set_intro(reason)
        self.fields.add_row(self.form, "password", "Your password", password_edit())
        self._finish_layout()
        self.fields.fields["password"].setFocus()

    def _problems(self) -> list[Problem]:
        return [] if self.fields.text("password") else [Problem("password", "Type your password.")]

    def _work(self) -> Callable[[], object]:
        reauthenticate, password = self._reauthenticate, self.fields.text("password")
        return lambda: reauthenticate(password)

    def _show_failure(self, error: CalfDeskError) -> None:
        if isinstance(error, AuthenticationFailed):
            self._refuse_password("password", error)
        else:
            super()._show_failure(error)
