"""Logging in, and unlocking a locked session (the same dialog with the user name fixed).

A refused login says exactly what the services say, which never tells whether the user name exists
(RELIABILITY.md D3); a locked account gets its own message, because waiting or asking an
administrator is then the only way on. The password is cleared after every refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.security.checked_fields import password_edit
from ui.security.service_call import call_service
from ui.tasks import TaskRunner
from ui.widgets.field_message import FieldMessageLabel
from workstation.errors import AccountLocked, AuthenticationFailed, CalfDeskError
from workstation.problems import Problem, Severity

ACCOUNT_LOCKED_TEXT = (
    "This account is locked for now after too many wrong passwords. "
    "Try again later, or ask an administrator to unlock it."
)


class LoginDialog(QDialog):
    """``user_name`` given: the unlock prompt, with that name fixed and a way to log in as someone else.

    ``title_hint`` is a word or two for the title, such as "Unlock"; never patient data.
    ``offer_recovery``: a way to the recovery key when every password is lost (never on the unlock prompt,
    where one person's session is waiting for that person's password).
    """

    SWITCH_USER = 2  # the dialog's result when "Log in as someone else" was chosen
    logged_in = Signal(object)  # the Login returned by log_in
    switch_user_requested = Signal()
    recovery_requested = Signal()  # the caller opens the RecoveryDialog

    def __init__(
        self,
        log_in: Callable[[str, str], Any],
        parent: QWidget | None = None,
        *,
        user_name: str = "",
        title_hint: str = "",
        tasks: TaskRunner | None = None,
        offer_recovery: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(f"CalfDesk – {title_hint or 'Log in'}")
        self._log_in = log_in
        self._tasks = tasks
        self._busy = False
        self.result_value: Any = None
        self.user_name_field = QLineEdit(user_name)
        self.password_field = password_edit()
        self.error_line = FieldMessageLabel()
        self.error_line.setObjectName("loginError")
        self.log_in_button = QPushButton("Log in")
        self.switch_user_button = QPushButton("Log in as someone else")
        self.recovery_button = QPushButton("&Forgotten every password? Use the recovery key…")
        self._offer_recovery = offer_recovery and not user_name
        self._buttons = QDialogButtonBox()
        self._build(fixed_user=bool(user_name))

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def error_text(self) -> str:
        return "" if self.error_line.isHidden() else self.error_line.message

    def submit(self) -> None:
        user_name, password = self.user_name_field.text().strip(), self.password_field.text()
        if not user_name:
            self._say("Type your user name.", self.user_name_field)
            return
        if not password:
            # Enter in the user name field simply moves on to the password.
            if self.password_field.hasFocus():
                self._say("Type your password.", self.password_field)
            self.password_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._set_busy(True)
        log_in = self._log_in
        call_service(
            lambda: log_in(user_name, password),
            done=self._on_log_in_done,
            failed=self._on_log_in_failed,
            tasks=self._tasks,
            context=self,
        )

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def _build(self, *, fixed_user: bool) -> None:
        self.user_name_field.setObjectName("field_user_name")
        self.user_name_field.setAccessibleName("User name")
        self.user_name_field.setReadOnly(fixed_user)
        self.password_field.setObjectName("field_password")
        self.password_field.setAccessibleName("Password")
        self.log_in_button.setObjectName("logInButton")
        self.log_in_button.setDefault(True)
        self.switch_user_button.setObjectName("switchUserButton")
        self.switch_user_button.setAutoDefault(False)
        self._buttons.addButton(self.log_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self._buttons.addButton(self.switch_user_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.switch_user_button.setVisible(fixed_user)  # after adding: the box shows what it is given
        self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self._on_buttons_accepted)
        self._buttons.rejected.connect(self.reject)
        self.switch_user_button.clicked.connect(self._on_switch_user_button_clicked)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("User name", self.user_name_field)
        form.addRow("Password", self.password_field)
        heading = QLabel("CalfDesk")
        heading.setObjectName("loginHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        prompt = QLabel("Unlock with your password." if fixed_user else "Log in with your own user name and password.")
        prompt.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(prompt)
        layout.addLayout(form)
        layout.addWidget(self.error_line)
        self._build_recovery_button(layout)
        layout.addStretch(1)
        layout.addWidget(self._buttons)
        # Wide enough for a long user name and the error line, in characters so that 200 % scales it.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        (self.password_field if fixed_user else self.user_name_field).setFocus()

    def _build_recovery_button(self, layout: QVBoxLayout) -> None:
        self.recovery_button.setObjectName("recoveryButton")
        self.recovery_button.setFlat(True)  # a way out for a rare day, not an action beside Log in
        self.recovery_button.setAutoDefault(False)  # Enter must still log in
        self.recovery_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.recovery_button.clicked.connect(self._on_recovery_button_clicked)
        layout.addWidget(self.recovery_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.recovery_button.setVisible(self._offer_recovery)

    def _say(self, text: str, focus: QLineEdit, severity: Severity = Severity.ERROR) -> None:
        self.error_line.show_problem(Problem("login", text, severity))
        for field in (self.user_name_field, self.password_field):
            field.setAccessibleDescription(text if field is focus else "")  # read out where they type next
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.password_field.setReadOnly(busy)  # not disabled: that would move the focus away
        self._buttons.setEnabled(not busy)

    def _on_log_in_done(self, login: object) -> None:
        self._set_busy(False)
        self.result_value = login
        self.logged_in.emit(login)
        self.accept()

    def _on_log_in_failed(self, error: CalfDeskError) -> None:
        self._set_busy(False)
        if isinstance(error, AccountLocked):
            self.password_field.clear()
            # The services say for how long; our own words stand in if they ever say nothing.
            self._say(str(error) or ACCOUNT_LOCKED_TEXT, self.password_field, Severity.WARNING)
        elif isinstance(error, AuthenticationFailed):
            self.password_field.clear()
            self._say(str(error), self.password_field)
        else:  # the database, not the password: keep what was typed for another try
            self._say(str(error), self.password_field)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.submit()

    @Slot()
    def _on_switch_user_button_clicked(self) -> None:
        if not self._busy:
            self.switch_user_requested.emit()
            self.done(self.SWITCH_USER)

    @Slot()
    def _on_recovery_button_clicked(self) -> None:
        if not self._busy:
            self.recovery_requested.emit()
