"""The page shown instead of the window's content while the session is locked (RELIABILITY.md D5).

It shows who is logged in and nothing about any patient, so the window can stay on screen in a shared
room. Checking the password is the caller's business: this page only asks for it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.security.checked_fields import password_edit
from ui.widgets.field_message import FieldMessageLabel
from workstation.problems import Problem

_COLUMN_CHARS = 44  # wide enough for the explanation to wrap in two or three calm lines


class LockScreenWidget(QWidget):
    unlock_requested = Signal(str)  # the typed password
    switch_user_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, display_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self._column_widget: QWidget | None = None  # a font change may arrive before it is built
        self.user_label = _centred_label("")
        self.user_label.setObjectName("lockedUser")
        self.password_field = password_edit()
        self.password_field.setObjectName("field_password")
        self.password_field.setAccessibleName("Password")
        self.password_field.returnPressed.connect(self._on_password_field_return_pressed)
        self.error_line = FieldMessageLabel()
        self.error_line.setObjectName("lockError")
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.switch_user_button = QPushButton("Log in as someone else")
        self.switch_user_button.setObjectName("switchUserButton")
        self.switch_user_button.clicked.connect(self.switch_user_requested)
        self.set_user(display_name)
        self._column_widget = self._column()
        grid = QGridLayout(self)
        grid.addWidget(self._column_widget, 1, 1)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(2, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)

    @property
    def error_text(self) -> str:
        return "" if self.error_line.isHidden() else self.error_line.message

    def set_user(self, display_name: str) -> None:
        """Who is logged in (their display name): the one person who can unlock."""
        self.user_label.setText(f"Logged in: {display_name}" if display_name else "")
        self.setAccessibleName(f"CalfDesk is locked. {self.user_label.text()}".strip())

    def set_busy(self, busy: bool) -> None:
        """While the password is being checked."""
        self.password_field.setReadOnly(busy)  # not disabled: that would move the focus away
        for button in (self.unlock_button, self.switch_user_button):
            button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        """A refused unlock: say why, and leave the field empty and focused for the next try."""
        self.set_busy(False)
        self.password_field.clear()
        self.error_line.show_problem(Problem("password", text))
        self.password_field.setAccessibleDescription(text)
        self.password_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        self.set_busy(False)
        self.password_field.clear()
        self.error_line.clear_message()
        self.password_field.setAccessibleDescription("")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange and self._column_widget is not None:
            self._fit_column(self._column_widget)
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.password_field.setFocus(Qt.FocusReason.OtherFocusReason)  # type at once, no mouse needed

    def _column(self) -> QWidget:
        name = _centred_label("CalfDesk")
        _scale_font(name, 1.6, bold=True)
        locked = _centred_label("Locked")
        locked.setObjectName("lockedTitle")
        _scale_font(locked, 1.3, bold=False)
        note = _centred_label("Type your password to carry on.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.switch_user_button)
        column = QWidget()
        stack = QVBoxLayout(column)
        stack.setSpacing(self.fontMetrics().height() // 2)
        for widget in (name, locked, self.user_label, note, self.password_field, self.error_line):
            stack.addWidget(widget)
        stack.addLayout(buttons)
        self._fit_column(column)
        return column

    def _fit_column(self, column: QWidget) -> None:
        # Measured in characters, so that the column keeps its shape at any font size or scaling.
        column.setMaximumWidth(self.fontMetrics().averageCharWidth() * _COLUMN_CHARS)

    @Slot()
    def _on_password_field_return_pressed(self) -> None:
        self._request_unlock()

    @Slot()
    def _on_unlock_button_clicked(self) -> None:
        self._request_unlock()

    def _request_unlock(self) -> None:
        password = self.password_field.text()
        if not password:
            self.error_line.show_problem(Problem("password", "Type your password."))
            self.password_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.error_line.clear_message()
        self.unlock_requested.emit(password)


def _centred_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return label


def _scale_font(label: QLabel, factor: float, *, bold: bool) -> None:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)  # relative to the user's font, so it scales with it
    font.setBold(bold)
    label.setFont(font)
