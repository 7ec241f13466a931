"""First start on a new database: the practice owner creates their own account before anything else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from ui.security.account_rules import PasswordProblems, default_password_problems, name_problems
from ui.security.checked_fields import ShowPasswordsBox, password_edit
from ui.security.form_dialog import FormDialog
from ui.tasks import TaskRunner
from workstation.problems import Problem

OWNER_EXPLANATION = (
    "As the owner you are an administrator, and if you lose your password only another administrator can "
    "reset it, so keep it somewhere safe or add a second administrator later."
)


def repeat_problems(password: str, repeat: str) -> list[Problem]:
    if not repeat:
        return [Problem("repeat", "Type the password again.")]
    if repeat != password:
        return [Problem("repeat", "The two passwords are not the same.")]
    return []


class OwnerSetupDialog(FormDialog):
    owner_created = Signal(object)  # what create_owner returned (a Login)

    def __init__(
        self,
        create_owner: Callable[[str, str, str], Any],
        parent: QWidget | None = None,
        *,
        password_problems: PasswordProblems = default_password_problems,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Create the practice owner's account", "Create account", parent, tasks=tasks)
        self.setObjectName("ownerSetupDialog")
        self._create_owner = create_owner
        self._password_problems = password_problems
        self.set_intro(f"This is a new CalfDesk database. Create your own account first.\n\n{OWNER_EXPLANATION}")
        self.fields.add_row(
            self.form, "user_name", "User name", QLineEdit(), hint="What you type to log in, for example samo."
        )
        self.fields.add_row(
            self.form, "display_name", "Full name", QLineEdit(), hint="Shown to colleagues and in the audit trail."
        )
        password, repeat = password_edit(), password_edit()
        self.fields.add_row(
            self.form, "password", "Password", password, hint="A few unrelated words make a strong password."
        )
        self.fields.add_row(self.form, "repeat", "Repeat password", repeat)
        self.show_passwords = ShowPasswordsBox([password, repeat])
        self._finish_layout(self.show_passwords)
        self.fields.fields["user_name"].setFocus()

    def _problems(self) -> list[Problem]:
        user_name, display_name = self.fields.text("user_name"), self.fields.text("display_name")
        password = self.fields.text("password")
        return [
            *name_problems(user_name, display_name),
            *self._password_problems(password, user_name=user_name.strip(), display_name=display_name.strip()),
            *repeat_problems(password, self.fields.text("repeat")),
        ]

    def _work(self) -> Callable[[], object]:
        create, user_name = self._create_owner, self.fields.text("user_name").strip()
        display_name, password = self.fields.text("display_name").strip(), self.fields.text("password")
        return lambda: create(user_name, display_name, password)

    def _announce(self, result: object) -> None:
        self.owner_created.emit(result)
