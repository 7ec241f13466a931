"""The administrator's small forms: add a user, set a temporary password, change a role."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.security.account_rules import PasswordProblems, default_password_problems, name_problems
from ui.security.form_dialog import FormDialog
from ui.tasks import TaskRunner
from workstation.problems import Problem
from workstation.security.accounts import Role, User

ROLE_DESCRIPTIONS = {
    Role.ADMIN: "Everything, including users, the audit trail and settings.",
    Role.CLINICIAN: "Full clinical access.",
    Role.CLUB: "Squads, availability and contact details; clinical notes only as the shared summary, with consent.",
    Role.RECEPTION: "Patients' contact and GP details only.",
}
_TEMPORARY_HINT = "Tell it to them in person. They choose their own password when they first log in."


class RoleBox(QWidget):
    """A role to choose, with one line saying what it may do."""

    def __init__(self, role: Role, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setObjectName("field_role")
        self.combo.setAccessibleName("Role")
        for each in Role:
            self.combo.addItem(each.label, each.value)  # Qt hands a str enum back as a plain str
        self.combo.setCurrentIndex(self.combo.findData(role.value))
        self.description = QLabel()
        self.description.setObjectName("roleDescription")
        self.description.setWordWrap(True)
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.combo)
        column.addWidget(self.description)
        self._on_combo_current_index_changed()

    @property
    def role(self) -> Role:
        return Role(self.combo.currentData())

    @Slot()
    def _on_combo_current_index_changed(self) -> None:
        text = ROLE_DESCRIPTIONS[self.role]
        self.description.setText(text)
        self.combo.setAccessibleDescription(text)


class AddUserDialog(FormDialog):
    def __init__(
        self,
        create_user: Callable[[str, str, Role, str], User],
        parent: QWidget | None = None,
        *,
        password_problems: PasswordProblems = default_password_problems,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Add a user", "Add user", parent, tasks=tasks)
        self.setObjectName("addUserDialog")
        self._create_user = create_user
        self._password_problems = password_problems
        self.set_intro("Everyone gets an account of their own: never share one.")
        self.fields.add_row(
            self.form, "user_name", "User name", QLineEdit(), hint="What they type to log in, for example samo."
        )
        self.fields.add_row(self.form, "display_name", "Full name", QLineEdit())
        self.role_box = RoleBox(Role.CLINICIAN)
        self.form.addRow("Role", self.role_box)
        self.fields.add_row(self.form, "password", "Temporary password", QLineEdit(), hint=_TEMPORARY_HINT)
        self._finish_layout()
        self.fields.fields["user_name"].setFocus()

    def _problems(self) -> list[Problem]:
        user_name, display_name = self.fields.text("user_name"), self.fields.text("display_name")
        return [
            *name_problems(user_name, display_name),
            *self._password_problems(
                self.fields.text("password"), user_name=user_name.strip(), display_name=display_name.strip()
            ),
        ]

    def _work(self) -> Callable[[], object]:
        create, role = self._create_user, self.role_box.role
        user_name, display_name = self.fields.text("user_name").strip(), self.fields.text("display_name").strip()
        password = self.fields.text("password")
        return lambda: create(user_name, display_name, role, password)


class ResetPasswordDialog(FormDialog):
    def __init__(
        self,
        reset_password: Callable[[str], User],
        user: User,
        parent: QWidget | None = None,
        *,
        password_problems: PasswordProblems = default_password_problems,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Reset a password", "Set temporary password", parent, tasks=tasks)
        self.setObjectName("resetPasswordDialog")
        self._reset_password = reset_password
        self._password_problems = password_problems
        self._user = user
        self.set_intro(f"Give {user.display_name} a temporary password. Their old password stops working now.")
        self.fields.add_row(self.form, "password", "Temporary password", QLineEdit(), hint=_TEMPORARY_HINT)
        self._finish_layout()
        self.fields.fields["password"].setFocus()

    def _problems(self) -> list[Problem]:
        user = self._user
        return self._password_problems(
            self.fields.text("password"), user_name=user.user_name, display_name=user.display_name
        )

    def _work(self) -> Callable[[], object]:
        reset, password = self._reset_password, self.fields.text("password")
        return lambda: reset(password)


class ChangeRoleDialog(FormDialog):
    def __init__(
        self,
        set_role: Callable[[Role], User],
        user: User,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Change a role", "Change role", parent, tasks=tasks)
        self.setObjectName("changeRoleDialog")
        self._set_role = set_role
        self._user = user
        self.set_intro(f"{user.display_name} is now: {user.role.label}.")
        self.role_box = RoleBox(user.role)
        self.role_box.combo.currentIndexChanged.connect(self._on_role_box_changed)
        self.form.addRow("New role", self.role_box)
        self._finish_layout()
        self.role_box.combo.setFocus()

    def _problems(self) -> list[Problem]:
        # Not shown anywhere: it only keeps the button disabled until a different role is chosen.
        return [Problem("role", "Choose a different role.")] if self.role_box.role is self._user.role else []

    def _work(self) -> Callable[[], object]:
        set_role, role = self._set_role, self.role_box.role
        return lambda: set_role(role)

    @Slot()
    def _on_role_box_changed(self) -> None:
        self._update_ok_button()
