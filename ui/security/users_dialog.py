"""User administration for administrators: add people, reset passwords, change roles, deactivate, unlock.

Every change goes through the services (which check the role again and audit it); this dialog only
shows the result, or says in plain words why it was refused. Accounts are deactivated, never deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.security.account_rules import PasswordProblems, default_password_problems
from ui.security.form_dialog import FormDialog
from ui.security.service_call import call_service
from ui.security.user_forms import AddUserDialog, ChangeRoleDialog, ResetPasswordDialog
from ui.security.user_table import USER_ID_ROLE, UserColumn, UserTableModel
from ui.tasks import TaskRunner
from ui.theme import Tone
from ui.widgets.banner import BannerWidget
from workstation.errors import CalfDeskError
from workstation.security.accounts import Actor, Role, User

__all__ = ["AddUserDialog", "UserActions", "UserTableModel", "UsersDialog"]

Confirm = Callable[[QWidget, str, str], bool]  # (parent, title, question) -> go ahead?

OWNER_TOOLTIP = "The practice owner's account cannot be deactivated."
OWNER_ROLE_TOOLTIP = "The practice owner stays an administrator."
SELF_TOOLTIP = "You are logged in with this account: another administrator must do this."


@dataclass(frozen=True, slots=True)
class UserActions:
    """The ``Accounts`` methods, each bound to the administrator who is acting."""

    users: Callable[[], list[User]]
    create_user: Callable[[str, str, Role, str], User]
    reset_password: Callable[[int, str], User]
    set_role: Callable[[int, Role], User]
    deactivate: Callable[[int], User]
    reactivate: Callable[[int], User]
    unlock: Callable[[int], None]

    @classmethod
    def for_admin(cls, accounts: Any, admin: Actor) -> UserActions:
        """Each method of an ``Accounts`` service, bound to ``admin``."""
        return cls(
            users=partial(accounts.users, admin),
            create_user=partial(accounts.create_user, admin),
            reset_password=partial(accounts.reset_password, admin),
            set_role=partial(accounts.set_role, admin),
            deactivate=partial(accounts.deactivate, admin),
            reactivate=partial(accounts.reactivate, admin),
            unlock=partial(accounts.unlock, admin),
        )


def ask(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(
        parent, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    )
    return answer == QMessageBox.StandardButton.Yes


class UsersDialog(QDialog):
    def __init__(
        self,
        actions: UserActions,
        parent: QWidget | None = None,
        *,
        current_user_id: int | None = None,
        password_problems: PasswordProblems = default_password_problems,
        tasks: TaskRunner | None = None,
        confirm: Confirm = ask,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle("Users")
        self._actions = actions
        self._current_user_id = current_user_id
        self._password_problems = password_problems
        self._tasks = tasks
        self._confirm = confirm
        self._busy = False
        self.form: FormDialog | None = None  # the sub-dialog open now, if any
        self.banner = BannerWidget()
        self.banner.setObjectName("usersBanner")
        self.model = UserTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.add_button = _button("Add user…", "addUserButton", self._on_add_button_clicked)
        self.reset_button = _button("Reset password…", "resetPasswordButton", self._on_reset_button_clicked)
        self.role_button = _button("Change role…", "changeRoleButton", self._on_role_button_clicked)
        self.active_button = _button("Deactivate", "activeButton", self._on_active_button_clicked)
        self.unlock_button = _button("Unlock", "unlockButton", self._on_unlock_button_clicked)
        self._lay_out()
        self.reload()

    def reload(self) -> None:
        self._run(self._actions.users, self._on_users_loaded)

    def selected_user(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        user_id = rows[0].data(USER_ID_ROLE)  # through the id role on the proxy, never a row number
        return self.model.user(user_id) if isinstance(user_id, int) else None

    def select_user(self, user_id: int) -> None:
        row = self.model.row_of(user_id)
        if row is not None:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def _lay_out(self) -> None:
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName("Users")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(UserColumn.USER_NAME, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        side = QVBoxLayout()
        for button in (self.add_button, self.reset_button, self.role_button, self.active_button, self.unlock_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(middle, 1)
        layout.addWidget(close)
        self._update_buttons()

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self._set_busy(True)
        call_service(work, done=done, failed=self._on_call_failed, tasks=self._tasks, context=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected_user()
        chosen = user is not None and not self._busy
        self.add_button.setEnabled(not self._busy)
        self.reset_button.setEnabled(chosen)
        self.unlock_button.setEnabled(chosen)
        is_self = user is not None and user.id == self._current_user_id
        is_owner = user is not None and user.is_owner
        role_refusal = OWNER_ROLE_TOOLTIP if is_owner else SELF_TOOLTIP if is_self else ""
        self.role_button.setEnabled(chosen and not role_refusal)
        self.role_button.setToolTip(role_refusal)
        self.active_button.setText("Reactivate" if user is not None and not user.active else "Deactivate")
        refusal = ""
        if user is not None and user.active:
            refusal = OWNER_TOOLTIP if user.is_owner else SELF_TOOLTIP if is_self else ""
        self.active_button.setEnabled(chosen and not refusal)
        self.active_button.setToolTip(refusal)

    def _open_form(self, form: FormDialog, report: Callable[[User], str]) -> None:
        self.form = form
        form.finished.connect(partial(self._on_form_finished, form, report))
        form.open()

    def _show_changed(self, message: Callable[[User], str], user: object) -> None:
        self._set_busy(False)
        assert isinstance(user, User)
        self.model.put(user)
        if user.id is not None:
            self.select_user(user.id)
        self.banner.show_message(message(user), Tone.NOTICE)
        self._update_buttons()

    def _on_users_loaded(self, users: object) -> None:
        self._set_busy(False)
        assert isinstance(users, list)
        self.model.set_users(users)
        self._update_buttons()

    def _on_call_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), Tone.ERROR)

    def _on_form_finished(self, form: FormDialog, report: Callable[[User], str], result: int) -> None:
        self.form = None
        form.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            self._show_changed(report, form.result_value)

    @Slot()
    def _on_table_selection_changed(self) -> None:
        self._update_buttons()

    @Slot()
    def _on_add_button_clicked(self) -> None:
        form = AddUserDialog(
            self._actions.create_user, self, password_problems=self._password_problems, tasks=self._tasks
        )
        self._open_form(form, lambda u: f"{u.display_name} can now log in as “{u.user_name}”.")

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        if (user := self.selected_user()) is None or user.id is None:
            return
        reset = partial(self._actions.reset_password, user.id)
        form = ResetPasswordDialog(reset, user, self, password_problems=self._password_problems, tasks=self._tasks)
        self._open_form(form, lambda u: f"{u.display_name} has a temporary password and must change it at login.")

    @Slot()
    def _on_role_button_clicked(self) -> None:
        if (user := self.selected_user()) is None or user.id is None:
            return
        form = ChangeRoleDialog(partial(self._actions.set_role, user.id), user, self, tasks=self._tasks)
        self._open_form(form, lambda u: f"{u.display_name} is now: {u.role.label}.")

    @Slot()
    def _on_active_button_clicked(self) -> None:
        if (user := self.selected_user()) is None or user.id is None:
            return
        if not user.active:
            work = partial(self._actions.reactivate, user.id)
            self._run(work, partial(self._show_changed, lambda u: f"{u.display_name} can log in again."))
            return
        question = f"{user.display_name} will no longer be able to log in. Their records and audit entries stay."
        if self._confirm(self, "Deactivate this account?", question):
            work = partial(self._actions.deactivate, user.id)
            self._run(work, partial(self._show_changed, lambda u: f"{u.display_name}'s account is deactivated."))

    @Slot()
    def _on_unlock_button_clicked(self) -> None:
        if (user := self.selected_user()) is None or user.id is None:
            return
        name, user_id = user.display_name, user.id
        self._run(partial(self._actions.unlock, user_id), lambda _none: self._on_unlocked(name))

    def _on_unlocked(self, name: str) -> None:
        self._set_busy(False)
        self.banner.show_message(f"{name} can try to log in again now.", Tone.NOTICE)


def _button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)  # Enter in the table must not run an action by surprise
    button.clicked.connect(slot)
    return button
